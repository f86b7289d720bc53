import { describe, expect, it } from 'vitest';
import { customerMessage, extractToolInput } from '../../infra/local/model-endpoint/engine.ts';
import {
  buildConverseInput,
  type SlotRequest,
  type UnderstandRequest,
} from '../../shared/model/understanding.ts';
import {
  EMAIL,
  ITEM_ID,
  ORDER_ID,
  ORDER_ITEMS,
  PAYMENT_METHOD_ID,
  PAYMENT_METHODS,
  REASON,
  RETAIL_ROUTES,
  slot,
  USER_ID,
  ZIP,
} from './fixtures.ts';

/** Runs the engine on exactly what the model client sends: the tool's input schema and the user text. */
function readAll(slots: SlotRequest[], message: string, extra: Partial<UnderstandRequest> = {}) {
  const input = buildConverseInput({ message, slots, ...extra }, 'local.test');
  const schema = input.toolConfig!.tools![0]!.toolSpec!.inputSchema!.json as Record<string, unknown>;
  const text = input.messages![0]!.content![0]!.text!;
  return extractToolInput(schema, text);
}

/** The same, less `act` (always present): the values the message gave. */
function read(slots: SlotRequest[], message: string, extra: Partial<UnderstandRequest> = {}) {
  const { act: _act, ...rest } = readAll(slots, message, extra);
  return rest;
}

const STRING = { type: 'string' };
const ADDRESS_SLOTS = ['address1', 'address2', 'city', 'state', 'zip', 'country'].map((name) =>
  slot(name, STRING),
);

describe('extractToolInput: ids by pattern', () => {
  it.each([
    ['#W1234567', '#W1234567'],
    ['W1234567', '#W1234567'],
    ['w1234567', '#W1234567'],
    ['order 1234567', '#W1234567'],
    ['It is #1234567.', '#W1234567'],
    ['my order is (#W2378156), thanks', '#W2378156'],
  ])('reads an order id from "%s"', (message, expected) => {
    expect(read([slot('order_id', ORDER_ID)], message)).toEqual({ order_id: expected });
  });

  it.each(['order W123456', 'order 12345678', 'my zip is 19122', 'order #X1234567', 'phone 555-1234567'])(
    'finds no order id in "%s" when the digits do not fit',
    (message) => {
      expect(read([slot('order_id', ORDER_ID)], message)).toEqual({});
    },
  );

  it("reads any bare run of exactly the pattern's digit count as the id (documented)", () => {
    expect(read([slot('order_id', ORDER_ID)], 'I waited 1234567 seconds')).toEqual({ order_id: '#W1234567' });
  });

  it('reads a user id, a 10-digit item id and a payment method id by their patterns', () => {
    const slots = [
      slot('user_id', USER_ID),
      slot('item_id', ITEM_ID),
      slot('payment_method_id', PAYMENT_METHOD_ID, 'The payment method id, such as credit_card_0000000'),
    ];
    expect(read(slots, 'I am sara_doe_496; exchange item 1008292230 and charge gift_card_123')).toEqual({
      user_id: 'sara_doe_496',
      item_id: '1008292230',
      payment_method_id: 'gift_card_123',
    });
    expect(read(slots, 'use paypal_123 please')).toEqual({ payment_method_id: 'paypal_123' });
  });

  it('gives an id that fits two patterns to the property its words point at', () => {
    const loose = { type: 'string', pattern: '^[a-z]+_[a-z]+_\\d+$' };
    const slots = [
      slot('user_id', loose, 'The user id, such as sara_doe_496'),
      slot('payment_method_id', loose, 'The payment method id: a credit card, gift card or paypal account'),
    ];
    expect(read(slots, 'pay with my credit_card_9513926')).toEqual({
      payment_method_id: 'credit_card_9513926',
    });
    expect(read(slots, 'my user id is sara_doe_496')).toEqual({ user_id: 'sara_doe_496' });
  });

  it('fills neither property when an id fits both and nothing says which', () => {
    const slots = [
      slot('item_ids', { type: 'array', items: ITEM_ID }),
      slot('new_item_ids', { type: 'array', items: ITEM_ID }),
    ];
    expect(read(slots, '1008292230')).toEqual({});
  });

  it('fills an array with every id of the pattern, in order, without duplicates', () => {
    const slots = [slot('order_ids', { type: 'array', items: ORDER_ID })];
    expect(read(slots, 'W1111111, #W2222222 and again W1111111')).toEqual({
      order_ids: ['#W1111111', '#W2222222'],
    });
  });

  it('does not choose between two ids for a single-valued slot', () => {
    expect(read([slot('order_id', ORDER_ID)], 'either #W1111111 or #W2222222')).toEqual({});
  });

  it('accepts bare digits for a \\d+ pattern only after a cue word', () => {
    const slots = [slot('order_id', { type: 'string', pattern: '^#W\\d+$' })];
    expect(read(slots, 'order 42')).toEqual({ order_id: '#W42' });
    expect(read(slots, 'I waited 42 days')).toEqual({});
  });
});

