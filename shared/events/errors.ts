/**
 * Runtime errors of the event store. Names are stable (Step Functions `Retry`/`Catch` match on them).
 * DynamoDB outages are not wrapped: they stay SDK errors so the usual retry policies apply.
 */

export type ConflictReason =
  /** Another writer stored an event at the next seq first. */
  | 'version-taken'
  /** The stream has fewer events than `expectedVersion`. */
  | 'version-missing'
  /** DynamoDB cancelled the write because a concurrent transaction touched the same items. */
  | 'transaction-conflict';

/**
 * The stream is not at the version the caller decided on. Appending anyway would build on facts the
 * caller never saw, so nothing was written: re-read, decide again, append with the new version.
 */
export class ConcurrencyConflictError extends Error {
  override readonly name = 'ConcurrencyConflictError';
  readonly conversationId: string;
  readonly expectedVersion: number;
  readonly actualVersion: number | undefined;
  readonly reason: ConflictReason;

  constructor(
    props: {
      readonly conversationId: string;
      readonly expectedVersion: number;
      readonly reason: ConflictReason;
      readonly actualVersion?: number;
    },
    options?: { cause?: unknown },
  ) {
    const actual = props.actualVersion === undefined ? '' : ` (it is at version ${props.actualVersion})`;
    super(
      `Conversation "${props.conversationId}" is not at version ${props.expectedVersion}${actual}: ${props.reason}. ` +
        'Nothing was written; read the new events, decide again and append with the current version.',
      options,
    );
    this.conversationId = props.conversationId;
    this.expectedVersion = props.expectedVersion;
    this.actualVersion = props.actualVersion;
    this.reason = props.reason;
  }
}

export function isConcurrencyConflictError(error: unknown): error is ConcurrencyConflictError {
  return error instanceof Error && error.name === 'ConcurrencyConflictError';
}

/**
 * One of the items an append wrote along with its events (`AppendOptions.with`) failed its condition,
 * so nothing was written. `label` is the label the caller gave the item.
 */
export class AppendConditionFailedError extends Error {
  override readonly name = 'AppendConditionFailedError';
  constructor(
    readonly conversationId: string,
    readonly label: string,
    options?: { cause?: unknown },
  ) {
    super(
      `The append to conversation "${conversationId}" was refused: its condition "${label}" did not hold. Nothing was written.`,
      options,
    );
  }
}

export function isAppendConditionFailedError(error: unknown): error is AppendConditionFailedError {
  return error instanceof Error && error.name === 'AppendConditionFailedError';
}

export type AppendLimit = 'transaction-items' | 'transaction-size' | 'item-size';

/** An append DynamoDB would refuse for its size; refused before any write with the numbers involved. */
export class AppendLimitError extends Error {
  override readonly name = 'AppendLimitError';
  readonly conversationId: string;
  readonly limit: AppendLimit;
  readonly received: number;
  readonly max: number;

  constructor(props: {
    readonly conversationId: string;
    readonly limit: AppendLimit;
    readonly received: number;
    readonly max: number;
    readonly hint: string;
  }) {
    super(
      `Append to "${props.conversationId}" exceeds the ${props.limit} limit: ${props.received} > ${props.max}. ${props.hint}`,
    );
    this.conversationId = props.conversationId;
    this.limit = props.limit;
    this.received = props.received;
    this.max = props.max;
  }
}

export function isAppendLimitError(error: unknown): error is AppendLimitError {
  return error instanceof Error && error.name === 'AppendLimitError';
}

export type InvalidAppendReason =
  | 'invalid-conversation-id'
  | 'invalid-options'
  | 'empty-append'
  | 'invalid-event';

/** The caller asked for something the store will never do (a bug, not a transient failure). */
export class InvalidAppendError extends Error {
  override readonly name = 'InvalidAppendError';
  readonly conversationId: string;
  readonly reason: InvalidAppendReason;
  /** Index in the appended batch of the offending event, for `invalid-event`. */
  readonly index: number | undefined;

  constructor(
    props: {
      readonly conversationId: string;
      readonly reason: InvalidAppendReason;
      readonly message: string;
      readonly index?: number;
    },
    options?: { cause?: unknown },
  ) {
    super(`Cannot append to "${props.conversationId}": ${props.message}`, options);
    this.conversationId = props.conversationId;
    this.reason = props.reason;
    this.index = props.index;
  }
}

export function isInvalidAppendError(error: unknown): error is InvalidAppendError {
  return error instanceof Error && error.name === 'InvalidAppendError';
}

/** A stored item is not an event of the catalogue (hand-edited, or written by something else). */
export class CorruptEventError extends Error {
  override readonly name = 'CorruptEventError';
  readonly conversationId: string;
  readonly sk: string;

  constructor(
    props: { readonly conversationId: string; readonly sk: string },
    options?: { cause?: unknown },
  ) {
    super(
      `Item ${props.sk} of conversation "${props.conversationId}" is not a valid stored event; ` +
        'events are never edited in place, so inspect who wrote it (verifyChain shows where the chain breaks).',
      options,
    );
    this.conversationId = props.conversationId;
    this.sk = props.sk;
  }
}

export function isCorruptEventError(error: unknown): error is CorruptEventError {
  return error instanceof Error && error.name === 'CorruptEventError';
}
