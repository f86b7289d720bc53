import { createHash } from 'node:crypto';
import {
  type BedrockRuntimeClient,
  ConverseCommand,
  type ConverseCommandOutput,
} from '@aws-sdk/client-bedrock-runtime';
import { canonicalJson } from './canonical-json.ts';
import { isModelError, ModelError } from './errors.ts';
import {
  buildConverseInput,
  parseConverseOutput,
  type Understanding,
  type UnderstandRequest,
  UnderstandRequestSchema,
} from './understanding.ts';

/**
 * What a model call leaves in the event log (`model.called`): enough to audit it and to replay the
 * conversation without calling the model again.
 */
export interface ModelCallRecord {
  /** `route` when the request offered procedures to choose from, otherwise `understand`. */
  readonly purpose: 'understand' | 'route';
  readonly modelId: string;
  /** sha256 hex of the canonical JSON of the Converse input: equal inputs, equal hashes. */
  readonly requestHash: string;
  /** The parsed understanding (what the turn engine acted on). */
  readonly response: Understanding;
  /** Proposed values that failed their schema and were dropped (slot names, `confirmed`, `route`). */
  readonly rejected: readonly string[];
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
  readonly latencyMs: number;
}

export interface ModelClient {
  understand(request: UnderstandRequest): Promise<{ understanding: Understanding; record: ModelCallRecord }>;
}

export interface ModelClientOptions {
  /** Built once by the platform's client factory; locally it points at the local model endpoint. */
  readonly client: BedrockRuntimeClient;
  /** A Bedrock model id or inference profile, e.g. `us.anthropic.claude-sonnet-4-20250514-v1:0`. */
  readonly modelId: string;
  /** Milliseconds since an arbitrary origin; injectable so tests can pin latency. */
  readonly now?: () => number;
}

/** Errors a retry can cure: the service was busy, slow or briefly broken. */
const RETRYABLE = new Set([
  'ThrottlingException',
  'ServiceUnavailableException',
  'InternalServerException',
  'ModelTimeoutException',
  'ModelNotReadyException',
  'TimeoutError',
]);

export function createModelClient({
  client,
  modelId,
  now = () => performance.now(),
}: ModelClientOptions): ModelClient {
  return {
    async understand(raw) {
      const parsed = UnderstandRequestSchema.safeParse(raw);
      if (!parsed.success) {
        throw new ModelError(`Understand request is invalid: ${parsed.error.message}`, {
          code: 'request_invalid',
          modelId,
          cause: parsed.error,
        });
      }
      const request = parsed.data;
      const input = buildConverseInput(request, modelId);
      const requestHash = createHash('sha256').update(canonicalJson(input)).digest('hex');

      const started = now();
      let output: ConverseCommandOutput;
      try {
        output = await client.send(new ConverseCommand(input));
      } catch (error) {
        throw callFailed(error, modelId);
      }
      const latencyMs = Math.max(0, Math.round(now() - started));

      const { understanding, rejected } = parseConverseOutput(output, request, modelId);
      return {
        understanding,
        record: {
          purpose: request.routes !== undefined && request.routes.length > 0 ? 'route' : 'understand',
          modelId,
          requestHash,
          response: understanding,
          rejected,
          usage: {
            inputTokens: output.usage?.inputTokens ?? 0,
            outputTokens: output.usage?.outputTokens ?? 0,
          },
          latencyMs,
        },
      };
    },
  };
}

function callFailed(error: unknown, modelId: string): ModelError {
  if (isModelError(error)) return error;
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return new ModelError(`Converse call to model ${modelId} failed: ${name}: ${message}`, {
    code: 'call_failed',
    modelId,
    retryable: isTransient(error, name),
    cause: error,
  });
}

/**
 * A retry can help when the service said so, was busy or broken (429, 5xx), or never answered
 * (a network error: no HTTP status, a Node error code such as ECONNREFUSED).
 */
function isTransient(error: unknown, name: string): boolean {
  if (RETRYABLE.has(name)) return true;
  if (typeof error !== 'object' || error === null) return false;
  const details = error as { $retryable?: unknown; $metadata?: { httpStatusCode?: number }; code?: unknown };
  if (details.$retryable) return true;
  const status = details.$metadata?.httpStatusCode;
  if (status !== undefined) return status === 429 || status >= 500;
  return typeof details.code === 'string';
}
