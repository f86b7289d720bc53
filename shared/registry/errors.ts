/**
 * Runtime errors of the AOP registry (versions, aliases) and of keeping Step Functions in step with it.
 * Each names what it was asked, what exists, and what to do instead.
 */

/** A version that was never published for this AOP (rollback target, diff operand). */
export class UnknownVersionError extends Error {
  override readonly name = 'UnknownVersionError';
  readonly aopId: string;
  readonly version: number;
  readonly known: readonly number[];

  constructor(props: {
    readonly aopId: string;
    readonly version: number;
    readonly known: readonly number[];
  }) {
    super(
      props.known.length === 0
        ? `AOP "${props.aopId}" has no published version; publish it first (aop publish <file>).`
        : `AOP "${props.aopId}" has no version ${props.version}; published versions are ${props.known.join(', ')} (see aop versions ${props.aopId}).`,
    );
    this.aopId = props.aopId;
    this.version = props.version;
    this.known = props.known;
  }
}

export const isUnknownVersionError = (error: unknown): error is UnknownVersionError =>
  error instanceof Error && error.name === 'UnknownVersionError';

/**
 * Step Functions does not hold what the registry says: version N of a state machine must run the content
 * of registry version N, because conversations are pinned by number (`…:stateMachine:NAME:N`). Nothing
 * was moved; publish every registry version in order to a fresh machine, or repair the machine by hand.
 */
export class RegistryOutOfSyncError extends Error {
  override readonly name = 'RegistryOutOfSyncError';
  readonly aopId: string;
  readonly version: number;

  constructor(
    props: { readonly aopId: string; readonly version: number; readonly detail: string },
    options?: { cause?: unknown },
  ) {
    super(
      `AOP "${props.aopId}" version ${props.version}: ${props.detail}. Conversations are pinned to state machine ` +
        'version numbers, so the registry and Step Functions must agree on what each number runs.',
      options,
    );
    this.aopId = props.aopId;
    this.version = props.version;
  }
}

export const isRegistryOutOfSyncError = (error: unknown): error is RegistryOutOfSyncError =>
  error instanceof Error && error.name === 'RegistryOutOfSyncError';

/** A stored version content whose hash no longer matches the `aop.published` event that names it. */
export class CorruptContentError extends Error {
  override readonly name = 'CorruptContentError';
  readonly aopId: string;
  readonly hash: string;

  constructor(props: { readonly aopId: string; readonly hash: string; readonly reason: string }) {
    super(
      `Stored content ${props.hash.slice(0, 12)} of AOP "${props.aopId}" ${props.reason}; contents are ` +
        'immutable and addressed by their hash, so find out who wrote the item.',
    );
    this.aopId = props.aopId;
    this.hash = props.hash;
  }
}

export const isCorruptContentError = (error: unknown): error is CorruptContentError =>
  error instanceof Error && error.name === 'CorruptContentError';
