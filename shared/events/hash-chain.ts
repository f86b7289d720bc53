import { createHash } from 'node:crypto';
import type { NewEvent, StoredEvent } from './catalogue.ts';
import { InvalidAppendError } from './errors.ts';

/**
 * Each stored event carries `prevHash` (the previous event's `hash`, or 64 zeros for seq 1) and `hash`
 * (sha256 over the canonical JSON of the event without `hash`). Editing, dropping, reordering or
 * inserting any event breaks the chain from that point on. A plain hash chain cannot show that the
 * *newest* events were cut off or replaced wholesale: compare `lastHash` with a head recorded elsewhere
 * (`expectedLastHash`) when that matters.
 */

export const GENESIS_HASH = '0'.repeat(64);

/** The part of a stored event a new one chains onto. */
export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit at every depth, no whitespace, numbers in
 * ECMAScript shortest round-trip form, `undefined` members omitted. For the JSON values events hold this
 * is RFC 8785 (JCS). Non-finite numbers, bigints and functions are refused rather than silently turned
 * into `null`, because two different values must never share a hash.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, undefined);
}

function encode(value: unknown, omitKey: string | undefined): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: ${value} is not a JSON number`);
      return String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ',';
          const item: unknown = value[i];
          out += item === undefined ? 'null' : encode(item, undefined);
        }
        return `${out}]`;
      }
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return encode(toJSON.call(value), omitKey);
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = '{';
      let first = true;
      for (const key of keys) {
        if (key === omitKey) continue;
        const member = record[key];
        if (member === undefined) continue;
        if (!first) out += ',';
        first = false;
        out += `${JSON.stringify(key)}:${encode(member, undefined)}`;
      }
      return `${out}}`;
    }
    default:
      throw new TypeError(`canonicalJson: a ${typeof value} is not a JSON value`);
  }
}

/** sha256 hex of the event's canonical JSON, `hash` excluded (so passing a stored event is fine). */
export function hashEvent(event: Omit<StoredEvent, 'hash'> | StoredEvent): string {
  return createHash('sha256').update(encode(event, 'hash')).digest('hex');
}

/** Gives new events their place in the stream: seq after `previous`, linked by hash. Pure. */
export function sealEvents(
  previous: ChainHead | undefined,
  conversationId: string,
  newEvents: readonly NewEvent[],
): StoredEvent[] {
  if (conversationId.length === 0) {
    throw new InvalidAppendError({
      conversationId,
      reason: 'invalid-conversation-id',
      message: 'conversationId is empty; pass the id of the stream to append to',
    });
  }
  let seq = previous?.seq ?? 0;
  let prevHash = previous?.hash ?? GENESIS_HASH;
  return newEvents.map(function seal(event) {
    seq += 1;
    const unsealed = { ...event, conversationId, seq, prevHash } as Omit<StoredEvent, 'hash'>;
    const hash = hashEvent(unsealed);
    prevHash = hash;
    return { ...unsealed, hash } as StoredEvent;
  });
}

/** Stable codes for why a chain does not verify. */
export type ChainBreakReason =
  | 'malformed'
  | 'conversation-mismatch'
  | 'seq-gap'
  | 'seq-duplicated'
  | 'seq-out-of-order'
  | 'prev-hash-mismatch'
  | 'hash-mismatch'
  | 'head-mismatch';

export type ChainVerification =
  | { readonly ok: true; readonly count: number; readonly lastSeq: number; readonly lastHash: string }
  | {
      readonly ok: false;
      /** Every event before this seq is verified; the chain cannot be trusted from here on. */
      readonly firstBadSeq: number;
      readonly reason: ChainBreakReason;
      readonly message: string;
    };

export interface VerifyChainOptions {
  /** The stream the events must belong to. Default: the first event's conversationId. */
  readonly conversationId?: string;
  /** Verified event just before the first one given, to check a slice. Default: the genesis. */
  readonly previous?: ChainHead;
  /** Head recorded elsewhere; without it, cutting off or forging the newest events goes unseen. */
  readonly expectedLastHash?: string;
}

/**
 * Checks that `events` is an untouched, gap-free run of one stream. Stops at the first break: once a
 * link is broken nothing after it can be trusted, so there is no second error worth reporting.
 */
export function verifyChain(
  events: readonly StoredEvent[],
  options: VerifyChainOptions = {},
): ChainVerification {
  const conversationId = options.conversationId ?? events[0]?.conversationId;
  let expectedSeq = (options.previous?.seq ?? 0) + 1;
  let prevHash = options.previous?.hash ?? GENESIS_HASH;

  for (let i = 0; i < events.length; i++, expectedSeq++) {
    const event = events[i] as StoredEvent;
    const broken = (reason: ChainBreakReason, message: string): ChainVerification => ({
      ok: false,
      firstBadSeq: expectedSeq,
      reason,
      message,
    });
    if (typeof event !== 'object' || event === null) {
      return broken('malformed', `event at index ${i} is not an object`);
    }
    if (event.conversationId !== conversationId) {
      return broken(
        'conversation-mismatch',
        `event at index ${i} belongs to "${String(event.conversationId)}", not "${conversationId}"`,
      );
    }
    if (event.seq !== expectedSeq) {
      return broken(...seqBreak(events, i, expectedSeq));
    }
    if (event.prevHash !== prevHash) {
      return broken(
        'prev-hash-mismatch',
        `seq ${expectedSeq} does not link to the hash of the event before it`,
      );
    }
    let actual: string;
    try {
      actual = hashEvent(event);
    } catch (error) {
      return broken('malformed', `seq ${expectedSeq} is not hashable JSON: ${(error as Error).message}`);
    }
    if (event.hash !== actual) {
      return broken(
        'hash-mismatch',
        `seq ${expectedSeq} was changed after it was stored (its hash no longer matches)`,
      );
    }
    prevHash = actual;
  }

  if (options.expectedLastHash !== undefined && options.expectedLastHash !== prevHash) {
    return {
      ok: false,
      firstBadSeq: expectedSeq,
      reason: 'head-mismatch',
      message: `the chain ends at seq ${expectedSeq - 1} with a hash other than the recorded head: events were cut off or added at the end`,
    };
  }
  return { ok: true, count: events.length, lastSeq: expectedSeq - 1, lastHash: prevHash };
}

/** Names the seq problem precisely; runs only once a chain is already known to be broken. */
function seqBreak(
  events: readonly StoredEvent[],
  index: number,
  expectedSeq: number,
): [ChainBreakReason, string] {
  const seq = events[index]?.seq;
  if (typeof seq !== 'number') return ['malformed', `event at index ${index} has no numeric seq`];
  if (seq === events[index - 1]?.seq) {
    return ['seq-duplicated', `seq ${seq} appears twice (expected ${expectedSeq})`];
  }
  if (seq > expectedSeq && !events.slice(index + 1).some((later) => later.seq === expectedSeq)) {
    return ['seq-gap', `seq ${expectedSeq} is missing (found ${seq} next)`];
  }
  return ['seq-out-of-order', `found seq ${seq} where ${expectedSeq} belongs`];
}
