import type { EventType, NewEvent, StoredEvent } from '../events/catalogue.ts';
import { isAppendConditionFailedError } from '../events/errors.ts';
import type { AppendItem, AppendResult, EventStore } from '../events/store.ts';
import { ERASED, isCiphertext, openField, sealField } from './cipher.ts';
import { ConversationErasedError } from './errors.ts';
import { type DataKeyState, type DataKeyStore, KEY_ALIVE } from './key-store.ts';

/**
 * The event store with customer data encrypted (DESIGN.md decision 6, crypto-shredding). On append the
 * personal fields below are sealed with the conversation's data key, then the inner store seals the
 * events into the hash chain: the chain covers the ciphertext. On read they are opened again; once the
 * key is destroyed they read as `[erased]` while every hash still verifies (verify the chain on
 * `stored`, the events as stored, not on what `read` returns).
 *
 * It wraps the store at the composition root, so the engine, the steps, the rewind and the audit API
 * are unchanged and cannot forget to encrypt.
 */

/** The fields of each event type that hold what a customer said or what is known about them. */
export const PERSONAL_FIELDS: Partial<Record<EventType, readonly string[]>> = {
  'message.received': ['text'],
  'slot.filled': ['value'],
  /** The model's answer holds the values it read from the customer's words. */
  'model.called': ['response'],
  'customer.authenticated': ['customerId'],
  'tool.requested': ['input'],
  'tool.succeeded': ['output'],
  'confirmation.requested': ['text'],
  /** Replies quote the customer's details back ("I will change your address to …"). */
  'message.sent': ['text'],
  'compensation.ran': ['input', 'output'],
};

export interface PrivateEventStore extends EventStore {
  /** The same streams with the ciphertext as stored: what the hash chain covers and audits verify. */
  readonly stored: EventStore;
}

const associated = (conversationId: string, type: string, field: string) =>
  `${conversationId}\u0000${type}\u0000${field}`;

/** Opens every personal field it can; erased (or keyless) ciphertext reads as `[erased]`. Pure given the key. */
export function openEvents(
  conversationId: string,
  events: readonly StoredEvent[],
  key: DataKeyState,
): StoredEvent[] {
  if (key.state === 'none') return [...events];
  return events.map((event) => {
    const fields = PERSONAL_FIELDS[event.type];
    if (!fields) return event;
    const data = { ...(event.data as Record<string, unknown>) };
    for (const field of fields) {
      const value = data[field];
      if (!isCiphertext(value)) continue;
      data[field] =
        key.state === 'active'
          ? openField(key.key, associated(conversationId, event.type, field), value)
          : ERASED;
    }
    return { ...event, data } as StoredEvent;
  });
}

function sealEvents(conversationId: string, events: readonly NewEvent[], key: Buffer): NewEvent[] {
  return events.map((event) => {
    const fields = PERSONAL_FIELDS[event.type];
    if (!fields) return event;
    const data = { ...(event.data as Record<string, unknown>) };
    for (const field of fields) {
      if (data[field] === undefined) continue;
      data[field] = sealField(key, associated(conversationId, event.type, field), data[field]);
    }
    return { ...event, data } as NewEvent;
  });
}

export function createPrivateEventStore({
  store,
  keys,
}: {
  readonly store: EventStore;
  readonly keys: DataKeyStore;
}): PrivateEventStore {
  return {
    stored: store,
    async append(conversationId, events, options) {
      if (!events.some((event) => PERSONAL_FIELDS[event.type]))
        return store.append(conversationId, events, options);
      const extra: AppendItem[] = [];
      let key: Buffer;
      let created = false;
      if (events[0]?.type === 'conversation.started' && options.expectedVersion === 0) {
        // A conversation's first append writes its key in the same transaction.
        const prepared = await keys.prepareKey(conversationId);
        key = prepared.key;
        created = true;
        extra.push(prepared.item);
      } else {
        const state = await keys.keyOf(conversationId, { create: true });
        if (state.state !== 'active') throw new ConversationErasedError(conversationId);
        key = state.key;
        // New customer words never land in an erased conversation, whatever a cache says.
        if (events.some((event) => event.type === 'message.received'))
          extra.push(keys.aliveCheck(conversationId));
      }
      // One link per customer: a transaction may not touch the same item twice (a correction can
      // authenticate the same customer again in the same turn).
      const linked = new Set<string>();
      for (const event of events)
        if (event.type === 'customer.authenticated' && !linked.has(event.data.customerId)) {
          linked.add(event.data.customerId);
          extra.push(keys.linkItem(conversationId, event.data.customerId));
        }
      let result: AppendResult;
      try {
        result = await store.append(conversationId, sealEvents(conversationId, events, key), {
          ...options,
          with: [...(options.with ?? []), ...extra],
        });
      } catch (error) {
        if (isAppendConditionFailedError(error) && error.label === KEY_ALIVE) {
          keys.forget(conversationId);
          throw new ConversationErasedError(conversationId);
        }
        throw error;
      }
      if (created && !result.duplicate) keys.remember(conversationId, key);
      // A repeated first append was sealed with the key stored then, not the one made now.
      const opener: DataKeyState =
        created && result.duplicate ? await keys.keyOf(conversationId) : { state: 'active', key };
      return { ...result, events: openEvents(conversationId, result.events, opener) };
    },
    async read(conversationId, options) {
      // The key is fetched alongside the events (a conversation's events nearly always need it).
      const [events, key] = await Promise.all([
        store.read(conversationId, options),
        keys.keyOf(conversationId),
      ]);
      if (!events.some((event) => PERSONAL_FIELDS[event.type])) return events;
      return openEvents(conversationId, events, key);
    },
    ...(store.cached
      ? {
          async cached(conversationId: string) {
            const events = await store.cached?.(conversationId);
            return events && openEvents(conversationId, events, await keys.keyOf(conversationId));
          },
        }
      : {}),
    version: (conversationId) => store.version(conversationId),
    listConversations: () => store.listConversations(),
  };
}
