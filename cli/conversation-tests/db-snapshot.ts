import {
  type AttributeValue,
  DeleteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * A tenant's data tables as they are, and what a test changed in them. Generic on purpose: every
 * table whose name starts with the platform's data-table prefix, keyed by what DescribeTable says,
 * read with consistent scans. Nothing here knows the tenant's domain.
 */

export type RawItem = Record<string, AttributeValue>;

export interface TableSnapshot {
  readonly name: string;
  /** The table name without the prefix: what tests call it (`orders`). */
  readonly suffix: string;
  readonly partitionKey: string;
  readonly sortKey: string | undefined;
  /** Item key (`pk`, or `pk|sk`) → the item as stored. */
  readonly items: ReadonlyMap<string, RawItem>;
}

/** Table suffix → its snapshot. */
export type Snapshot = ReadonlyMap<string, TableSnapshot>;

export interface ItemChange {
  readonly key: string;
  /** undefined: the item was added. */
  readonly before: RawItem | undefined;
  /** undefined: the item was deleted. */
  readonly after: RawItem | undefined;
}

/** Table suffix → the items that differ (tables without changes are left out). */
export type SnapshotDiff = ReadonlyMap<string, readonly ItemChange[]>;

interface TableShape {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string | undefined;
}

/**
 * The tables under `prefix` (or exactly `names`, the tenant's declared data tables, when given) and
 * their key schemas (they do not change during a run: read them once).
 */
export async function describeTables(
  client: DynamoDBClient,
  prefix: string,
  names?: readonly string[],
): Promise<TableShape[]> {
  return Promise.all(
    (names ? [...names].sort() : await listTables(client, prefix)).map(async (name) => {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
      const keys = Table?.KeySchema ?? [];
      const partitionKey = keys.find((key) => key.KeyType === 'HASH')?.AttributeName;
      if (!partitionKey) throw new Error(`Table ${name} has no partition key`);
      return { name, partitionKey, sortKey: keys.find((key) => key.KeyType === 'RANGE')?.AttributeName };
    }),
  );
}

/** Every table whose name starts with `prefix`, sorted (all pages: a shared DynamoDB holds many). */
export async function listTables(client: DynamoDBClient, prefix: string): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await client.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(page.TableNames ?? []).filter((name) => name.startsWith(prefix)));
    start = page.LastEvaluatedTableName;
  } while (start);
  return names.sort();
}

export async function takeSnapshot(
  client: DynamoDBClient,
  prefix: string,
  tables?: readonly TableShape[],
): Promise<Snapshot> {
  const shapes = tables ?? (await describeTables(client, prefix));
  const snapshots = await Promise.all(
    shapes.map(async (table): Promise<TableSnapshot> => {
      const items = new Map<string, RawItem>();
      let start: RawItem | undefined;
      do {
        const page = await client.send(
          new ScanCommand({ TableName: table.name, ConsistentRead: true, ExclusiveStartKey: start }),
        );
        for (const item of page.Items ?? [])
          items.set(itemKey(item, table.partitionKey, table.sortKey), item);
        start = page.LastEvaluatedKey;
      } while (start);
      return { ...table, suffix: table.name.slice(prefix.length), items };
    }),
  );
  return new Map(snapshots.map((snapshot) => [snapshot.suffix, snapshot]));
}

/** `pk`, or `pk|sk` when the table has a sort key; numbers as written, binary as base64. */
export function itemKey(item: RawItem, partitionKey: string, sortKey: string | undefined): string {
  const part = (name: string) => {
    const value = item[name];
    if (value?.S !== undefined) return value.S;
    if (value?.N !== undefined) return value.N;
    if (value?.B !== undefined) return Buffer.from(value.B).toString('base64');
    return '';
  };
  return sortKey ? `${part(partitionKey)}|${part(sortKey)}` : part(partitionKey);
}

export function diffSnapshots(before: Snapshot, after: Snapshot): SnapshotDiff {
  const diff = new Map<string, ItemChange[]>();
  for (const suffix of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(suffix)?.items ?? new Map<string, RawItem>();
    const now = after.get(suffix)?.items ?? new Map<string, RawItem>();
    const changes: ItemChange[] = [];
    for (const key of new Set([...old.keys(), ...now.keys()])) {
      const was = old.get(key);
      const is = now.get(key);
      if (!same(was, is)) changes.push({ key, before: was, after: is });
    }
    if (changes.length > 0)
      diff.set(
        suffix,
        changes.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
      );
  }
  return diff;
}

/**
 * Puts every changed item back as it was: the before-image where there was one, a delete where the
 * test added the item. Unconditional, so it also undoes writes made through optimistic versions.
 */
export async function restoreSnapshot(
  client: DynamoDBClient,
  before: Snapshot,
  diff: SnapshotDiff,
): Promise<void> {
  const writes: Promise<unknown>[] = [];
  for (const [suffix, changes] of diff) {
    const table = before.get(suffix);
    if (!table) continue; // a table made during the test: not ours to touch
    for (const change of changes) {
      if (change.before)
        writes.push(client.send(new PutItemCommand({ TableName: table.name, Item: change.before })));
      else if (change.after)
        writes.push(
          client.send(
            new DeleteItemCommand({
              TableName: table.name,
              Key: keyOf(change.after, table.partitionKey, table.sortKey),
            }),
          ),
        );
    }
  }
  await Promise.all(writes);
}

/** A plain-JSON view of an item (numbers as numbers, sets as sorted arrays), for comparing and printing. */
export function plain(item: RawItem | undefined): Record<string, unknown> | undefined {
  if (!item) return undefined;
  return normalise(unmarshall(item)) as Record<string, unknown>;
}

function normalise(value: unknown): unknown {
  if (value instanceof Set) return [...value].map(normalise).sort();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, normalise(inner)]));
  return value;
}

/** The item's key attributes (what GetItem and DeleteItem take). */
export function keyOf(item: RawItem, partitionKey: string, sortKey: string | undefined): RawItem {
  const key: RawItem = { [partitionKey]: item[partitionKey]! };
  if (sortKey) key[sortKey] = item[sortKey]!;
  return key;
}

function same(a: RawItem | undefined, b: RawItem | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  // Fast path first: an untouched item comes back with its attributes in the same order.
  return json(a) === json(b) || canonical(a) === canonical(b);
}

/** A run compares every scan with the same first one: its items' JSON is made once. */
const jsonOf = new WeakMap<RawItem, string>();
function json(item: RawItem): string {
  let text = jsonOf.get(item);
  if (text === undefined) {
    text = JSON.stringify(item);
    jsonOf.set(item, text);
  }
  return text;
}

/** Key-order independent JSON of a stored item (DynamoDB does not promise attribute order). */
function canonical(item: RawItem): string {
  return JSON.stringify(sortKeys(item));
}

function sortKeys(value: unknown, setType?: string): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) {
    const items = value.map((inner) => sortKeys(inner));
    // String, number and binary sets have no order.
    return setType === 'SS' || setType === 'NS' || setType === 'BS' ? items.map(String).sort() : items;
  }
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key], key)]),
    );
  return value;
}
