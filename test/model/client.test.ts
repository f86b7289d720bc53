import type {
  BedrockRuntimeClient,
  ConverseCommand,
  ConverseCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { createModelClient } from '../../shared/model/client.ts';
import { ModelError } from '../../shared/model/errors.ts';
import { ORDER_ID, RETAIL_ROUTES, slot } from './fixtures.ts';

/** A BedrockRuntimeClient stand-in that records the commands it is sent. */
function stubClient(reply: (command: ConverseCommand) => Promise<Partial<ConverseCommandOutput>>) {
  const sent: ConverseCommand[] = [];
  const client = {
    send: (command: ConverseCommand) => {
      sent.push(command);
      return reply(command);
    },
  } as unknown as BedrockRuntimeClient;
  return { client, sent };
}

const toolCall = (input: unknown): Partial<ConverseCommandOutput> => ({
  output: {
    message: {
      role: 'assistant',
      content: [{ toolUse: { toolUseId: 't', name: 'record_understanding', input: input as never } }],
    },
  },
  stopReason: 'tool_use',
});

describe('createModelClient', () => {
  it('sends the built Converse input and records latency from the injected clock', async () => {
    const ticks = [100, 142.4];
    const { client, sent } = stubClient(async () => ({
      ...toolCall({ order_id: '#W1234567' }),
      usage: { inputTokens: 7, outputTokens: 3, totalTokens: 10 },
    }));
    const model = createModelClient({ client, modelId: 'm', now: () => ticks.shift()! });
    const { understanding, record } = await model.understand({
      message: 'W1234567',
      slots: [slot('order_id', ORDER_ID)],
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.input).toMatchObject({
      modelId: 'm',
      toolConfig: { toolChoice: { tool: { name: 'record_understanding' } } },
    });
    expect(understanding.slots).toEqual({ order_id: '#W1234567' });
    expect(record).toMatchObject({
      latencyMs: 42,
      usage: { inputTokens: 7, outputTokens: 3 },
      purpose: 'understand',
    });
    expect(record.requestHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records what the model proposed that failed its schema, and zero usage when none is reported', async () => {
    const { client } = stubClient(async () => toolCall({ order_id: 'W1234567', route: 'nowhere' }));
    const model = createModelClient({ client, modelId: 'm' });
    const { understanding, record } = await model.understand({
      message: 'x',
      slots: [slot('order_id', ORDER_ID)],
      routes: RETAIL_ROUTES,
    });
    expect(understanding).toEqual({
      slots: {},
      consent: null,
      route: null,
      act: 'none',
      faq: null,
      language: null,
    });
    expect(record).toMatchObject({
      purpose: 'route',
      rejected: ['order_id', 'route'],
      usage: { inputTokens: 0, outputTokens: 0 },
    });
  });

  it('treats an empty routes list as no routing', async () => {
    const { client, sent } = stubClient(async () => toolCall({}));
    const { record } = await createModelClient({ client, modelId: 'm' }).understand({
      message: 'x',
      slots: [],
      routes: [],
    });
    expect(record.purpose).toBe('understand');
    const json = sent[0]!.input.toolConfig?.tools?.[0]?.toolSpec?.inputSchema?.json as { properties: object };
    expect(Object.keys(json.properties)).toEqual(['act', 'language']);
  });

  it.each([
    ['ThrottlingException', 429, true],
    ['ModelTimeoutException', 408, true],
    ['InternalServerException', 500, true],
    ['AccessDeniedException', 403, false],
    ['ResourceNotFoundException', 404, false],
  ])('fails with a ModelError on %s (retryable: %s)', async (name, status, retryable) => {
    const sdkError = Object.assign(new Error('boom'), { name, $metadata: { httpStatusCode: status } });
    const { client } = stubClient(() => Promise.reject(sdkError));
    const error = await createModelClient({ client, modelId: 'm' })
      .understand({ message: 'x', slots: [] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'call_failed', modelId: 'm', retryable, cause: sdkError });
  });

  it('fails with output_invalid when the answer has no tool call', async () => {
    const { client } = stubClient(async () => ({
      output: { message: { role: 'assistant', content: [{ text: 'hi' }] } },
      stopReason: 'end_turn',
    }));
    const error = await createModelClient({ client, modelId: 'm' })
      .understand({ message: 'x', slots: [] })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ name: 'ModelError', code: 'output_invalid' });
  });
});
