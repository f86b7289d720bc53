import { randomBytes } from 'node:crypto';
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  type CreateTableCommandInput,
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import type { AppendItem } from '../events/store.ts';
import { ensureTable, eventTableDefinition } from '../events/table.ts';
import { DataKeyUnwrapError } from './errors.ts';
import type { KeyWrapper } from './key-wrapper.ts';

/**
 * Data keys, one per conversation, wrapped by the master key, in their own table (so erasing can delete
 * from it while the events table stays append-only):
 *
 * - `pk = conv#<conversation>`, `sk = key`: `wrapped` data key, or, once erased, a tombstone
 *   (`erasedAt`, no key). The tombstone is why an erased conversation refuses new events instead of
 *   silently getting a fresh key.
 * - `pk = customer#<customer>`, `sk = conv#<conversation>`: the conversation is the customer's (written
 *   when the customer is authenticated in it). Erasing the customer destroys every key linked to them.
 *
 * A key is conversation-scoped rather than customer-scoped because a conversation's first messages
 * come before anyone knows who the customer is, and an append-only log cannot be re-encrypted later.
 */

export type DataKeyState =
  | { readonly state: 'active'; readonly key: Buffer }
  | { readonly state: 'erased' }
  /** The conversation has no key: written before encryption, or not a conversation (the registry). */
  | { readonly state: 'none' };

export interface KeyOfOptions {
  /** Make a key if the conversation has none (never after it was erased). */
  readonly create?: boolean;
}

/** Labels of the items the key store adds to an event append (`AppendConditionFailedError.label`). */
export const KEY_ALIVE = 'data key not erased';
export const KEY_NEW = 'new data key';

export interface DataKeyStore {
  /** The conversation's key, its tombstone, or none. */
  keyOf(conversationId: string, options?: KeyOfOptions): Promise<DataKeyState>;
  /**
   * The record that the conversation belongs to the customer, as an item to write with the events
   * that authenticate the customer, so the link exists exactly when they do (idempotent).
   */
  linkItem(conversationId: string, customerId: string): AppendItem;
  /**
   * A new key for a conversation being started, and its item to write with the conversation's first
   * events (fails if the conversation has a key). Call `remember` once that append succeeded.
   */
  prepareKey(conversationId: string): Promise<{ readonly key: Buffer; readonly item: AppendItem }>;
  remember(conversationId: string, key: Buffer): void;
  /**
   * A condition, for an append of new customer data, that the conversation's key was not erased: the
   * append and the check are one transaction, so an erasure can never be overtaken by a cached key.
   */
  aliveCheck(conversationId: string): AppendItem;
  /** Drops a cached key (after its conversation was found erased). */
  forget(conversationId: string): void;
  /** Conversations linked to the customer. */
  conversationsOf(customerId: string): Promise<string[]>;
  /** Destroys the conversation's key (idempotent). */
  eraseConversation(conversationId: string): Promise<void>;
  /** Destroys the keys of every conversation linked to the customer, then the links; returns those conversations. */
  eraseCustomer(customerId: string): Promise<string[]>;
}

const linkRecord = (conversationId: string, customerId: string, at: Date) => ({
  pk: { S: `customer#${customerId}` },
  sk: { S: `conv#${conversationId}` },
  linkedAt: { S: at.toISOString() },
});

const conversationKey = (conversationId: string) => ({
  pk: { S: `conv#${conversationId}` },
  sk: { S: 'key' },
});

/** Unwrapped keys kept in memory, at most this many conversations per process. */
const CACHE_ENTRIES = 1_000;

