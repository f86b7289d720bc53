import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { TenantTable } from '../../../shared/tenant/define-tenant.ts';
import { type SeedSet, seedTables } from '../../../shared/tenant/seed.ts';
import { idempotentWriteTable } from '../../../shared/tools/idempotent-write.ts';
import {
  type CustomerRecord,
  CustomerRecordSchema,
  type InvoiceRecord,
  InvoiceRecordSchema,
  type Plan,
  type PlanRecord,
  PlanRecordSchema,
  type SubscriptionRecord,
  SubscriptionRecordSchema,
  type SubscriptionsDb,
  SubscriptionsDbSchema,
} from './schemas.ts';

/**
 * The tenant's data on DynamoDB: one table per record kind, each record one item in db.json's shape,
 * keyed by its own id. Customers are found by email or by name and zip through two indexes; a
 * customer's subscriptions and invoices, and a subscription's invoices, through indexes on the owning
 * id. Internal attributes (index keys, `record_version`) never leave this module.
 */

export const CUSTOMERS_BY_EMAIL = 'by-email';
export const CUSTOMERS_BY_NAME_ZIP = 'by-name-zip';
export const BY_CUSTOMER = 'by-customer';
export const BY_SUBSCRIPTION = 'by-subscription';

/** Lower-cased email, for `by-email` (emails match whatever their case). */
const EMAIL_KEY = 'email_key';
/** Lower-cased first and last name plus zip, for `by-name-zip`. */
const NAME_ZIP_KEY = 'name_zip_key';
/** Optimistic concurrency: a write conditions on the version it read and stores version + 1. */
const VERSION = 'record_version';

/** The tables, as the platform creates them (locally at start, by the stack in AWS). */
export const SUBSCRIPTION_TABLES: readonly TenantTable[] = [
  {
    name: 'customers',
    partitionKey: 'customer_id',
    // Payment methods are added by the customer on the website, never by the assistant.
    access: 'read',
    indexes: [
      { name: CUSTOMERS_BY_EMAIL, partitionKey: EMAIL_KEY },
      { name: CUSTOMERS_BY_NAME_ZIP, partitionKey: NAME_ZIP_KEY },
    ],
  },
  {
    name: 'subscriptions',
    partitionKey: 'subscription_id',
    indexes: [{ name: BY_CUSTOMER, partitionKey: 'customer_id' }],
  },
  {
    name: 'invoices',
    partitionKey: 'invoice_id',
    indexes: [
      { name: BY_CUSTOMER, partitionKey: 'customer_id' },
      { name: BY_SUBSCRIPTION, partitionKey: 'subscription_id' },
    ],
  },
  // Three plans, listed whole.
  { name: 'plans', partitionKey: 'plan_id', access: 'read', scans: true },
  idempotentWriteTable(),
];

export interface SubscriptionTableNames {
  readonly customers: string;
  readonly subscriptions: string;
  readonly invoices: string;
  readonly plans: string;
  readonly toolCalls: string;
}

export function subscriptionTableNames(tablePrefix: string): SubscriptionTableNames {
  return {
    customers: `${tablePrefix}customers`,
    subscriptions: `${tablePrefix}subscriptions`,
    invoices: `${tablePrefix}invoices`,
    plans: `${tablePrefix}plans`,
    toolCalls: `${tablePrefix}tool-calls`,
  };
}

export interface Versioned<T> {
  readonly record: T;
  readonly version: number;
}

const MARSHALL_OPTIONS = { removeUndefinedValues: true, convertClassInstanceToMap: true } as const;

export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

export function nameZipKey(firstName: string, lastName: string, zip: string): string {
  return JSON.stringify([firstName.trim().toLowerCase(), lastName.trim().toLowerCase(), zip.trim()]);
}

function encodeCustomer(customer: CustomerRecord): Record<string, AttributeValue> {
  return marshall(
    {
      ...customer,
      [EMAIL_KEY]: emailKey(customer.email),
      [NAME_ZIP_KEY]: nameZipKey(customer.name.first_name, customer.name.last_name, customer.zip),
    },
    MARSHALL_OPTIONS,
  );
}

