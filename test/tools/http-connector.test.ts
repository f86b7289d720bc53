import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineTool, type ToolContext } from '../../shared/tools/define-tool.ts';
import { isToolError } from '../../shared/tools/errors.ts';
import { environmentSecrets, httpImplementation, secretVariable } from '../../shared/tools/http-connector.ts';

/**
 * The HTTP connector against a real HTTP server on loopback: what it sends (path, query, body, the
 * idempotency key of a write, the credential) and how it answers (retries with backoff on 5xx, 429 and
 * timeouts; a business error for other 4xx; a response that breaks the declared output is an error).
 */

interface Seen {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

let server: Server;
let base: string;
const seen: Seen[] = [];
/** What the server answers next for a path, in order; then 200 with the default body. */
const script = new Map<
  string,
  { status: number; body?: unknown; delayMs?: number; headers?: Record<string, string> }[]
>();

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      seen.push({ method: request.method!, url: request.url!, headers: request.headers, body });
      const path = request.url!.replace(/\?.*$/, '');
      const next = script.get(path)?.shift() ?? {
        status: 200,
        body: { id: 'inv_1', amount: 12.5, status: 'paid' },
      };
      setTimeout(() => {
        response.writeHead(next.status, { 'content-type': 'application/json', ...(next.headers ?? {}) });
        response.end(next.body === undefined ? '' : JSON.stringify(next.body));
      }, next.delayMs ?? 0);
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
});

const Invoice = z.object({
  id: z.string(),
  amount: z.number(),
  status: z.enum(['open', 'paid', 'refunded']),
});
const getInvoice = defineTool({
  name: 'get_invoice',
  description: 'An invoice by id',
  effect: 'read',
  input: z.object({ invoice_id: z.string(), expand: z.string().optional() }),
  output: Invoice,
  produces: 'invoice',
});
const refundInvoice = defineTool({
  name: 'refund_invoice',
  description: 'Refunds an invoice',
  effect: 'write',
  input: z.object({ invoice_id: z.string(), amount: z.number(), reason: z.string() }),
  output: Invoice,
  produces: 'refund',
});
const context: ToolContext = { idempotencyKey: 'conv-1:step-refund:7', conversationId: 'conv-1' };
const noWait = { sleep: async () => {}, random: () => 0.5 };
const secrets = environmentSecrets({ [secretVariable('billing-api')]: 'sk_test_123' });

describe('httpImplementation', () => {
  it('reads: fills the path from the input, sends the rest as the query, with the credential', async () => {
    seen.length = 0;
    const call = httpImplementation(
      getInvoice,
      { method: 'GET', url: `${base}/v1/invoices/{invoice_id}`, auth: { secret: 'billing-api' } },
      { secrets, ...noWait },
    );
    expect(await call({ invoice_id: 'inv 1/2', expand: 'lines' }, context)).toEqual({
      id: 'inv_1',
      amount: 12.5,
      status: 'paid',
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url).toBe('/v1/invoices/inv%201%2F2?expand=lines');
    expect(seen[0]!.headers.authorization).toBe('Bearer sk_test_123');
    expect(seen[0]!.headers['idempotency-key']).toBeUndefined();
  });

  it('writes: a JSON body and the idempotency key, the same on every retry; 503 and 429 are retried', async () => {
    seen.length = 0;
    script.set('/v1/invoices/inv_9/refunds', [
      { status: 503 },
      { status: 429, headers: { 'retry-after': '0' } },
      { status: 201, body: { data: { id: 'inv_9', amount: 5, status: 'refunded' } } },
    ]);
    const delays: number[] = [];
    const call = httpImplementation(
      refundInvoice,
      { method: 'POST', url: `${base}/v1/invoices/{invoice_id}/refunds`, retries: 3, result: 'data' },
      { sleep: async (ms) => void delays.push(ms), random: () => 0.5 },
    );
    expect(await call({ invoice_id: 'inv_9', amount: 5, reason: 'duplicate' }, context)).toEqual({
      id: 'inv_9',
      amount: 5,
      status: 'refunded',
    });
    expect(seen.map((request) => request.method)).toEqual(['POST', 'POST', 'POST']);
    expect(new Set(seen.map((request) => request.headers['idempotency-key']))).toEqual(
      new Set(['conv-1:step-refund:7']),
    );
    expect(JSON.parse(seen[0]!.body)).toEqual({ amount: 5, reason: 'duplicate' });
    // Full jitter on the 503 (0.5 × 100 ms), then the 429's own Retry-After (0 s).
    expect(delays).toEqual([50, 0]);
  });

  it('answers a 4xx with a business error the procedure branches on, without retrying', async () => {
    seen.length = 0;
    script.set('/v1/invoices/missing', [{ status: 404, body: { error: 'no such invoice' } }]);
    const call = httpImplementation(
      getInvoice,
      { method: 'GET', url: `${base}/v1/invoices/{invoice_id}`, errors: { 404: 'not_found' } },
      noWait,
    );
    const error = await call({ invoice_id: 'missing' }, context).catch((caught: unknown) => caught);
    expect(isToolError(error)).toBe(true);
    expect(error).toMatchObject({ tool: 'get_invoice', code: 'not_found' });
    expect(seen).toHaveLength(1);
  });

  it('gives up after its retries on a server that stays down or too slow, saying so', async () => {
    seen.length = 0;
    script.set('/v1/invoices/slow', [
      { status: 200, delayMs: 400, body: { id: 'slow', amount: 1, status: 'open' } },
      { status: 500 },
    ]);
    const call = httpImplementation(
      getInvoice,
      { method: 'GET', url: `${base}/v1/invoices/{invoice_id}`, timeoutMs: 100, retries: 1 },
      noWait,
    );
    await expect(call({ invoice_id: 'slow' }, context)).rejects.toThrow(
      /get_invoice: GET .*\/v1\/invoices\/slow failed after 2 attempts: HTTP 500/,
    );
    expect(seen).toHaveLength(2);
  });

  it('refuses a response that does not fit the declared output, and a credential that is not set', async () => {
    script.set('/v1/invoices/odd', [{ status: 200, body: { id: 'odd', amount: 'ten', status: 'paid' } }]);
    const call = httpImplementation(
      getInvoice,
      { method: 'GET', url: `${base}/v1/invoices/{invoice_id}` },
      noWait,
    );
    await expect(call({ invoice_id: 'odd' }, context)).rejects.toThrow(
      /does not fit the declared output: amount/,
    );
    const secured = httpImplementation(
      getInvoice,
      { method: 'GET', url: `${base}/v1/invoices/{invoice_id}`, auth: { secret: 'billing-api' } },
      { secrets: environmentSecrets({}), ...noWait },
    );
    await expect(secured({ invoice_id: 'x' }, context)).rejects.toThrow(/export AOP_SECRET_BILLING_API=/);
  });
});
