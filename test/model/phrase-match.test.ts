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

describe('choosing several alike, and choosing by price', () => {
  const order = [
    { value: '4545791457', label: 'Skateboard (plastic deck, 28 inch length), $186.06 (4545791457)' },
    { value: '1345513440', label: 'Vacuum Cleaner (canister, cordless), $655.59 (1345513440)' },
    { value: '3098764622', label: 'Skateboard (plastic deck, 34 inch length), $202.13 (3098764622)' },
    { value: '1631806422', label: 'Smart Watch (black, metal band), $339.85 (1631806422)' },
  ];

  it('reads "both", "the two", "all the" and a plural as every item the words fit', () => {
    expect(matchOptions('Both skateboards.', order)).toEqual(['4545791457', '3098764622']);
    expect(matchOptions('the skateboards', order)).toEqual(['4545791457', '3098764622']);
    expect(matchOptions('the two skateboards and the smart watch', order)).toEqual([
      '4545791457',
      '3098764622',
      '1631806422',
    ]);
    expect(matchOptions('the 28 inch skateboard', order)).toEqual(['4545791457']);
    // A singular that fits two is still a question, not a guess.
    expect(matchOptions('the skateboard', order)).toEqual([]);
  });

  it('chooses one item listed twice (two identical kettles) twice, never more', () => {
    const kettles = [
      { value: '7292993796', label: 'Tea Kettle (glass, 2 liters, induction), $94.80' },
      { value: '7292993796', label: 'Tea Kettle (glass, 2 liters, induction), $94.80' },
    ];
    expect(matchOptions('both tea kettles', kettles)).toEqual(['7292993796', '7292993796']);
    expect(matchOptions('the tea kettles', kettles)).toEqual(['7292993796', '7292993796']);
    expect(matchOptions('7292993796 and 7292993796 and 7292993796', kettles)).toEqual([
      '7292993796',
      '7292993796',
    ]);
  });

  it('one item listed twice is named by its description once (found by aop simulate)', () => {
    const items = [
      { value: '8384507844', label: 'Desk Lamp (medium brightness, white), $137.94' },
      { value: '8590708195', label: 'Fleece Jacket (navy, XL, half zipper), $157.00' },
      { value: '8590708195', label: 'Fleece Jacket (navy, XL, half zipper), $157.00' },
    ];
    expect(matchOptions('fleece jacket (navy, xl, half zipper)', items)).toEqual(['8590708195']);
    expect(matchOptions('the fleece jacket', items)).toEqual(['8590708195']);
    expect(matchOptions('both fleece jackets', items)).toEqual(['8590708195', '8590708195']);
    // Read early from a request, "the two" still means both (τ² task 105: "the two tea kettles").
    expect(matchOptionsStrictly('exchange the two fleece jackets', items)).toEqual([
      '8590708195',
      '8590708195',
    ]);
    expect(matchOptionsStrictly('exchange the fleece jacket', items)).toEqual(['8590708195']);
  });

  it('picks the cheapest or the most expensive among what the rest of the words fit', () => {
    const speakers = [
      { value: 'a', label: 'green, not water resistant (green, 10 hours battery), $271.89' },
      { value: 'b', label: 'green, water resistant (green, 20 hours battery), $301.00' },
      { value: 'c', label: 'black (black, 20 hours battery), $250.00' },
      { value: 'd', label: 'red (red, 20 hours battery), $200.00, not available' },
    ];
    expect(matchOption('the cheapest one', speakers)).toBe('c');
    expect(matchOption('the cheapest green one', speakers)).toBe('a');
    expect(matchOption('the most expensive', speakers)).toBe('b');
    expect(matchOption('whichever is pricier, in black', speakers)).toBe('c');
    // No prices listed: the words are read as they always were.
    expect(matchOption('the cheaper one with the desk lamp', ONE_ORDER)).toBe('#W1');
  });
});
