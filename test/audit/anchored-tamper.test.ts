import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AttributeValue,
  BatchWriteItemCommand,
  DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verify as cliVerify } from '../../cli/audit.ts';
import { createAuditApi } from '../../functions/audit-api-app.ts';
import type { HttpEvent } from '../../functions/commons/http.ts';
import {
  createDigestWriter,
  createLocalDigestSigner,
  createStoredStreamReader,
  createTableDigestStore,
  type DigestStore,
  type ExportManifest,
  ensureDigestTable,
  type IntegrityReport,
  verifyConversation,
  verifyExport,
  verifyStoredStream,
} from '../../shared/audit/index.ts';
import type { StoredEvent } from '../../shared/events/catalogue.ts';
import { GENESIS_HASH, hashEvent } from '../../shared/events/hash-chain.ts';
import { createEventStore, eventSortKey } from '../../shared/events/store.ts';
import { ensureEventTable } from '../../shared/events/table.ts';
import { type Golden, loadGoldens } from '../replay/support.ts';
import {
  type Anchor,
  type Json,
  random,
  TAMPER_CLASSES,
  type Tampered,
  tamper,
  turnEndSeqs,
} from './tamper-support.ts';

/**
 * Issue 15 item 2: someone who can write the events table (and its append records) rewrites
 * recorded conversations three ways: naive edits, deletions and reorders; rewrites with every hash
 * recomputed; and forged turns or a cut tail with consistent records. The signed digests (written at
 * each turn end to a store that table's writer cannot rewrite) must let both verify paths (the CLI's
 * `aop audit verify` and the audit API's `/verify`), and the offline verify of an export with its
 * digests, find every one; untouched conversations must verify. The sequence is seeded.
 */

const SEED = 15_002;
const PER_CLASS = 350;
const goldens = loadGoldens().filter((golden) => !golden.corrupted);

let client: DynamoDBClient;
let tableName: string;
let digestsTable: string;
let digests: DigestStore;
let platformFile: string;
let dir: string;
let api: ReturnType<typeof createAuditApi>;
const exported = new Map<Golden, ExportManifest>();

/** The append records the runtime leaves (shared/audit/protocol.ts), as the mutation test seeds them. */
function anchorsOf(events: readonly StoredEvent[]): Anchor[] {
  const anchors: Anchor[] = [];
  let open: number | undefined;
  for (const event of events) {
    if (event.type === 'message.received')
      anchors.push({ key: `message-${event.data.messageId}`, fromSeq: event.seq, toSeq: event.seq });
    else if (event.type === 'turn.started') open = event.turn;
    else if (event.type === 'turn.completed') open = undefined;
    else if (open !== undefined && event.turn === open)
      anchors.push({ key: `turn-${open}-at-${event.seq - 1}-seeded`, fromSeq: event.seq, toSeq: event.seq });
  }
  return anchors;
}

/** An event item as the store writes it, at the sort key of its position in the log. */
function eventItem(conversationId: string, position: number, event: Json): Record<string, AttributeValue> {
  const record = event as Record<string, Json>;
  return {
    pk: { S: conversationId },
    sk: { S: eventSortKey(position) },
    seq: { N: String(record.seq) },
    type: { S: String(record.type) },
    time: { S: String(record.time) },
    prevHash: { S: String(record.prevHash) },
    hash: { S: String(record.hash) },
    event: { S: JSON.stringify(event) },
  };
}

function anchorItem(conversationId: string, anchor: Anchor): Record<string, AttributeValue> {
  return {
    pk: { S: conversationId },
    sk: { S: `i#${anchor.key}` },
    fromSeq: { N: String(anchor.fromSeq) },
    toSeq: { N: String(anchor.toSeq) },
    time: { S: '2026-01-01T00:00:00.000Z' },
  };
}

async function write(requests: WriteRequest[]) {
  for (let at = 0; at < requests.length; at += 25) {
    let batch: Record<string, WriteRequest[]> | undefined = { [tableName]: requests.slice(at, at + 25) };
    while (batch && Object.keys(batch).length > 0) {
      const answer: { UnprocessedItems?: Record<string, WriteRequest[]> } = await client.send(
        new BatchWriteItemCommand({ RequestItems: batch }),
      );
      batch = answer.UnprocessedItems;
    }
  }
}

