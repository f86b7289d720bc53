import type { ConverseCommandOutput } from '@aws-sdk/client-bedrock-runtime';
import { describe, expect, it } from 'vitest';
import { isModelError } from '../../shared/model/errors.ts';
import {
  buildConverseInput,
  parseConverseOutput,
  SYSTEM_PROMPT,
  UNDERSTANDING_TOOL,
  type UnderstandRequest,
  UnderstandRequestSchema,
} from '../../shared/model/understanding.ts';
import { EMAIL, ITEM_ID, ORDER_ID, ORDER_ITEMS, REASON, RETAIL_ROUTES, slot } from './fixtures.ts';

const MODEL = 'us.anthropic.claude-sonnet-4-20250514-v1:0';

const request: UnderstandRequest = {
  message: 'Cancel W1234567 please',
  slots: [
    slot(
      'order_id',
      { $schema: 'https://json-schema.org/draft/2020-12/schema', ...ORDER_ID },
      'The order to cancel',
    ),
    {
      name: 'item_ids',
      description: 'Items to return',
      schema: { type: 'array', items: ITEM_ID },
      options: ORDER_ITEMS,
    },
    { name: 'item_id', description: 'One item', schema: ITEM_ID, options: ORDER_ITEMS.slice(0, 1) },
  ],
  confirm: { question: 'Shall I cancel\norder #W1234567?' },
  routes: RETAIL_ROUTES.slice(0, 2),
  context: 'The agent asked which order.',
};

/** A Converse answer whose tool call has this input. */
function answer(input: unknown, name = UNDERSTANDING_TOOL): ConverseCommandOutput {
  return {
    output: {
      message: {
        role: 'assistant',
        content: [{ toolUse: { toolUseId: 't1', name, input: input as never } }],
      },
    },
    stopReason: 'tool_use',
    usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
    metrics: { latencyMs: 1 },
    $metadata: {},
  };
}

