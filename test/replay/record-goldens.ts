/**
 * Records the replay goldens: runs every script of scripts.ts against a fresh local platform, exports
 * each conversation as the audit export does, and files it under the AOP version that made it. Also
 * writes the deliberately corrupted golden (a reply the code never says, with the chain sealed again,
 * so only replay can tell). Run when behaviour changes on purpose, and review the diff:
 *
 *   npx tsx test/replay/record-goldens.ts
 */
import '../../shared/polyfills.ts';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startPlatform } from '../../infra/local/platform.ts';
import { buildExport, manifestPathOf } from '../../shared/audit/export.ts';
import { createStoredStreamReader } from '../../shared/audit/stored-stream.ts';
import { type NewEvent, type StoredEvent, StoredEventSchema } from '../../shared/events/catalogue.ts';
import { sealEvents } from '../../shared/events/hash-chain.ts';
import { createEventStore } from '../../shared/events/store.ts';
import { contentHash, createContentStore } from '../../shared/registry/content.ts';
import { createAopRegistry } from '../../shared/registry/registry.ts';
import { RETAIL_AOPS } from '../support/retail.ts';
import { SCRIPTS } from './scripts.ts';
import { GOLDENS_DIR, type GoldenVersion, runScript } from './support.ts';

const TOOL = 'record-goldens';
const CORRUPTED_FROM = 'cancel-happy-path';

async function main() {
  // Goldens are exports replayed offline on every change, where no data key is at hand: plaintext.
  const platform = await startPlatform({
    aopsDir: RETAIL_AOPS,
    port: 0,
    tenant: 'goldens',
    encryptCustomerData: false,
  });
  const client = new DynamoDBClient({ endpoint: platform.dynamodbEndpoint });
  try {
    const reader = createStoredStreamReader({ client, tableName: platform.eventsTable });
    const registry = createAopRegistry({
      events: createEventStore({ client, tableName: platform.eventsTable }),
      contents: createContentStore({ client, tableName: platform.eventsTable }),
    });
    rmSync(GOLDENS_DIR, { recursive: true, force: true });
    for (const script of SCRIPTS) {
      const conversationId = await runScript(platform.url, script);
      const stream = await reader.read(conversationId);
      const events = stream.items.map((item) => StoredEventSchema.parse(JSON.parse(item.json)));
      const aop = events.find((event) => event.type === 'turn.started' && event.aop)?.aop;
      if (!aop || aop.id !== script.aopId)
        throw new Error(`${script.name} ran ${aop?.id ?? 'no procedure'}, expected ${script.aopId}`);
      const content = await registry.content(aop.id, aop.version);
      const sourceHash = contentHash(content);
      const dir = join(GOLDENS_DIR, `${aop.id}@${sourceHash.slice(0, 12)}`);
      mkdirSync(dir, { recursive: true });
      const version: GoldenVersion = { aopId: aop.id, version: aop.version, sourceHash, content };
      writeFileSync(join(dir, 'version.json'), `${JSON.stringify(version, null, 2)}\n`);
      write(
        dir,
        script.name,
        conversationId,
        stream.items.map((item) => item.json),
      );
      if (script.name === CORRUPTED_FROM)
        write(
          dir,
          `${script.name}.corrupted`,
          conversationId,
          corrupt(events).map((event) => JSON.stringify(event)),
        );
      process.stdout.write(`${script.name}: ${events.length} events → ${dir}\n`);
    }
  } finally {
    client.destroy();
    await platform.stop();
  }
}

function write(dir: string, name: string, conversationId: string, lines: readonly string[]) {
  const file = join(dir, `${name}.jsonl`);
  const exported = buildExport({ conversationId, lines, exportedAt: new Date(), tool: TOOL });
  writeFileSync(file, exported.jsonl);
  writeFileSync(manifestPathOf(file), `${JSON.stringify(exported.manifest, null, 2)}\n`);
}

/**
 * The last reply says the order is refunded instead of cancelled, and the chain is sealed again: the
 * log verifies, but the code never said that, so replay must fail at that event.
 */
function corrupt(events: readonly StoredEvent[]): StoredEvent[] {
  const last = events.findLastIndex((event) => event.type === 'message.sent');
  const unsealed = events.map((event, index) => {
    const { conversationId: _c, seq: _s, prevHash: _p, hash: _h, ...rest } = event;
    if (index !== last || rest.type !== 'message.sent') return rest as NewEvent;
    return { ...rest, data: { ...rest.data, text: rest.data.text.replace('is cancelled', 'is refunded') } };
  });
  return sealEvents(undefined, events[0]!.conversationId, unsealed);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
