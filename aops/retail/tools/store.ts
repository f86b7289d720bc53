import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
  type TransactWriteItem,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { TenantTable } from '../../../shared/tenant/define-tenant.ts';
import { storedKeys, writeAll } from '../../../shared/tenant/seed.ts';
import { ensureTenantTables } from '../../../shared/tenant/tables.ts';
import { idempotentWriteTable } from '../../../shared/tools/idempotent-write.ts';
import { compareCodePoints } from '../../../shared/tools/python-compat.ts';
import {
  type OrderRecord,
  OrderRecordSchema,
  type Product,
  ProductSchema,
  type RetailDb,
  RetailDbSchema,
  type User,
  UserSchema,
  type Variant,
  VariantSchema,
} from './schemas.ts';

/**
 * The retail tenant's data on DynamoDB: one table per record kind, each record one document in
 * db.json's shape, keyed by its natural id. Internal attributes (below) ride along on the documents
 * and never leave this module.
 */

export interface RetailTableNames {
  readonly users: string;
  readonly orders: string;
  readonly products: string;
  /** One item per successful write call, keyed by the call's idempotency key. */
  readonly toolCalls: string;
}

/** e.g. `retailTableNames('acme-')` → `acme-users`, `acme-orders`, `acme-products`, `acme-tool-calls`. */
export function retailTableNames(tablePrefix: string): RetailTableNames {
  return {
    users: `${tablePrefix}users`,
    orders: `${tablePrefix}orders`,
    products: `${tablePrefix}products`,
    toolCalls: `${tablePrefix}tool-calls`,
  };
}

/** Optimistic concurrency: every write conditions on the version it read and stores version + 1. */
const VERSION = 'record_version';
/** Lower-cased email, for the `by-email` index (τ² matches emails case-insensitively). */
const EMAIL_KEY = 'email_key';
/** Lower-cased first and last name plus zip, for the `by-name-zip` index. */
const NAME_ZIP_KEY = 'name_zip_key';
export const USERS_BY_EMAIL = 'by-email';
export const USERS_BY_NAME_ZIP = 'by-name-zip';

const MARSHALL_OPTIONS = { removeUndefinedValues: true, convertClassInstanceToMap: true } as const;

export function emailKey(email: string): string {
  return email.toLowerCase();
}

export function nameZipKey(firstName: string, lastName: string, zip: string): string {
  return JSON.stringify([firstName.toLowerCase(), lastName.toLowerCase(), zip]);
}

export interface Versioned<T> {
  readonly record: T;
  readonly version: number;
}

export function encodeUser(user: User, version: number): Record<string, AttributeValue> {
  return marshall(
    {
      ...user,
      [EMAIL_KEY]: emailKey(user.email),
      [NAME_ZIP_KEY]: nameZipKey(user.name.first_name, user.name.last_name, user.address.zip),
      [VERSION]: version,
    },
    MARSHALL_OPTIONS,
  );
}

export function encodeOrder(order: OrderRecord, version: number): Record<string, AttributeValue> {
  return marshall({ ...order, [VERSION]: version }, MARSHALL_OPTIONS);
}

export function encodeProduct(product: Product): Record<string, AttributeValue> {
  return marshall(product, MARSHALL_OPTIONS);
}

export function decodeUser(item: Record<string, AttributeValue>): Versioned<User> {
  const { [EMAIL_KEY]: _email, [NAME_ZIP_KEY]: _nameZip, [VERSION]: version, ...fields } = unmarshall(item);
  const user = UserSchema.parse(fields);
  return {
    record: { ...user, payment_methods: sortedByKey(user.payment_methods) },
    version: Number(version ?? 0),
  };
}

export function decodeOrder(item: Record<string, AttributeValue>): Versioned<OrderRecord> {
  const { [VERSION]: version, ...fields } = unmarshall(item);
  const order = OrderRecordSchema.parse(fields);
  const items = order.items.map((orderItem) => ({ ...orderItem, options: sortedByKey(orderItem.options) }));
  return { record: { ...order, items }, version: Number(version ?? 0) };
}

export function decodeProduct(item: Record<string, AttributeValue>): Product {
  return sortedProduct(ProductSchema.parse(unmarshall(item)));
}

function sortedProduct(product: Product): Product {
  const variants = Object.values(product.variants).map(sortedVariant);
  return {
    ...product,
    variants: sortedByKey(Object.fromEntries(variants.map((variant) => [variant.item_id, variant]))),
  };
}

function sortedVariant(variant: Variant): Variant {
  return { ...variant, options: sortedByKey(variant.options) };
}

/**
 * DynamoDB does not keep the order of a map's keys (db.json's order is lost on write), and need not
 * return the same order everywhere. Sorting on read makes every output the same on DynamoDB Local
 * and in AWS; the JSON is equal to τ²'s, only map keys are in sorted order.
 */
function sortedByKey<V>(map: Readonly<Record<string, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => compareCodePoints(a, b)));
}

