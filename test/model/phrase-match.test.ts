import { describe, expect, it } from 'vitest';
import {
  matchOption,
  matchOptions,
  matchOptionsStrictly,
} from '../../infra/local/model-endpoint/phrase-match.ts';

/** Choices as customers name them: spelled their own way, or the one thing offered. */

const ITEMS = [
  { value: '1', label: 'T-Shirt (blue, small)' },
  { value: '2', label: 'Wristwatch (white dial)' },
  { value: '3', label: 'E-Reader (8 GB)' },
];
const ONE_ORDER = [{ value: '#W1', label: '#W1: desk lamp, pending' }];

describe('matching listed choices', () => {
  it('reads a hyphenated name typed as one word ("tshirt", "ereader")', () => {
    expect(matchOptions('the tshirt and the wristwatch', ITEMS)).toEqual(['1', '2']);
    expect(matchOption('the ereader', ITEMS)).toBe('3');
  });

  it('mends a slip of a word a choice is named by ("dumbells", "labtop", "backpak")', () => {
    const orders = [
      { value: '#W9291999', label: '#W9291999: laptop, delivered' },
      { value: '#W6581939', label: '#W6581939: backpack, t-shirt, wristwatch and dumbbell set, delivered' },
    ];
    expect(matchOption('the one with the dumbells', orders)).toBe('#W6581939');
    expect(matchOption('the labtop one', orders)).toBe('#W9291999');
    expect(matchOption('the backpak order', orders)).toBe('#W6581939');
  });

  it('reads "instead of X" and "rather than X" as not X', () => {
    const methods = [
      { value: 'credit_card_7507679', label: 'the Visa ending 8643' },
      { value: 'paypal_2870241', label: 'PayPal' },
    ];
    expect(matchOption('with my visa instead of paypal', methods)).toBe('credit_card_7507679');
    expect(matchOption('paypal rather than the visa', methods)).toBe('paypal_2870241');
  });

  it('takes "the only one" or "that one" when one choice was offered, never a refusal of it', () => {
    expect(matchOption('the only one', ONE_ORDER)).toBe('#W1');
    expect(matchOption('yes that one', ONE_ORDER)).toBe('#W1');
    expect(matchOption('no not that one', ONE_ORDER)).toBeUndefined();
    expect(matchOption('the only one', ITEMS)).toBeUndefined();
  });

  it('reads several choices named before they were asked only when each part names exactly one', () => {
    const order = [
      { value: 'b', label: 'Backpack (black)' },
      { value: 'v', label: 'Vacuum Cleaner (canister)' },
    ];
    expect(matchOptionsStrictly('return the backpack and the vacuum cleaner', order)).toEqual(['b', 'v']);
    expect(matchOptionsStrictly('return the backpack i got with the vacuum cleaner', order)).toBeUndefined();
    expect(matchOptionsStrictly('i want to return something', order)).toBeUndefined();
  });
});
