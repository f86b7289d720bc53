import { randomUUID } from 'node:crypto';
import {
  type AttributeValue,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createStoredStreamReader,
  type IntegrityReport,
  verifyExport,
  verifyStoredStream,
} from '../../shared/audit/index.ts';
import type { NewEvent, StoredEvent } from '../../shared/events/catalogue.ts';
import { canonicalJson, GENESIS_HASH, hashEvent } from '../../shared/events/hash-chain.ts';
import { createEventStore, type EventStore, eventSortKey } from '../../shared/events/store.ts';
import { ensureEventTable } from '../../shared/events/table.ts';
import { type SeededRandom, seededRandom } from '../../shared/seeded-random.ts';
import { type Golden, loadGoldens } from '../replay/support.ts';

/**
 * Tampering with stored events of real recorded conversations (the replay goldens): random edits of
 * any field, deletions (the newest events too), reorders and insertions (copies, and forged events
 * that chain onto their predecessor with a correct hash, at the end too). Every one must be found by
 * the live verify (the items in DynamoDB, with the append records the store keeps) and by the offline
 * verify of an export (JSON Lines and its manifest), at the seq where it happened; untouched
 * conversations must verify. The random sequence is seeded: a failure names the seed and mutation.
 */

const SEED = 20_260_101;
const PER_KIND = 200;
const KINDS = ['edit', 'delete', 'swap', 'move', 'insert-copy', 'insert-forged'] as const;
type Kind = (typeof KINDS)[number];

const goldens = loadGoldens().filter((golden) => !golden.corrupted);

const random = seededRandom;
type Random = SeededRandom;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A stored item as the store writes it (shared/events/store.ts), from any JSON value. */
function itemOf(conversationId: string, sk: string, event: Json): Record<string, AttributeValue> {
  const record = (event ?? {}) as Record<string, Json>;
  const item: Record<string, AttributeValue> = {
    pk: { S: conversationId },
    sk: { S: sk },
    event: { S: JSON.stringify(event) },
  };
  if (typeof record.seq === 'number') item.seq = { N: String(record.seq) };
  for (const name of ['type', 'time', 'prevHash', 'hash'])
    if (record[name] !== undefined) item[name] = { S: String(record[name]) };
  return item;
}

/** One change to the table: put an item, or delete one. */
type ItemOp = { put: { sk: string; event: Json; attributesFrom?: Json } } | { delete: { sk: string } };

interface Mutation {
  readonly kind: Kind;
  readonly what: string;
  /** The event list after the change (for the export). */
  readonly events: Json[];
  /** Which original lines are kept verbatim (same object) in `events`. */
  readonly ops: ItemOp[];
  /** Index of the first event the change touches. */
  readonly at: number;
}

function leafPaths(value: Json, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [path];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  if (entries.length === 0) return [path];
  return [path, ...entries.flatMap(([key, inner]) => leafPaths(inner, [...path, key]))];
}

function changed(value: Json, rng: Random): Json {
  switch (typeof value) {
    case 'string': {
      if (value.length === 0 || rng.next() < 0.2) return `${value}x`;
      const at = rng.int(value.length);
      const replacement = value[at] === 'a' ? 'b' : 'a';
      return `${value.slice(0, at)}${replacement}${value.slice(at + 1)}`;
    }
    case 'number':
      return rng.next() < 0.5 ? value + 1 : value === 0 ? 0.5 : -value;
    case 'boolean':
      return !value;
    case 'object':
      if (value === null) return rng.next() < 0.5 ? 0 : 'x';
      if (Array.isArray(value)) return [...value, 'x'];
      return { ...value, x: 1 };
    default:
      return 'x';
  }
}

/** A copy of `event` with one value somewhere in it changed, removed or added; never equal to it. */
function edited(event: Json, rng: Random, within: (path: (string | number)[]) => boolean = () => true): Json {
  for (;;) {
    const copy = structuredClone(event) as Json;
    const paths = leafPaths(copy).filter((path) => path.length > 0 && within(path));
    const path = paths[rng.int(paths.length)]!;
    const parent = path
      .slice(0, -1)
      .reduce<Json>((node, key) => (node as Record<string, Json>)[key]!, copy) as
      | Record<string, Json>
      | Json[];
    const key = path.at(-1)!;
    const current = (parent as Record<string | number, Json>)[key]!;
    if (!Array.isArray(parent) && rng.next() < 0.15) delete parent[key as string];
    else (parent as Record<string | number, Json>)[key] = changed(current, rng);
    if (canonicalJson(copy) !== canonicalJson(event)) return copy;
  }
}

