import type { StoredEvent } from '../../shared/events/catalogue.ts';
import { canonicalJson, GENESIS_HASH, hashEvent } from '../../shared/events/hash-chain.ts';
import { type SeededRandom, seededRandom } from '../../shared/seeded-random.ts';

/**
 * Mutations of a recorded conversation as someone who can write the events table makes them, in
 * three classes (issue 15): `naive` (an edit, a deletion or a reorder, hashes left as they were),
 * `rehashed` (a change with every hash after it recomputed, so the chain verifies), and `forged` (a
 * cut tail or a made-up turn, with the append records made to agree). Pure and seeded; the tamper
 * test and `npm run bench audit` share it.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** An append record (`i#<key>` item) and the seqs it wrote. */
export interface Anchor {
  readonly key: string;
  readonly fromSeq: number;
  readonly toSeq: number;
}

export const TAMPER_CLASSES = ['naive', 'rehashed', 'forged'] as const;
export type TamperClass = (typeof TAMPER_CLASSES)[number];

export interface Tampered {
  readonly kind: TamperClass;
  readonly what: string;
  /** The log after the change, by position; untouched events are the original objects. */
  readonly events: Json[];
  readonly anchors: Anchor[];
}

export const random = seededRandom;
export type Random = SeededRandom;

/** Seqs after which the runtime writes a digest: the last event of each turn's end append. */
export function turnEndSeqs(events: readonly StoredEvent[]): number[] {
  const seqs: number[] = [];
  for (const [index, event] of events.entries()) {
    if (event.type !== 'turn.completed') continue;
    const next = events[index + 1];
    const closing =
      (next?.type === 'conversation.resolved' || next?.type === 'conversation.escalated') &&
      next.turn === event.turn;
    seqs.push(closing ? event.seq + 1 : event.seq);
  }
  return seqs;
}

function leafPaths(value: Json, path: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [path];
  const entries: [string | number, Json][] = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  return [path, ...entries.flatMap(([key, inner]) => leafPaths(inner, [...path, key]))];
}

/** A copy of `event` with one value under `within` changed; never equal to it. */
function edited(event: Json, rng: Random, within: (path: (string | number)[]) => boolean): Json {
  for (let tries = 0; ; tries++) {
    const copy = structuredClone(event) as Json;
    const paths = leafPaths(copy).filter((path) => path.length > 0 && (tries > 20 || within(path)));
    const path = paths[rng.int(paths.length)]!;
    const parent = path
      .slice(0, -1)
      .reduce<Json>((node, key) => (node as Record<string, Json>)[key]!, copy) as Record<
      string | number,
      Json
    >;
    const key = path.at(-1)!;
    const current = parent[key];
    parent[key] =
      typeof current === 'string'
        ? `${current}x`
        : typeof current === 'number'
          ? current + 1
          : typeof current === 'boolean'
            ? !current
            : 'x';
    if (canonicalJson(copy) !== canonicalJson(event)) return copy;
  }
}

/** Seals `events` from `from` on again: seqs by position, each chained onto the one before, hashes recomputed. */
function resealed(events: readonly Json[], from: number, conversationId: string): Json[] {
  const out = [...events];
  for (let index = from; index < out.length; index++) {
    const event = { ...(out[index] as Record<string, Json>) };
    event.seq = index + 1;
    event.conversationId = conversationId;
    event.prevHash = index === 0 ? GENESIS_HASH : ((out[index - 1] as { hash: string }).hash as string);
    event.hash = hashEvent(event as unknown as StoredEvent);
    out[index] = event;
  }
  return out;
}

/** Where each turn starts (its customer message when one opens it) and ends, in positions. */
function turnSpans(events: readonly StoredEvent[]): { start: number; end: number; turn: number }[] {
  const spans: { start: number; end: number; turn: number }[] = [];
  for (const [index, event] of events.entries()) {
    if (event.type !== 'turn.started' || event.turn === undefined) continue;
    const start = events[index - 1]?.type === 'message.received' ? index - 1 : index;
    const endSeq = turnEndSeqs(events).find((seq) => seq > index) ?? events.length;
    spans.push({ start, end: endSeq - 1, turn: event.turn });
  }
  return spans;
}

