import { createHash } from 'node:crypto';
import { z } from 'zod';
import { extractToolInput } from './engine.ts';

/**
 * The Converse operation of the local model endpoint, apart from HTTP so it can be tested in-process:
 * a Converse request body in, a Converse response (or a Bedrock-style error) out. It answers only with
 * a tool call: the platform always forces one (`toolChoice.tool`), and free text is beyond the engine.
 */

const ContentBlockSchema = z.record(z.string(), z.unknown());

export const ConverseRequestSchema = z.object({
  messages: z
    .array(
      z.object({
        role: z.enum(['user', 'assistant']),
        content: z.array(ContentBlockSchema).min(1, 'a message needs at least one content block'),
      }),
    )
    .min(1, 'a conversation needs at least one message'),
  system: z.array(ContentBlockSchema).optional(),
  inferenceConfig: z
    .object({
      maxTokens: z.number().int().min(1).optional(),
      temperature: z.number().min(0).max(1).optional(),
      topP: z.number().min(0).max(1).optional(),
      stopSequences: z.array(z.string()).optional(),
    })
    .optional(),
  toolConfig: z
    .object({
      tools: z
        .array(
          z.object({
            toolSpec: z.object({
              name: z
                .string()
                .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'a tool name is 1-64 letters, digits, "_" or "-"'),
              description: z.string().optional(),
              inputSchema: z.object({ json: z.record(z.string(), z.unknown()) }),
            }),
          }),
        )
        .min(1, 'toolConfig needs at least one tool'),
      toolChoice: z
        .union([
          z.object({ tool: z.object({ name: z.string() }) }),
          z.object({ any: z.object({}) }),
          z.object({ auto: z.object({}) }),
        ])
        .optional(),
    })
    .optional(),
});
export type ConverseRequest = z.infer<typeof ConverseRequestSchema>;

export interface ConverseAnswer {
  readonly status: number;
  /** The `x-amzn-errortype` the SDK reads the error's name from, on errors. */
  readonly errorType?: string;
  readonly body: unknown;
}

/** Answers one Converse request body for the given model id. */
export function answerConverse(modelId: string, rawBody: string): ConverseAnswer {
  const started = performance.now();
  const read = readConverseRequest(rawBody);
  if ('refusal' in read) return read.refusal;
  const { request } = read;
  const last = request.messages[request.messages.length - 1]!;
  const tool = chosenTool(request);
  if (typeof tool === 'string') return validationError(tool);

  const userText = textOf(last.content);
  const input = extractToolInput(tool.inputSchema.json, userText);
  const outputJson = JSON.stringify(input);
  const inputTokens = roughTokens(
    [
      ...(request.system ?? []).map((block) => textOf([block])),
      ...request.messages.map((message) => textOf(message.content)),
      JSON.stringify(request.toolConfig),
    ].join(' '),
  );
  const outputTokens = roughTokens(outputJson);
  return {
    status: 200,
    body: {
      output: {
        message: {
          role: 'assistant',
          content: [{ toolUse: { toolUseId: toolUseIdOf(modelId, rawBody), name: tool.name, input } }],
        },
      },
      stopReason: 'tool_use',
      usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
      metrics: { latencyMs: Math.max(1, Math.round(performance.now() - started)) },
    },
  };
}

/**
 * A Converse request body read as Bedrock reads it, or the ValidationException Bedrock would answer.
 * Shared with the OpenAI-compatible adapter, so both refuse the same malformed requests the same way.
 */
export function readConverseRequest(
  rawBody: string,
): { readonly request: ConverseRequest } | { readonly refusal: ConverseAnswer } {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    return {
      refusal: validationError(`Malformed input request: the body is not JSON (${(error as Error).message})`),
    };
  }
  const parsed = ConverseRequestSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
    );
    return { refusal: validationError(`Malformed input request: ${issues.join('; ')}`) };
  }
  const request = parsed.data;
  if (request.messages[request.messages.length - 1]!.role !== 'user') {
    return {
      refusal: validationError(
        'A conversation must end with a user message. Try again with a user message last.',
      ),
    };
  }
  return { request };
}

type ToolSpec = NonNullable<ConverseRequest['toolConfig']>['tools'][number]['toolSpec'];

function chosenTool(request: ConverseRequest): ToolSpec | string {
  const tools = request.toolConfig?.tools.map((tool) => tool.toolSpec) ?? [];
  const choice = request.toolConfig?.toolChoice;
  if (choice !== undefined && 'tool' in choice) {
    const named = tools.find((tool) => tool.name === choice.tool.name);
    return (
      named ??
      `toolChoice names tool "${choice.tool.name}", which is not in toolConfig.tools (${tools.map((tool) => tool.name).join(', ')})`
    );
  }
  if (tools.length === 1) return tools[0]!;
  return tools.length === 0
    ? 'The local model endpoint answers only with a tool call: give toolConfig with the tool to call. It does not write free text.'
    : `The local model endpoint cannot choose between ${tools.length} tools: name one with toolChoice.tool`;
}

function textOf(content: readonly Record<string, unknown>[]): string {
  return content
    .map((block) => (typeof block.text === 'string' ? block.text : ''))
    .filter((text) => text !== '')
    .join('\n');
}

/** A rough count of words, enough for usage figures; not any model's tokenizer. */
function roughTokens(text: string): number {
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).length;
}

/** Deterministic, so a replayed request gets the same tool-use id. */
function toolUseIdOf(modelId: string, rawBody: string): string {
  const digest = createHash('sha256').update(modelId).update('\n').update(rawBody).digest('base64url');
  return `tooluse_${digest.slice(0, 22)}`;
}

export function validationError(message: string): ConverseAnswer {
  return { status: 400, errorType: 'ValidationException', body: { message } };
}
