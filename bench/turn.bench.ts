import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startPlatform } from '../infra/local/platform.ts';
import type { StoredEvent } from '../shared/events/catalogue.ts';
import { RETAIL_AOPS } from '../test/support/retail.ts';
import type { BenchOptions } from './options.ts';

/**
 * Per-turn platform overhead on the local stack: the wall time of a chat turn over HTTP minus the
 * time spent in the model and in tools (both recorded in the events), i.e. what the platform itself
 * costs (ingress, lease, event appends, Step Functions, task handlers). Also counts DynamoDB writes
 * and model calls per turn. Conversations ask about an order (read-only) so runs do not interfere.
 */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const WRITE_COMMANDS = new Set([
  'PutItemCommand',
  'TransactWriteItemsCommand',
  'DeleteItemCommand',
  'UpdateItemCommand',
  'BatchWriteItemCommand',
]);

/**
 * DynamoDB Local is a JVM: its requests take 2–3 ms until the JIT has compiled the hot paths and about
 * 0.6–1 ms after (measured: ~1,500 requests). The figure we want is the steady state, so the first
 * conversations (about 1,000 requests) only warm it up.
 */
const SIZES = {
  full: { warmup: 300, measured: 100 },
  /** Every figure, but on a JIT that is barely warm: expect the overhead to read higher. */
  short: { warmup: 20, measured: 15 },
} as const;

export async function run({ short = false, dynamodbEndpoint }: BenchOptions = {}): Promise<void> {
  const { warmup: warmupConversations, measured: measuredConversations } = short ? SIZES.short : SIZES.full;
  // Count DynamoDB writes in this process (all handlers run in-process locally).
  let writes = 0;
  let requests = 0;
  let toolRequests = 0;
  const latencies: number[] = [];
  /** The tenant's own tables (`<tenant>-users`, …, as it declares them), known once the platform runs. */
  const toolTables = new Set<string>();
  const send = DynamoDBClient.prototype.send;
  DynamoDBClient.prototype.send = function countingSend(
    this: DynamoDBClient,
    command: { constructor: { name: string } },
    ...rest: unknown[]
  ) {
    if (WRITE_COMMANDS.has(command.constructor.name)) writes++;
    requests++;
    // Requests to the tenant's own tables are the tools', not the platform's.
    const table = (command as { input?: { TableName?: string } }).input?.TableName ?? '';
    if (toolTables.has(table)) toolRequests++;
    const started = performance.now();
    const result = (send as (...args: unknown[]) => Promise<unknown>).call(this, command, ...rest);
    result.then(
      () => latencies.push(performance.now() - started),
      () => {},
    );
    return result;
  } as typeof send;
  const platform = await startPlatform({
    aopsDir: RETAIL_AOPS,
    port: 0,
    tenant: `bench${Date.now()}`,
    ...(dynamodbEndpoint ? { dynamodbEndpoint } : {}),
  });
  for (const table of platform.dataTables) toolTables.add(table);
  try {
    const db = JSON.parse(
      readFileSync(resolve(import.meta.dirname, '../aops/retail/data/db.json'), 'utf8'),
    ) as {
      orders: Record<string, { user_id: string }>;
      users: Record<string, { email: string }>;
    };
    const customers = Object.entries(db.orders)
      .slice(0, warmupConversations + measuredConversations)
      .map(([orderId, order]) => ({ orderId, email: db.users[order.user_id]!.email }));
    const post = async (path: string, message: string, sessionToken?: string) => {
      const response = await fetch(`${platform.url}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(sessionToken ? { 'x-session-token': sessionToken } : {}),
        },
        body: JSON.stringify({ message }),
      });
      // A failed turn would be measured as a fast one: stop instead.
      if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as { conversationId?: string; sessionToken?: string; status: string };
    };
    const overheads: number[] = [];
    const byTurn: number[][] = [[], []];
    let turns = 0;
    let modelCalls = 0;
    let writesMeasured = 0;
    let requestsMeasured = 0;
    let toolRequestsMeasured = 0;
    for (const [index, customer] of customers.entries()) {
      const warmup = index < warmupConversations;
      const writesBefore = writes;
      const requestsBefore = requests;
      const toolRequestsBefore = toolRequests;
      const timings: number[] = [];
      let started = performance.now();
      const first = await post(
        '/v1/chat/conversations',
        `Hi, what is the status of my order ${customer.orderId}?`,
      );
      timings.push(performance.now() - started);
      started = performance.now();
      await post(
        `/v1/chat/conversations/${first.conversationId}/messages`,
        `my email is ${customer.email}`,
        first.sessionToken,
      );
      timings.push(performance.now() - started);
      const events = (
        (await (
          await fetch(`${platform.url}/v1/conversations/${first.conversationId}/events`, {
            headers: { authorization: `Bearer ${platform.operatorToken}` },
          })
        ).json()) as {
          events: StoredEvent[];
        }
      ).events;
      if (warmup) continue;
      for (let turn = 1; turn <= 2; turn++) {
        const external = events
          .filter(
            (e) => e.turn === turn || (turn === 1 && e.type === 'model.called' && e.data.purpose === 'route'),
          )
          .reduce(
            (sum, e) =>
              sum + (e.type === 'model.called' || e.type === 'tool.succeeded' ? e.data.latencyMs : 0),
            0,
          );
        overheads.push(timings[turn - 1]! - external);
        byTurn[turn - 1]!.push(timings[turn - 1]! - external);
      }
      turns += 2;
      modelCalls += events.filter((e) => e.type === 'model.called').length;
      writesMeasured += writes - writesBefore;
      requestsMeasured += requests - requestsBefore;
      toolRequestsMeasured += toolRequests - toolRequestsBefore;
    }
    const pct = (p: number, values = overheads) => {
      const sorted = [...values].sort((a, b) => a - b);
      return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
    };
    process.stdout.write(
      [
        `turns measured: ${turns} (${customers.length - warmupConversations} conversations of 2 turns, after ${warmupConversations} warm-up conversations)`,
        `platform overhead per turn (excl. model and tool latency): p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms  (target p50 <= 15 ms)`,
        `  first turn (route, ask for the e-mail): p50 ${pct(50, byTurn[0]).toFixed(1)} ms, p99 ${pct(99, byTurn[0]).toFixed(1)} ms`,
        `  second turn (authenticate, look up the order, answer): p50 ${pct(50, byTurn[1]).toFixed(1)} ms, p99 ${pct(99, byTurn[1]).toFixed(1)} ms`,
        `DynamoDB writes per turn: ${(writesMeasured / turns).toFixed(1)}; DynamoDB requests per turn: ${((requestsMeasured - toolRequestsMeasured) / turns).toFixed(1)} by the platform + ${(toolRequestsMeasured / turns).toFixed(1)} by the tools; median DynamoDB Local request ${median(latencies).toFixed(1)} ms`,
        `model calls per turn: ${(modelCalls / turns).toFixed(2)} (first turn routes + understands; later turns understand only)`,
        '',
      ].join('\n'),
    );
  } finally {
    DynamoDBClient.prototype.send = send;
    await platform.stop();
  }
}
