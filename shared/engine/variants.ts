import type { SlotRequest } from '../model/understanding.ts';
import { attributesWords, attributeWords, LETTER_SIZES, sortedAttributes, WORD_SIZES } from './attributes.ts';
import { lookup } from './render.ts';
import type { VariantsSpec } from './turn-state.ts';

/**
 * Choosing a new variant of each chosen record's product by its attributes (`Ask for the new item
 * ids, choosing from the available variants of the chosen items' products.`). The reply step looks the
 * products up (`variantsKey`); this module words the question, builds what the model matches against,
 * and decides what an answer means. Pure: the same facts and understanding give the same outcome, so
 * replay reproduces it. One chosen record is asked about at a time, in the order chosen.
 */

/** One variant as offered: its value, attributes, price and whether it can be had. */
export interface Variant {
  readonly value: string;
  readonly name: string;
  readonly options: Record<string, string>;
  readonly available: boolean;
  readonly price: number | null;
}

/** A chosen record (the item being replaced) and the variants of its product, the record's own left out. */
export interface VariantGroup {
  readonly item: Variant;
  readonly variants: Variant[];
}

/** A slot chosen this way, as the understand and reply steps see it. */
export interface VariantSlot {
  readonly name: string;
  readonly description: string;
  readonly schema: Record<string, unknown>;
  readonly variants?: VariantsSpec | undefined;
}

/** Where the looked-up variants are kept among the facts (`new_item_ids:variants`). */
export function variantsKey(slot: string): string {
  return `${slot}:variants`;
}

/** Where the new variants picked so far are kept (`new_item_ids:picked`), one per chosen record. */
export function pickedKey(slot: string): string {
  return `${slot}:picked`;
}

/** Where the price difference of the picked variants is kept, for `{new_item_ids.price_difference}`. */
export function differenceKey(slot: string): string {
  return `${slot}:price_difference`;
}

/** The chosen ids the variants are for (`item_ids`), when they are known. */
export function chosenIds(spec: VariantsSpec, facts: Record<string, unknown>): string[] | undefined {
  const ids = facts[spec.per];
  return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? (ids as string[]) : undefined;
}

/** The chosen records (the order's items), in the order their ids were chosen. */
export function chosenRecords(
  spec: VariantsSpec,
  facts: Record<string, unknown>,
): Record<string, unknown>[] | undefined {
  const ids = chosenIds(spec, facts);
  const records = lookup({ facts }, spec.records.replace(/^\$\./, '').split('.'));
  if (!ids || !Array.isArray(records)) return undefined;
  const chosen: Record<string, unknown>[] = [];
  for (const id of ids) {
    const record = records.find(
      (candidate) =>
        candidate !== null &&
        typeof candidate === 'object' &&
        (candidate as Record<string, unknown>)[spec.value] === id,
    );
    if (!record) return undefined;
    chosen.push(record as Record<string, unknown>);
  }
  return chosen;
}

/** The groups, once looked up for the ids chosen now (a different choice of records starts over). */
export function groupsOf(slot: VariantSlot, facts: Record<string, unknown>): VariantGroup[] | undefined {
  if (!slot.variants) return undefined;
  const stored = facts[variantsKey(slot.name)] as { of?: unknown; groups?: VariantGroup[] } | undefined;
  const ids = chosenIds(slot.variants, facts);
  if (!stored?.groups || !ids || JSON.stringify(stored.of) !== JSON.stringify(ids)) return undefined;
  return stored.groups;
}

/** The groups from the chosen records and their products as looked up (`products` by key value). */
export function buildGroups(
  spec: VariantsSpec,
  records: readonly Record<string, unknown>[],
  products: ReadonlyMap<string, unknown>,
): VariantGroup[] {
  return records.map((record) => {
    const product = products.get(String(record[spec.key])) as Record<string, unknown> | undefined;
    const name = typeof record.name === 'string' ? record.name : String(product?.name ?? '');
    const item = variantOf(spec, record, name) ?? {
      value: String(record[spec.value]),
      name,
      options: {},
      available: true,
      price: null,
    };
    const listed = product?.[spec.list];
    const entries = Array.isArray(listed)
      ? listed
      : listed && typeof listed === 'object'
        ? Object.values(listed)
        : [];
    const variants = entries
      .map((entry) => variantOf(spec, entry, name))
      // The customer's own variant is on offer too: a new one for a damaged one (refused when sold out).
      .filter((variant): variant is Variant => variant !== undefined);
    return { item, variants };
  });
}

