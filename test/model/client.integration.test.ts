import { createHash } from 'node:crypto';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalModelEndpoint, startLocalModelEndpoint } from '../../infra/local/model-endpoint/server.ts';
import { ASL_ERRORS } from '../../shared/aop/error-names.ts';
import { canonicalJson } from '../../shared/model/canonical-json.ts';
import { createModelClient, type ModelClient } from '../../shared/model/client.ts';
import { isModelError } from '../../shared/model/errors.ts';
import { buildConverseInput, type UnderstandRequest } from '../../shared/model/understanding.ts';
import { EMAIL, ITEM_ID, ORDER_ID, ORDER_ITEMS, REASON, RETAIL_ROUTES, slot } from './fixtures.ts';

/** A Bedrock model id with the characters a real one has (dots, a colon), so path encoding is exercised. */
const MODEL_ID = 'us.anthropic.claude-sonnet-4-20250514-v1:0';

const bedrockAt = (endpoint: string, maxAttempts?: number) =>
  new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...(maxAttempts !== undefined ? { maxAttempts } : {}),
  });

describe('createModelClient against the local model endpoint (real BedrockRuntimeClient)', () => {
  let endpoint: LocalModelEndpoint;
  let bedrock: BedrockRuntimeClient;
  let model: ModelClient;

  beforeAll(async () => {
    endpoint = await startLocalModelEndpoint({ port: 0 });
    bedrock = bedrockAt(`http://127.0.0.1:${endpoint.port}`);
    model = createModelClient({ client: bedrock, modelId: MODEL_ID });
  });

  afterAll(async () => {
    bedrock.destroy();
    await endpoint.stop();
  });

  const cancel: UnderstandRequest = {
    message: "Please cancel order W1234567, I don't need it anymore. My email is sara.doe496@example.com",
    slots: [slot('order_id', ORDER_ID), slot('reason', REASON), slot('email', EMAIL)],
  };

  it('extracts typed slots and records the call', async () => {
    const { understanding, record } = await model.understand(cancel);
    expect(understanding).toEqual({
      slots: { order_id: '#W1234567', reason: 'no longer needed', email: 'sara.doe496@example.com' },
      consent: null,
      route: null,
      act: 'none',
      faq: null,
      language: null,
    });
    expect(record).toMatchObject({
      purpose: 'understand',
      modelId: MODEL_ID,
      response: understanding,
      rejected: [],
    });
    expect(record.requestHash).toBe(
      createHash('sha256')
        .update(canonicalJson(buildConverseInput(cancel, MODEL_ID)))
        .digest('hex'),
    );
    expect(record.usage.inputTokens).toBeGreaterThan(0);
    expect(record.usage.outputTokens).toBeGreaterThan(0);
    expect(record.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('gives the same request hash to the same input, and another to another input', async () => {
    const first = await model.understand(cancel);
    const reordered = await model.understand({ slots: cancel.slots, message: cancel.message });
    const other = await model.understand({ ...cancel, message: 'cancel W7654321' });
    expect(reordered.record.requestHash).toBe(first.record.requestHash);
    expect(other.record.requestHash).not.toBe(first.record.requestHash);
    expect(other.understanding.slots).toEqual({ order_id: '#W7654321' });
  });

  it('reads a reply to a confirmation as a whole: agree, decline, question, conditional, unclear', async () => {
    const confirm = { question: 'Shall I cancel order #W1234567 and refund it to your gift card?' };
    const read = async (message: string) =>
      (await model.understand({ message, slots: [], confirm })).understanding.consent;
    expect(
      await Promise.all(
        [
          'yeah go ahead',
          'no, leave it',
          'how long does the refund take?',
          'yes if it goes to my visa',
          'hmm',
        ].map(read),
      ),
    ).toEqual(['agree', 'decline', 'question', 'conditional', 'unclear']);
  });

  it('routes a first message and records the call as routing', async () => {
    const { understanding, record } = await model.understand({
      message: 'Hi! I received my order #W2378156 but want to return the keyboard and the thermostat.',
      slots: [
        slot('order_id', ORDER_ID),
        {
          name: 'item_ids',
          description: 'Items to return',
          schema: { type: 'array', items: ITEM_ID },
          options: ORDER_ITEMS,
        },
      ],
      routes: RETAIL_ROUTES,
    });
    expect(understanding).toEqual({
      slots: { order_id: '#W2378156', item_ids: ['1151293680', '4983901480'] },
      consent: null,
      route: 'return-delivered-items',
      act: 'none',
      faq: null,
      language: null,
    });
    expect(record.purpose).toBe('route');
  });

  it('routes nowhere when no procedure fits', async () => {
    const { understanding } = await model.understand({
      message: 'hello there',
      slots: [],
      routes: RETAIL_ROUTES,
    });
    expect(understanding.route).toBeNull();
  });

  it('fails with a ModelError before calling when the request is invalid', async () => {
    const error = await model
      .understand({ message: 'x', slots: [slot('route', EMAIL)] })
      .catch((caught: unknown) => caught);
    expect(isModelError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'request_invalid', modelId: MODEL_ID, retryable: false });
  });

  it("surfaces the endpoint's ValidationException through the SDK, and wraps it as not retryable", async () => {
    const error = await bedrock
      .send(
        new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }),
      )
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    expect((error as Error).message).toMatch(/answers only with a tool call/);

    const stub = { send: () => Promise.reject(error) } as unknown as BedrockRuntimeClient;
    const wrapped = await createModelClient({ client: stub, modelId: MODEL_ID })
      .understand({ message: 'hi', slots: [] })
      .catch((caught: unknown) => caught);
    expect(wrapped).toMatchObject({ code: 'call_failed', retryable: false, cause: error });
    expect((wrapped as Error).message).toMatch(/ValidationException: The local model endpoint answers only/);
  });
});

describe('createModelClient when the endpoint is down', () => {
  it('fails with a retryable ModelError, named ModelUnavailable for the Retry, that keeps the SDK error as its cause', async () => {
    const gone = await startLocalModelEndpoint();
    await gone.stop();
    const bedrock = bedrockAt(gone.endpoint, 1);
    const model = createModelClient({ client: bedrock, modelId: MODEL_ID });
    const error = await model.understand({ message: 'hi', slots: [] }).catch((caught: unknown) => caught);
    bedrock.destroy();
    expect(isModelError(error)).toBe(true);
    expect(error).toMatchObject({
      name: ASL_ERRORS.modelUnavailable,
      code: 'call_failed',
      modelId: MODEL_ID,
      retryable: true,
    });
    expect((error as Error).message).toMatch(
      /^Converse call to model us\.anthropic\.claude-sonnet-4-20250514-v1:0 failed/,
    );
    expect((error as Error).cause).toBeInstanceOf(Error);
  });
});
