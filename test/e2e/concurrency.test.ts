import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../shared/events/catalogue.ts';
import {
  ASKS_IDENTITY,
  type E2e,
  expectEveryConversationIntactAndReplayable,
  ofType,
  startE2e,
} from './support.ts';

/**
 * The chat channel under concurrent and repeated requests: messages that race for one conversation
 * are all stored and answered one turn at a time in arrival order, and a message sent again with the
 * same `messageId` (a client retry) is stored and answered once.
 */

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e('concurrency');
});
afterAll(async () => {
  await e2e?.stop();
});

const ASKS_REASON = 'Could you tell me your reason ("no longer needed" or "ordered by mistake")?';

/** Which turn answered each message, read from the log alone: turns take pending messages oldest first. */
function turnsByMessage(log: readonly StoredEvent[]): Map<string, number> {
  const pending: string[] = [];
  const turnOf = new Map<string, number>();
  for (const event of log) {
    if (event.type === 'message.received') pending.push(event.data.messageId);
    if (event.type === 'turn.started') {
      const answered = pending.shift();
      if (answered !== undefined) turnOf.set(answered, event.data.turn);
    }
  }
  return turnOf;
}

function repliesOfTurn(log: readonly StoredEvent[], turn: number): string {
  return ofType(log, 'message.sent')
    .filter((event) => event.turn === turn)
    .map((event) => event.data.text)
    .join('\n\n');
}

describe('chat channel: concurrency and idempotency', () => {
  it('stores and answers two messages sent at the same time, in arrival order, each with its own reply', async () => {
    const customers = [
      { orderId: '#W5918442', email: 'sofia.rossi2645@example.com' },
      { orderId: '#W8855135', email: 'sofia.li7352@example.com' },
      { orderId: '#W7634667', email: 'amelia.kim6460@example.com' },
    ];
    // Three conversations at once, each receiving two messages at once.
    await Promise.all(
      customers.map(async ({ orderId, email }) => {
        const chat = await e2e.start(`I want to cancel my order ${orderId}`);
        expect(chat.answers[0]!.text).toBe(ASKS_IDENTITY);
        const sent = [
          { messageId: `${chat.id}.email`, text: email },
          { messageId: `${chat.id}.filler`, text: 'one sec, let me look it up' },
        ];
        const [withEmail, filler] = await Promise.all(
          sent.map((message) => chat.say(message.text, { messageId: message.messageId })),
        );

        const log = await chat.events();
        const received = ofType(log, 'message.received');
        expect(received).toHaveLength(3);
        expect(new Set(received.slice(1).map((event) => event.data.messageId))).toEqual(
          new Set(sent.map((message) => message.messageId)),
        );
        // Turns follow arrival order: the message stored first is answered by the earlier turn.
        const turnOf = turnsByMessage(log);
        const arrival = received.map((event) => event.data.messageId);
        expect(arrival.map((messageId) => turnOf.get(messageId))).toEqual([1, 2, 3]);
        expect(ofType(log, 'turn.completed').map((event) => event.data.turn)).toEqual([1, 2, 3]);
        // Each HTTP answer is the reply of the turn that answered that very message.
        expect(withEmail!.text).toBe(repliesOfTurn(log, turnOf.get(sent[0]!.messageId)!));
        expect(filler!.text).toBe(repliesOfTurn(log, turnOf.get(sent[1]!.messageId)!));
        // Whichever came first, the email is what finds the customer, so its reply asks for the reason.
        expect(withEmail!.text).toBe(ASKS_REASON);
        const fillerFirst = turnOf.get(sent[1]!.messageId)! < turnOf.get(sent[0]!.messageId)!;
        // The filler answers nothing: the pending question again, saying what is missing (repair).
        expect(filler!.text).toMatch(
          fillerFirst ? /did not catch that.*your email/ : /did not catch that.*your reason/,
        );
        expect(ofType(log, 'customer.authenticated')).toHaveLength(1);
        expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
      }),
    );
  });

  it('answers a message sent twice with the same messageId once, and stores it once', async () => {
    const chat = await e2e.start("Where is my order #W9360566? what's the status?");
    const first = await chat.say('chen.lopez1681@example.com', { messageId: 'retry-1' });
    expect(first).toMatchObject({
      text: 'The status of order #W9360566 is delivered. Its items are Jigsaw Puzzle (expert difficulty level, 500 pieces, animals theme) for $53.53, Cycling Helmet (blue, medium, low ventilation) for $200.24 and Backpack (black, camera compartment, nylon material, large) for $198.00. Its tracking number is 857108578448.\n\nDelivered items can be returned or exchanged.',
      status: 'resolved',
      duplicate: false,
    });
    const stored = (await chat.events()).length;

    const again = await chat.say('chen.lopez1681@example.com', { messageId: 'retry-1' });
    expect(again).toEqual({ ...first, duplicate: true });
    const log = await chat.events();
    expect(log).toHaveLength(stored);
    expect(
      ofType(log, 'message.received').filter((event) => event.data.messageId === 'retry-1'),
    ).toHaveLength(1);
    expect(ofType(log, 'turn.completed')).toHaveLength(2);
    expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
  });

  it('answers the same messageId sent twice at the same time once: the copy gets the same reply, marked duplicate', async () => {
    const chat = await e2e.start('I need to cancel my order #W6460787');
    const both = await Promise.all([
      chat.say('emma.brown5032@example.com', { messageId: 'double-click' }),
      chat.say('emma.brown5032@example.com', { messageId: 'double-click' }),
    ]);
    expect(both.map((answer) => answer.text)).toEqual([ASKS_REASON, ASKS_REASON]);
    expect(both.map((answer) => answer.duplicate).sort()).toEqual([false, true]);
    const log = await chat.events();
    expect(
      ofType(log, 'message.received').filter((event) => event.data.messageId === 'double-click'),
    ).toHaveLength(1);
    expect(ofType(log, 'turn.started')).toHaveLength(2);
    expect(
      ofType(log, 'tool.requested').filter((event) => event.data.tool === 'find_user_id_by_email'),
    ).toHaveLength(1);
    expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
  });

  it('answers 50 messages sent at once to one conversation one turn at a time: no turn starts while another is open', async () => {
    const chat = await e2e.start('Hi, I want to check the status of my order #W5918442');
    const lines = Array.from({ length: 50 }, (_, index) =>
      index % 5 === 0 ? 'sofia.rossi2645@example.com' : `hello? (${index})`,
    );
    const answers = await Promise.all(
      lines.map((line, index) => chat.say(line, { messageId: `burst-${index}` })),
    );
    expect(answers.every((answer) => answer.text.length > 0)).toBe(true);
    const log = await chat.events();
    // Every message stored once and answered by exactly one turn, turns one after another.
    const received = ofType(log, 'message.received').filter((event) =>
      event.data.messageId.startsWith('burst-'),
    );
    expect(received).toHaveLength(50);
    let open: number | null = null;
    for (const event of log) {
      if (event.type === 'turn.started') {
        expect(open, `turn ${event.data.turn} started while turn ${open} was open`).toBeNull();
        open = event.data.turn;
      }
      if (event.type === 'turn.completed') {
        expect(event.data.turn).toBe(open);
        open = null;
      }
    }
    expect(open).toBeNull();
    const turnOf = turnsByMessage(log);
    expect(new Set(received.map((event) => turnOf.get(event.data.messageId))).size).toBe(50);
    expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
  }, 120_000);

  it('every conversation of this file has an intact hash chain and replays exactly', async () => {
    await expectEveryConversationIntactAndReplayable(e2e);
  });
});
