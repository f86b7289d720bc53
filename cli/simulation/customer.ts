import type { z } from 'zod';
import { knownChoices } from '../../shared/engine/known-records.ts';
import { type ChoiceLabels, describedRecords, optionsFrom } from '../../shared/engine/options.ts';
import { lookup } from '../../shared/engine/render.ts';
import { type SlotSpecSchema, VariantsSpecSchema } from '../../shared/engine/turn-state.ts';
import { variantRequests } from '../../shared/engine/variants.ts';
import { type SeededRandom, seededRandom } from '../../shared/seeded-random.ts';

/**
 * The simulated customer: what it can answer to the question the agent is waiting on, and how it says
 * it. It sees what a customer sees: the question, the choices offered (computed from the conversation's
 * facts exactly as the agent lists them), and its own record (its email, name, zip, addresses). It never
 * reads the agent's understanding; what it meant is kept (`intended`) so that the judge can tell a
 * misunderstanding from a different path.
 */

type SlotSpec = z.infer<typeof SlotSpecSchema>;

export interface Awaiting {
  readonly kind: string;
  readonly action?: string;
  readonly slots?: readonly SlotSpec[];
  readonly groups?: readonly (readonly string[])[];
}

/** One answer the customer can give here. */
export interface Choice {
  /** For reports: `option 2 of 3: the visa ending 7183`, `unknown #W0000001`, `yes`. */
  readonly label: string;
  /** What the customer means, slot by slot (empty when the value is not one slot's: a variant). */
  readonly intended: Readonly<Record<string, unknown>>;
  /** The words, plain (`noisy` false) or as an impatient customer types them. */
  say(random: Random, noisy: boolean): string;
  /**
   * A probe: a value that is not on the customer's list (nobody's, or another customer's). The agent may
   * refuse it; taking another value in its place is the misunderstanding.
   */
  readonly probe?: boolean;
}

export interface CustomerContext {
  readonly persona: Readonly<Record<string, unknown>>;
  /** Other customers, for a value that exists but is not this customer's (an ownership check). */
  readonly others: readonly Readonly<Record<string, unknown>>[];
  readonly labels: ChoiceLabels;
}

/** The simulated customer's dice: the same seed gives the same customer, word for word. */
export type Random = SeededRandom;
export const random = seededRandom;

const MAX_OPTIONS = 3;

/** Every answer worth trying to the question awaited: each offered choice (up to 3), a value not on file, another customer's. */
export function choicesAt(
  awaiting: Awaiting,
  facts: Readonly<Record<string, unknown>>,
  context: CustomerContext,
): Choice[] {
  if (awaiting.kind === 'confirm')
    return [
      plainChoice('yes', {}, ['yes', 'yes please', 'yep go ahead', 'sure, do it', 'ok go ahead']),
      plainChoice('no', {}, ['no', 'no thanks, leave it', "actually no, don't", 'nope']),
    ];
  const slots = awaiting.slots ?? [];
  const groups = (awaiting.groups?.length ? awaiting.groups : [slots.map((slot) => slot.name)]).map((names) =>
    names.map((name) => slots.find((slot) => slot.name === name)).filter((slot) => slot !== undefined),
  );
  // Alternatives ("the email, or the name and zip code"): each group this customer can fill, then a
  // value that is on nobody's file.
  if (groups.length > 1) {
    const choices = groups.flatMap((group) => ownValues(group, context.persona));
    const typed = groups
      .flat()
      .find((slot) => slot.schema.format === 'email' || typeof slot.schema.pattern === 'string');
    const unknown = typed ? sampleOf(typed) : undefined;
    if (typed && unknown)
      choices.push(probeChoice(`unknown ${unknown}`, { [typed.name]: unknown }, [unknown]));
    return choices;
  }
  const group = groups[0] ?? [];
  const known = group.find((slot) => slot.known)?.known;
  if (group.length > 1 || known) {
    const choices: Choice[] = [];
    if (known)
      // Picked, the record fills every fact of the question (`address1`, `city` …).
      for (const [index, choice] of knownChoices(known, facts as Record<string, unknown>)
        .slice(0, MAX_OPTIONS)
        .entries())
        choices.push({ ...optionChoice(index, choice, known.name, false), intended: choice.record });
    // A new record: the fields of another customer's (an address they moved to).
    const other = context.others.find((record) =>
      group.every((slot) => typeof deepField(record, slot.name) === 'string'),
    );
    if (other) choices.push(...ownValues(group, other, 'a new one:'));
    if (!known) choices.unshift(...ownValues(group, context.persona));
    return choices;
  }
  const slot = group[0];
  return slot ? slotChoices(slot, facts, context) : [];
}

