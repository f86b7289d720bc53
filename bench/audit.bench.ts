import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type RunningPlatform, startPlatform } from '../infra/local/platform.ts';
import {
  buildExport,
  createStoredStreamReader,
  formatReplay,
  replayConversation,
  verifyEvents,
  verifyExport,
  verifyStoredStream,
} from '../shared/audit/index.ts';
import type { StoredEvent } from '../shared/events/catalogue.ts';
import { verifyChain } from '../shared/events/hash-chain.ts';
import { createEventStore, type EventStore } from '../shared/events/store.ts';
import {
  createDataKeyStore,
  createLocalKeyWrapper,
  createPrivateEventStore,
  loadOrCreateLocalMasterKey,
} from '../shared/privacy/index.ts';
import { createContentStore } from '../shared/registry/content.ts';
import { createAopRegistry } from '../shared/registry/registry.ts';
import { MULTI_REQUEST } from '../test/replay/scripts.ts';
import { loadGoldens, retailReplay, runScript } from '../test/replay/support.ts';
import { RETAIL_AOPS } from '../test/support/retail.ts';
import type { BenchOptions } from './options.ts';

/**
 * Audit figures on real recorded conversations (the replay goldens, and one conversation of about
 * 100 events recorded here on a fresh local platform):
 * - verify throughput, events per second (target ≥ 100,000): the hash chain alone, the live verify
 *   (chain + turn protocol), and the offline verify of an export (parse + chain + protocol + file hash);
 * - replay time of that ~100-event conversation (target ≤ 50 ms), once its versions are compiled.
 *
 * The platform runs with its defaults, so customer data is stored encrypted: the chain is verified over
 * the events as stored (ciphertext), and replay reads them decrypted with the conversation's key, as
 * `aop replay` does. Replaying the ciphertext would compare encrypted model inputs with plaintext ones.
 */

// Lambda runs Node 22; the SDK's notice about Node 20 would interleave with the figures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const VERIFY_TARGET = 100_000;
const REPLAY_TARGET_MS = 50;

/** Events verified per round and replays timed; `short` keeps every figure at a fraction of the time. */
const SIZES = {
  full: { verifiedPerRound: 200_000, rounds: 5, replays: 30 },
  short: { verifiedPerRound: 20_000, rounds: 3, replays: 5 },
} as const;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function throughput(events: number, rounds: number, run: () => void): number {
  run(); // warm up
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    run();
    rates.push(events / ((performance.now() - started) / 1000));
  }
  return median(rates);
}

export async function run({ short = false, dynamodbEndpoint }: BenchOptions = {}): Promise<void> {
  const size = short ? SIZES.short : SIZES.full;
  const conversations = loadGoldens().filter((golden) => !golden.corrupted);
  // Enough real events to time: every golden, many times over.
  const repeat = Math.ceil(
    size.verifiedPerRound / conversations.reduce((sum, golden) => sum + golden.events.length, 0),
  );
  const total = repeat * conversations.reduce((sum, golden) => sum + golden.events.length, 0);
  const bytes = conversations.reduce((sum, golden) => sum + golden.jsonl.length, 0);
  const events = conversations.reduce((sum, golden) => sum + golden.events.length, 0);
  const figures = {
    chain: throughput(total, size.rounds, () => {
      for (let round = 0; round < repeat; round++)
        for (const golden of conversations) if (!verifyChain(golden.events).ok) throw new Error(golden.name);
    }),
    live: throughput(total, size.rounds, () => {
      for (let round = 0; round < repeat; round++)
        for (const golden of conversations)
          if (!verifyEvents(golden.events, { conversationId: golden.events[0]!.conversationId }).ok)
            throw new Error(golden.name);
    }),
    offline: throughput(total, size.rounds, () => {
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

  const platform = await startPlatform({
    aopsDir: RETAIL_AOPS,
    port: 0,
    tenant: `bench-audit-${Date.now()}`,
    ...(dynamodbEndpoint ? { dynamodbEndpoint } : {}),
  });
  const client = new DynamoDBClient({ endpoint: platform.dynamodbEndpoint });
  try {
    const conversationId = await runScript(platform.url, MULTI_REQUEST);
    const store = createEventStore({ client, tableName: platform.eventsTable });
    const stored: StoredEvent[] = await store.read(conversationId);
    const { recorded, decrypted } = await openForReplay(platform, client, store, stored);
    const integrity = verifyStoredStream(
      await createStoredStreamReader({ client, tableName: platform.eventsTable }).read(conversationId),
    );
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
    const options = { ...retailReplay, resolve, decrypted, integrity };
    let started = performance.now();
    const first = await replayConversation(recorded, options);
    const cold = performance.now() - started;
    if (!first.ok) throw new Error(`the recorded conversation does not replay:\n${formatReplay(first)}`);
    const times: number[] = [];
    for (let round = 0; round < size.replays; round++) {
      started = performance.now();
      const report = await replayConversation(recorded, options);
      times.push(performance.now() - started);
      if (!report.ok) throw new Error('replay became different');
    }
    const warm = median(times);
    const turns = first.turns.length;
    const exported = buildExport({
      conversationId,
      lines: stored.map((event) => JSON.stringify(event)),
      exportedAt: new Date(),
      tool: 'bench',
    });
    if (!verifyExport(exported.jsonl, exported.manifest).ok) throw new Error('the export does not verify');
    process.stdout.write(
      `replay of a ${recorded.length}-event conversation (${turns} turns, 3 requests${decrypted ? ', customer data decrypted first' : ''}): every turn reproduced; median ${warm.toFixed(1)} ms, p90 ${[...times].sort((a, b) => a - b)[Math.floor(times.length * 0.9)]!.toFixed(1)} ms  ${warm <= REPLAY_TARGET_MS ? 'ok' : 'ABOVE TARGET'} (target ≤ ${REPLAY_TARGET_MS} ms)\n` +
        `  first replay ${cold.toFixed(0)} ms (compiles and validates the three versions' state machines; cached after)\n`,
    );
  } finally {
    client.destroy();
    await platform.stop();
  }
}

/** The events as `aop replay` reads them: decrypted with the conversation's data key when the platform encrypts. */
async function openForReplay(
  platform: RunningPlatform,
  client: DynamoDBClient,
  store: EventStore,
  stored: StoredEvent[],
): Promise<{ recorded: StoredEvent[]; decrypted: boolean }> {
  const { keysTable, masterKeyFile } = platform;
  const conversationId = stored[0]?.conversationId;
  if (!keysTable || !masterKeyFile || !conversationId) return { recorded: stored, decrypted: false };
  const keys = createDataKeyStore({
    client,
    tableName: keysTable,
    wrapper: createLocalKeyWrapper(loadOrCreateLocalMasterKey(masterKeyFile)),
  });
  return {
    recorded: await createPrivateEventStore({ store, keys }).read(conversationId),
    decrypted: true,
  };
}
