import { conformsTo, type JsonSchema } from '../../../shared/model/json-schema-check.ts';
import {
  ADDS_NOTE,
  CLARIFYING_NOTE,
  CONSENT_KINDS,
  DIALOGUE_ACTS,
  type DialogueAct,
  FREE_TEXT,
  type RESERVED_PROPERTIES,
  VOLUNTEERED_NOTE,
} from '../../../shared/model/understanding.ts';
import { findAddress, findAddressParts, findUnit, type PostalAddress } from './address.ts';
import { asksSomething, classifyAct, classifyConsent } from './dialogue.ts';
import { matchQuestion } from './faq-match.ts';
import { findIds, type IdMatch, type PatternShape, shapeOf, unlistedIds } from './ids.ts';
import { findName, findStatedName, hasNameAndZipLine, nameAndZipPart, type PersonName } from './names.ts';
import {
  comparesPrices,
  matchEnum,
  matchOption,
  matchOptions,
  matchOptionsStrictly,
  type Option,
  tiedOptions,
} from './phrase-match.ts';
import { type RouteDescription, type RouteReading, readRoutes } from './route-match.ts';
import { type Found, findDates, findEmails, findMoney, findNumbers, findZips } from './scalars.ts';
import { type Chunk, chunksOf, KEPT, REFUND_TO, termsOf, wordsBefore } from './text.ts';

/**
 * The local model endpoint's extraction engine: given a tool's input schema and the user's text, it
 * returns the tool input a careful reader would give, filling a property only when the message holds
 * evidence for it. Pure and deterministic: the same schema and text always give the same input.
 *
 * What it understands is decided per property, from its schema first and its name second (see
 * `kindOf`); docs/local-model.md lists every kind and what it does not understand.
 */
export function extractToolInput(inputSchema: JsonSchema, userText: string): Record<string, unknown> {
  const message = customerMessage(userText);
  const plans = propertiesOf(inputSchema).map(([name, schema]) => planOf(name, schema, inputSchema));
  const reader = createReader(message);
  reader.datePlans = plans.filter((plan) => plan.kind.type === 'date').length;
  reader.addressAsked = plans.some(
    (plan) => plan.kind.type === 'address-part' || plan.kind.type === 'address',
  );
  const input: Record<string, unknown> = {};
  const set = (plan: Plan, value: unknown) => {
    if (value === undefined) return;
    if (Array.isArray(value) && value.length === 0) return;
    if (conformsTo(value, plan.schema)) input[plan.name] = value;
  };

  for (const [name, value] of extractIds(plans, reader))
    set(plans.find((plan) => plan.name === name)!, value);
  const ordered = plans
    .filter((plan) => plan.kind.type !== 'id')
    .sort((a, b) => ORDER[a.kind.type] - ORDER[b.kind.type]);
  // "No thanks, I'll stay on Standard" at a confirmation keeps what the customer has: the plan named
  // after "stay on" is not a new value for the action (a correction), so details are read without it.
  const asked = plans.some((plan) => plan.kind.type === 'consent');
  const kept = asked ? message.replace(KEEPS, ' ') : message;
  const details = kept === message ? reader : createReader(kept);
  for (const plan of ordered) set(plan, extract(plan, DIALOGUE_KINDS.has(plan.kind.type) ? reader : details));
  return Object.fromEntries(
    plans.flatMap((plan) => (plan.name in input ? [[plan.name, input[plan.name]]] : [])),
  );
}

/** What a customer keeps, said with what it is: "stay on standard", "keep my visa", "stick with it". */
const KEEPS =
  /\b(?:stay(?:ing)?|remain(?:ing)?|stick(?:ing)?|keep(?:ing)?)\s+(?:on|with|at|to|using)?\s*(?:my|the|what i have|it)?\s*[\w-]*(?:\s+(?:plan|one|card|subscription|account))?/gi;

/** Kinds read from the whole message, whatever it keeps. */
const DIALOGUE_KINDS: ReadonlySet<Kind['type']> = new Set([
  'consent',
  'confirmation',
  'act',
  'language',
  'faq',
]);

/**
 * Kinds read in this order, so that what is read first (an email, a date, an address, a zip) is no
 * longer there when numbers are looked for.
 */
const ORDER: Readonly<Record<Kind['type'], number>> = {
  id: 0,
  route: 1,
  'route-choices': 1,
  'more-routes': 1,
  faq: 2,
  consent: 3,
  confirmation: 3,
  act: 4,
  language: 5,
  email: 6,
  date: 7,
  address: 8,
  'address-part': 9,
  zip: 10,
  name: 11,
  option: 12,
  'could-be': 12,
  enum: 13,
  number: 14,
  'free-text': 15,
  none: 15,
};

