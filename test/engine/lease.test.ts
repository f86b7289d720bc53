import { randomUUID } from 'node:crypto';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createConversationLock } from '../../shared/engine/lock.ts';
import { ensureEventTable } from '../../shared/events/table.ts';

/**
 * The per-conversation lease on DynamoDB Local: a holder that lives keeps it past its length (it is
 * renewed every third of it), so a slow turn is never joined by a second one; only a holder that
 * stopped renewing (a dead process) loses it, and then the next one takes it.
 */

const LEASE_MS = 600;
const TABLE = `lease-${randomUUID().slice(0, 8)}`;
let client: DynamoDBClient;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

beforeAll(async () => {
  client = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint') });
  await ensureEventTable(client, TABLE);
});

describe('the conversation lease', () => {
  it('is kept by a live holder for four times its length, and taken by the next once released', async () => {
    const lock = createConversationLock({ client, tableName: TABLE, leaseMs: LEASE_MS });
    const other = createConversationLock({ client, tableName: TABLE, leaseMs: LEASE_MS });
    const conversationId = randomUUID();
    const lease = await lock.acquire(conversationId);
    expect(lease).not.toBeNull();
    for (let beat = 0; beat < 8; beat++) {
      await sleep(LEASE_MS / 2);
      expect(await other.acquire(conversationId), `taken over after ${(beat + 1) * 300} ms`).toBeNull();
    }
    await lease?.();
    const next = await other.acquire(conversationId);
    expect(next).not.toBeNull();
    await next?.();
  });

  it('passes to the next holder once a holder stops renewing (a dead process), and not before', async () => {
    const lock = createConversationLock({ client, tableName: TABLE, leaseMs: LEASE_MS });
    const conversationId = randomUUID();
    // The lease item as a process writes it in its turn's first append, then dies before renewing.
    const prepared = lock.prepare(conversationId);
    const put = prepared.acquireItem.item.Put;
    if (!put) throw new Error('the prepared lease is not a put');
    await client.send(new PutItemCommand(put as ConstructorParameters<typeof PutItemCommand>[0]));
    expect(await lock.acquire(conversationId)).toBeNull();
    await sleep(LEASE_MS + 200);
    const next = await lock.acquire(conversationId);
    expect(next).not.toBeNull();
    await next?.();
  });

  it('a prepared lease whose append succeeded is renewed like an acquired one', async () => {
    const lock = createConversationLock({ client, tableName: TABLE, leaseMs: LEASE_MS });
    const conversationId = randomUUID();
    const prepared = lock.prepare(conversationId);
    const put = prepared.acquireItem.item.Put;
    if (!put) throw new Error('the prepared lease is not a put');
    await client.send(new PutItemCommand(put as ConstructorParameters<typeof PutItemCommand>[0]));
    prepared.acquired();
    await sleep(LEASE_MS * 3);
    expect(await lock.acquire(conversationId)).toBeNull();
    await prepared.lease();
    const next = await lock.acquire(conversationId);
    expect(next).not.toBeNull();
    await next?.();
  });
});
