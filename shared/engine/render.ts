import { attributesWords } from './attributes.ts';

/**
 * Fills `{fact.path}` placeholders in a reply from the turn's facts. Missing values render as "unknown".
 * A value the customer chose by id (`{payment_method_id}`, `{item_ids}`) is said by the record it
 * names, found among the facts ("the Visa ending 8643", "Cycling Helmet (large, blue)"), never as the
 * bare id: the customer chose it by what it is.
 */
export function render(text: string, facts: Record<string, unknown>): string {
  const filled = text.replace(/\{([a-zA-Z_][\w.]*)\}/g, (_, path: string) => {
    const parts = path.split('.');
    const value = valueAt(facts, parts);
    return parts.length === 1 ? displayChosen(value, facts, parts[0]!) : display(value);
  });
  // An empty value ("{address1} {address2}, {city}" with no second line) leaves no stray space.
  return filled === text ? filled : filled.replace(/(\S) {2,}(?=\S)/g, '$1 ').replace(/(\S) +,/g, '$1,');
}

/**
 * The value at a placeholder's path; `{new_item_ids.price_difference}` is also the derived fact
 * `new_item_ids:price_difference` (what the runtime works out about a choice, shared/engine/variants.ts).
 */
function valueAt(facts: Record<string, unknown>, path: readonly string[]): unknown {
  const value = lookup(facts, path);
  if (value !== undefined || path.length !== 2) return value;
  return facts[`${path[0]}:${path[1]}`];
}

export function lookup(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function display(value: unknown): string {
  if (value === undefined || value === null) return 'unknown';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(display).join(', ');
  const record = value as Record<string, unknown>;
  if (typeof record.name === 'string') return record.name;
  if (typeof record.source === 'string' && typeof record.id === 'string')
    return `${record.source} ${record.id}`;
  // Nested records count too: a map of payment methods or of variants has no scalar of its own.
  const values = Object.values(record).filter(
    (v) => typeof v === 'string' || typeof v === 'number' || (typeof v === 'object' && v !== null),
  );
  const isMap = values.length > 0 && values.every((v) => typeof v === 'object');
  return values.map(display).join(isMap ? ', ' : ' ');
}

/** A chosen id (or ids) said by the records they name; anything else as `display` says it. */
function displayChosen(value: unknown, facts: Record<string, unknown>, name: string): string {
  const ids = Array.isArray(value) ? value : [value];
  if (ids.length === 0 || !ids.every((id) => typeof id === 'string')) return display(value);
  const records = (ids as string[]).map((id) => namedRecord(facts, id, name));
  if (records.some((record) => record === undefined)) return display(value);
  const phrases = records.map((record) => describeRecord(record!));
  return phrases.length === 1
    ? phrases[0]!
    : `${phrases.slice(0, -1).join(', ')} and ${phrases[phrases.length - 1]}`;
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
    return `the ${source ? brandName(source).toLowerCase() : 'account'} (balance $${record.balance.toFixed(2)})`;
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