type ReservedProperty = (typeof RESERVED_PROPERTIES)[number];
/** The tool's own properties the engine recognises by name (the others by their schema). */
const FAQ: ReservedProperty = 'faq';
const LANGUAGE: ReservedProperty = 'language';
const ROUTE: ReservedProperty = 'route';
const ROUTE_CHOICES: ReservedProperty = 'route_choices';
const MORE_ROUTES: ReservedProperty = 'more_routes';
const COULD_BE: ReservedProperty = 'could_be';

/** The customer's words: inside `<customer_message>` when the request tags them, else the whole text. */
export function customerMessage(userText: string): string {
  const open = '<customer_message>';
  const start = userText.indexOf(open);
  const end = userText.lastIndexOf('</customer_message>');
  if (start >= 0 && end > start) return userText.slice(start + open.length, end).trim();
  return userText.trim();
}

type AddressPart = 'address1' | 'address2' | 'city' | 'state' | 'zip' | 'country';
type NamePart = 'first' | 'last' | 'full';

/** What a property is, decided once from its schema and name. */
type Kind =
  | { type: 'route'; routes: RouteDescription[]; clarifying?: string[] }
  | { type: 'route-choices'; routes: RouteDescription[] }
  | { type: 'could-be'; options: Option[] }
  | { type: 'more-routes'; routes: RouteDescription[] }
  | { type: 'faq'; entries: Option[]; context: string | undefined }
  | { type: 'consent'; question: string | undefined }
  | { type: 'act' }
  | { type: 'language' }
  | { type: 'confirmation' }
  | { type: 'option'; options: Option[]; many: boolean; open?: PatternShape }
  | { type: 'address'; parts: [string, AddressPart][] }
  | { type: 'email'; many: boolean }
  | { type: 'date'; withTime: boolean }
  | { type: 'zip' }
  | { type: 'address-part'; part: AddressPart }
  | { type: 'name'; part: NamePart }
  | { type: 'enum'; values: string[]; many: boolean }
  | { type: 'id'; shape: PatternShape; many: boolean }
  | { type: 'number'; money: boolean; integer: boolean }
  /** The customer's own words (`'x-free-text'`): the whole answer, verbatim. */
  | { type: 'free-text' }
  | { type: 'none' };

interface Plan {
  readonly name: string;
  readonly schema: JsonSchema;
  readonly kind: Kind;
  /** Terms of the property's name and description, to tell which property a cue word points at. */
  readonly terms: ReadonlySet<string>;
  /**
   * Not the question being answered (`VOLUNTEERED_NOTE`): read only when stated outright, so a
   * first message gives its reason or its address, and nothing is read into it.
   */
  readonly volunteered: boolean;
}

function planOf(name: string, raw: JsonSchema, tool: JsonSchema): Plan {
  const schema = effective(raw);
  const description = typeof schema.description === 'string' ? schema.description : '';
  return {
    name,
    schema,
    kind: kindOf(name, schema, tool),
    terms: new Set(
      termsOf(`${name.replace(/[_-]+/g, ' ')} ${description.replace(VOLUNTEERED_NOTE, '')}`).filter(
        (term) => term !== 'id',
      ),
    ),
    volunteered: description.includes(VOLUNTEERED_NOTE),
  };
}

