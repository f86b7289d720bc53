import { describe, expect, it } from 'vitest';
import {
  buildExport,
  checkProtocol,
  ExportFormatError,
  parseManifest,
  verifyEvents,
  verifyExport,
} from '../../shared/audit/index.ts';
import type { NewEvent, StoredEvent } from '../../shared/events/catalogue.ts';
import { sealEvents } from '../../shared/events/hash-chain.ts';
import { loadGoldens } from '../replay/support.ts';

/**
 * Given a recorded conversation, when it is cut, extended or re-sealed, then verify names why and
 * where. (The mutation test covers random changes in bulk; these are the rules one by one.)
 */

const goldens = loadGoldens().filter((golden) => !golden.corrupted);
const golden = (name: string) => goldens.find((candidate) => candidate.name === name)!;
const happy = golden('cancel-happy-path');
const conversationId = happy.events[0]!.conversationId;

/** The same events as new ones, sealed again into a valid chain: what a tamperer with write access makes. */
function resealed(events: readonly StoredEvent[]): StoredEvent[] {
  return sealEvents(
    undefined,
    conversationId,
    events.map(({ conversationId: _c, seq: _s, prevHash: _p, hash: _h, ...rest }) => rest as NewEvent),
  );
}

const verify = (events: readonly StoredEvent[], options: { locked?: boolean } = {}) =>
  verifyEvents(events, { conversationId, ...options });

describe('verify: the turn protocol', () => {
  it('accepts every recorded conversation, a hand-over and a human-owned turn included', () => {
    for (const { events, name } of goldens)
      expect(verifyEvents(events, { conversationId: events[0]!.conversationId }), name).toMatchObject({
        ok: true,
      });
    expect(golden('asks-for-a-person').events.at(-1)).toMatchObject({
      type: 'turn.completed',
      data: { status: 'escalated' },
    });
  });

  it('fails when the conversation.resolved written with the last turn is cut off', () => {
    const report = verify(happy.events.slice(0, -1));
    expect(report).toMatchObject({ ok: false, reason: 'protocol', firstBadSeq: happy.events.length });
    expect(report.ok ? '' : report.message).toContain('ends before the conversation.resolved');
  });

  it('fails when the log ends inside a turn, unless a turn holds the lease', () => {
    const cut = happy.events.slice(0, -3);
    expect(verify(cut)).toMatchObject({ ok: false, reason: 'protocol', firstBadSeq: cut.length + 1 });
    expect(verify(cut, { locked: true })).toMatchObject({ ok: true });
  });

  it('fails when an event of a finished turn is added at the end with a correct hash', () => {
    const replyOfTurn2 = happy.events.find((event) => event.type === 'message.sent' && event.turn === 2)!;
    const forged = resealed([...happy.events, replyOfTurn2]);
    expect(verify(forged)).toMatchObject({ ok: false, reason: 'protocol', firstBadSeq: forged.length });
  });

  it('fails when turns are renumbered', () => {
    const renumbered = resealed(
      happy.events.map((event) =>
        event.type === 'turn.started' && event.data.turn === 3
          ? ({ ...event, turn: 4, data: { ...event.data, turn: 4 } } as StoredEvent)
          : event,
      ),
    );
    const report = verify(renumbered);
    expect(report).toMatchObject({ ok: false, reason: 'protocol' });
  });
});

describe('verify: the append records', () => {
  const events = happy.events;
  const message = events.find((event) => event.type === 'message.received' && event.seq > 2)!;
  const anchors = [
    { key: 'message-first', fromSeq: 1, toSeq: 2 },
    ...events
      .filter((event) => event.type === 'message.received')
      .map((event) => ({
        key: `message-${event.type === 'message.received' ? event.data.messageId : ''}`,
        fromSeq: event.seq === 2 ? 1 : event.seq,
        toSeq: event.seq,
      })),
  ];

  it('accepts records that match the log', () => {
    expect(checkProtocol(events, { anchors })).toBeUndefined();
  });

  it('fails when a record names seqs beyond the end: events were cut off at a turn boundary', () => {
    const cut = events.slice(0, message.seq - 1);
    expect(verify(cut)).toMatchObject({ ok: true });
    expect(checkProtocol(cut, { anchors })).toMatchObject({ seq: cut.length + 1 });
  });

  it('fails when a message has no record of its own (added by someone other than the ingress)', () => {
    const without = anchors.filter((anchor) => anchor.toSeq !== message.seq);
    expect(checkProtocol(events, { anchors: without })).toMatchObject({ seq: message.seq });
  });

  it('fails when a step record names a seq of another turn', () => {
    const step = events.find((event) => event.type === 'tool.requested')!;
    const wrong = [
      ...anchors,
      { key: `turn-${step.turn! + 1}-at-${step.seq - 1}-x`, fromSeq: step.seq, toSeq: step.seq },
    ];
    expect(checkProtocol(events, { anchors: wrong })).toMatchObject({ seq: step.seq });
  });
});

describe('verify: exports', () => {
  it('verifies an export with its manifest, and names what differs from the manifest', () => {
    const lines = happy.jsonl.trimEnd().split('\n');
    const { jsonl, manifest } = buildExport({ conversationId, lines, exportedAt: new Date(0), tool: 'test' });
    expect(jsonl).toBe(happy.jsonl);
    expect(verifyExport(jsonl, manifest)).toMatchObject({ ok: true, count: lines.length });
    expect(verifyExport(jsonl, { ...manifest, count: manifest.count + 1 })).toMatchObject({
      reason: 'count-mismatch',
    });
    // Cut at the end: the chain alone holds, the manifest's head does not.
    const cut = lines
      .slice(0, -1)
      .map((line) => `${line}\n`)
      .join('');
    expect(verifyExport(cut, manifest)).toMatchObject({
      ok: false,
      reason: 'head-mismatch',
      firstBadSeq: lines.length,
    });
    // Re-encoded but equal events: the events verify, the file bytes do not.
    const spaced = lines.map((line) => `${JSON.stringify(JSON.parse(line), null, 0)} \n`).join('');
    expect(verifyExport(spaced, manifest)).toMatchObject({
      ok: false,
      reason: 'file-hash-mismatch',
      firstBadSeq: undefined,
    });
    // A line that is not JSON is reported at its seq.
    const garbled = [...lines.slice(0, 4), '{not json', ...lines.slice(5)]
      .map((line) => `${line}\n`)
      .join('');
    expect(verifyExport(garbled, manifest)).toMatchObject({ ok: false, firstBadSeq: 5 });
  });

  it('refuses a manifest that is not one, naming the file', () => {
    expect(() => parseManifest('x.manifest.json', '{"format":"other"}')).toThrow(ExportFormatError);
    expect(() => parseManifest('x.manifest.json', 'not json')).toThrow(
      /x\.manifest\.json: the manifest is not JSON/,
    );
  });
});