export function createDataKeyStore({
  client,
  tableName,
  wrapper,
  clock = () => new Date(),
  cacheMs = 0,
}: {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly wrapper: KeyWrapper;
  readonly clock?: () => Date;
  /**
   * How long an unwrapped key may be reused without reading the table again (0: never). The same
   * trade as the AWS Encryption SDK's caching materials manager: one table read and one unwrap (a KMS
   * call in AWS) per conversation per window instead of per append. Only active keys are cached. A
   * new customer message is refused at once after an erasure all the same (its append carries
   * `aliveCheck`); a turn already running when the key is destroyed may finish with the cached key,
   * and what it writes is unreadable once the cache expires. Readers that must show an erasure at
   * once (the audit API) run without the cache.
   */
  readonly cacheMs?: number;
}): DataKeyStore {
  const context = (conversationId: string) => ({ conversation: conversationId, table: tableName });
  const cache = new Map<string, { key: Buffer; until: number }>();

  function remember(conversationId: string, state: DataKeyState): DataKeyState {
    if (cacheMs <= 0) return state;
    cache.delete(conversationId);
    if (state.state !== 'active') return state;
    cache.set(conversationId, { key: state.key, until: Date.now() + cacheMs });
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
    return state;
  }

  function cached(conversationId: string): DataKeyState | undefined {
    const entry = cache.get(conversationId);
    if (!entry) return undefined;
    if (entry.until < Date.now()) {
      cache.delete(conversationId);
      return undefined;
    }
    return { state: 'active', key: entry.key };
  }

  async function read(conversationId: string): Promise<DataKeyState> {
    return remember(conversationId, await readTable(conversationId));
  }

  async function readTable(conversationId: string): Promise<DataKeyState> {
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: conversationKey(conversationId),
        ConsistentRead: true,
      }),
    );
    if (!Item) return { state: 'none' };
    const wrapped = Item.wrapped?.S;
    if (!wrapped) return { state: 'erased' };
    try {
      return { state: 'active', key: await wrapper.unwrap(wrapped, context(conversationId)) };
    } catch (error) {
      throw new DataKeyUnwrapError(conversationId, { cause: error });
    }
  }

  async function linked(customerId: string): Promise<string[]> {
    const ids: string[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: `customer#${customerId}` } },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) {
        const sk = item.sk?.S ?? '';
        if (sk.startsWith('conv#')) ids.push(sk.slice('conv#'.length));
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return ids;
  }

  async function keyRecord(conversationId: string, key: Buffer): Promise<Record<string, AttributeValue>> {
    return {
      ...conversationKey(conversationId),
      wrapped: { S: await wrapper.wrap(key, context(conversationId)) },
      wrapper: { S: wrapper.id },
      createdAt: { S: clock().toISOString() },
    };
  }

  async function eraseConversation(conversationId: string): Promise<void> {
    cache.delete(conversationId);
    // Overwrites the wrapped key: from here the ciphertext in the log is noise.
    await client.send(
      new PutItemCommand({
        TableName: tableName,
        Item: { ...conversationKey(conversationId), erasedAt: { S: clock().toISOString() } },
      }),
    );
  }

  return {
    async keyOf(conversationId, { create = false } = {}) {
      const hit = cached(conversationId);
      if (hit) return hit;
      const existing = await read(conversationId);
      if (existing.state !== 'none' || !create) return existing;
      const key = randomBytes(32);
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: await keyRecord(conversationId, key),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return remember(conversationId, { state: 'active', key });
      } catch (error) {
        // Another append made it first: use theirs.
        if (error instanceof ConditionalCheckFailedException) return read(conversationId);
        throw error;
      }
    },
    linkItem(conversationId, customerId) {
      return {
        label: 'customer link',
        item: { Put: { TableName: tableName, Item: linkRecord(conversationId, customerId, clock()) } },
      };
    },
    async prepareKey(conversationId) {
      const key = randomBytes(32);
      return {
        key,
        item: {
          label: KEY_NEW,
          item: {
            Put: {
              TableName: tableName,
              Item: await keyRecord(conversationId, key),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        },
      };
    },
    remember(conversationId, key) {
      remember(conversationId, { state: 'active', key });
    },
    aliveCheck(conversationId) {
      return {
        label: KEY_ALIVE,
        item: {
          ConditionCheck: {
            TableName: tableName,
            Key: conversationKey(conversationId),
            // `wrapped` is a DynamoDB reserved word.
            ConditionExpression: 'attribute_exists(#wrapped)',
            ExpressionAttributeNames: { '#wrapped': 'wrapped' },
          },
        },
      };
    },
    forget(conversationId) {
      cache.delete(conversationId);
    },
    conversationsOf: linked,
    eraseConversation,
    async eraseCustomer(customerId) {
      const conversations = await linked(customerId);
      for (const conversationId of conversations) await eraseConversation(conversationId);
      for (const conversationId of conversations)
        await client.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: { pk: { S: `customer#${customerId}` }, sk: { S: `conv#${conversationId}` } },
          }),
        );
      return conversations;
    },
  };
}

/** Same key layout as the events table (`pk`, `sk`), without a stream: keys are never projected. */
export function keysTableDefinition(tableName: string): CreateTableCommandInput & { TableName: string } {
  const definition = eventTableDefinition(tableName);
  return { ...definition, TableName: tableName };
}

/** Creates the keys table if it is missing and waits until it is ACTIVE. For local runs and tests. */
export async function ensureKeysTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await ensureTable(client, keysTableDefinition(tableName));
}
