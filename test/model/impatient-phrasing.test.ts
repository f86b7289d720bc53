import { describe, expect, it } from 'vitest';
import { classifyAct } from '../../infra/local/model-endpoint/dialogue.ts';
import { extractToolInput } from '../../infra/local/model-endpoint/engine.ts';
import { findName } from '../../infra/local/model-endpoint/names.ts';
import { readRoutes } from '../../infra/local/model-endpoint/route-match.ts';
import {
  ADDS_NOTE,
  buildConverseInput,
  CLARIFYING_NOTE,
  type SlotRequest,
  type UnderstandRequest,
} from '../../shared/model/understanding.ts';
import { ORDER_ITEMS, RETAIL_ROUTES, slot } from './fixtures.ts';

/**
 * Ways impatient customers type that the τ² train tasks showed the local engine missing: each read
 * through exactly what the model client sends (the tool's input schema and the message).
 */

function read(slots: SlotRequest[], message: string, extra: Partial<UnderstandRequest> = {}) {
  const input = buildConverseInput({ message, slots, ...extra }, 'local.test');
  const schema = input.toolConfig!.tools![0]!.toolSpec!.inputSchema!.json as Record<string, unknown>;
  const text = input.messages![0]!.content![0]!.text!;
  const { act: _act, ...rest } = extractToolInput(schema, text);
  return rest;
}

const ITEM_IDS = { type: 'array', items: { type: 'string' } };

describe('a name with where the customer lives', () => {
  it.each([
    ['Ethan Garcia, Denver, 80280.', 'Ethan', 'Garcia'],
    ['Chen Smith, I live in Jacksonville, 32278.', 'Chen', 'Smith'],
    ['Sofia Li from Austin TX 78260', 'Sofia', 'Li'],
    ['Ethan Garcia, in Denver, CO, zip 80280', 'Ethan', 'Garcia'],
    ['Yusuf Li, zip code 91148.', 'Yusuf', 'Li'],
  ])('reads "%s" as %s %s', (message, first, last) => {
    expect(findName(message)).toMatchObject({ first, last });
  });

  it('does not read a place alone as a name', () => {
    expect(findName('Denver, 80280')).toBeUndefined();
  });
});

describe('routing what no procedure does, and what only looks like a request for a person', () => {
  const routes = [
    {
      value: 'cancel-pending-order',
      label: 'The customer wants to cancel an order that has not shipped yet.',
      examples: [],
    },
    {
      value: 'transfer-to-human',
      label:
        'The customer asks for a human agent, or for something no procedure can do, such as undoing a cancellation.',
      examples: ['I need to undo the cancellation of my order'],
    },
  ];

  it.each([
    "I need to undo the cancellation of my order, it's urgent.",
    'I want to undo cancelling an order I placed',
    'Can you uncancel my order?',
    'Please reinstate my order',
  ])('"%s" is no cancellation', (message) => {
    expect(readRoutes(message, routes).route).toBe('transfer-to-human');
  });

  it('still reads a plain cancellation as one', () => {
    expect(readRoutes('I want to cancel my order', routes).route).toBe('cancel-pending-order');
  });

  it('"looks like someone already wore them" asks for nobody; "I would like someone to help" does', () => {
    expect(classifyAct('The boots look like someone already wore them.').act).not.toBe('human');
    expect(classifyAct('I would like someone to help me').act).toBe('human');
  });
});

describe('a list the customer already gave, added to at a confirmation', () => {
  const items = (current?: string[]) =>
    ({ ...slot('item_ids', ITEM_IDS), options: ORDER_ITEMS, ...(current ? { current } : {}) }) as SlotRequest;

  it('tells the model that an addition means the whole list', () => {
    const input = buildConverseInput({ message: 'also the watch', slots: [items(['1151293680'])] }, 'x');
    expect(JSON.stringify(input.toolConfig)).toContain(ADDS_NOTE.replace(/"/g, '\\"'));
  });

  it('fills the whole list when the message adds ("I also want to return the smart watch")', () => {
    expect(read([items(['1151293680'])], 'Wait, not yet. I also want to return the smart watch.')).toEqual({
      item_ids: ['1151293680', '9408160950'],
    });
  });

  it('replaces the list when the message corrects it', () => {
    expect(read([items(['1151293680'])], 'No, I meant the smart watch.')).toEqual({
      item_ids: ['9408160950'],
    });
  });
});

describe('an answer to "Which do you need: … or …?"', () => {
  const clarifying = ['return-delivered-items', 'exchange-delivered-items'];

  it('tells the model which question the message may answer, in the order asked', () => {
    const input = buildConverseInput(
      { message: 'the first one', slots: [], routes: RETAIL_ROUTES, clarifying },
      'x',
    );
    expect(JSON.stringify(input.toolConfig)).toContain(
      `${CLARIFYING_NOTE} return-delivered-items, exchange-delivered-items.`.replace(/"/g, '\\"'),
    );
  });

  it.each([
    ['The first one.', 'return-delivered-items'],
    ['the second', 'exchange-delivered-items'],
    ['exchange please', 'exchange-delivered-items'],
  ])('reads "%s" as %s', (message, route) => {
    expect(read([], message, { routes: RETAIL_ROUTES, clarifying })).toEqual({ route });
  });

  it('reads "the first one" as nothing when no such question was asked', () => {
    expect(read([], 'The first one.', { routes: RETAIL_ROUTES })).toEqual({});
  });
});

describe('an address typed without its country, and its second line corrected', () => {
  const STRING = { type: 'string' };
  const parts = (current: Record<string, string> = {}) =>
    ['address1', 'address2', 'city', 'state', 'zip', 'country'].map(
      (name) =>
        ({ ...slot(name, STRING), ...(current[name] ? { current: current[name] } : {}) }) as SlotRequest,
    );

  it('reads a US state and zip code as the USA ("123 Elm St apt 4, Austin TX 78701")', () => {
    expect(read(parts(), '123 Elm St apt 4, Austin TX 78701')).toEqual({
      address1: '123 Elm St',
      address2: 'Apt 4',
      city: 'Austin',
      state: 'TX',
      zip: '78701',
      country: 'USA',
    });
  });

  it.each([
    ['actually its apt 5 sorry', 'Apt 5'],
    ['no wait, suite 5', 'Suite 5'],
  ])('corrects the second line from "%s"', (message, address2) => {
    expect(read(parts({ address1: '123 Elm St', address2: 'Apt 4' }), message)).toEqual({ address2 });
  });
});