describe('extractToolInput: emails', () => {
  it.each([
    ['my email is sara.doe496@example.com', 'sara.doe496@example.com'],
    ['Email: Yusuf.Rossi7301@example.com.', 'Yusuf.Rossi7301@example.com'],
    ['(noah_brown+shop@mail.example.co.uk)', 'noah_brown+shop@mail.example.co.uk'],
    ['it is sara dot doe at example dot com', 'sara.doe@example.com'],
    ['sara.doe at example.com', 'sara.doe@example.com'],
    ['its sara.doe(at)example(dot)com', 'sara.doe@example.com'],
    ['sara.doe @ example.com', 'sara.doe@example.com'],
    ['email me at sara_doe [at] mail [dot] example [dot] org', 'sara_doe@mail.example.org'],
  ])('reads "%s"', (message, expected) => {
    expect(read([slot('email', EMAIL)], message)).toEqual({ email: expected });
  });

  it.each([
    'my email is sara',
    'my email is sara at example',
    'I do not remember my email address',
    'sara@example',
    '@example.com',
  ])('never invents an email from "%s"', (message) => {
    expect(read([slot('email', EMAIL)], message)).toEqual({});
  });

  it('does not choose between two emails', () => {
    expect(read([slot('email', EMAIL)], 'change a@example.com to b@example.com')).toEqual({});
  });
});

describe('extractToolInput: names and zip codes', () => {
  const slots = [slot('first_name', STRING), slot('last_name', STRING), slot('zip', ZIP)];

  it.each([
    ["I'm Yusuf Rossi in zip code 19122", { first_name: 'Yusuf', last_name: 'Rossi', zip: '19122' }],
    ['my name is yusuf rossi and my zip is 19122', { first_name: 'Yusuf', last_name: 'Rossi', zip: '19122' }],
    ['Hi, this is Mei Davis.', { first_name: 'Mei', last_name: 'Davis' }],
    ['Yusuf Rossi, 19122', { first_name: 'Yusuf', last_name: 'Rossi', zip: '19122' }],
    ['Ivan Santos', { first_name: 'Ivan', last_name: 'Santos' }],
    ["It's Yusuf", { first_name: 'Yusuf' }],
    ['first name Aarav, last name Anderson', { first_name: 'Aarav', last_name: 'Anderson' }],
    ['zip 75277', { zip: '75277' }],
  ])('reads "%s"', (message, expected) => {
    expect(read(slots, message)).toEqual(expected);
  });

  it.each([
    "I'm looking for my order",
    "I'm not sure",
    'This is about my order #W1234567',
    'my user name is sara_doe_496',
    'hello',
  ])('finds no name in "%s"', (message) => {
    expect(read(slots, message)).toEqual({});
  });

  it('reads a full name into a name slot', () => {
    expect(read([slot('name', STRING)], 'My name is Fatima Johnson')).toEqual({ name: 'Fatima Johnson' });
  });

  it('takes the zip after its cue when several five-digit numbers are present', () => {
    expect(read([slot('zip', ZIP)], 'I ordered 12345 and 67890 things, zip code 19122')).toEqual({
      zip: '19122',
    });
    expect(read([slot('zip', ZIP)], '12345 or 67890')).toEqual({});
  });
});

