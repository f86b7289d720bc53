import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASKS_IDENTITY, type E2e, ofType, startE2e, writesOf } from './support.ts';

/**
 * The tenant's limits (infra/aws/tenant-config.ts `limits`), enforced end to end: the platform's
 * handlers get them as the `LIMITS` variable, as a deployed tenant's do. A refund over the cap is
 * not made and the conversation goes to a person with the reason; a conversation past its turn limit
 * goes to a person without another model call.
 */

const CAP_USD = 500;
const MAX_TURNS = 4;
const HANDED_OVER = /transferred to a human agent/;

let e2e: E2e;
let previous: string | undefined;
beforeAll(async () => {
  previous = process.env.LIMITS;
  process.env.LIMITS = JSON.stringify({
    maxMessageChars: 4000,
    refundCapUsd: CAP_USD,
    maxTurnsPerConversation: MAX_TURNS,
  });
  e2e = await startE2e('limits');
});
afterAll(async () => {
  await e2e?.stop();
  if (previous === undefined) delete process.env.LIMITS;
  else process.env.LIMITS = previous;
});

/** The first three turns of cancelling #W5918442 (a pending order paid 1463.70 USD), up to the question. */
const UP_TO_CONFIRMATION = [
  ['Hi, I want to cancel my order #W5918442', ASKS_IDENTITY],
  [
    "sure, it's sofia.rossi2645@example.com",
    'Could you tell me your reason ("no longer needed" or "ordered by mistake")?',
  ],
  ["I don't need it anymore", 'I will cancel order #W5918442 (no longer needed).'],
] as const;

describe('limits.refundCapUsd', () => {
  it('refuses a write that would refund more than the cap, and hands over with the reason', async () => {
    const before = await e2e.order('#W5918442');
    expect(before.record.status).toBe('pending');
    const chat = await e2e.converse([...UP_TO_CONFIRMATION, ['yes please', HANDED_OVER]]);
    expect(chat.status).toBe('escalated');

    // Nothing was written: the order and its payments are as they were.
    const after = await e2e.order('#W5918442');
    expect(after.version).toBe(before.version);
    expect(after.record.status).toBe('pending');

    const log = await chat.events();
    expect(writesOf(log)).toEqual([]);
    expect(ofType(log, 'tool.requested').map((event) => event.data.tool)).not.toContain(
      'cancel_pending_order',
    );
    const handoffs = ofType(log, 'handoff.requested');
    expect(handoffs).toHaveLength(1);
    expect(handoffs[0]?.data.reason).toBe(
      `cancel_pending_order would refund 1463.70 USD, over this tenant's cap of 500.00 USD for a refund without a person (limits.refundCapUsd); a colleague must approve it.`,
    );
    expect(ofType(log, 'conversation.escalated')).toHaveLength(1);
    expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
  });

  it('lets a write within the cap through', async () => {
    // #W2974929 was paid 182.03 USD: under the cap, so it is cancelled as usual.
    const before = await e2e.order('#W2974929');
    const refund = before.record.payment_history.reduce((sum, payment) => sum + payment.amount, 0);
    expect(before.record.status).toBe('pending');
    expect(refund).toBeLessThanOrEqual(CAP_USD);
    const chat = await e2e.converse([
      ['Hi, I want to cancel my order #W2974929', ASKS_IDENTITY],
      ["it's fatima.anderson1447@example.com", /reason/],
      ['I ordered it by mistake', 'I will cancel order #W2974929 (ordered by mistake).'],
      ['yes', 'Order #W2974929 is cancelled; $182.03 will be refunded.'],
    ]);
    expect(chat.status).toBe('resolved');
    expect((await e2e.order('#W2974929')).record.status).toBe('cancelled');
  });
});

describe('limits.maxTurnsPerConversation', () => {
  it('hands a conversation over at the first turn past the limit, without a model call', async () => {
    const chat = await e2e.converse([
      ['Hi, I want to cancel my order #W6247578', ASKS_IDENTITY],
      ["it's yusuf.rossi7301@example.com", /reason/],
      ["I don't need it anymore", 'I will cancel order #W6247578 (no longer needed).'],
      ['no, leave it', /not changed anything/i],
    ]);
    expect(chat.answers).toHaveLength(MAX_TURNS);
    const over = await chat.say('Actually, please cancel it after all');
    expect(over.status).toBe('escalated');
    expect(over.text).toMatch(HANDED_OVER);

    const log = await chat.events();
    const lastTurn = MAX_TURNS + 1;
    const turnEvents = log.filter((event) => event.turn === lastTurn);
    expect(turnEvents.map((event) => event.type)).toEqual([
      'turn.started',
      'handoff.requested',
      'message.sent',
      'turn.completed',
      'conversation.escalated',
    ]);
    expect(ofType(log, 'handoff.requested').at(-1)?.data.reason).toMatch(
      /reached this tenant's limit of 4 turns \(limits\.maxTurnsPerConversation\)/,
    );
    expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
    // Replay derives the same turn from the log alone.
    const report = await e2e.replay(chat.id);
    expect(report.first).toBeUndefined();
    expect(report.ok).toBe(true);
  });
});
