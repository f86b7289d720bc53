import type { StoredEvent } from './catalogue.ts';
import type { EventStore, ReadOptions } from './store.ts';

/** Conversations whose events one process keeps, least recently used dropped first. */
const DEFAULT_MAX_CONVERSATIONS = 500;

/**
 * The event store with a per-process read cache. Events are immutable once written (every put is
 * conditional on the item not existing), so what this process appended or read once never needs
 * reading again: a read asks DynamoDB only for what lies after the cached prefix, and a read bounded
 * by `toSeq` that the cache covers asks nothing. Nothing here decides what is true: writes go straight
 * through with their conditions, and a read without `toSeq` always asks for the tail.
 *
 * It caches what the inner store returns: wrap the store as stored (ciphertext), below encryption, so
 * no customer text outlives its data key in memory.
 */
export function createCachedEventStore(
  inner: EventStore,
  { maxConversations = DEFAULT_MAX_CONVERSATIONS }: { readonly maxConversations?: number } = {},
): EventStore {
  /** Per conversation, its events from seq 1 without a gap. */
  const cache = new Map<string, StoredEvent[]>();

  function cached(conversationId: string): StoredEvent[] {
    const events = cache.get(conversationId) ?? [];
    // Most recently used last.
    cache.delete(conversationId);
    cache.set(conversationId, events);
    if (cache.size > maxConversations) cache.delete(cache.keys().next().value as string);
    return events;
  }

  function extend(events: StoredEvent[], more: readonly StoredEvent[]): void {
    for (const event of more) if (event.seq === events.length + 1) events.push(event);
  }

  return {
    async append(conversationId, events, options) {
      const result = await inner.append(conversationId, events, options);
      extend(cached(conversationId), result.events);
      return result;
    },
    async read(conversationId, options: ReadOptions = {}) {
      const fromSeq = options.fromSeq ?? 1;
      const toSeq = options.toSeq ?? Number.MAX_SAFE_INTEGER;
      const events = cached(conversationId);
      // A read far past what is cached would fetch a prefix nobody asked for: pass it through.
      if (fromSeq > events.length + 1) return inner.read(conversationId, options);
      if (toSeq > events.length)
        extend(events, await inner.read(conversationId, { ...options, fromSeq: events.length + 1 }));
      return events.slice(fromSeq - 1, Math.min(toSeq, events.length));
    },
    async cached(conversationId) {
      const events = cache.get(conversationId);
      return events && events.length > 0 ? [...events] : undefined;
    },
    version: (conversationId) => inner.version(conversationId),
    listConversations: () => inner.listConversations(),
  };
}