function slotChoices(
  slot: SlotSpec,
  facts: Readonly<Record<string, unknown>>,
  context: CustomerContext,
): Choice[] {
  const mutable = facts as Record<string, unknown>;
  if (slot.variants) {
    const parsed = VariantsSpecSchema.safeParse(slot.variants);
    const request = parsed.success
      ? variantRequests({ ...slot, variants: parsed.data } as never, mutable)[0]
      : undefined;
    // The variants on offer first; one that is not available is a probe (the agent says so, and asks again).
    const options = request?.options ?? [];
    const available = options.filter((option) => !/not available/i.test(option.label));
    const unavailable = options.find((option) => /not available/i.test(option.label));
    return [
      ...available
        .slice(0, MAX_OPTIONS)
        .map((option) => optionChoice(options.indexOf(option), option, request!.name, false, true)),
      ...(unavailable
        ? [
            {
              ...optionChoice(options.indexOf(unavailable), unavailable, request!.name, false, true),
              probe: true,
            },
          ]
        : []),
    ];
  }
  if (slot.options) {
    const source =
      describedRecords(slot, mutable) ?? lookup({ facts }, slot.options.replace(/^\$\./, '').split('.'));
    const options = optionsFrom(source, slot.name, context.labels, { facts });
    const many = slot.schema.type === 'array';
    const choices = options
      .slice(0, MAX_OPTIONS)
      .map((option, index) =>
        optionChoice(index, option, slot.name, many, false, kindOf(source, option.value)),
      );
    // Nothing listed (the agent asks for "your order id"): the customer's own ids of that shape.
    if (options.length === 0) choices.push(...ownIds(slot, context.persona, many));
    if (many && options.length > 1)
      choices.push(
        plainChoice(`all ${options.length}`, { [slot.name]: options.map((option) => option.value) }, [
          'all of them',
          'all of it',
          'everything',
        ]),
      );
    const unknown = sampleOf(slot);
    if (unknown && !options.some((option) => option.value === unknown))
      choices.push(probeChoice(`unknown ${unknown}`, { [slot.name]: many ? [unknown] : unknown }, [unknown]));
    const foreign = foreignValue(
      slot,
      options.map((option) => option.value),
      context,
    );
    if (foreign)
      choices.push(
        probeChoice(`another customer's ${foreign}`, { [slot.name]: many ? [foreign] : foreign }, [foreign]),
      );
    return choices;
  }
  if (slot.allowed)
    return slot.allowed
      .filter((value): value is string => typeof value === 'string')
      .map((value) =>
        plainChoice(value, { [slot.name]: value }, [value, `it's ${value}`, `${value} i guess`]),
      );
  const own = ownValues([slot], context.persona);
  if (own.length > 0) return own;
  // A number of the customer's choosing ("how many months?"): the smallest allowed, and one more.
  if (slot.schema.type === 'integer' || slot.schema.type === 'number') {
    const min = typeof slot.schema.minimum === 'number' ? slot.schema.minimum : 1;
    const max = typeof slot.schema.maximum === 'number' ? slot.schema.maximum : min + 1;
    return [...new Set([min, Math.min(min + 1, max)])].map((value) =>
      plainChoice(String(value), { [slot.name]: value }, [String(value), `${value} please`]),
    );
  }
  // Free text the customer writes in their own words (a complaint, what went wrong): a few of them.
  if (
    slot.schema.type === 'string' &&
    !slot.schema.pattern &&
    !slot.schema.format &&
    FREE_TEXT.test(slot.name)
  )
    return COMPLAINTS.map((text, index) => ({
      label: `free text ${index + 1}`,
      intended: {},
      say: (random: Random, noisy: boolean) => (noisy ? random.pick([text, text.toLowerCase()]) : text),
    }));
  return [];
}

const FREE_TEXT = /description|details|reason|comment|message|feedback|complaint|issue|problem|note/i;
const COMPLAINTS = [
  'My package arrived two weeks late and the box was crushed.',
  'The courier left my order outside in the rain and everything got wet.',
];

