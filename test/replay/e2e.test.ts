import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runAudit } from '../../cli/audit.ts';
import { runReplay } from '../../cli/replay.ts';
import { type RunningPlatform, startPlatform } from '../../infra/local/platform.ts';
import {
  createStoredStreamReader,
  type IntegrityReport,
  replayConversation,
  verifyExport,
  verifyStoredStream,
} from '../../shared/audit/index.ts';
import { type StoredEvent, StoredEventSchema } from '../../shared/events/catalogue.ts';
import { createEventStore } from '../../shared/events/store.ts';
import {
  createDataKeyStore,
  createLocalKeyWrapper,
  createPrivateEventStore,
  loadOrCreateLocalMasterKey,
} from '../../shared/privacy/index.ts';
import { createContentStore } from '../../shared/registry/content.ts';
import { createAopRegistry } from '../../shared/registry/registry.ts';
import { RETAIL_AOPS } from '../support/retail.ts';
import { MULTI_REQUEST, SCRIPTS, SEVERAL_REQUESTS } from './scripts.ts';
import { retailReplay, runScript } from './support.ts';

/**
 * A small end-to-end run (the happy paths of several procedures, a decline, a failed lookup, a
 * hand-over, through the whole local platform), then every conversation it produced is verified as
 * stored and replayed exactly on the version the registry says it ran. The audit and replay commands
 * are run against the same platform, as a reviewer would. The platform runs with its defaults, so
 * customer data is stored encrypted: chains are verified over the ciphertext as stored, replay reads
 * the events decrypted, as the handlers do.
 */

let platform: RunningPlatform;
let client: DynamoDBClient;
let platformFile: string;
const conversations = new Map<string, string>();

beforeAll(async () => {
  platform = await startPlatform({
    aopsDir: RETAIL_AOPS,
    port: 0,
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    tenant: `replay-${randomUUID().slice(0, 8)}`,
  });
  client = new DynamoDBClient({ endpoint: platform.dynamodbEndpoint });
  for (const script of [...SCRIPTS, MULTI_REQUEST, SEVERAL_REQUESTS])
    conversations.set(script.name, await runScript(platform.url, script));
  platformFile = join(mkdtempSync(join(tmpdir(), 'audit-cli-')), 'platform.json');
  writeFileSync(
    platformFile,
    JSON.stringify({
      url: platform.url,
      dynamodbEndpoint: platform.dynamodbEndpoint,
      eventsTable: platform.eventsTable,
      dataTablePrefix: platform.dataTablePrefix,
      tenant: platform.tenant,
      region: 'us-east-1',
      keysTable: platform.keysTable,
      masterKeyFile: platform.masterKeyFile,
    }),
  );
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await platform?.stop();
});

/** The events as stored: what the chain covers, customer data encrypted. */
async function storedEvents(conversationId: string): Promise<StoredEvent[]> {
  return createEventStore({ client, tableName: platform.eventsTable }).read(conversationId);
}

/**
 * What replay needs, as `aop replay` opens it: the events decrypted with the conversation's key (as
 * the handlers read them), and the verdict on the log as stored, whose hashes cover the ciphertext.
 */
