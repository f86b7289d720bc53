import { describe, expect, it } from 'vitest';
import type { VariantsSpec } from '../../shared/engine/turn-state.ts';
import {
  takeVariant,
  type Variant,
  type VariantSlot,
  variantQuestion,
  variantRequests,
  variantsKey,
} from '../../shared/engine/variants.ts';

/**
 * `choosing from the other available variants of …` (an exchange is for another option): the chosen
 * item's own variant is neither listed nor taken, and asking for it says why. Without "other" it is
 * offered as "the same as yours (a new one)".
 */

const boots = (value: string, size: string, material: string, price: number, available = true): Variant => ({
  value,
  name: 'Hiking Boots',
  options: { size, material, waterproof: 'yes' },
  available,
  price,
});
const own = boots('1615379700', '10', 'synthetic', 253.89);
const leatherNine = boots('8106223139', '9', 'leather', 249.12);
const leatherEleven = boots('6159919747', '11', 'leather', 259.75);

const spec = (others: boolean): VariantsSpec => ({
  per: 'item_ids',
  records: '$.facts.order.items',
  key: 'product_id',
  tool: 'get_product_details',
  list: 'variants',
  value: 'item_id',
  available: 'available',
  price: 'price',
  ...(others ? { others: true } : {}),
});
const slot = (others: boolean): VariantSlot => ({
  name: 'new_item_ids',
  description: 'the new item ids',
  schema: { type: 'array', items: { type: 'string' } },
  variants: spec(others),
});
const facts = {
  item_ids: [own.value],
  [variantsKey('new_item_ids')]: {
    of: [own.value],
    groups: [{ item: own, variants: [own, leatherNine, leatherEleven] }],
  },
};

describe('variants of the chosen items: "other" leaves the own one out', () => {
  it('lists the own variant as "the same as yours" without "other", and not at all with it', () => {
    expect(variantQuestion(slot(false), facts)).toContain('- the same as yours (a new one): same price');
    const question = variantQuestion(slot(true), facts) ?? '';
    expect(question).not.toContain('the same as yours');
    expect(question).toContain('- leather material, size 9 (smaller): $4.77 less');
  });

  it('refuses the own variant with the reason, and takes another', () => {
    expect(takeVariant(slot(true), facts, own.value, undefined)).toEqual({
      kind: 'unavailable',
      text: 'Sorry, I can only change your Hiking Boots for a different option, not for the same one.',
    });
    expect(takeVariant(slot(false), facts, own.value, undefined)).toMatchObject({ kind: 'picked' });
    expect(takeVariant(slot(true), facts, leatherNine.value, undefined)).toMatchObject({
      kind: 'picked',
      complete: [leatherNine.value],
    });
  });

  it('gives the model every variant with its price, the own one marked as not to be had', () => {
    const [request] = variantRequests(slot(true), facts);
    expect(request?.options).toEqual([
      { value: own.value, label: 'the same as yours (a new one), $253.89, not available' },
      {
        value: leatherNine.value,
        label: 'leather material, size 9 (smaller) (leather material, size 9, waterproof), $249.12',
      },
      {
        value: leatherEleven.value,
        label: 'leather material, size 11 (bigger) (leather material, size 11, waterproof), $259.75',
      },
    ]);
  });
});