/** The customer's own values of these slots, found by name in its record (`email`, `zip`, `first_name`). */
function ownValues(
  group: readonly SlotSpec[],
  record: Readonly<Record<string, unknown>>,
  lead = '',
): Choice[] {
  const values: Record<string, string> = {};
  for (const slot of group) {
    const value = deepField(record, slot.name);
    if (typeof value !== 'string' && typeof value !== 'number') return [];
    values[slot.name] = String(value);
  }
  const said = Object.values(values).join(', ');
  const names = group.map((slot) => slot.name.replaceAll('_', ' '));
  return [
    {
      label: `${lead ? `${lead} ` : ''}${group.map((slot) => slot.name).join('+')}: ${said}`,
      intended: values,
      say(random, noisy) {
        if (group.length === 1) {
          const value = said;
          return noisy
            ? random.pick([value, `its ${value}`, `my ${names[0]} is ${value}`, `${value} i think`])
            : value;
        }
        if (values.first_name && values.last_name && values.zip && group.length === 3)
          return noisy
            ? random.pick([
                `${values.first_name} ${values.last_name} ${values.zip}`,
                `im ${values.first_name.toLowerCase()} ${values.last_name.toLowerCase()}, zip ${values.zip}`,
                `${values.first_name} ${values.last_name}, zip code ${values.zip}`,
              ])
            : `${values.first_name} ${values.last_name}, zip code ${values.zip}`;
        // An address as people write it: "332 Hillcrest Drive, Suite 437, Philadelphia, PA 19019, USA".
        if (values.address1 && values.city && values.zip)
          return [
            values.address1,
            values.address2,
            values.city,
            `${values.state ?? ''} ${values.zip}`.trim(),
            values.country,
          ]
            .filter((part) => part && part.trim() !== '')
            .join(', ');
        return group.map((slot, index) => `${names[index]}: ${values[slot.name]}`).join(', ');
      },
    },
  ];
}

function probeChoice(label: string, intended: Record<string, unknown>, phrasings: readonly string[]): Choice {
  return { ...plainChoice(label, intended, phrasings), probe: true };
}

function plainChoice(label: string, intended: Record<string, unknown>, phrasings: readonly string[]): Choice {
  return { label, intended, say: (random, noisy) => (noisy ? random.pick(phrasings) : phrasings[0]!) };
}

const ORDINALS = ['first', 'second', 'third'];

/** An offered choice, said as a customer says it: by what it is ("the desk lamp"), by its place, or by its id. */
function optionChoice(
  index: number,
  option: { readonly value: string; readonly label: string },
  slot: string,
  many: boolean,
  variant = false,
  kind?: string,
): Choice {
  const described = describe(option);
  return {
    label: `option ${index + 1}${kind ? ` (${kind})` : ''}: ${described}`,
    intended: variant ? {} : { [slot]: many ? [option.value] : option.value },
    say(random, noisy) {
      if (!noisy) return described;
      return random.pick([
        described,
        `the ${described.replace(/^the /, '')} please`,
        ...(index < ORDINALS.length ? [`${ORDINALS[index]} one`] : []),
      ]);
    },
  };
}

/**
 * What kind of record an option is (`gift_card`, `paypal`: its `source`, `type`, `kind` or `status`),
 * when the records it was listed from say: the explorer tries each kind of answer early.
 */
function kindOf(source: unknown, value: string): string | undefined {
  const records = Array.isArray(source)
    ? source
    : source && typeof source === 'object'
      ? Object.values(source)
      : [];
  for (const record of records) {
    if (!record || typeof record !== 'object' || !Object.values(record).includes(value)) continue;
    for (const key of ['source', 'type', 'kind', 'status']) {
      const kind = (record as Record<string, unknown>)[key];
      if (typeof kind === 'string') return kind;
    }
  }
  return undefined;
}

/** How a customer names a listed choice: an order by its id, a thing by its name, a card by what it says. */
function describe(option: { readonly value: string; readonly label: string }): string {
  const label = option.label.replace(/\s*\([^()]*\)\s*$/, '').trim();
  // `#W2912153: desk lamp, delivered`: the id is what customers have on their emails.
  if (option.label.startsWith(`${option.value}:`)) return option.value;
  // `Desk Lamp (high brightness, white), $144.07`: the name and what makes it this one.
  const withoutPrice = label.replace(/,\s*\$[\d,.]+$/, '');
  return withoutPrice === '' ? option.value : withoutPrice.toLowerCase();
}

