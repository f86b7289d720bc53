import { type NewEvent, NewEventSchema, type StoredEvent } from '../events/catalogue.ts';
import { ConcurrencyConflictError, InvalidAppendError } from '../events/errors.ts';
import { sealEvents } from '../events/hash-chain.ts';
import type { AppendOptions, AppendResult, EventStore, ReadOptions } from '../events/store.ts';

/**
 * An in-memory event sink with the store's contract (conditional append after `expectedVersion`,
 * idempotency keys, the same sealing and parsing), for replay: the step tasks append to it exactly as
 * they append to DynamoDB, and nothing leaves the process.
 */
export interface MemoryEventStore extends EventStore {
  /** Every event of the one stream, in seq order. */
  readonly events: readonly StoredEvent[];
  /**
   * Called before each append with the version the stream is at; may add events that arrived from
   * elsewhere in the meantime (replay delivers recorded customer messages this way).
   */
  beforeAppend?: (version: number) => readonly StoredEvent[];
}

export function createMemoryEventStore(
  conversationId: string,
  seed: readonly StoredEvent[] = [],
): MemoryEventStore {
  const events: StoredEvent[] = [...seed];
  const appends = new Map<string, { fromSeq: number; toSeq: number }>();

  const store: MemoryEventStore = {
    events,
    async append(
      streamId: string,
      batch: readonly NewEvent[],
      options: AppendOptions,
    ): Promise<AppendResult> {
      checkStream(streamId);
      if (options.with?.length)
        throw new InvalidAppendError({
          conversationId,
          reason: 'invalid-options',
          message: 'the memory store writes no items besides events (`with`)',
        });
      for (const arrived of store.beforeAppend?.(events.length) ?? []) events.push(arrived);
      const key = options.idempotencyKey;
      const original = key === undefined ? undefined : appends.get(key);
      if (original) return { events: slice(original.fromSeq, original.toSeq), duplicate: true };
      if (options.expectedVersion !== events.length) {
        throw new ConcurrencyConflictError({
          conversationId,
          expectedVersion: options.expectedVersion,
          reason: options.expectedVersion > events.length ? 'version-missing' : 'version-taken',
          actualVersion: events.length,
        });
      }
      const parsed = batch.map((event) => NewEventSchema.parse(event));
      const last = events[events.length - 1];
      const sealed = sealEvents(last && { seq: last.seq, hash: last.hash }, conversationId, parsed);
      // What DynamoDB holds is JSON: keep exactly what a read would return.
      const stored = JSON.parse(JSON.stringify(sealed)) as StoredEvent[];
      events.push(...stored);
      if (key !== undefined) appends.set(key, { fromSeq: stored[0]!.seq, toSeq: stored.at(-1)!.seq });
      return { events: stored, duplicate: false };
    },
    async read(streamId: string, options: ReadOptions = {}): Promise<StoredEvent[]> {
      if (streamId !== conversationId) return [];
      return slice(options.fromSeq ?? 1, options.toSeq ?? Number.MAX_SAFE_INTEGER);
    },
    async version(streamId: string): Promise<number> {
      return streamId === conversationId ? events.length : 0;
    },
    async listConversations(): Promise<string[]> {
      return events.length > 0 ? [conversationId] : [];
    },
  };

  function slice(fromSeq: number, toSeq: number): StoredEvent[] {
    return events.slice(Math.max(0, fromSeq - 1), Math.max(0, toSeq));
  }

  function checkStream(streamId: string) {
    if (streamId !== conversationId)
      throw new Error(
        `Replay sink holds conversation "${conversationId}" only; a step appended to "${streamId}"`,
      );
  }

  return store;
}
