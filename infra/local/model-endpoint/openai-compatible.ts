import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type ConverseAnswer, type ConverseRequest, validationError } from './converse.ts';

/**
 * Converse ⇄ OpenAI chat completions, as pure functions (no network), so the OpenAI-compatible adapter
 * can be proven against recorded answers. The handlers keep speaking Converse; these translate one
 * request to `POST <base>/chat/completions` and its answer (or failure) back to what Bedrock would
 * have said, including the error names the model client reads to decide whether a retry can help.
 */

/** Where the translated request goes: named in every error, so the developer knows which server failed. */
export interface Upstream {
  /** The server's base URL, under which `/chat/completions` and `/models` are. */
  readonly baseUrl: string;
  /** The model name sent as `model` (the Converse path's model id). */
  readonly model: string;
}

export interface ChatCompletionsRequest {
  readonly model: string;
  readonly messages: readonly { readonly role: 'system' | 'user' | 'assistant'; readonly content: string }[];
  readonly tools?: readonly {
    readonly type: 'function';
    readonly function: {
      readonly name: string;
      readonly description?: string;
      readonly parameters: Record<string, unknown>;
    };
  }[];
  readonly tool_choice?:
    | 'auto'
    | 'required'
    | { readonly type: 'function'; readonly function: { name: string } };
  readonly temperature?: number;
  readonly max_tokens?: number;
  readonly top_p?: number;
  readonly stop?: readonly string[];
  readonly stream: false;
}

/**
 * The chat-completions request for a Converse request, or why it cannot be translated. Only text
 * content is carried: the platform sends nothing else, and images, documents or earlier tool turns
 * would need a mapping nobody has tested. `cachePoint` blocks are Bedrock's prompt-cache hints and
 * change no meaning, so they are dropped.
 */
export function toChatCompletionsRequest(
  request: ConverseRequest,
  model: string,
): ChatCompletionsRequest | string {
  const messages: { role: 'system' | 'user' | 'assistant'; content: string }[] = [];
  const system = textOf(request.system ?? [], 'system');
  if (typeof system !== 'string') return system.error;
  if (system !== '') messages.push({ role: 'system', content: system });
  for (const [index, message] of request.messages.entries()) {
    const content = textOf(message.content, `messages.${index}`);
    if (typeof content !== 'string') return content.error;
    messages.push({ role: message.role, content });
  }

  const tools = request.toolConfig?.tools.map(({ toolSpec }) => ({
    type: 'function' as const,
    function: {
      name: toolSpec.name,
      ...(toolSpec.description !== undefined ? { description: toolSpec.description } : {}),
      parameters: toolSpec.inputSchema.json,
    },
  }));
  const choice = request.toolConfig?.toolChoice;
  const toolChoice =
    choice === undefined
      ? undefined
      : 'tool' in choice
        ? { type: 'function' as const, function: { name: choice.tool.name } }
        : 'any' in choice
          ? ('required' as const)
          : ('auto' as const);

  const inference = request.inferenceConfig ?? {};
  return {
    model,
    messages,
    ...(tools !== undefined ? { tools } : {}),
    ...(toolChoice !== undefined ? { tool_choice: toolChoice } : {}),
    ...(inference.temperature !== undefined ? { temperature: inference.temperature } : {}),
    ...(inference.maxTokens !== undefined ? { max_tokens: inference.maxTokens } : {}),
    ...(inference.topP !== undefined ? { top_p: inference.topP } : {}),
    ...(inference.stopSequences !== undefined ? { stop: inference.stopSequences } : {}),
    stream: false,
  };
}

function textOf(blocks: readonly Record<string, unknown>[], where: string): string | { error: string } {
  const texts: string[] = [];
  for (const [index, block] of blocks.entries()) {
    if (typeof block.text === 'string') texts.push(block.text);
    else if ('cachePoint' in block) continue;
    else
      return {
        error: `${where}.content.${index}: the OpenAI-compatible adapter carries only text blocks, not ${Object.keys(block).join(', ') || 'an empty block'}`,
      };
  }
  return texts.join('\n');
}

const ToolCallSchema = z.object({
  id: z.string().nullish(),
  function: z.object({
    name: z.string(),
    // A JSON string by the OpenAI spec; some servers send the object itself.
    arguments: z.union([z.string(), z.record(z.string(), z.unknown())]),
  }),
});

export const ChatCompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          tool_calls: z.array(ToolCallSchema).nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1, 'a chat completion has at least one choice'),
  usage: z
    .object({ prompt_tokens: z.number().int().min(0), completion_tokens: z.number().int().min(0) })
    .nullish(),
});

/** An upstream HTTP answer, as received: its status and its body text. */
export interface UpstreamResponse {
  readonly status: number;
  readonly text: string;
}

/**
 * The Converse answer for a chat-completions answer. Errors keep Bedrock's names and statuses, because
 * the model client decides retries by them (`isTransient`, shared/model/client.ts): 429 becomes
 * `ThrottlingException`, 5xx `ServiceUnavailableException`; an answer that cannot be used is a
 * `ValidationException`, which no retry cures at temperature 0.
 */