function variantOf(spec: VariantsSpec, entry: unknown, name: string): Variant | undefined {
  if (entry === null || typeof entry !== 'object') return undefined;
  const record = entry as Record<string, unknown>;
  const value = record[spec.value];
  if (typeof value !== 'string') return undefined;
  const options: Record<string, string> = {};
  const attributes = Object.values(record).find(
    (field) => field !== null && typeof field === 'object' && !Array.isArray(field),
  ) as Record<string, unknown> | undefined;
  for (const [key, field] of Object.entries(attributes ?? {}))
    if (typeof field === 'string' || typeof field === 'number') options[key] = String(field);
  const price = spec.price ? record[spec.price] : undefined;
  return {
    value,
    name,
    options,
    available: spec.available ? record[spec.available] !== false : true,
    price: typeof price === 'number' ? price : null,
  };
}

// ---------------------------------------------------------------------------------------------------
// Words

/** Where a size stands among sizes, to say "bigger" or "smaller"; undefined when it has no order. */
function sizeRank(value: string): number | undefined {
  const letter = LETTER_SIZES.indexOf(value.toUpperCase());
  if (letter >= 0) return letter;
  const word = WORD_SIZES.indexOf(value.toLowerCase());
  if (word >= 0) return word;
  const number = Number.parseFloat(value);
  return Number.isFinite(number) ? number : undefined;
}

/** What differs from the item being replaced: "medium (bigger), red". */
export function differenceWords(variant: Variant, item: Variant): string {
  if (variant.value === item.value) return 'the same as yours (a new one)';
  const parts: string[] = [];
  for (const [key, value] of sortedAttributes(variant.options)) {
    const before = item.options[key];
    if (before === value) continue;
    let words = attributeWords(key, value);
    if (/size/i.test(key) && before !== undefined) {
      const [from, to] = [sizeRank(before), sizeRank(value)];
      if (from !== undefined && to !== undefined && from !== to)
        words += to > from ? ' (bigger)' : ' (smaller)';
    }
    parts.push(words);
  }
  return parts.length > 0 ? parts.join(', ') : attributesWords(variant.options);
}

/** Closest to what the customer has first, then cheapest. */
function closestFirst(variants: readonly Variant[], item: Variant): Variant[] {
  const rank = (variant: Variant) =>
    variant.value === item.value ? Number.MAX_SAFE_INTEGER : differencesCount(variant, item);
  return [...variants].sort((a, b) => rank(a) - rank(b) || (a.price ?? 0) - (b.price ?? 0));
}

function differencesCount(variant: Variant, item: Variant): number {
  return Object.entries(variant.options).filter(([key, value]) => item.options[key] !== value).length;
}

export function money(amount: number): string {
  return `$${Math.abs(amount).toFixed(2)}`;
}

/** "$12.40 more", "$3.10 less", "same price". */
export function priceWords(variant: Variant, item: Variant): string {
  if (variant.price === null || item.price === null) return '';
  const difference = Math.round((variant.price - item.price) * 100) / 100;
  if (difference === 0) return 'same price';
  return `${money(difference)} ${difference > 0 ? 'more' : 'less'}`;
}

/** "- medium (bigger), red: $12.40 more". */
export function variantLine(variant: Variant, item: Variant): string {
  const price = priceWords(variant, item);
  return `- ${differenceWords(variant, item)}${price ? `: ${price}` : ''}`;
}

/** "the Cycling Helmet (large, blue, high ventilation)". */
export function itemWords(item: Variant): string {
  const attributes = attributesWords(item.options);
  return `${item.name}${attributes ? ` (${attributes})` : ''}`;
}

