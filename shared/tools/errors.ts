/**
 * A tool refused or failed for a business reason (order not found, wrong status, balance too low).
 * It is an answer, not an outage: the runner records `tool.failed` and the procedure branches on it;
 * it is never retried. Infrastructure failures stay ordinary errors so Step Functions retries them.
 */
export class ToolError extends Error {
  override readonly name = 'ToolError';
  constructor(
    readonly tool: string,
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isToolError(error: unknown): error is ToolError {
  return error instanceof Error && error.name === 'ToolError';
}

/**
 * A write kept losing the race against concurrent writes to the same records. Nothing was
 * changed; the caller may retry the step (same idempotency key).
 */
export class WriteConflictError extends Error {
  override readonly name = 'WriteConflictError';
  constructor(
    readonly tool: string,
    readonly idempotencyKey: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(
      `${tool} (idempotency key "${idempotencyKey}") conflicted with concurrent writes ${attempts} times; ` +
        'nothing was changed. Retry the step with the same key.',
      options,
    );
  }
}

export function isWriteConflictError(error: unknown): error is WriteConflictError {
  return error instanceof Error && error.name === 'WriteConflictError';
}

/**
 * An idempotency key came back with a different tool or input. Keys are conversation + step + turn,
 * so this means two different actions were given the same key: returning the stored result would
 * silently answer the wrong call, and running the new call would break at-most-once.
 */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(
    readonly idempotencyKey: string,
    readonly storedTool: string,
    readonly requestedTool: string,
  ) {
    super(
      `Idempotency key "${idempotencyKey}" was first used by ${storedTool} with other input; ` +
        `${requestedTool} cannot reuse it. Give each distinct action its own key (conversation + step + turn).`,
    );
  }
}

export function isIdempotencyKeyReusedError(error: unknown): error is IdempotencyKeyReusedError {
  return error instanceof Error && error.name === 'IdempotencyKeyReusedError';
}