/** db.json of the reference tenant (τ²-bench retail, MIT; see ../data/SOURCE.md). */
export function loadRetailDb(): RetailDb {
  const text = readFileSync(join(import.meta.dirname, '../data/db.json'), 'utf8');
  return RetailDbSchema.parse(JSON.parse(text));
}

/** The retail tables, as the platform creates them (locally at start, by the stack in AWS). */
export const RETAIL_TABLES: readonly TenantTable[] = [
  {
    name: 'users',
    partitionKey: 'user_id',
    indexes: [
      { name: USERS_BY_EMAIL, partitionKey: EMAIL_KEY },
      { name: USERS_BY_NAME_ZIP, partitionKey: NAME_ZIP_KEY },
    ],
  },
  { name: 'orders', partitionKey: 'order_id' },
  // Read by id, and listed whole (the catalogue is one page).
  { name: 'products', partitionKey: 'product_id', access: 'read', scans: true },
  /** One item per successful write call, keyed by the call's idempotency key. */
  idempotentWriteTable(),
];

/** Creates the tenant's tables (on-demand billing) unless they exist; resolves when all are active. */
export async function ensureRetailTables(
  client: DynamoDBClient,
  tablePrefix: string,
): Promise<RetailTableNames> {
  await ensureTenantTables(client, tablePrefix, RETAIL_TABLES);
  return retailTableNames(tablePrefix);
}

/**
 * Writes the τ² retail records into the tenant's tables; with `onlyMissing`, only those whose key the
 * tables lack, so the records conversations changed stay as they are. Returns how many it wrote.
 */
export async function seedRetailData(
  client: DynamoDBClient,
  tablePrefix: string,
  { onlyMissing }: { readonly onlyMissing: boolean },
): Promise<number> {
  const db = loadRetailDb();
  if (onlyMissing) {
    const tables = retailTableNames(tablePrefix);
    const [products, users, orders] = await Promise.all([
      storedKeys(client, tables.products, 'product_id'),
      storedKeys(client, tables.users, 'user_id'),
      storedKeys(client, tables.orders, 'order_id'),
    ]);
    db.products = Object.fromEntries(
      Object.entries(db.products).filter(([, p]) => !products.has(p.product_id)),
    );
    db.users = Object.fromEntries(Object.entries(db.users).filter(([, u]) => !users.has(u.user_id)));
    db.orders = Object.fromEntries(Object.entries(db.orders).filter(([, o]) => !orders.has(o.order_id)));
  }
  const count =
    Object.keys(db.products).length + Object.keys(db.users).length + Object.keys(db.orders).length;
  if (count > 0) await seedRetail(client, tablePrefix, db);
  return count;
}

export interface SeedOptions {
  /** Batches in flight at once. Default: 8. */
  readonly concurrency?: number;
  /** Attempts per batch while DynamoDB returns unprocessed items. Default: 10. */
  readonly maxAttempts?: number;
}

/**
 * Writes every record of `db` (records present in the tables are overwritten, at version 0).
 * BatchWriteItem is fine here and nowhere else: seeding replaces whole records and owes nothing to
 * concurrent writers.
 */
export async function seedRetail(
  client: DynamoDBClient,
  tablePrefix: string,
  db: RetailDb,
  { concurrency = 8, maxAttempts = 10 }: SeedOptions = {},
): Promise<void> {
  const tables = retailTableNames(tablePrefix);
  const requests: { table: string; request: WriteRequest }[] = [
    ...Object.values(db.products).map((product) => ({
      table: tables.products,
      request: { PutRequest: { Item: encodeProduct(product) } },
    })),
    ...Object.values(db.users).map((user) => ({
      table: tables.users,
      request: { PutRequest: { Item: encodeUser(user, 0) } },
    })),
    ...Object.values(db.orders).map((order) => ({
      table: tables.orders,
      request: { PutRequest: { Item: encodeOrder(order, 0) } },
    })),
  ];
  await writeAll(client, requests, { concurrency, maxAttempts });
}

/** Reads everything back in db.json's shape (internal attributes removed). For tests and audits. */
export async function dumpRetail(client: DynamoDBClient, tablePrefix: string): Promise<RetailDb> {
  const tables = retailTableNames(tablePrefix);
  const [products, users, orders] = await Promise.all([
    scanAll(client, tables.products),
    scanAll(client, tables.users),
    scanAll(client, tables.orders),
  ]);
  const db: RetailDb = { products: {}, users: {}, orders: {} };
  for (const item of products) {
    const product = decodeProduct(item);
    db.products[product.product_id] = product;
  }
  for (const item of users) {
    const { record } = decodeUser(item);
    db.users[record.user_id] = record;
  }
  for (const item of orders) {
    const { record } = decodeOrder(item);
    db.orders[record.order_id] = record;
  }
  return db;
}

async function scanAll(
  client: DynamoDBClient,
  TableName: string,
  options: { ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } = {},
): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName, ExclusiveStartKey, ConsistentRead: true, ...options }),
    );
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