function kindOf(name: string, schema: JsonSchema, tool: JsonSchema): Kind {
  const lname = name.toLowerCase();
  const description = typeof schema.description === 'string' ? schema.description : '';
  const many = schema.type === 'array';
  const value = many && isRecord(schema.items) ? effective(schema.items) : schema;

  if (schema[FREE_TEXT] === true) return { type: 'free-text' };
  // Before routes: the consent and act enums also describe each value on a "- value: …" line.
  if (sameValues(schema.enum, CONSENT_KINDS)) {
    // The description's first line quotes the question asked: a reply is read against it.
    return { type: 'consent', question: /"(.+)"/.exec(description.split('\n')[0] ?? '')?.[1] };
  }
  if (sameValues(schema.enum, DIALOGUE_ACTS)) return { type: 'act' };
  if (lname === LANGUAGE && schema.type === 'string' && schema.enum === undefined)
    return { type: 'language' };
  if (lname === COULD_BE) {
    // The choices it narrows are those of the question being answered: the single-valued option slot.
    for (const [other, sub] of propertiesOf(tool)) {
      if (other === COULD_BE) continue;
      const candidate = effective(sub);
      const options = candidate.type === 'array' ? undefined : optionsOf(candidate);
      if (options !== undefined) return { type: 'could-be', options };
    }
    return { type: 'none' };
  }
  if (lname === ROUTE_CHOICES || lname === MORE_ROUTES) {
    // The route property describes the procedures; these two only name some of them.
    const route = propertiesOf(tool).find(([other]) => other === ROUTE)?.[1];
    const routes = route === undefined ? undefined : routeDescriptionsOf(effective(route));
    if (routes === undefined) return { type: 'none' };
    return lname === ROUTE_CHOICES ? { type: 'route-choices', routes } : { type: 'more-routes', routes };
  }
  if (lname === ROUTE) {
    const routes = routeDescriptionsOf(schema);
    const asked = description
      .split('\n')
      .find((line) => line.startsWith(CLARIFYING_NOTE))
      ?.slice(CLARIFYING_NOTE.length)
      .replace(/\.$/, '')
      .split(',')
      .map((id) => id.trim())
      .filter((id) => routes?.some((route) => route.value === id));
    if (routes !== undefined)
      return { type: 'route', routes, ...(asked && asked.length >= 2 ? { clarifying: asked } : {}) };
  }
  const routes = routesOf(schema, description);
  if (routes !== undefined)
    return lname === FAQ
      ? { type: 'faq', entries: routes, context: confirmationAsked(tool) }
      : { type: 'route', routes: routes.map((route) => ({ ...route, examples: [] })) };
  if (schema.type === 'boolean') {
    const booleans = propertiesOf(tool).filter(([, sub]) => effective(sub).type === 'boolean').length;
    return /confirm/i.test(`${lname} ${description}`) || booleans === 1
      ? { type: 'confirmation' }
      : { type: 'none' };
  }
  const options = optionsOf(value);
  if (options !== undefined) {
    const typed = Array.isArray(value.anyOf)
      ? value.anyOf.find((entry): entry is JsonSchema => isRecord(entry) && typeof entry.pattern === 'string')
      : undefined;
    const open = typed ? shapeOf(typed.pattern as string) : undefined;
    return { type: 'option', options, many, ...(open ? { open } : {}) };
  }
  if (schema.type === 'object') {
    const parts = propertiesOf(schema).flatMap(([sub]) => {
      const part = addressPartOf(sub);
      return part === undefined ? [] : [[sub, part] as [string, AddressPart]];
    });
    return parts.length > 0 ? { type: 'address', parts } : { type: 'none' };
  }
  if (value.type === 'string') {
    if (value.format === 'email' || /(?:^|_)e-?mail/.test(lname)) return { type: 'email', many };
    if (value.format === 'date' || value.format === 'date-time' || /(?:^|_)date(?:_|$)/.test(lname)) {
      return { type: 'date', withTime: value.format === 'date-time' };
    }
    const part = addressPartOf(lname);
    if (part === 'zip') return { type: 'zip' };
    if (part !== undefined) return { type: 'address-part', part };
    const namePart = namePartOf(lname);
    if (namePart !== undefined) return { type: 'name', part: namePart };
    if (Array.isArray(value.enum)) return { type: 'enum', values: value.enum.map(String), many };
    const shape = typeof value.pattern === 'string' ? shapeOf(value.pattern) : undefined;
    if (shape !== undefined) return { type: 'id', shape, many };
  }
  if (!many && (schema.type === 'number' || schema.type === 'integer')) {
    return {
      type: 'number',
      money: /amount|price|cost|total|refund|balance|dollar|fee|charge|payment/i.test(
        `${lname} ${description}`,
      ),
      integer: schema.type === 'integer',
    };
  }
  return { type: 'none' };
}

function sameValues(values: unknown, expected: readonly string[]): boolean {
  return (
    Array.isArray(values) &&
    values.length === expected.length &&
    expected.every((value) => values.includes(value))
  );
}

/** A route property's procedures: its "- id: when" lines, each with the `e.g. "…"` lines under it. */
function routeDescriptionsOf(schema: JsonSchema): RouteDescription[] | undefined {
  const description = typeof schema.description === 'string' ? schema.description : '';
  const lines = description.split('\n');
  const routes = routesOf(schema, description);
  return routes?.map((route) => {
    const at = lines.findIndex((line) => line.startsWith(`- ${route.value}: `));
    const examples: string[] = [];
    for (const line of lines.slice(at + 1)) {
      const example = /^\s+e\.g\. "(.*)"\s*$/.exec(line);
      if (example === null) break;
      examples.push(example[1]!);
    }
    return { ...route, examples };
  });
}

/** A route (or FAQ) property lists each enum value as a "- id: when" line of its description. */
function routesOf(schema: JsonSchema, description: string): Option[] | undefined {
  if (!Array.isArray(schema.enum) || schema.enum.length === 0) return undefined;
  const routes: Option[] = [];
  for (const id of schema.enum.map(String)) {
    const line = description.split('\n').find((candidate) => candidate.startsWith(`- ${id}: `));
    if (line === undefined) return undefined;
    routes.push({ value: id, label: line.slice(`- ${id}: `.length) });
  }
  return routes;
}

/**
 * Options are written as `oneOf: [{ const, title }]`, as the model client emits them; open options
 * (`optionsOpen`) as `anyOf` with one more entry, the shape of a value the customer may type instead.
 */
