import { ASL_ERRORS } from '../aop/error-names.ts';

/** Why a model call did not produce an understanding. */
export type ModelErrorCode =
  /** The understand request itself is malformed (a bug in the caller, never retried). */
  | 'request_invalid'
  /** The Converse call failed: throttled, timed out, refused, unreachable. */
  | 'call_failed'
  /** The model answered, but not with a usable `record_understanding` tool call. */
  | 'output_invalid';

/**
 * The model could not be asked, or its answer could not be used. `retryable` says whether a retry can
 * help (throttling and timeouts can, a malformed request cannot), and the name says it to Step
 * Functions: a retryable error is named `ModelUnavailable`, which every step's `Retry` retries; any
 * other is `ModelError`, which no `Retry` names, so the turn hands over with its message at once
 * (shared/aop/error-names.ts).
 */
export class ModelError extends Error {
  override readonly name: typeof ASL_ERRORS.modelUnavailable | typeof ASL_ERRORS.modelFailed;
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
    this.name = this.retryable ? ASL_ERRORS.modelUnavailable : ASL_ERRORS.modelFailed;
  }
}

export function isModelError(error: unknown): error is ModelError {
  return (
    error instanceof Error &&
    (error.name === ASL_ERRORS.modelFailed || error.name === ASL_ERRORS.modelUnavailable)
  );
}
