/**
 * `npm start` cannot go on as asked: a malformed flag or model choice, missing AWS credentials or
 * region, an OpenAI-compatible server that does not answer. The message is written for the developer
 * at the terminal: what is missing, the value received, and what to change. `start.ts` prints it alone,
 * without a stack trace, and exits with code 1.
 */
export class StartupError extends Error {
  override readonly name = 'StartupError';

  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super(message, { cause: options.cause });
  }
}

export function isStartupError(error: unknown): error is StartupError {
  return error instanceof Error && error.name === 'StartupError';
}
