import type { DataKeyStore } from './key-store.ts';

/**
 * `aop erase <customer>`: crypto-shredding. Destroys the data key of every conversation linked to the
 * customer; their text and personal fields then read as `[erased]` everywhere (API, audit, replay),
 * while the events, their order and the hash chain stay exactly as they were.
 */
export interface ErasureReport {
  readonly customerId: string;
  /** Conversations whose key was destroyed now. */
  readonly conversations: readonly string[];
}

export async function eraseCustomer(keys: DataKeyStore, customerId: string): Promise<ErasureReport> {
  return { customerId, conversations: await keys.eraseCustomer(customerId) };
}
