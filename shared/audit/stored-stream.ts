import { type AttributeValue, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { eventSortKey } from '../events/store.ts';

/**
 * A stream exactly as DynamoDB holds it, for audit: the event items undecoded (a tampered item must be
 * reported, not fail the read as `EventStore.read` would), the idempotency records every append with a
 * key leaves (`i#…`, holding the seq range it wrote: anchors that show how long the log once was), and
 * whether a turn holds the conversation's lease right now.
 */

/** One `e#…` item: its sort key, the event JSON as stored, and the attributes copied beside it. */
export interface StoredItem {
  readonly sk: string;
  /** The `event` attribute verbatim (what the hash covers, once parsed). */
  readonly json: string;
  /** `seq`, `type`, `time`, `prevHash`, `hash` as the item's own attributes. */
  readonly attributes: Readonly<Record<string, string | undefined>>;
}

/** An idempotent append: the key it was made with and the seqs it wrote. */
export interface AppendAnchor {
  readonly key: string;
  readonly fromSeq: number;
  readonly toSeq: number;
}

export interface StoredStream {
  readonly conversationId: string;
  readonly items: readonly StoredItem[];
  readonly anchors: readonly AppendAnchor[];
  /** A turn holds the lease: the log may end inside that turn. */
  readonly locked: boolean;
}

export interface StoredStreamReader {
  read(conversationId: string): Promise<StoredStream>;
}

export function createStoredStreamReader({
  client,
  tableName,
  now = () => Date.now(),
}: {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  readonly now?: () => number;
}): StoredStreamReader {
  return {
    async read(conversationId) {
      const items: StoredItem[] = [];
      const anchors: AppendAnchor[] = [];
      let locked = false;
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: tableName,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': 'pk' },
            ExpressionAttributeValues: { ':pk': { S: conversationId } },
            ConsistentRead: true,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of page.Items ?? []) {
          const sk = item.sk?.S ?? '';
          if (sk.startsWith('e#')) {
            items.push({
              sk,
              json: item.event?.S ?? '',
              attributes: {
                seq: item.seq?.N,
                type: item.type?.S,
                time: item.time?.S,
                prevHash: item.prevHash?.S,
                hash: item.hash?.S,
              },
            });
          } else if (sk.startsWith('i#')) {
            anchors.push({
              key: sk.slice(2),
              fromSeq: Number(item.fromSeq?.N),
              toSeq: Number(item.toSeq?.N),
            });
          } else if (sk === 'lock') {
            locked = Number(item.expiresAt?.N ?? 0) > now();
          }
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return { conversationId, items, anchors, locked };
    },
  };
}

/**
 * Decodes stored items for the chain check. An item whose JSON does not parse, or whose copied
 * attributes disagree with its event, was altered outside the store: it is reported at the seq it
 * holds the place of (the chain is verified only up to it).
 */
export function decodeItems(items: readonly StoredItem[]): {
  events: unknown[];
  problem?: { index: number; message: string };
} {
  const events: unknown[] = [];
  for (const [index, item] of items.entries()) {
    let event: unknown;
    try {
      event = JSON.parse(item.json);
    } catch {
      return { events, problem: { index, message: `item ${item.sk} does not hold event JSON` } };
    }
    const mismatch = attributeMismatch(item, event);
    if (mismatch) return { events, problem: { index, message: `item ${item.sk}: ${mismatch}` } };
    events.push(event);
  }
  return { events };
}

function attributeMismatch(item: StoredItem, event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return 'the event is not an object';
  const record = event as Record<string, unknown>;
  if (item.sk !== eventSortKey(Number(record.seq)))
    return `its sort key does not match the event's seq ${String(record.seq)}`;
  for (const name of ['seq', 'type', 'time', 'prevHash', 'hash'] as const) {
    if (item.attributes[name] !== String(record[name]))
      return `attribute ${name} (${String(item.attributes[name])}) disagrees with the stored event (${String(record[name])})`;
  }
  return undefined;
}
