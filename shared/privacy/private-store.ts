import type { EventType, NewEvent, StoredEvent } from '../events/catalogue.ts';
import type { EventStore } from '../events/store.ts';
import { ERASED, isCiphertext, openField, sealField } from './cipher.ts';
import { ConversationErasedError } from './errors.ts';
import type { DataKeyState, DataKeyStore } from './key-store.ts';

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
      const key = await keys.keyOf(conversationId, { create: true });
      if (key.state !== 'active') throw new ConversationErasedError(conversationId);
      for (const event of events)
        if (event.type === 'customer.authenticated') await keys.link(conversationId, event.data.customerId);
      const result = await store.append(conversationId, sealEvents(conversationId, events, key.key), options);
      return { ...result, events: openEvents(conversationId, result.events, key) };
    },
    async read(conversationId, options) {
      const events = await store.read(conversationId, options);
      if (!events.some((event) => PERSONAL_FIELDS[event.type])) return events;
      return openEvents(conversationId, events, await keys.keyOf(conversationId));
    },
    version: (conversationId) => store.version(conversationId),
    listConversations: () => store.listConversations(),
  };
}
