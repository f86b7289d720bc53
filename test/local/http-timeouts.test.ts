import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpAdapter } from '../../infra/local/http-adapter.ts';

/**
 * Hostile HTTP on the local API: a body that never ends, or a content-length larger than what is
 * sent, is answered 408 and closed once the request time is up, and the server keeps serving others.
 */

let release: () => void = () => {};
const held = new Promise<void>((done) => {
  release = done;
});
const server = createHttpAdapter(
  [
    { prefix: /^\/ok$/, handler: async () => ({ statusCode: 200, body: '{"ok":true}' }) },
    {
      prefix: /^\/slow$/,
      handler: async () => {
        await held;
        return { statusCode: 200, body: '{"slow":true}' };
      },
    },
  ],
  { headersMs: 1_000, requestMs: 1_000, keepAliveMs: 500, maxInFlight: 3 },
);
let port: number;

beforeAll(async () => {
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

/** Writes raw bytes and collects what the server answers until it closes the socket. */
function raw(bytes: string): Promise<{ answer: string; ms: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk.toString();
    });
    socket.on('close', () => resolve({ answer, ms: Date.now() - started }));
    socket.on('error', reject);
    socket.setTimeout(15_000, () => reject(new Error('the server held the connection open')));
  });
}

describe('local API timeouts', () => {
  it('answers 408 and closes a chunked body that never ends', async () => {
    const { answer, ms } = await raw(
      'POST /ok HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n5\r\n{"a":\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(ms).toBeLessThan(10_000);
  });

  it('answers 408 and closes a content-length larger than the body sent', async () => {
    const { answer } = await raw('POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"a":1}');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('still serves a well-formed request meanwhile', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/ok`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true });
  });

  it('sheds a burst beyond the requests in flight with 503 and Retry-After, and serves again after', async () => {
    const slow = [1, 2, 3].map(() => fetch(`http://127.0.0.1:${port}/slow`));
    await new Promise((done) => setTimeout(done, 200));
    const shed = await Promise.all([1, 2, 3, 4, 5].map(() => fetch(`http://127.0.0.1:${port}/ok`)));
    expect(shed.map((response) => response.status)).toEqual([503, 503, 503, 503, 503]);
    expect(shed[0]!.headers.get('retry-after')).toBe('1');
    release();
    expect((await Promise.all(slow)).map((response) => response.status)).toEqual([200, 200, 200]);
    expect((await fetch(`http://127.0.0.1:${port}/ok`)).status).toBe(200);
  });
});