function encodeVersioned<T extends object>(record: T, version: number): Record<string, AttributeValue> {
  return marshall({ ...record, [VERSION]: version }, MARSHALL_OPTIONS);
}

/** The db.json of this tenant (synthetic, see ../data/SOURCE.md). Read only when seeding. */
export function loadSubscriptionsDb(): SubscriptionsDb {
  const text = readFileSync(join(import.meta.dirname, '../data/db.json'), 'utf8');
  return SubscriptionsDbSchema.parse(JSON.parse(text));
}

/**
 * Writes the reference records into the tables; with `onlyMissing`, only those whose key the tables
 * lack, so what conversations changed in a persistent local database stays. Returns how many it wrote.
 */
export async function seedSubscriptionsData(
  client: DynamoDBClient,
  tablePrefix: string,
  { onlyMissing }: { readonly onlyMissing: boolean },
): Promise<number> {
  const db = loadSubscriptionsDb();
  const tables = subscriptionTableNames(tablePrefix);
  const sets: SeedSet[] = [
    {
      table: tables.plans,
      key: 'plan_id',
      items: Object.values(db.plans).map((plan) => ({ id: plan.plan_id, item: marshall(plan) })),
    },
    {
      table: tables.customers,
      key: 'customer_id',
      items: Object.values(db.customers).map((customer) => ({
        id: customer.customer_id,
        item: encodeCustomer(customer),
      })),
    },
    {
      table: tables.subscriptions,
      key: 'subscription_id',
      items: Object.values(db.subscriptions).map((subscription) => ({
        id: subscription.subscription_id,
        item: encodeVersioned(subscription, 0),
      })),
    },
    {
      table: tables.invoices,
      key: 'invoice_id',
      items: Object.values(db.invoices).map((invoice) => ({
        id: invoice.invoice_id,
        item: encodeVersioned(invoice, 0),
      })),
    },
  ];
  return seedTables(client, sets, { onlyMissing });
}

/** The reads and the conditional writes the tools need. Reads of records are strongly consistent. */
export interface SubscriptionStore {
  readonly tables: SubscriptionTableNames;
  getCustomer(customerId: string): Promise<CustomerRecord | undefined>;
  /** Customer ids whose email matches whatever its case (an index: eventually consistent). */
  customerIdsByEmail(email: string): Promise<string[]>;
  customerIdsByNameZip(firstName: string, lastName: string, zip: string): Promise<string[]>;
  getSubscription(subscriptionId: string): Promise<Versioned<SubscriptionRecord> | undefined>;
  subscriptionsOf(customerId: string): Promise<SubscriptionRecord[]>;
  getInvoice(invoiceId: string): Promise<Versioned<InvoiceRecord> | undefined>;
  invoicesOfCustomer(customerId: string): Promise<InvoiceRecord[]>;
  invoicesOfSubscription(subscriptionId: string): Promise<Versioned<InvoiceRecord>[]>;
  plans(): Promise<Map<Plan, PlanRecord>>;
  /** Puts a changed subscription, conditioned on the version that was read. */
  putSubscription(record: SubscriptionRecord, read: Versioned<SubscriptionRecord>): TransactWriteItem;
  /** Puts a changed invoice, conditioned on the version that was read. */
  putInvoice(record: InvoiceRecord, read: Versioned<InvoiceRecord>): TransactWriteItem;
  /** Adds an invoice, conditioned on its id being new. */
  addInvoice(record: InvoiceRecord): TransactWriteItem;
}

