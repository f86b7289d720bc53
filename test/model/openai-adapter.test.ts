import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { BedrockRuntimeClient, type ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConverseRequestSchema } from '../../infra/local/model-endpoint/converse.ts';
import {
  forwardToOpenAiCompatible,
  startOpenAiCompatibleAdapter,
} from '../../infra/local/model-endpoint/openai-adapter.ts';
import {
  fromChatCompletionsResponse,
  fromFetchFailure,
  toChatCompletionsRequest,
  type Upstream,
} from '../../infra/local/model-endpoint/openai-compatible.ts';
import type { LocalModelEndpoint } from '../../infra/local/model-endpoint/server.ts';
import { createModelClient } from '../../shared/model/client.ts';
import { isModelError, type ModelError } from '../../shared/model/errors.ts';
import {
  buildConverseInput,
  parseConverseOutput,
  type UnderstandRequest,
} from '../../shared/model/understanding.ts';
import { ORDER_ID, REASON, slot } from './fixtures.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/openai-compatible');
const fixture = (name: string) => JSON.parse(readFileSync(resolve(FIXTURES, name), 'utf8')) as unknown;

/** A recorded answer: the status and body text as a server sends them. */
interface Recorded {
  readonly shape: string;
  readonly status: number;
  readonly body: unknown;
}
const recorded = (name: string) => fixture(name) as Recorded;
const responseOf = (answer: Recorded) => ({ status: answer.status, text: JSON.stringify(answer.body) });

const MODEL = 'qwen2.5-7b-instruct';
const UPSTREAM: Upstream = { baseUrl: 'http://127.0.0.1:8080/v1', model: MODEL };

/** The request the recorded answers answer: the message and slots of `converse-request.json`. */
const CANCEL: UnderstandRequest = {
  message: "Please cancel order #W1234567, I don't need it anymore",
  slots: [slot('order_id', ORDER_ID), slot('reason', REASON)],
};

const converseRequest = () => ConverseRequestSchema.parse(fixture('converse-request.json'));

describe('toChatCompletionsRequest', () => {
  it('translates the recorded Converse request into the recorded chat-completions request', () => {
    expect(toChatCompletionsRequest(converseRequest(), MODEL)).toEqual(
      fixture('chat-completions-request.json'),
    );
  });

  it('is what the platform builds today, not only what was recorded', () => {
    const { modelId: _inPath, ...body } = buildConverseInput(CANCEL, MODEL);
    expect(ConverseRequestSchema.parse(JSON.parse(JSON.stringify(body)))).toEqual(converseRequest());
  });

  it('sends each tool spec as a function whose parameters are the input schema', () => {
    const chat = toChatCompletionsRequest(converseRequest(), MODEL);
    if (typeof chat === 'string') throw new Error(chat);
    const spec = converseRequest().toolConfig!.tools[0]!.toolSpec;
    expect(chat.tools).toEqual([
      {
        type: 'function',
        function: { name: spec.name, description: spec.description, parameters: spec.inputSchema.json },
      },
    ]);
  });

  it('forces the named tool, and maps `any` to required and `auto` to auto', () => {
    const request = converseRequest();
    const withChoice = (toolChoice: object) =>
      toChatCompletionsRequest(
        ConverseRequestSchema.parse({ ...request, toolConfig: { ...request.toolConfig, toolChoice } }),
        MODEL,
      );
    expect(withChoice({ tool: { name: 'record_understanding' } })).toMatchObject({
      tool_choice: { type: 'function', function: { name: 'record_understanding' } },
    });
    expect(withChoice({ any: {} })).toMatchObject({ tool_choice: 'required' });
    expect(withChoice({ auto: {} })).toMatchObject({ tool_choice: 'auto' });
  });

  it('carries temperature, max tokens, top-p and stop sequences under their chat-completions names', () => {
    const request = ConverseRequestSchema.parse({
      ...converseRequest(),
      inferenceConfig: { temperature: 0.2, maxTokens: 300, topP: 0.9, stopSequences: ['</done>'] },
    });
    expect(toChatCompletionsRequest(request, MODEL)).toMatchObject({
      temperature: 0.2,
      max_tokens: 300,
      top_p: 0.9,
      stop: ['</done>'],
      stream: false,
    });
  });

  it('joins text blocks, drops cache points, and refuses content it cannot carry', () => {
    const base = converseRequest();
    const withContent = (content: object[]) =>
      toChatCompletionsRequest(
        ConverseRequestSchema.parse({ ...base, messages: [{ role: 'user', content }] }),
        MODEL,
      );
    expect(
      withContent([{ text: 'one' }, { cachePoint: { type: 'default' } }, { text: 'two' }]),
    ).toMatchObject({
      messages: [{ role: 'system' }, { role: 'user', content: 'one\ntwo' }],
    });
    expect(withContent([{ image: { format: 'png', source: { bytes: 'AAAA' } } }])).toBe(
      'messages.0.content.0: the OpenAI-compatible adapter carries only text blocks, not image',
    );
  });
});

