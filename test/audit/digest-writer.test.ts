import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createDigestWriter,
  createLocalDigestSigner,
  createTableDigestStore,
  type DigestStore,
  digestHash,
  ensureDigestTable,
  type SignedDigest,
} from '../../shared/audit/index.ts';

/**
 * The digest writer chains each turn's digest onto the one it wrote last without reading the store
 * (one DynamoDB query a turn locally, one S3 listing in AWS), and stays correct when another
 * container sealed the conversation in between: its put finds the index taken and it reads the store.
 */

let client: DynamoDBClient;
let store: DigestStore;
let latestReads = 0;

beforeAll(async () => {
  client = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint') });
  const tableName = `digest-writer-${randomUUID().slice(0, 8)}-digests`;
  await ensureDigestTable(client, tableName);
  const table = createTableDigestStore({ client, tableName });
  store = {
    ...table,
    latest: (conversationId) => {
      latestReads++;
      return table.latest(conversationId);
    },
  };
});

afterAll(() => client.destroy());

const hashOf = (n: number) => n.toString(16).padStart(64, '0');
const writer = () =>
  createDigestWriter({
    store,
    signer: createLocalDigestSigner(generateKeyPairSync('ed25519').privateKey),
    onError: (error) => {
      throw error;
    },
  });

function expectChained(digests: readonly SignedDigest[]): void {
  digests.forEach((digest, i) => {
    expect(digest.index).toBe(i + 1);
    if (i > 0) expect(digest.previousDigestHash).toBe(digestHash(digests[i - 1]!));
  });
}

describe('digest writer', () => {
  it('reads the store once per conversation, then chains onto the digest it wrote', async () => {
    const conversationId = `c-${randomUUID()}`;
    const sealer = writer();
    latestReads = 0;
    for (const seq of [4, 9, 15, 22]) await sealer.seal({ conversationId, seq, hash: hashOf(seq) });
    expect(latestReads).toBe(1);
    const stored = (await store.list(conversationId)) as SignedDigest[];
    expect(stored.map((digest) => digest.seq)).toEqual([4, 9, 15, 22]);
    expectChained(stored);
  });

  it('chains onto what another container sealed meanwhile (its remembered digest was stale)', async () => {
    const conversationId = `c-${randomUUID()}`;
    const [first, second] = [writer(), writer()];
    await first.seal({ conversationId, seq: 4, hash: hashOf(4) });
    await second.seal({ conversationId, seq: 9, hash: hashOf(9) });
    // `first` remembers index 1; index 2 is taken: the put fails, the retry reads the store.
    latestReads = 0;
    const third = await first.seal({ conversationId, seq: 15, hash: hashOf(15) });
    expect(third).toMatchObject({ index: 3, seq: 15 });
    expect(latestReads).toBe(1);
    // A head the other container sealed already is not sealed again.
    await second.seal({ conversationId, seq: 30, hash: hashOf(30) });
    expect(await first.seal({ conversationId, seq: 30, hash: hashOf(30) })).toBeUndefined();
    const stored = (await store.list(conversationId)) as SignedDigest[];
    expect(stored.map((digest) => digest.seq)).toEqual([4, 9, 15, 30]);
    expectChained(stored);
  });
});
