import { backoffDelay, sleep } from '../events/backoff.ts';
import type { NewEvent } from '../events/catalogue.ts';
import { isConcurrencyConflictError } from '../events/errors.ts';
import type { AppendOptions, AppendResult, EventStore } from '../events/store.ts';

/**
 * How many times customer messages may slip in before one append of a turn gives up. A burst (fifty
 * clients writing to one conversation) moves the head many times while a turn runs; each retry waits
 * a little, with jitter, so the messages' own appends get through and the turn's follows them.
 */
const MAX_ATTEMPTS = 60;
/** Waits between a turn's retries: short, since the turn holds the lease and others wait for it. */
const TURN_BACKOFF = { baseMs: 2, capMs: 50 } as const;

/**
 * Appends a turn's events at `expectedVersion`, or after customer messages that arrived since.
 *
 * Messages are stored the moment they arrive, without the turn lease (conversation.ts), so while a
 * turn runs the head can move past the version the turn last saw. A `message.received` is not
 * something a running turn reads (the next turn answers it), so the batch goes after it. Any other
 * event in between means someone else wrote to the turn, and the conflict is thrown as before.
 * The idempotency key is kept, so a retried step still finds what it wrote.
 */
export async function appendTurnEvents(
  events: EventStore,
  conversationId: string,
  batch: readonly NewEvent[],
  options: AppendOptions,
): Promise<AppendResult> {
  let current = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await events.append(conversationId, batch, current);
    } catch (error) {
      if (!isConcurrencyConflictError(error) || attempt >= MAX_ATTEMPTS) throw error;
      // Wait first, then read: the head read just before the retry is the one most likely to hold.
      await sleep(backoffDelay(attempt - 1, TURN_BACKOFF));
      const since = await events.read(conversationId, { fromSeq: current.expectedVersion + 1 });
      const head = since[since.length - 1];
      if (!head || since.some((event) => event.type !== 'message.received')) throw error;
      current = { ...current, expectedVersion: head.seq, previousHash: head.hash };
    }
  }
}
