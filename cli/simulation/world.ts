import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { RunningPlatform } from '../../infra/local/platform.ts';
import { observeStates } from '../../infra/local/sfn-endpoint/executor.ts';
import { type ChatClient, createChatClient } from '../conversation-tests/chat-client.ts';
import { describeTables, itemKey, keyOf, plain, type RawItem } from '../conversation-tests/db-snapshot.ts';

/**
 * The world a simulation runs in: the local platform in this process (the same one `npm start` and
 * `aop test` run: DynamoDB Local, the local Step Functions, the local model endpoint, the tenant's real
 * tools), plus three things only a simulation needs:
 *
 * - the states each conversation's executions entered (the executor's own state log), to measure which
 *   branches of the compiled graph a conversation took;
 * - every data item a conversation's tool calls wrote, read before the first write (each tool call runs
 *   in its conversation's async context), so the database change is known exactly per conversation and
 *   put back after it: every simulated conversation starts from the seed, however many share a customer;
 * - the tenant's customers, read from the table its identity fact keys.
 */

export interface DataChange {
  /** The table without the deployment prefix (`orders`). */
  readonly table: string;
  readonly key: string;
  readonly before: Record<string, unknown> | undefined;
  readonly after: Record<string, unknown> | undefined;
}

export interface SimulationWorld {
  readonly platform: RunningPlatform;
  readonly chat: ChatClient;
  /** The tenant's customers (records of the table keyed by its identity fact), in key order. */
  readonly customers: readonly Record<string, unknown>[];
  /** Every state the conversation's executions entered, in order, once their state logs have ended. */
  statesOf(conversationId: string): Promise<readonly string[]>;
  /** What the conversation's tool calls changed, then put back as it was. */
  settle(conversationId: string): Promise<DataChange[]>;
  stop(): Promise<void>;
}

interface Written {
  readonly table: TableShape;
  readonly key: RawItem;
  readonly keyText: string;
  readonly before: RawItem | undefined;
}

type TableShape = Awaited<ReturnType<typeof describeTables>>[number];

const WRITES = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'TransactWriteItemsCommand',
]);