function optionsOf(schema: JsonSchema): Option[] | undefined {
  const entries = Array.isArray(schema.oneOf)
    ? schema.oneOf
    : Array.isArray(schema.anyOf)
      ? schema.anyOf.filter((entry) => isRecord(entry) && 'const' in entry)
      : undefined;
  if (entries === undefined || entries.length === 0) return undefined;
  const options: Option[] = [];
  for (const entry of entries) {
    if (!isRecord(entry) || !('const' in entry)) return undefined;
    const value = String(entry.const);
    const label =
      typeof entry.title === 'string'
        ? entry.title
        : typeof entry.description === 'string'
          ? entry.description
          : value;
    options.push({ value, label });
  }
  return options;
}

/**
 * An address written out whole, street to country, with no unit has an empty second line: without
 * it, a procedure that asks for "address line 2" would ask again forever.
 */
/** "there's no apt number", "no apartment", "n/a": the second address line is empty. */
const NO_UNIT =
  /\b(?:no|without|there'?s no|theres no|don'?t have (?:an? |any )?|dont have (?:an? |any )?)\s*(?:apt|apartment|unit|suite|ste)\b|^\s*n\/?a\s*[.!]*$/i;

function partOf(address: PostalAddress, part: AddressPart): string | undefined {
  const { address1, city, state, zip, country } = address;
  const whole = [address1, city, state, zip, country].every((found) => found !== undefined);
  if (part === 'address2' && address.address2 === undefined && whole) return '';
  return address[part];
}

function addressPartOf(name: string): AddressPart | undefined {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (['address1', 'addressline1', 'line1', 'street', 'streetaddress', 'address'].includes(key))
    return 'address1';
  if (['address2', 'addressline2', 'line2', 'apartment', 'unit', 'suite'].includes(key)) return 'address2';
  if (['city', 'town'].includes(key)) return 'city';
  if (['state', 'province', 'region'].includes(key)) return 'state';
  if (['zip', 'zipcode', 'postalcode', 'postcode'].includes(key)) return 'zip';
  if (['country'].includes(key)) return 'country';
  return undefined;
}

function namePartOf(name: string): NamePart | undefined {
  const key = name.replace(/[^a-z]/g, '');
  if (['firstname', 'givenname', 'forename'].includes(key)) return 'first';
  if (['lastname', 'surname', 'familyname'].includes(key)) return 'last';
  if (['name', 'fullname', 'customername'].includes(key)) return 'full';
  return undefined;
}

/** Everything found in the message, each finder run at most once. */
interface Reader {
  readonly message: string;
  readonly chunks: readonly Chunk[];
  emails(): Found<string>[];
  dates(): ReturnType<typeof findDates>;
  address(): PostalAddress | undefined;
  name(): PersonName | undefined;
  /** What the message does, and its language when it is not English. */
  act(): { act: DialogueAct; language?: string };
  /** Which procedures the message asks for (read once for route, route_choices and more_routes). */
  routing(routes: readonly RouteDescription[]): RouteReading;
  /** Spans already read as something else (ids, emails, dates, an address, a zip). */
  readonly taken: { start: number; end: number }[];
  /** Date properties in the request: with several, a date goes only to the one its words point at. */
  datePlans: number;
  /** Dates a date property already took (by their start). */
  readonly datesClaimed: Set<number>;
  /** Parts of an address are asked for in the same request: a zip there is the address's. */
  addressAsked: boolean;
}

function createReader(message: string): Reader {
  const once = <T>(compute: () => T): (() => T) => {
    let cached: { value: T } | undefined;
    return () => {
      cached ??= { value: compute() };
      return cached.value;
    };
  };
  return {
    message,
    chunks: chunksOf(message),
    emails: once(() => findEmails(message)),
    dates: once(() => findDates(message)),
    address: once(() => findAddress(message)),
    name: once(() => findName(message)),
    act: once(() => classifyAct(message)),
    routing: (() => {
      let cached: RouteReading | undefined;
      return (routes: readonly RouteDescription[]) => {
        cached ??= readRoutes(message, routes);
        return cached;
      };
    })(),
    taken: [],
    datePlans: 0,
    datesClaimed: new Set(),
    addressAsked: false,
  };
}

function extract(plan: Plan, reader: Reader): unknown {
  return plan.volunteered ? extractVolunteered(plan, reader) : extractAnswer(plan, reader);
}

/**
 * A fact the customer was not asked for yet: only what is stated outright. A street address (with a
 * street line), a zip after "zip", a name after "my name is", an email, an id by its pattern, or a
 * value of a list written out in full ("ordered by mistake"); never a bare number, a date, a
 * lowercase word that could be a name, or a guess.
 */
