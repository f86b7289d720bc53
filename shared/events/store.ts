import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  ScanCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { type NewEvent, NewEventSchema, type StoredEvent, StoredEventSchema } from './catalogue.ts';
import {
  AppendConditionFailedError,
  AppendLimitError,
  ConcurrencyConflictError,
  CorruptEventError,
  InvalidAppendError,
} from './errors.ts';
import { type ChainHead, sealEvents } from './hash-chain.ts';

/** DynamoDB's cap on items in one TransactWriteItems call. */
export const MAX_TRANSACTION_ITEMS = 100;
/** DynamoDB refuses items over 400 KB; leave room for the key and the other attributes. */
export const MAX_EVENT_JSON_BYTES = 390_000;
/** DynamoDB refuses transactions over 4 MB in total; same margin for keys and attributes. */
export const MAX_APPEND_JSON_BYTES = 4_000_000;
const SEQ_DIGITS = 10;
const MAX_SEQ = 10 ** SEQ_DIGITS - 1;

export const eventSortKey = (seq: number): string => `e#${String(seq).padStart(SEQ_DIGITS, '0')}`;
export const idempotencySortKey = (key: string): string => `i#${key}`;

const StreamIdSchema = z
  .string()
  .min(1)
  .max(1024)
  .refine((id) => Buffer.byteLength(id) <= 2048, 'must be at most 2048 bytes (DynamoDB partition key)');

const AppendOptionsSchema = z.object({
  expectedVersion: z.int().min(0).max(MAX_SEQ),
  /** Sort key limit is 1024 bytes; `i#` takes 2. */
  idempotencyKey: z
    .string()
    .min(1)
    .refine((key) => Buffer.byteLength(key) <= 1000, 'must be at most 1000 bytes')
    .optional(),
  /**
   * Hash of the event at `expectedVersion`, when the caller holds it (it came back from the previous
   * append). Saves reading the head; the conditional write still rejects a stale version.
   */
  previousHash: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});
/**
 * An item written in the same DynamoDB transaction as the events (for stores on DynamoDB): a record
 * that must exist exactly when the events do, or a condition on another item the events depend on.
 */
export interface AppendItem {
  /** Names the item in an `AppendConditionFailedError` when its condition fails. */
  readonly label: string;
  readonly item: TransactWriteItem;
}

export type AppendOptions = z.input<typeof AppendOptionsSchema> & {
  /** Items written atomically with the events (see `AppendItem`). Stores not on DynamoDB refuse them. */
  readonly with?: readonly AppendItem[];
};

const ReadOptionsSchema = z.object({
  fromSeq: z.int().min(1).max(MAX_SEQ).default(1),
  toSeq: z.int().min(1).max(MAX_SEQ).default(MAX_SEQ),
});
export type ReadOptions = z.input<typeof ReadOptionsSchema>;

export interface AppendResult {
  readonly events: StoredEvent[];
  /** True when the idempotency key was used before: `events` are the ones stored then; nothing was written. */
  readonly duplicate: boolean;
}

