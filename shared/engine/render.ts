import { attributesWords } from './attributes.ts';
import { isVariants, variantsOverview } from './variants-overview.ts';
import {
  countOfWords,
  countWords,
  dateWords,
  isIsoDate,
  isMoneyField,
  listWords,
  moneyWords,
} from './words.ts';

/**
 * Fills `{fact.path}` placeholders in a reply from the turn's facts. Missing values render as "unknown".
 * A value the customer chose by id (`{payment_method_id}`, `{item_ids}`) is said by the record it
 * names, found among the facts ("the Visa ending 8643", "Cycling Helmet (large, blue)"), never as the
 * bare id: the customer chose it by what it is. Everything else is said as `display` says it.
 */
export function render(text: string, facts: Record<string, unknown>): string {
  const filled = text.replace(/\{([a-zA-Z_][\w.]*)\}/g, (_, path: string) => {
    const parts = path.split('.');
    const value = valueAt(facts, parts);
    if (parts.length === 1) return displayChosen(value, facts, parts[0]!);
    return display(value, { field: parts[parts.length - 1]!, owner: lookup(facts, parts.slice(0, -1)) });
  });
  // An empty value ("{address1} {address2}, {city}" with no second line) leaves no stray space.
  return filled === text ? filled : filled.replace(/(\S) {2,}(?=\S)/g, '$1 ').replace(/(\S) +,/g, '$1,');
}

/**
 * The value at a placeholder's path; `{new_item_ids.price_difference}` is also the derived fact
 * `new_item_ids:price_difference` (what the runtime works out about a choice, shared/engine/variants.ts).
 */
function valueAt(facts: Record<string, unknown>, path: readonly string[]): unknown {
  const derived = path.length === 2 ? facts[`${path[0]}:${path[1]}`] : undefined;
  return derived !== undefined ? derived : lookup(facts, path);
}

/**
 * The value at a path. A key after a list reads that field of every element, lists flattened one
 * level: `order.fulfillments.tracking_id` is every tracking id of the order. A number indexes the list.
 */
export function lookup(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current) && !/^\d+$/.test(key)) current = fieldOfEach(current, key);
    else if (current === null || typeof current !== 'object') return undefined;
    else current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function fieldOfEach(list: readonly unknown[], key: string): unknown[] | undefined {
  // A list of ids or words has no fields: nothing is there, as for any scalar.
  if (list.length > 0 && list.every((element) => element === null || typeof element !== 'object'))
    return undefined;
  return list.flatMap((element) => {
    if (element === null || typeof element !== 'object') return [];
    const field = (element as Record<string, unknown>)[key];
    return field === undefined || field === null ? [] : Array.isArray(field) ? field : [field];
  });
}

/** Where a value was found: the field's name says what a number is; the record holding it, the whole. */
export interface Shown {
  readonly field?: string;
  readonly owner?: unknown;
}

/**
 * A value in words: money as "$1,042.93" (by the field's name), ISO dates as "5 December 2026",
 * lists as "a, b and c", records by what a person knows them by, variants as `variantsOverview` says.
 */
export function display(value: unknown, shown: Shown = {}): string {
  if (value === undefined || value === null) return 'unknown';
  if (typeof value === 'number') return isMoneyField(shown.field ?? '') ? moneyWords(value) : String(value);
  if (typeof value === 'string') return isIsoDate(value) ? dateWords(value) : value;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (isVariants(value)) return variantsOverview(value);
  if (Array.isArray(value)) return listDisplay(value, shown);
  return recordDisplay(value as Record<string, unknown>, shown);
}

/** "none", "a", "a, b and c"; the same record twice is said once with its count ("2 × Lamp for $9.50 each"). */
function listDisplay(values: readonly unknown[], shown: Shown): string {
  if (values.length === 0) return 'none';
  const phrases = values.map((value) => display(value, shown));
  if (!values.every((value) => value !== null && typeof value === 'object')) return listWords(phrases);
  const counts = new Map<string, number>();
  for (const phrase of phrases) counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
  return listWords(
    [...counts].map(([phrase, count]) =>
      count === 1 ? phrase : `${count} × ${phrase}${/\$[\d,.]+$/.test(phrase) ? ' each' : ''}`,
    ),
  );
}

function recordDisplay(record: Record<string, unknown>, shown: Shown): string {
  if ('tracking_id' in record || 'tracking_ids' in record) return shipmentWords(record, shown.owner);
  if (typeof record.address1 === 'string' && typeof record.city === 'string') return addressWords(record);
  if (describable(record)) {
    const price = typeof record.price === 'number' ? ` for ${moneyWords(record.price)}` : '';
    return `${describeRecord(record)}${price}`;
  }
  const values = Object.values(record).filter((field) => field !== null && field !== undefined);
  // A map of records (payment methods by id) is the list of them; otherwise its scalars ("Sofia Rossi").
  if (values.length > 0 && values.every((field) => typeof field === 'object'))
    return listDisplay(values, shown);
  return Object.entries(record)
    .filter(([, field]) => typeof field === 'string' || typeof field === 'number')
    .map(([field, scalar]) => display(scalar, { field }))
    .join(' ');
}

/**
 * A fulfilment: "tracking number 357962501027 for all 2 items", or, when it carries only some of the
 * order's items, "tracking number 357962501027 for the Water Bottle (1 of 2 items)".
 */
