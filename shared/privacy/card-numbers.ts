/**
 * Payment card numbers never enter the event log. A customer who types one ("visa 4111 1111 1111
 * 1111 exp 12/29") has it replaced before the message is stored or read by a model: the log is kept
 * for years, exported to reviewers and replayed, and a card number in it would put every one of those
 * places in scope of PCI DSS. The tools take saved payment methods only; a new card is added where
 * the payment provider collects it.
 *
 * A card number here is 13 to 19 digits, alone or in groups split by spaces or dashes, that passes the
 * Luhn check: order ids (#W + 7 digits), item ids (10), tracking numbers (12) and zip codes are shorter,
 * and a long number that fails the check is left as typed.
 */
export const CARD_NUMBER_REMOVED = '[card number removed]';

const CANDIDATE = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;

export function redactCardNumbers(text: string): string {
  return text.replace(CANDIDATE, (candidate) => {
    const digits = candidate.replace(/[ -]/g, '');
    return digits.length >= 13 && digits.length <= 19 && luhn(digits) ? CARD_NUMBER_REMOVED : candidate;
  });
}

function luhn(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}
