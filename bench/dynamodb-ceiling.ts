import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  DeleteTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { ensureTable, eventTableDefinition } from '../shared/events/table.ts';

/**
 * How many requests a second the DynamoDB at `endpoint` answers on this machine, with nothing else
 * running: point reads (GetItem), short range reads (Query of ten events) and event appends (a
 * TransactWriteItems of two conditional puts of ~1 KB, the runtime's usual append) and single puts
 * (the tools' writes). 16 requests in
 * flight, as many as keep DynamoDB Local at a full core here. Together with the requests a simulated
 * conversation sends, this bounds how many conversations a second the database alone allows, however
 * fast the rest is.
 */

export interface DynamoDbCeiling {
  readonly getsPerSecond: number;
  readonly queriesPerSecond: number;
  readonly putsPerSecond: number;
  readonly appendsPerSecond: number;
}

/** The commands a `DynamoDBClient` sent, split into reads and writes (see `countDynamoDbRequests`). */
export interface RequestCount {
  reads: number;
  writes: number;
}

const READS = new Set(['GetItemCommand', 'QueryCommand', 'ScanCommand', 'BatchGetItemCommand']);
const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'TransactWriteItemsCommand',
  'BatchWriteItemCommand',
]);

/**
 * Counts every data request any `DynamoDBClient` of this process sends until `stop()` (table
 * management is not counted). Installed before whatever else wraps `send`, and removed after it.
 */
export function countDynamoDbRequests(): { readonly count: RequestCount; stop(): void } {
  const count: RequestCount = { reads: 0, writes: 0 };
  const send = DynamoDBClient.prototype.send;
  DynamoDBClient.prototype.send = function countingSend(
    this: DynamoDBClient,
    command: { constructor: { name: string } },
    ...rest: unknown[]
  ) {
    if (READS.has(command.constructor.name)) count.reads++;
    else if (WRITES.has(command.constructor.name)) count.writes++;
    return (send as (...args: unknown[]) => Promise<unknown>).call(this, command, ...rest);
  } as typeof send;
  return {
    count,
    stop: () => {
      DynamoDBClient.prototype.send = send;
    },
  };
}

const IN_FLIGHT = 16;
const PARTITIONS = 64;
const EVENTS_PER_PARTITION = 10;

export async function measureDynamoDbCeiling(endpoint: string, seconds: number): Promise<DynamoDbCeiling> {
  const client = new DynamoDBClient({ endpoint });
  const table = `ceiling-${randomUUID().slice(0, 8)}`;
  const payload = { S: 'x'.repeat(900) };
  const key = (partition: number, seq: number): Record<string, AttributeValue> => ({
    pk: { S: `conv-${partition}` },
    sk: { S: `e#${String(seq).padStart(10, '0')}` },
  });
  let nextSeq = EVENTS_PER_PARTITION;
  const append = (partition: number) => {
    const seq = ++nextSeq;
    return new TransactWriteItemsCommand({
      TransactItems: [seq, seq + 0.5].map((n) => ({
        Put: {
          TableName: table,
          Item: { ...key(partition, n), event: payload },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
    });
  };
  const rate = async (request: (i: number) => { send(): Promise<unknown> }) => {
    let done = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (performance.now() - started < seconds * 1000) await request(done++).send();
      }),
    );
    return done / ((performance.now() - started) / 1000);
  };
  try {
    // The events table's own shape (pk, sk), as the runtime creates it.
    await ensureTable(client, eventTableDefinition(table));
    for (let seq = 1; seq <= EVENTS_PER_PARTITION; seq += 2)
      await Promise.all(
        Array.from({ length: PARTITIONS }, (_, partition) =>
          client.send(
            new TransactWriteItemsCommand({
              TransactItems: [seq, seq + 1].map((n) => ({
                Put: { TableName: table, Item: { ...key(partition, n), event: payload } },
              })),
            }),
          ),
        ),
      );
    const get = (i: number) => ({
      send: () =>
        client.send(
          new GetItemCommand({
            TableName: table,
            Key: key(i % PARTITIONS, 1 + (i % EVENTS_PER_PARTITION)),
            ConsistentRead: true,
          }),
        ),
    });
    const query = (i: number) => ({
      send: () =>
        client.send(
          new QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': { S: `conv-${i % PARTITIONS}` },
              ':from': key(0, 1).sk!,
              ':to': key(0, EVENTS_PER_PARTITION).sk!,
            },
            ConsistentRead: true,
          }),
        ),
    });
    // Warm the JIT of both processes first, as a running platform has.
    await rate(get);
    return {
      getsPerSecond: await rate(get),
      queriesPerSecond: await rate(query),
      putsPerSecond: await rate((i) => ({
        send: () =>
          client.send(
            new PutItemCommand({
              TableName: table,
              Item: { ...key(i % PARTITIONS, 1 + (i % EVENTS_PER_PARTITION)), event: payload },
            }),
          ),
      })),
      appendsPerSecond: await rate((i) => ({ send: () => client.send(append(i % PARTITIONS)) })),
    };
  } finally {
    await client.send(new DeleteTableCommand({ TableName: table })).catch(() => {});
    client.destroy();
  }
}

/**
 * Conversations a second the database alone allows, at best: each conversation's reads at the faster
 * read rate and its writes at the faster write rate, the database having a core to itself and the rest
 * of the platform costing nothing. An upper bound: the platform needs the other core, and not every
 * write is as cheap as the cheapest.
 */
export function databaseBound(perConversation: RequestCount, ceiling: DynamoDbCeiling): number {
  const reads = Math.max(ceiling.getsPerSecond, ceiling.queriesPerSecond);
  const writes = Math.max(ceiling.putsPerSecond, ceiling.appendsPerSecond);
  return 1 / (perConversation.reads / reads + perConversation.writes / writes);
}
