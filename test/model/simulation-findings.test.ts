import { describe, expect, it } from 'vitest';
import { conversation } from '../../aops/retail/conversation.ts';
import { classifyConsent } from '../../infra/local/model-endpoint/dialogue.ts';
import { matchQuestion } from '../../infra/local/model-endpoint/faq-match.ts';
import { unlistedIds } from '../../infra/local/model-endpoint/ids.ts';
import { findName } from '../../infra/local/model-endpoint/names.ts';

/**
 * Found by `aop simulate`: an id the customer typed that is none of the listed choices was read as the
 * listed one whose words it shares ("credit_card_4467209" → the customer's only gift card, "card"); one
 * of an FAQ entry's two questions asked alone was diluted by the other; "hmm no" at a confirmation was
 * unclear (then a hand-over); fillers around a name and zip lost the name; "go ahead" became a name.
 */
describe('ids not on the list', () => {
  const cards = [
    { value: 'gift_card_1725971', label: 'the gift card (balance $17.00) (gift_card_1725971)' },
    { value: 'credit_card_6699629', label: 'the Visa ending 6348 (credit_card_6699629)' },
  ];

  it('another payment method id of the same shape, whatever its kind, is unlisted', () => {
    expect(unlistedIds('credit_card_4467209', cards)).toEqual(['credit_card_4467209']);
    expect(unlistedIds('use paypal_1234567 please', cards)).toEqual(['paypal_1234567']);
  });

  it('a listed id, and words without an id, are not', () => {
    expect(unlistedIds('credit_card_6699629', cards)).toEqual([]);
    expect(unlistedIds('the gift card', cards)).toEqual([]);
  });

  it('order ids keep their prefix; a bare number is an id only at the length of every option', () => {
    const orders = [{ value: '#W2912153', label: '#W2912153: desk lamp, delivered' }];
    expect(unlistedIds('it is #W0000001', orders)).toEqual(['#W0000001']);
    expect(unlistedIds('#w2912153', orders)).toEqual([]);
    const products = [
      { value: '1270145486', label: 'Desk Lamp' },
      { value: '9523456873', label: 'T-Shirt' },
    ];
    expect(unlistedIds('zip 94110', products)).toEqual([]);
    expect(unlistedIds('$1270.14 for 2', products)).toEqual([]);
    expect(unlistedIds('its 0000000001', products)).toEqual(['0000000001']);
    expect(unlistedIds('1270145486', products)).toEqual([]);
    // Item ids of different lengths, or short ones, have no shape.
    expect(unlistedIds('1234567', [{ value: '7654321', label: 'Desk Lamp' }])).toEqual([]);
  });
});

describe("an FAQ entry's questions, one at a time", () => {
  // The retail FAQ as the engine is given it (its idf depends on every entry).
  const entries = conversation.faq.map((entry) => ({ value: entry.id, label: entry.question }));

  it('one question asked alone finds its entry', () => {
    expect(matchQuestion('how do i send the items back?', entries)).toBe('return-shipping');
  });

  it('a question sharing one word with one of them is not it', () => {
    expect(matchQuestion('will i be charged extra for that?', entries)).toBeUndefined();
  });
});

describe('a sound of thinking before the answer at a confirmation', () => {
  it('"hmm no" is a no and "hmm ok go ahead" a yes', () => {
    expect(classifyConsent('hmm no')).toBe('decline');
    expect(classifyConsent('hmm nope')).toBe('decline');
    expect(classifyConsent('hmm ok go ahead')).toBe('agree');
    expect(classifyConsent('um yes please thanks')).toBe('agree');
  });

  it('alone, or putting the answer off, it is still hesitation', () => {
    expect(classifyConsent('hmm')).toBe('unclear');
    expect(classifyConsent('hmm let me see')).toBe('unclear');
    expect(classifyConsent('hmm no, not yet')).toBe('unclear');
  });
});

describe('"go ahead" is never a name', () => {
  it('reads no name from a consent with fillers', () => {
    expect(findName('hmm ok go ahead')).toBeUndefined();
    expect(findName('um Harper Ahmed, zip code 19147!!')).toMatchObject({ first: 'Harper', last: 'Ahmed' });
  });
});
