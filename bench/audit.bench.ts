import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startPlatform } from '../infra/local/platform.ts';
import {
  buildExport,
  formatReplay,
  replayConversation,
  verifyEvents,
  verifyExport,
} from '../shared/audit/index.ts';
import type { StoredEvent } from '../shared/events/catalogue.ts';
import { verifyChain } from '../shared/events/hash-chain.ts';
import { createEventStore } from '../shared/events/store.ts';
import { createContentStore } from '../shared/registry/content.ts';
import { createAopRegistry } from '../shared/registry/registry.ts';
import { MULTI_REQUEST } from '../test/replay/scripts.ts';
import { loadGoldens, retailReplay, runScript } from '../test/replay/support.ts';

/**
 * Audit figures on real recorded conversations (the replay goldens, and one conversation of about
 * 100 events recorded here on a fresh local platform):
 * - verify throughput, events per second (target ≥ 100,000): the hash chain alone, the live verify
 *   (chain + turn protocol), and the offline verify of an export (parse + chain + protocol + file hash);
 * - replay time of that ~100-event conversation (target ≤ 50 ms), once its versions are compiled.
 */

// Lambda runs Node 22; the SDK's notice about Node 20 would interleave with the figures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const VERIFY_TARGET = 100_000;
const REPLAY_TARGET_MS = 50;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function throughput(events: number, run: () => void): number {
  run(); // warm up
  const rates: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = performance.now();
    run();
    rates.push(events / ((performance.now() - started) / 1000));
  }
  return median(rates);
}

export async function run(): Promise<void> {
  const conversations = loadGoldens()
    .filter((golden) => !golden.corrupted)
    .map((golden) => golden);
  // Enough real events to time: every golden, many times over.
  const repeat = Math.ceil(200_000 / conversations.reduce((sum, golden) => sum + golden.events.length, 0));
  const total = repeat * conversations.reduce((sum, golden) => sum + golden.events.length, 0);
  const bytes = conversations.reduce((sum, golden) => sum + golden.jsonl.length, 0);
  const events = conversations.reduce((sum, golden) => sum + golden.events.length, 0);
  const figures = {
    chain: throughput(total, () => {
      for (let round = 0; round < repeat; round++)
        for (const golden of conversations) if (!verifyChain(golden.events).ok) throw new Error(golden.name);
    }),
    live: throughput(total, () => {
      for (let round = 0; round < repeat; round++)
        for (const golden of conversations)
          if (!verifyEvents(golden.events, { conversationId: golden.events[0]!.conversationId }).ok)
            throw new Error(golden.name);
    }),
    offline: throughput(total, () => {
      for (let round = 0; round < repeat; round++)
        for (const golden of conversations)
          if (!verifyExport(golden.jsonl, golden.manifest).ok) throw new Error(golden.name);
    }),
  };
  process.stdout.write(
    `verify (${conversations.length} recorded conversations, ${events} events of ~${Math.round(bytes / events)} B, ${total.toLocaleString('en')} verified per round):\n`,
  );
  for (const [name, rate] of Object.entries(figures))
    process.stdout.write(
      `  ${name.padEnd(8)} ${Math.round(rate).toLocaleString('en').padStart(10)} events/s  ${rate >= VERIFY_TARGET ? 'ok' : 'BELOW TARGET'} (target ≥ ${VERIFY_TARGET.toLocaleString('en')})\n`,
    );

  const platform = await startPlatform({ port: 0, tenant: `bench-audit-${Date.now()}` });
  const client = new DynamoDBClient({ endpoint: platform.dynamodbEndpoint });
  try {
    const conversationId = await runScript(platform.url, MULTI_REQUEST);
    const store = createEventStore({ client, tableName: platform.eventsTable });
    const recorded: StoredEvent[] = await store.read(conversationId);
    const registry = createAopRegistry({
      events: store,
      contents: createContentStore({ client, tableName: platform.eventsTable }),
    });
    const contents = new Map<string, { aopId: string; files: { path: string; text: string }[] }>();
    for (const event of recorded)
      if (event.aop && !contents.has(`${event.aop.id}@${event.aop.version}`))
        contents.set(`${event.aop.id}@${event.aop.version}`, {
          aopId: event.aop.id,
          files: (await registry.content(event.aop.id, event.aop.version)).files,
        });
    const resolve = (aop: { id: string; version: number }) => contents.get(`${aop.id}@${aop.version}`)!;
    const options = { ...retailReplay, resolve };
    let started = performance.now();
    const first = await replayConversation(recorded, options);
    const cold = performance.now() - started;
    if (!first.ok) throw new Error(`the recorded conversation does not replay:\n${formatReplay(first)}`);
    const times: number[] = [];
    for (let round = 0; round < 30; round++) {
      started = performance.now();
      const report = await replayConversation(recorded, options);
      times.push(performance.now() - started);
      if (!report.ok) throw new Error('replay became different');
    }
    const warm = median(times);
    const turns = first.turns.length;
    const exported = buildExport({
      conversationId,
      lines: recorded.map((event) => JSON.stringify(event)),
      exportedAt: new Date(),
      tool: 'bench',
    });
    if (!verifyExport(exported.jsonl, exported.manifest).ok) throw new Error('the export does not verify');
    process.stdout.write(
      `replay of a ${recorded.length}-event conversation (${turns} turns, 3 requests): median ${warm.toFixed(1)} ms, p90 ${[...times].sort((a, b) => a - b)[Math.floor(times.length * 0.9)]!.toFixed(1)} ms  ${warm <= REPLAY_TARGET_MS ? 'ok' : 'ABOVE TARGET'} (target ≤ ${REPLAY_TARGET_MS} ms)\n` +
        `  first replay ${cold.toFixed(0)} ms (compiles and validates the three versions' state machines; cached after)\n`,
    );
  } finally {
    client.destroy();
    await platform.stop();
  }
}