export function createSubscriptionStore(client: DynamoDBClient, tablePrefix: string): SubscriptionStore {
  const tables = subscriptionTableNames(tablePrefix);

  async function getItem(TableName: string, Key: Record<string, AttributeValue>) {
    const { Item } = await client.send(new GetItemCommand({ TableName, Key, ConsistentRead: true }));
    return Item;
  }

  /** The partition keys an index holds under `value` (keys-only indexes; the items are read after). */
  async function queryKeys(
    TableName: string,
    IndexName: string,
    attribute: string,
    value: string,
    key: string,
  ): Promise<string[]> {
    const keys: string[] = [];
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName,
          IndexName,
          KeyConditionExpression: '#attribute = :value',
          ExpressionAttributeNames: { '#attribute': attribute },
          ExpressionAttributeValues: { ':value': { S: value } },
          ExclusiveStartKey,
        }),
      );
      for (const item of page.Items ?? []) if (item[key]?.S) keys.push(item[key].S);
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    return keys.sort();
  }

  function decodeVersioned<T>(
    item: Record<string, AttributeValue>,
    parse: (value: unknown) => T,
  ): Versioned<T> {
    const { [VERSION]: version, ...fields } = unmarshall(item);
    return { record: parse(fields), version: Number(version ?? 0) };
  }

  const store: SubscriptionStore = {
    tables,
    async getCustomer(customerId) {
      const item = await getItem(tables.customers, { customer_id: { S: customerId } });
      if (!item) return undefined;
      const { [EMAIL_KEY]: _email, [NAME_ZIP_KEY]: _nameZip, ...fields } = unmarshall(item);
      return CustomerRecordSchema.parse(fields);
    },
    customerIdsByEmail(email) {
      return queryKeys(tables.customers, CUSTOMERS_BY_EMAIL, EMAIL_KEY, emailKey(email), 'customer_id');
    },
    customerIdsByNameZip(firstName, lastName, zip) {
      return queryKeys(
        tables.customers,
        CUSTOMERS_BY_NAME_ZIP,
        NAME_ZIP_KEY,
        nameZipKey(firstName, lastName, zip),
        'customer_id',
      );
    },
    async getSubscription(subscriptionId) {
      const item = await getItem(tables.subscriptions, { subscription_id: { S: subscriptionId } });
      return item ? decodeVersioned(item, (fields) => SubscriptionRecordSchema.parse(fields)) : undefined;
    },
    async subscriptionsOf(customerId) {
      const ids = await queryKeys(
        tables.subscriptions,
        BY_CUSTOMER,
        'customer_id',
        customerId,
        'subscription_id',
      );
      const found = await Promise.all(ids.map((id) => store.getSubscription(id)));
      return found.flatMap((entry) => (entry ? [entry.record] : []));
    },
    async getInvoice(invoiceId) {
      const item = await getItem(tables.invoices, { invoice_id: { S: invoiceId } });
      return item ? decodeVersioned(item, (fields) => InvoiceRecordSchema.parse(fields)) : undefined;
    },
    async invoicesOfCustomer(customerId) {
      const ids = await queryKeys(tables.invoices, BY_CUSTOMER, 'customer_id', customerId, 'invoice_id');
      const found = await Promise.all(ids.map((id) => store.getInvoice(id)));
      return found.flatMap((entry) => (entry ? [entry.record] : []));
    },
    async invoicesOfSubscription(subscriptionId) {
      const ids = await queryKeys(
        tables.invoices,
        BY_SUBSCRIPTION,
        'subscription_id',
        subscriptionId,
        'invoice_id',
      );
      const found = await Promise.all(ids.map((id) => store.getInvoice(id)));
      return found.flatMap((entry) => (entry ? [entry] : []));
    },
    async plans() {
      const plans = new Map<Plan, PlanRecord>();
      let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({ TableName: tables.plans, ConsistentRead: true, ExclusiveStartKey }),
        );
        for (const item of page.Items ?? []) {
          const plan = PlanRecordSchema.parse(unmarshall(item));
          plans.set(plan.plan_id, plan);
        }
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return plans;
    },
    putSubscription(record, read) {
      return versionedPut(tables.subscriptions, record, read.version);
    },
    putInvoice(record, read) {
      return versionedPut(tables.invoices, record, read.version);
    },
    addInvoice(record) {
      return {
        Put: {
          TableName: tables.invoices,
          Item: encodeVersioned(record, 0),
          ConditionExpression: 'attribute_not_exists(invoice_id)',
        },
      };
    },
  };
  return store;
}

function versionedPut(TableName: string, record: object, version: number): TransactWriteItem {
  return {
    Put: {
      TableName,
      Item: encodeVersioned(record, version + 1),
      ConditionExpression: '#version = :version',
      ExpressionAttributeNames: { '#version': VERSION },
      ExpressionAttributeValues: { ':version': { N: String(version) } },
    },
  };
}