describe('fromChatCompletionsResponse', () => {
  const TOOL_CALLS = [
    ['llama.cpp', 'llama-cpp-tool-call.json', 'T1DkkDmeP1j7TdBtVYuNDbHT9h2hEPTu', 912, 31],
    ['vLLM', 'vllm-tool-call.json', 'chatcmpl-tool-e8cdb13de9204716960f82368dbc191d', 905, 29],
    ['OpenAI', 'openai-tool-call.json', 'call_Zq3nV8yKp2LmW4xR7tB1cD9e', 874, 26],
    ['Ollama', 'ollama-tool-call.json', 'call_k2x8v1ma', 898, 30],
  ] as const;

  it.each(TOOL_CALLS)(
    'turns a %s tool call into a Converse toolUse with usage and stopReason tool_use',
    (_server, file, toolUseId, inputTokens, outputTokens) => {
      const answer = fromChatCompletionsResponse(responseOf(recorded(file)), UPSTREAM, 1234.4);
      expect(answer).toEqual({
        status: 200,
        body: {
          output: {
            message: {
              role: 'assistant',
              content: [
                {
                  toolUse: {
                    toolUseId,
                    name: 'record_understanding',
                    input: { order_id: '#W1234567', reason: 'no longer needed', act: 'none' },
                  },
                },
              ],
            },
          },
          stopReason: 'tool_use',
          usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
          metrics: { latencyMs: 1234 },
        },
      });
      // And the platform reads it as it reads Bedrock's answer.
      const { understanding, rejected } = parseConverseOutput(
        answer.body as ConverseCommandOutput,
        CANCEL,
        MODEL,
      );
      expect(understanding.slots).toEqual({ order_id: '#W1234567', reason: 'no longer needed' });
      expect(rejected).toEqual([]);
    },
  );

  it('derives a Converse-shaped tool-use id when the server gives none that fits', () => {
    const body = recorded('llama-cpp-tool-call.json').body as {
      choices: { message: { tool_calls: { id: string | null }[] } }[];
    };
    body.choices[0]!.message.tool_calls[0]!.id = '';
    const answer = fromChatCompletionsResponse({ status: 200, text: JSON.stringify(body) }, UPSTREAM, 1);
    expect(answer.body).toMatchObject({
      output: {
        message: { content: [{ toolUse: { toolUseId: expect.stringMatching(/^tooluse_[\w-]{22}$/) } }] },
      },
    });
  });

  it('accepts arguments sent as an object instead of a JSON string', () => {
    const body = recorded('ollama-tool-call.json').body as {
      choices: { message: { tool_calls: { function: { arguments: unknown } }[] } }[];
    };
    body.choices[0]!.message.tool_calls[0]!.function.arguments = { order_id: '#W1234567' };
    const answer = fromChatCompletionsResponse({ status: 200, text: JSON.stringify(body) }, UPSTREAM, 1);
    expect(answer.body).toMatchObject({
      output: { message: { content: [{ toolUse: { input: { order_id: '#W1234567' } } }] } },
    });
  });

  it('turns a 429 into a ThrottlingException, which the model client retries', () => {
    expect(fromChatCompletionsResponse(responseOf(recorded('openai-429.json')), UPSTREAM, 1)).toEqual({
      status: 429,
      errorType: 'ThrottlingException',
      body: {
        message: expect.stringMatching(
          /^The model qwen2\.5-7b-instruct at http:\/\/127\.0\.0\.1:8080\/v1 is busy \(HTTP 429: Rate limit reached for gpt-4o-mini/,
        ),
      },
    });
  });

  it.each([
    ['llama.cpp 500', 'llama-cpp-500.json', 'HTTP 500: Failed to parse input at pos 0: <tool_call>'],
    ['llama.cpp 503 while loading', 'llama-cpp-503-loading.json', 'HTTP 503: Loading model'],
    ['vLLM 500', 'vllm-500.json', 'HTTP 500: CUDA out of memory. Tried to allocate 2.00 GiB'],
  ])('turns a %s into a ServiceUnavailableException with the server’s message', (_what, file, said) => {
    const answer = fromChatCompletionsResponse(responseOf(recorded(file)), UPSTREAM, 1);
    expect(answer.status).toBe(503);
    expect(answer.errorType).toBe('ServiceUnavailableException');
    expect((answer.body as { message: string }).message).toBe(
      `The model ${MODEL} at ${UPSTREAM.baseUrl} failed (${said}).`,
    );
  });

  it('turns a 404 for an unknown model into a ResourceNotFoundException', () => {
    const answer = fromChatCompletionsResponse(responseOf(recorded('ollama-404-model.json')), UPSTREAM, 1);
    expect(answer).toMatchObject({ status: 404, errorType: 'ResourceNotFoundException' });
    expect((answer.body as { message: string }).message).toContain(
      'model "qwen2.5:7b" not found, try pulling it first',
    );
  });

  it('refuses a reply without a tool call, naming the model and how to turn tool calling on', () => {
    const answer = fromChatCompletionsResponse(responseOf(recorded('no-tool-call.json')), UPSTREAM, 1);
    expect(answer).toMatchObject({ status: 400, errorType: 'ValidationException' });
    const { message } = answer.body as { message: string };
    const written = (recorded('no-tool-call.json').body as { choices: { message: { content: string } }[] })
      .choices[0]!.message.content;
    expect(message).toMatch(
      `The model ${MODEL} at ${UPSTREAM.baseUrl} answered without calling a tool (finish_reason stop); it wrote ${written.length} characters of text.`,
    );
    expect(message).toContain('llama.cpp: --jinja');
    // What the model wrote may echo the customer; the message (which reaches the logs) does not.
    expect(message).not.toContain('#W1234567');
  });

  it('refuses arguments that are not JSON without quoting them', () => {
    const answer = fromChatCompletionsResponse(
      responseOf(recorded('unparsable-arguments.json')),
      UPSTREAM,
      1,
    );
    expect(answer).toMatchObject({ status: 400, errorType: 'ValidationException' });
    const { message } = answer.body as { message: string };
    const { arguments: sent } = (
      recorded('unparsable-arguments.json').body as {
        choices: { message: { tool_calls: { function: { arguments: string } }[] } }[];
      }
    ).choices[0]!.message.tool_calls[0]!.function;
    expect(message).toBe(
      `The model ${MODEL} at ${UPSTREAM.baseUrl} called record_understanding with arguments that are not JSON (${sent.length} characters); the model's tool-call output is malformed.`,
    );
    expect(message).not.toContain('no lon');
  });

  it('refuses a 200 that is not a chat completion (a web page at the wrong base URL)', () => {
    const answer = fromChatCompletionsResponse(
      { status: 200, text: '<!doctype html><title>Open WebUI</title>' },
      UPSTREAM,
      1,
    );
    expect(answer).toMatchObject({ status: 400, errorType: 'ValidationException' });
    expect((answer.body as { message: string }).message).toContain('is not JSON: "<!doctype html>');
  });

  it('turns a refused connection or a timeout into a ServiceUnavailableException naming the base URL', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8080'), { code: 'ECONNREFUSED' }),
    });
    expect(fromFetchFailure(refused, UPSTREAM)).toEqual({
      status: 503,
      errorType: 'ServiceUnavailableException',
      body: {
        message: `Cannot reach the OpenAI-compatible server at ${UPSTREAM.baseUrl} for model ${MODEL}: connect ECONNREFUSED 127.0.0.1:8080`,
      },
    });
    const blocked = new TypeError('fetch failed', { cause: new Error('bad port') });
    expect((fromFetchFailure(blocked, UPSTREAM).body as { message: string }).message).toContain(
      'the port is one fetch refuses to connect to',
    );
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect((fromFetchFailure(timeout, UPSTREAM).body as { message: string }).message).toBe(
      `Cannot reach the OpenAI-compatible server at ${UPSTREAM.baseUrl} for model ${MODEL}: no answer in time (The operation was aborted due to timeout)`,
    );
  });
});

