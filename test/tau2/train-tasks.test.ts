import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import type { RetailDb } from '../../aops/retail/tools/schemas.ts';
import { dumpRetail, loadRetailDb } from '../../aops/retail/tools/store.ts';
import { type RunningPlatform, startPlatform } from '../../infra/local/platform.ts';
import { byPath, diffJson, fromTau2Diff } from '../retail-tools/db-diff.ts';
import { outcomes, restoreSeed } from '../retail-tools/fixtures.ts';
import { RETAIL_AOPS } from '../support/retail.ts';
import { playScript, transcript, unseenReads } from './customer.ts';
import { excluded } from './excluded.ts';
import { type Script, scripts } from './scripts.ts';

/**
 * τ²-bench retail train tasks played end to end: a scripted customer talks to the whole local platform
 * over HTTP (chat API → Step Functions → handlers → DynamoDB, with the deterministic local model), and
 * the database changes must equal the task's recorded `db_diff`. A task the platform cannot do is not
 * scripted; it is listed in `excluded` with its reason, and docs/tau2-results.md reports both.
 *
 * Fresh state per task: the platform seeds once; after each task the users and orders that changed are
 * put back from db.json (the same helper as the tool replay), so the next task starts from db.json.
 */

const DATA = join(import.meta.dirname, '../../aops/retail/data');
const RESULTS = join(import.meta.dirname, '../../docs/tau2-results.md');
const train = z
  .object({ train: z.array(z.string()) })
  .parse(JSON.parse(readFileSync(join(DATA, 'split_tasks.json'), 'utf8'))).train;

/** Set TAU2_TRANSCRIPTS=<dir> to keep every task's conversation, passing or not, for writing scripts. */
const TRANSCRIPTS = process.env.TAU2_TRANSCRIPTS;
if (TRANSCRIPTS !== undefined) mkdirSync(TRANSCRIPTS, { recursive: true });

let platform: RunningPlatform;
let client: DynamoDBClient;
let seed: RetailDb;

beforeAll(async () => {
  platform = await startPlatform({
    aopsDir: RETAIL_AOPS,
    port: 0,
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    tenant: `tau2-train-${Date.now().toString(36)}`,
  });
  client = new DynamoDBClient({ endpoint: platform.dynamodbEndpoint });
  seed = loadRetailDb();
});

afterAll(async () => {
  await platform?.stop();
  client?.destroy();
});

function recordedDiff(taskId: string) {
  const outcome = outcomes.get(taskId);
  if (!outcome) throw new Error(`expected_outcomes.json has no entry for task ${taskId}`);
  return byPath(fromTau2Diff(outcome.db_diff));
}

/** Plays a script, returns the conversation and the database changes, and restores the seed. */
async function play(script: Script) {
  let after: RetailDb | undefined;
  try {
    const conversation = await playScript(platform.url, script);
    after = await dumpRetail(client, platform.dataTablePrefix);
    return { conversation, changes: byPath(diffJson(seed, after)) };
  } finally {
    await restoreSeed(
      client,
      platform.dataTablePrefix,
      seed,
      after ?? (await dumpRetail(client, platform.dataTablePrefix)),
    );
  }
}

describe('τ²-bench retail train tasks with scripted customers', () => {
  it('accounts for every train task once: scripted or excluded with a reason', () => {
    const scripted = Object.keys(scripts);
    const left = Object.keys(excluded);
    expect(scripted.filter((id) => left.includes(id))).toEqual([]);
    expect([...scripted, ...left].sort()).toEqual([...train].sort());
  });

  it('reports the same split in docs/tau2-results.md', () => {
    const rows = new Map(
      [...readFileSync(RESULTS, 'utf8').matchAll(/^\| (\d+) \| (pass|excluded) \|/gm)].map((row) => [
        row[1]!,
        row[2]!,
      ]),
    );
    for (const id of Object.keys(scripts)) expect(rows.get(id), `task ${id}`).toBe('pass');
    for (const id of Object.keys(excluded)) expect(rows.get(id), `task ${id}`).toBe('excluded');
    expect(rows.size).toBe(train.length);
  });

  it.each(Object.entries(scripts))(
    'task %s: the scripted customer gets the recorded database changes',
    async (taskId, script) => {
      const { conversation, changes } = await play(script);
      const log = transcript(conversation);
      if (TRANSCRIPTS !== undefined) writeFileSync(join(TRANSCRIPTS, `${taskId}.txt`), `${log}\n`);
      expect(unseenReads(script, conversation), `ids the agent never showed\n${log}`).toEqual([]);
      expect(changes, log).toEqual(recordedDiff(taskId));
      expect(conversation.exchanges.at(-1)?.status, log).toBe(script.status ?? 'resolved');
    },
  );

  it('fails when the customer never says yes: a script cut before its confirmation changes nothing', async () => {
    const script = scripts['73'];
    if (!script) throw new Error('task 73 is not scripted');
    const { conversation, changes } = await play({ ...script, turns: script.turns.slice(0, -1) });
    expect(conversation.exchanges.at(-1)?.status).toBe('active');
    expect(changes).toEqual([]);
    expect(changes).not.toEqual(recordedDiff('73'));
  });
});
