import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AppendItem } from '../events/store.ts';

/**
 * One turn at a time per conversation. A lease item (`sk = lock`) in the events table is taken with a
 * conditional put and expires on its own, so a crashed holder cannot block a conversation forever.
 * Whoever holds it answers every pending message in arrival order; others wait for their answer.
 */
export interface ConversationLock {
  /** The lease, or null when another holder has it. */
  acquire(conversationId: string): Promise<Lease | null>;
}

/** Calling it releases the lease (once; later calls do nothing). */
export interface Lease {
  (): Promise<void>;
  /**
   * The release as an item of the append that ends the last turn, so the lease ends exactly when the
   * turn's end is written and costs no request of its own. Fails the append if the lease was lost.
   */
  readonly releaseItem: AppendItem;
  /** Tell the lease that an append with `releaseItem` succeeded. */
  released(): void;
}

export const LEASE_LABEL = 'turn lease';

export function createConversationLock({
  client,
  tableName,
  leaseMs = 60_000,
}: {
  client: DynamoDBClient;
  tableName: string;
  leaseMs?: number;
}): ConversationLock {
  return {
    async acquire(conversationId) {
      const owner = randomUUID();
      const now = Date.now();
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pk: { S: conversationId },
              sk: { S: 'lock' },
              owner: { S: owner },
              expiresAt: { N: String(now + leaseMs) },
            },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
            ExpressionAttributeValues: { ':now': { N: String(now) } },
          }),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return null;
        throw error;
      }
      const key = { pk: { S: conversationId }, sk: { S: 'lock' } };
      const ownedBy = {
        ConditionExpression: '#owner = :owner',
        ExpressionAttributeNames: { '#owner': 'owner' },
        ExpressionAttributeValues: { ':owner': { S: owner } },
      };
      let done = false;
      const release = async () => {
        if (done) return;
        done = true;
        try {
          await client.send(new DeleteItemCommand({ TableName: tableName, Key: key, ...ownedBy }));
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      };
      return Object.assign(release, {
        releaseItem: { label: LEASE_LABEL, item: { Delete: { TableName: tableName, Key: key, ...ownedBy } } },
        released: () => {
          done = true;
        },
      });
    },
  };
}
