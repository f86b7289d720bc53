import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../infra/local/model-endpoint/phrase-match.ts';

/**
 * A question asked at a confirmation is read with the action being confirmed: "will i get money back?"
 * fits three refund entries of the subscription tenant's FAQ alike; cancelling a monthly plan says which.
 * The context breaks ties among entries the message fits; it never picks one the message does not.
 */
const ENTRIES = [
  { value: 'refund-timing', label: 'How long does a refund take? When will I see my money back?' },
  {
    value: 'annual-refund',
    label: 'How is the refund worked out when I cancel an annual plan? Do I get money back?',
  },
  {
    value: 'monthly-refund',
    label: 'Do I get a refund if I cancel a monthly plan? Is the current month refunded?',
  },
  {
    value: 'watch-after-cancel',
    label: 'Can I still watch after cancelling? What happens to my account when I cancel?',
  },
];
const CANCEL_MONTHLY =
  'I will cancel your Standard monthly subscription. You keep watching until 3 April 2026 and will not be charged again; the current month is not refunded. Shall I go ahead?';

describe('FAQ entries read with the confirmation asked', () => {
  it('tells entries the message fits alike apart by the action being confirmed', () => {
    expect(matchRoute('wait will i get money back?', ENTRIES)).toBeUndefined();
    expect(matchRoute('wait will i get money back?', ENTRIES, CANCEL_MONTHLY)).toBe('monthly-refund');
  });

  it('keeps a clear match, and adds none the message does not fit', () => {
    expect(matchRoute('how long does a refund take?', ENTRIES, CANCEL_MONTHLY)).toBe('refund-timing');
    expect(matchRoute('do you sell gift cards?', ENTRIES, CANCEL_MONTHLY)).toBeUndefined();
  });

  it('never overturns the entry the message leans to (retail: an extra charge at an address change)', () => {
    const retail = [
      {
        value: 'refund-destination',
        label: 'Where does the refund go? Can I get the refund on another card or payment method?',
      },
      {
        value: 'gift-card-balance',
        label: 'Can I pay with a gift card? What if my gift card balance is too low?',
      },
    ];
    const address =
      'I will ship order #W1123136 to 12 Pine Street Suite 300, Denver, CO 80202, USA. Shall I go ahead?';
    expect(matchRoute('will i be charged extra for that?', retail, address)).toBeUndefined();
  });
});
