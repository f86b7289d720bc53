import { createHash } from 'node:crypto';
import {
  type DynamoDBClient,
  GetItemCommand,
  type TransactWriteItem,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { IdempotencyKeyReusedError, RetailWriteConflictError } from './errors.ts';

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
  /** The tool-call table (`RetailTableNames.toolCalls`). */
  readonly table: string;
  /** Plans tried before giving up on a contended record. Default: 5. */
  readonly maxAttempts?: number;
}

export type IdempotentWrite = <O>(
  tool: string,
  input: unknown,
  idempotencyKey: string,
  plan: () => Promise<WritePlan<O>>,
) => Promise<O>;

interface StoredCall {
  readonly tool: string;
  readonly inputHash: string;
  readonly output: string;
}

export function createIdempotentWrite({
  client,
  table,
  maxAttempts = 5,
}: IdempotentWriteOptions): IdempotentWrite {
  async function storedCall(idempotencyKey: string): Promise<StoredCall | undefined> {
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

  function replay<O>(stored: StoredCall, tool: string, inputHash: string, idempotencyKey: string): O {
    if (stored.tool !== tool || stored.inputHash !== inputHash) {
      throw new IdempotencyKeyReusedError(idempotencyKey, stored.tool, tool);
    }
    return JSON.parse(stored.output) as O;
  }

  return async function idempotentWrite<O>(
    tool: string,
    input: unknown,
    idempotencyKey: string,
    plan: () => Promise<WritePlan<O>>,
  ): Promise<O> {
    const inputHash = hashOf(input);
    let lastConflict: unknown;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      if (attempt > 1) await sleep(10 * 2 ** attempt);
      // Checked on every attempt: the write that beat us may be this very call, retried concurrently.
      const earlier = await storedCall(idempotencyKey);
      if (earlier) return replay<O>(earlier, tool, inputHash, idempotencyKey);
      const { output, writes } = await plan();
      const record: TransactWriteItem = {
        Put: {
          TableName: table,
          Item: {
            idempotency_key: { S: idempotencyKey },
            tool: { S: tool },
            input_hash: { S: inputHash },
            // JSON text keeps every double exactly as computed (a number attribute would go through decimal).
            output: { S: JSON.stringify(output) },
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
    throw new RetailWriteConflictError(tool, idempotencyKey, maxAttempts, { cause: lastConflict });
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