export async function startWorld(options: {
  readonly aopsDir: string;
  readonly dynamodbEndpoint?: string;
  readonly identityFact: string;
}): Promise<SimulationWorld> {
  const current = new AsyncLocalStorage<string>();
  const states = new Map<string, string[]>();
  const written = new Map<string, Map<string, Written>>();
  let tables = new Map<string, TableShape>();

  // Every DynamoDB request of this process passes here; only tool calls (inside a conversation's
  // context) writing the tenant's data tables are recorded, before they run.
  const send = DynamoDBClient.prototype.send;
  DynamoDBClient.prototype.send = async function recordingSend(
    this: DynamoDBClient,
    command: { constructor: { name: string }; input?: unknown },
    ...rest: unknown[]
  ) {
    const conversationId = current.getStore();
    if (conversationId && WRITES.has(command.constructor.name))
      for (const target of targetsOf(command.constructor.name, command.input)) {
        const table = tables.get(target.tableName);
        if (!table) continue;
        const key = keyOf(target.item, table.partitionKey, table.sortKey);
        const keyText = itemKey(key, table.partitionKey, table.sortKey);
        const mine = written.get(conversationId) ?? new Map<string, Written>();
        written.set(conversationId, mine);
        const id = `${table.name}\u0000${keyText}`;
        if (mine.has(id)) continue;
        const { Item } = (await (send as (...args: unknown[]) => Promise<unknown>).call(
          this,
          new GetItemCommand({ TableName: table.name, Key: key, ConsistentRead: true }),
        )) as { Item?: RawItem };
        mine.set(id, { table, key, keyText, before: Item });
      }
    return (send as (...args: unknown[]) => Promise<unknown>).call(this, command, ...rest);
  } as typeof send;
  // The executor reports states as its log is read, after the execution may have answered: a
  // conversation's states are complete once every execution of it has ended its log.
  const unfinished = new Map<string, Set<string>>();
  const unobserve = observeStates((executionName, state) => {
    // Executions are named `<conversation id>-t<turn>-<ms>` (shared/engine/conversation.ts).
    const conversationId = executionName.replace(/-t\d+-\d+$/, '');
    const open = unfinished.get(conversationId) ?? new Set<string>();
    unfinished.set(conversationId, open);
    if (state === 'started') open.add(executionName);
    else if (state === 'ended') open.delete(executionName);
    if (state === 'started' || state === 'ended') return;
    const list = states.get(conversationId) ?? [];
    list.push(state);
    states.set(conversationId, list);
  });

  let platform: RunningPlatform | undefined;
  const dynamodb = new DynamoDBClient(options.dynamodbEndpoint ? { endpoint: options.dynamodbEndpoint } : {});
  try {
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { startPlatform } = await import('../../infra/local/platform.ts');
    platform = await startPlatform({
      port: 0,
      tenant: `aopsim-${randomBytes(4).toString('hex')}`,
      aopsDir: options.aopsDir,
      ...(options.dynamodbEndpoint ? { dynamodbEndpoint: options.dynamodbEndpoint } : {}),
      wrapStep: (step, handler) =>
        step === 'run-tool' ? (event) => current.run(conversationOf(event), () => handler(event)) : handler,
    });
    const client = new DynamoDBClient({ endpoint: platform.dynamodbEndpoint });
    const shapes = await describeTables(client, platform.dataTablePrefix, platform.dataTables);
    tables = new Map(shapes.map((shape) => [shape.name, shape]));
    const customers = await readCustomers(client, shapes, options.identityFact);
    const running = platform;
    return {
      platform: running,
      chat: createChatClient(running, 60_000),
      customers,
      async statesOf(conversationId) {
        const deadline = Date.now() + 5_000;
        while ((unfinished.get(conversationId)?.size ?? 0) > 0 && Date.now() < deadline)
          await new Promise((resolve) => setTimeout(resolve, 5));
        return states.get(conversationId) ?? [];
      },
      async settle(conversationId) {
        const mine = [...(written.get(conversationId)?.values() ?? [])];
        written.delete(conversationId);
        states.delete(conversationId);
        unfinished.delete(conversationId);
        const changes: DataChange[] = [];
        for (const item of mine) {
          const { Item } = await client.send(
            new GetItemCommand({ TableName: item.table.name, Key: item.key, ConsistentRead: true }),
          );
          const suffix = item.table.name.slice(running.dataTablePrefix.length);
          const before = plain(item.before);
          const after = plain(Item as RawItem | undefined);
          // The idempotent write's own record of the call is keyed by the conversation: bookkeeping.
          if (JSON.stringify(before) !== JSON.stringify(after) && !item.keyText.includes(conversationId))
            changes.push({ table: suffix, key: item.keyText, before, after });
          // Back to how the conversation found it.
          if (item.before)
            await client.send(new PutItemCommand({ TableName: item.table.name, Item: item.before }));
          else await client.send(new DeleteItemCommand({ TableName: item.table.name, Key: item.key }));
        }
        return changes.sort((a, b) => `${a.table}|${a.key}`.localeCompare(`${b.table}|${b.key}`));
      },
      async stop() {
        client.destroy();
        await running.stop();
        restore();
      },
    };
  } catch (error) {
    await platform?.stop().catch(() => {});
    restore();
    throw error;
  } finally {
    dynamodb.destroy();
  }

  function restore() {
    DynamoDBClient.prototype.send = send;
    unobserve();
  }
}

/** The tool step's input is `{ state, call }` (shared/engine/turn-state.ts ToolInputSchema). */
function conversationOf(event: unknown): string {
  const ctx = (event as { state?: { ctx?: { conversationId?: unknown } } } | null)?.state?.ctx;
  return typeof ctx?.conversationId === 'string' ? ctx.conversationId : 'unknown';
}

/** The items a write command touches: its table and an item holding (at least) the key. */
function targetsOf(name: string, input: unknown): { tableName: string; item: RawItem }[] {
  const one = (request: { TableName?: string; Item?: RawItem; Key?: RawItem } | undefined) =>
    request?.TableName && (request.Key ?? request.Item)
      ? [{ tableName: request.TableName, item: (request.Key ?? request.Item)! }]
      : [];
  if (name !== 'TransactWriteItemsCommand') return one(input as never);
  const items = (input as { TransactItems?: Record<string, never>[] }).TransactItems ?? [];
  return items.flatMap((entry) => one(entry.Put ?? entry.Update ?? entry.Delete));
}

/** The records of the table its identity fact keys (`user_id` → the users table), all pages. */
async function readCustomers(
  client: DynamoDBClient,
  tables: readonly TableShape[],
  identityFact: string,
): Promise<Record<string, unknown>[]> {
  const table = tables.find((shape) => shape.partitionKey === identityFact && !shape.sortKey);
  if (!table) return [];
  const customers: Record<string, unknown>[] = [];
  let start: RawItem | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table.name, ExclusiveStartKey: start }));
    for (const item of page.Items ?? []) customers.push(plain(item as RawItem)!);
    start = page.LastEvaluatedKey as RawItem | undefined;
  } while (start);
  return customers.sort((a, b) => String(a[identityFact]).localeCompare(String(b[identityFact])));
}
