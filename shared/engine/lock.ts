import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';

/**
 * One turn at a time per conversation. A lease item (`sk = lock`) in the events table is taken with a
 * conditional put and expires on its own, so a crashed holder cannot block a conversation forever.
 * Whoever holds it answers every pending message in arrival order; others wait for their answer.
 */
export interface ConversationLock {
  acquire(conversationId: string): Promise<(() => Promise<void>) | null>;
}

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
      return async () => {
        try {
          await client.send(
            new DeleteItemCommand({
              TableName: tableName,
              Key: { pk: { S: conversationId }, sk: { S: 'lock' } },
              ConditionExpression: '#owner = :owner',
              ExpressionAttributeNames: { '#owner': 'owner' },
              ExpressionAttributeValues: { ':owner': { S: owner } },
            }),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      };
    },
  };
}
