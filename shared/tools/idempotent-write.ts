import { createHash } from 'node:crypto';
import {
  type DynamoDBClient,
  GetItemCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import type { RecordedCall } from '../engine/tenant.ts';
import type { TenantTable } from '../tenant/define-tenant.ts';
import type { ToolContext } from './define-tool.ts';
import { IdempotencyKeyReusedError, WriteConflictError } from './errors.ts';

/**
 * Every write tool call commits in one TransactWriteItems: the changed records, each conditioned on
 * the version (and, for orders, the status) it was read at, plus a tool-call item keyed by the
 * call's idempotency key (condition: the key is new) holding the result.
 *
 * - A retry with the same key finds the tool-call item and returns the stored result: one change.
 * - A concurrent write to the same records fails the version condition: the call reads again and
 *   decides again, so it sees the other write (and may now be refused, e.g. "Non-pending order
 *   cannot be cancelled") instead of overwriting it. Calls behave as if run one after another.
 */

export interface WritePlan<O> {
  readonly output: O;
  readonly writes: readonly TransactWriteItem[];
}

export interface IdempotentWriteOptions {
  readonly client: DynamoDBClient;
  /** The tool-call table: string partition key `idempotency_key` (one item per write call). */
  readonly table: string;
  /** Plans tried before giving up on a contended record. Default: 5. */
  readonly maxAttempts?: number;
}

/**
 * The call's context gives the idempotency key and, when customer data is encrypted, the sealer: the
 * result kept in the tool-call item (the customer's order or profile: names, addresses) is sealed
 * with the conversation's data key, so `aop erase` leaves it unreadable like the conversation's events.
 */
export type IdempotentWrite = <O>(
  tool: string,
  input: unknown,
  context: Pick<ToolContext, 'idempotencyKey' | 'sealer'>,
  plan: () => Promise<WritePlan<O>>,
) => Promise<O>;

interface StoredCall {
  readonly tool: string;
  readonly inputHash: string;
  readonly output: string;
}

async function readStoredCall(
  client: DynamoDBClient,
  table: string,
  idempotencyKey: string,
): Promise<StoredCall | undefined> {
  const { Item } = await client.send(
    new GetItemCommand({
      TableName: table,
      Key: { idempotency_key: { S: idempotencyKey } },
      ConsistentRead: true,
    }),
  );
  if (!Item) return undefined;
  return {
    tool: Item.tool?.S ?? '',
    inputHash: Item.input_hash?.S ?? '',
    output: Item.output?.S ?? 'null',
  };
}

/**
 * What the tool-call table says of a call (`ToolRuntime.recordedCall`): its item is written in the
 * same transaction as the change, so an item means the change was made, and no item means it was not.
 * A result erased with its conversation is `null`.
 */
export function createRecordedCalls({ client, table }: Pick<IdempotentWriteOptions, 'client' | 'table'>) {
  return async function recordedCall(
    tool: string,
    idempotencyKey: string,
    { sealer }: Pick<ToolContext, 'sealer'>,
  ): Promise<RecordedCall> {
    const stored = await readStoredCall(client, table, idempotencyKey);
    if (!stored || stored.tool !== tool) return { happened: false };
    const output = sealer ? await sealer.open(stored.output) : stored.output;
    return { happened: true, output: output === undefined ? null : (JSON.parse(output) as unknown) };
  };
}

export function createIdempotentWrite({
  client,
  table,
  maxAttempts = 5,
}: IdempotentWriteOptions): IdempotentWrite {
  const storedCall = (idempotencyKey: string) => readStoredCall(client, table, idempotencyKey);

  async function replay<O>(
    stored: StoredCall,
    tool: string,
    inputHash: string,
    { idempotencyKey, sealer }: Pick<ToolContext, 'idempotencyKey' | 'sealer'>,
  ): Promise<O> {
    if (stored.tool !== tool || stored.inputHash !== inputHash) {
      throw new IdempotencyKeyReusedError(idempotencyKey, stored.tool, tool);
    }
    const output = sealer ? await sealer.open(stored.output) : stored.output;
    if (output === undefined)
      throw new Error(`The result of ${tool} (${idempotencyKey}) was erased with its conversation.`);
    return JSON.parse(output) as O;
  }

  return async function idempotentWrite<O>(
    tool: string,
    input: unknown,
    context: Pick<ToolContext, 'idempotencyKey' | 'sealer'>,
    plan: () => Promise<WritePlan<O>>,
  ): Promise<O> {
    const { idempotencyKey, sealer } = context;
    const inputHash = hashOf(input);
    let lastConflict: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await sleep(10 * 2 ** attempt);
      // Checked on every attempt: the write that beat us may be this very call, retried concurrently.
      const earlier = await storedCall(idempotencyKey);
      if (earlier) return replay<O>(earlier, tool, inputHash, context);
      const { output, writes } = await plan();
      const record: TransactWriteItem = {
        Put: {
          TableName: table,
          Item: {
            idempotency_key: { S: idempotencyKey },
            tool: { S: tool },
            input_hash: { S: inputHash },
            // JSON text keeps every double exactly as computed (a number attribute would go through
            // decimal); sealed with the conversation's data key when customer data is encrypted.
            output: { S: sealer ? await sealer.seal(JSON.stringify(output)) : JSON.stringify(output) },
          },
          ConditionExpression: 'attribute_not_exists(idempotency_key)',
        },
      };
      try {
        await client.send(new TransactWriteItemsCommand({ TransactItems: [...writes, record] }));
        return output;
      } catch (error) {
        const reasons = cancellationReasons(error);
        if (!reasons) throw error;
        if (!reasons.some((code) => code === 'ConditionalCheckFailed' || code === 'TransactionConflict'))
          throw error;
        lastConflict = error;
      }
    }
    throw new WriteConflictError(tool, idempotencyKey, maxAttempts, { cause: lastConflict });
  };
}

/** Codes of a cancelled transaction, one per item (`None` where the item was fine), else undefined. */
function cancellationReasons(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code ?? 'None');
}

function hashOf(input: unknown): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

/** JSON with object keys sorted, so the same input always hashes the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The table `createIdempotentWrite` keeps one item per write call in, as a tenant declares it
 * (`defineTenant({ tables: [..., idempotentWriteTable()] })`): `<prefix>tool-calls` unless named.
 */
export function idempotentWriteTable(name = 'tool-calls'): TenantTable {
  return { name, partitionKey: 'idempotency_key' };
}