function extractVolunteered(plan: Plan, reader: Reader): unknown {
  const { kind } = plan;
  switch (kind.type) {
    case 'address':
    case 'address-part': {
      const address = reader.address();
      if (address?.address1 === undefined) {
        // "Actually it's apt 5": a unit said outright corrects the second line given before.
        const description = typeof plan.schema.description === 'string' ? plan.schema.description : '';
        if (kind.type === 'address-part' && kind.part === 'address2' && description.includes('already gave'))
          return findUnit(reader.message);
        return undefined;
      }
      return extractAnswer(plan, reader);
    }
    case 'number': {
      // "pause it for 2 months", "for a month": a count said with the unit the fact is named by is
      // stated outright; a bare number is not.
      const unit = plan.name.replace(/^(?:number_of_|num_)/, '').replace(/s$/, '');
      if (!/^[a-z]{3,}$/.test(unit)) return undefined;
      const after = new RegExp(String.raw`^\s*${unit}s?\b`, 'i');
      const said = findNumbers(reader.message).filter(
        (found) =>
          after.test(reader.message.slice(found.end)) && (!kind.integer || Number.isInteger(found.value)),
      );
      return single(distinct(said.map((found) => found.value)));
    }
    case 'zip': {
      // Unasked, a zip is the new address's when the address is asked for with it (a new address
      // given with the request); otherwise it signs in, and only beside a name ("liam thomas 85049,
      // cancel my order") or after "zip": the zip of an address said with the request is not the
      // customer's.
      const address = reader.address();
      if (reader.addressAsked && address?.address1 !== undefined) return extractZip(plan, reader);
      const part = nameAndZipPart(reader.message);
      if (part !== undefined) return /\d{5}/.exec(part)?.[0];
      if (!/\b(?:zip|postal)\b/i.test(reader.message) && !hasNameAndZipLine(reader.message)) return undefined;
      if (address === undefined) return extractZip(plan, reader);
      const { start, end } = address;
      const blanked = `${reader.message.slice(0, start)}${' '.repeat(end - start)}${reader.message.slice(end)}`;
      return extractZip(plan, createReader(blanked));
    }
    case 'name': {
      const name = findStatedName(reader.message);
      if (name === undefined) return undefined;
      return kind.part === 'first' ? name.first : kind.part === 'last' ? name.last : name.full;
    }
    case 'enum': {
      const value = matchEnum(reader.message, kind.values, 1);
      return kind.many && value !== undefined ? [value] : value;
    }
    case 'email':
      return extractAnswer(plan, reader);
    case 'option': {
      // Read before the question: the words that name the request ("cancel my order") say what to
      // do, not which one ("cancelled" is not a description of the order to cancel).
      // "… with a refund to my credit card" says where the money goes: it describes a payment
      // method, never an item ("card" is not the camera's "CF card").
      const paying = plan.terms.has('payment') || plan.terms.has('method');
      // "The first one" before any list was shown answers another question (which procedure).
      const described = (paying ? reader.message : reader.message.replace(REFUND_TO, ' '))
        .replace(KEPT, ' ')
        .replace(ACTION_WORDS, ' ')
        .replace(LISTED_POSITION, ' ');
      return kind.many ? matchOptionsStrictly(described, kind.options) : matchOption(described, kind.options);
    }
    default:
      return undefined;
  }
}

/** The message without the words of the property's name (`known_address`: "address", "addresses"). */
function withoutNameWords(message: string, name: string): string {
  const words = name
    .toLowerCase()
    .split(/[_.-]+/)
    .filter((word) => word.length > 2 && !['ids', 'known'].includes(word));
  return words.reduce((text, word) => text.replace(new RegExp(`\\b${word}(?:e?s)?\\b`, 'gi'), ' '), message);
}

/** A place in a list the customer was shown ("the second one"), meaningless before it is shown. */
const LISTED_POSITION = /\b(?:first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th) (?:one|option|choice)\b/gi;

/** What a customer asks to have done, in its forms: never a description of the thing to do it to. */
const ACTION_WORDS =
  /\b(?:cancel(?:l?ed|l?ing|s|lation)?|return(?:ed|ing|s)?|exchang(?:e|ed|es|ing)|chang(?:e|ed|es|ing)|modif(?:y|ied|ies|ying)|updat(?:e|ed|es|ing)|refund(?:ed|ing|s)?|pay|paid|paying|status|track(?:ing)?|swap(?:ped|ping|s)?|replac(?:e|ed|es|ing))\b/gi;

/**
 * A question about the choices as a set: "which orders can be cancelled?", "what items are
 * returnable?", "which of my orders have shipped?". A question word, a plural (or "ones") and a verb
 * after it; "what about the one with the lamp?" or "is it the cancelled one?" still pick one.
 */