export function fromChatCompletionsResponse(
  response: UpstreamResponse,
  upstream: Upstream,
  latencyMs: number,
): ConverseAnswer {
  const who = `model ${upstream.model} at ${upstream.baseUrl}`;
  if (response.status < 200 || response.status >= 300) return upstreamError(response, who);

  let json: unknown;
  try {
    json = JSON.parse(response.text);
  } catch {
    return validationError(`The ${who} answered with something that is not JSON: ${excerpt(response.text)}`);
  }
  const parsed = ChatCompletionSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`,
    );
    return validationError(
      `The ${who} answered with something that is not a chat completion: ${issues.join('; ')}`,
    );
  }
  const choice = parsed.data.choices[0]!;
  const call = choice.message.tool_calls?.[0];
  if (call === undefined) {
    // How much, not what: the text may echo the customer's words, and this message reaches the logs.
    const said = choice.message.content
      ? `; it wrote ${choice.message.content.length} characters of text`
      : '';
    return validationError(
      `The ${who} answered without calling a tool (finish_reason ${String(choice.finish_reason)})${said}. The platform forces one tool call; serve the model with tool calling on (llama.cpp: --jinja; vLLM: --enable-auto-tool-choice and a --tool-call-parser; Ollama: a model with tool support).`,
    );
  }
  let input: unknown = call.function.arguments;
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch {
      // V8's parse message quotes the text, which may hold the customer's words: say where, not what.
      return validationError(
        `The ${who} called ${call.function.name} with arguments that are not JSON (${(input as string).length} characters); the model's tool-call output is malformed.`,
      );
    }
  }

  const inputTokens = parsed.data.usage?.prompt_tokens ?? 0;
  const outputTokens = parsed.data.usage?.completion_tokens ?? 0;
  return {
    status: 200,
    body: {
      output: {
        message: {
          role: 'assistant',
          content: [
            { toolUse: { toolUseId: toolUseIdOf(call.id, response.text), name: call.function.name, input } },
          ],
        },
      },
      stopReason: 'tool_use',
      usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens },
      metrics: { latencyMs: Math.max(0, Math.round(latencyMs)) },
    },
  };
}

function upstreamError(response: UpstreamResponse, who: string): ConverseAnswer {
  const said = `HTTP ${response.status}: ${errorMessageOf(response.text)}`;
  if (response.status === 429)
    return {
      status: 429,
      errorType: 'ThrottlingException',
      body: { message: `The ${who} is busy (${said}); try again later.` },
    };
  if (response.status >= 500)
    return {
      status: 503,
      errorType: 'ServiceUnavailableException',
      body: { message: `The ${who} failed (${said}).` },
    };
  if (response.status === 401 || response.status === 403)
    return {
      status: 403,
      errorType: 'AccessDeniedException',
      body: { message: `The ${who} refused the request (${said}); the adapter sends no API key.` },
    };
  if (response.status === 404)
    return {
      status: 404,
      errorType: 'ResourceNotFoundException',
      body: {
        message: `The ${who} was not found (${said}); check the model name and that the base URL ends where /chat/completions is (usually /v1).`,
      },
    };
  return validationError(`The ${who} rejected the request (${said}).`);
}

/**
 * The Converse answer when the server could not be asked at all (refused, unknown host, no answer in
 * time): a `ServiceUnavailableException`, retryable, naming the base URL.
 */
export function fromFetchFailure(error: unknown, upstream: Upstream): ConverseAnswer {
  return {
    status: 503,
    errorType: 'ServiceUnavailableException',
    body: {
      message: `Cannot reach the OpenAI-compatible server at ${upstream.baseUrl} for model ${upstream.model}: ${fetchFailureReason(error)}`,
    },
  };
}

/** Why a `fetch` failed, in the words of the layer that knows: undici hides the socket error in `cause`. */
export function fetchFailureReason(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return `no answer in time (${error.message})`;
  const cause = error instanceof Error ? (error.cause as { message?: unknown } | undefined) : undefined;
  if (cause?.message === 'bad port')
    return 'the port is one fetch refuses to connect to (the Fetch standard blocks some well-known ports); serve the model on another port, e.g. 8080';
  if (typeof cause?.message === 'string' && cause.message !== '') return cause.message;
  return error instanceof Error ? error.message : String(error);
}

/**
 * The message of an error body: OpenAI, llama.cpp and Ollama nest it as `error.message`; vLLM has
 * answered with a top-level `message`; some proxies send `error` as a string or plain text.
 */
export function errorMessageOf(text: string): string {
  try {
    const json = JSON.parse(text) as { error?: unknown; message?: unknown };
    const nested = (json.error as { message?: unknown } | undefined)?.message;
    if (typeof nested === 'string') return nested;
    if (typeof json.error === 'string') return json.error;
    if (typeof json.message === 'string') return json.message;
  } catch {
    // Not JSON: the text itself is the best message there is.
  }
  return excerpt(text);
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty)';
  return JSON.stringify(flat.length > 300 ? `${flat.slice(0, 300)}…` : flat);
}

/** Converse ids are `[a-zA-Z0-9_-]{1,64}`; a server's own id is kept when it fits, else one is derived. */
function toolUseIdOf(id: string | null | undefined, responseText: string): string {
  if (typeof id === 'string' && /^[a-zA-Z0-9_-]{1,64}$/.test(id)) return id;
  return `tooluse_${createHash('sha256').update(responseText).digest('base64url').slice(0, 22)}`;
}
