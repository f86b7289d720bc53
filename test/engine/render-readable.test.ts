import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { display, lookup, render } from '../../shared/engine/render.ts';
import { variantsOverview } from '../../shared/engine/variants-overview.ts';
import {
  countOfWords,
  countWords,
  dateWords,
  listWords,
  moneyWords,
  plural,
} from '../../shared/engine/words.ts';

/**
 * Answers worth reading (issue 14, item 6): a placeholder says money, dates, lists, records and a
 * product's variants as a person would, and a path may read a field through a list.
 */

const db = JSON.parse(readFileSync(join(import.meta.dirname, '../../aops/retail/data/db.json'), 'utf8')) as {
  orders: Record<string, Record<string, unknown>>;
  products: Record<string, Record<string, unknown>>;
};
const delivered = db.orders['#W3504981']!;
const pending = db.orders['#W5918442']!;
const twoJackets = db.orders['#W1840144']!;
const tShirt = db.products['9523456873']!;

describe('words', () => {
  it('says money with a dollar sign, two decimals and a thousands separator', () => {
    expect(moneyWords(47.84)).toBe('$47.84');
    expect(moneyWords(49.1)).toBe('$49.10');
    expect(moneyWords(1505.5)).toBe('$1,505.50');
    expect(moneyWords(-3.1)).toBe('-$3.10');
  });

  it('says an ISO date as day, month and year in UTC', () => {
    expect(dateWords('2026-12-05')).toBe('5 December 2026');
    expect(dateWords('2026-12-05T23:30:00-05:00')).toBe('6 December 2026');
  });

  it('joins a list with commas and "and", or "or"', () => {
    expect(listWords([])).toBe('');
    expect(listWords(['a'])).toBe('a');
    expect(listWords(['a', 'b'])).toBe('a and b');
    expect(listWords(['a', 'b', 'c'], 'or')).toBe('a, b or c');
  });

  it('counts with the noun in agreement', () => {
    expect(countWords(1, 'item')).toBe('1 item');
    expect(countWords(2, 'item')).toBe('2 items');
    expect(countWords(0, 'box')).toBe('0 boxes');
    expect(countWords(3, 'battery')).toBe('3 batteries');
    expect(countOfWords(1, 2, 'item')).toBe('1 of 2 items');
    expect(countOfWords(1, 1, 'item')).toBe('1 of 1 item');
    expect(plural('day')).toBe('days');
  });
});

describe('lookup', () => {
  it('reads a field through a list, flattening one level', () => {
    expect(lookup({ order: delivered }, ['order', 'fulfillments', 'tracking_id'])).toEqual(['964771454373']);
    expect(lookup({ order: delivered }, ['order', 'items', 'name'])).toEqual([
      'Tablet',
      'Smart Thermostat',
      'Electric Kettle',
      'Jigsaw Puzzle',
    ]);
    expect(lookup({ order: pending }, ['order', 'fulfillments', 'tracking_id'])).toEqual([]);
  });

  it('indexes a list by number, and finds nothing in a list of scalars', () => {
    expect(lookup({ order: delivered }, ['order', 'items', '1', 'name'])).toBe('Smart Thermostat');
    expect(lookup({ ids: ['1', '2'] }, ['ids', 'price_difference'])).toBeUndefined();
  });
});