function asksWhichOne(message: string, reader: Reader): boolean {
  if (reader.act().act !== 'question') return false;
  return /\b(?:which|what)\s+(?:of\s+(?:my|the|your|these|those)\s+)?(?:[a-z]+\s+)?(?:[a-z]+s|ones)\s+(?:can|could|are|were|do|did|have|has|will|would|should|may|might|is|qualify|count)\b/i.test(
    message,
  );
}

/** Whether the message names the thing a later question is about ("The new Running Shoes the customer wants …"). */
function namesThing(plan: Plan, message: string): boolean {
  const description = typeof plan.schema.description === 'string' ? plan.schema.description : '';
  const thing = /^The new (.+?) the customer wants/.exec(description)?.[1];
  if (thing === undefined) return false;
  const said = new Set(termsOf(message));
  return termsOf(thing).some((term) => said.has(term));
}

/** Words that add to a list already given ("I also want to return the watch", "add the mug too"). */
const ADDS = /\b(?:also|too|as well|add|plus|in addition|another)\b/i;

/**
 * A list read from a message that adds to the list the customer already gave (ADDS_NOTE): the whole
 * list, what they gave first. Otherwise what was read.
 */
function withGiven(plan: Plan, message: string, read: string[]): string[] {
  const description = typeof plan.schema.description === 'string' ? plan.schema.description : '';
  if (read.length === 0 || !description.includes(ADDS_NOTE) || !ADDS.test(message)) return read;
  const given = /The customer already gave (\[.*?\]); fill/.exec(description)?.[1];
  const parsed: unknown = given ? JSON.parse(given) : [];
  const before = Array.isArray(parsed)
    ? parsed.filter((value): value is string => typeof value === 'string')
    : [];
  return [...new Set([...before, ...read])];
}

