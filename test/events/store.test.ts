import { randomUUID } from 'node:crypto';
import {
  DeleteTableCommand,
  DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEventStore,
  type EventStore,
  ensureEventTable,
  eventSortKey,
  isAppendLimitError,
  isConcurrencyConflictError,
  isCorruptEventError,
  isInvalidAppendError,
  type NewEvent,
  verifyChain,
} from '../../shared/events/index.ts';
import { conversation, sampleEvents } from './fixtures.ts';

const client = new DynamoDBClient({});
const tableName = `events-store-${randomUUID().slice(0, 8)}`;
let store: EventStore;

beforeAll(async () => {
  await ensureEventTable(client, tableName);
  store = createEventStore({ client, tableName });
});

afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
});

const newId = () => `conv-${randomUUID()}`;

/** Runs `fn` and returns what it threw; fails the test when it did not throw. */
async function thrown(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

describe('createEventStore', () => {
  it('appends events and reads them back in seq order, chained from the genesis', async () => {
    const id = newId();
    const appended = await store.append(id, conversation(5), { expectedVersion: 0 });
    expect(appended.duplicate).toBe(false);
    expect(appended.events.map((event) => event.seq)).toEqual([1, 2, 3, 4, 5]);

    const read = await store.read(id);
    expect(read).toEqual(appended.events);
    expect(verifyChain(read)).toMatchObject({ ok: true, count: 5, lastHash: appended.events[4]?.hash });
    expect(await store.version(id)).toBe(5);
  });

  it('keeps every event type of the catalogue intact through DynamoDB', async () => {
    const id = newId();
    const all = Object.values(sampleEvents) as NewEvent[];
    await store.append(id, all, { expectedVersion: 0 });
    const read = await store.read(id);
    expect(read.map(({ conversationId, seq, prevHash, hash, ...rest }) => rest)).toEqual(all);
  });

  it('chains a later append onto the head of the earlier one', async () => {
    const id = newId();
    const first = await store.append(id, conversation(3), { expectedVersion: 0 });
    const second = await store.append(id, [sampleEvents['message.sent']], { expectedVersion: 3 });
    expect(second.events[0]).toMatchObject({ seq: 4, prevHash: first.events[2]?.hash });
    expect(verifyChain(await store.read(id)).ok).toBe(true);
  });

  it('stores one item per event under e#<10-digit seq> with the event JSON and top-level seq/type/hash', async () => {
    const id = newId();
    const { events } = await store.append(id, conversation(2), { expectedVersion: 0 });
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: id }, sk: { S: 'e#0000000002' } } }),
    );
    expect(Item?.seq?.N).toBe('2');
    expect(Item?.type?.S).toBe(events[1]?.type);
    expect(Item?.hash?.S).toBe(events[1]?.hash);
    expect(JSON.parse(Item?.event?.S ?? '')).toEqual(events[1]);
    expect(eventSortKey(12)).toBe('e#0000000012');
  });

  it('fails with ConcurrencyConflictError when expectedVersion is behind, and stores nothing', async () => {
    const id = newId();
    await store.append(id, conversation(3), { expectedVersion: 0 });
    const error = await thrown(() => store.append(id, conversation(2), { expectedVersion: 1 }));
    expect(isConcurrencyConflictError(error)).toBe(true);
    if (!isConcurrencyConflictError(error)) return;
    expect(error).toMatchObject({
      name: 'ConcurrencyConflictError',
      conversationId: id,
      expectedVersion: 1,
      actualVersion: 3,
      reason: 'version-taken',
    });
    expect(error.cause).toBeDefined();
    expect(await store.version(id)).toBe(3);
    expect(await store.read(id)).toHaveLength(3);
  });

  it('fails with ConcurrencyConflictError when expectedVersion is ahead of the stream', async () => {
    const id = newId();
    await store.append(id, conversation(2), { expectedVersion: 0 });
    const error = await thrown(() => store.append(id, conversation(1), { expectedVersion: 7 }));
    expect(error).toMatchObject({
      name: 'ConcurrencyConflictError',
      reason: 'version-missing',
      actualVersion: 2,
    });
    expect(await store.version(id)).toBe(2);
  });

  it('lets exactly one of two concurrent appends at the same version win', async () => {
    const id = newId();
    await store.append(id, conversation(1), { expectedVersion: 0 });
    const results = await Promise.allSettled([
      store.append(id, [sampleEvents['message.received'], sampleEvents['turn.started']], {
        expectedVersion: 1,
      }),
      store.append(id, [sampleEvents['handoff.requested']], { expectedVersion: 1 }),
    ]);
    const won = results.filter((result) => result.status === 'fulfilled');
    const lost = results.filter((result) => result.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(isConcurrencyConflictError(lost[0]?.reason)).toBe(true);

    const stored = await store.read(id);
    expect(stored.slice(1)).toEqual(won[0]?.value.events);
    expect(verifyChain(stored).ok).toBe(true);
  });

  it('keeps the stream gap-free and valid under many racing writers', async () => {
    const id = newId();
    await store.append(id, conversation(1), { expectedVersion: 0 });
    const writers = Array.from({ length: 8 }, (_, writer) =>
      store.append(id, [{ ...sampleEvents['message.sent'], data: { text: `writer ${writer}` } }], {
        expectedVersion: 1,
      }),
    );
    const results = await Promise.allSettled(writers);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const stored = await store.read(id);
    expect(stored).toHaveLength(2);
    expect(verifyChain(stored).ok).toBe(true);
  });

  it('stores an append with an idempotency key once and returns the original events as a duplicate', async () => {
    const id = newId();
    await store.append(id, conversation(2), { expectedVersion: 0 });
    const batch = [sampleEvents['tool.requested'], sampleEvents['tool.succeeded']];
    const first = await store.append(id, batch, { expectedVersion: 2, idempotencyKey: 'turn-3' });
    const again = await store.append(id, batch, { expectedVersion: 2, idempotencyKey: 'turn-3' });

    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ events: first.events, duplicate: true });
    expect(await store.version(id)).toBe(4);
    expect(await store.read(id)).toHaveLength(4);
  });

  it('recognises a retried append as a duplicate even after the stream moved on', async () => {
    const id = newId();
    const first = await store.append(id, conversation(2), { expectedVersion: 0, idempotencyKey: 'k' });
    await store.append(id, conversation(3), { expectedVersion: 2 });
    const retry = await store.append(id, conversation(2), { expectedVersion: 0, idempotencyKey: 'k' });
    expect(retry).toEqual({ events: first.events, duplicate: true });
    const ahead = await store.append(id, conversation(2), { expectedVersion: 40, idempotencyKey: 'k' });
    expect(ahead).toEqual({ events: first.events, duplicate: true });
    expect(await store.version(id)).toBe(5);
  });

  it('fails with ConcurrencyConflictError for a new idempotency key at a taken version', async () => {
    const id = newId();
    await store.append(id, conversation(2), { expectedVersion: 0, idempotencyKey: 'a' });
    const error = await thrown(() =>
      store.append(id, conversation(1), { expectedVersion: 0, idempotencyKey: 'b' }),
    );
    expect(error).toMatchObject({ name: 'ConcurrencyConflictError', reason: 'version-taken' });
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: id }, sk: { S: 'i#b' } } }),
    );
    expect(Item).toBeUndefined();
  });

  it('reads a seq range, inclusive at both ends, across query pages', async () => {
    const id = newId();
    // Large payloads push the query past DynamoDB's 1 MB page so pagination is exercised.
    const big = {
      ...sampleEvents['tool.succeeded'],
      data: { tool: 't', output: 'x'.repeat(60_000), latencyMs: 1 },
    };
    await store.append(
      id,
      Array.from({ length: 25 }, () => big),
      { expectedVersion: 0 },
    );
    expect((await store.read(id)).map((event) => event.seq)).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
    expect((await store.read(id, { fromSeq: 4, toSeq: 7 })).map((event) => event.seq)).toEqual([4, 5, 6, 7]);
    expect((await store.read(id, { fromSeq: 24 })).map((event) => event.seq)).toEqual([24, 25]);
    expect((await store.read(id, { toSeq: 2 })).map((event) => event.seq)).toEqual([1, 2]);
    expect(await store.read(id, { fromSeq: 9, toSeq: 3 })).toEqual([]);
    const slice = await store.read(id, { fromSeq: 11 });
    const [before] = await store.read(id, { fromSeq: 10, toSeq: 10 });
    expect(verifyChain(slice, { previous: before }).ok).toBe(true);
  });

  it('reports version 0 for an unknown stream and ignores idempotency items', async () => {
    expect(await store.version(newId())).toBe(0);
    expect(await store.read(newId())).toEqual([]);
    const id = newId();
    await store.append(id, conversation(3), { expectedVersion: 0, idempotencyKey: 'zzz' });
    expect(await store.version(id)).toBe(3);
  });

  it('lists every stream once, registry streams included', async () => {
    const ids = [newId(), newId(), `aop#${randomUUID()}`];
    for (const id of ids)
      await store.append(id, conversation(3), { expectedVersion: 0, idempotencyKey: 'x' });
    const listed = await store.listConversations();
    for (const id of ids) expect(listed.filter((listedId) => listedId === id)).toHaveLength(1);
  });

  it('fails with AppendLimitError above 100 transaction items, before writing', async () => {
    const id = newId();
    const error = await thrown(() =>
      store.append(id, conversation(100), { expectedVersion: 0, idempotencyKey: 'k' }),
    );
    expect(isAppendLimitError(error)).toBe(true);
    expect(error).toMatchObject({ limit: 'transaction-items', received: 101, max: 100 });
    expect(await store.version(id)).toBe(0);
    const full = await store.append(id, conversation(100), { expectedVersion: 0 });
    expect(full.events).toHaveLength(100);
    expect(await store.version(id)).toBe(100);
  });

  it('fails with AppendLimitError when an event or the whole append is too large for DynamoDB', async () => {
    const id = newId();
    const sized = (bytes: number): NewEvent => ({
      ...sampleEvents['tool.succeeded'],
      data: { tool: 't', output: 'x'.repeat(bytes), latencyMs: 1 },
    });
    expect(await thrown(() => store.append(id, [sized(400_000)], { expectedVersion: 0 }))).toMatchObject({
      name: 'AppendLimitError',
      limit: 'item-size',
    });
    const tooMuch = Array.from({ length: 12 }, () => sized(350_000));
    expect(await thrown(() => store.append(id, tooMuch, { expectedVersion: 0 }))).toMatchObject({
      name: 'AppendLimitError',
      limit: 'transaction-size',
    });
    expect(await store.version(id)).toBe(0);
  });

  it('fails with InvalidAppendError when an event breaks the catalogue, and stores nothing', async () => {
    const id = newId();
    const bad = { ...sampleEvents['tool.failed'], data: { tool: 'x' } } as unknown as NewEvent;
    const error = await thrown(() =>
      store.append(id, [sampleEvents['conversation.started'], bad], { expectedVersion: 0 }),
    );
    expect(isInvalidAppendError(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'invalid-event', index: 1 });
    expect(await store.version(id)).toBe(0);
  });

  it('fails with InvalidAppendError on an empty batch or a negative version', async () => {
    expect(await thrown(() => store.append(newId(), [], { expectedVersion: 0 }))).toMatchObject({
      reason: 'empty-append',
    });
    expect(await thrown(() => store.append(newId(), conversation(1), { expectedVersion: -1 }))).toMatchObject(
      {
        reason: 'invalid-options',
      },
    );
  });

  it('fails verification when an event was edited in the table behind the store', async () => {
    const id = newId();
    const { events } = await store.append(id, conversation(6), { expectedVersion: 0 });
    const forged = { ...events[3], actor: 'operator' };
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: id }, sk: { S: eventSortKey(4) } },
        UpdateExpression: 'SET #event = :event',
        ExpressionAttributeNames: { '#event': 'event' },
        ExpressionAttributeValues: { ':event': { S: JSON.stringify(forged) } },
      }),
    );
    expect(verifyChain(await store.read(id))).toMatchObject({
      ok: false,
      firstBadSeq: 4,
      reason: 'hash-mismatch',
    });
  });

  it('fails with CorruptEventError when a stored item is not a catalogue event', async () => {
    const id = newId();
    await store.append(id, conversation(2), { expectedVersion: 0 });
    await client.send(
      new UpdateItemCommand({
        TableName: tableName,
        Key: { pk: { S: id }, sk: { S: eventSortKey(2) } },
        UpdateExpression: 'SET #event = :event',
        ExpressionAttributeNames: { '#event': 'event' },
        ExpressionAttributeValues: { ':event': { S: '{"type":"order.teleported"}' } },
      }),
    );
    const error = await thrown(() => store.read(id));
    expect(isCorruptEventError(error)).toBe(true);
    expect(error).toMatchObject({ conversationId: id, sk: 'e#0000000002' });
  });

  it('queries the last event only for version()', async () => {
    const id = newId();
    await store.append(id, conversation(4), { expectedVersion: 0, idempotencyKey: 'only' });
    const { Items } = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: id } },
      }),
    );
    // Four events plus the idempotency record, which sorts after every event.
    expect(Items?.map((item) => item.sk?.S)).toEqual([
      'e#0000000001',
      'e#0000000002',
      'e#0000000003',
      'e#0000000004',
      'i#only',
    ]);
    expect(Items?.[4]).toMatchObject({ fromSeq: { N: '1' }, toSeq: { N: '4' } });
    expect(await store.version(id)).toBe(4);
  });
});