export interface EventStore {
  /** Appends atomically after `expectedVersion` (the seq of the last event the caller saw; 0 for none). */
  append(conversationId: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult>;
  /** Events in seq order, `fromSeq`..`toSeq` inclusive. */
  read(conversationId: string, options?: ReadOptions): Promise<StoredEvent[]>;
  /** Seq of the last event, 0 for a stream with none. */
  version(conversationId: string): Promise<number>;
  /**
   * The events this process holds for the conversation already (a cache: see cached-store.ts), without
   * asking the database; undefined when it holds none. They may be behind: use them only to decide
   * something that is then written with a conditional append after their last seq.
   */
  cached?(conversationId: string): Promise<StoredEvent[] | undefined>;
  /** Every stream id with at least one event. Scans the table: for local use and audits. */
  listConversations(): Promise<string[]>;
}

export interface EventStoreOptions {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}

/** The DynamoDB adapter for the event log. The catalogue and the chain know nothing of it. */
export function createEventStore({ client, tableName }: EventStoreOptions): EventStore {
  async function append(
    conversationId: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    const { expectedVersion, idempotencyKey, previousHash } = validateAppend(conversationId, events, options);
    const parsed = events.map((event, index) => parseNewEvent(conversationId, event, index));

    const previous =
      expectedVersion === 0
        ? undefined
        : previousHash !== undefined
          ? { seq: expectedVersion, hash: previousHash }
          : await readHead(conversationId, expectedVersion);
    if (expectedVersion > 0 && previous === undefined) {
      if (idempotencyKey !== undefined) {
        const original = await findIdempotentAppend(conversationId, idempotencyKey);
        if (original) return { events: await read(conversationId, original), duplicate: true };
      }
      throw new ConcurrencyConflictError({
        conversationId,
        expectedVersion,
        reason: 'version-missing',
        actualVersion: await version(conversationId),
      });
    }

    const sealed = sealEvents(previous, conversationId, parsed);
    const items: TransactWriteItem[] = sealed.map((event) => ({
      Put: { TableName: tableName, Item: eventItem(event), ConditionExpression: 'attribute_not_exists(pk)' },
    }));
    checkAppendSize(conversationId, items);
    const extra = options.with ?? [];
    if (idempotencyKey !== undefined) {
      items.push({
        Put: {
          TableName: tableName,
          Item: {
            pk: { S: conversationId },
            sk: { S: idempotencySortKey(idempotencyKey) },
            fromSeq: { N: String(expectedVersion + 1) },
            toSeq: { N: String(expectedVersion + sealed.length) },
            time: { S: new Date().toISOString() },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        },
      });
    }

    const extraFrom = items.length;
    items.push(...extra.map((entry) => entry.item));
    try {
      await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
      return { events: sealed, duplicate: false };
    } catch (error) {
      const reasons = cancellationCodes(error);
      if (reasons === undefined) throw error;
      const failedExtra = reasons
        .slice(extraFrom)
        .findIndex((reason) => reason.code === 'ConditionalCheckFailed');
      // A version or key conflict explains itself first; else the caller's own condition failed.
      const ownFailed = reasons
        .slice(0, extraFrom)
        .some((reason) => reason.code === 'ConditionalCheckFailed');
      if (failedExtra >= 0 && !ownFailed)
        throw new AppendConditionFailedError(conversationId, extra[failedExtra]!.label, { cause: error });
      const idempotency = idempotencyKey === undefined ? undefined : reasons[sealed.length];
      if (idempotency?.code === 'ConditionalCheckFailed') {
        const original =
          rangeOf(idempotency.item) ?? (await findIdempotentAppend(conversationId, idempotencyKey as string));
        if (original) return { events: await read(conversationId, original), duplicate: true };
      }
      const codes = new Set(reasons.map((reason) => reason.code));
      const reason = codes.has('ConditionalCheckFailed')
        ? 'version-taken'
        : codes.has('TransactionConflict')
          ? 'transaction-conflict'
          : undefined;
      // Anything else (throttling, validation) is not about versions: let the caller's retry policy see it.
      if (reason === undefined) throw error;
      throw new ConcurrencyConflictError(
        { conversationId, expectedVersion, reason, actualVersion: await version(conversationId) },
        { cause: error },
      );
    }
  }

  async function read(conversationId: string, options: ReadOptions = {}): Promise<StoredEvent[]> {
    const { fromSeq, toSeq } = ReadOptionsSchema.parse(options);
    if (fromSeq > toSeq) return [];
    const events: StoredEvent[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :to',
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#event': 'event' },
          ExpressionAttributeValues: {
            ':pk': { S: conversationId },
            ':from': { S: eventSortKey(fromSeq) },
            ':to': { S: eventSortKey(toSeq) },
          },
          ProjectionExpression: '#sk, #event',
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) events.push(decodeEvent(conversationId, item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return events;
  }

  async function version(conversationId: string): Promise<number> {
    const { Items } = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :events)',
        ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk', '#seq': 'seq' },
        ExpressionAttributeValues: { ':pk': { S: conversationId }, ':events': { S: 'e#' } },
        ProjectionExpression: '#seq',
        ScanIndexForward: false,
        Limit: 1,
        ConsistentRead: true,
      }),
    );
    const seq = Items?.[0]?.seq?.N;
    return seq === undefined ? 0 : Number(seq);
  }

  async function listConversations(): Promise<string[]> {
    const ids: string[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: tableName,
          // Every stream has exactly one first event, so this returns each id once.
          FilterExpression: '#sk = :first',
          ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' },
          ExpressionAttributeValues: { ':first': { S: eventSortKey(1) } },
          ProjectionExpression: '#pk',
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of page.Items ?? []) if (item.pk?.S) ids.push(item.pk.S);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return ids.sort();
  }

  /** The event at `seq`, which the new ones chain onto. Events are immutable, so one read is enough. */
  async function readHead(conversationId: string, seq: number): Promise<ChainHead | undefined> {
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: conversationId }, sk: { S: eventSortKey(seq) } },
        ProjectionExpression: '#seq, #hash',
        ExpressionAttributeNames: { '#seq': 'seq', '#hash': 'hash' },
        ConsistentRead: true,
      }),
    );
    if (!Item) return undefined;
    const hash = Item.hash?.S;
    if (Item.seq?.N !== String(seq) || hash === undefined) {
      throw new CorruptEventError({ conversationId, sk: eventSortKey(seq) });
    }
    return { seq, hash };
  }

  async function findIdempotentAppend(
    conversationId: string,
    key: string,
  ): Promise<{ fromSeq: number; toSeq: number } | undefined> {
    const { Item } = await client.send(
      new GetItemCommand({
        TableName: tableName,
        Key: { pk: { S: conversationId }, sk: { S: idempotencySortKey(key) } },
        ConsistentRead: true,
      }),
    );
    return rangeOf(Item);
  }

  return { append, read, version, listConversations };
}

