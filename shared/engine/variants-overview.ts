import { attributeWords, LETTER_SIZES, sortedAttributes } from './attributes.ts';
import { isAre, listWords, moneyWords } from './words.ts';

/**
 * A product's variants as a shop assistant lists them: the ones that can be had, grouped by the
 * attribute that varies most, each with what else sets it apart and its price, and how many more
 * cannot be had ("small — black, polyester material ($52.88); blue, cotton material ($53.43). Medium —
 * … 2 more are out of stock"). Never the ids: the customer knows a variant by what it is.
 */

interface Offer {
  readonly options: Readonly<Record<string, string>>;
  readonly available: boolean;
  readonly price: number | null;
}

/** A map (or list) of records that each have attributes (`options`) and say whether they can be had. */
export function isVariants(value: unknown): boolean {
  const entries = entriesOf(value);
  return entries.length > 0 && entries.every((entry) => offerOf(entry) !== null);
}

export function variantsOverview(value: unknown): string {
  const offers = entriesOf(value).flatMap((entry) => offerOf(entry) ?? []);
  const available = offers.filter((offer) => offer.available);
  const unavailable = offers.length - available.length;
  if (available.length === 0)
    return `none that can be had right now (${unavailable === 1 ? 'the only one is' : `all ${unavailable} are`} out of stock)`;
  const key = groupingKey(available);
  const groups = key ? groupsBy(available, key) : [{ label: '', offers: available }];
  const said = groups.map(({ label, offers: group }, index) => {
    const entries = groupWords(group, key);
    if (!label) return entries;
    return `${index === 0 ? label : capitalised(label)} — ${entries}`;
  });
  const rest = unavailable > 0 ? [`${unavailable} more ${isAre(unavailable)} out of stock`] : [];
  return [...said, ...rest].join('. ');
}

function entriesOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value !== null && typeof value === 'object' ? Object.values(value) : [];
}

function offerOf(entry: unknown): Offer | null {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return null;
  const record = entry as Record<string, unknown>;
  const options = record.options;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) return null;
  if (typeof record.available !== 'boolean') return null;
  const words: Record<string, string> = {};
  for (const [name, field] of Object.entries(options))
    if (typeof field === 'string' || typeof field === 'number') words[name] = String(field);
  return {
    options: words,
    available: record.available,
    price: typeof record.price === 'number' ? record.price : null,
  };
}

/** The attribute with the most different values (by name when tied); none when nothing varies. */
function groupingKey(offers: readonly Offer[]): string | null {
  let best: { key: string; count: number } | null = null;
  const keys = [...new Set(offers.flatMap((offer) => Object.keys(offer.options)))].sort();
  for (const key of keys) {
    const count = new Set(offers.map((offer) => offer.options[key])).size;
    if (count > 1 && (!best || count > best.count)) best = { key, count };
  }
  return best?.key ?? null;
}

function groupsBy(offers: readonly Offer[], key: string): { label: string; offers: Offer[] }[] {
  const values = [...new Set(offers.map((offer) => offer.options[key] ?? ''))].sort(valueOrder);
  return values.map((value) => ({
    label: value ? optionWords(key, value) : `no ${key}`,
    offers: offers.filter((offer) => (offer.options[key] ?? '') === value),
  }));
}

/** Letter sizes from small to large, numbers ("4mm", "10 inch") by size, anything else alphabetically. */
function valueOrder(a: string, b: string): number {
  const sizeA = LETTER_SIZES.indexOf(a.toUpperCase());
  const sizeB = LETTER_SIZES.indexOf(b.toUpperCase());
  if (sizeA >= 0 && sizeB >= 0) return sizeA - sizeB;
  const numberA = Number.parseFloat(a);
  const numberB = Number.parseFloat(b);
  if (!Number.isNaN(numberA) && !Number.isNaN(numberB) && numberA !== numberB) return numberA - numberB;
  return a < b ? -1 : a > b ? 1 : 0;
}

function byPrice(offers: readonly Offer[]): Offer[] {
  return [...offers].sort((a, b) => (a.price ?? 0) - (b.price ?? 0));
}

/** Up to this many offers in a group are said one by one; more are summed up by their attributes. */
const LISTED = 4;

/**
 * A group's offers, cheapest first: each one ("black, polyester material ($52.88); blue, …") or, in a
 * big group, what can be chosen and the prices ("custom, graphic or plain design; 28, 31 or 34 inch
 * length; $180.10 to $217.06").
 */
function groupWords(offers: readonly Offer[], groupKey: string | null): string {
  const sorted = byPrice(offers);
  if (sorted.length <= LISTED) return sorted.map((offer) => offerWords(offer, groupKey)).join('; ');
  const keys = [...new Set(sorted.flatMap((offer) => Object.keys(offer.options)))].sort();
  const choices = keys
    .filter((key) => key !== groupKey)
    .map((key) => {
      const values = [...new Set(sorted.map((offer) => offer.options[key]).filter((v) => v !== undefined))];
      return choiceWords(key, values.sort(valueOrder));
    });
  const prices = sorted.flatMap((offer) => (offer.price === null ? [] : [offer.price]));
  const cheapest = prices[0];
  const dearest = prices[prices.length - 1];
  const range =
    cheapest === undefined || dearest === undefined
      ? []
      : [cheapest === dearest ? moneyWords(cheapest) : `${moneyWords(cheapest)} to ${moneyWords(dearest)}`];
  return [...choices, ...range].join('; ');
}

/** "28, 31 or 34 inch length" (the attribute and the unit said once), "black or white", "waterproof or not waterproof". */
function choiceWords(key: string, values: readonly string[]): string {
  const [named, keyTail] = withoutTail(
    values.map((value) => optionWords(key, value)),
    ` ${key}`,
  );
  const [choices, unitTail] = withoutTail(named, ` ${named[0]?.split(' ').pop() ?? ''}`);
  return `${listWords(choices, 'or')}${unitTail}${keyTail}`;
}

/** The words without a tail they all end with, and that tail; or the words as they are, and ''. */
function withoutTail(words: readonly string[], tail: string): [string[], string] {
  const shared = words.length > 1 && words.every((word) => word.endsWith(tail) && word.length > tail.length);
  return shared ? [words.map((word) => word.slice(0, -tail.length)), tail] : [[...words], ''];
}

/** "black, polyester material ($52.88)": the attributes other than the group's, then the price. */
function offerWords(offer: Offer, groupKey: string | null): string {
  const others = Object.fromEntries(Object.entries(offer.options).filter(([key]) => key !== groupKey));
  const words = sortedAttributes(others)
    .map(([key, value]) => optionWords(key, value))
    .join(', ');
  const price = offer.price === null ? '' : moneyWords(offer.price);
  if (!words) return price || 'as it is';
  return price ? `${words} (${price})` : words;
}

function capitalised(text: string): string {
  return text.length > 0 ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/**
 * An attribute as `attributeWords` says it, but "none" as "no backlight": read, not matched. (A choice
 * among variants keeps "none backlight", the words the local model matches "none for the backlight" by.)
 */
function optionWords(key: string, value: string): string {
  return /^none$/i.test(value) ? `no ${key}` : attributeWords(key, value);
}
