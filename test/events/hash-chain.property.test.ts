import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  GENESIS_HASH,
  hashEvent,
  type NewEvent,
  type NewEventOf,
  type StoredEvent,
  sealEvents,
  verifyChain,
} from '../../shared/events/index.ts';
import { allSampleEvents, sampleEvents } from './fixtures.ts';

const CONVERSATION = 'conv-prop';
/** fast-check's JsonValue and zod's JSONType describe the same values with different declarations. */
type SlotValue = NewEventOf<'slot.filled'>['data']['value'];

const newEvent: fc.Arbitrary<NewEvent> = fc.oneof(
  fc.constantFrom(...allSampleEvents),
  fc.jsonValue().map((value) => ({
    ...sampleEvents['slot.filled'],
    data: { ...sampleEvents['slot.filled'].data, value: value as SlotValue },
  })),
  fc.string().map((text) => ({
    ...sampleEvents['message.received'],
    data: { ...sampleEvents['message.received'].data, text },
  })),
);

const chainArb = fc
  .array(newEvent, { minLength: 2, maxLength: 30 })
  .map((events) => sealEvents(undefined, CONVERSATION, events));

type Mutation =
  | { kind: 'edit'; index: number; field: number; value: unknown }
  | { kind: 'delete'; index: number }
  | { kind: 'reorder'; from: number; to: number }
  | { kind: 'insert'; at: number; forged: NewEvent; forgery: 'raw' | 'chained' | 'chained-renumbered' }
  | { kind: 'duplicate'; index: number; at: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant('edit' as const),
    index: fc.nat(),
    field: fc.nat(),
    value: fc.oneof(
      fc.jsonValue(),
      fc.constant(undefined),
      fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
    ),
  }),
  fc.record({ kind: fc.constant('delete' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('reorder' as const), from: fc.nat(), to: fc.nat() }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    forged: newEvent,
    forgery: fc.constantFrom('raw' as const, 'chained' as const, 'chained-renumbered' as const),
  }),
  fc.record({ kind: fc.constant('duplicate' as const), index: fc.nat(), at: fc.nat() }),
);

/** Every field an attacker could edit: the envelope and each payload member. */
function fieldPaths(event: StoredEvent): string[][] {
  const data = event.data as Record<string, unknown>;
  return [...Object.keys(event).map((key) => [key]), ...Object.keys(data).map((key) => ['data', key])];
}

function setPath(event: StoredEvent, path: string[], value: unknown): StoredEvent {
  const copy = structuredClone(event) as unknown as Record<string, unknown>;
  const target = (path.length === 2 ? copy.data : copy) as Record<string, unknown>;
  const key = path[path.length - 1] as string;
  if (value === undefined) delete target[key];
  else target[key] = value;
  return copy as unknown as StoredEvent;
}

/**
 * Applies the mutation; returns the tampered chain and the lowest index it touched, or undefined when
 * the draw happens to change nothing (e.g. writing a field's own value back).
 */
function mutate(chain: StoredEvent[], m: Mutation): { events: StoredEvent[]; earliest: number } | undefined {
  const n = chain.length;
  switch (m.kind) {
    case 'edit': {
      const index = m.index % n;
      const original = chain[index] as StoredEvent;
      const paths = fieldPaths(original);
      const edited = setPath(original, paths[m.field % paths.length] as string[], m.value);
      if (canonicalJson(edited) === canonicalJson(original)) return undefined;
      return { events: chain.map((event, i) => (i === index ? edited : event)), earliest: index };
    }
    case 'delete': {
      const index = m.index % n;
      return { events: chain.filter((_, i) => i !== index), earliest: index };
    }
    case 'reorder': {
      const from = m.from % n;
      const to = m.to % n;
      if (from === to) return undefined;
      const events = [...chain];
      const [moved] = events.splice(from, 1);
      events.splice(to, 0, moved as StoredEvent);
      return { events, earliest: Math.min(from, to) };
    }
    case 'insert': {
      const at = m.at % (n + 1);
      const before = chain[at - 1];
      let forged: StoredEvent;
      if (m.forgery === 'raw') {
        const draft = {
          ...m.forged,
          conversationId: CONVERSATION,
          seq: at + 1,
          prevHash: before?.hash ?? GENESIS_HASH,
        };
        forged = {
          ...draft,
          hash: hashEvent({ ...draft, time: '1999-01-01T00:00:00Z' } as StoredEvent),
        } as StoredEvent;
      } else {
        forged = sealEvents(before, CONVERSATION, [m.forged])[0] as StoredEvent;
      }
      const after = chain.slice(at);
      const rest = m.forgery === 'chained-renumbered' ? after.map((e) => ({ ...e, seq: e.seq + 1 })) : after;
      return { events: [...chain.slice(0, at), forged, ...rest], earliest: at };
    }
    case 'duplicate': {
      const index = m.index % n;
      const at = m.at % (n + 1);
      const events = [...chain];
      events.splice(at, 0, chain[index] as StoredEvent);
      return { events, earliest: at };
    }
  }
}

describe('verifyChain (property)', () => {
  it('fails on every random edit, deletion, reordering, insertion and duplication', () => {
    const detected: Record<Mutation['kind'], number> = {
      edit: 0,
      delete: 0,
      reorder: 0,
      insert: 0,
      duplicate: 0,
    };
    fc.assert(
      fc.property(chainArb, mutationArb, (chain, mutation) => {
        const tampered = mutate(chain, mutation);
        fc.pre(tampered !== undefined);
        const head = chain[chain.length - 1]?.hash;
        const result = verifyChain(tampered.events, { conversationId: CONVERSATION, expectedLastHash: head });
        expect(result.ok).toBe(false);
        if (result.ok) return;
        // Nothing before the tampering is blamed, and the break is found right at it (an insertion
        // that is itself well-chained is only visible at the event after it).
        expect(result.firstBadSeq).toBeGreaterThanOrEqual(1);
        expect(result.firstBadSeq).toBeLessThanOrEqual(tampered.earliest + 2);
        if (mutation.kind === 'edit' || mutation.kind === 'delete' || mutation.kind === 'reorder') {
          expect(result.firstBadSeq).toBe(tampered.earliest + 1);
        }
        detected[mutation.kind] += 1;
      }),
      { numRuns: 1500 },
    );
    const total = Object.values(detected).reduce((sum, count) => sum + count, 0);
    expect(total).toBeGreaterThanOrEqual(1000);
    for (const count of Object.values(detected)) expect(count).toBeGreaterThan(100);
  });

  it('never raises a false alarm on an untouched chain', () => {
    fc.assert(
      fc.property(chainArb, (chain) => {
        const result = verifyChain(chain, { expectedLastHash: chain[chain.length - 1]?.hash });
        expect(result).toEqual({
          ok: true,
          count: chain.length,
          lastSeq: chain.length,
          lastHash: chain[chain.length - 1]?.hash,
        });
        // A stored chain survives the JSON round trip through DynamoDB.
        expect(verifyChain(JSON.parse(JSON.stringify(chain))).ok).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
