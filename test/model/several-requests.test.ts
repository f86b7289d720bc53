import { describe, expect, it } from 'vitest';
import { readRoutes } from '../../infra/local/model-endpoint/route-match.ts';
import { fold } from '../../shared/engine/fold.ts';
import { DEFAULT_WORDING } from '../../shared/engine/repair.ts';
import { openingText, requestPhrase } from '../../shared/engine/requests.ts';
import type { StoredEvent } from '../../shared/events/catalogue.ts';

const ROUTES = [
  {
    value: 'cancel-pending-order',
    label: 'The customer wants to cancel an order that has not shipped yet.',
    examples: ['Please cancel the order I placed, I do not need it any more'],
  },
  {
    value: 'change-default-address',
    label: 'The customer wants to update the default address on their profile or account.',
    examples: ['I moved, please put my new address on my account'],
  },
  {
    value: 'modify-order-address',
    label: 'The customer wants to change the shipping address of an order that has not shipped yet.',
    examples: ['Send my order to a different address, it has not shipped'],
  },
];

describe('several requests in one message', () => {
  it('reads the requests in the order the customer made them', () => {
    expect(readRoutes('cancel my order and also change the address on my account', ROUTES)).toEqual({
      route: 'cancel-pending-order',
      more: ['change-default-address'],
    });
  });

  it('reads a request that leans on the one before with its general words ("… and also the address")', () => {
    expect(readRoutes('cancel order W1234567, then change the address on order W7654321', ROUTES)).toEqual({
      route: 'cancel-pending-order',
      more: ['modify-order-address'],
    });
  });

  it('asks rather than guesses when every word of the message fits two procedures alike', () => {
    expect([...(readRoutes('change my address', ROUTES).choices ?? [])].sort()).toEqual([
      'change-default-address',
      'modify-order-address',
    ]);
  });

  it('words the plan and the next request from the procedure ids alone', () => {
    expect(requestPhrase('cancel-pending-order')).toBe('cancelling your pending order');
    expect(requestPhrase('modify-order-address')).toBe('changing your order address');
    expect(requestPhrase('order-information')).toBe('the order information');
    expect(requestPhrase('transfer-to-human')).toBe('transferring to human');
    expect(
      openingText(
        { aopId: 'cancel-pending-order', reason: 'routed', then: ['change-default-address'] },
        DEFAULT_WORDING,
      ),
    ).toBe("I'll help with cancelling your pending order first, then with changing your default address.");
    expect(openingText({ aopId: 'change-default-address', reason: 'continued' }, DEFAULT_WORDING)).toBe(
      'Now for changing your default address.',
    );
    expect(openingText({ aopId: 'cancel-pending-order', reason: 'routed' }, DEFAULT_WORDING)).toBeUndefined();
  });

  it('folds the queue, and a turn that takes up a queued request answers no message', () => {
    const at = (seq: number, event: Record<string, unknown>) =>
      ({ conversationId: 'c', seq, prevHash: '', hash: `h${seq}`, time: 't', ...event }) as StoredEvent;
    const events = [
      at(1, { type: 'conversation.started', actor: 'system', data: { tenant: 't', channel: 'chat' } }),
      at(2, {
        type: 'message.received',
        actor: 'customer',
        data: { messageId: 'm1', text: 'x', channel: 'chat' },
      }),
      at(3, {
        type: 'aop.selected',
        actor: 'system',
        turn: 1,
        data: { aopId: 'a', version: 1, reason: 'routed', then: ['b'] },
      }),
      at(4, { type: 'turn.started', actor: 'system', turn: 1, data: { turn: 1, now: 't', resume: '' } }),
    ];
    expect(fold(events).queued).toEqual(['b']);
    const later = [
      ...events,
      at(5, {
        type: 'turn.completed',
        actor: 'system',
        turn: 1,
        data: { turn: 1, resume: '', status: 'resolved', counters: {} },
      }),
      at(6, { type: 'conversation.resolved', actor: 'system', turn: 1, data: {} }),
      // A message that arrived meanwhile waits for a turn of its own.
      at(7, {
        type: 'message.received',
        actor: 'customer',
        data: { messageId: 'm2', text: 'y', channel: 'chat' },
      }),
      at(8, {
        type: 'aop.selected',
        actor: 'system',
        turn: 2,
        data: { aopId: 'b', version: 1, reason: 'continued' },
      }),
      at(9, { type: 'turn.started', actor: 'system', turn: 2, data: { turn: 2, now: 't', resume: '' } }),
    ];
    const state = fold(later);
    expect(state.queued).toEqual([]);
    expect(state.continued.has(2)).toBe(true);
    expect(state.turnOf.get('m2')).toBeUndefined();
    expect(state.turnOf.get('m1')).toBe(1);
  });
});

describe('a question about the money of the request is not a second request', () => {
  const SUBSCRIPTION_ROUTES = [
    {
      value: 'cancel-subscription',
      label: 'The customer wants to cancel their Tidewave subscription, membership or account.',
      examples: ['cancel my subscription', 'i want to cancel'],
    },
    {
      value: 'refund-erroneous-charge',
      label: 'The customer was charged twice for the same period and wants that charge refunded.',
      examples: [
        'i was charged twice this month',
        'why did you charge me after i cancelled, i want that money back',
      ],
    },
    {
      value: 'transfer-to-human',
      label: 'The customer asks for a person or an agent.',
      examples: ['can i talk to a real person', 'get me an agent'],
    },
  ];

  it.each([
    'ugh seriously. ok then cancel it i guess, ill come back later. do i get money back for this month?',
    'i want to cancel. ben.carter@example.com. how much do i get back, i paid for the whole year',
  ])('%s', (message) => {
    expect(readRoutes(message, SUBSCRIPTION_ROUTES)).toEqual({ route: 'cancel-subscription' });
  });

  it('a refund asked for besides still is one', () => {
    expect(
      readRoutes('cancel my subscription and refund the duplicate charge from march', SUBSCRIPTION_ROUTES)
        .more,
    ).toEqual(['refund-erroneous-charge']);
  });
});
