import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExecutorTiming } from './executor.ts';
import type { LambdaHandler } from './lambda-bridge.ts';
import { answer } from './protocol.ts';
import { LocalSfnRegistry } from './registry.ts';

export interface LocalSfnEndpointOptions {
  /** Port to listen on (127.0.0.1). Default: 0, a free port. */
  readonly port?: number;
  /** In-process handlers by Lambda function ARN (`arn:aws:lambda:REGION:ACCOUNT:function:NAME`). */
  readonly lambdas: Readonly<Record<string, LambdaHandler>>;
  /** Region in the ARNs the endpoint hands out. Default: `us-east-1`. */
  readonly region?: string;
  /** Account in the ARNs the endpoint hands out. Default: `123456789012`. */
  readonly accountId?: string;
  /** Opt-in shortcuts for Retry and Wait delays (tests). Default: the definition's real timing. */
  readonly timing?: ExecutorTiming;
  /** Picks among an alias's weighted versions. Default: `Math.random`. */
  readonly random?: () => number;
}

export interface LocalSfnEndpoint {
  /** `http://127.0.0.1:PORT`: give it to `createSfnClient({ endpoint })` or `AWS_ENDPOINT_URL_SFN`. */
  readonly endpoint: string;
  readonly port: number;
  /** The endpoint's state, usable in-process (see registry.ts). */
  readonly registry: LocalSfnRegistry;
  /** Aborts running executions and closes the server. */
  stop(): Promise<void>;
}

/**
 * A local AWS Step Functions endpoint: the real JSON 1.0 wire protocol in front of
 * aws-local-stepfunctions, with Lambda Task states running in-process handlers. Point the real
 * `SFNClient` at `endpoint` (DESIGN.md decision 4: only endpoints differ between local and AWS).
 */
export async function startLocalSfnEndpoint(options: LocalSfnEndpointOptions): Promise<LocalSfnEndpoint> {
  const registry = new LocalSfnRegistry({
    lambdas: options.lambdas,
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
    ...(options.timing === undefined ? {} : { timing: options.timing }),
    ...(options.random === undefined ? {} : { random: options.random }),
  });
  const server = createServer((request, response) => {
    void serve(registry, request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    registry,
    async stop() {
      await registry.executions.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}

async function serve(
  registry: LocalSfnRegistry,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const requestId = crypto.randomUUID();
  if (request.method !== 'POST' || (request.url ?? '/').split('?')[0] !== '/') {
    reply(response, requestId, 404, {
      __type: 'com.amazon.coral.service#UnknownOperationException',
      message: `The Step Functions JSON protocol is POST /; got ${request.method} ${request.url}`,
    });
    return;
  }
  let body: string;
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    body = Buffer.concat(chunks).toString('utf8');
  } catch {
    // The client went away mid-request; there is no one to answer.
    response.destroy();
    return;
  }
  const target = request.headers['x-amz-target'];
  const result = await answer(registry, Array.isArray(target) ? target[0] : target, body);
  reply(response, requestId, result.status, result.body);
}

function reply(response: ServerResponse, requestId: string, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
  });
  response.end(text);
}
