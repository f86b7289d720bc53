import type { NewEvent } from './catalogue.ts';
import { isConcurrencyConflictError } from './errors.ts';
import type { AppendOptions, AppendResult, EventStore } from './store.ts';

/**
 * Appends under contention. When many writers race for the next version of one stream, all but one
 * lose each round; retrying at once makes the next round just as crowded, and a fixed delay keeps the
 * losers in step. Capped exponential backoff with full jitter (each wait uniform in 0..min(cap,
 * base·2^attempt), as in AWS's "Exponential Backoff And Jitter") spreads them out, so the stream
 * keeps moving at about the rate one writer could write.
 *
 * Retrying is only right when what is appended does not depend on what the lost round read: a
 * customer's message (it goes after whatever is there), or a turn's events after a message slipped in
 * (append-turn-events.ts re-reads and checks that first). A batch decided on the old head is never
 * retried blindly.
 */

export interface BackoffOptions {
  /** First wait's upper bound, ms. Default 5. */
  readonly baseMs?: number;
  /** No wait is longer than this, ms. Default 1,000. */
  readonly capMs?: number;
}

/** The wait before retry number `attempt` (0-based): uniform in 0..min(cap, base·2^attempt). */
export function backoffDelay(
  attempt: number,
  { baseMs = 5, capMs = 1_000 }: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  return random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface AppendAtHeadOptions extends Omit<AppendOptions, 'expectedVersion' | 'previousHash'> {
  /**
   * Appends to one stream through this store from this process go one after another (default true):
   * writers in one process then never race each other, only other processes. Off, each call races
   * on its own (what independent processes do).
   */
  readonly queue?: boolean;
  /** Give up (rethrow the last conflict) once this much time has passed, ms. Default 30,000. */
  readonly deadlineMs?: number;
  readonly backoff?: BackoffOptions;
  /** Sees the version read before each attempt; may throw (a stream that must already exist). */
  readonly onVersion?: (version: number) => void;
}

/**
 * Appends events that belong after whatever the stream holds (they were not decided on its head):
 * reads the version, appends at it, and on a version conflict backs off with jitter and tries again.
 * `attempts` counts the appends tried (1 when there was no contention).
 */
export function appendAtHead(
  store: EventStore,
  streamId: string,
  events: readonly NewEvent[],
  { queue = true, ...options }: AppendAtHeadOptions = {},
): Promise<AppendResult & { readonly attempts: number }> {
  if (!queue) return appendRacing(store, streamId, events, options);
  const streams = queues.get(store) ?? new Map<string, Promise<unknown>>();
  queues.set(store, streams);
  const before = streams.get(streamId) ?? Promise.resolve();
  const mine = before.then(
    () => appendRacing(store, streamId, events, options),
    () => appendRacing(store, streamId, events, options),
  );
  const settled = mine.catch(() => undefined);
  streams.set(streamId, settled);
  void settled.then(() => {
    if (streams.get(streamId) === settled) streams.delete(streamId);
  });
  return mine;
}

/** Per store, per stream: the last append queued by this process. */
const queues = new WeakMap<EventStore, Map<string, Promise<unknown>>>();

async function appendRacing(
  store: EventStore,
  streamId: string,
  events: readonly NewEvent[],
  { deadlineMs = 30_000, backoff, onVersion, ...options }: Omit<AppendAtHeadOptions, 'queue'>,
): Promise<AppendResult & { readonly attempts: number }> {
  const deadline = Date.now() + deadlineMs;
  for (let attempt = 0; ; attempt++) {
    const version = await store.version(streamId);
    onVersion?.(version);
    try {
      const result = await store.append(streamId, events, { ...options, expectedVersion: version });
      return { ...result, attempts: attempt + 1 };
    } catch (error) {
      if (!isConcurrencyConflictError(error) || Date.now() > deadline) throw error;
      await sleep(backoffDelay(attempt, backoff));
    }
  }
}