/** The writes that turn the stored `from` (events and records) into `to`. */
function diff(
  conversationId: string,
  from: { events: readonly Json[]; anchors: readonly Anchor[] },
  to: { events: readonly Json[]; anchors: readonly Anchor[] },
): WriteRequest[] {
  const requests: WriteRequest[] = [];
  const length = Math.max(from.events.length, to.events.length);
  for (let index = 0; index < length; index++) {
    const after = to.events[index];
    if (after === undefined)
      requests.push({
        DeleteRequest: { Key: { pk: { S: conversationId }, sk: { S: eventSortKey(index + 1) } } },
      });
    else if (after !== from.events[index])
      requests.push({ PutRequest: { Item: eventItem(conversationId, index + 1, after) } });
  }
  const kept = new Map(to.anchors.map((anchor) => [anchor.key, anchor]));
  for (const anchor of from.anchors)
    if (!kept.has(anchor.key))
      requests.push({
        DeleteRequest: { Key: { pk: { S: conversationId }, sk: { S: `i#${anchor.key}` } } },
      });
  const before = new Map(from.anchors.map((anchor) => [anchor.key, anchor]));
  for (const anchor of to.anchors) {
    const old = before.get(anchor.key);
    if (!old || old.fromSeq !== anchor.fromSeq || old.toSeq !== anchor.toSeq)
      requests.push({ PutRequest: { Item: anchorItem(conversationId, anchor) } });
  }
  return requests;
}

function httpEvent(conversationId: string): HttpEvent {
  return {
    rawPath: `/v1/conversations/${conversationId}/verify`,
    headers: {},
    isBase64Encoded: false,
    requestContext: { http: { method: 'GET' }, authorizer: { iam: {} } },
  } as unknown as HttpEvent;
}

async function viaHttp(conversationId: string): Promise<IntegrityReport> {
  const answer = await api(httpEvent(conversationId));
  expect(answer.statusCode, String(answer.body)).toBe(200);
  return JSON.parse(String(answer.body)) as IntegrityReport;
}

async function viaCli(conversationId: string): Promise<IntegrityReport> {
  let out = '';
  const code = await cliVerify(
    conversationId,
    { platform: platformFile, json: true },
    { out: (text) => (out += text), err: () => {} },
  );
  const report = JSON.parse(out) as IntegrityReport;
  expect(code).toBe(report.ok ? 0 : 1);
  return report;
}

beforeAll(async () => {
  const endpoint = inject('dynamodbEndpoint');
  client = new DynamoDBClient({ endpoint });
  const prefix = `anchored-${randomUUID().slice(0, 8)}`;
  tableName = `${prefix}-events`;
  digestsTable = `${prefix}-digests`;
  await Promise.all([ensureEventTable(client, tableName), ensureDigestTable(client, digestsTable)]);
  digests = createTableDigestStore({ client, tableName: digestsTable });
  const signer = createLocalDigestSigner(generateKeyPairSync('ed25519').privateKey);
  const writer = createDigestWriter({
    store: digests,
    signer,
    onError: (error) => {
      throw error;
    },
  });
  // The recorded conversations as the runtime leaves them: events, append records, a digest per turn end.
  for (const golden of goldens) {
    const conversationId = golden.events[0]!.conversationId;
    await write(
      diff(
        conversationId,
        { events: [], anchors: [] },
        {
          events: golden.events as unknown as Json[],
          anchors: anchorsOf(golden.events),
        },
      ),
    );
    for (const seq of turnEndSeqs(golden.events)) {
      const head = golden.events[seq - 1]!;
      expect(await writer.seal({ conversationId, seq, hash: head.hash })).toBeDefined();
    }
    exported.set(golden, {
      ...golden.manifest,
      digests: await digests.list(conversationId),
      publicKeys: await digests.keys(),
    });
  }
  dir = mkdtempSync(join(tmpdir(), 'anchored-'));
  platformFile = join(dir, 'platform.json');
  writeFileSync(
    platformFile,
    JSON.stringify({
      url: 'http://127.0.0.1:1',
      dynamodbEndpoint: endpoint,
      eventsTable: tableName,
      dataTablePrefix: `${prefix}-`,
      tenant: prefix,
      region: 'us-east-1',
      digestsTable,
    }),
  );
  api = createAuditApi({
    events: createEventStore({ client, tableName }),
    verification: { streams: createStoredStreamReader({ client, tableName }), digests },
    auth: { kind: 'iam' },
  });
}, 300_000);

