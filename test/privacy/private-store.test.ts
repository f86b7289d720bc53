import { randomBytes, randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewEvent } from '../../shared/events/catalogue.ts';
import { verifyChain } from '../../shared/events/hash-chain.ts';
import { createEventStore } from '../../shared/events/store.ts';
import { ensureEventTable } from '../../shared/events/table.ts';
import { isConversationErasedError, isDataKeyUnwrapError } from '../../shared/privacy/errors.ts';
import { createDataKeyStore, ensureKeysTable } from '../../shared/privacy/key-store.ts';
import { createLocalKeyWrapper } from '../../shared/privacy/key-wrapper.ts';
import { createPrivateEventStore } from '../../shared/privacy/private-store.ts';

const client = new DynamoDBClient({});
const suffix = randomUUID().slice(0, 8);
const eventsTable = `private-events-${suffix}`;
const keysTable = `private-keys-${suffix}`;
const masterKey = randomBytes(32);
const stored = createEventStore({ client, tableName: eventsTable });
const keys = createDataKeyStore({ client, tableName: keysTable, wrapper: createLocalKeyWrapper(masterKey) });
const store = createPrivateEventStore({ store: stored, keys });

const time = '2026-01-01T00:00:00.000Z';
const started: NewEvent = {
  type: 'conversation.started',
  time,
  actor: 'system',
  data: { tenant: 't', channel: 'chat' },
};
const said = (text: string): NewEvent => ({
  type: 'message.received',
  time,
  actor: 'customer',
  data: { messageId: randomUUID(), text, channel: 'chat' },
});

beforeAll(async () => {
  await Promise.all([ensureEventTable(client, eventsTable), ensureKeysTable(client, keysTable)]);
});

afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: eventsTable }));
  await client.send(new DeleteTableCommand({ TableName: keysTable }));
  client.destroy();
});