describe('extractToolInput: addresses', () => {
  it('splits a full address into its parts', () => {
    expect(read(ADDRESS_SLOTS, 'Please ship to 123 Main St, Apt 4, Austin, TX 78701, USA')).toEqual({
      address1: '123 Main St',
      address2: 'Apt 4',
      city: 'Austin',
      state: 'TX',
      zip: '78701',
      country: 'USA',
    });
  });

  it('reads an address written without commas and with a full state name', () => {
    expect(read(ADDRESS_SLOTS, 'new address: 445 Maple Drive Suite 394 Fort Worth Texas 76165')).toEqual({
      address1: '445 Maple Drive',
      address2: 'Suite 394',
      city: 'Fort Worth',
      state: 'TX',
      zip: '76165',
      // A US state and zip code say the country.
      country: 'USA',
    });
  });

  it('reads a street line alone, and a street without a suffix when city and state follow', () => {
    expect(read(ADDRESS_SLOTS, 'It is 986 Sunset Drive')).toEqual({ address1: '986 Sunset Drive' });
    // A whole US address (its country read from the state and zip) with no second line has none.
    expect(read(ADDRESS_SLOTS, '12 Elm, Denver, CO 80279')).toEqual({
      address1: '12 Elm',
      address2: '',
      city: 'Denver',
      state: 'CO',
      zip: '80279',
      country: 'USA',
    });
  });

  it('fills an address object slot with the parts its schema names', () => {
    const address = {
      type: 'object',
      properties: {
        address1: STRING,
        address2: STRING,
        city: STRING,
        state: STRING,
        zip: STRING,
        country: STRING,
      },
      required: ['address1', 'city', 'state', 'zip'],
    };
    expect(read([slot('address', address)], '215 River Road, Suite 991, New York, NY 10083')).toEqual({
      address: {
        address1: '215 River Road',
        address2: 'Suite 991',
        city: 'New York',
        state: 'NY',
        zip: '10083',
        country: 'USA',
      },
    });
  });

  it.each(['I want 2 items to the office', 'Yes OK', 'I live in Austin'])(
    'finds no address in "%s"',
    (message) => {
      expect(read(ADDRESS_SLOTS, message)).toEqual({});
    },
  );
});

describe('extractToolInput: numbers, money and dates', () => {
  it.each([
    ['refund me $12.50', 12.5],
    ['$1,200 please', 1200],
    ['about 40 dollars', 40],
    ['USD 7', 7],
  ])('reads the amount in "%s"', (message, expected) => {
    expect(read([slot('amount', { type: 'number' }, 'The refund amount in dollars')], message)).toEqual({
      amount: expected,
    });
  });

  it('prefers an amount of money over other numbers for a money slot', () => {
    expect(read([slot('amount', { type: 'number' })], 'for the 2 items, refund $30')).toEqual({ amount: 30 });
  });

  it('reads a count, and not the digits of an amount, an id or a zip', () => {
    const slots = [
      slot('quantity', { type: 'integer', minimum: 1 }),
      slot('order_id', ORDER_ID),
      slot('zip', ZIP),
    ];
    expect(read(slots, 'order W1234567, 3 of them, $40 each, zip 19122')).toEqual({
      order_id: '#W1234567',
      quantity: 3,
      zip: '19122',
    });
    expect(read([slot('quantity', { type: 'integer' })], 'two of them')).toEqual({ quantity: 2 });
  });

  it('drops a number that breaks its schema', () => {
    expect(read([slot('quantity', { type: 'integer', minimum: 1, maximum: 5 })], '9 please')).toEqual({});
    expect(read([slot('quantity', { type: 'integer' })], 'about 2.5')).toEqual({});
  });

  it('does not choose between numbers without a cue', () => {
    expect(read([slot('quantity', { type: 'integer' })], 'between 2 and 3')).toEqual({});
    expect(read([slot('quantity', { type: 'integer' })], 'size 9, quantity 2')).toEqual({ quantity: 2 });
  });

  it.each([
    ['delivered on 2024-05-03', '2024-05-03'],
    ['on 05/03/2024', '2024-05-03'],
    ['May 3rd, 2024', '2024-05-03'],
    ['the 3rd of May 2024', '2024-05-03'],
    ['3 Sept 2024', '2024-09-03'],
  ])('reads the date in "%s"', (message, expected) => {
    expect(read([slot('date', { type: 'string', format: 'date' })], message)).toEqual({ date: expected });
  });

  it.each(['yesterday', 'last Monday', 'May 3rd', '2024-02-30', '13/45/2024'])(
    'reads no date from "%s" (no clock, no year, or no such day)',
    (message) => {
      expect(read([slot('date', { type: 'string', format: 'date' })], message)).toEqual({});
    },
  );

  it('fills one date fact from one date, never three: with several, only the one its words point at', () => {
    const DATE = { type: 'string', format: 'date' };
    const slots = [
      slot('order_date', DATE, 'When the order was placed.'),
      slot('delivery_date', DATE, 'When the order was delivered.'),
      slot('return_date', DATE, 'When the items were sent back.'),
    ];
    expect(read(slots, 'it was delivered on 2024-05-03')).toEqual({ delivery_date: '2024-05-03' });
    expect(read(slots, '2024-05-03')).toEqual({});
    expect(read([slots[0]!], '2024-05-03')).toEqual({ order_date: '2024-05-03' });
  });

  it('reads a date-time only when a time is given', () => {
    const slots = [slot('at', { type: 'string', format: 'date-time' })];
    expect(read(slots, 'at 2024-05-03T10:30:00Z')).toEqual({ at: '2024-05-03T10:30:00Z' });
    expect(read(slots, 'on 2024-05-03')).toEqual({});
  });
});