async function openForReplay(
  conversationId: string,
): Promise<{ events: StoredEvent[]; decrypted: true; integrity: IntegrityReport }> {
  const { keysTable, masterKeyFile } = platform;
  if (!keysTable || !masterKeyFile) throw new Error('the platform should encrypt customer data by default');
  const events = await createPrivateEventStore({
    store: createEventStore({ client, tableName: platform.eventsTable }),
    keys: createDataKeyStore({
      client,
      tableName: keysTable,
      wrapper: createLocalKeyWrapper(loadOrCreateLocalMasterKey(masterKeyFile)),
    }),
  }).read(conversationId);
  const stream = await createStoredStreamReader({ client, tableName: platform.eventsTable }).read(
    conversationId,
  );
  return { events, decrypted: true, integrity: verifyStoredStream(stream) };
}

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { out: (text: string) => void out.push(text), err: (text: string) => void err.push(text) },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('replay of an end-to-end run', () => {
  it('replays every conversation of the run exactly, on the version the registry holds', async () => {
    const registry = createAopRegistry({
      events: createEventStore({ client, tableName: platform.eventsTable }),
      contents: createContentStore({ client, tableName: platform.eventsTable }),
    });
    const ids = (
      await createEventStore({ client, tableName: platform.eventsTable }).listConversations()
    ).filter((id) => !id.startsWith('aop#'));
    expect(ids.sort()).toEqual([...conversations.values()].sort());
    const procedures = new Set<string>();
    for (const id of ids) {
      const { events, ...stored } = await openForReplay(id);
      expect(stored.integrity, id).toMatchObject({ ok: true });
      const report = await replayConversation(events, {
        ...retailReplay,
        ...stored,
        resolve: async (aop) => ({
          aopId: aop.id,
          files: (await registry.content(aop.id, aop.version)).files,
        }),
      });
      expect(report.first, id).toBeUndefined();
      expect(report.ok).toBe(true);
      for (const turn of report.turns) {
        expect(turn.status).toBe('ok');
        if (turn.aop) procedures.add(turn.aop.id);
      }
    }
    expect(procedures.size).toBeGreaterThanOrEqual(6);
  });

  it('replays a conversation of three requests (re-routed twice) turn by turn on three procedures', async () => {
    const { events, ...stored } = await openForReplay(conversations.get(MULTI_REQUEST.name)!);
    expect(events.length).toBeGreaterThanOrEqual(100);
    const routed = events.flatMap((event) =>
      event.type === 'aop.selected' ? [[event.data.aopId, event.data.reason]] : [],
    );
    expect(routed).toEqual([
      ['order-information', 'routed'],
      ['cancel-pending-order', 'rerouted'],
      ['order-information', 'rerouted'],
    ]);
    const registry = createAopRegistry({
      events: createEventStore({ client, tableName: platform.eventsTable }),
      contents: createContentStore({ client, tableName: platform.eventsTable }),
    });
    const report = await replayConversation(events, {
      ...retailReplay,
      ...stored,
      resolve: async (aop) => ({ aopId: aop.id, files: (await registry.content(aop.id, aop.version)).files }),
    });
    expect(report.ok).toBe(true);
    expect(new Set(report.turns.map((turn) => turn.aop?.id))).toEqual(
      new Set(['order-information', 'cancel-pending-order']),
    );
  });

  it('replays a message of two requests: the plan said at the start, the second taken up in a turn of its own', async () => {
    const { events, ...stored } = await openForReplay(conversations.get(SEVERAL_REQUESTS.name)!);
    const selected = events.flatMap((event) =>
      event.type === 'aop.selected' ? [[event.data.aopId, event.data.reason, event.data.then ?? []]] : [],
    );
    expect(selected).toEqual([
      ['order-information', 'routed', ['profile-information']],
      ['profile-information', 'continued', []],
    ]);
    const said = events.flatMap((event) => (event.type === 'message.sent' ? [event.data.text] : []));
    expect(said[0]).toBe("I'll help with the order information first, then with the profile information.");
    expect(said).toContain('Now for the profile information.');
    // Two messages, three turns: the last answers no message.
    expect(events.filter((event) => event.type === 'turn.started')).toHaveLength(3);
    const registry = createAopRegistry({
      events: createEventStore({ client, tableName: platform.eventsTable }),
      contents: createContentStore({ client, tableName: platform.eventsTable }),
    });
    const report = await replayConversation(events, {
      ...retailReplay,
      ...stored,
      resolve: async (aop) => ({ aopId: aop.id, files: (await registry.content(aop.id, aop.version)).files }),
    });
    expect(report.first).toBeUndefined();
    expect(report.turns.map((turn) => [turn.aop?.id, turn.status])).toEqual([
      ['order-information', 'ok'],
      ['order-information', 'ok'],
      ['profile-information', 'ok'],
    ]);
  });

  it('verifies every stored stream live, with its append records and no lease held', async () => {
    const reader = createStoredStreamReader({ client, tableName: platform.eventsTable });
    for (const id of conversations.values()) {
      const stream = await reader.read(id);
      expect(stream.anchors.length).toBeGreaterThan(0);
      expect(stream.locked).toBe(false);
      expect(verifyStoredStream(stream), id).toMatchObject({ ok: true, count: stream.items.length });
    }
  });
});

