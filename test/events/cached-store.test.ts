import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient, type ServiceInputTypes } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCachedEventStore } from '../../shared/events/cached-store.ts';
import {
  createEventStore,
  ensureEventTable,
  eventSortKey,
  isAppendConditionFailedError,
  isConcurrencyConflictError,
  type NewEvent,
} from '../../shared/events/index.ts';
import { sampleEvents as samples } from './fixtures.ts';

const sampleEvents: NewEvent[] = Object.values(samples);

/**
 * The per-process read cache over the real store on DynamoDB Local: what it asks DynamoDB for is
 * counted at the client, and what it returns is compared with what the store itself returns.
 */

const client = new DynamoDBClient({});
const tableName = `events-cached-${randomUUID().slice(0, 8)}`;
const queries: ServiceInputTypes[] = [];

beforeAll(async () => {
  await ensureEventTable(client, tableName);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') queries.push(args.input as ServiceInputTypes);
      return next(args);
    },
    { step: 'initialize', name: 'countQueries' },
  );
});

afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
});

const newId = () => `conv-${randomUUID()}`;
const store = () => createEventStore({ client, tableName });

function counting<T>(run: () => Promise<T>): Promise<{ result: T; queries: number }> {
  const before = queries.length;
  return run().then((result) => ({ result, queries: queries.length - before }));
}

describe('createCachedEventStore', () => {
  it('answers a read up to what it appended without asking DynamoDB, and asks only for the tail otherwise', async () => {
    const id = newId();
    const cached = createCachedEventStore(store());
    const { events: written } = await cached.append(id, sampleEvents.slice(0, 3), { expectedVersion: 0 });

    const bounded = await counting(() => cached.read(id, { toSeq: 3 }));
    expect(bounded.queries).toBe(0);
    expect(bounded.result).toEqual(written);

    // Without a bound it cannot know nothing follows: one query, from seq 4.
    const open = await counting(() => cached.read(id));
    expect(open.queries).toBe(1);
    expect(open.result).toEqual(written);
    const asked = queries.at(-1) as { ExpressionAttributeValues?: Record<string, { S?: string }> };
    expect(asked.ExpressionAttributeValues?.[':from']?.S).toBe(eventSortKey(4));
  });

  it('picks up what another process appended, and returns exactly what the store holds', async () => {
    const id = newId();
    const mine = createCachedEventStore(store());
    const theirs = createCachedEventStore(store());
    await mine.append(id, sampleEvents.slice(0, 2), { expectedVersion: 0 });
    await theirs.append(id, sampleEvents.slice(2, 5), { expectedVersion: 2 });
    const seen = await mine.read(id);
    expect(seen).toEqual(await store().read(id));
    expect(seen.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5]);
    // A range inside the cache comes from it.
    const slice = await counting(() => mine.read(id, { fromSeq: 2, toSeq: 4 }));
    expect(slice.queries).toBe(0);
    expect(slice.result.map((event) => event.seq)).toEqual([2, 3, 4]);
  });

  it('keeps at most maxConversations, dropping the least recently used', async () => {
    const cached = createCachedEventStore(store(), { maxConversations: 2 });
    const [a, b, c] = [newId(), newId(), newId()];
    for (const id of [a, b, c]) await cached.append(id, sampleEvents.slice(0, 2), { expectedVersion: 0 });
    expect(await cached.cached?.(a)).toBeUndefined();
    expect((await cached.cached?.(b))?.map((event) => event.seq)).toEqual([1, 2]);
    expect((await cached.cached?.(c))?.map((event) => event.seq)).toEqual([1, 2]);
    // `a` was dropped: a bounded read of it goes to DynamoDB again.
    const reread = await counting(() => cached.read(a, { toSeq: 2 }));
    expect(reread.queries).toBe(1);
    expect(reread.result.map((event) => event.seq)).toEqual([1, 2]);
  });

  it('passes a read far past the cache straight through', async () => {
    const id = newId();
    await store().append(id, sampleEvents.slice(0, 5), { expectedVersion: 0 });
    const cached = createCachedEventStore(store());
    const tail = await cached.read(id, { fromSeq: 4 });
    expect(tail.map((event) => event.seq)).toEqual([4, 5]);
    expect(await cached.cached?.(id)).toBeUndefined();
  });
});

describe('append with items of its own (`with`)', () => {
  const extraCheck = (id: string, exists: boolean) => ({
    label: 'marker present',
    item: {
      ConditionCheck: {
        TableName: tableName,
        Key: { pk: { S: id }, sk: { S: 'marker' } },
        ConditionExpression: exists ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)',
      },
    },
  });
  const marker = (id: string) => ({
    label: 'marker',
    item: { Put: { TableName: tableName, Item: { pk: { S: id }, sk: { S: 'marker' } } } },
  });
  const one: NewEvent[] = sampleEvents.slice(0, 1);

  it('writes them in the same transaction as the events', async () => {
    const id = newId();
    await store().append(id, one, { expectedVersion: 0, with: [marker(id)] });
    // The marker now exists, so a check that it does passes and the events are written.
    const { events } = await store().append(id, sampleEvents.slice(1, 2), {
      expectedVersion: 1,
      with: [extraCheck(id, true)],
    });
    expect(events.map((event) => event.seq)).toEqual([2]);
  });

  it('refuses the whole append, naming the item, when its condition fails', async () => {
    const id = newId();
    const error = await store()
      .append(id, one, { expectedVersion: 0, with: [extraCheck(id, true)] })
      .catch((caught: unknown) => caught);
    expect(isAppendConditionFailedError(error)).toBe(true);
    expect((error as { label: string }).label).toBe('marker present');
    expect(await store().read(id)).toEqual([]);
  });

  it('reports a version conflict first when both fail', async () => {
    const id = newId();
    await store().append(id, one, { expectedVersion: 0 });
    const error = await store()
      .append(id, one, { expectedVersion: 0, with: [extraCheck(id, true)] })
      .catch((caught: unknown) => caught);
    expect(isConcurrencyConflictError(error)).toBe(true);
  });

  it('counts them against the 100 items of a transaction', async () => {
    const id = newId();
    const many = Array.from({ length: 99 }, () => samples['message.received']);
    const error = await store()
      .append(id, many, { expectedVersion: 0, idempotencyKey: 'k', with: [marker(id)] })
      .catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('AppendLimitError');
  });
});
