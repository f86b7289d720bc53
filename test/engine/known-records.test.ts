import { describe, expect, it } from 'vitest';
import {
  applyKnownPick,
  knownChoices,
  knownList,
  knownQuestion,
  knownRequest,
} from '../../shared/engine/known-records.ts';
import type { KnownSpec } from '../../shared/engine/turn-state.ts';
import { NOTHING_UNDERSTOOD } from '../../shared/model/understanding.ts';

const FACTS = ['address1', 'address2', 'city', 'state', 'country', 'zip'];
const SPEC: KnownSpec = {
  name: 'known_address',
  facts: FACTS,
  asking: 'address line 1, address line 2, city, state, country and zip code',
  sources: [
    { path: '$.facts.user', list: false, field: ['address'], id: null, label: 'your default address' },
    { path: '$.facts.orders', list: true, field: ['address'], id: 'order_id', label: null },
  ],
};
const address = (address1: string, city: string, state: string, zip: string) => ({
  address1,
  address2: 'Suite 1',
  city,
  state,
  country: 'USA',
  zip,
});
const HOME = address('786 Elm Street', 'San Antonio', 'TX', '78260');
const FORT_WORTH = address('285 Elm Street', 'Fort Worth', 'TX', '76155');
const facts = {
  user: { address: HOME },
  orders: [
    { order_id: '#W1', address: { ...HOME, city: ' San Antonio ' }, items: [{ name: 'Digital Camera' }] },
    {
      order_id: '#W2',
      address: FORT_WORTH,
      items: [{ name: 'Water Bottle' }, { name: 'Water Bottle' }, { name: 'Bicycle' }],
    },
  ],
};

describe('known-records', () => {
  it('lists each distinct record once, with where it is known from', () => {
    expect(knownChoices(SPEC, facts).map((choice) => choice.label)).toEqual([
      '786 Elm Street, Suite 1, San Antonio, TX 78260, USA (your default address; order #W1: digital camera)',
      '285 Elm Street, Suite 1, Fort Worth, TX 76155, USA (order #W2: 2 × water bottle and bicycle)',
    ]);
  });

  it('leaves out records that lack a fact asked, and offers nothing before the facts are known', () => {
    expect(knownChoices(SPEC, { user: { address: { ...HOME, zip: undefined } } })).toEqual([]);
    expect(knownChoices(SPEC, {})).toEqual([]);
    expect(knownQuestion(SPEC, [])).toBeUndefined();
  });

  it('asks which one, lists them and says a new one can be told', () => {
    const question = knownQuestion(SPEC, knownChoices(SPEC, facts))!;
    expect(question.split('\n')[0]).toBe('Which address should I use? I have these:');
    expect(question).toContain('or tell me a new one (address line 1,');
    expect(knownList(SPEC, knownChoices(SPEC, facts))).toMatch(
      /^Or pick one of the addresses I have:\n- 786/,
    );
  });

  it('asks the model with the records as options, said in full and labelled', () => {
    const request = knownRequest(SPEC, knownChoices(SPEC, facts));
    expect(request.name).toBe('known_address');
    expect(request.options?.[1]).toEqual({
      value: '285 Elm Street, Suite 1, Fort Worth, TX 76155, USA',
      label: '285 Elm Street, Suite 1, Fort Worth, TX 76155, USA (order #W2: 2 × water bottle and bicycle)',
    });
  });

  it('fills every fact of the question from the picked record, and keeps the pick out of the facts', () => {
    const choices = knownChoices(SPEC, facts);
    const read = { ...NOTHING_UNDERSTOOD, slots: { known_address: choices[1]!.value, city: 'Fort Worth' } };
    expect(applyKnownPick(SPEC, choices, read).understanding.slots).toEqual(FORT_WORTH);
  });

  it('fails to pick when a street of its own was typed: the typed address wins', () => {
    const choices = knownChoices(SPEC, facts);
    const typed = { address1: '500 Elm Street', city: 'Austin' };
    const read = { ...NOTHING_UNDERSTOOD, slots: { known_address: choices[1]!.value, ...typed } };
    expect(applyKnownPick(SPEC, choices, read).understanding.slots).toEqual(typed);
  });

  it('narrows when the description fits several, dropping the parts it gave', () => {
    const choices = knownChoices(SPEC, facts);
    const read = {
      ...NOTHING_UNDERSTOOD,
      slots: { state: 'TX' },
      couldBe: choices.map((choice) => choice.value),
    };
    const { understanding, narrowed } = applyKnownPick(SPEC, choices, read);
    expect(understanding.slots).toEqual({});
    expect(narrowed?.split('\n')).toHaveLength(2);
  });
});
