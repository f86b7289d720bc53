import { describe, expect, it } from 'vitest';
import { retailCatalogue } from '../../aops/retail/tools/declarations.ts';
import type { NewEvent, StoredEvent } from '../../shared/events/catalogue.ts';
import { sealEvents } from '../../shared/events/hash-chain.ts';
import { planRewind } from '../../shared/rewind/plan.ts';

/** Given these events, when rewinding to SEQ, then this is undone, and how. */

const time = '2026-01-01T00:00:00.000Z';
const user = (address1: string) => ({
  user_id: 'ann_bee_1',
  name: { first_name: 'A', last_name: 'B' },
  address: { address1, address2: '', city: 'C', state: 'S', country: 'USA', zip: '12345' },
  email: 'a@b.c',
  payment_methods: {},
  orders: [],
});
const newAddress = (address1: string) => ({
  address1,
  address2: '',
  city: 'C',
  state: 'S',
  country: 'USA',
  zip: '12345',
});

function log(events: NewEvent[]): StoredEvent[] {
  return sealEvents(undefined, 'c1', events);
}
const read = (output: unknown): NewEvent => ({
  type: 'tool.succeeded',
  time,
  actor: 'agent',
  data: { tool: 'get_user_details', output: output as never, latencyMs: 1, effect: 'read' },
});
const modify = (address1: string): NewEvent[] => [
  {
    type: 'tool.requested',
    time,
    actor: 'agent',
    data: {
      tool: 'modify_user_address',
      input: { user_id: 'ann_bee_1', ...newAddress(address1) },
      idempotencyKey: `k-${address1}`,
    },
  },
  {
    type: 'tool.succeeded',
    time,
    actor: 'agent',
    data: { tool: 'modify_user_address', output: user(address1) as never, latencyMs: 1, effect: 'write' },
  },
];
const started: NewEvent = {
  type: 'conversation.started',
  time,
  actor: 'system',
  data: { tenant: 't', channel: 'chat' },
};

describe('planRewind', () => {
  it('undoes a write with its compensation, restoring the state the last read recorded', () => {
    const events = log([started, read(user('1 Old St')), ...modify('2 New St')]);
    const plan = planRewind(events, 2, retailCatalogue);
    expect(plan.undo).toEqual([
      expect.objectContaining({
        kind: 'compensate',
        forSeq: 4,
        compensation: 'modify_user_address',
        input: { user_id: 'ann_bee_1', ...newAddress('1 Old St') },
      }),
    ]);
    expect(plan.recorded).toBe(false);
  });

  it('undoes later writes first, each back to the state the write before it left', () => {
    const events = log([started, read(user('1 Old St')), ...modify('2 New St'), ...modify('3 Newer St')]);
    const plan = planRewind(events, 1, retailCatalogue);
    expect(
      plan.undo.map((undo) => [undo.forSeq, undo.kind === 'compensate' ? undo.input.address1 : undo.kind]),
    ).toEqual([
      [6, '2 New St'],
      [4, '1 Old St'],
    ]);
  });

  it('leaves writes at or before SEQ alone, and skips writes a compensation already undid', () => {
    const events = log([
      started,
      read(user('1 Old St')),
      ...modify('2 New St'),
      ...modify('3 Newer St'),
      {
        type: 'compensation.ran',
        time,
        actor: 'operator',
        data: { tool: 'modify_user_address', input: {}, output: user('2 New St') as never, forSeq: 6 },
      },
    ]);
    expect(planRewind(events, 4, retailCatalogue).undo).toEqual([
      { kind: 'undone', forSeq: 6, tool: 'modify_user_address' },
    ]);
  });

  it('leaves a write to a person when nothing recorded the state before it', () => {
    const plan = planRewind(log([started, ...modify('2 New St')]), 1, retailCatalogue);
    expect(plan.undo).toEqual([
      {
        kind: 'manual',
        forSeq: 3,
        tool: 'modify_user_address',
        reason:
          'modify_user_address (seq 3): the conversation never recorded user_id ann_bee_1 before the change, so the earlier state to restore is unknown.',
      },
    ]);
  });

  it('sees a rewind to the same SEQ already recorded, and its hand-off', () => {
    const events = log([
      started,
      ...modify('2 New St'),
      { type: 'conversation.rewound', time, actor: 'operator', data: { toSeq: 1, reason: 'r' } },
      {
        type: 'handoff.requested',
        time,
        actor: 'operator',
        data: { reason: 'x', summary: 'Rewind to seq 1: 1 action(s)' },
      },
    ]);
    expect(planRewind(events, 1, retailCatalogue)).toMatchObject({ recorded: true, handedOff: true });
    expect(planRewind(events, 2, retailCatalogue)).toMatchObject({ recorded: false, handedOff: false });
  });
});
