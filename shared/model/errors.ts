/** Why a model call did not produce an understanding. */
export type ModelErrorCode =
  /** The understand request itself is malformed (a bug in the caller, never retried). */
  | 'request_invalid'
  /** The Converse call failed: throttled, timed out, refused, unreachable. */
  | 'call_failed'
  /** The model answered, but not with a usable `record_understanding` tool call. */
  | 'output_invalid';

/**
 * The model could not be asked, or its answer could not be used. The name is stable because the step
 * that understands a message is retried by Step Functions on it (`retryable` says whether a retry can
 * help: throttling and timeouts can, a malformed request cannot).
 */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  readonly code: ModelErrorCode;
  readonly modelId: string;
  readonly retryable: boolean;

  constructor(
    message: string,
    options: {
      readonly code: ModelErrorCode;
      readonly modelId: string;
      readonly retryable?: boolean;
      readonly cause?: unknown;
    },
  ) {
    super(message, { cause: options.cause });
    this.code = options.code;
    this.modelId = options.modelId;
    this.retryable = options.retryable ?? false;
  }
}

export function isModelError(error: unknown): error is ModelError {
  return error instanceof Error && error.name === 'ModelError';
}
