/**
 * Runtime errors of audit and replay. Each names the conversation and, where one exists, the seq or
 * turn, so a compliance reviewer can find the spot in `aop audit show`.
 */

/**
 * Replay met a call the recording cannot answer: the code asked the model or a tool something the
 * recorded conversation never asked. Replay never makes a real call (it must not have side effects),
 * so it stops here instead of guessing.
 */
export class ReplayDivergenceError extends Error {
  override readonly name = 'ReplayDivergenceError';
  readonly conversationId: string;
  readonly turn: number;
  readonly kind: 'model' | 'tool' | 'ownership';

  constructor(props: {
    readonly conversationId: string;
    readonly turn: number;
    readonly kind: 'model' | 'tool' | 'ownership';
    readonly message: string;
  }) {
    super(`Replay of "${props.conversationId}" turn ${props.turn}: ${props.message}`);
    this.conversationId = props.conversationId;
    this.turn = props.turn;
    this.kind = props.kind;
  }
}

export function isReplayDivergenceError(error: unknown): error is ReplayDivergenceError {
  return error instanceof Error && error.name === 'ReplayDivergenceError';
}

/**
 * What-if replay reached a call that was never recorded with these arguments. It is shown, not made
 * (what-if has no side effects), and the turn stops there because its result is unknown.
 */
export class WouldCallError extends Error {
  override readonly name = 'WouldCallError';
  readonly turn: number;
  readonly call: string;

  constructor(props: { readonly turn: number; readonly call: string }) {
    super(`would ${props.call} (not recorded; not made)`);
    this.turn = props.turn;
    this.call = props.call;
  }
}

export function isWouldCallError(error: unknown): error is WouldCallError {
  return error instanceof Error && error.name === 'WouldCallError';
}

/** A recorded conversation replay cannot start from (not a conversation, no such procedure). */
export class ReplayInputError extends Error {
  override readonly name = 'ReplayInputError';
  readonly conversationId: string;

  constructor(conversationId: string, message: string, options?: { cause?: unknown }) {
    super(`Cannot replay "${conversationId}": ${message}`, options);
    this.conversationId = conversationId;
  }
}

export function isReplayInputError(error: unknown): error is ReplayInputError {
  return error instanceof Error && error.name === 'ReplayInputError';
}

/** An export file or its manifest is not in the export format (as opposed to: it does not verify). */
export class ExportFormatError extends Error {
  override readonly name = 'ExportFormatError';
  readonly file: string;

  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super(`${file}: ${message}`, options);
    this.file = file;
  }
}

export function isExportFormatError(error: unknown): error is ExportFormatError {
  return error instanceof Error && error.name === 'ExportFormatError';
}

/**
 * A digest with this index is already stored: digests are written once and never replaced, so two
 * writers racing for the same turn end both read the same previous digest and one of them loses.
 */
export class DigestExistsError extends Error {
  override readonly name = 'DigestExistsError';
  readonly conversationId: string;
  readonly index: number;

  constructor(conversationId: string, index: number, options?: { cause?: unknown }) {
    super(`Digest ${index} of "${conversationId}" is already stored; digests are never overwritten`, options);
    this.conversationId = conversationId;
    this.index = index;
  }
}

export function isDigestExistsError(error: unknown): error is DigestExistsError {
  return error instanceof Error && error.name === 'DigestExistsError';
}