/** A value that fits the slot's pattern and is nobody's (`#W0000001`), from simple patterns only. */
export function sampleOf(slot: SlotSpec): string | undefined {
  const schema = (slot.schema.type === 'array' ? slot.schema.items : slot.schema) as
    | Record<string, unknown>
    | undefined;
  if (schema?.format === 'email') return 'nobody.here@example.com';
  const pattern = typeof schema?.pattern === 'string' ? schema.pattern : undefined;
  if (!pattern) return undefined;
  const text = pattern
    .replace(/^\^|\$$/g, '')
    .replace(
      /\(\?:([^()|]*)[^()]*\)|\(([^()|]*)[^()]*\)/g,
      (_, a: string | undefined, b: string | undefined) => a ?? b ?? '',
    )
    .replace(/\\d\{(\d+)\}/g, (_, n: string) => `${'0'.repeat(Number(n) - 1)}1`)
    .replace(/\\d\+/g, '1');
  return /[\\[\]{}()*+?|^$]/.test(text) ? undefined : text;
}

function ownIds(slot: SlotSpec, persona: Readonly<Record<string, unknown>>, many: boolean): Choice[] {
  const schema = (slot.schema.type === 'array' ? slot.schema.items : slot.schema) as
    | Record<string, unknown>
    | undefined;
  const pattern = typeof schema?.pattern === 'string' ? new RegExp(schema.pattern) : undefined;
  if (!pattern) return [];
  return [...new Set(stringsIn(persona).filter((value) => pattern.test(value)))]
    .slice(0, MAX_OPTIONS)
    .map((value, index) =>
      plainChoice(`own ${index + 1}: ${value}`, { [slot.name]: many ? [value] : value }, [
        value,
        `it's ${value}`,
      ]),
    );
}

/** Another customer's value for the slot (an order of theirs), when their record holds one. */
function foreignValue(slot: SlotSpec, mine: readonly string[], context: CustomerContext): string | undefined {
  const schema = (slot.schema.type === 'array' ? slot.schema.items : slot.schema) as
    | Record<string, unknown>
    | undefined;
  const pattern = typeof schema?.pattern === 'string' ? new RegExp(schema.pattern) : undefined;
  if (!pattern) return undefined;
  const own = new Set([...mine, ...stringsIn(context.persona)]);
  for (const other of context.others)
    for (const value of stringsIn(other)) if (pattern.test(value) && !own.has(value)) return value;
  return undefined;
}

function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/** The first field of that name anywhere in the record (`zip` in `address`, `first_name` in `name`). */
export function deepField(record: unknown, name: string): unknown {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return undefined;
  const fields = record as Record<string, unknown>;
  if (name in fields && (typeof fields[name] === 'string' || typeof fields[name] === 'number'))
    return fields[name];
  for (const inner of Object.values(fields)) {
    const found = deepField(inner, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * An impatient customer's typing: fillers, lower case, and in a request (`typos`) a slipped key in a
 * long word, never in a value. Answers get no typo: "sceond one" is a finding about fuzzy reading that
 * would drown every other (docs/testing-and-release.md, Simulation).
 */
export function roughen(
  text: string,
  random: Random,
  keep: readonly string[],
  { consent = false, typos = false }: { readonly consent?: boolean; readonly typos?: boolean } = {},
): string {
  let words = text;
  if (random.next() < 0.5) words = words.toLowerCase();
  if (typos && random.next() < 0.5) {
    const candidates = words
      .split(' ')
      .filter(
        (word) =>
          /^[a-z]{6,}$/i.test(word) &&
          !keep.some((value) => value.toLowerCase().includes(word.toLowerCase())),
      );
    const word = candidates.length > 0 ? random.pick(candidates) : undefined;
    if (word) {
      const at = 1 + Math.floor(random.next() * (word.length - 3));
      const typo = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
      words = words.replace(word, typo);
    }
  }
  // Before a yes or a no, "ok" and "yeah" would say something of their own.
  const before = random.pick(consent ? ['', '', 'um ', 'hmm '] : ['', '', 'ok ', 'um ', 'yeah so ', 'hi, ']);
  const after = random.pick(['', '', ' thx', ' pls', '!!', ' thanks']);
  return `${before}${words}${after}`;
}
