import { describe, expect, it } from 'vitest';
import {
  buildTimeline,
  compileProcedure,
  createMemoryEventStore,
  formatTimeline,
} from '../../shared/audit/index.ts';
import type { NewEvent } from '../../shared/events/catalogue.ts';
import { isConcurrencyConflictError } from '../../shared/events/errors.ts';
import { loadGoldens, retailReplay, versionOf } from '../replay/support.ts';

const golden = loadGoldens().find((candidate) => candidate.name === 'cancel-happy-path')!;
const sourceMap = compileProcedure(versionOf(golden), retailReplay.catalogue).manifest.sourceMap;
const entries = buildTimeline(golden.events, () => sourceMap);
const lineOf = (file: string, fragment: string) => {
  const text = golden.version.content.files.find((candidate) => candidate.path.endsWith(file))!.text;
  return text.split('\n').findIndex((line) => line.includes(fragment)) + 1;
};

describe('audit timeline', () => {
  it('points each step at the line of the file it was compiled from, sub-procedures included', () => {
    const identify = entries.find((entry) => entry.type === 'message.sent')!;
    expect(identify.step).toBe('identify');
    expect(identify.source).toBe(
      `retail/authenticate-customer.md:${lineOf('authenticate-customer.md', '{#identify}')}`,
    );
    const cancel = entries.find(
      (entry) => entry.type === 'tool.requested' && entry.detail.includes('cancel_pending_order'),
    )!;
    expect(cancel.source).toBe(
      `retail/cancel-pending-order.md:${lineOf('cancel-pending-order.md', '{#cancel}')}`,
    );
  });

  it('gives guard decisions the line of the call they guard, and answers the line of the question', () => {
    const guards = entries.filter(
      (entry) => entry.type === 'guard.checked' && entry.detail.includes('cancel_pending_order'),
    );
    expect(guards.map((entry) => entry.detail)).toEqual([
      'guard authenticated for cancel_pending_order: passed',
      'guard owns for cancel_pending_order: passed',
      'guard confirmed for cancel_pending_order: passed',
    ]);
    for (const guard of guards) expect(guard.source).toMatch(/cancel-pending-order\.md:\d+$/);
    const yes = entries.find((entry) => entry.type === 'confirmation.recorded')!;
    expect(yes.source).toBe(
      `retail/cancel-pending-order.md:${lineOf('cancel-pending-order.md', '{#confirm}')}`,
    );
  });

  it('shows model usage, tool input and output, and every event once, grouped by turn', () => {
    const text = formatTimeline(entries, { conversationId: 'c', integrity: 'OK' });
    expect(text).toMatch(/model understand → .* \d+ in \/ \d+ out tokens, \d+ ms\]/);
    expect(text).toContain('call get_order_details({"order_id":"#W5918442"})');
    expect(text).toMatch(/get_order_details returned \{.*\[\d+ ms, read\]/);
    expect(text.match(/^ {2}#\d+/gm)).toHaveLength(golden.events.length);
    expect(text.match(/^Turn \d+ · cancel-pending-order@1$/gm)).toHaveLength(4);
  });
});

describe('replay sink (in-memory event store)', () => {
  const event = (text: string): NewEvent => ({
    type: 'message.sent',
    time: '2026-01-01T00:00:00.000Z',
    actor: 'agent',
    data: { text },
  });

  it('appends conditionally, seals the chain as the store does, and answers a repeated key with the first append', async () => {
    const sink = createMemoryEventStore('c-1');
    const first = await sink.append('c-1', [event('a')], { expectedVersion: 0, idempotencyKey: 'k' });
    expect(first.events[0]).toMatchObject({ seq: 1, prevHash: '0'.repeat(64) });
    const again = await sink.append('c-1', [event('b')], { expectedVersion: 0, idempotencyKey: 'k' });
    expect(again).toEqual({ events: first.events, duplicate: true });
    await expect(sink.append('c-1', [event('c')], { expectedVersion: 0 })).rejects.toSatisfy(
      isConcurrencyConflictError,
    );
    const second = await sink.append('c-1', [event('c')], { expectedVersion: 1 });
    expect(second.events[0]).toMatchObject({ seq: 2, prevHash: first.events[0]!.hash });
    expect(await sink.read('c-1', { fromSeq: 2 })).toEqual(second.events);
    expect(await sink.version('c-1')).toBe(2);
  });

  it('delivers events that arrived from elsewhere before an append, as a concurrent writer would', async () => {
    const [arrived] = (
      await createMemoryEventStore('c-2').append('c-2', [event('x')], { expectedVersion: 0 })
    ).events;
    const sink = createMemoryEventStore('c-2');
    sink.beforeAppend = (version) => (version === 0 ? [arrived!] : []);
    await expect(sink.append('c-2', [event('late')], { expectedVersion: 0 })).rejects.toSatisfy(
      isConcurrencyConflictError,
    );
    expect(sink.events).toEqual([arrived]);
  });
});
