import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ASKS_IDENTITY,
  type E2e,
  expectEveryConversationIntactAndReplayable,
  guardsOf,
  ofType,
  startE2e,
  toolsRequested,
  writesOf,
} from './support.ts';

/**
 * What the policy makes the agent refuse, end to end: nobody is served before they are found, a
 * customer cannot touch another customer's order, an order in the wrong status is not changed, a
 * "no" changes nothing, and what no procedure covers goes to a human. After each, the tables are
 * as they were and the event log says why.
 */

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e('refusals');
});
afterAll(async () => {
  await e2e?.stop();
});

const NOT_FOUND = 'I could not find an account with those details. Could you check them?';
const HANDOFF = 'You are being transferred to a human agent. Please hold on.';

describe('retail refusals end to end', () => {
  it('asks again for an unknown email and hands over after the third retry, acting for nobody', async () => {
    const before = await e2e.order('#W5918442');
    const chat = await e2e.converse([
      ['I want to cancel my order #W5918442', ASKS_IDENTITY],
      ['nobody.here@example.com', `${NOT_FOUND}\n\n${ASKS_IDENTITY}`],
      ['ghost.user@example.com', `${NOT_FOUND}\n\n${ASKS_IDENTITY}`],
      ["that's odd, try still.nobody@example.com", `${NOT_FOUND}\n\n${ASKS_IDENTITY}`],
      ['i.am.sure@example.com', `${NOT_FOUND}\n\n${HANDOFF}`],
    ]);
    expect(chat.answers.map((answer) => answer.status)).toEqual([
      'active',
      'active',
      'active',
      'active',
      'escalated',
    ]);
    const log = await chat.events();
    expect(ofType(log, 'customer.authenticated')).toEqual([]);
    // The order was never even read: every tool call was a failed lookup of the customer.
    expect(toolsRequested(log)).toEqual(Array(4).fill('find_user_id_by_email'));
    expect(ofType(log, 'tool.failed').map((event) => event.data.error.code)).toEqual(
      Array(4).fill('user_not_found'),
    );
    expect(ofType(log, 'handoff.requested')).toHaveLength(1);
    expect(ofType(log, 'conversation.escalated')).toHaveLength(1);
    expect(await e2e.order('#W5918442')).toEqual(before);

    // A human owns the conversation now: the agent does not take it back.
    const later = await chat.say('sofia.rossi2645@example.com');
    expect(later).toMatchObject({
      status: 'escalated',
      text: 'A colleague has this conversation and will answer you here.',
    });
    expect(ofType(await chat.events(), 'customer.authenticated')).toEqual([]);
    expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
  });

  it("does not show or cancel another customer's order: the owns guard fails and nothing changes", async () => {
    // #W8855135 is Sofia Li's pending order; Sofia Rossi asks to cancel it.
    const before = await e2e.order('#W8855135');
    expect(before.record.user_id).toBe('sofia_li_9219');
    const chat = await e2e.converse([
      ['Please cancel my order #W8855135', ASKS_IDENTITY],
      [
        'sofia.rossi2645@example.com',
        // Not on the account: the customer's own orders are offered instead.
        /^I could not find that order on your account\.\n\nWhich order is it\?\n- #W5918442: /,
      ],
      ["I'm sure it's #W8855135", 'I could not find that order on your account.'],
    ]);
    expect(chat.status).toBe('active');
    const log = await chat.events();
    expect(ofType(log, 'customer.authenticated').map((event) => event.data.customerId)).toEqual([
      'sofia_rossi_8776',
    ]);
    // The look-ups are refused; in between, the customer's own four orders were described (owned).
    expect(guardsOf(log, 'get_order_details')).toEqual([
      ['authenticated', true],
      ['owns', false],
      ['owns', true],
      ['owns', true],
      ['owns', true],
      ['owns', true],
      ['authenticated', true],
      ['owns', false],
    ]);
    const refusals = ofType(log, 'guard.checked').filter((event) => !event.data.passed);
    expect(refusals[0]?.data.reason).toBe('order #W8855135 belongs to another customer.');
    // The other customer's order details were never read, nor a cancellation run: only the profile and
    // the customer's own four orders (to offer them).
    const detailsOf = log.flatMap((event) =>
      event.type === 'tool.requested' && event.data.tool === 'get_order_details'
        ? [(event.data.input as { order_id: string }).order_id]
        : [],
    );
    expect(detailsOf).toEqual(['#W5918442', '#W5500815', '#W8535951', '#W2818151']);
    expect(toolsRequested(log)).not.toContain('cancel_pending_order');
    expect(writesOf(log)).toEqual([]);
    expect(JSON.stringify(log)).not.toContain('"user_id":"sofia_li_9219"');
    expect(await e2e.order('#W8855135')).toEqual(before);
    expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
  });

  it.each([
    {
      case: 'cancel a delivered order',
      opening: 'please cancel my order #W4689314',
      email: 'sofia.li7352@example.com',
      orderId: '#W4689314',
      refusal: 'Only pending orders can be cancelled; order #W4689314 is delivered.',
      instead: 'Items of a delivered order can be returned or exchanged instead: just ask.',
    },
    {
      case: 'change the address of a processed order',
      opening: 'Can you ship order #W3400144 to a different address? I moved',
      email: 'yara.li6570@example.com',
      orderId: '#W3400144',
      refusal: 'Only pending orders can be changed; order #W3400144 is processed.',
      instead: '',
    },
    {
      case: 'return a pending order',
      opening: "I'd like to return order #W6460787 and get my money back",
      email: 'emma.brown5032@example.com',
      orderId: '#W6460787',
      refusal: 'Only delivered orders can be returned; order #W6460787 is pending.',
      instead: 'A pending order can be cancelled, or its items changed, instead: just ask.',
    },
    {
      case: 'exchange a cancelled order',
      opening: 'I want to exchange the items of order #W8859225 for another color',
      email: 'chen.smith7677@example.com',
      orderId: '#W8859225',
      refusal: 'Only delivered orders can be exchanged; order #W8859225 is cancelled.',
      instead: 'A pending order can be cancelled, or its items changed to other options, instead: just ask.',
    },
  ])(
    'refuses to $case, says what can be done instead, and changes nothing',
    async ({ opening, email, orderId, refusal, instead }) => {
      const before = await e2e.order(orderId);
      const chat = await e2e.converse([
        [opening, ASKS_IDENTITY],
        [email, refusal],
      ]);
      expect(chat.answers[1]!.text).toBe(instead ? `${refusal} ${instead}` : refusal);
      expect(chat.status).toBe('resolved');
      const log = await chat.events();
      expect(toolsRequested(log)).toEqual(['find_user_id_by_email', 'get_user_details', 'get_order_details']);
      expect(ofType(log, 'confirmation.requested')).toEqual([]);
      expect(writesOf(log)).toEqual([]);
      expect(await e2e.order(orderId)).toEqual(before);
      expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
    },
  );

  it('changes nothing when the customer does not confirm a cancellation', async () => {
    const before = await e2e.order('#W7634667');
    const chat = await e2e.converse([
      ['I need to cancel order #W7634667', ASKS_IDENTITY],
      ['Amelia Kim 28230', 'Could you tell me your reason'],
      ['I ordered it by mistake', 'I will cancel order #W7634667 (ordered by mistake).'],
      // Hesitation is not a no: the question is asked again (consent protocol), then a plain no.
      ['hmm, no, let me think about it', 'I need a clear yes or no'],
      ['no', 'All right, I have not changed anything.'],
    ]);
    expect(chat.status).toBe('resolved');
    const log = await chat.events();
    expect(ofType(log, 'confirmation.recorded').map((event) => event.data.confirmed)).toEqual([false]);
    expect(toolsRequested(log)).not.toContain('cancel_pending_order');
    expect(guardsOf(log, 'cancel_pending_order')).toEqual([]);
    expect(await e2e.order('#W7634667')).toEqual(before);
    expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
  });

  it('changes nothing when the customer does not confirm a new default address', async () => {
    const before = await e2e.user('lei_patel_3139');
    const chat = await e2e.converse([
      ['Please change the default address on my profile', ASKS_IDENTITY],
      [
        'lei.patel2400@example.com',
        'You can pick it in your own words, or tell me a new one (address line 1, address line 2, city, state, country and zip code).',
      ],
      [
        '99 Lake Drive, Apt 5, Chicago, IL 60601, USA',
        'I will change it to 99 Lake Drive Apt 5, Chicago, IL 60601, USA. Shall I go ahead?',
      ],
      ['no thanks', 'All right, I have not changed anything.'],
    ]);
    expect(chat.status).toBe('resolved');
    const log = await chat.events();
    expect(ofType(log, 'confirmation.recorded').map((event) => event.data.confirmed)).toEqual([false]);
    expect(toolsRequested(log)).not.toContain('modify_user_address');
    expect(await e2e.user('lei_patel_3139')).toEqual(before);
    expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
  });

  it('says what it can help with when no procedure covers a request, and hands over after repeated misses', async () => {
    const chat = await e2e.converse([
      ["What's the weather like in Paris tomorrow?", 'Sorry, I cannot help with that here. I can help with'],
      ['tell me a joke', 'Sorry, I cannot help with that here.'],
      ['what is the meaning of life', HANDOFF],
    ]);
    expect(chat.answers[0]!.status).toBe('active');
    expect(chat.status).toBe('escalated');
    const log = await chat.events();
    expect(ofType(log, 'aop.selected').map((event) => event.data.aopId)).toEqual(['transfer-to-human']);
    expect(ofType(log, 'handoff.requested')).toHaveLength(1);
    expect(ofType(log, 'conversation.escalated')).toHaveLength(1);
    expect(toolsRequested(log)).toEqual(['transfer_to_human_agents']);
    expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
  });

  it('routes the next request of the same conversation again once a procedure has ended', async () => {
    const chat = await e2e.converse([
      ['Hi, please cancel my order #W8770097', ASKS_IDENTITY],
      ['ivan.santos3158@example.com', 'Could you tell me your reason'],
      ['I ordered it by mistake', 'I will cancel order #W8770097 (ordered by mistake).'],
      [
        'yes',
        'Order #W8770097 is cancelled; $544.29 will be refunded. Is there anything else I can help with?',
      ],
      // The customer is still known: the new request does not ask who they are.
      ['Yes, what is the status of my order #W6893533?', 'The status of order #W6893533 is delivered.'],
    ]);
    expect(chat.answers.map((answer) => answer.status)).toEqual([
      'active',
      'active',
      'active',
      'resolved',
      'resolved',
    ]);
    const log = await chat.events();
    expect(ofType(log, 'aop.selected').map((event) => [event.data.aopId, event.data.reason])).toEqual([
      ['cancel-pending-order', 'routed'],
      ['order-information', 'rerouted'],
    ]);
    // The details of the first request are cleared when the second one starts; who the customer is stays.
    const rerouted = ofType(log, 'aop.selected')[1]!;
    const cleared = ofType(log, 'slot.filled')
      .filter((event) => event.turn === rerouted.turn && event.data.value === null)
      .map((event) => event.data.name);
    expect(cleared).toEqual(expect.arrayContaining(['order_id', 'order', 'reason']));
    expect(cleared).not.toContain('email');
    expect(writesOf(log)).toEqual(['cancel_pending_order']);
    expect((await e2e.order('#W8770097')).record.status).toBe('cancelled');
    expect((await e2e.order('#W6893533')).record.status).toBe('delivered');
    expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
  });

  it('closes politely when, after a finished request, the customer asks for nothing more', async () => {
    const chat = await e2e.converse([
      ['What is the status of my order #W6893533?', ASKS_IDENTITY],
      ['it is ivan.santos3158@example.com', 'The status of order #W6893533 is delivered.'],
      ['great, thanks!', 'Glad I could help.'],
    ]);
    expect(chat.answers.map((answer) => answer.status)).toEqual(['active', 'resolved', 'resolved']);
    const log = await chat.events();
    expect(ofType(log, 'aop.selected').map((event) => event.data.aopId)).toEqual(['order-information']);
    expect(ofType(log, 'handoff.requested')).toHaveLength(0);
    expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
  });

  it('asks "which do you need" again when the answer is a sign-in, and changes nothing', async () => {
    const chat = await e2e.converse([
      [
        'I need to change my address',
        'Which do you need: "modify order address" or "change default address"?',
      ],
      [
        'ava nguyen 78786',
        'Thanks. First, so I know what to look at: which do you need, "modify order address" or "change default address"?',
      ],
      // The sign-in said before the request signs in (a zip beside a name is the sign-in's).
      ['change default address', 'Which address should I use?'],
    ]);
    expect(chat.status).toBe('active');
    const log = await chat.events();
    expect(ofType(log, 'aop.selected').map((event) => event.data.aopId)).toEqual(['change-default-address']);
    expect(writesOf(log)).toEqual([]);
  });

  it('keeps a card number typed into the chat out of the log and away from the model', async () => {
    const chat = await e2e.converse([
      ['I need to cancel order #W7634667', ASKS_IDENTITY],
      ['Amelia Kim 28230', 'Could you tell me your reason'],
      ['ordered it by mistake, refund to my visa 4111 1111 1111 1111', 'Shall I go ahead?'],
    ]);
    const log = JSON.stringify(await chat.events());
    expect(log).not.toMatch(/4111[ -]?1111/);
    expect(log).toContain('refund to my visa [card number removed]');
  });

  it('reads a sign-in said before the request once the request is made', async () => {
    const chat = await e2e.converse([
      ['ava nguyen 78786', /I can help with/],
      ['where is my dumbbell order', 'The status of order #W3779151 is processed.'],
    ]);
    expect(chat.status).toBe('resolved');
    const log = await chat.events();
    expect(toolsRequested(log)).toContain('find_user_id_by_name_zip');
    expect(writesOf(log)).toEqual([]);
  });

  it('every conversation of this file has an intact hash chain and replays exactly', async () => {
    await expectEveryConversationIntactAndReplayable(e2e);
  });
});
