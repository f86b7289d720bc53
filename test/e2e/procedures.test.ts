import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ASKS_IDENTITY,
  type Conversation,
  type E2e,
  expectEveryConversationIntactAndReplayable,
  guardsOf,
  ofType,
  startE2e,
  toolsRequested,
  writesOf,
} from './support.ts';

/**
 * Every retail procedure's happy path, end to end over HTTP, as a customer would type it. Each test
 * checks what the customer reads, the final status, the change in the retail tables and the events
 * that justify it (the write ran once, after its guards passed and the customer said yes).
 * Each scenario uses its own customer, so the tests do not depend on each other's writes.
 */

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e('procedures');
});
afterAll(async () => {
  await e2e?.stop();
});

// Address asks offer the addresses the store already has (docs/aop-language.md, known records), then
// invite a new one; every ask ends with this line.
const ASKS_ADDRESS =
  'You can pick it in your own words, or tell me a new one (address line 1, address line 2, city, state, country and zip code).';
const ALL_PASSED = [
  ['authenticated', true],
  ['owns', true],
  ['confirmed', true],
];

/** The write ran exactly once, after the customer confirmed, with every guard passed; then the chain verifies. */
async function expectConfirmedWrite(chat: Conversation, tool: string, customerId: string) {
  const log = await chat.events();
  expect(writesOf(log)).toEqual([tool]);
  expect(guardsOf(log, tool)).toEqual(ALL_PASSED);
  expect(ofType(log, 'confirmation.recorded').map((event) => event.data.confirmed)).toEqual([true]);
  expect(ofType(log, 'customer.authenticated').map((event) => event.data.customerId)).toEqual([customerId]);
  expect(ofType(log, 'conversation.resolved')).toHaveLength(1);
  expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
  return log;
}

/** A read-only procedure: its tools ran, nothing was written, the conversation is resolved. */
async function expectReadOnly(chat: Conversation, tools: string[]) {
  const log = await chat.events();
  expect(writesOf(log)).toEqual([]);
  expect(toolsRequested(log)).toEqual(tools);
  expect(ofType(log, 'confirmation.requested')).toEqual([]);
  expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
  return log;
}