function mutate(kind: Kind, original: readonly StoredEvent[], rng: Random): Mutation {
  const events = original as unknown as Json[];
  const conversationId = original[0]!.conversationId;
  const n = events.length;
  const sk = (index: number) => eventSortKey(index + 1);
  switch (kind) {
    case 'edit': {
      const at = rng.int(n);
      const event = edited(events[at]!, rng);
      // Half the time the tamperer also updates the attributes copied beside the event.
      const attributesFrom = rng.next() < 0.5 ? event : events[at]!;
      return {
        kind,
        at,
        what: `edit seq ${at + 1}`,
        events: events.map((e, i) => (i === at ? event : e)),
        ops: [{ put: { sk: sk(at), event, attributesFrom } }],
      };
    }
    case 'delete': {
      // The newest events are the ones a chain alone cannot vouch for: delete them often.
      const at = rng.next() < 0.3 ? n - 1 - rng.int(Math.min(3, n)) : rng.int(n);
      return {
        kind,
        at,
        what: `delete seq ${at + 1}`,
        events: events.filter((_, i) => i !== at),
        ops: [{ delete: { sk: sk(at) } }],
      };
    }
    case 'swap': {
      const i = rng.int(n);
      let j = rng.int(n - 1);
      if (j >= i) j++;
      const [a, b] = [Math.min(i, j), Math.max(i, j)];
      const swapped = [...events];
      [swapped[a], swapped[b]] = [swapped[b]!, swapped[a]!];
      return {
        kind,
        at: a,
        what: `swap seqs ${a + 1} and ${b + 1}`,
        events: swapped,
        ops: [{ put: { sk: sk(a), event: events[b]! } }, { put: { sk: sk(b), event: events[a]! } }],
      };
    }
    case 'move': {
      const from = rng.int(n);
      const distance = 1 + rng.int(5);
      const to = Math.min(n - 1, Math.max(0, from + (rng.next() < 0.5 ? -distance : distance)));
      const target = to === from ? (from === 0 ? 1 : from - 1) : to;
      const moved = [...events];
      const [event] = moved.splice(from, 1);
      moved.splice(target, 0, event!);
      const [lo, hi] = [Math.min(from, target), Math.max(from, target)];
      const ops: ItemOp[] = [];
      for (let index = lo; index <= hi; index++) ops.push({ put: { sk: sk(index), event: moved[index]! } });
      return { kind, at: lo, what: `move seq ${from + 1} to position ${target + 1}`, events: moved, ops };
    }
    case 'insert-copy':
    case 'insert-forged': {
      const at = rng.next() < 0.3 ? n : rng.int(n + 1);
      const source = events[rng.int(n)]!;
      let event = source;
      if (kind === 'insert-forged') {
        // A careful forger: a changed copy, at its new seq, chained onto its predecessor, hash recomputed.
        const forged = edited(source, rng, (path) => path[0] === 'data') as Record<string, Json>;
        forged.seq = at + 1;
        forged.conversationId = conversationId;
        forged.prevHash = at === 0 ? GENESIS_HASH : (events[at - 1] as { hash: string }).hash;
        forged.hash = hashEvent(forged as unknown as StoredEvent);
        event = forged;
      }
      const key = at === n ? eventSortKey(n + 1) : `${eventSortKey(at)}x`;
      return {
        kind,
        at,
        what: `${kind} at position ${at + 1} (a ${(source as { type: string }).type})`,
        events: [...events.slice(0, at), event, ...events.slice(at)],
        ops: [{ put: { sk: key, event } }],
      };
    }
  }
}

function jsonlOf(golden: Golden, events: readonly Json[]): string {
  // Untouched events keep their original line, byte for byte.
  const lines = golden.jsonl.trimEnd().split('\n');
  const originals = new Map(
    (golden.events as unknown as Json[]).map((event, index) => [event, lines[index]!]),
  );
  return events.map((event) => `${originals.get(event) ?? JSON.stringify(event)}\n`).join('');
}

let client: DynamoDBClient;
let tableName: string;
let store: EventStore;

/** Stores a golden through the real store, with the append records the runtime would leave. */
async function seed(golden: Golden) {
  const conversationId = golden.events[0]!.conversationId;
  let open: number | undefined;
  for (const [index, event] of golden.events.entries()) {
    const { conversationId: _c, seq, prevHash: _p, hash: _h, ...rest } = event;
    if (index === 0) continue; // conversation.started goes with the first message, as the ingress appends it
    const batch = (index === 1 ? [golden.events[0]!, event] : [event]).map(
      ({ conversationId: _x, seq: _y, prevHash: _z, hash: _w, ...body }) => body as NewEvent,
    );
    let idempotencyKey: string | undefined;
    if (rest.type === 'message.received') idempotencyKey = `message-${rest.data.messageId}`;
    else if (rest.type === 'turn.started') open = rest.turn;
    else if (rest.type === 'turn.completed') open = undefined;
    else if (open !== undefined && rest.turn === open) idempotencyKey = `turn-${open}-at-${seq - 1}-seeded`;
    await store.append(conversationId, batch, {
      expectedVersion: index === 1 ? 0 : seq - 1,
      ...(idempotencyKey ? { idempotencyKey } : {}),
    });
  }
  expect(await store.read(conversationId)).toEqual(golden.events);
}

