import {
  type AttributeValue,
  type CreateTableCommandInput,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../events/table.ts';
import { type PublishedKey, PublishedKeySchema, type SignedDigest, SignedDigestSchema } from './digest.ts';
import { DigestExistsError } from './errors.ts';

/**
 * Where digests are kept: written once per key and never overwritten, somewhere the events table's
 * writer cannot rewrite. In AWS an S3 bucket with Object Lock in compliance mode (s3-digest-store.ts);
 * locally a DynamoDB table of its own (below), or memory in tests. The public keys that verify the
 * digests are published in the same store.
 */
export interface DigestStore {
  /** Stores a digest; `DigestExistsError` when its index is taken (nothing is overwritten). */
  put(digest: SignedDigest): Promise<void>;
  /** Every digest of the conversation as stored (unvalidated JSON: verify reports a bad one), in index order. */
  list(conversationId: string): Promise<unknown[]>;
  /** The conversation's newest digest, which the next one chains onto. */
  latest(conversationId: string): Promise<SignedDigest | undefined>;
  /** Publishes a public key (idempotent: the same key again is fine). */
  publishKey(key: PublishedKey): Promise<void>;
  keys(): Promise<PublishedKey[]>;
}

const INDEX_DIGITS = 10;
export const digestKey = (index: number): string => `d#${String(index).padStart(INDEX_DIGITS, '0')}`;
const KEYS_PK = 'key#';

/** Local digest table: `pk` = conversation id, `sk` = `d#<index>`; public keys under `pk = key#`. */
export function digestTableDefinition(tableName: string): CreateTableCommandInput & { TableName: string } {
  return {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

export function ensureDigestTable(client: DynamoDBClient, tableName: string): Promise<void> {
  return ensureTable(client, digestTableDefinition(tableName));
}

/** The local store: a DynamoDB table apart from the events, each item put once (`attribute_not_exists`). */
export function createTableDigestStore({
  client,
  tableName,
}: {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}): DigestStore {
  async function query(pk: string, newestOnly: boolean): Promise<string[]> {
    const out: string[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'pk' },
          ExpressionAttributeValues: { ':pk': { S: pk } },
          ConsistentRead: true,
          ScanIndexForward: !newestOnly,
          ...(newestOnly ? { Limit: 1 } : {}),
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) out.push(item.body?.S ?? '');
      startKey = newestOnly ? undefined : page.LastEvaluatedKey;
    } while (startKey);
    return out;
  }
  async function putOnce(pk: string, sk: string, body: unknown): Promise<boolean> {
    try {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: { pk: { S: pk }, sk: { S: sk }, body: { S: JSON.stringify(body) } },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
  return {
    async put(digest) {
      if (!(await putOnce(digest.conversationId, digestKey(digest.index), digest)))
        throw new DigestExistsError(digest.conversationId, digest.index);
    },
    async list(conversationId) {
      return (await query(conversationId, false)).map(parseOrMarker);
    },
    async latest(conversationId) {
      const [newest] = await query(conversationId, true);
      return newest === undefined ? undefined : SignedDigestSchema.parse(JSON.parse(newest));
    },
    async publishKey(key) {
      await putOnce(KEYS_PK, key.fingerprint, key);
    },
    async keys() {
      return (await query(KEYS_PK, false)).flatMap((text) => {
        const parsed = PublishedKeySchema.safeParse(parseOrMarker(text));
        return parsed.success ? [parsed.data] : [];
      });
    },
  };
}

/** An in-memory store with the same write-once contract, for tests and the bench. */
export function createMemoryDigestStore(): DigestStore & { readonly size: () => number } {
  const digests = new Map<string, Map<number, string>>();
  const keys = new Map<string, PublishedKey>();
  return {
    async put(digest) {
      const stream = digests.get(digest.conversationId) ?? new Map<number, string>();
      if (stream.has(digest.index)) throw new DigestExistsError(digest.conversationId, digest.index);
      stream.set(digest.index, JSON.stringify(digest));
      digests.set(digest.conversationId, stream);
    },
    async list(conversationId) {
      return [...(digests.get(conversationId) ?? new Map<number, string>())]
        .sort(([a], [b]) => a - b)
        .map(([, text]) => parseOrMarker(text));
    },
    async latest(conversationId) {
      const stream = [...(digests.get(conversationId) ?? new Map<number, string>())].sort(
        ([a], [b]) => b - a,
      );
      const newest = stream[0]?.[1];
      return newest === undefined ? undefined : SignedDigestSchema.parse(JSON.parse(newest));
    },
    async publishKey(key) {
      if (!keys.has(key.fingerprint)) keys.set(key.fingerprint, key);
    },
    async keys() {
      return [...keys.values()];
    },
    size: () => [...digests.values()].reduce((sum, stream) => sum + stream.size, 0),
  };
}

function parseOrMarker(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { unparsable: text };
  }
}
