import {
  type AttributeValue,
  BatchWriteItemCommand,
  type DynamoDBClient,
  ScanCommand,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';

/**
 * Seeding a tenant's tables with its reference data (`defineTenant({ seed })`). BatchWriteItem is right
 * here and nowhere else: seeding replaces whole records and owes nothing to concurrent writers.
 */

/** The records of one table: each with the value of the table's key, to tell which are stored already. */
export interface SeedSet {
  readonly table: string;
  /** The table's partition key attribute (a string). */
  readonly key: string;
  readonly items: readonly { readonly id: string; readonly item: Record<string, AttributeValue> }[];
}

export interface SeedOptions {
  /** Only the records the tables lack (a persistent local database keeps what conversations changed). */
  readonly onlyMissing?: boolean;
  /** Batches in flight at once. Default: 8. */
  readonly concurrency?: number;
  /** Attempts per batch while DynamoDB returns unprocessed items. Default: 10. */
  readonly maxAttempts?: number;
}

/** Writes the sets' records (all, or the missing ones); returns how many were written. */
export async function seedTables(
  client: DynamoDBClient,
  sets: readonly SeedSet[],
  { onlyMissing = false, ...options }: SeedOptions = {},
): Promise<number> {
  const requests: { table: string; request: WriteRequest }[] = [];
  for (const { table, key, items } of sets) {
    const stored = onlyMissing ? await storedKeys(client, table, key) : new Set<string>();
    for (const { id, item } of items)
      if (!stored.has(id)) requests.push({ table, request: { PutRequest: { Item: item } } });
  }
  await writeAll(client, requests, options);
  return requests.length;
}

/** The key values stored in a table (a keys-only scan). */
export async function storedKeys(client: DynamoDBClient, table: string, key: string): Promise<Set<string>> {
  const keys = new Set<string>();
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        ProjectionExpression: '#k',
        ExpressionAttributeNames: { '#k': key },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const id = item[key]?.S;
      if (id !== undefined) keys.add(id);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return keys;
}

/** Writes the requests in batches of 25, `concurrency` at a time, retrying what DynamoDB leaves unprocessed. */
export async function writeAll(
  client: DynamoDBClient,
  requests: readonly { readonly table: string; readonly request: WriteRequest }[],
  { concurrency = 8, maxAttempts = 10 }: Omit<SeedOptions, 'onlyMissing'> = {},
): Promise<void> {
  const batches: Record<string, WriteRequest[]>[] = [];
  for (let start = 0; start < requests.length; start += 25) {
    const batch: Record<string, WriteRequest[]> = {};
    for (const { table, request } of requests.slice(start, start + 25))
      batch[table] = [...(batch[table] ?? []), request];
    batches.push(batch);
  }
  let next = 0;
  async function worker() {
    for (let batch = batches[next++]; batch !== undefined; batch = batches[next++])
      await writeBatch(client, batch, maxAttempts);
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

async function writeBatch(
  client: DynamoDBClient,
  batch: Record<string, WriteRequest[]>,
  maxAttempts: number,
): Promise<void> {
  let pending = batch;
  for (let attempt = 1; Object.keys(pending).length > 0; attempt++) {
    if (attempt > maxAttempts) {
      const left = Object.values(pending).reduce((n, requests) => n + requests.length, 0);
      throw new Error(`Seeding left ${left} unprocessed items after ${maxAttempts} attempts; retry the seed`);
    }
    if (attempt > 1) await new Promise((done) => setTimeout(done, Math.min(50 * 2 ** attempt, 2_000)));
    const { UnprocessedItems } = await client.send(new BatchWriteItemCommand({ RequestItems: pending }));
    pending = Object.fromEntries(
      Object.entries(UnprocessedItems ?? {}).filter(([, requests]) => requests.length > 0),
    );
  }
}