describe('extractToolInput: enums by phrase', () => {
  it.each([
    ["I don't need it anymore", 'no longer needed'],
    ['no longer needed', 'no longer needed'],
    ['I do not want it any more', 'no longer needed'],
    ['I ordered it by mistake', 'ordered by mistake'],
    ['I accidentally ordered two', 'ordered by mistake'],
    ['it was a mistake', 'ordered by mistake'],
    ['I ordered the wrong one', 'ordered by mistake'],
  ])('reads "%s" as %s', (message, expected) => {
    expect(read([slot('reason', REASON)], message)).toEqual({ reason: expected });
  });

  it.each(['I ordered a new phone', 'because', 'it is broken'])('reads no reason from "%s"', (message) => {
    expect(read([slot('reason', REASON)], message)).toEqual({});
  });

  it('matches one-word enum values, with underscores read as spaces', () => {
    const status = slot('status', {
      type: 'string',
      enum: ['pending', 'processed', 'delivered', 'return_requested'],
    });
    expect(read([status], 'it says delivered')).toEqual({ status: 'delivered' });
    expect(read([status], 'I see return requested')).toEqual({ status: 'return_requested' });
    expect(read([status], 'hello')).toEqual({});
  });
});

describe('extractToolInput: options', () => {
  const items = (many: boolean): SlotRequest => ({
    name: 'item_ids',
    description: 'The items to exchange',
    schema: many ? { type: 'array', items: ITEM_ID } : ITEM_ID,
    options: ORDER_ITEMS,
  });

  it('chooses every option a part of the message names, for an array slot', () => {
    expect(read([items(true)], 'the keyboard and the thermostat')).toEqual({
      item_ids: ['1151293680', '4983901480'],
    });
    expect(read([items(true)], 'I want to exchange the smart watch')).toEqual({ item_ids: ['9408160950'] });
  });

  it('chooses all options on "everything", less those excepted', () => {
    expect(read([items(true)], 'everything')).toEqual({ item_ids: ORDER_ITEMS.map((item) => item.value) });
    expect(read([items(true)], 'all of them except the watch')).toEqual({
      item_ids: ['1151293680', '4983901480'],
    });
  });

  it('chooses an option named by its value or by an ordinal', () => {
    expect(read([items(false)], 'item 4983901480')).toEqual({ item_ids: '4983901480' });
    expect(read([items(false)], 'the second one')).toEqual({ item_ids: '4983901480' });
    expect(read([items(false)], 'the last one')).toEqual({ item_ids: '9408160950' });
  });

  it('skips what the customer negates', () => {
    expect(read([items(false)], 'not the keyboard, the thermostat')).toEqual({ item_ids: '4983901480' });
  });

  it('chooses nothing when nothing matches or the message names two options for one value', () => {
    expect(read([items(false)], 'the blender')).toEqual({});
    expect(read([items(true)], 'the blender')).toEqual({});
    // Two named for one value: nothing chosen, and the two it could be, so the customer is asked.
    expect(read([items(false)], 'the keyboard or the watch')).toEqual({
      could_be: ['1151293680', '9408160950'],
    });
  });

  it('tells payment methods apart by their distinctive words', () => {
    const payment: SlotRequest = {
      name: 'payment_method_id',
      description: 'How to pay',
      schema: PAYMENT_METHOD_ID,
      options: PAYMENT_METHODS,
    };
    expect(read([payment], 'use my credit card')).toEqual({ payment_method_id: 'credit_card_9513926' });
    expect(read([payment], 'the visa ending 7891')).toEqual({ payment_method_id: 'credit_card_9513926' });
    expect(read([payment], 'put it on the gift card')).toEqual({ payment_method_id: 'gift_card_3291374' });
    expect(read([payment], 'PayPal')).toEqual({ payment_method_id: 'paypal_2192303' });
    // Two cards fit "a card": nothing chosen, both offered to narrow the choice.
    expect(read([payment], 'a card')).toEqual({ could_be: ['credit_card_9513926', 'gift_card_3291374'] });
    expect(read([payment], 'hmm')).toEqual({});
  });

  it('chooses between two variants by the words only one of them has', () => {
    const variants: SlotRequest = {
      name: 'new_item_id',
      description: 'The variant to exchange for',
      schema: ITEM_ID,
      options: [
        { value: '1151293680', label: 'Mechanical Keyboard (switch type: linear, backlight: RGB)' },
        { value: '6342039236', label: 'Mechanical Keyboard (switch type: clicky, backlight: white)' },
      ],
    };
    expect(read([variants], 'the clicky one')).toEqual({ new_item_id: '6342039236' });
    expect(read([variants], 'the keyboard')).toEqual({});
  });
});