function extractAnswer(plan: Plan, reader: Reader): unknown {
  const { kind } = plan;
  const { message } = reader;
  switch (kind.type) {
    case 'route': {
      if (kind.clarifying) {
        // An answer to "Which do you need: … or …?": "the first one", "the exchange", "modify".
        const asked = kind.clarifying.map((id) => {
          const route = kind.routes.find((candidate) => candidate.value === id)!;
          return { value: id, label: `${id.replace(/[-_]+/g, ' ')}. ${route.label}` };
        });
        const picked = matchOption(message, asked);
        if (picked !== undefined) return picked;
      }
      return reader.routing(kind.routes).route;
    }
    case 'route-choices':
      return reader.routing(kind.routes).choices;
    case 'could-be': {
      const tied = tiedOptions(message, kind.options);
      return tied.length >= 2 ? tied : undefined;
    }
    case 'more-routes':
      return reader.routing(kind.routes).more;
    case 'faq':
      // An entry answers a question: a message that asks nothing gets none, however close its words.
      // Asked at a confirmation, the action being confirmed tells entries the message fits alike apart
      // ("will i get money back?" when cancelling a monthly plan).
      return asksSomething(message) ? matchQuestion(message, kind.entries, kind.context) : undefined;
    case 'consent':
      return classifyConsent(message, kind.question);
    case 'confirmation': {
      // A yes/no property of an older contract: only an agreement is a yes, only a refusal a no.
      const consent = classifyConsent(message);
      return consent === 'agree' ? true : consent === 'decline' ? false : undefined;
    }
    case 'act':
      return reader.act().act;
    case 'language':
      return reader.act().language;
    case 'option': {
      // An id of the options' own shape that is none of them ("credit_card_4467209" when the cards
      // listed are others) names something not on the list: never read as the listed one whose words
      // it shares ("credit card"). Open options take it as typed; closed ones take nothing.
      const unlisted = unlistedIds(message, kind.options);
      if (unlisted.length > 0) {
        const typed = kind.open ? findIds(reader.chunks, kind.open, () => true) : [];
        if (kind.many) return typed.length > 0 ? typed.map((id) => id.value) : undefined;
        return typed.length === 1 ? typed[0]!.value : undefined;
      }
      // "Which orders can be cancelled?" asks about the choices; it picks none of them, though its
      // words fit one ("…, cancelled"). Found by aop simulate: with one order listed, the FAQ answer
      // came with that order chosen, and the procedure ended on it.
      if (asksWhichOne(message, reader)) return undefined;
      if (kind.many) return withGiven(plan, message, matchOptions(message, kind.options));
      // An id typed that is not listed is still what the customer said (open options only); the
      // customer is answering "which one", so a bare number is one ("9502127").
      const typed = kind.open ? findIds(reader.chunks, kind.open, () => true) : [];
      // A later item's question ("new_item_ids.2") is answered by a price only when the message names
      // that item: "the most expensive one", said of the item asked about, is not said of every item.
      if (/\.\d+$/.test(plan.name) && comparesPrices(message) && !namesThing(plan, message)) return undefined;
      // "The address from my order with the bicycle", asked which address, ties the default address
      // with the bicycle's: the word for what is chosen does not say which one, so read without it.
      return (
        matchOption(message, kind.options) ??
        matchOption(withoutNameWords(message, plan.name), kind.options) ??
        (typed.length === 1 ? typed[0]!.value : undefined)
      );
    }
    case 'address': {
      const address = reader.address();
      if (address === undefined) return undefined;
      take(reader, address);
      const value: Record<string, string> = {};
      for (const [property, part] of kind.parts) {
        const found = partOf(address, part);
        if (found !== undefined) value[property] = found;
      }
      return Object.keys(value).length > 0 ? value : undefined;
    }
    case 'email': {
      const emails = reader.emails();
      for (const email of emails) take(reader, email);
      const values = distinct(emails.map((email) => email.value));
      return kind.many ? values : single(values);
    }
    case 'date': {
      const all = reader.dates();
      for (const date of all) take(reader, date);
      // One date never fills several date facts: with more than one asked, a date goes to the one
      // whose words come right before it ("delivered on 2024-05-03"), and to none when nothing says.
      const dates =
        reader.datePlans > 1
          ? all.filter((date) => !reader.datesClaimed.has(date.start) && cueBefore(plan, reader, date))
          : all;
      for (const date of dates) reader.datesClaimed.add(date.start);
      const values = distinct(
        dates.flatMap((date) => {
          const text = kind.withTime ? date.value.dateTime : date.value.date;
          return text === undefined ? [] : [text];
        }),
      );
      return single(values);
    }
    case 'zip':
      return extractZip(plan, reader);
    case 'address-part': {
      const address = reader.address();
      if (address === undefined) {
        // A reply to a question for the address that gives only some parts: "austin tx", "78701 usa".
        const parts = findAddressParts(message);
        // "Apt 5" alone answers a question for the second line.
        if (kind.part === 'address2') return NO_UNIT.test(message) ? '' : findUnit(message);
        return parts === undefined ? undefined : partOf({ ...parts, start: 0, end: 0 }, kind.part);
      }
      take(reader, address);
      return partOf(address, kind.part);
    }
    case 'name': {
      const name = reader.name();
      if (name === undefined) return undefined;
      return kind.part === 'first' ? name.first : kind.part === 'last' ? name.last : name.full;
    }
    case 'enum': {
      const value = matchEnum(message, kind.values);
      return kind.many && value !== undefined ? [value] : value;
    }
    case 'number':
      return extractNumber(plan, kind, reader);
    case 'free-text': {
      // The answer to "describe the damage" is the message itself, as written; a bare yes or no is not
      // one, nor is what repairs the conversation instead (found by aop simulate: "ok thanks", "sorry,
      // what?" and "why do you need a reason?" were each filed as the complaint): thanks, "what?", a
      // greeting, "never mind", a request for a person, a lone question, one word ("asdfgh").
      const text = message.trim();
      if (text.length === 0 || /^(?:y(?:es|eah|ep)?|no?|nope|ok(?:ay)?|k|sure)[.!]*$/i.test(text))
        return undefined;
      if ((text.match(/[a-z]+/gi) ?? []).length < 2) return undefined;
      const { act } = reader.act();
      if (['thanks', 'repeat', 'greeting', 'cancel', 'human'].includes(act)) return undefined;
      if (act === 'question' && !/[.!?]\s+\S/.test(text)) return undefined;
      return text;
    }
    default:
      return undefined;
  }
}

/**
 * Ids for every pattern property at once: a piece of the message that fits two properties' patterns
 * goes to the one whose name or description its surrounding words point at ("pay with
 * credit_card_9513926" → the payment method, not the user id), and to neither when nothing does.
 */
function extractIds(plans: readonly Plan[], reader: Reader): Map<string, unknown> {
  const emailSpans = reader.emails();
  const chunks = reader.chunks.filter((chunk) => !emailSpans.some((email) => overlaps(email, chunk)));
  const found = new Map<Plan, IdMatch[]>();
  for (const plan of plans) {
    if (plan.kind.type !== 'id') continue;
    found.set(
      plan,
      findIds(chunks, plan.kind.shape, (chunk) => cueBefore(plan, reader, chunk)),
    );
  }
  const claimants = new Map<number, Plan[]>();
  for (const [plan, matches] of found) {
    for (const match of matches)
      claimants.set(match.chunk.index, [...(claimants.get(match.chunk.index) ?? []), plan]);
  }
  const values = new Map<string, unknown>();
  for (const [plan, matches] of found) {
    const kept = matches.filter((match) => {
      const rivals = claimants.get(match.chunk.index) ?? [];
      if (rivals.length === 1) return true;
      const scores = rivals.map((rival) => affinity(rival, reader, match.chunk));
      const top = Math.max(...scores);
      return (
        scores.filter((score) => score === top).length === 1 && affinity(plan, reader, match.chunk) === top
      );
    });
    for (const match of kept) take(reader, match.chunk);
    const ids = distinct(kept.map((match) => match.value));
    if (plan.kind.type === 'id' && plan.kind.many) {
      values.set(plan.name, ids);
    } else if (ids.length === 1) {
      values.set(plan.name, ids[0]);
    } else if (ids.length > 1) {
      const scored = kept.map((match) => ({
        value: match.value,
        score: affinity(plan, reader, match.chunk),
      }));
      const top = Math.max(...scored.map((entry) => entry.score));
      const winners = distinct(scored.filter((entry) => entry.score === top).map((entry) => entry.value));
      if (top > 0 && winners.length === 1) values.set(plan.name, winners[0]);
    }
  }
  return values;
}

