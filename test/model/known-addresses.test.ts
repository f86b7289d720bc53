import { describe, expect, it } from 'vitest';
import { extractToolInput } from '../../infra/local/model-endpoint/engine.ts';
import { knownChoices, knownRequest } from '../../shared/engine/known-records.ts';
import type { KnownSpec } from '../../shared/engine/turn-state.ts';
import { buildConverseInput, type SlotRequest } from '../../shared/model/understanding.ts';

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
const address = (address1: string, address2: string, city: string, state: string, zip: string) => ({
  address1,
  address2,
  city,
  state,
  country: 'USA',
  zip,
});
// yusuf_li_7255 and yusuf_hernandez_6785 (aops/retail/data/db.json), shortened.
const HOME = address('909 Spruce Street', 'Suite 599', 'Los Angeles', 'CA', '91148');
const NYC = address('476 Maple Drive', 'Suite 432', 'New York', 'NY', '10093');
const DC = address('565 Maple Drive', 'Suite 501', 'Washington', 'DC', '20307');
const DALLAS = address('271 Sunset Drive', 'Suite 421', 'Dallas', 'TX', '75243');
const facts = {
  user: { address: HOME },
  orders: [
    { order_id: '#W6750959', address: HOME, items: [{ name: 'Bluetooth Speaker' }, { name: 'E-Reader' }] },
    { order_id: '#W3407479', address: NYC, items: [{ name: 'Skateboard' }] },
    { order_id: '#W1994898', address: DC, items: [{ name: 'Hiking Boots' }] },
    { order_id: '#W2466703', address: DALLAS, items: [{ name: 'Grill' }, { name: 'Bookshelf' }] },
  ],
};

/** What the local model reads from a reply to the address question, as the platform asks it. */
function read(message: string, { two = false } = {}): Record<string, unknown> {
  const offered = two ? { ...facts, orders: facts.orders.slice(0, 2) } : facts;
  const slots: SlotRequest[] = [
    ...FACTS.map((name) => ({ name, description: name, schema: { type: 'string' } })),
    knownRequest(SPEC, knownChoices(SPEC, offered)),
  ];
  const input = buildConverseInput({ message, slots }, 'local.test');
  const schema = input.toolConfig!.tools![0]!.toolSpec!.inputSchema!.json as Record<string, unknown>;
  const { act: _act, ...rest } = extractToolInput(schema, input.messages![0]!.content![0]!.text!);
  return rest;
}

const said = (value: { address1: string }) => expect.stringContaining(value.address1);

describe('local model: addresses already known', () => {
  it.each([
    ['my default address', HOME],
    ['the one in Dallas', DALLAS],
    ['the dc one', DC],
    ['my NYC place', NYC],
    ['same as order #W1994898', DC],
    ['the address of order W2466703', DALLAS],
    ['the second one', NYC],
    ['the one with the skateboard', NYC],
    ['the 271 one', DALLAS],
  ])('reads "%s" as a pick', (message, expected) => {
    expect(read(message).known_address).toEqual(said(expected));
  });

  it('reads "the address from my other order" as the one address that is not the default', () => {
    expect(read('use the address from my other order', { two: true }).known_address).toEqual(said(NYC));
    expect(read('use the address from my other order').known_address).toBeUndefined();
  });

  it('reads "the Maple Drive one" as two that fit, never a guess', () => {
    const reading = read('the Maple Drive one');
    expect(reading.known_address).toBeUndefined();
    expect(reading.could_be).toEqual([said(NYC), said(DC)]);
  });

  it('picks nothing when no record fits, and reads a typed address as typed', () => {
    expect(read('the one in Boston').known_address).toBeUndefined();
    expect(read('12 Pine Street, Suite 300, Denver, CO 80202, USA')).toMatchObject({
      address1: '12 Pine Street',
      city: 'Denver',
      zip: '80202',
    });
  });
});