describe('extractToolInput: consent', () => {
  const confirm = { question: 'Shall I cancel order #W1234567?' };

  it.each([
    ['yes', 'agree'],
    ['Yeah go ahead', 'agree'],
    ['confirm', 'agree'],
    ['Sure, no problem', 'agree'],
    ['no', 'decline'],
    ["don't", 'decline'],
    ['not now', 'decline'],
    ['yes, but how long does the refund take?', 'question'],
    ['ok if the refund goes to my visa', 'conditional'],
    ['wait', 'unclear'],
    ['maybe', 'unclear'],
    ['my email is a@b.com', 'unclear'],
  ])('reads "%s" as %s', (message, expected) => {
    expect(read([], message, { confirm })).toEqual({ consent: expected });
  });

  it('reads no consent when no question was asked', () => {
    expect(read([], 'yes')).toEqual({});
  });

  it('reads a boolean confirmation property (an older contract) as agree / decline only', () => {
    const schema = {
      type: 'object',
      properties: { confirmed: { type: 'boolean', description: 'Did the customer confirm?' } },
    };
    expect(extractToolInput(schema, 'yes please')).toEqual({ confirmed: true });
    expect(extractToolInput(schema, 'no thanks')).toEqual({ confirmed: false });
    expect(extractToolInput(schema, 'yes, but how long does it take?')).toEqual({});
  });
});

describe('extractToolInput: act, language and FAQ', () => {
  it('always says what the message does', () => {
    expect(readAll([slot('order_id', ORDER_ID)], 'W1234567')).toEqual({ order_id: '#W1234567', act: 'none' });
    expect(readAll([], 'hello!')).toEqual({ act: 'greeting' });
    expect(readAll([], 'this is useless, get me a human')).toEqual({ act: 'human' });
    expect(readAll([], 'never mind, forget it')).toEqual({ act: 'cancel' });
    expect(readAll([], 'what?')).toEqual({ act: 'repeat' });
  });

  it('fills a known slot again from a correction; the runtime decides whether to use it', () => {
    const known: SlotRequest = { ...slot('order_id', ORDER_ID), current: '#W1234567' };
    expect(readAll([known], 'actually it is #W2378156')).toEqual({
      order_id: '#W2378156',
      act: 'correction',
    });
  });

  it('names the language of a message in another language, and none for English', () => {
    expect(readAll([], 'Hola, quiero cancelar mi pedido')).toEqual({ act: 'other_language', language: 'es' });
    expect(readAll([], '注文をキャンセルしたい')).toEqual({ act: 'other_language', language: 'ja' });
    expect(readAll([], 'I want to cancel my pedido')).toEqual({ act: 'none' });
  });

  const faq = [
    { id: 'refund-timing', question: 'How long does a refund take? When will I get my money back?' },
    { id: 'return-shipping', question: 'How do I send the items back? Do I get a return label?' },
  ];

  it('chooses the FAQ entry that answers a question, through the route matcher', () => {
    expect(readAll([], 'how long does the refund take?', { faq })).toEqual({
      act: 'question',
      faq: 'refund-timing',
    });
    expect(
      readAll([], 'yes, but do I get a label to send it back?', { faq, confirm: { question: 'Ok?' } }),
    ).toEqual({ consent: 'question', act: 'question', faq: 'return-shipping' });
  });

  it('chooses no FAQ entry for a message that asks nothing, or that no entry answers', () => {
    expect(read([], 'I want my refund', { faq })).toEqual({});
    expect(read([], 'do you ship to canada?', { faq })).toEqual({});
  });
});