afterAll(() => {
  client?.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('anchored tamper evidence', () => {
  it('verifies every untouched recording by the CLI, the HTTP route and offline (no false alarm)', async () => {
    expect(goldens.length).toBeGreaterThanOrEqual(5);
    for (const golden of goldens) {
      const conversationId = golden.events[0]!.conversationId;
      // Every recorded conversation ends at a turn end, so its last event is sealed.
      expect(turnEndSeqs(golden.events).at(-1), golden.name).toBe(golden.events.length);
      for (const report of [
        await viaCli(conversationId),
        await viaHttp(conversationId),
        verifyExport(golden.jsonl, exported.get(golden)!),
      ])
        expect(report, golden.name).toMatchObject({ ok: true, count: golden.events.length });
      expect((await viaHttp(conversationId)).ok && (await viaHttp(conversationId))).toMatchObject({
        digests: turnEndSeqs(golden.events).length,
      });
    }
  });

  it(`finds each of ${TAMPER_CLASSES.length * PER_CLASS} random naive, rehashed and forged mutations by both paths and offline`, async () => {
    const rng = random(SEED);
    const plan = new Map<Golden, Tampered[]>(goldens.map((golden) => [golden, []]));
    let count = 0;
    for (const kind of TAMPER_CLASSES)
      for (let index = 0; index < PER_CLASS; index++) {
        const golden = goldens[count++ % goldens.length]!;
        plan.get(golden)!.push(tamper(kind, golden.events, anchorsOf(golden.events), rng));
      }
    const missed: string[] = [];
    /** Per class: mutations, and how many the checks without digests (today's verify) let through. */
    const tally = new Map<string, { mutations: number; chainOnlyMissed: number }>();
    await Promise.all(
      [...plan].map(async ([golden, mutations]) => {
        const conversationId = golden.events[0]!.conversationId;
        const original = { events: golden.events as unknown as Json[], anchors: anchorsOf(golden.events) };
        const reader = createStoredStreamReader({ client, tableName });
        for (const [index, mutation] of mutations.entries()) {
          const label = `seed ${SEED}, ${golden.name} #${index}: ${mutation.kind} ${mutation.what}`;
          await write(diff(conversationId, original, mutation));
          const [cli, http, withoutDigests] = await Promise.all([
            viaCli(conversationId),
            viaHttp(conversationId),
            reader.read(conversationId).then((stream) => verifyStoredStream(stream)),
          ]);
          await write(diff(conversationId, mutation, original));
          const jsonl = mutation.events.map((event) => `${JSON.stringify(event)}\n`).join('');
          const offline = verifyExport(jsonl, exported.get(golden)!);
          const entry = tally.get(mutation.kind) ?? { mutations: 0, chainOnlyMissed: 0 };
          entry.mutations++;
          if (withoutDigests.ok) entry.chainOnlyMissed++;
          tally.set(mutation.kind, entry);
          for (const [where, report] of [
            ['CLI', cli],
            ['HTTP', http],
            ['offline', offline],
          ] as const)
            if (report.ok) missed.push(`${where} verify missed ${label}`);
          if (JSON.stringify(cli) !== JSON.stringify(http))
            missed.push(
              `CLI and HTTP disagree on ${label}: ${JSON.stringify(cli)} vs ${JSON.stringify(http)}`,
            );
        }
        expect(await viaCli(conversationId), golden.name).toMatchObject({ ok: true });
      }),
    );
    expect(missed).toEqual([]);
    expect(count).toBeGreaterThanOrEqual(1000);
    // Without the digests, rewrites with recomputed hashes and forgeries with consistent records
    // get through (the figures); naive changes are the chain's own business.
    expect(tally.get('naive')?.chainOnlyMissed).toBe(0);
    expect(tally.get('rehashed')?.chainOnlyMissed ?? 0).toBeGreaterThan(0);
    expect(tally.get('forged')?.chainOnlyMissed ?? 0).toBeGreaterThan(0);
    console.log(`anchored tamper: ${JSON.stringify(Object.fromEntries(tally))}`);
  }, 900_000);

  it('seals each turn end and chains the digests: a verified conversation names its digests', async () => {
    const golden = goldens[0]!;
    const conversationId = golden.events[0]!.conversationId;
    const report = await verifyConversation(
      { streams: createStoredStreamReader({ client, tableName }), digests },
      conversationId,
    );
    expect(report).toMatchObject({ ok: true, digests: turnEndSeqs(golden.events).length });
    // A key the reviewer does not trust vouches for nothing.
    expect(
      await verifyConversation(
        { streams: createStoredStreamReader({ client, tableName }), digests, trustedKeys: [GENESIS_HASH] },
        conversationId,
      ),
    ).toMatchObject({ ok: false, reason: 'digest-untrusted-key' });
    expect(hashEvent(golden.events[0]!)).toBe(golden.events[0]!.hash);
  });
});
