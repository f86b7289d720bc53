import type { SlotOption } from '../model/understanding.ts';
import { describeRecord } from './render.ts';

/**
 * Turns a fact the procedure offers as choices (`choosing from the order items`) into options the
 * model matches against: a value (what the tool needs) and a label (how the customer knows it).
 * Lists and id-keyed maps are both accepted, also as JSON text (τ²'s `list_all_product_types`
 * answers with text); the value field is one the tenant declared a label for (`ChoiceLabels`), else
 * the slot's singular name (`item_ids` → `item_id`), else `id`, else the map key.
 */
/** Where the descriptions of a list of ids offered as choices are kept among the facts. */
export function describedKey(optionsPath: string): string {
  return `${optionsPath.replace(/^\$\.facts\./, '')}:described`;
}

/** The records that describe a slot's choices (`the user's orders`, each looked up), once looked up. */
export function describedRecords(
  slot: { readonly options: string | null; readonly describedBy?: string | undefined },
  facts: Record<string, unknown>,
): unknown[] | undefined {
  if (!slot.options || !slot.describedBy) return undefined;
  const described = facts[describedKey(slot.options)];
  return described && typeof described === 'object' && 'records' in described
    ? ((described as { records: unknown[] }).records ?? undefined)
    : undefined;
}

/**
 * How a tenant says a record offered as a choice, by the field that holds the value the tool needs
 * (`defineTenant({ conversation: conversationPolicy({ labels }) })`).
 */
export type ChoiceLabels = Readonly<Record<string, (record: Readonly<Record<string, unknown>>) => string>>;

export function optionsFrom(
  source: unknown,
  slotName: string,
  labels: ChoiceLabels = {},
  /**
   * The conversation's facts: a payment method is said with the known records that name it under
   * `property` (default: the slot's name), "which paid for order #W…".
   */
  context?: { readonly facts: Readonly<Record<string, unknown>>; readonly property?: string },
): SlotOption[] {
  const singular = slotName.replace(/_ids$/, '_id').replace(/s$/, '');
  const parsed = typeof source === 'string' ? parseJsonText(source) : source;
  const entries: [string | null, unknown][] = Array.isArray(parsed)
    ? parsed.map((item) => [null, item])
    : parsed && typeof parsed === 'object'
      ? Object.entries(parsed)
      : [];
  const options: SlotOption[] = [];
  for (const [key, item] of entries) {
    if (item === null || typeof item !== 'object') {
      if (typeof item === 'string' && key) options.push({ value: item, label: key });
      continue;
    }
    const record = item as Record<string, unknown>;
    // A field the tenant declared a label for names the record (its value, and how it is said);
    // otherwise the slot's own name, then `id`, then the map key.
    const declared = [singular, slotName, ...Object.keys(labels)].find(
      (field) => labels[field] !== undefined && typeof record[field] === 'string' && record[field] !== '',
    );
    const value =
      declared === undefined ? (record[singular] ?? record[slotName] ?? record.id ?? key) : record[declared];
    if (typeof value !== 'string' || value === '') continue;
    options.push({
      value,
      label:
        declared === undefined
          ? labelOf(record, value, context && { ...context, property: context.property ?? slotName })
          : declaredLabel(labels[declared]!, record, value),
    });
  }
  return options;
}

/** The tenant's label, with the value after it unless it says it already (a customer may type the id). */
function declaredLabel(
  label: (record: Readonly<Record<string, unknown>>) => string,
  record: Record<string, unknown>,
  value: string,
): string {
  const said = label(record).trim();
  if (said === '') return value;
  return said.includes(value) ? said : `${said} (${value})`;
}

function labelOf(
  record: Record<string, unknown>,
  value: string,
  context: { readonly facts: Readonly<Record<string, unknown>>; readonly property: string } | undefined,
): string {
  // A payment method is said as a person knows it ("the Visa ending 8643"), its id kept for typing,
  // and with what it paid for, so "the card I paid with" has something to name.
  if (typeof record.name !== 'string' && (typeof record.source === 'string' || 'balance' in record)) {
    const paid = context && context.property !== 'id' ? paidFor(value, context.property, context.facts) : [];
    return `${describeRecord(record)} (${value})${paid.length > 0 ? `, which paid for ${paid.join(' and ')}` : ''}`;
  }
  // A thing with attributes: "Cycling Helmet (blue, large, high ventilation), $209.91 (2206116040)".
  const attributes = Object.values(record).some(
    (field) => field !== null && typeof field === 'object' && !Array.isArray(field),
  );
  if (typeof record.name === 'string' && attributes) {
    const price = typeof record.price === 'number' ? `, $${record.price.toFixed(2)}` : '';
    return `${describeRecord(record)}${price} (${value})`;
  }
  const contents = contentsOf(record);
  if (contents !== undefined) {
    // A record that holds named things (an order and its items): what it holds and its status.
    const status = typeof record.status === 'string' ? `, ${record.status}` : '';
    return `${value}: ${contents}${status}`;
  }
  const parts: string[] = [];
  for (const [key, field] of Object.entries(record)) {
    if (typeof field === 'string' && field !== value && !/(^|_)id$/.test(key)) parts.push(field);
    else if (typeof field === 'number' && /price|balance|amount/.test(key)) parts.push(`${key} ${field}`);
    else if (field && typeof field === 'object' && !Array.isArray(field)) {
      for (const inner of Object.values(field))
        if (typeof inner === 'string' || typeof inner === 'number') parts.push(String(inner));
    }
  }
  return parts.length > 0 ? `${parts.join(', ')} (${value})` : value;
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** "mechanical keyboard and smart thermostat" for a record with a list of named things; else undefined. */
function contentsOf(record: Record<string, unknown>): string | undefined {
  for (const field of Object.values(record)) {
    if (!Array.isArray(field) || field.length === 0) continue;
    const names = field
      .map((entry) => (entry && typeof entry === 'object' ? (entry as { name?: unknown }).name : undefined))
      .filter((name): name is string => typeof name === 'string');
    if (names.length !== field.length) continue;
    const counted = new Map<string, number>();
    for (const name of names) counted.set(name.toLowerCase(), (counted.get(name.toLowerCase()) ?? 0) + 1);
    const phrases = [...counted].map(([name, count]) => (count > 1 ? `${count} × ${name}` : name));
    return phrases.length === 1
      ? phrases[0]
      : `${phrases.slice(0, -1).join(', ')} and ${phrases[phrases.length - 1]}`;
  }
  return undefined;
}

/**
 * The known records that name `value` under the slot's own property: `order #W5416052` for a card
 * that an order's payment history holds as `payment_method_id`. A known record is a fact holding its
 * own id as `<fact>_id` (`order.order_id`, `subscription.subscription_id`).
 */
function paidFor(value: string, property: string, facts: Readonly<Record<string, unknown>>): string[] {
  const found: string[] = [];
  for (const [name, fact] of Object.entries(facts)) {
    if (fact === null || typeof fact !== 'object' || Array.isArray(fact)) continue;
    const id = (fact as Record<string, unknown>)[`${name}_id`];
    if (typeof id !== 'string' || !holds(fact, property, value, 0)) continue;
    found.push(`${name.replaceAll('_', ' ')} ${id}`);
  }
  return found;
}

function holds(node: unknown, property: string, value: string, depth: number): boolean {
  if (depth > 4 || node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some((entry) => holds(entry, property, value, depth + 1));
  return Object.entries(node).some(
    ([key, field]) => (key === property && field === value) || holds(field, property, value, depth + 1),
  );
}