/** The reads and the one write primitive the tools need. All reads of records are strongly consistent. */
export interface RetailStore {
  readonly tables: RetailTableNames;
  getOrder(orderId: string): Promise<Versioned<OrderRecord> | undefined>;
  getUser(userId: string): Promise<Versioned<User> | undefined>;
  getProduct(productId: string): Promise<Product | undefined>;
  /** The variant with this item id, in whichever product holds it. */
  findVariant(itemId: string): Promise<Variant | undefined>;
  /** Product name → product id for the whole catalogue. */
  productTypes(): Promise<Record<string, string>>;
  /** User ids whose email matches case-insensitively (a global index: eventually consistent). */
  userIdsByEmail(email: string): Promise<string[]>;
  /** User ids matching first and last name (case-insensitively) and zip (eventually consistent). */
  userIdsByNameZip(firstName: string, lastName: string, zip: string): Promise<string[]>;
  /** Order owner, for the runtime's ownership guard. */
  orderOwner(orderId: string): Promise<string | undefined>;
  userExists(userId: string): Promise<boolean>;
  /** Puts a changed order, conditioned on the version and status that were read. */
  putOrder(order: OrderRecord, read: Versioned<OrderRecord>): TransactWriteItem;
  /** Puts a changed user, conditioned on the version that was read. */
  putUser(user: User, read: Versioned<User>): TransactWriteItem;
}

export function createRetailStore(client: DynamoDBClient, tablePrefix: string): RetailStore {
  const tables = retailTableNames(tablePrefix);

  async function getItem(
    TableName: string,
    Key: Record<string, AttributeValue>,
    ProjectionExpression?: string,
  ) {
    const { Item } = await client.send(
      new GetItemCommand({ TableName, Key, ConsistentRead: true, ProjectionExpression }),
    );
    return Item;
  }

  async function queryUserIds(IndexName: string, attribute: string, value: string): Promise<string[]> {
    const ids: string[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tables.users,
          IndexName,
          KeyConditionExpression: '#key = :value',
          ExpressionAttributeNames: { '#key': attribute },
          ExpressionAttributeValues: { ':value': { S: value } },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) if (item.user_id?.S) ids.push(item.user_id.S);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return ids.sort();
  }

  return {
    tables,
    async getOrder(orderId) {
      const item = await getItem(tables.orders, { order_id: { S: orderId } });
      return item ? decodeOrder(item) : undefined;
    },
    async getUser(userId) {
      const item = await getItem(tables.users, { user_id: { S: userId } });
      return item ? decodeUser(item) : undefined;
    },
    async getProduct(productId) {
      const item = await getItem(tables.products, { product_id: { S: productId } });
      return item ? decodeProduct(item) : undefined;
    },
    async findVariant(itemId) {
      // The catalogue is 50 documents (about 100 KB): one scan page. τ² searches the same way; a
      // larger catalogue would want an item-id table instead.
      const items = await scanAll(client, tables.products, {
        ProjectionExpression: 'variants.#item',
        ExpressionAttributeNames: { '#item': itemId },
      });
      for (const item of items) {
        const variant = item.variants?.M?.[itemId];
        if (variant?.M) return sortedVariant(VariantSchema.parse(unmarshall(variant.M)));
      }
      return undefined;
    },
    async productTypes() {
      const items = await scanAll(client, tables.products, {
        ProjectionExpression: '#name, product_id',
        ExpressionAttributeNames: { '#name': 'name' },
      });
      const types: Record<string, string> = {};
      for (const item of items) {
        const { name, product_id } = unmarshall(item);
        types[String(name)] = String(product_id);
      }
      return types;
    },
    userIdsByEmail(email) {
      return queryUserIds(USERS_BY_EMAIL, EMAIL_KEY, emailKey(email));
    },
    userIdsByNameZip(firstName, lastName, zip) {
      return queryUserIds(USERS_BY_NAME_ZIP, NAME_ZIP_KEY, nameZipKey(firstName, lastName, zip));
    },
    async orderOwner(orderId) {
      const item = await getItem(tables.orders, { order_id: { S: orderId } }, 'user_id');
      return item?.user_id?.S;
    },
    async userExists(userId) {
      return (await getItem(tables.users, { user_id: { S: userId } }, 'user_id')) !== undefined;
    },
    putOrder(order, read) {
      return {
        Put: {
          TableName: tables.orders,
          Item: encodeOrder(order, read.version + 1),
          ConditionExpression: '#version = :version AND #status = :status',
          ExpressionAttributeNames: { '#version': VERSION, '#status': 'status' },
          ExpressionAttributeValues: {
            ':version': { N: String(read.version) },
            ':status': { S: read.record.status },
          },
        },
      };
    },
    putUser(user, read) {
      return {
        Put: {
          TableName: tables.users,
          Item: encodeUser(user, read.version + 1),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': VERSION },
          ExpressionAttributeValues: { ':version': { N: String(read.version) } },
        },
      };
    },
  };
}
