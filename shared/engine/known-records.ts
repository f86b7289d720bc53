import type { SlotOption, SlotRequest, Understanding } from '../model/understanding.ts';
import { display, lookup } from './render.ts';
import type { KnownSpec } from './turn-state.ts';
import { listWords, plural } from './words.ts';

/**
 * Records the agent already knows that answer a whole question (`Ask for the address line 1, …,
 * offering the user address and the addresses of the orders`): the customer's default address and
 * where each order ships. The distinct ones are listed with where they are known from; the customer
 * picks one in words ("my default address", "the one in Fort Worth", "same as order #W8277957") and
 * every fact of the question is filled from it; typing a new one still works. Nothing is guessed: a
 * description that fits several gets a narrowing question, one that fits none the question again.
 */

export interface KnownChoice {
  /** The record said in full ("445 Maple Drive, Suite 394, Fort Worth, TX 76165, USA"): the model's answer. */
  readonly value: string;
  /** The record and where it is known from ("… (your default address; order #W2378156: …)"). */
  readonly label: string;
  /** The record's values, by the question's fact names. */
  readonly record: Readonly<Record<string, string>>;
}

/** The distinct records the facts hold for `spec`, in the order offered; those lacking a fact are left out. */
export function knownChoices(spec: KnownSpec, facts: Record<string, unknown>): KnownChoice[] {
  const names = spec.facts;
  const found = new Map<string, { record: Record<string, string>; said: string[] }>();
  for (const source of spec.sources) {
    const owner = lookup({ facts }, source.path.replace(/^\$\./, '').split('.'));
    const entries = source.list ? (Array.isArray(owner) ? owner : []) : [owner];
    for (const entry of entries) {
      const record = lookup(entry, source.field);
      if (!isRecord(record) || !names.every((name) => typeof record[name] === 'string')) continue;
      const values = Object.fromEntries(names.map((name) => [name, (record[name] as string).trim()]));
      const key = names.map((name) => values[name]!.toLowerCase().replace(/\s+/g, ' ')).join('|');
      const said = whereFrom(source, entry);
      const known = found.get(key);
      if (known) {
        if (said && !known.said.includes(said)) known.said.push(said);
      } else found.set(key, { record: values, said: said ? [said] : [] });
    }
  }
  return [...found.values()].map(({ record, said }) => {
    const value = display(record);
    return { value, label: said.length > 0 ? `${value} (${said.join('; ')})` : value, record };
  });
}

/** The question listing the known records, or undefined when there are none. */
export function knownQuestion(spec: KnownSpec, choices: readonly KnownChoice[]): string | undefined {
  if (choices.length === 0) return undefined;
  const noun = spec.name.replace(/^known_/, '').replaceAll('_', ' ');
  return [
    `Which ${noun} should I use? I have ${choices.length === 1 ? 'this one' : 'these'}:`,
    ...choices.map((choice) => `- ${choice.label}`),
    `You can pick ${choices.length === 1 ? 'it' : 'one of them'} in your own words, or tell me a new one (${spec.asking}).`,
  ].join('\n');
}

/** The known records under a question asked again: "Or pick one I already have: …". */
export function knownList(spec: KnownSpec, choices: readonly KnownChoice[]): string | undefined {
  if (choices.length === 0) return undefined;
  const noun = spec.name.replace(/^known_/, '').replaceAll('_', ' ');
  return [
    choices.length === 1 ? `Or take the ${noun} I have:` : `Or pick one of the ${plural(noun)} I have:`,
    ...choices.map((choice) => `- ${choice.label}`),
  ].join('\n');
}

/** What the model is asked: which of the known records the message picks, if any. */
export function knownRequest(spec: KnownSpec, choices: readonly KnownChoice[]): SlotRequest {
  const noun = spec.name.replace(/^known_/, '').replaceAll('_', ' ');
  const options: SlotOption[] = choices.map((choice) => ({ value: choice.value, label: choice.label }));
  return {
    name: spec.name,
    description: `Which of the listed ${plural(noun)} the store already has for the customer they pick ("my default ${noun}", "the one in <city>", "same as order #…", "the second one"); leave out when they give a new ${noun} or do not pick one.`,
    schema: { type: 'string' },
    options,
  };
}

/**
 * The customer's pick read into the question's facts: every one filled from the record, unless the
 * message typed a street (the first fact) of its own, which wins. No pick, and a description that fits
 * several: the facts this message gave are dropped and those records are returned, to ask between them.
 */
export function applyKnownPick(
  spec: KnownSpec,
  choices: readonly KnownChoice[],
  understanding: Understanding,
  kept: Record<string, unknown> = {},
): { understanding: Understanding; narrowed?: string } {
  const names = spec.facts;
  const { [spec.name]: picked, ...slots } = understanding.slots;
  const first = names[0];
  // What the customer typed now, or the part of a new value they typed before ("55 river rd" then
  // "dallas, TX 75201"): a pick that does not agree with it is no pick.
  const typed = first === undefined ? undefined : (slots[first] ?? kept[first]);
  const choice = choices.find((candidate) => candidate.value === picked);
  if (choice && (typed === undefined || typed === null || sameText(typed, choice.record[first!]))) {
    for (const name of names) slots[name] = choice.record[name];
    return { understanding: { ...understanding, slots } };
  }
  const fitting = choices.filter((candidate) => understanding.couldBe?.includes(candidate.value));
  if (!choice && fitting.length >= 2 && (typed === undefined || typed === null)) {
    for (const name of names) delete slots[name];
    return {
      understanding: { ...understanding, slots },
      narrowed: fitting.map((candidate) => `- ${candidate.label}`).join('\n'),
    };
  }
  return { understanding: { ...understanding, slots } };
}

/** "your default address", "order #W8277957: yoga mat, 2 × water bottle and pet bed". */
function whereFrom(source: KnownSpec['sources'][number], entry: unknown): string | undefined {
  if (source.label) return source.label;
  const id = source.id && isRecord(entry) ? entry[source.id] : undefined;
  if (typeof id !== 'string') return undefined;
  const noun = source.id!.replace(/_id$/, '').replaceAll('_', ' ');
  const contents = isRecord(entry) ? contentsOf(entry) : undefined;
  return `${noun} ${id}${contents ? `: ${contents}` : ''}`;
}

/** The named things a record holds (an order's items), counted: "2 × water bottle and pet bed". */
function contentsOf(record: Record<string, unknown>): string | undefined {
  for (const field of Object.values(record)) {
    if (!Array.isArray(field) || field.length === 0) continue;
    const names = field.map((entry) => (isRecord(entry) ? entry.name : undefined));
    if (!names.every((name): name is string => typeof name === 'string')) continue;
    const counted = new Map<string, number>();
    for (const name of names) counted.set(name.toLowerCase(), (counted.get(name.toLowerCase()) ?? 0) + 1);
    return listWords([...counted].map(([name, count]) => (count > 1 ? `${count} × ${name}` : name)));
  }
  return undefined;
}

function sameText(a: unknown, b: unknown): boolean {
  const norm = (value: unknown) => String(value).toLowerCase().replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
