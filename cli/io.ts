/**
 * Where a command writes, and the errors that end it with a usage line. Kept free of imports so that
 * `aop help` and a wrong flag load nothing else.
 */

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Paths given on the command line are relative to it. Default: process.cwd(). */
  readonly cwd?: string;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** A problem with what the user asked for: printed as one line without a stack, exit 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export const isCliUsageError = (error: unknown): error is CliUsageError =>
  error instanceof Error && error.name === 'CliUsageError';

/** Colour on a terminal unless NO_COLOR is set (https://no-color.org); FORCE_COLOR turns it on. */
export function useColor(
  stream: { readonly isTTY?: boolean } = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

/**
 * Progress of long work on stderr, one line rewritten in place; only on a terminal and never with
 * --json, so that pipes, logs and scripts see the result alone.
 */
export interface Progress {
  update(text: string): void;
  done(): void;
}

export function progressOn(
  enabled: boolean,
  stream: { readonly isTTY?: boolean; write(text: string): unknown } = process.stderr,
): Progress {
  if (!enabled || stream.isTTY !== true) return { update() {}, done() {} };
  let shown = false;
  return {
    update(text) {
      stream.write(`\r\u001b[K${text}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\u001b[K');
      shown = false;
    },
  };
}
