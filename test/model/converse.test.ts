import http2 from 'node:http2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerConverse } from '../../infra/local/model-endpoint/converse.ts';
import { type LocalModelEndpoint, startLocalModelEndpoint } from '../../infra/local/model-endpoint/server.ts';

const tool = (name: string, properties: Record<string, unknown> = {}) => ({
  toolSpec: { name, inputSchema: { json: { type: 'object', properties } } },
});

const body = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    messages: [{ role: 'user', content: [{ text: 'Cancel order W1234567' }] }],
    system: [{ text: 'Extract.' }],
    toolConfig: {
      tools: [tool('record_understanding', { order_id: { type: 'string', pattern: '^#W\\d{7}$' } })],
      toolChoice: { tool: { name: 'record_understanding' } },
    },
    ...overrides,
  });

describe('answerConverse', () => {
  it('answers with a tool call, a tool_use stop reason, usage and latency', () => {
    const answer = answerConverse('local.extraction', body());
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      output: {
        message: {
          role: 'assistant',
          content: [
            {
              toolUse: {
                toolUseId: expect.stringMatching(/^tooluse_[\w-]{22}$/),
                name: 'record_understanding',
                input: { order_id: '#W1234567' },
              },
            },
          ],
        },
      },
      stopReason: 'tool_use',
      usage: {
        inputTokens: expect.any(Number),
        outputTokens: expect.any(Number),
        totalTokens: expect.any(Number),
      },
      metrics: { latencyMs: expect.any(Number) },
    });
    const { usage } = answer.body as {
      usage: { inputTokens: number; outputTokens: number; totalTokens: number };
    };
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.totalTokens).toBe(usage.inputTokens + usage.outputTokens);
  });

  it('gives the same tool-use id to the same request', () => {
    const id = (raw: string) =>
      (
        answerConverse('m', raw).body as {
          output: { message: { content: [{ toolUse: { toolUseId: string } }] } };
        }
      ).output.message.content[0].toolUse.toolUseId;
    expect(id(body())).toBe(id(body()));
    expect(id(body())).not.toBe(id(body({ messages: [{ role: 'user', content: [{ text: 'other' }] }] })));
  });

  it('reads the last user message, and uses the only tool when none is forced', () => {
    const answer = answerConverse(
      'm',
      body({
        messages: [
          { role: 'user', content: [{ text: 'order W7777777' }] },
          { role: 'assistant', content: [{ text: 'Which order?' }] },
          { role: 'user', content: [{ text: 'W1234567' }] },
        ],
        toolConfig: { tools: [tool('t', { order_id: { type: 'string', pattern: '^#W\\d{7}$' } })] },
      }),
    );
    expect(answer.body).toMatchObject({
      output: { message: { content: [{ toolUse: { name: 't', input: { order_id: '#W1234567' } } }] } },
    });
  });

  it.each([
    ['not json', '{', /not JSON/],
    ['no messages', body({ messages: [] }), /messages: a conversation needs at least one message/],
    [
      'an assistant message last',
      body({ messages: [{ role: 'assistant', content: [{ text: 'x' }] }] }),
      /end with a user message/,
    ],
    ['no tools', body({ toolConfig: undefined }), /answers only with a tool call/],
    [
      'an unknown forced tool',
      body({ toolConfig: { tools: [tool('a')], toolChoice: { tool: { name: 'b' } } } }),
      /"b", which is not in/,
    ],
    [
      'two tools and no choice',
      body({ toolConfig: { tools: [tool('a'), tool('b')] } }),
      /cannot choose between 2 tools/,
    ],
    ['a bad temperature', body({ inferenceConfig: { temperature: 3 } }), /inferenceConfig.temperature/],
  ])('fails with a ValidationException for %s', (_case, raw, message) => {
    const answer = answerConverse('m', raw);
    expect(answer.status).toBe(400);
    expect(answer.errorType).toBe('ValidationException');
    expect((answer.body as { message: string }).message).toMatch(message);
  });
});

describe('startLocalModelEndpoint', () => {
  let endpoint: LocalModelEndpoint;
  beforeAll(async () => {
    endpoint = await startLocalModelEndpoint();
  });
  afterAll(async () => {
    await endpoint.stop();
  });

  /** One raw HTTP/2 request, as any client would send it. */
  function request(method: string, path: string, payload?: string) {
    return new Promise<{ status: number; headers: http2.IncomingHttpHeaders; body: string }>(
      (resolve, reject) => {
        const session = http2.connect(endpoint.endpoint);
        session.on('error', reject);
        const stream = session.request({
          ':method': method,
          ':path': path,
          'content-type': 'application/json',
        });
        let status = 0;
        let headers: http2.IncomingHttpHeaders = {};
        let text = '';
        stream.on('response', (received) => {
          headers = received;
          status = Number(received[':status']);
        });
        stream.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
        });
        stream.on('end', () => {
          session.close();
          resolve({ status, headers, body: text });
        });
        stream.end(payload);
      },
    );
  }

  it('listens on a free port of the loopback interface', () => {
    expect(endpoint.port).toBeGreaterThan(0);
    expect(endpoint.endpoint).toBe(`http://127.0.0.1:${endpoint.port}`);
  });

  it('answers POST /model/{modelId}/converse over cleartext HTTP/2', async () => {
    const response = await request(
      'POST',
      `/model/${encodeURIComponent('anthropic.claude:0')}/converse`,
      body(),
    );
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(response.body)).toMatchObject({ stopReason: 'tool_use' });
  });

  it('answers a malformed request with 400 and a ValidationException', async () => {
    const response = await request('POST', '/model/m/converse', '{"messages": "nope"}');
    expect(response.status).toBe(400);
    expect(response.headers['x-amzn-errortype']).toBe('ValidationException');
    expect(JSON.parse(response.body).message).toMatch(/^Malformed input request/);
  });

  it.each([
    ['GET', '/model/m/converse'],
    ['POST', '/model/m/invoke'],
    ['POST', '/'],
  ])('answers %s %s with 404', async (method, path) => {
    const response = await request(method, path, method === 'GET' ? undefined : '{}');
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body).message).toMatch(/serves POST \/model\/\{modelId\}\/converse/);
  });

  it('says that ConverseStream is not implemented', async () => {
    const response = await request('POST', '/model/m/converse-stream', body());
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body).message).toMatch(/ConverseStream is not implemented/);
  });

  it('stops even while a client keeps its session open', async () => {
    const other = await startLocalModelEndpoint();
    const session = http2.connect(other.endpoint);
    await new Promise((resolve) => session.once('connect', resolve));
    const closed = new Promise((resolve) => session.once('close', resolve));
    session.on('error', () => {});
    await other.stop();
    await closed;
    expect(session.closed || session.destroyed).toBe(true);
  });
});