export function tamper(
  kind: TamperClass,
  original: readonly StoredEvent[],
  anchors: readonly Anchor[],
  rng: Random,
): Tampered {
  const events = original as unknown as Json[];
  const conversationId = original[0]!.conversationId;
  const n = events.length;
  const inData = (path: (string | number)[]) => path[0] === 'data';
  if (kind === 'naive') {
    const at = rng.int(n);
    switch (rng.int(3)) {
      case 0:
        return {
          kind,
          what: `edit seq ${at + 1}`,
          events: events.map((event, index) => (index === at ? edited(event, rng, () => true) : event)),
          anchors: [...anchors],
        };
      case 1:
        return {
          kind,
          what: `delete seq ${at + 1}`,
          events: events.filter((_, index) => index !== at),
          anchors: [...anchors],
        };
      default: {
        const other = (at + 1 + rng.int(n - 1)) % n;
        const swapped = [...events];
        [swapped[at], swapped[other]] = [swapped[other]!, swapped[at]!];
        return { kind, what: `swap seqs ${at + 1} and ${other + 1}`, events: swapped, anchors: [...anchors] };
      }
    }
  }
  if (kind === 'rehashed') {
    const at = 1 + rng.int(n - 1);
    if (rng.next() < 0.7) {
      // Change what was said, decided or returned, and seal everything after it again.
      const changed = events.map((event, index) => (index === at ? edited(event, rng, inData) : event));
      return {
        kind,
        what: `edit seq ${at + 1} and rehash`,
        events: resealed(changed, at, conversationId),
        anchors: [...anchors],
      };
    }
    // Drop an event and seal the rest again (seqs renumbered, records moved to match).
    const dropped = events.filter((_, index) => index !== at);
    return {
      kind,
      what: `delete seq ${at + 1} and rehash`,
      events: resealed(dropped, at, conversationId),
      anchors: anchors.flatMap((anchor) =>
        anchor.fromSeq === at + 1 && anchor.toSeq === at + 1
          ? []
          : anchor.fromSeq > at + 1
            ? [{ ...anchor, fromSeq: anchor.fromSeq - 1, toSeq: anchor.toSeq - 1 }]
            : [anchor],
      ),
    };
  }
  // Forged, with the records made to agree.
  const spans = turnSpans(original);
  const last = spans.at(-1)!;
  const choice = rng.int(3);
  if (choice === 0 || spans.length < 2) {
    // Cut the last turns off, their records with them: a shorter log that is consistent.
    const cut = spans.length > 1 && rng.next() < 0.3 ? spans.at(-2)! : last;
    const keep = cut.start;
    return {
      kind,
      what: `truncate from seq ${keep + 1} (turn ${cut.turn} on)`,
      events: events.slice(0, keep),
      anchors: anchors.filter((anchor) => anchor.toSeq <= keep),
    };
  }
  if (choice === 1) {
    // Replace the last turn with a forged one: same shape, other words, sealed onto the chain.
    const forged = events.map((event, index) =>
      index >= last.start && index <= last.end && rng.next() < 0.5 ? edited(event, rng, inData) : event,
    );
    if (forged.every((event, index) => event === events[index]))
      forged[last.end] = edited(events[last.end]!, rng, inData);
    return {
      kind,
      what: `forge turn ${last.turn} in place`,
      events: resealed(forged, last.start, conversationId),
      anchors: [...anchors],
    };
  }
  // Append a whole forged turn after the last one, with its message's append record.
  const copy = events.slice(last.start, last.end + 1).map((event) => {
    const record = structuredClone(event) as Record<string, Json>;
    if (typeof record.turn === 'number') record.turn = last.turn + 1;
    const data = record.data as Record<string, Json> | undefined;
    if (data && typeof data.turn === 'number') data.turn = last.turn + 1;
    if (record.type === 'message.received' && data) data.messageId = `forged-${rng.int(1e9)}`;
    return record as Json;
  });
  const appended = resealed([...events, ...copy], n, conversationId);
  const message = appended
    .slice(n)
    .find((event) => (event as { type: string }).type === 'message.received') as
    | { seq: number; data: { messageId: string } }
    | undefined;
  return {
    kind,
    what: `append a forged turn ${last.turn + 1}`,
    events: appended,
    anchors: [
      ...anchors,
      ...(message
        ? [{ key: `message-${message.data.messageId}`, fromSeq: message.seq, toSeq: message.seq }]
        : []),
    ],
  };
}