function caught(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('buildConverseInput', () => {
  const input = buildConverseInput(request, MODEL);
  const schema = input.toolConfig?.tools?.[0]?.toolSpec?.inputSchema?.json as {
    properties: Record<string, Record<string, unknown>>;
  };

  it('forces the one understanding tool at temperature 0', () => {
    expect(input.modelId).toBe(MODEL);
    expect(input.toolConfig?.tools).toHaveLength(1);
    expect(input.toolConfig?.tools?.[0]?.toolSpec?.name).toBe(UNDERSTANDING_TOOL);
    expect(input.toolConfig?.toolChoice).toEqual({ tool: { name: UNDERSTANDING_TOOL } });
    expect(input.inferenceConfig).toEqual({ temperature: 0, maxTokens: 1024 });
  });

  it('tells the model to extract only what was said', () => {
    expect(input.system).toEqual([{ text: SYSTEM_PROMPT }]);
    expect(SYSTEM_PROMPT).toMatch(/extract only what the customer said/i);
    expect(SYSTEM_PROMPT).toMatch(/never invent/i);
  });

  it('sends the customer text and the context in tagged sections of one user message', () => {
    expect(input.messages).toEqual([
      {
        role: 'user',
        content: [
          {
            text: '<context>\nThe agent asked which order.\n</context>\n<customer_message>\nCancel W1234567 please\n</customer_message>',
          },
        ],
      },
    ]);
  });

  it('makes each slot an optional property with its description, without $schema', () => {
    expect(schema).toMatchObject({ type: 'object', additionalProperties: false });
    expect(schema).not.toHaveProperty('required');
    expect(schema.properties.order_id).toEqual({
      type: 'string',
      pattern: '^#W\\d{7}$',
      description: 'The order to cancel',
    });
  });

  it('writes options as oneOf consts, on the items of an array slot', () => {
    expect(schema.properties.item_id?.oneOf).toEqual([
      { const: ORDER_ITEMS[0]!.value, title: ORDER_ITEMS[0]!.label },
    ]);
    expect(schema.properties.item_ids?.items).toEqual({
      ...ITEM_ID,
      oneOf: ORDER_ITEMS.map((item) => ({ const: item.value, title: item.label })),
    });
  });

  it('adds consent (five kinds) with the question, act always, and route with each id and its when', () => {
    expect(schema.properties.consent).toMatchObject({
      type: 'string',
      enum: ['agree', 'decline', 'question', 'conditional', 'unclear'],
    });
    expect(schema.properties.consent?.description).toContain('"Shall I cancel order #W1234567?"');
    expect(schema.properties.act?.enum).toContain('human');
    expect(schema.properties.route?.enum).toEqual(['cancel-pending-order', 'return-delivered-items']);
    expect(schema.properties.route?.description).toContain(
      '- cancel-pending-order: The customer wants to cancel an order that has not shipped yet.',
    );
  });

  it('leaves out consent, route and faq when not asked, and the context when empty', () => {
    const plain = buildConverseInput({ message: 'hi', slots: [] }, MODEL);
    const json = plain.toolConfig?.tools?.[0]?.toolSpec?.inputSchema?.json as { properties: object };
    expect(Object.keys(json.properties)).toEqual(['act', 'language']);
    expect(plain.messages?.[0]?.content?.[0]?.text).toBe('<customer_message>\nhi\n</customer_message>');
  });

  it('is deterministic', () => {
    expect(buildConverseInput(request, MODEL)).toEqual(input);
  });
});

describe('UnderstandRequestSchema', () => {
  it('fails when a slot takes a reserved or duplicate name, listing every problem', () => {
    const result = UnderstandRequestSchema.safeParse({
      message: 'x',
      slots: [slot('route', EMAIL), slot('email', EMAIL), slot('email', EMAIL), slot('bad name', EMAIL)],
      routes: [RETAIL_ROUTES[0], RETAIL_ROUTES[0]],
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join('.')).sort()).toEqual([
      'routes.1.id',
      'slots.0.name',
      'slots.2.name',
      'slots.3.name',
    ]);
  });
});

describe('parseConverseOutput', () => {
  it('reads slots, consent, act and route from the tool input', () => {
    const parsed = parseConverseOutput(
      answer({
        order_id: '#W1234567',
        item_ids: [ORDER_ITEMS[1]!.value],
        consent: 'agree',
        act: 'none',
        route: 'cancel-pending-order',
      }),
      request,
      MODEL,
    );
    expect(parsed).toEqual({
      understanding: {
        slots: { order_id: '#W1234567', item_ids: [ORDER_ITEMS[1]!.value] },
        consent: 'agree',
        route: 'cancel-pending-order',
        act: 'none',
        faq: null,
        language: null,
      },
      rejected: [],
    });
  });

  it('drops and reports values that fail their schema or are not among the options', () => {
    const parsed = parseConverseOutput(
      answer({
        order_id: 'W1234567',
        item_ids: ['0000000000'],
        item_id: ORDER_ITEMS[1]!.value,
        consent: 'yes',
        act: 'shout',
        route: 'refund-everything',
      }),
      request,
      MODEL,
    );
    expect(parsed.understanding).toEqual({
      slots: {},
      consent: null,
      route: null,
      act: 'none',
      faq: null,
      language: null,
    });
    expect(parsed.rejected).toEqual(['order_id', 'item_ids', 'item_id', 'consent', 'act', 'route']);
  });

  it('ignores nulls, unknown properties, and a confirmation or route that was not asked for', () => {
    const parsed = parseConverseOutput(
      answer({
        order_id: null,
        surprise: 1,
        consent: 'agree',
        route: 'cancel-pending-order',
        reason: 'no longer needed',
      }),
      { message: 'x', slots: [slot('order_id', ORDER_ID), slot('reason', REASON)] },
      MODEL,
    );
    expect(parsed).toEqual({
      understanding: {
        slots: { reason: 'no longer needed' },
        consent: null,
        route: null,
        act: 'none',
        faq: null,
        language: null,
      },
      rejected: [],
    });
  });

  it('fails with a ModelError when the model did not call the tool', () => {
    const text: ConverseCommandOutput = {
      output: { message: { role: 'assistant', content: [{ text: 'Sure!' }] } },
      stopReason: 'end_turn',
      usage: undefined,
      metrics: undefined,
      $metadata: {},
    };
    expect(() => parseConverseOutput(text, request, MODEL)).toThrow(
      /did not call the record_understanding tool/,
    );
    expect(() => parseConverseOutput(answer({}, 'other_tool'), request, MODEL)).toThrow(/end_turn|tool_use/);
    const error = caught(() => parseConverseOutput(text, request, MODEL));
    expect(isModelError(error)).toBe(true);
    expect(error).toMatchObject({
      name: 'ModelError',
      code: 'output_invalid',
      modelId: MODEL,
      retryable: false,
    });
  });

  it('fails with a ModelError when the tool input is not an object', () => {
    expect(() => parseConverseOutput(answer(['#W1234567']), request, MODEL)).toThrow(
      /with an array as input/,
    );
  });
});
