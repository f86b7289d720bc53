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