/** How many of the property's words appear in the id itself or in the three words before it. */
function affinity(plan: Plan, reader: Reader, chunk: Chunk): number {
  const near = termsOf(
    `${wordsBefore(reader.message, chunk.start, 3).join(' ')} ${chunk.text.replace(/[_-]+/g, ' ')}`,
  );
  return distinct(near).filter((term) => plan.terms.has(term)).length;
}

function cueBefore(plan: Plan, reader: Reader, chunk: { start: number }): boolean {
  return termsOf(wordsBefore(reader.message, chunk.start, 3).join(' ')).some((term) => plan.terms.has(term));
}

function extractZip(plan: Plan, reader: Reader): string | undefined {
  const address = reader.address();
  if (address?.zip !== undefined) {
    take(reader, address);
    return address.zip;
  }
  const zips = findZips(reader.message).filter((zip) => !isTaken(reader, zip));
  const cued = zips.filter(
    (zip) =>
      cueBefore(plan, reader, zip) ||
      /\b(?:zip|postal|post)\b/i.test(wordsBefore(reader.message, zip.start, 3).join(' ')),
  );
  const chosen =
    single(distinct(cued.map((zip) => zip.value))) ?? single(distinct(zips.map((zip) => zip.value)));
  const span = zips.find((zip) => zip.value === chosen);
  if (span !== undefined) take(reader, span);
  return chosen;
}

/**
 * A number or an amount. With several in the message, the one right after the property's own words
 * ("quantity 3", "refund of $20") is taken, and none when that does not single one out.
 */
function extractNumber(
  plan: Plan,
  kind: Extract<Kind, { type: 'number' }>,
  reader: Reader,
): number | undefined {
  const money = findMoney(reader.message).filter((found) => !isTaken(reader, found));
  const numbers = findNumbers(reader.message).filter(
    (found) => !isTaken(reader, found) && (kind.money || !money.some((amount) => overlaps(amount, found))),
  );
  const pools = kind.money ? [money, numbers] : [numbers];
  for (const pool of pools) {
    const candidates = kind.integer ? pool.filter((found) => Number.isInteger(found.value)) : pool;
    if (candidates.length === 0) continue;
    const values = distinct(candidates.map((found) => found.value));
    if (values.length === 1) return values[0];
    const cued = distinct(
      candidates.filter((found) => cueBefore(plan, reader, found)).map((found) => found.value),
    );
    return single(cued);
  }
  return undefined;
}

function take(reader: Reader, span: { start: number; end: number }): void {
  reader.taken.push({ start: span.start, end: span.end });
}

function isTaken(reader: Reader, span: { start: number; end: number }): boolean {
  return reader.taken.some((taken) => overlaps(taken, span));
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The confirmation question the request quotes (its consent property's description), if one was asked. */
function confirmationAsked(tool: JsonSchema): string | undefined {
  for (const [, property] of propertiesOf(tool)) {
    if (!sameValues(property.enum, CONSENT_KINDS)) continue;
    const description = typeof property.description === 'string' ? property.description : '';
    return /"(.+)"/.exec(description.split('\n')[0] ?? '')?.[1];
  }
  return undefined;
}

function propertiesOf(schema: JsonSchema): [string, JsonSchema][] {
  if (!isRecord(schema.properties)) return [];
  return Object.entries(schema.properties).flatMap(([name, sub]) =>
    isRecord(sub) ? [[name, sub] as [string, JsonSchema]] : [],
  );
}

/** A nullable property (`anyOf: [X, {type: 'null'}]`) is read as X. */
function effective(schema: JsonSchema): JsonSchema {
  if (schema.type !== undefined || !Array.isArray(schema.anyOf)) return schema;
  const variants = schema.anyOf.filter(
    (variant): variant is JsonSchema => isRecord(variant) && variant.type !== 'null',
  );
  if (variants.length !== 1) return schema;
  const { anyOf: _anyOf, ...rest } = schema;
  return { ...rest, ...variants[0] };
}

function single<T>(values: readonly T[]): T | undefined {
  return values.length === 1 ? values[0] : undefined;
}

function distinct<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
