import type { EventType, NewEvent, NewEventOf } from '../../shared/events/index.ts';

const time = '2025-03-01T10:00:00.000Z';
const aop = { id: 'refund-order', version: 3 };

/** One valid example of every event type; the mapped type makes the compiler demand a new entry. */
export const sampleEvents: { readonly [T in EventType]: NewEventOf<T> } = {
  'conversation.started': {
    type: 'conversation.started',
    time,
    actor: 'system',
    data: { tenant: 'acme', channel: 'chat' },
  },
  'message.received': {
    type: 'message.received',
    time,
    actor: 'customer',
    turn: 1,
    data: { messageId: 'm-1', text: 'I want a refund for order 42', channel: 'chat' },
  },
  'turn.started': {
    type: 'turn.started',
    time,
    actor: 'system',
    turn: 1,
    data: { turn: 1, now: time, resume: '' },
  },
  'turn.completed': {
    type: 'turn.completed',
    time,
    actor: 'system',
    turn: 1,
    data: { turn: 1, resume: 'collect_order_id', status: 'active', counters: { reprompts: { n: 1 } } },
  },
  'turn.interrupted': {
    type: 'turn.interrupted',
    time,
    actor: 'system',
    turn: 2,
    data: { turn: 2, reason: 'The process running turn 2 stopped before it completed.' },
  },
  'aop.selected': {
    type: 'aop.selected',
    time,
    actor: 'agent',
    aop,
    data: { aopId: 'refund-order', version: 3, reason: 'routed', score: 0.92 },
  },
  'step.entered': {
    type: 'step.entered',
    time,
    actor: 'agent',
    aop,
    step: 'collect_order_id',
    data: { stepId: 'collect_order_id' },
  },
  'slot.filled': {
    type: 'slot.filled',
    time,
    actor: 'agent',
    aop,
    step: 'collect_order_id',
    data: { name: 'order_id', value: '42', source: 'model' },
  },
  'model.called': {
    type: 'model.called',
    time,
    actor: 'agent',
    data: {
      purpose: 'understand',
      modelId: 'anthropic.claude-3-haiku',
      requestHash: 'a'.repeat(64),
      response: { commands: [{ kind: 'set_slot', name: 'order_id', value: '42' }] },
      usage: { inputTokens: 812, outputTokens: 31 },
      latencyMs: 412.5,
    },
  },
  'customer.authenticated': {
    type: 'customer.authenticated',
    time,
    actor: 'system',
    data: { customerId: 'sara_doe_496', tool: 'find_user_id_by_email' },
  },
  'guard.checked': {
    type: 'guard.checked',
    time,
    actor: 'system',
    data: { tool: 'refund_order', guard: 'authenticated', passed: false, reason: 'customer not verified' },
  },
  'confirmation.requested': {
    type: 'confirmation.requested',
    time,
    actor: 'agent',
    data: { stepId: 'confirm_refund', text: 'Refund 19.99 EUR to your card?' },
  },
  'confirmation.recorded': {
    type: 'confirmation.recorded',
    time,
    actor: 'customer',
    data: { stepId: 'confirm_refund', confirmed: true },
  },
  'confirmation.withheld': {
    type: 'confirmation.withheld',
    time,
    actor: 'customer',
    data: { stepId: 'confirm_refund', consent: 'question', act: 'question' },
  },
  'tool.requested': {
    type: 'tool.requested',
    time,
    actor: 'agent',
    data: { tool: 'refund_order', input: { order_id: '42', amount: 19.99 }, idempotencyKey: 'conv-1#17' },
  },
  'tool.succeeded': {
    type: 'tool.succeeded',
    time,
    actor: 'system',
    data: { tool: 'refund_order', output: { refundId: 'r-9', status: 'pending' }, latencyMs: 87 },
  },
  'tool.failed': {
    type: 'tool.failed',
    time,
    actor: 'system',
    data: {
      tool: 'refund_order',
      error: { code: 'ORDER_NOT_FOUND', message: 'no order 42' },
      retryable: false,
    },
  },
  'tool.abandoned': {
    type: 'tool.abandoned',
    time,
    actor: 'system',
    data: {
      tool: 'refund_order',
      idempotencyKey: 'c-1:refund:c7',
      forSeq: 9,
      happened: 'no',
      reason: 'The turn stopped before refund_order was called.',
    },
  },
  'message.sent': {
    type: 'message.sent',
    time,
    actor: 'agent',
    data: { text: 'Your refund is on its way.', stepId: 'done' },
  },
  'handoff.requested': {
    type: 'handoff.requested',
    time,
    actor: 'agent',
    data: { reason: 'customer asked for a human', summary: 'Refund for order 42, customer upset.' },
  },
  'aop.gated': {
    type: 'aop.gated',
    time,
    actor: 'operator',
    data: {
      aopId: 'cancel-pending-order',
      sourceHash: 'abc123',
      verdict: 'passed',
      checks: [{ name: 'tests', status: 'passed', detail: '12 passed' }],
      accepted: [],
    },
  },
  'handoff.ticket': {
    type: 'handoff.ticket',
    time,
    actor: 'system',
    data: { system: 'zendesk', forSeq: 7, ticketId: '35436' },
  },
  'conversation.resolved': { type: 'conversation.resolved', time, actor: 'system', data: {} },
  'conversation.escalated': {
    type: 'conversation.escalated',
    time,
    actor: 'system',
    data: { reason: 'handoff' },
  },
  'conversation.abandoned': {
    type: 'conversation.abandoned',
    time,
    actor: 'system',
    data: { reason: 'no reply for 24h' },
  },
  'conversation.rewound': {
    type: 'conversation.rewound',
    time,
    actor: 'operator',
    data: { toSeq: 4, reason: 'wrong order id' },
  },
  'compensation.ran': {
    type: 'compensation.ran',
    time,
    actor: 'system',
    data: { tool: 'cancel_refund', input: { refundId: 'r-9' }, output: null, forSeq: 12 },
  },
  'aop.published': {
    type: 'aop.published',
    time,
    actor: 'operator',
    data: { aopId: 'refund-order', version: 3, sourceHash: 'b'.repeat(64), note: 'shorter confirmation' },
  },
  'alias.moved': {
    type: 'alias.moved',
    time,
    actor: 'operator',
    data: { aopId: 'refund-order', alias: 'live', fromVersion: 2, toVersion: 3 },
  },
};

export const allSampleEvents: readonly NewEvent[] = Object.values(sampleEvents);

/** A plausible conversation of `length` events, cycling through the catalogue. */
export function conversation(length: number): NewEvent[] {
  return Array.from({ length }, (_, i) => allSampleEvents[i % allSampleEvents.length] as NewEvent);
}
