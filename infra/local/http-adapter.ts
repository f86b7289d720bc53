import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { HttpEvent, HttpResult } from '../../functions/commons/http.ts';

/**
 * The local stand-in for API Gateway: each HTTP request becomes the same HTTP API (payload v2)
 * event a Lambda receives in AWS, so the handlers run unchanged.
 */
export type Route = { readonly prefix: RegExp; readonly handler: (event: HttpEvent) => Promise<HttpResult> };

const MAX_BODY_BYTES = 1_048_576;

/**
 * How long a client may take: the headers, and the whole request with its body. A body that never
 * ends (a chunked upload left open, a content-length larger than what is sent) is answered 408 and
 * closed, instead of holding a socket forever; an idle keep-alive connection is closed too.
 */
export interface HttpTimeouts {
  readonly headersMs?: number;
  readonly requestMs?: number;
  readonly keepAliveMs?: number;
  /**
   * Requests served at once; one more is shed with 503 and `Retry-After: 1` before its body is read,
   * so a burst (10,000 invalid requests) cannot starve the requests already being answered. API
   * Gateway's stage throttling does this in AWS (429).
   */
  readonly maxInFlight?: number;
}

export function createHttpAdapter(
  routes: readonly Route[],
  { headersMs = 10_000, requestMs = 30_000, keepAliveMs = 5_000, maxInFlight = 256 }: HttpTimeouts = {},
): Server {
  let inFlight = 0;
  const options = {
    headersTimeout: headersMs,
    requestTimeout: requestMs,
    keepAliveTimeout: keepAliveMs,
    // How often Node looks for requests past their time (its default, 30 s, would let them run on).
    connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(requestMs / 2))),
  };
  const server = createServer(options, async (request, response) => {
    if (inFlight >= maxInFlight) {
      response.writeHead(503, {
        'content-type': 'application/json',
        'retry-after': '1',
        connection: 'close',
      });
      response.end(
        JSON.stringify({ error: 'busy', message: 'Too many requests at once; retry in a second.' }),
      );
      request.resume();
      return;
    }
    inFlight++;
    response.once('close', () => {
      inFlight--;
    });
    const send = (result: HttpResult) => {
      response.writeHead(result.statusCode ?? 200, {
        'content-type': 'application/json',
        ...(result.headers as Record<string, string>),
      });
      response.end(result.body ?? '');
    };
    try {
      const body = await readBody(request);
      if (body === null)
        return send({
          statusCode: 413,
          body: JSON.stringify({
            error: 'body_too_large',
            message: `Bodies are limited to ${MAX_BODY_BYTES} bytes.`,
          }),
        });
      const url = new URL(request.url ?? '/', 'http://localhost');
      const route = routes.find((candidate) => candidate.prefix.test(url.pathname));
      if (!route)
        return send({
          statusCode: 404,
          body: JSON.stringify({
            error: 'not_found',
            message: `No route for ${request.method} ${url.pathname}.`,
          }),
        });
      const headers: Record<string, string> = {};
      for (const [key, value] of Object.entries(request.headers))
        if (typeof value === 'string') headers[key] = value;
      const method = request.method ?? 'GET';
      const event = {
        version: '2.0',
        routeKey: `${method} ${url.pathname}`,
        rawPath: url.pathname,
        rawQueryString: url.search.replace(/^\?/, ''),
        headers,
        requestContext: {
          accountId: '000000000000',
          apiId: 'local',
          domainName: 'localhost',
          domainPrefix: 'localhost',
          http: {
            method,
            path: url.pathname,
            protocol: 'HTTP/1.1',
            sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
            userAgent: headers['user-agent'] ?? '',
          },
          requestId: randomUUID(),
          routeKey: `${method} ${url.pathname}`,
          stage: '$default',
          time: new Date().toUTCString(),
          timeEpoch: Date.now(),
        },
        ...(body.length > 0 ? { body } : {}),
        isBase64Encoded: false,
      } as HttpEvent;
      send(await route.handler(event));
    } catch (error) {
      // The client went away (or was timed out) mid-request: there is nobody to answer.
      if (request.destroyed || response.destroyed) return;
      process.stderr.write(
        `local API: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      send({
        statusCode: 500,
        body: JSON.stringify({ error: 'internal_error', message: 'The request failed; see the server log.' }),
      });
    }
  });
  return server;
}

function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