describe('retail procedures end to end', () => {
  it('cancel-pending-order: cancels a pending order after the reason and a yes', async () => {
    const before = await e2e.order('#W5918442');
    expect(before.record.status).toBe('pending');
    const chat = await e2e.converse([
      ['Hi, I want to cancel my order #W5918442', ASKS_IDENTITY],
      [
        "sure, it's sofia.rossi2645@example.com",
        'Could you tell me your reason ("no longer needed" or "ordered by mistake")?',
      ],
      [
        "I don't need it anymore",
        'I will cancel order #W5918442 (no longer needed). The refund of $1,463.70 goes back to the Mastercard ending 3357, the original payment method, within 5 to 7 business days.',
      ],
      [
        'yes please',
        'Order #W5918442 is cancelled; $1,463.70 will be refunded. Is there anything else I can help with?',
      ],
    ]);
    expect(chat.status).toBe('resolved');

    const after = await e2e.order('#W5918442');
    expect(after.version).toBe(before.version + 1);
    expect(after.record).toMatchObject({ status: 'cancelled', cancel_reason: 'no longer needed' });
    expect(after.record.payment_history.at(-1)).toMatchObject({
      transaction_type: 'refund',
      amount: 1463.7,
      payment_method_id: 'credit_card_5051208',
    });
    const log = await expectConfirmedWrite(chat, 'cancel_pending_order', 'sofia_rossi_8776');
    expect(ofType(log, 'aop.selected').map((event) => [event.data.aopId, event.data.reason])).toEqual([
      ['cancel-pending-order', 'routed'],
    ]);
  });

  it('modify-order-address: ships a pending order to a new address (customer found by name and zip)', async () => {
    const chat = await e2e.converse([
      ['Hi! I moved, can you ship order #W8058304 to my new address?', ASKS_IDENTITY],
      ['My name is Omar Moore and my zip is 10096', ASKS_ADDRESS],
      [
        '445 Oak Avenue, Apt 12, Seattle, WA 98109, USA',
        'I will ship order #W8058304 to 445 Oak Avenue Apt 12, Seattle, WA 98109, USA. Shall I go ahead?',
      ],
      ['yes', 'Order #W8058304 will ship to the new address.'],
    ]);
    expect(chat.status).toBe('resolved');
    const { record } = await e2e.order('#W8058304');
    expect(record.status).toBe('pending');
    expect(record.address).toEqual({
      address1: '445 Oak Avenue',
      address2: 'Apt 12',
      city: 'Seattle',
      state: 'WA',
      zip: '98109',
      country: 'USA',
    });
    const log = await expectConfirmedWrite(chat, 'modify_pending_order_address', 'omar_moore_9540');
    expect(ofType(log, 'customer.authenticated')[0]?.data.tool).toBe('find_user_id_by_name_zip');
  });

  it('modify-order-payment: pays a pending order with another card and refunds the first', async () => {
    const chat = await e2e.converse([
      ["I'd like to pay for my order #W5073920 with a different card", ASKS_IDENTITY],
      [
        'lucas.johansson7741@example.com',
        'Which payment method?\n- the Mastercard ending 3088 (credit_card_1814983), which paid for order #W5073920\n- the Visa ending 9452 (credit_card_1864112)',
      ],
      ['the visa ending in 9452', 'I will pay order #W5073920 with the Visa ending 9452 instead.'],
      ['yes, go ahead', 'Order #W5073920 is now paid with the Visa ending 9452.'],
    ]);
    expect(chat.status).toBe('resolved');
    const { record } = await e2e.order('#W5073920');
    expect(record.payment_history).toEqual([
      { transaction_type: 'payment', amount: 494.78, payment_method_id: 'credit_card_1814983' },
      { transaction_type: 'payment', amount: 494.78, payment_method_id: 'credit_card_1864112' },
      { transaction_type: 'refund', amount: 494.78, payment_method_id: 'credit_card_1814983' },
    ]);
    await expectConfirmedWrite(chat, 'modify_pending_order_payment', 'lucas_johansson_1090');
  });

  it('modify-order-items: swaps an item of a pending order for another option, paid by gift card', async () => {
    const gift = (await e2e.user('sophia_nguyen_7885')).record.payment_methods.gift_card_2415038;
    const chat = await e2e.converse([
      [
        "I want to change the color of the water bottle in my order #W4183735, it hasn't shipped yet",
        ASKS_IDENTITY,
      ],
      [
        'sophia.nguyen3545@example.com',
        /^From what you said: Water Bottle \(.*\(7533802601\)\.\n\nWhich new item would you like for your Water Bottle \(/,
      ],
      [
        'I want the black one, item 3453331371',
        /^The price difference is \$4\.20 for you to pay\. Which payment method should settle it\?\n/,
      ],
      [
        'use my gift card please',
        /I will change Water Bottle \(.*\) in order #W4183735 to Water Bottle \(.*black.*\)\. Price difference: \$4\.20 for you to pay, settled with the gift card \(balance \$\d+\.\d\d\)\./,
      ],
      ['yes', 'The items of order #W4183735 are changed.'],
    ]);
    expect(chat.status).toBe('resolved');
    const { record } = await e2e.order('#W4183735');
    expect(record.status).toBe('pending (item modified)');
    expect(record.items.map((item) => item.item_id)).toEqual(['3453331371', '5311660992', '2243454707']);
    // The new bottle costs 52.79 instead of 48.59: the difference comes off the gift card.
    const after = (await e2e.user('sophia_nguyen_7885')).record.payment_methods.gift_card_2415038;
    expect(gift && 'balance' in gift && after && 'balance' in after).toBe(true);
    if (gift && 'balance' in gift && after && 'balance' in after)
      expect(after.balance).toBeCloseTo(gift.balance - 4.2, 2);
    await expectConfirmedWrite(chat, 'modify_pending_order_items', 'sophia_nguyen_7885');
  });

  it('return-delivered-items: requests the return of one item of a delivered order', async () => {
    const chat = await e2e.converse([
      ['I want to return something from order #W2912153, it arrived last week', ASKS_IDENTITY],
      [
        'olivia.brown9075@example.com',
        /^Which items\? You can name several\.\n- Desk Lamp \(.*\(1270145486\)\n- Electric Kettle \(.*\(9472539378\)$/,
      ],
      ['just the desk lamp', /^Which payment method\?\n/],
      [
        'back to my visa card please',
        /^I will return Desk Lamp \(.*\) of order #W2912153 and refund them to the Visa ending \d{4}: \$\d+\.\d{2} in all\./,
      ],
      [
        'yes',
        /^The return for order #W2912153 is requested; \$\d+\.\d{2} will be refunded\. Watch your email for the next steps\.$/,
      ],
    ]);
    expect(chat.status).toBe('resolved');
    const { record } = await e2e.order('#W2912153');
    expect(record).toMatchObject({
      status: 'return requested',
      return_items: ['1270145486'],
      return_payment_method_id: 'credit_card_3081930',
    });
    await expectConfirmedWrite(chat, 'return_delivered_order_items', 'olivia_brown_4616');
  });

  it('exchange-delivered-items: requests an exchange for another size of the same product', async () => {
    const chat = await e2e.converse([
      ['I received order #W5697187 and want to swap the hiking boots for a different size', ASKS_IDENTITY],
      [
        'Raj Kim 32145',
        /^From what you said: Hiking Boots \(.*\(5676696062\)\.\n\nWhich new item would you like for your Hiking Boots \(/,
      ],
      [
        'item 8106223139 please, size 9',
        /^The price difference is \$3\.13 for you to pay\. Which payment method should settle it\?\n/,
      ],
      [
        'my mastercard',
        /I will exchange Hiking Boots \(.*\) of order #W5697187 for Hiking Boots \(.*size 9.*\)\. Price difference: \$3\.13 for you to pay, settled with the Mastercard ending \d{4}\./,
      ],
      ['yes please', 'The exchange for order #W5697187 is requested'],
    ]);
    expect(chat.status).toBe('resolved');
    const { record } = await e2e.order('#W5697187');
    expect(record).toMatchObject({
      status: 'exchange requested',
      exchange_items: ['5676696062'],
      exchange_new_items: ['8106223139'],
      exchange_payment_method_id: 'credit_card_4591662',
    });
    expect(record.exchange_price_difference).toBeCloseTo(249.12 - 245.99, 2);
    await expectConfirmedWrite(chat, 'exchange_delivered_order_items', 'raj_kim_8554');
  });

  it('change-default-address: updates the address on the profile', async () => {
    const chat = await e2e.converse([
      ["I'd like to update my account's default address", ASKS_IDENTITY],
      ['omar.nguyen1923@example.com', ASKS_ADDRESS],
      [
        '12 Pine Street, Suite 300, Denver, CO 80202, USA',
        'I will change it to 12 Pine Street Suite 300, Denver, CO 80202, USA. Shall I go ahead?',
      ],
      ['yes', 'Your default address is updated.'],
    ]);
    expect(chat.status).toBe('resolved');
    expect((await e2e.user('omar_nguyen_4272')).record.address).toEqual({
      address1: '12 Pine Street',
      address2: 'Suite 300',
      city: 'Denver',
      state: 'CO',
      zip: '80202',
      country: 'USA',
    });
    const log = await chat.events();
    expect(writesOf(log)).toEqual(['modify_user_address']);
    expect(guardsOf(log, 'modify_user_address').every(([, passed]) => passed)).toBe(true);
    expect(guardsOf(log, 'modify_user_address').map(([guard]) => guard)).toContain('confirmed');
    expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
  });

  it('order-information: tells the status, the items and the tracking number of an order and changes nothing', async () => {
    const before = await e2e.order('#W9360566');
    const chat = await e2e.converse([
      ["Where is my order #W9360566? what's the status?", ASKS_IDENTITY],
      ['chen.lopez1681@example.com', 'Its tracking number is 857108578448.'],
    ]);
    expect(chat.answers[1]!.text).toContain(
      'The status of order #W9360566 is delivered. Its items are Jigsaw Puzzle',
    );
    expect(chat.status).toBe('resolved');
    const log = await expectReadOnly(chat, [
      'find_user_id_by_email',
      'get_user_details',
      'get_order_details',
    ]);
    expect(guardsOf(log, 'get_order_details')).toEqual([
      ['authenticated', true],
      ['owns', true],
    ]);
    expect(await e2e.order('#W9360566')).toEqual(before);
  });

  it('profile-information: lists the orders and payment methods of the profile', async () => {
    const chat = await e2e.converse([
      ['What payment methods and gift card balance does my profile have?', ASKS_IDENTITY],
      ['raj.sanchez2046@example.com', 'Your orders: #W7736708, #W4566809 and #W1067251;'],
    ]);
    expect(chat.status).toBe('resolved');
    // Payment methods by what they are, never by id.
    expect(chat.answers[1]!.text).toContain('the Mastercard ending 2130 and the gift card (balance $30.00)');
    expect(chat.answers[1]!.text).not.toMatch(/credit_card_|gift_card_/);
    // Each of the three orders is looked up once (for-each), to count what has shipped.
    await expectReadOnly(chat, [
      'find_user_id_by_email',
      'get_user_details',
      'get_order_details',
      'get_order_details',
      'get_order_details',
    ]);
  });

  it('product-information: lists the product types, then the options of the one the customer names', async () => {
    const chat = await e2e.converse([
      ['Do you have anything in stock? which options are there?', ASKS_IDENTITY],
      ['chen.martin5236@example.com', /^Which product\?\n- Action Camera\n(- .+\n)+- Yoga Mat$/],
      ['the bicycle', /^Bicycle comes in these options: /],
    ]);
    expect(chat.status).toBe('resolved');
    expect(chat.answers[1]!.text.split('\n')).toHaveLength(51);
    // The options that can be had, by their attributes and prices; the one that cannot is counted; no ids.
    expect(chat.answers[2]!.text).toContain(
      'Red — large frame size, mountain type ($1,902.67). 1 more is out of stock.',
    );
    expect(chat.answers[2]!.text).not.toMatch(/\d{10}/);
    const log = await expectReadOnly(chat, [
      'find_user_id_by_email',
      'list_all_product_types',
      'get_product_details',
    ]);
    expect(ofType(log, 'tool.requested').at(-1)?.data.input).toEqual({ product_id: '9783735446' });
  });

  it('product-information: a product named in the first message is listed right after the sign-in, without asking which', async () => {
    const chat = await e2e.converse([
      ['Do you have the bicycle in stock? which options does it come in?', ASKS_IDENTITY],
      ['chen.martin5236@example.com', /^From what you said: Bicycle\.\n\nBicycle comes in these options: /],
    ]);
    expect(chat.status).toBe('resolved');
    const log = await expectReadOnly(chat, [
      'find_user_id_by_email',
      'list_all_product_types',
      'get_product_details',
    ]);
    expect(ofType(log, 'tool.requested').at(-1)?.data.input).toEqual({ product_id: '9783735446' });
  });

  it('transfer-to-human: a customer who asks for a person is handed over', async () => {
    const chat = await e2e.converse([
      ['Can I talk to a real person please', 'You are being transferred to a human agent. Please hold on.'],
    ]);
    expect(chat.status).toBe('escalated');
    const log = await chat.events();
    expect(ofType(log, 'aop.selected')[0]?.data.aopId).toBe('transfer-to-human');
    expect(ofType(log, 'tool.succeeded').map((event) => event.data.tool)).toEqual([
      'transfer_to_human_agents',
    ]);
    expect(ofType(log, 'handoff.requested')).toHaveLength(1);
    expect(ofType(log, 'conversation.escalated')).toHaveLength(1);
    expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
  });

  it('authenticate-customer: a wrong zip is asked again, name and the right zip find the customer', async () => {
    // Two customers are called Yusuf Khan; the zip tells them apart.
    const chat = await e2e.converse([
      ["What's the status of my order #W1787190?", ASKS_IDENTITY],
      [
        'Yusuf Khan, zip 99999',
        `I could not find an account with those details. Could you check them?\n\n${ASKS_IDENTITY}`,
      ],
      ["It's Yusuf Khan, 75313", 'The status of order #W1787190 is pending.'],
    ]);
    expect(chat.status).toBe('resolved');
    const log = await chat.events();
    const lookups = ofType(log, 'tool.requested').filter(
      (event) => event.data.tool === 'find_user_id_by_name_zip',
    );
    expect(lookups.map((event) => event.data.input)).toEqual([
      { first_name: 'Yusuf', last_name: 'Khan', zip: '99999' },
      { first_name: 'Yusuf', last_name: 'Khan', zip: '75313' },
    ]);
    expect(ofType(log, 'tool.failed').map((event) => event.data.error.code)).toEqual(['user_not_found']);
    expect(ofType(log, 'customer.authenticated').map((event) => event.data.customerId)).toEqual([
      'yusuf_khan_7091',
    ]);
    expect(await e2e.verify(chat.id)).toMatchObject({ ok: true });
  });

  it('every conversation of this file has an intact hash chain and replays exactly', async () => {
    await expectEveryConversationIntactAndReplayable(e2e);
  });
});
