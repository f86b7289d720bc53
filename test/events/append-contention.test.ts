import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAtHead, backoffDelay } from '../../shared/events/backoff.ts';
import {
  createEventStore,
  type EventStore,
  ensureEventTable,
  verifyChain,
} from '../../shared/events/index.ts';

/**
 * Appends under contention (issue 15, item 4): writers racing for the next version of one stream
 * back off with full jitter and re-read the head, so every append gets in, once, in each writer's
 * order. `npm run bench burst` runs the scale (50 writers × 100 appends, target ≤ 120 s).
 */

const client = new DynamoDBClient({});
const tableName = `events-contention-${randomUUID().slice(0, 8)}`;
let store: EventStore;

beforeAll(async () => {
  await ensureEventTable(client, tableName);
  store = createEventStore({ client, tableName });
});

afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
});

describe('appends under contention', () => {
  it('waits a uniformly random time up to a capped exponential bound', () => {
    expect(backoffDelay(0, { baseMs: 5, capMs: 250 }, () => 1)).toBe(5);
    expect(backoffDelay(3, { baseMs: 5, capMs: 250 }, () => 1)).toBe(40);
    expect(backoffDelay(20, { baseMs: 5, capMs: 250 }, () => 1)).toBe(250);
    expect(backoffDelay(20, { baseMs: 5, capMs: 250 }, () => 0)).toBe(0);
  });

  it('gets every append of 12 independent writers × 15 into one stream, once each, in each writer order', async () => {
    const stream = `contention-${randomUUID()}`;
    const writers = 12;
    const appends = 15;
    let conflicts = 0;
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let n = 0; n < appends; n++) {
          const { attempts, duplicate } = await appendAtHead(
            store,
            stream,
            [
              {
                type: 'message.received',
                time: new Date().toISOString(),
                actor: 'customer',
                data: { messageId: `w${writer}-${n}`, text: `${writer}:${n}`, channel: 'test' },
              },
            ],
            // As separate processes would: no shared queue, only the version check and the backoff.
            { idempotencyKey: `message-w${writer}-${n}`, queue: false },
          );
          expect(duplicate).toBe(false);
          conflicts += attempts - 1;
        }
      }),
    );
    const log = await store.read(stream);
    expect(log).toHaveLength(writers * appends);
    expect(verifyChain(log, { conversationId: stream }).ok).toBe(true);
    for (let writer = 0; writer < writers; writer++) {
      const mine = log.flatMap((event) =>
        event.type === 'message.received' && event.data.text.startsWith(`${writer}:`)
          ? [Number(event.data.text.split(':')[1])]
          : [],
      );
      expect(mine).toEqual(Array.from({ length: appends }, (_, n) => n));
    }
    // They did race: the backoff is what got them through.
    expect(conflicts).toBeGreaterThan(0);
  }, 120_000);

  it('queues the appends of one process to one stream, so they never race each other', async () => {
    const stream = `contention-${randomUUID()}`;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        appendAtHead(store, stream, [
          {
            type: 'message.received',
            time: new Date().toISOString(),
            actor: 'customer',
            data: { messageId: `q${n}`, text: `${n}`, channel: 'test' },
          },
        ]),
      ),
    );
    expect(results.map((result) => result.attempts)).toEqual(Array.from({ length: 20 }, () => 1));
    expect(await store.read(stream)).toHaveLength(20);
  });

  it('gives up at its deadline with the conflict, having written nothing twice', async () => {
    const stream = `contention-${randomUUID()}`;
    const event = {
      type: 'message.received' as const,
      time: new Date().toISOString(),
      actor: 'customer' as const,
      data: { messageId: 'm', text: 'x', channel: 'test' },
    };
    await store.append(stream, [event], { expectedVersion: 0 });
    // A store whose head always moves before the append: every attempt conflicts.
    const racing: EventStore = {
      ...store,
      version: async (id) => (await store.version(id)) - 1,
    };
    await expect(
      appendAtHead(racing, stream, [event], { idempotencyKey: 'message-m2', deadlineMs: 200, queue: false }),
    ).rejects.toMatchObject({ name: 'ConcurrencyConflictError' });
    expect(await store.read(stream)).toHaveLength(1);
  });
});