/** The picked values so far, one per chosen record (null: not yet). */
export function pickedOf(slot: VariantSlot, facts: Record<string, unknown>): (string | null)[] {
  const groups = groupsOf(slot, facts) ?? [];
  const stored = facts[pickedKey(slot.name)] as { of?: unknown; values?: unknown } | undefined;
  const ids = slot.variants ? chosenIds(slot.variants, facts) : undefined;
  const values =
    stored && JSON.stringify(stored.of) === JSON.stringify(ids) && Array.isArray(stored.values)
      ? (stored.values as (string | null)[])
      : [];
  return groups.map((_, index) => values[index] ?? null);
}

/** The position asked about now: the first chosen record without a new variant. */
export function nextPosition(slot: VariantSlot, facts: Record<string, unknown>): number | undefined {
  const index = pickedOf(slot, facts).indexOf(null);
  return index >= 0 ? index : undefined;
}

/** The question for the record asked about now, listing what it can become and at what price. */
export function variantQuestion(slot: VariantSlot, facts: Record<string, unknown>): string | undefined {
  const groups = groupsOf(slot, facts);
  const position = nextPosition(slot, facts);
  if (!groups || position === undefined) return undefined;
  const { item, variants } = groups[position]!;
  const others = slot.variants?.others === true;
  const available = closestFirst(
    variants.filter((variant) => variant.available && !(others && variant.value === item.value)),
    item,
  );
  const which = groups.length > 1 ? ` (item ${position + 1} of ${groups.length})` : '';
  if (available.length === 0)
    return `There is no other option of your ${itemWords(item)} available right now${which}. You can choose other items, or say never mind.`;
  const lines = [
    `Which new item would you like for your ${itemWords(item)}${which}? These are available:`,
    ...available.map((variant) => variantLine(variant, item)),
  ];
  const example = available[0]!;
  lines.push(
    `Tell me in your own words what you would like (for example "${exampleOf(example, item)}" or "same but in ${firstValue(example, item)}").`,
  );
  return lines.join('\n');
}

function exampleOf(variant: Variant, item: Variant): string {
  const [first, second] = differenceWords(variant, item)
    .replace(/ \((?:bigger|smaller)\)/g, '')
    .split(', ');
  return second ? `the ${first} one in ${second}` : `the ${first} one`;
}

function firstValue(variant: Variant, item: Variant): string {
  const [key, value] = sortedAttributes(variant.options).find(
    ([name, option]) => item.options[name] !== option,
  ) ??
    sortedAttributes(variant.options)[0] ?? ['', ''];
  return attributeWords(key, value);
}

/**
 * What the model is given: for the record asked about now (the slot's own name) and for each later
 * one not answered yet (`new_item_ids.2`, …, so "the black thermostat and the clicky keyboard" fills
 * both), every other variant of its product, each labelled with what differs ("red, otherwise the
 * same"), every attribute, and "not available" for those that cannot be had (so the customer hears why,
 * instead of "I did not catch that").
 */
export function variantRequests(slot: VariantSlot, facts: Record<string, unknown>): SlotRequest[] {
  const groups = groupsOf(slot, facts);
  const picked = pickedOf(slot, facts);
  const position = nextPosition(slot, facts);
  if (!groups || position === undefined) return [];
  const items = slot.schema.items;
  const schema =
    items && typeof items === 'object' ? (items as Record<string, unknown>) : { type: 'string' as const };
  const requests: SlotRequest[] = [];
  for (const [index, { item, variants }] of groups.entries()) {
    if (index < position || picked[index] !== null || variants.length === 0) continue;
    requests.push({
      name: positionName(slot.name, index, position),
      description: `The new ${item.name} the customer wants instead of their ${itemWords(item)}, chosen by its attributes; what they do not mention stays as it is.`,
      schema,
      options: variants.map((variant) => ({
        value: variant.value,
        label: `${variantLabel(variant, item)}${variant.price === null ? '' : `, ${money(variant.price)}`}${offered(slot, variant, item) ? '' : ', not available'}`,
      })),
    });
  }
  return requests;
}

/** Whether a variant can be chosen: it can be had, and it is not the record's own when only others are. */
function offered(slot: VariantSlot, variant: Variant, item: Variant): boolean {
  return variant.available && !(slot.variants?.others === true && variant.value === item.value);
}

/**
 * What the model matches a description against: what differs, "otherwise the same" when one thing
 * does, and every attribute; the customer's own variant only as "the same as yours", so "same but in
 * black" does not read as the same one.
 */