describe('render', () => {
  it('says the tracking number of an order through its fulfilments', () => {
    expect(render('Tracking: {order.fulfillments.tracking_id}.', { order: delivered })).toBe(
      'Tracking: 964771454373.',
    );
    const twoParcels = {
      fulfillments: [
        { tracking_id: ['111'], item_ids: ['a'] },
        { tracking_id: ['222', '333'], item_ids: ['b'] },
      ],
    };
    expect(render('{order.fulfillments.tracking_id}', { order: twoParcels })).toBe('111, 222 and 333');
  });

  it('says an empty list as "none", never "unknown"', () => {
    expect(render('{order.fulfillments.tracking_id}', { order: pending })).toBe('none');
  });

  it('says the items of an order by name, attributes and price', () => {
    expect(render('{order.items}', { order: delivered })).toBe(
      'Tablet (silver, 7-inch screen size, 32GB storage) for $1,042.93, Smart Thermostat (black, Google Assistant compatibility) for $249.01, Electric Kettle (1L capacity, white, plastic material) for $164.46 and Jigsaw Puzzle (intermediate difficulty level, 1000 pieces, fantasy theme) for $49.10',
    );
  });

  it('says the same item twice once, with its count', () => {
    expect(render('{order.items}', { order: twoJackets })).toContain(
      '2 × Fleece Jacket (navy, extra large, half zipper) for $157.61 each',
    );
  });

  it('says money by the field it is in, and other numbers as they are', () => {
    expect(render('{order.payment_history.amount}', { order: delivered })).toBe('$1,505.50');
    expect(render('{order.count}', { order: { count: 3 } })).toBe('3');
  });

  it('says a fulfilment by its tracking number and how many of the items it carries', () => {
    expect(render('{order.fulfillments}', { order: delivered })).toBe(
      'tracking number 964771454373 for all 4 items',
    );
    const partial = {
      items: [
        { name: 'Water Bottle', item_id: 'a' },
        { name: 'Office Chair', item_id: 'b' },
      ],
      fulfillments: [{ tracking_id: ['357962501027'], item_ids: ['a'] }],
    };
    expect(render('{order.fulfillments}', { order: partial })).toBe(
      'tracking number 357962501027 for the Water Bottle (1 of 2 items)',
    );
  });

  it('says an address on one line and payment methods by what they are', () => {
    expect(render('{order.address}', { order: delivered })).toBe(
      '998 Lakeview Drive, Suite 605, Dallas, TX 75374, USA',
    );
    const methods = {
      gift_card_1: { source: 'gift_card', id: 'gift_card_1', balance: 1072.5 },
      credit_card_2: { source: 'credit_card', id: 'credit_card_2', brand: 'visa', last_four: '8643' },
      paypal_3: { source: 'paypal', id: 'paypal_3' },
    };
    expect(render('{user.payment_methods}', { user: { payment_methods: methods } })).toBe(
      'the gift card (balance $1,072.50), the Visa ending 8643 and PayPal',
    );
  });

  it('says dates and yes/no values in words', () => {
    expect(display('2026-12-05T10:00:00Z')).toBe('5 December 2026');
    expect(display(true)).toBe('yes');
  });

  it('lists a product’s variants in words, never by id', () => {
    const said = render('{product.name} comes in these options: {product.variants}.', { product: tShirt });
    expect(said).not.toMatch(/\d{10}/);
    expect(said).toContain(
      'T-Shirt comes in these options: small — black, polyester material, crew neck style ($52.88); blue, cotton material, v-neck style ($53.43)',
    );
    expect(said).toMatch(/2 more are out of stock\.$/);
  });
});

describe('variantsOverview', () => {
  const variant = (options: Record<string, string>, price: number, available = true) => ({
    item_id: String(Math.round(price * 100)).padStart(10, '0'),
    options,
    available,
    price,
  });

  it('groups by the attribute with the most values, smallest size first, cheapest first', () => {
    const said = variantsOverview({
      a: variant({ size: 'L', color: 'red' }, 20),
      b: variant({ size: 'S', color: 'red' }, 12),
      c: variant({ size: 'M', color: 'blue' }, 15),
      d: variant({ size: 'S', color: 'blue' }, 10),
    });
    expect(said).toBe('small — blue ($10.00); red ($12.00). Medium — blue ($15.00). Large — red ($20.00)');
  });

  it('counts what cannot be had instead of listing it', () => {
    const said = variantsOverview([
      variant({ color: 'red' }, 20),
      variant({ color: 'blue' }, 21, false),
      variant({ color: 'green' }, 22, false),
    ]);
    expect(said).toBe('red ($20.00). 2 more are out of stock');
    expect(variantsOverview([variant({ color: 'red' }, 20), variant({ color: 'blue' }, 21, false)])).toBe(
      'red ($20.00). 1 more is out of stock',
    );
  });

  it('says so when nothing can be had', () => {
    expect(
      variantsOverview([variant({ color: 'red' }, 20, false), variant({ color: 'blue' }, 21, false)]),
    ).toBe('none that can be had right now (all 2 are out of stock)');
  });

  it('sums up a big group by what can be chosen and the price range', () => {
    const variants = ['plain', 'graphic', 'custom'].flatMap((design, i) =>
      ['28 inch', '31 inch', '34 inch'].flatMap((length, j) =>
        ['maple', 'bamboo'].map((deck, k) => variant({ design, length, deck }, 100 + i * 10 + j * 2 + k)),
      ),
    );
    expect(variantsOverview(variants)).toBe(
      'custom design — bamboo or maple deck; 28, 31 or 34 inch length; $120.00 to $125.00. Graphic design — bamboo or maple deck; 28, 31 or 34 inch length; $110.00 to $115.00. Plain design — bamboo or maple deck; 28, 31 or 34 inch length; $100.00 to $105.00',
    );
  });
});
