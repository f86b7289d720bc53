import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AttributeValue, DeleteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import type { RetailDb } from '../../aops/retail/tools/schemas.ts';
import { retailTableNames, seedRetail } from '../../aops/retail/tools/store.ts';

/** τ²-bench's recorded retail tasks and outcomes (aops/retail/data, MIT), parsed at the boundary. */

const DATA = join(import.meta.dirname, '../../aops/retail/data');

function readData(file: string): unknown {
  return JSON.parse(readFileSync(join(DATA, file), 'utf8'));
}

const ActionSchema = z.object({
  action_id: z.string(),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
});

const TaskSchema = z.object({
  id: z.string(),
  evaluation_criteria: z.object({ actions: z.array(ActionSchema) }),
});
export type Task = z.infer<typeof TaskSchema>;

const OutcomeSchema = z.object({
  task_id: z.string(),
  db_diff: z.array(
    z.object({
      op: z.enum(['add', 'remove', 'replace']),
      path: z.string(),
      old: z.unknown().optional(),
      value: z.unknown().optional(),
    }),
  ),
  gold_action_results: z.array(
    z.object({
      action_id: z.string(),
      name: z.string(),
      arguments: z.record(z.string(), z.unknown()),
      error: z.boolean(),
      output: z.unknown(),
    }),
  ),
});
export type Outcome = z.infer<typeof OutcomeSchema>;

export const tasks: readonly Task[] = z.array(TaskSchema).parse(readData('tasks.json'));

export const outcomes: ReadonlyMap<string, Outcome> = new Map(
  z
    .array(OutcomeSchema)
    .parse(readData('expected_outcomes.json'))
    .map((outcome) => [outcome.task_id, outcome]),
);

export const toolSpecs = z
  .array(
    z.object({
      function: z.object({
        name: z.string(),
        description: z.string(),
        parameters: z.object({
          properties: z.record(
            z.string(),
            z.object({
              description: z.string(),
              type: z.string(),
              items: z.object({ type: z.string() }).optional(),
            }),
          ),
          required: z.array(z.string()).optional(),
        }),
      }),
      x_tau2: z.object({ mutates_state: z.boolean() }),
    }),
  )
  .parse(readData('tools.json'));

export function outcomeOf(task: Task): Outcome {
  const outcome = outcomes.get(task.id);
  if (!outcome) throw new Error(`expected_outcomes.json has no entry for task ${task.id}`);
  return outcome;
}

/**
 * Puts back, from the seed, every user and order that differs in `current` or is missing from it, and
 * deletes records the seed never had: the next task starts from a fresh copy of db.json without reseeding 1,550 items.
 * Products are read-only for every tool, so they are never touched.
 */
export async function restoreSeed(
  client: DynamoDBClient,
  tablePrefix: string,
  seed: RetailDb,
  current: RetailDb,
): Promise<number> {
  const changed: RetailDb = { products: {}, users: {}, orders: {} };
  const extra: { table: string; key: Record<string, AttributeValue> }[] = [];
  const tables = retailTableNames(tablePrefix);
  for (const [id, user] of Object.entries(current.users)) {
    const original = seed.users[id];
    if (!original) extra.push({ table: tables.users, key: { user_id: { S: id } } });
    else if (JSON.stringify(sortedKeys(original)) !== JSON.stringify(sortedKeys(user)))
      changed.users[id] = original;
  }
  for (const [id, order] of Object.entries(current.orders)) {
    const original = seed.orders[id];
    if (!original) extra.push({ table: tables.orders, key: { order_id: { S: id } } });
    else if (JSON.stringify(sortedKeys(original)) !== JSON.stringify(sortedKeys(order)))
      changed.orders[id] = original;
  }
  for (const [id, user] of Object.entries(seed.users)) if (!current.users[id]) changed.users[id] = user;
  for (const [id, order] of Object.entries(seed.orders)) if (!current.orders[id]) changed.orders[id] = order;
  await seedRetail(client, tablePrefix, changed);
  await Promise.all(
    extra.map(({ table, key }) => client.send(new DeleteItemCommand({ TableName: table, Key: key }))),
  );
  return Object.keys(changed.users).length + Object.keys(changed.orders).length + extra.length;
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortedKeys(v)]),
    );
  }
  return value;
}