function variantLabel(variant: Variant, item: Variant): string {
  if (variant.value === item.value) return differenceWords(variant, item);
  const same = differencesCount(variant, item) === 1 ? ', otherwise the same' : '';
  return `${differenceWords(variant, item)}${same} (${attributesWords(variant.options)})`;
}

/** The request name of a chosen record's question: the slot's own for the one asked now, else `slot.N`. */
function positionName(slot: string, index: number, current: number): string {
  return index === current ? slot : `${slot}.${index + 1}`;
}

/** The request names `variantRequests` may use for a slot (its own, and `slot.N`). */
export function isVariantRequestName(slot: string, name: string): boolean {
  return name === slot || (name.startsWith(`${slot}.`) && /^\d+$/.test(name.slice(slot.length + 1)));
}

/** What an answer about the record asked about now means. */
export type VariantOutcome =
  | { kind: 'none' }
  | { kind: 'picked'; values: (string | null)[]; complete: string[] | null; difference: number | null }
  | { kind: 'unavailable'; text: string }
  | { kind: 'narrow'; choices: string; values: string[]; position: number };

/** Where the variants a description narrowed to are kept (`new_item_ids:narrowed`), for the next answer. */
export function narrowedKey(slot: string): string {
  return `${slot}:narrowed`;
}

function narrowedOf(slot: VariantSlot, facts: Record<string, unknown>, position: number): string[] {
  const stored = facts[narrowedKey(slot.name)] as { position?: unknown; values?: unknown } | undefined;
  return stored?.position === position && Array.isArray(stored.values) ? (stored.values as string[]) : [];
}

/**
 * Decides what the model's reading means for the record asked about now: a variant that can be had is
 * taken; one that cannot is refused with the reason; a description several variants fit is resolved to
 * the one that changes least from the item being replaced when only one does ("same but in black"),
 * else asked about, listing only those that fit and can be had.
 */
export function takeVariant(
  slot: VariantSlot,
  facts: Record<string, unknown>,
  value: unknown,
  couldBe: readonly string[] | undefined,
  at?: number,
): VariantOutcome {
  const groups = groupsOf(slot, facts);
  const position = at ?? nextPosition(slot, facts);
  if (!groups || position === undefined || !groups[position]) return { kind: 'none' };
  const { item, variants } = groups[position]!;
  let chosen = typeof value === 'string' ? variants.find((variant) => variant.value === value) : undefined;
  if (!chosen && couldBe && couldBe.length > 0) {
    // After a narrowing question, "the medium one" means the medium one of those just listed.
    const narrowed = narrowedOf(slot, facts, position);
    const within = couldBe.filter((candidate) => narrowed.includes(candidate));
    const candidates = within.length > 0 ? within : couldBe;
    const fitting = variants.filter((variant) => candidates.includes(variant.value));
    // What the customer does not mention stays as it is: the fitting variant that changes least.
    const fewest = Math.min(...fitting.map((variant) => differencesCount(variant, item)));
    const closest = fitting.filter((variant) => differencesCount(variant, item) === fewest);
    const available = closest.filter((variant) => offered(slot, variant, item));
    if (closest.length === 1) chosen = closest[0];
    else if (available.length === 1) chosen = available[0];
    else if (available.length >= 2)
      return {
        kind: 'narrow',
        choices: closestFirst(available, item)
          .map((variant) => variantLine(variant, item))
          .join('\n'),
        values: available.map((variant) => variant.value),
        position,
      };
    else chosen = closest[0];
  }
  if (!chosen) return { kind: 'none' };
  // "the same one again" where only another option may be chosen (an exchange, not a replacement).
  if (slot.variants?.others === true && chosen.value === item.value)
    return {
      kind: 'unavailable',
      text: `Sorry, I can only change your ${chosen.name} for a different option, not for the same one.`,
    };
  if (!chosen.available)
    return {
      kind: 'unavailable',
      text:
        chosen.value === item.value
          ? `Sorry, a new ${chosen.name} like yours is not available right now, so I cannot offer it.`
          : `Sorry, the ${chosen.name} in ${differenceWords(chosen, item).replace(/ \((?:bigger|smaller)\)/g, '')} is not available right now, so I cannot offer it.`,
    };
  const values = pickedOf(slot, facts);
  values[position] = chosen.value;
  const complete = values.every((picked) => picked !== null) ? (values as string[]) : null;
  return {
    kind: 'picked',
    values,
    complete,
    difference: complete ? totalDifference(groups, complete) : null,
  };
}