describe('aop audit and aop replay against the running platform', () => {
  it('show: a timeline with source lines, tool calls and guard decisions', async () => {
    const id = conversations.get('cancel-happy-path')!;
    const run = capture();
    expect(await runAudit(['show', id.slice(0, 8), '--platform', platformFile], run.io)).toBe(0);
    const text = run.out();
    expect(text).toContain(`Conversation ${id}`);
    expect(text).toContain('OK, 53 events');
    expect(text).toMatch(/Turn 4 · cancel-pending-order@\d+/);
    expect(text).toMatch(
      /tool\.requested\s+\[cancel retail\/cancel-pending-order\.md:\d+\] call cancel_pending_order\(\{"order_id":"#W5918442","reason":"no longer needed"\}\)/,
    );
    expect(text).toMatch(
      /guard\.checked\s+\[cancel retail\/cancel-pending-order\.md:\d+\] guard owns for cancel_pending_order: passed/,
    );
    expect(text).toMatch(/message\.sent\s+\[identify retail\/authenticate-customer\.md:\d+\]/);
    expect(text).toMatch(/model\.called .*\d+ in \/ \d+ out tokens/);

    const json = capture();
    expect(await runAudit(['show', id, '--json', '--platform', platformFile], json.io)).toBe(0);
    const parsed = JSON.parse(json.out()) as { entries: { seq: number; source?: string; type: string }[] };
    expect(parsed.entries).toHaveLength(53);
    const cancel = parsed.entries.find(
      (entry) => entry.type === 'tool.requested' && entry.source?.includes('cancel'),
    );
    expect(cancel?.source).toMatch(/^retail\/cancel-pending-order\.md:\d+$/);
  });

  it('verify: one conversation and --all exit 0; an unknown id exits 2', async () => {
    const one = capture();
    expect(
      await runAudit(['verify', conversations.get('new-card')!, '--platform', platformFile], one.io),
    ).toBe(0);
    expect(one.out()).toMatch(/: OK, \d+ events/);
    const all = capture();
    expect(await runAudit(['verify', '--all', '--platform', platformFile], all.io)).toBe(0);
    expect(all.out()).toMatch(/stream\(s\) verified: 0 broken/);
    const unknown = capture();
    expect(await runAudit(['verify', 'no-such-conversation', '--platform', platformFile], unknown.io)).toBe(
      2,
    );
    expect(unknown.err()).toContain('no conversation "no-such-conversation"');
  });

  it('export writes JSON Lines and a manifest that verify offline; an edited line fails with its seq', async () => {
    const id = conversations.get('status-after-wrong-zip')!;
    const file = join(mkdtempSync(join(tmpdir(), 'audit-export-')), 'conversation.jsonl');
    expect(await runAudit(['export', id, '--out', file, '--platform', platformFile], capture().io)).toBe(0);
    const jsonl = readFileSync(file, 'utf8');
    const manifest = JSON.parse(readFileSync(`${file}.manifest.json`, 'utf8'));
    // An export is the log as stored: the ciphertext its chain covers.
    const stored = await storedEvents(id);
    expect(
      jsonl
        .trimEnd()
        .split('\n')
        .map((line) => StoredEventSchema.parse(JSON.parse(line))),
    ).toEqual(stored);
    expect(manifest).toMatchObject({
      format: 'aop-audit-export/1',
      conversationId: id,
      count: stored.length,
      firstSeq: 1,
      lastSeq: stored.length,
      finalHash: stored.at(-1)!.hash,
      exportedBy: { tool: expect.stringMatching(/^aop /), compilerVersion: expect.any(String) },
    });
    expect(verifyExport(jsonl, manifest)).toMatchObject({ ok: true });
    const offline = capture();
    // Offline: no platform file at all.
    expect(await runAudit(['verify', '--file', file, '--platform', '/nonexistent'], offline.io)).toBe(0);

    const lines = jsonl.split('\n');
    // The customer's words are ciphertext in the export: put made-up words in their place.
    const edited = JSON.parse(lines[9]!) as { type: string; data: { text: string } };
    expect(edited.type).toBe('message.received');
    edited.data.text = 'Joseph Khan, zip 99999';
    lines[9] = JSON.stringify(edited);
    writeFileSync(file, lines.join('\n'));
    const broken = capture();
    expect(await runAudit(['verify', '--file', file], broken.io)).toBe(1);
    expect(broken.out()).toContain('BROKEN at seq 10 (hash-mismatch)');
  });

  it('replay: a stored conversation replays OK; a what-if file shows the first divergence', async () => {
    const id = conversations.get('cancel-happy-path')!;
    const exact = capture();
    expect(await runReplay([id, '--platform', platformFile], { io: exact.io })).toBe(0);
    expect(exact.out()).toContain('OK: every turn reproduced exactly.');
    expect(exact.err()).toBe('');

    const dir = mkdtempSync(join(tmpdir(), 'what-if-'));
    const path = join(dir, 'cancel-pending-order.md');
    const original = readFileSync(
      join(import.meta.dirname, '../../aops/retail/cancel-pending-order.md'),
      'utf8',
    );
    writeFileSync(path, original.replace('is not "pending"', 'is not "processed"'));
    const changed = capture();
    expect(await runReplay([id, '--aop-file', path, '--platform', platformFile], { io: changed.io })).toBe(1);
    expect(changed.out()).toContain('First divergence: turn 2, step check-status');
  });
});
