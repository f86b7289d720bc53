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

export interface DataKeyStore {
  /** The conversation's key; with `create`, made if it has none (never after it was erased). */
  keyOf(conversationId: string, options?: { readonly create?: boolean }): Promise<DataKeyState>;
  /** Records that the conversation belongs to the customer (idempotent). */
  link(conversationId: string, customerId: string): Promise<void>;
  /** Conversations linked to the customer. */
  conversationsOf(customerId: string): Promise<string[]>;
  /** Destroys the conversation's key (idempotent). */
  eraseConversation(conversationId: string): Promise<void>;
  /** Destroys the keys of every conversation linked to the customer, then the links; returns those conversations. */
  eraseCustomer(customerId: string): Promise<string[]>;
}

const conversationKey = (conversationId: string) => ({
  pk: { S: `conv#${conversationId}` },
  sk: { S: 'key' },
});

export function createDataKeyStore({
  client,
  tableName,
  wrapper,
  clock = () => new Date(),
}: {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly wrapper: KeyWrapper;
  readonly clock?: () => Date;
}): DataKeyStore {
  const context = (conversationId: string) => ({ conversation: conversationId, table: tableName });

  async function read(conversationId: string): Promise<DataKeyState> {
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

  async function eraseConversation(conversationId: string): Promise<void> {
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
      const existing = await read(conversationId);
      if (existing.state !== 'none' || !create) return existing;
      const key = randomBytes(32);
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              ...conversationKey(conversationId),
              wrapped: { S: await wrapper.wrap(key, context(conversationId)) },
              wrapper: { S: wrapper.id },
              createdAt: { S: clock().toISOString() },
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { state: 'active', key };
      } catch (error) {
        // Another append made it first: use theirs.
        if (error instanceof ConditionalCheckFailedException) return read(conversationId);
        throw error;
      }
    },
    async link(conversationId, customerId) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            pk: { S: `customer#${customerId}` },
            sk: { S: `conv#${conversationId}` },
            linkedAt: { S: clock().toISOString() },
          },
        }),
      );
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
  const { StreamSpecification: _stream, ...definition } = eventTableDefinition(tableName);
  return { ...definition, TableName: tableName };
}

/** Creates the keys table if it is missing and waits until it is ACTIVE. For local runs and tests. */
export async function ensureKeysTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await ensureTable(client, keysTableDefinition(tableName));
}