/** What the new variants cost more (positive) or less (negative) than the items they replace. */
export function totalDifference(groups: readonly VariantGroup[], values: readonly string[]): number | null {
  let total = 0;
  for (const [index, group] of groups.entries()) {
    const variant = group.variants.find((candidate) => candidate.value === values[index]);
    if (variant?.price == null || group.item.price === null) return null;
    total += variant.price - group.item.price;
  }
  return Math.round(total * 100) / 100;
}

/** "$12.40 for you to pay", "$3.10 refunded to you", "nothing to pay or refund". */
export function differenceText(difference: number): string {
  if (difference === 0) return 'nothing to pay or refund';
  return difference > 0 ? `${money(difference)} for you to pay` : `${money(difference)} refunded to you`;
}

/** What the understand step records of an answer to a variants question, and what the repair says. */
export interface VariantAnswer {
  readonly fills: { name: string; value: unknown }[];
  readonly filled: string[];
  readonly refused?: string;
  readonly narrowed?: string;
}

/** Reads the answer to each awaited variants question into facts to fill (see `takeVariant`). */
export function answerVariants(
  awaited: readonly VariantSlot[],
  facts: Record<string, unknown>,
  understanding: {
    readonly slots: Record<string, unknown>;
    readonly couldBe?: readonly string[] | undefined;
  },
): VariantAnswer {
  const fills: { name: string; value: unknown }[] = [];
  const filled: string[] = [];
  let refused: string | undefined;
  let narrowed: string | undefined;
  for (const slot of awaited) {
    if (!slot.variants) continue;
    const current = nextPosition(slot, facts);
    let outcome = takeVariant(slot, facts, understanding.slots[slot.name], understanding.couldBe);
    if (outcome.kind === 'unavailable') refused = outcome.text;
    // Later records named in the same message ("… and the black thermostat"): exact choices only.
    let view = facts;
    for (const [index] of (groupsOf(slot, facts) ?? []).entries()) {
      if (current === undefined || index <= current) continue;
      if (outcome.kind === 'picked')
        view = {
          ...facts,
          [pickedKey(slot.name)]: { of: chosenIds(slot.variants, facts), values: outcome.values },
        };
      const later = takeVariant(
        slot,
        view,
        understanding.slots[`${slot.name}.${index + 1}`],
        undefined,
        index,
      );
      if (later.kind === 'picked') {
        const base = outcome.kind === 'picked' ? outcome : null;
        const values = [...(base?.values ?? pickedOf(slot, facts))];
        values[index] = later.values[index] ?? null;
        const complete = values.every((picked) => picked !== null) ? (values as string[]) : null;
        const groups = groupsOf(slot, facts) ?? [];
        outcome = {
          kind: 'picked',
          values,
          complete,
          difference: complete ? totalDifference(groups, complete) : null,
        };
      } else if (later.kind === 'unavailable' && !refused) refused = later.text;
    }
    if (outcome.kind === 'unavailable') refused = outcome.text;
    else if (outcome.kind === 'narrow') {
      narrowed = outcome.choices;
      fills.push({
        name: narrowedKey(slot.name),
        value: { position: outcome.position, values: outcome.values },
      });
    } else if (outcome.kind === 'picked') {
      filled.push(slot.name);
      if (narrowedKey(slot.name) in facts) fills.push({ name: narrowedKey(slot.name), value: null });
      fills.push({
        name: pickedKey(slot.name),
        value: { of: chosenIds(slot.variants, facts), values: outcome.values },
      });
      if (outcome.complete) {
        fills.push({ name: slot.name, value: outcome.complete });
        if (outcome.difference !== null)
          fills.push({ name: differenceKey(slot.name), value: differenceText(outcome.difference) });
      }
    }
  }
  return { fills, filled, ...(refused ? { refused } : {}), ...(narrowed ? { narrowed } : {}) };
}