function shipmentWords(record: Record<string, unknown>, owner: unknown): string {
  const tracking = stringsOf(record.tracking_id ?? record.tracking_ids);
  const numbers = `tracking ${tracking.length === 1 ? 'number' : 'numbers'} ${listWords(tracking) || 'not yet known'}`;
  const ids = stringsOf(record.item_ids);
  const items =
    owner !== null && typeof owner === 'object' ? (owner as Record<string, unknown>).items : undefined;
  if (ids.length === 0) return numbers;
  if (!Array.isArray(items)) return `${numbers} for ${countWords(ids.length, 'item')}`;
  if (ids.length >= items.length)
    return `${numbers} for ${ids.length === 1 ? 'the item' : `all ${ids.length} items`}`;
  const names = ids.map(
    (id) =>
      (items.find((item) => (item as Record<string, unknown>)?.item_id === id) as Record<string, unknown>)
        ?.name,
  );
  const known = names.filter((name): name is string => typeof name === 'string');
  const which = known.length === ids.length ? `the ${listWords(known)} ` : '';
  return `${numbers} for ${which}(${countOfWords(ids.length, items.length, 'item')})`;
}

function stringsOf(value: unknown): string[] {
  const values = Array.isArray(value) ? value : [value];
  return values.filter((entry) => typeof entry === 'string' || typeof entry === 'number').map(String);
}

/** "291 River Road, Suite 271, Austin, TX 78784, USA". */
function addressWords(address: Record<string, unknown>): string {
  const text = (key: string) => (typeof address[key] === 'string' ? (address[key] as string).trim() : '');
  const region = [text('state'), text('zip')].filter(Boolean).join(' ');
  return [text('address1'), text('address2'), text('city'), region, text('country')]
    .filter(Boolean)
    .join(', ');
}

/** A chosen id (or ids) said by the records they name; anything else as `display` says it. */
function displayChosen(value: unknown, facts: Record<string, unknown>, name: string): string {
  const ids = Array.isArray(value) ? value : [value];
  if (ids.length === 0 || !ids.every((id) => typeof id === 'string')) return display(value, { field: name });
  const records = (ids as string[]).map((id) => namedRecord(facts, id, name));
  if (records.some((record) => record === undefined)) return display(value, { field: name });
  return listWords(records.map((record) => describeRecord(record!)));
}

/**
 * The record among the facts (other than the chosen value's own fact) that carries `id` in an id field
 * and has something a person knows it by: a name, a card's last digits, a balance, a source.
 */
function namedRecord(
  facts: Record<string, unknown>,
  id: string,
  own: string,
): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  const visit = (value: unknown, depth: number): void => {
    if (found || depth > 6 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const entry of value) visit(entry, depth + 1);
      return;
    }
    const record = value as Record<string, unknown>;
    const carries = Object.entries(record).some(
      ([key, field]) => field === id && /(?:^|_)id$|^value$/.test(key),
    );
    if (carries && describable(record)) {
      found = record;
      return;
    }
    for (const field of Object.values(record)) visit(field, depth + 1);
  };
  for (const [key, value] of Object.entries(facts))
    if (key !== own && !key.startsWith(`${own}:picked`)) visit(value, 0);
  return found;
}

function describable(record: Record<string, unknown>): boolean {
  return (
    typeof record.name === 'string' ||
    typeof lastDigits(record) === 'string' ||
    typeof record.balance === 'number' ||
    typeof record.source === 'string'
  );
}

function lastDigits(record: Record<string, unknown>): unknown {
  return record.last_four ?? record.last4 ?? record.last_digits;
}

/** How payment providers write their own names; anything else is capitalised. */
const BRANDS: Readonly<Record<string, string>> = {
  paypal: 'PayPal',
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  american_express: 'American Express',
  discover: 'Discover',
};

function brandName(value: string): string {
  const key = value.toLowerCase().replace(/[\s-]+/g, '_');
  return BRANDS[key] ?? value.replace(/_/g, ' ').replace(/^\w/, (letter) => letter.toUpperCase());
}

/**
 * A record as a person says it: "the Visa ending 8643", "the gift card (balance $72.50)", "PayPal",
 * "Cycling Helmet (size L, blue)".
 */
export function describeRecord(record: Record<string, unknown>): string {
  const digits = lastDigits(record);
  const source = typeof record.source === 'string' ? record.source : undefined;
  if (typeof digits === 'string' || typeof digits === 'number') {
    const brand = typeof record.brand === 'string' ? brandName(record.brand) : brandName(source ?? 'card');
    return `the ${brand} ending ${digits}`;
  }
  if (typeof record.balance === 'number')
    return `the ${source ? brandName(source).toLowerCase() : 'account'} (balance ${moneyWords(record.balance)})`;
  if (typeof record.name === 'string') {
    const attributes = Object.values(record).find(
      (field) => field !== null && typeof field === 'object' && !Array.isArray(field),
    ) as Record<string, unknown> | undefined;
    const options: Record<string, string> = {};
    for (const [key, field] of Object.entries(attributes ?? {}))
      if (typeof field === 'string' || typeof field === 'number') options[key] = String(field);
    const words = attributesWords(options);
    return words ? `${record.name} (${words})` : record.name;
  }
  return source ? brandName(source) : display(record);
}

/** The `{fact.path}` placeholders of a text whose facts are not known (they would render "unknown"). */
export function missingFacts(text: string, facts: Record<string, unknown>): string[] {
  const missing: string[] = [];
  for (const [, path] of text.matchAll(/\{([a-zA-Z_][\w.]*)\}/g)) {
    const value = valueAt(facts, path!.split('.'));
    if (value === undefined || value === null) missing.push(path!);
  }
  return missing;
}
