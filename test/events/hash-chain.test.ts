import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  GENESIS_HASH,
  hashEvent,
  isInvalidAppendError,
  type StoredEvent,
  sealEvents,
  verifyChain,
} from '../../shared/events/index.ts';
import { conversation, sampleEvents } from './fixtures.ts';

const chain = (length = 8, conversationId = 'conv-1') =>
  sealEvents(undefined, conversationId, conversation(length));

/** Replaces one event by an edited copy, as someone with write access to the table could. */
function edit(events: StoredEvent[], index: number, change: (event: Record<string, unknown>) => void) {
  const copy = structuredClone(events);
  change(copy[index] as unknown as Record<string, unknown>);
  return copy;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives the same text whatever order the keys were inserted in', () => {
    expect(canonicalJson({ x: 1, y: { p: true, q: null } })).toBe(
      canonicalJson({ y: { q: null, p: true }, x: 1 }),
    );
  });

  it('omits undefined members and writes undefined array items as null, like JSON', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1] })).toBe('{"b":[null,1]}');
  });

  it('writes numbers in shortest round-trip form', () => {
    expect(canonicalJson([1.0, 0.1, -0, 1e21, 1e-7, 123456789012345680000])).toBe(
      '[1,0.1,0,1e+21,1e-7,123456789012345680000]',
    );
  });

  it('escapes strings exactly as JSON does', () => {
    expect(canonicalJson({ 'é"\n': 'tab\there \u2028 \ud800' })).toBe(
      JSON.stringify({ 'é"\n': 'tab\there \u2028 \ud800' }),
    );
  });

  it('fails when a value has no faithful JSON form', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(TypeError);
    expect(() => canonicalJson({ big: 1n })).toThrow(TypeError);
    expect(() => canonicalJson(() => 1)).toThrow(TypeError);
  });
});