describe('forwardToOpenAiCompatible', () => {
  it('refuses a malformed Converse body before calling the server', async () => {
    let called = false;
    const answer = forwardToOpenAiCompatible({
      baseUrl: UPSTREAM.baseUrl,
      fetch: async () => {
        called = true;
        return new Response('{}');
      },
    });
    expect(await answer(MODEL, '{"messages": []}')).toMatchObject({
      status: 400,
      errorType: 'ValidationException',
    });
    expect(called).toBe(false);
  });

  it('answers a server that never answers as unavailable, after the timeout', async () => {
    const answer = forwardToOpenAiCompatible({
      baseUrl: UPSTREAM.baseUrl,
      timeoutMs: 50,
      fetch: (_url, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)),
        ),
    });
    const answered = await answer(MODEL, JSON.stringify(fixture('converse-request.json')));
    expect(answered).toMatchObject({ status: 503, errorType: 'ServiceUnavailableException' });
    expect((answered.body as { message: string }).message).toContain('no answer in time');
  });
});

/**
 * The whole path the handlers take: the real model client and `BedrockRuntimeClient` (HTTP/2, the
 * SDK's serialisation, error parsing and retries) → the adapter → a fake OpenAI-compatible server
 * (node:http) answering from the recorded fixtures.
 */