describe('extractToolInput: routing', () => {
  it.each([
    ['Hi, I need to cancel my order please', 'cancel-pending-order'],
    ['I want to call off the order I placed yesterday', 'cancel-pending-order'],
    ['I received my order and want to send the keyboard back', 'return-delivered-items'],
    ['Can I get a refund for the watch I received?', 'return-delivered-items'],
    ['I would like to swap the thermostat for a different model', 'exchange-delivered-items'],
    ['I moved, please update the shipping address on my order', 'modify-pending-order-address'],
    ['I want to pay with a different card for my pending order', 'modify-pending-order-payment'],
    ["Where's my package? What is the status?", 'order-status'],
    ['Let me talk to a real person', 'transfer-to-human'],
    ['representative please', 'transfer-to-human'],
  ])('routes "%s" to %s', (message, expected) => {
    expect(read([], message, { routes: RETAIL_ROUTES })).toEqual({ route: expected });
  });

  it('routes a vague question about an order to the procedure that informs about orders', () => {
    expect(read([], 'I have a question about my order', { routes: RETAIL_ROUTES })).toEqual({
      route: 'order-status',
    });
  });

  it.each(['hello', 'What is the weather like today?', 'thanks!'])('routes "%s" nowhere', (message) => {
    expect(read([], message, { routes: RETAIL_ROUTES })).toEqual({});
  });

  it('does not route on a negated word', () => {
    expect(read([], "I don't want to cancel, I want to return it", { routes: RETAIL_ROUTES })).toEqual({
      route: 'return-delivered-items',
    });
  });

  it('routes with a single route when the message shares a distinctive word', () => {
    const routes = [RETAIL_ROUTES[0]!];
    expect(read([], 'cancel it', { routes })).toEqual({ route: 'cancel-pending-order' });
    expect(read([], 'hello there', { routes })).toEqual({});
  });
});

describe('extractToolInput: the whole turn', () => {
  it('reads slots, a consent and a route from one message', () => {
    const found = read(
      [slot('order_id', ORDER_ID), slot('reason', REASON), slot('email', EMAIL)],
      'Yes. Please cancel order W1234567, I ordered it by mistake. Email me at sara@example.com',
      { confirm: { question: 'Is this your account?' }, routes: RETAIL_ROUTES },
    );
    expect(found).toEqual({
      order_id: '#W1234567',
      reason: 'ordered by mistake',
      email: 'sara@example.com',
      // A yes that asks for another action ("cancel") than the question's is not a plain agreement.
      consent: 'conditional',
      route: 'cancel-pending-order',
    });
  });

  it('fills nothing from an unrelated message', () => {
    const slots = [
      slot('order_id', ORDER_ID),
      slot('email', EMAIL),
      slot('first_name', STRING),
      slot('last_name', STRING),
      slot('zip', ZIP),
      slot('reason', REASON),
      slot('amount', { type: 'number' }),
      slot('date', { type: 'string', format: 'date' }),
      ...ADDRESS_SLOTS.filter((address) => address.name !== 'zip'),
      {
        name: 'item_ids',
        description: 'items',
        schema: { type: 'array', items: ITEM_ID },
        options: ORDER_ITEMS,
      },
    ];
    expect(
      read(slots, 'What lovely weather we are having today!', {
        confirm: { question: 'Shall I proceed?' },
        routes: RETAIL_ROUTES,
      }),
    ).toEqual({ consent: 'unclear' });
  });

  it('reads values only from the customer message, never from the context', () => {
    const found = read([slot('order_id', ORDER_ID), slot('email', EMAIL)], 'hmm, let me check', {
      context: 'The agent asked about order #W7654321 for noah@example.com.',
    });
    expect(found).toEqual({});
  });

  it('leaves out free-text slots it has no way to read', () => {
    expect(read([slot('expression', STRING)], '2 + 2')).toEqual({});
  });

  it('is deterministic', () => {
    const message = 'the keyboard and the thermostat, order W2378156';
    const slots: SlotRequest[] = [
      slot('order_id', ORDER_ID),
      {
        name: 'item_ids',
        description: 'items',
        schema: { type: 'array', items: ITEM_ID },
        options: ORDER_ITEMS,
      },
    ];
    expect(read(slots, message)).toEqual(read(slots, message));
  });
});

describe('customerMessage', () => {
  it('takes the text inside the customer_message tags, or the whole text', () => {
    expect(customerMessage('<context>\nx\n</context>\n<customer_message>\n hi \n</customer_message>')).toBe(
      'hi',
    );
    expect(customerMessage('  plain  ')).toBe('plain');
  });
});
