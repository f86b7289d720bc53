import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRetailTools, type RetailTools } from '../../aops/retail/tools/implementations.ts';
import type { RetailDb } from '../../aops/retail/tools/schemas.ts';
import {
  dumpRetail,
  ensureRetailTables,
  loadRetailDb,
  retailTableNames,
  seedRetail,
} from '../../aops/retail/tools/store.ts';
import { isToolError } from '../../shared/tools/errors.ts';
import { byPath, diffJson, fromTau2Diff } from './db-diff.ts';
import { type Outcome, outcomeOf, restoreSeed, type Task, tasks } from './fixtures.ts';

/**
 * Replays the reference tool calls of all 114 τ²-bench retail tasks against the DynamoDB tools and
 * holds each call's output (or refusal text) and the task's database changes to τ²'s recording.
 *
 * Fresh seed per task: the tables are seeded once; after each task the whole database is read
 * back (about 150 ms), diffed against db.json, and the users and orders that changed are put back
 * from db.json. The full read-back also proves no task changed anything outside its recorded diff.
 */

type AnyTool = (
  input: unknown,
  context: { idempotencyKey: string; conversationId: string },
) => Promise<unknown>;

const run = randomUUID().slice(0, 8);
const tablePrefix = `tau2-replay-${run}-`;
let client: DynamoDBClient;
let tools: RetailTools;
let seed: RetailDb;

beforeAll(async () => {
  client = new DynamoDBClient({});
  seed = loadRetailDb();
  await ensureRetailTables(client, tablePrefix);
  await seedRetail(client, tablePrefix, seed);
  tools = createRetailTools({ client, tablePrefix });
});

afterAll(async () => {
  await Promise.all(
    Object.values(retailTableNames(tablePrefix)).map((TableName) =>
      client.send(new DeleteTableCommand({ TableName })),
    ),
  );
  client.destroy();
});

interface CallResult {
  readonly output?: unknown;
  readonly error?: unknown;
}

/** Runs a task's reference calls in order, each with its own idempotency key. */
async function replayCalls(task: Task, pass = 'replay'): Promise<CallResult[]> {
  const results: CallResult[] = [];
  for (const [i, action] of task.evaluation_criteria.actions.entries()) {
    const tool = (tools as unknown as Record<string, AnyTool>)[action.name];
    if (!tool)
      throw new Error(`Task ${task.id} calls ${action.name}, which the retail tools do not implement`);
    const context = {
      idempotencyKey: `${run}/${pass}/${task.id}/${i}`,
      conversationId: `tau2-retail-${task.id}`,
    };
    results.push(
      await tool(action.arguments, context).then(
        (output) => ({ output }),
        (error: unknown) => ({ error }),
      ),
    );
  }
  return results;
}

function expectRecordedResults(outcome: Outcome, results: readonly CallResult[]) {
  expect(results).toHaveLength(outcome.gold_action_results.length);
  outcome.gold_action_results.forEach((gold, i) => {
    const result = results[i];
    const where = `${gold.action_id} ${gold.name}`;
    if (gold.error) {
      const error = result?.error;
      expect(isToolError(error), `${where} should be refused`).toBe(true);
      expect(isToolError(error) ? error.message : error, where).toBe(gold.output);
    } else {
      expect(result?.error, `${where} should succeed`).toBeUndefined();
      expect(result?.output, where).toEqual(gold.output);
    }
  });
}

describe('retail tools on DynamoDB', () => {
  it('reads back the seeded tables as db.json, prices and balances bit for bit', async () => {
    expect(diffJson(seed, await dumpRetail(client, tablePrefix))).toEqual([]);
  });

  describe('replay of τ²-bench retail tasks', () => {
    it.each(tasks.map((task) => [task.id, task] as const))(
      'task %s: reference calls give τ²’s outputs and database changes',
      async (_id, task) => {
        const outcome = outcomeOf(task);
        expect(task.evaluation_criteria.actions.map((action) => action.arguments)).toEqual(
          outcome.gold_action_results.map((gold) => gold.arguments),
        );
        let after: RetailDb | undefined;
        try {
          const results = await replayCalls(task);
          after = await dumpRetail(client, tablePrefix);
          expectRecordedResults(outcome, results);
          expect(byPath(diffJson(seed, after))).toEqual(byPath(fromTau2Diff(outcome.db_diff)));
        } finally {
          await restoreSeed(client, tablePrefix, seed, after ?? (await dumpRetail(client, tablePrefix)));
        }
      },
    );
  });

  it('fails when a recorded outcome is corrupted', async () => {
    const task = tasks.find((candidate) => candidate.id === '0');
    if (!task) throw new Error('task 0 is missing from tasks.json');
    const outcome = outcomeOf(task);
    const corrupted = outcome.db_diff.map((entry) =>
      entry.path.endsWith('/exchange_price_difference') ? { ...entry, value: -16.62 } : entry,
    );
    try {
      await replayCalls(task, 'corrupted');
      const after = await dumpRetail(client, tablePrefix);
      expect(byPath(diffJson(seed, after))).toEqual(byPath(fromTau2Diff(outcome.db_diff)));
      expect(byPath(diffJson(seed, after))).not.toEqual(byPath(fromTau2Diff(corrupted)));
    } finally {
      await restoreSeed(client, tablePrefix, seed, await dumpRetail(client, tablePrefix));
    }
  });

  it('leaves the database as seeded after all replays', async () => {
    expect(diffJson(seed, await dumpRetail(client, tablePrefix))).toEqual([]);
  });
});