describe('createPrivateEventStore', () => {
  it('returns and reads back what was appended, while the table holds ciphertext under a valid chain', async () => {
    const id = `c-${randomUUID()}`;
    const { events } = await store.append(id, [started, said('my email is a@b.example')], {
      expectedVersion: 0,
    });
    expect(events[1]?.type === 'message.received' && events[1].data.text).toBe('my email is a@b.example');
    const raw = await stored.read(id);
    expect(raw[1]?.type === 'message.received' && raw[1].data.text).toMatch(/^enc:v1:/);
    expect(raw[0]).toEqual(events[0]);
    expect(verifyChain(raw)).toMatchObject({ ok: true });
    expect((await store.read(id)).map((event) => event.hash)).toEqual(raw.map((event) => event.hash));
  });

  it('takes two authentications of the same customer in one append (one link, no failed transaction)', async () => {
    // Issue 12's bug: a correction signed the same customer in again within one turn, and the turn's
    // transaction touched the customer's link item twice, which DynamoDB refuses (HTTP 500, a broken audit).
    const id = `c-${randomUUID()}`;
    const authenticated = (tool: string): NewEvent => ({
      type: 'customer.authenticated',
      time,
      actor: 'system',
      data: { customerId: 'sofia_rossi_8776', tool },
    });
    const { events } = await store.append(
      id,
      [
        started,
        said('sofia.rossi2645@example.com'),
        authenticated('find_user_id_by_email'),
        authenticated('find_user_id_by_name_zip'),
      ],
      { expectedVersion: 0 },
    );
    expect(events.filter((event) => event.type === 'customer.authenticated')).toHaveLength(2);
    expect(verifyChain(await stored.read(id))).toMatchObject({ ok: true, count: 4 });
    expect(await keys.conversationsOf('sofia_rossi_8776')).toContain(id);
  });

  it('gives every conversation its own key, even when two appends race to create it', async () => {
    const id = `c-${randomUUID()}`;
    await store.append(id, [started], { expectedVersion: 0 });
    await Promise.all([keys.keyOf(id, { create: true }), keys.keyOf(id, { create: true })]);
    const [a, b] = await Promise.all([keys.keyOf(id), keys.keyOf(id)]);
    expect(a).toEqual(b);
    const other = await keys.keyOf(`c-${randomUUID()}`, { create: true });
    expect(other.state === 'active' && a?.state === 'active' && other.key.equals(a.key)).toBe(false);
  });

  it('refuses new customer data in an erased conversation, and reads its old data as erased', async () => {
    const id = `c-${randomUUID()}`;
    await store.append(id, [started, said('hello')], { expectedVersion: 0 });
    await keys.eraseConversation(id);
    const error = await store
      .append(id, [said('still there?')], { expectedVersion: 2 })
      .catch((e: unknown) => e);
    expect(isConversationErasedError(error)).toBe(true);
    expect(
      (await store.read(id)).map((event) =>
        event.type === 'message.received' ? event.data.text : event.type,
      ),
    ).toEqual(['conversation.started', '[erased]']);
  });

  it('fails to read with another master key instead of pretending the data was erased', async () => {
    const id = `c-${randomUUID()}`;
    await store.append(id, [started, said('hello')], { expectedVersion: 0 });
    const stranger = createPrivateEventStore({
      store: stored,
      keys: createDataKeyStore({
        client,
        tableName: keysTable,
        wrapper: createLocalKeyWrapper(randomBytes(32)),
      }),
    });
    expect(isDataKeyUnwrapError(await stranger.read(id).catch((e: unknown) => e))).toBe(true);
  });

  it('leaves streams without customer data alone (no key is made for the AOP registry)', async () => {
    const id = `aop#x-${suffix}`;
    await store.append(
      id,
      [
        {
          type: 'aop.published',
          time,
          actor: 'operator',
          data: { aopId: 'x', version: 1, sourceHash: 'a'.repeat(64), note: 'n' },
        },
      ],
      { expectedVersion: 0 },
    );
    expect(await keys.keyOf(id)).toEqual({ state: 'none' });
  });

  it('links a conversation to the customer it authenticates, and erasing the customer erases it', async () => {
    const id = `c-${randomUUID()}`;
    await store.append(
      id,
      [
        started,
        said('hi'),
        {
          type: 'customer.authenticated',
          time,
          actor: 'system',
          data: { customerId: 'ann_bee_1', tool: 'find_user_id_by_email' },
        },
      ],
      { expectedVersion: 0 },
    );
    expect(await keys.conversationsOf('ann_bee_1')).toContain(id);
    expect(await keys.eraseCustomer('ann_bee_1')).toContain(id);
    expect(await keys.keyOf(id)).toEqual({ state: 'erased' });
    expect(await keys.conversationsOf('ann_bee_1')).toEqual([]);
  });
});

describe('cached data keys (DATA_KEY_CACHE_MS)', () => {
  it('reuses a key without reading the table, yet refuses a customer message once another process erased it', async () => {
    let reads = 0;
    const counted = new DynamoDBClient({});
    counted.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'GetItemCommand') reads++;
        return next(args);
      },
      { step: 'initialize', name: 'countKeyReads' },
    );
    const cachedKeys = createDataKeyStore({
      client: counted,
      tableName: keysTable,
      wrapper: createLocalKeyWrapper(masterKey),
      cacheMs: 60_000,
    });
    const cachedStore = createPrivateEventStore({ store: stored, keys: cachedKeys });
    const id = `c-${randomUUID()}`;
    // The first append writes the conversation's key in its own transaction, and keeps it.
    await cachedStore.append(id, [started, said('hello')], { expectedVersion: 0 });
    await cachedStore.append(id, [said('again')], { expectedVersion: 2 });
    expect(
      (await cachedStore.read(id)).map((e) => (e.type === 'message.received' ? e.data.text : e.type)),
    ).toEqual(['conversation.started', 'hello', 'again']);
    expect(reads).toBe(0);

    // `aop erase` runs elsewhere: this process still holds the key, but the append checks the table.
    await keys.eraseConversation(id);
    const refused = await cachedStore
      .append(id, [said('are you there?')], { expectedVersion: 3 })
      .catch((error: unknown) => error);
    expect(isConversationErasedError(refused)).toBe(true);
    expect(await stored.version(id)).toBe(3);
    // The key is dropped from the cache once found erased: reads show the erasure.
    expect(
      (await cachedStore.read(id)).map((e) => (e.type === 'message.received' ? e.data.text : e.type)),
    ).toEqual(['conversation.started', '[erased]', '[erased]']);
    counted.destroy();
  });
});
