import { describe, expect, it } from 'vitest';
import { CARD_NUMBER_REMOVED, redactCardNumbers } from '../../shared/privacy/card-numbers.ts';

describe('card numbers typed into a message', () => {
  it('are removed, however they are grouped', () => {
    expect(redactCardNumbers('visa 4111111111111111 exp 12/29')).toBe(
      `visa ${CARD_NUMBER_REMOVED} exp 12/29`,
    );
    expect(redactCardNumbers('its 4111 1111 1111 1111')).toBe(`its ${CARD_NUMBER_REMOVED}`);
    expect(redactCardNumbers('amex 3782-822463-10005 thanks')).toBe(`amex ${CARD_NUMBER_REMOVED} thanks`);
    expect(redactCardNumbers('5555555555554444, 5105105105105100')).toBe(
      `${CARD_NUMBER_REMOVED}, ${CARD_NUMBER_REMOVED}`,
    );
  });

  it('leave ids, tracking numbers, zips and numbers that fail the check as typed', () => {
    for (const text of [
      'order #W5918442, item 2499294441',
      'tracking 890874465580',
      'zip 78786 and phone 555-123-4567',
      'credit_card_3951670',
      '4111111111111112',
      'pay $1,042.93 on 2024-05-01',
    ])
      expect(redactCardNumbers(text)).toBe(text);
  });
});
