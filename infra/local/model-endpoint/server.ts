import { randomUUID } from 'node:crypto';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { answerConverse, type ConverseAnswer } from './converse.ts';

/**
 * The local model endpoint: cleartext HTTP/2 (the Bedrock Runtime client speaks HTTP/2), answering
 * `POST /model/{modelId}/converse` with the deterministic extraction engine, or with whatever `answer`
 * is given (the OpenAI-compatible adapter). Point a real `BedrockRuntimeClient` at it (`endpoint`, or
 * `AWS_ENDPOINT_URL_BEDROCK_RUNTIME`) with any region and dummy credentials; requests are not
 * signed-checked.
 */

/** Answers one Converse request body (as sent, unparsed) for the model id of its path. */
export type ConverseAnswerer = (modelId: string, rawBody: string) => ConverseAnswer | Promise<ConverseAnswer>;

export interface LocalModelEndpointOptions {
  /** Port to listen on. Default 0: a free port, read it from the result. */
  readonly port?: number;
  /** Interface to listen on. Default 127.0.0.1 (never exposed beyond this machine). */
  readonly host?: string;
  /** What answers a Converse request. Default: the deterministic extraction engine. */
  readonly answer?: ConverseAnswerer;
}

export interface LocalModelEndpoint {
  /** e.g. `http://127.0.0.1:49152`, for the client's `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** Closes the server and every open client session. */
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const CONVERSE_PATH = /^\/model\/([^/]+)\/converse$/;

export async function startLocalModelEndpoint({
  port = 0,
  host = '127.0.0.1',
  answer = answerConverse,
}: LocalModelEndpointOptions = {}): Promise<LocalModelEndpoint> {
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  server.on('stream', function onStream(stream, headers) {
    const method = headers[':method'];
    const path = String(headers[':path'] ?? '').split('?')[0]!;
    const match = CONVERSE_PATH.exec(path);
    if (method !== 'POST' || match === null) {
      const what = /\/converse-stream$/.test(path)
        ? 'ConverseStream is not implemented by the local model endpoint; use Converse'
        : `No operation at ${String(method)} ${path}; the local model endpoint serves POST /model/{modelId}/converse`;
      stream.resume();
      respond(stream, 404, { message: what }, 'UnknownOperationException');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    stream.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        respond(
          stream,
          400,
          { message: `Input is too long: ${size} bytes, at most ${MAX_BODY_BYTES}` },
          'ValidationException',
        );
        return;
      }
      let modelId: string;
      try {
        modelId = decodeURIComponent(match[1]!);
      } catch {
        respond(
          stream,
          400,
          { message: `Model id ${match[1]} is not a valid URI component` },
          'ValidationException',
        );
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      // An answerer may be synchronous (the engine) or wait on another server (the adapter).
      Promise.resolve()
        .then(() => answer(modelId, body))
        .then(
          (answered) => respond(stream, answered.status, answered.body, answered.errorType),
          (error: unknown) =>
            respond(
              stream,
              500,
              { message: `Local model endpoint failed: ${(error as Error).message}` },
              'InternalServerException',
            ),
        );
    });
    stream.on('error', () => stream.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const session of sessions) session.destroy();
        server.close(() => resolve());
      }),
  };
}

function respond(stream: http2.ServerHttp2Stream, status: number, body: unknown, errorType?: string): void {
  if (stream.destroyed || stream.closed) return;
  stream.respond({
    ':status': status,
    'content-type': 'application/json',
    'x-amzn-requestid': randomUUID(),
    ...(errorType !== undefined ? { 'x-amzn-errortype': errorType } : {}),
  });
  stream.end(JSON.stringify(body));
}