describe('hashEvent', () => {
  it('is the sha256 hex of the canonical event without its hash', () => {
    const [event] = chain(1) as [StoredEvent];
    const { hash, ...rest } = event;
    const expected = createHash('sha256').update(canonicalJson(rest)).digest('hex');
    expect(hashEvent(rest)).toBe(expected);
    expect(hashEvent(event)).toBe(expected);
    expect(hash).toBe(expected);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('covers the envelope as well as the payload', () => {
    const [event] = chain(1) as [StoredEvent];
    expect(hashEvent({ ...event, seq: 2 })).not.toBe(event.hash);
    expect(hashEvent({ ...event, prevHash: 'f'.repeat(64) })).not.toBe(event.hash);
    expect(hashEvent({ ...event, conversationId: 'other' })).not.toBe(event.hash);
    expect(hashEvent({ ...event, time: '2025-03-01T10:00:00.001Z' })).not.toBe(event.hash);
  });
});

describe('sealEvents', () => {
  it('starts a stream at seq 1 on the genesis hash and links each event to the one before', () => {
    const events = chain(3);
    expect(events.map((event) => event.seq)).toEqual([1, 2, 3]);
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    expect(events[1]?.prevHash).toBe(events[0]?.hash);
    expect(events[2]?.prevHash).toBe(events[1]?.hash);
    expect(events.every((event) => event.conversationId === 'conv-1')).toBe(true);
  });

  it('continues after the previous head', () => {
    const first = chain(2);
    const more = sealEvents(first[1], 'conv-1', [sampleEvents['message.sent']]);
    expect(more[0]?.seq).toBe(3);
    expect(more[0]?.prevHash).toBe(first[1]?.hash);
    expect(verifyChain([...first, ...more]).ok).toBe(true);
  });

  it('fails when the conversation id is empty', () => {
    expect(() => sealEvents(undefined, '', [sampleEvents['conversation.started']])).toSatisfy(
      (fn: () => unknown) => {
        try {
          fn();
          return false;
        } catch (error) {
          return isInvalidAppendError(error) && error.reason === 'invalid-conversation-id';
        }
      },
    );
  });
});

describe('verifyChain', () => {
  it('accepts an untouched chain and reports its head', () => {
    const events = chain(30);
    expect(verifyChain(events)).toEqual({ ok: true, count: 30, lastSeq: 30, lastHash: events[29]?.hash });
    expect(verifyChain(events, { expectedLastHash: events[29]?.hash }).ok).toBe(true);
  });

  it('accepts an empty chain as the genesis', () => {
    expect(verifyChain([])).toEqual({ ok: true, count: 0, lastSeq: 0, lastHash: GENESIS_HASH });
  });

  it('accepts a slice when given the verified event before it', () => {
    const events = chain(10);
    expect(verifyChain(events.slice(4), { previous: events[3] })).toMatchObject({
      ok: true,
      count: 6,
      lastSeq: 10,
    });
    expect(verifyChain(events.slice(4))).toMatchObject({ ok: false, firstBadSeq: 1, reason: 'seq-gap' });
  });

  it('fails when a payload was edited', () => {
    const tampered = edit(chain(), 3, (event) => {
      (event.data as Record<string, unknown>).text = 'I never said that';
    });
    expect(verifyChain(tampered)).toMatchObject({ ok: false, firstBadSeq: 4, reason: 'hash-mismatch' });
  });

  it('fails when an envelope field was edited', () => {
    const tampered = edit(chain(), 5, (event) => {
      event.actor = 'operator';
    });
    expect(verifyChain(tampered)).toMatchObject({ ok: false, firstBadSeq: 6, reason: 'hash-mismatch' });
  });

  it('fails when a stored hash is wrong', () => {
    const tampered = edit(chain(), 2, (event) => {
      event.hash = 'e'.repeat(64);
    });
    expect(verifyChain(tampered)).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'hash-mismatch' });
  });

  it('fails when an edited event was re-hashed, at the link to the next event', () => {
    const tampered = edit(chain(), 2, (event) => {
      event.actor = 'operator';
      event.hash = hashEvent(event as unknown as StoredEvent);
    });
    expect(verifyChain(tampered)).toMatchObject({ ok: false, firstBadSeq: 4, reason: 'prev-hash-mismatch' });
  });

  it('fails when the prevHash link is broken', () => {
    const tampered = edit(chain(), 4, (event) => {
      event.prevHash = GENESIS_HASH;
      event.hash = hashEvent(event as unknown as StoredEvent);
    });
    expect(verifyChain(tampered)).toMatchObject({ ok: false, firstBadSeq: 5, reason: 'prev-hash-mismatch' });
  });

  it('fails when an event was deleted', () => {
    const events = chain();
    const tampered = [...events.slice(0, 3), ...events.slice(4)];
    expect(verifyChain(tampered)).toMatchObject({ ok: false, firstBadSeq: 4, reason: 'seq-gap' });
  });

  it('fails when events were reordered', () => {
    const events = chain();
    const tampered = [...events];
    [tampered[2], tampered[5]] = [tampered[5] as StoredEvent, tampered[2] as StoredEvent];
    expect(verifyChain(tampered)).toMatchObject({ ok: false, firstBadSeq: 3, reason: 'seq-out-of-order' });
  });

  it('fails when a forged event was inserted, even one with a valid hash of its own', () => {
    const events = chain();
    const [forged] = sealEvents(events[2], 'conv-1', [sampleEvents['confirmation.recorded']]) as [
      StoredEvent,
    ];
    const tampered = [...events.slice(0, 3), forged, ...events.slice(3)];
    expect(verifyChain(tampered)).toMatchObject({ ok: false, firstBadSeq: 5, reason: 'seq-duplicated' });

    const renumbered = [
      ...events.slice(0, 3),
      forged,
      ...events.slice(3).map((e) => ({ ...e, seq: e.seq + 1 })),
    ];
    expect(verifyChain(renumbered)).toMatchObject({
      ok: false,
      firstBadSeq: 5,
      reason: 'prev-hash-mismatch',
    });
  });

  it('fails when an event was duplicated', () => {
    const events = chain();
    const tampered = [...events.slice(0, 4), events[3] as StoredEvent, ...events.slice(4)];
    expect(verifyChain(tampered)).toMatchObject({ ok: false, firstBadSeq: 5, reason: 'seq-duplicated' });
  });

  it('fails when an event of another conversation was mixed in', () => {
    const events = chain();
    const foreign = chain(8, 'conv-2');
    const tampered = [...events.slice(0, 6), foreign[6] as StoredEvent, ...events.slice(7)];
    expect(verifyChain(tampered)).toMatchObject({
      ok: false,
      firstBadSeq: 7,
      reason: 'conversation-mismatch',
    });
    expect(verifyChain(events, { conversationId: 'conv-2' })).toMatchObject({
      ok: false,
      firstBadSeq: 1,
      reason: 'conversation-mismatch',
    });
  });

  it('fails when the newest events were cut off or forged, given the recorded head', () => {
    const events = chain();
    const head = events[7]?.hash;
    expect(verifyChain(events.slice(0, 6), { expectedLastHash: head })).toMatchObject({
      ok: false,
      firstBadSeq: 7,
      reason: 'head-mismatch',
    });
    const extended = [...events, ...sealEvents(events[7], 'conv-1', [sampleEvents['message.sent']])];
    expect(verifyChain(extended, { expectedLastHash: head })).toMatchObject({
      ok: false,
      reason: 'head-mismatch',
    });
    // Without a head recorded elsewhere, a shorter chain is indistinguishable from an honest one.
    expect(verifyChain(events.slice(0, 6)).ok).toBe(true);
  });

  it('fails when an event holds a value with no JSON form', () => {
    const tampered = edit(chain(), 1, (event) => {
      event.data = { value: Number.NaN };
    });
    expect(verifyChain(tampered)).toMatchObject({ ok: false, firstBadSeq: 2, reason: 'malformed' });
  });
});
