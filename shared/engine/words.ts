import { isMoneyName } from '../aop/types.ts';
/**
 * Values as a person says them in a reply: money, dates, lists and counts. Shared by the placeholder
 * renderer and anything else that words a value for the customer.
 */

/** A field whose number is an amount of money (shared/aop/types.ts: one list for compiler and runtime). */
export const isMoneyField = isMoneyName;

const MONEY = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** "$47.84", "$1,042.93", "-$3.10". */
export function moneyWords(amount: number): string {
  return `${amount < 0 ? '-' : ''}$${MONEY.format(Math.abs(amount))}`;
}

/** `2026-12-05` or `2026-12-05T10:30:00Z` (an ISO date, alone or with a time). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export function isIsoDate(text: string): boolean {
  return ISO_DATE.test(text) && !Number.isNaN(Date.parse(text));
}

const DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** "5 December 2026": the day in UTC, so a replay says the same whatever the machine's zone. */
export function dateWords(iso: string): string {
  return DATE.format(new Date(iso));
}

/** "a", "a and b", "a, b and c"; `joiner` "or" for alternatives. */
export function listWords(phrases: readonly string[], joiner = 'and'): string {
  if (phrases.length <= 1) return phrases[0] ?? '';
  return `${phrases.slice(0, -1).join(', ')} ${joiner} ${phrases[phrases.length - 1]}`;
}

/** "item" → "items", "box" → "boxes", "battery" → "batteries": enough for the nouns a reply counts. */
export function plural(noun: string): string {
  if (/[^aeiou]y$/i.test(noun)) return `${noun.slice(0, -1)}ies`;
  if (/(?:s|x|z|ch|sh)$/i.test(noun)) return `${noun}es`;
  return `${noun}s`;
}

/** "1 item", "2 items", "0 items". */
export function countWords(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : plural(noun)}`;
}

/** "1 of 2 items", "2 of 2 items"; the noun agrees with the whole. */
export function countOfWords(part: number, whole: number, noun: string): string {
  return `${part} of ${countWords(whole, noun)}`;
}

/** "is" for one, "are" for several: "1 more is out of stock", "2 more are out of stock". */
export function isAre(count: number): string {
  return count === 1 ? 'is' : 'are';
}
