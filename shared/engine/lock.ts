import { randomUUID } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { AppendItem } from '../events/store.ts';

/**
 * One turn at a time per conversation. A lease item (`sk = lock`) in the events table is taken with a
 * conditional put and expires on its own, so a crashed holder cannot block a conversation forever.
 * Whoever holds it answers every pending message in arrival order; others wait for their answer. The
 * put and the release can be items of the turn's own appends (`prepare`, `releaseItem`), so the
 * common turn pays no request for its lease. While held, the lease is renewed every third of its
 * length, so a holder that is slow (draining queued messages, a slow model) keeps it, and only a dead
 * one loses it: a turn never starts while another is open.
 */
export interface ConversationLock {
  /** The lease, or null when another holder has it. */
  acquire(conversationId: string): Promise<Lease | null>;
  /**
   * The lease taken by an append instead of a request of its own: `acquireItem` goes into the append
   * (it fails the append, with `LEASE_LABEL`, when another holder has the lease); call `acquired()`
   * once that append succeeded. Until then `lease` releases nothing.
   */
  prepare(conversationId: string): PreparedLease;
}

export interface PreparedLease {
  readonly acquireItem: AppendItem;
  readonly lease: Lease;
  acquired(): void;
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
  /** Pushes the expiry forward while this owner still holds it; false once it is lost. */
  async function renew(conversationId: string, owner: string): Promise<boolean> {
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: keyOf(conversationId),
          UpdateExpression: 'SET expiresAt = :expires',
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: {
            ':owner': { S: owner },
            ':expires': { N: String(Date.now() + leaseMs) },
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      // A failed renewal is retried at the next beat; the lease is still ours until it expires.
      return true;
    }
  }
  const keyOf = (conversationId: string) => ({ pk: { S: conversationId }, sk: { S: 'lock' } });

  /** The lease item's put: free, or its holder's time ran out. */
  function acquirePut(conversationId: string, owner: string) {
    const now = Date.now();
    return {
      TableName: tableName,
      Item: { ...keyOf(conversationId), owner: { S: owner }, expiresAt: { N: String(now + leaseMs) } },
      ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
      ExpressionAttributeValues: { ':now': { N: String(now) } },
    };
  }

  function leaseOf(conversationId: string, owner: string, held: boolean) {
    const Key = keyOf(conversationId);
    const ownedBy = {
      ConditionExpression: '#owner = :owner',
      ExpressionAttributeNames: { '#owner': 'owner' },
      ExpressionAttributeValues: { ':owner': { S: owner } },
    };
    let done = !held;
    let beat: ReturnType<typeof setInterval> | undefined;
    const stopBeat = () => {
      if (beat !== undefined) clearInterval(beat);
      beat = undefined;
    };
    const startBeat = () => {
      stopBeat();
      beat = setInterval(
        () => {
          void renew(conversationId, owner).then((kept) => {
            if (!kept) stopBeat();
          });
        },
        Math.max(50, Math.floor(leaseMs / 3)),
      );
      beat.unref?.();
    };
    if (held) startBeat();
    const release = async () => {
      stopBeat();
      if (done) return;
      done = true;
      try {
        await client.send(new DeleteItemCommand({ TableName: tableName, Key, ...ownedBy }));
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    };
    const lease: Lease = Object.assign(release, {
      releaseItem: { label: LEASE_LABEL, item: { Delete: { TableName: tableName, Key, ...ownedBy } } },
      released: () => {
        stopBeat();
        done = true;
      },
    });
    return {
      lease,
      acquired: () => {
        done = false;
        startBeat();
      },
    };
  }

  return {
    async acquire(conversationId) {
      const owner = randomUUID();
      try {
        await client.send(new PutItemCommand(acquirePut(conversationId, owner)));
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return null;
        throw error;
      }
      return leaseOf(conversationId, owner, true).lease;
    },
    prepare(conversationId) {
      const owner = randomUUID();
      return {
        acquireItem: { label: LEASE_LABEL, item: { Put: acquirePut(conversationId, owner) } },
        ...leaseOf(conversationId, owner, false),
      };
    },
  };
}