describe('the adapter between the model client and an OpenAI-compatible server', () => {
  let fake: Server;
  let baseUrl: string;
  let adapter: LocalModelEndpoint;
  /** What the fake server answers next, by fixture name. */
  let answerWith = 'llama-cpp-tool-call.json';
  let received: { method: string; url: string; body: unknown }[] = [];

  const modelClient = (maxAttempts = 1) => {
    const client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: adapter.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts,
    });
    clients.push(client);
    return createModelClient({ client, modelId: MODEL });
  };
  const clients: BedrockRuntimeClient[] = [];
  const failureOf = async (promise: Promise<unknown>): Promise<ModelError> => {
    const error = await promise.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    if (!isModelError(error)) throw new Error(`expected a ModelError, got ${String(error)}`);
    return error;
  };

  beforeAll(async () => {
    fake = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        received.push({
          method: request.method ?? '',
          url: request.url ?? '',
          body: text === '' ? undefined : JSON.parse(text),
        });
        const answer = recorded(answerWith);
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((done) => fake.listen(0, '127.0.0.1', done));
    baseUrl = `http://127.0.0.1:${(fake.address() as AddressInfo).port}/v1`;
    adapter = await startOpenAiCompatibleAdapter({ baseUrl });
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await adapter.stop();
    await new Promise<void>((done) => fake.close(() => done()));
  });

  beforeEach(() => {
    received = [];
    answerWith = 'llama-cpp-tool-call.json';
  });

  it('reads the understanding from the server’s tool call and records the server’s usage', async () => {
    const { understanding, record } = await modelClient().understand(CANCEL);
    expect(understanding).toEqual({
      slots: { order_id: '#W1234567', reason: 'no longer needed' },
      consent: null,
      route: null,
      act: 'none',
      faq: null,
      language: null,
    });
    expect(record).toMatchObject({
      purpose: 'understand',
      modelId: MODEL,
      rejected: [],
      usage: { inputTokens: 912, outputTokens: 31 },
    });
  });

  it('sends the server the translated request: system, user message, the tool, forced, temperature 0', async () => {
    await modelClient().understand(CANCEL);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/v1/chat/completions' });
    expect(received[0]!.body).toEqual(fixture('chat-completions-request.json'));
  });

  it('surfaces a 429 as a retryable ModelError, after the SDK has retried it', async () => {
    answerWith = 'openai-429.json';
    const error = await failureOf(modelClient(2).understand(CANCEL));
    expect(error).toMatchObject({ code: 'call_failed', retryable: true, modelId: MODEL });
    expect(error.message).toContain('ThrottlingException');
    expect(error.message).toContain(`The model ${MODEL} at ${baseUrl} is busy (HTTP 429`);
    // The SDK's standard retry treats ThrottlingException as retryable, as it does Bedrock's own.
    expect(received).toHaveLength(2);
  });

  it('surfaces a 500 as a retryable ModelError', async () => {
    answerWith = 'llama-cpp-500.json';
    const error = await failureOf(modelClient().understand(CANCEL));
    expect(error).toMatchObject({ code: 'call_failed', retryable: true });
    expect(error.message).toContain('ServiceUnavailableException');
  });

  it('surfaces a reply without a tool call as a ModelError no retry can cure, naming the model', async () => {
    answerWith = 'no-tool-call.json';
    const error = await failureOf(modelClient().understand(CANCEL));
    expect(error).toMatchObject({ code: 'call_failed', retryable: false });
    expect(error.message).toContain(`ValidationException: The model ${MODEL} at ${baseUrl} answered without`);
  });

  it('surfaces an unreachable server as a retryable ModelError naming its base URL', async () => {
    const closed = await closedPort();
    const orphan = await startOpenAiCompatibleAdapter({ baseUrl: `http://127.0.0.1:${closed}/v1` });
    const client = new BedrockRuntimeClient({
      region: 'us-east-1',
      endpoint: orphan.endpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
    });
    try {
      const error = await failureOf(createModelClient({ client, modelId: MODEL }).understand(CANCEL));
      expect(error).toMatchObject({ code: 'call_failed', retryable: true });
      expect(error.message).toContain(
        `ServiceUnavailableException: Cannot reach the OpenAI-compatible server at http://127.0.0.1:${closed}/v1 for model ${MODEL}: connect ECONNREFUSED`,
      );
    } finally {
      client.destroy();
      await orphan.stop();
    }
  });
});

/** A port nothing listens on: bound, read, released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}