async function apply(conversationId: string, ops: readonly ItemOp[]) {
  for (const op of ops) {
    if ('put' in op) {
      const item = itemOf(conversationId, op.put.sk, op.put.event);
      if (op.put.attributesFrom !== undefined) {
        const copied = itemOf(conversationId, op.put.sk, op.put.attributesFrom);
        for (const name of ['seq', 'type', 'time', 'prevHash', 'hash']) {
          if (copied[name]) item[name] = copied[name]!;
          else delete item[name];
        }
      }
      await client.send(new PutItemCommand({ TableName: tableName, Item: item }));
    } else
      await client.send(
        new DeleteItemCommand({
          TableName: tableName,
          Key: { pk: { S: conversationId }, sk: { S: op.delete.sk } },
        }),
      );
  }
}

/** The ops that put the table back: every touched key gets its original item again, or goes. */
function undo(golden: Golden, ops: readonly ItemOp[]): ItemOp[] {
  const bySk = new Map(golden.events.map((event) => [eventSortKey(event.seq), event as unknown as Json]));
  return ops.map((op) => {
    const sk = 'put' in op ? op.put.sk : op.delete.sk;
    const original = bySk.get(sk);
    return original === undefined ? { delete: { sk } } : { put: { sk, event: original } };
  });
}

beforeAll(async () => {
  client = new DynamoDBClient({ endpoint: inject('dynamodbEndpoint') });
  tableName = `mutation-${randomUUID().slice(0, 8)}-events`;
  await ensureEventTable(client, tableName);
  store = createEventStore({ client, tableName });
  for (const golden of goldens) await seed(golden);
}, 120_000);

afterAll(() => client?.destroy());

describe('tampering with stored events', () => {
  it('verifies every untouched recording, live and exported (no false alarm)', async () => {
    const reader = createStoredStreamReader({ client, tableName });
    expect(goldens.length).toBeGreaterThanOrEqual(5);
    for (const golden of goldens) {
      const stream = await reader.read(golden.events[0]!.conversationId);
      expect(stream.anchors.length).toBeGreaterThan(0);
      expect(verifyStoredStream(stream), golden.name).toMatchObject({
        ok: true,
        count: golden.events.length,
      });
      expect(verifyExport(golden.jsonl, golden.manifest)).toMatchObject({ ok: true });
    }
  });

  it(`finds each of ${KINDS.length * PER_KIND} random edits, deletions, reorders and insertions, live and offline`, async () => {
    const reader = createStoredStreamReader({ client, tableName });
    const rng = random(SEED);
    // Planned up front so the sequence does not depend on timing; run one conversation per worker.
    const plan = new Map<Golden, Mutation[]>(goldens.map((golden) => [golden, []]));
    let count = 0;
    for (const kind of KINDS)
      for (let index = 0; index < PER_KIND; index++) {
        const golden = goldens[count++ % goldens.length]!;
        plan.get(golden)!.push(mutate(kind, golden.events, rng));
      }
    const missed: string[] = [];
    const reasons = new Map<string, number>();
    const tally = (report: IntegrityReport) => {
      if (!report.ok) reasons.set(report.reason, (reasons.get(report.reason) ?? 0) + 1);
    };
    await Promise.all(
      [...plan].map(async ([golden, mutations]) => {
        const conversationId = golden.events[0]!.conversationId;
        for (const [index, mutation] of mutations.entries()) {
          const label = `seed ${SEED}, ${golden.name} #${index}: ${mutation.what}`;
          const offline = verifyExport(jsonlOf(golden, mutation.events), golden.manifest);
          await apply(conversationId, mutation.ops);
          const live = verifyStoredStream(await reader.read(conversationId));
          await apply(conversationId, undo(golden, mutation.ops));
          tally(live);
          tally(offline);
          for (const [where, report] of [
            ['live', live],
            ['offline', offline],
          ] as const) {
            if (report.ok) {
              missed.push(`${where} verify missed ${label}`);
              continue;
            }
            // The first bad seq is where the change is (a forged event that chains may pass one further).
            const first = report.firstBadSeq ?? 0;
            const exact = mutation.kind !== 'insert-copy' && mutation.kind !== 'insert-forged';
            const ok = exact
              ? first === mutation.at + 1
              : first >= mutation.at + 1 && first <= mutation.at + 2;
            if (!ok)
              missed.push(
                `${where} verify put ${label} at seq ${first} (${report.reason}: ${report.message})`,
              );
          }
        }
        // Put back exactly: the untouched conversation verifies again.
        expect(verifyStoredStream(await reader.read(conversationId)), golden.name).toMatchObject({
          ok: true,
        });
      }),
    );
    expect(missed).toEqual([]);
    expect(count).toBeGreaterThanOrEqual(1000);
    // The chain finds most; the turn protocol and the append records find what it cannot (the tail).
    for (const reason of [
      'hash-mismatch',
      'prev-hash-mismatch',
      'protocol',
      'head-mismatch',
      'item-mismatch',
    ])
      expect(reasons.get(reason) ?? 0, `${reason} in ${JSON.stringify([...reasons])}`).toBeGreaterThan(0);
  }, 300_000);
});