function validateAppend(conversationId: string, events: readonly NewEvent[], options: AppendOptions) {
  const id = StreamIdSchema.safeParse(conversationId);
  if (!id.success) {
    throw new InvalidAppendError(
      {
        conversationId,
        reason: 'invalid-conversation-id',
        message: `conversationId ${z.prettifyError(id.error)}`,
      },
      { cause: id.error },
    );
  }
  const parsed = AppendOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new InvalidAppendError(
      { conversationId, reason: 'invalid-options', message: z.prettifyError(parsed.error) },
      { cause: parsed.error },
    );
  }
  if (events.length === 0) {
    throw new InvalidAppendError({
      conversationId,
      reason: 'empty-append',
      message: 'no events given; an append must add at least one event',
    });
  }
  const itemCount =
    events.length + (parsed.data.idempotencyKey === undefined ? 0 : 1) + (options.with?.length ?? 0);
  if (itemCount > MAX_TRANSACTION_ITEMS) {
    throw new AppendLimitError({
      conversationId,
      limit: 'transaction-items',
      received: itemCount,
      max: MAX_TRANSACTION_ITEMS,
      hint:
        'One append is one DynamoDB transaction (one item per event, plus one for an idempotency key). ' +
        'Split it into appends of at most 100 items, each with the version the previous one reached.',
    });
  }
  if (parsed.data.expectedVersion + events.length > MAX_SEQ) {
    throw new InvalidAppendError({
      conversationId,
      reason: 'invalid-options',
      message: `the stream would pass seq ${MAX_SEQ}, the largest the ${SEQ_DIGITS}-digit sort key holds`,
    });
  }
  return parsed.data;
}

function parseNewEvent(conversationId: string, event: NewEvent, index: number): NewEvent {
  const parsed = NewEventSchema.safeParse(event);
  if (!parsed.success) {
    throw new InvalidAppendError(
      {
        conversationId,
        reason: 'invalid-event',
        index,
        message: `event ${index} (${String((event as { type?: unknown }).type)}) does not match the catalogue:\n${z.prettifyError(parsed.error)}`,
      },
      { cause: parsed.error },
    );
  }
  return parsed.data;
}

function eventItem(event: StoredEvent): Record<string, AttributeValue> {
  const json = JSON.stringify(event);
  const bytes = Buffer.byteLength(json);
  if (bytes > MAX_EVENT_JSON_BYTES) {
    throw new AppendLimitError({
      conversationId: event.conversationId,
      limit: 'item-size',
      received: bytes,
      max: MAX_EVENT_JSON_BYTES,
      hint: `Event ${event.seq} (${event.type}) is too large for one DynamoDB item; store the payload elsewhere (e.g. S3) and record its key.`,
    });
  }
  return {
    pk: { S: event.conversationId },
    sk: { S: eventSortKey(event.seq) },
    seq: { N: String(event.seq) },
    type: { S: event.type },
    time: { S: event.time },
    prevHash: { S: event.prevHash },
    hash: { S: event.hash },
    // The whole event as JSON: lossless for free-JSON payloads and exactly what the hash covers.
    event: { S: json },
  };
}

function checkAppendSize(conversationId: string, items: readonly TransactWriteItem[]): void {
  const bytes = items.reduce((sum, item) => sum + Buffer.byteLength(item.Put?.Item?.event?.S ?? ''), 0);
  if (bytes > MAX_APPEND_JSON_BYTES) {
    throw new AppendLimitError({
      conversationId,
      limit: 'transaction-size',
      received: bytes,
      max: MAX_APPEND_JSON_BYTES,
      hint: 'One append is one DynamoDB transaction (4 MB at most). Split it into smaller appends, each with the version the previous one reached.',
    });
  }
}

function decodeEvent(conversationId: string, item: Record<string, AttributeValue>): StoredEvent {
  const sk = item.sk?.S ?? '?';
  try {
    return StoredEventSchema.parse(JSON.parse(item.event?.S ?? ''));
  } catch (error) {
    throw new CorruptEventError({ conversationId, sk }, { cause: error });
  }
}

function rangeOf(
  item: Record<string, AttributeValue> | undefined,
): { fromSeq: number; toSeq: number } | undefined {
  const fromSeq = Number(item?.fromSeq?.N);
  const toSeq = Number(item?.toSeq?.N);
  return Number.isInteger(fromSeq) && Number.isInteger(toSeq) && fromSeq >= 1
    ? { fromSeq, toSeq }
    : undefined;
}

interface CancellationReason {
  readonly code: string;
  readonly item: Record<string, AttributeValue> | undefined;
}

/** Per-item reasons of a cancelled transaction, aligned with TransactItems; undefined for other errors. */
function cancellationCodes(error: unknown): CancellationReason[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (
    error as { CancellationReasons?: { Code?: string; Item?: Record<string, AttributeValue> }[] }
  ).CancellationReasons;
  return reasons?.map((reason) => ({ code: reason.Code ?? 'None', item: reason.Item }));
}
