import { mend } from './route-match.ts';
import { inCatalogueWords, termsOf, WEAK_TERMS, wordsOf } from './text.ts';

/**
 * Matching a message to described values by the words they share, after stemming and synonyms:
 * enum values ("I don't need it anymore" → "no longer needed"), options by their labels ("the keyboard
 * and the thermostat" → two item ids) and routes by their `when` text. Every matcher answers nothing
 * rather than pick between equally good candidates.
 */

export interface Option {
  readonly value: string;
  readonly label: string;
}

/** "not", "no", "isn't", "without" … just before the phrase (one word may come between). */
const NEGATED_BEFORE = (phrase: string) =>
  new RegExp(
    String.raw`\b(?:not|no|non|without|isn'?t|aren'?t|doesn'?t have|don'?t have)[- ]+(?:\w+ )?${escapeRegExp(phrase).replace(/ /g, '[- ]+')}\b`,
    'i',
  );

/** Enum values are matched on all their words; at least this share of them must be in the message. */
const ENUM_MIN_SCORE = 0.6;
/** A route must share at least this cosine similarity (tf-idf) with the message. */
export const ROUTE_MIN_SCORE = 0.12;
/** The best candidate must beat the runner-up by at least this much to be chosen. */
const MARGIN = 0.05;

export function matchEnum(
  written: string,
  values: readonly string[],
  minimum: number = ENUM_MIN_SCORE,
): string | undefined {
  const message = inCatalogueWords(written);
  // "one that isn't waterproof" among "water resistance" and "not water resistance".
  for (const value of values) {
    const lacks = /^not (.+)$/i.exec(value)?.[1];
    if (lacks === undefined || !values.some((other) => other.toLowerCase() === lacks.toLowerCase())) continue;
    if (NEGATED_BEFORE(lacks).test(message)) return value;
  }
  const normalised = normalise(message);
  const exact = values.filter((value) =>
    new RegExp(`(?:^| )${escapeRegExp(normalise(value))}(?: |$)`).test(normalised),
  );
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) return longest(exact);
  // A value's words said in one sentence: "that's not what i asked. i want the refund…" does not
  // say "no longer needed" ("not" and "want" are in different sentences).
  const sentences = message
    .split(/(?<=[.!?;])\s+/)
    .map((sentence) => new Set(termsOf(sentence)))
    .filter((terms) => terms.size > 0);
  const scored = values.map((value) => {
    const terms = unique(termsOf(humanise(value)));
    const total = sum(terms.map(weight));
    const matched = Math.max(
      0,
      ...sentences.map((said) => sum(terms.filter((term) => said.has(term)).map(weight))),
    );
    return { value, score: total === 0 ? 0 : matched / total };
  });
  return best(scored, minimum);
}

/**
 * One option for a scalar slot: an option whose value is written in the message, else the label that
 * shares the most distinctive words with the message, else an ordinal ("the second one").
 */
export function matchOption(written: string, given: readonly Option[]): string | undefined {
  const [typed, options] = letterNames(...negatedAttributes(withoutSameBut(written), given));
  const message = mendedFor(typed, options);
  const literal = literalMentions(message, options);
  if (literal.length > 0) return literal.length === 1 ? literal[0] : undefined;
  const others = otherThanDefault(message, options);
  if (others.length === 1 && others.length < options.length) return others[0]!.value;
  const priced = byPrice(message, options);
  if (priced !== null) return priced;
  return (
    byNumber(message, options) ??
    byLabel(message, others) ??
    byOrdinal(message, options) ??
    theOnlyOne(message, options)
  );
}

/** "the cheapest", "the lowest price", "cheaper"; and their opposites. */
const LOWEST =
  /\b(?:cheapest|cheaper|least expensive|less expensive|lowest[- ]priced|lower[- ]priced|lowest price|lower price|most affordable|more affordable)\b/i;
const HIGHEST =
  /\b(?:most expensive|more expensive|priciest|pricier|highest[- ]priced|higher[- ]priced|highest price|higher price|dearest)\b/i;

/** Whether a message picks by price ("the cheapest", "the most expensive"). */
export function comparesPrices(message: string): boolean {
  return LOWEST.test(message) || HIGHEST.test(message);
}

/**
 * "The cheapest green one", "the most expensive one in size 9": among the options that can be had and
 * that fit the rest of the description (all of them when it says nothing else), the one whose label's
 * price ("$243.40") is lowest or highest. Null when the message compares no prices or no option has
 * one; undefined when the prices tie, so nothing else is guessed from the words.
 */
function byPrice(message: string, options: readonly Option[]): string | undefined | null {
  const lowest = LOWEST.test(message);
  if (!lowest && !HIGHEST.test(message)) return null;
  const priced = options.flatMap((option) => {
    // A price, not what is left on a card ("the gift card (balance $59.00)").
    const price = /(?<!balance:? )\$(\d[\d,]*(?:\.\d+)?)/i.exec(option.label)?.[1];
    return price === undefined || /\bnot available\b/i.test(option.label)
      ? []
      : [{ option, price: Number(price.replace(/,/g, '')) }];
  });
  if (priced.length < 2) return null;
  const rest = message.replace(LOWEST, ' ').replace(HIGHEST, ' ');
  const scored = labelScores(
    rest,
    priced.map((entry) => entry.option),
  );
  const top = Math.max(0, ...scored.map((entry) => entry.score));
  const pool =
    top > 0 ? priced.filter((_, index) => top - scored[index]!.score < MARGIN * Math.max(1, top)) : priced;
  const target = lowest
    ? Math.min(...pool.map((entry) => entry.price))
    : Math.max(...pool.map((entry) => entry.price));
  const winners = pool.filter((entry) => entry.price === target);
  return winners.length === 1 ? winners[0]!.option.value : undefined;
}

/**
 * "Same but in black": only what follows the "but" describes the choice; the rest staying as it is
 * is what the runtime does anyway (the fitting option that changes least). Left in, "same" would pick
 * the customer's own one, or the options that say "otherwise the same".
 */
function withoutSameBut(message: string): string {
  return message.replace(
    /\b(?:the )?same(?: (?:one|thing|item|model|kind|type|as (?:mine|yours|before|it is|my old one|the old one)))?,? (?:but|except|only)\b/gi,
    ' ',
  );
}

/**
 * "The address from my other order" among an account's addresses: the choices that are not the
 * default one (all of them when none is, or the message says no "other").
 */
function otherThanDefault(message: string, options: readonly Option[]): readonly Option[] {
  if (!/\bother (?:order|one|address|place)\b/i.test(message)) return options;
  const others = options.filter((option) => !/\bdefault\b/i.test(option.label));
  return others.length > 0 ? others : options;
}

/**
 * Numbers name things: "same as order #W8277957", "the 592 one", "the one in 77242". When every
 * number of three or more digits in the message is in one label and no other, that option.
 */
function byNumber(message: string, options: readonly Option[]): string | undefined {
  const numbers = (text: string) =>
    new Set((text.toLowerCase().match(/\b[a-z]*\d[a-z\d]*\b/g) ?? []).filter((token) => /\d{3}/.test(token)));
  const said = [...numbers(message)];
  if (said.length === 0) return undefined;
  const fitting = options.filter((option) => {
    const label = numbers(`${option.label} ${option.value}`);
    return said.every((number) => label.has(number));
  });
  return fitting.length === 1 ? fitting[0]!.value : undefined;
}

/** "the only one", "that one", "yes that's it" when a single option was offered. */
function theOnlyOne(message: string, options: readonly Option[]): string | undefined {
  if (options.length !== 1) return undefined;
  // The whole reply points at it: "the only one", "that one", "yes that's it". A longer message that
  // merely contains "it" or "that" ("didnt catch that", "can i swap it") does not.
  const said = message
    .toLowerCase()
    .replace(/[^a-z' ]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return ONLY_ONE.test(said) ? options[0]!.value : undefined;
}

const ONLY_ONE =
  /^(?:(?:yes|yeah|yep|ok|okay|sure)\s)?(?:the only (?:one|order|item|card)|only one|that one|this one|that's it|thats it|that's the one|thats the one|yes|yeah|yep)(?:\s(?:please|pls|thanks))?$/;

/**
 * The terms a label is known by, with each hyphenated word also written as one ("T-Shirt" is also
 * "tshirt", "E-Reader" also "ereader"), as customers type them.
 */
function labelTerms(option: Option): Set<string> {
  const text = `${option.label} ${humanise(option.value)}`;
  const joined = [...text.matchAll(/\b([A-Za-z]+)-([A-Za-z]+)\b/g)].map((match) => `${match[1]}${match[2]}`);
  return new Set(termsOf(`${text} ${joined.join(' ')}`));
}

/**
 * Several options for an array slot: each part of the message ("the keyboard", "the thermostat")
 * names one option; "everything" / "all of them" / "both" name all of them (less any named after
 * "except" or "not").
 */
export function matchOptions(typed: string, options: readonly Option[]): string[] {
  const message = mendedFor(typed, options);
  const chosen: string[] = [];
  const add = (value: string | undefined) => {
    if (value !== undefined) addOnce(chosen, value, options);
  };
  literalMentions(message, options).forEach(add);
  if (saysAll(message, options.length)) {
    const excluded = new Set(
      segments(message)
        .filter((segment) => wordsOf(segment).some((word) => word.negated))
        .map((segment) => byLabel(segment, options, { onlyNegated: true })),
    );
    for (const option of options) if (!excluded.has(option.value)) add(option.value);
    return chosen;
  }
  // One thing listed twice (two identical jackets, one item id) is one thing to name: "the fleece
  // jacket" names it, however many times it is listed.
  // Parts of one description ("fleece jacket (navy, xl, half zipper)") each name it: once by name.
  const distinct = distinctValues(options);
  const named = new Set<string>();
  for (const segment of segments(message)) {
    const plural = QUANTIFIED.test(segment) || namesPlural(segment, options);
    const label = byLabel(segment, options) ?? (plural ? undefined : byLabel(segment, distinct));
    const one = label ?? byOrdinal(segment, options);
    if (label !== undefined && named.has(label)) continue;
    if (label !== undefined) named.add(label);
    if (one !== undefined) add(one);
    // "both skateboards", "the two mugs", "all the shirts": every option the words fit equally.
    else if (plural) equallyNamed(segment, options).forEach(add);
  }
  return chosen;
}

/** The options with each value once (its first listing). */
function distinctValues(options: readonly Option[]): Option[] {
  const seen = new Set<string>();
  return options.filter((option) => !seen.has(option.value) && seen.add(option.value));
}

/** A count or quantifier over what a part names ("both", "the two", "all the", "each"). */
const QUANTIFIED = /\b(?:both|all|each|every|two|three|four|five|2|3|4|5)\b/i;

/**
 * Adds a chosen value once per time it is listed: one item id listed twice (two identical kettles in an
 * order) can be chosen twice, any other once.
 */
function addOnce(chosen: string[], value: string, options: readonly Option[]): void {
  const listed = options.filter((option) => option.value === value).length;
  if (chosen.filter((taken) => taken === value).length < Math.max(1, listed)) chosen.push(value);
}

/** Whether a part names a listed thing in the plural ("the skateboards" where "Skateboard" is listed). */
function namesPlural(text: string, options: readonly Option[]): boolean {
  const labels = new Set(options.flatMap((option) => option.label.toLowerCase().match(/[a-z]+/g) ?? []));
  return (text.toLowerCase().match(/[a-z]+/g) ?? []).some(
    (word) =>
      !labels.has(word) &&
      ((word.endsWith('s') && labels.has(word.slice(0, -1))) ||
        (word.endsWith('es') && labels.has(word.slice(0, -2)))),
  );
}

/**
 * The options a description fits equally well, when two or more do (else none): those whose labels
 * hold every word of it that any label holds ("the tea kettles": both kettles, even listed alike).
 */
function equallyNamed(text: string, options: readonly Option[]): string[] {
  const documents = options.map(labelTerms);
  const said = termsOf(text, { dropNegated: true }).filter((term) =>
    documents.some((document) => document.has(term)),
  );
  if (said.length === 0) return [];
  const fitting = options.filter((_, index) => said.every((term) => documents[index]!.has(term)));
  return fitting.length >= 2 ? fitting.map((option) => option.value) : [];
}

/**
 * Several options named before they were asked for: each part of the message that names something
 * listed must name exactly one option, or nothing is taken ("an air purifier and a vacuum cleaner"
 * with two vacuum cleaners in the order: the customer is asked rather than given half of it).
 */
export function matchOptionsStrictly(typed: string, options: readonly Option[]): string[] | undefined {
  const message = mendedFor(typed, options);
  const documents = options.map(labelTerms);
  const chosen: string[] = [];
  for (const segment of segments(message)) {
    const said = termsOf(segment, { dropNegated: true });
    const named = options.filter((_, index) => said.some((term) => documents[index]!.has(term)));
    if (named.length === 0) continue;
    // "The two tea kettles" is both of one item listed twice; "the tea kettle" is it, once.
    const plural = QUANTIFIED.test(segment) || namesPlural(segment, options);
    const value =
      byLabel(segment, options) ?? (plural ? undefined : byLabel(segment, distinctValues(options)));
    if (value === undefined) {
      // "both wristwatches", "the skateboards": every one the words fit, said outright.
      const all = plural ? equallyNamed(segment, options) : [];
      if (all.length === 0) return undefined;
      for (const each of all) addOnce(chosen, each, options);
      continue;
    }
    // "the backpack I got with the vacuum cleaner": one part naming two things is not read early.
    const others = named.filter(
      (option) =>
        option.value !== value &&
        !said
          .filter((term) => documents[options.indexOf(option)]!.has(term))
          .every((term) => documents[options.findIndex((candidate) => candidate.value === value)]!.has(term)),
    );
    if (others.length > 0) return undefined;
    if (!chosen.includes(value)) chosen.push(value);
  }
  return chosen.length > 0 ? chosen : undefined;
}

/** The route whose `when` text (and id) best matches the message, by tf-idf cosine; none below the bar. */
/**
 * The route (or FAQ entry) a message is about. With `context` (what the message answers, e.g. the
 * action being confirmed), the entry the message leads with among several it fits alike is taken when
 * the context points to it too; the context never adds or overturns one.
 */
export function matchRoute(message: string, routes: readonly Option[], context?: string): string | undefined {
  const scored = scoreRoutes(message, routes);
  const chosen = best(scored, ROUTE_MIN_SCORE);
  if (chosen !== undefined || context === undefined) return chosen;
  const top = Math.max(...scored.map((entry) => entry.score));
  const tied = routes.filter(
    (_, index) => top >= ROUTE_MIN_SCORE && top - scored[index]!.score < MARGIN * Math.max(1, top),
  );
  if (tied.length < 2) return undefined;
  // The context confirms the message's own leader; it never overturns it ("will i be charged extra?"
  // at an address change leans to the gift-card entry, and the address does not make it a refund).
  const leader = scored.find((entry) => entry.score === top)?.value;
  const withContext = best(scoreRoutes(`${message} ${context}`, tied), ROUTE_MIN_SCORE);
  return withContext === leader ? leader : undefined;
}

export function scoreRoutes(message: string, routes: readonly Option[]): { value: string; score: number }[] {
  const documents = routes.map(
    (route) => new Set(termsOf(`${humanise(route.value)}. ${route.label}`, { dropNegated: true })),
  );
  const query = new Set(termsOf(message, { dropNegated: true }));
  const idf = inverseFrequencies(documents);
  const queryNorm = Math.sqrt(sum([...query].map((term) => (idf.get(term) ?? 0) ** 2)));
  return routes.map((route, index) => {
    const document = documents[index]!;
    const shared = [...query].filter((term) => document.has(term));
    const distinctive = shared.some(
      (term) => !WEAK_TERMS.has(term) && (routes.length === 1 || (idf.get(term) ?? 0) > (idf.get('') ?? 1)),
    );
    const dot = sum(shared.map((term) => (idf.get(term) ?? 0) ** 2));
    const norm = Math.sqrt(sum([...document].map((term) => (idf.get(term) ?? 0) ** 2)));
    return {
      value: route.value,
      score: distinctive && queryNorm > 0 && norm > 0 ? dot / (queryNorm * norm) : 0,
    };
  });
}

/**
 * Smoothed idf, 1 + ln((1 + N) / (1 + df)); the empty term holds the weight of a term found in every
 * document (it does not tell documents apart).
 */
function inverseFrequencies(documents: readonly ReadonlySet<string>[]): Map<string, number> {
  const n = documents.length;
  const df = new Map<string, number>();
  for (const document of documents) for (const term of document) df.set(term, (df.get(term) ?? 0) + 1);
  const idf = new Map<string, number>([['', 1 + Math.log((1 + n) / (1 + n))]]);
  for (const [term, count] of df) idf.set(term, 1 + Math.log((1 + n) / (1 + count)));
  return idf;
}

/**
 * The options a description fits equally ("the one with the makeup kit" when two orders hold one):
 * two or more, fewer than all, each as close as the best. None when one option wins or nothing fits.
 */
export function tiedOptions(written: string, given: readonly Option[]): string[] {
  const [typed, options] = letterNames(...negatedAttributes(withoutSameBut(written), given));
  const message = withPlaceNames(typed, options);
  if (
    literalMentions(message, options).length > 0 ||
    byNumber(message, options) !== undefined ||
    byOrdinal(message, options) !== undefined
  )
    return [];
  const scored = labelScores(message, options);
  const top = Math.max(0, ...scored.map((entry) => entry.score));
  if (top <= 0) return [];
  const tied = scored.filter((entry) => top - entry.score < MARGIN * Math.max(1, top));
  return tied.length >= 2 && tied.length < options.length ? tied.map((entry) => entry.value) : [];
}

function byLabel(
  text: string,
  options: readonly Option[],
  { onlyNegated = false }: { readonly onlyNegated?: boolean } = {},
): string | undefined {
  const documents = options.map(labelTerms);
  const words = wordsOf(text.toLowerCase());
  const said = new Set(
    termsOf(text, { dropNegated: !onlyNegated }).filter(
      (term) => !onlyNegated || words.some((word) => word.negated && word.term === term),
    ),
  );
  return best(scoreLabels(said, documents, options), Number.EPSILON);
}

function labelScores(text: string, options: readonly Option[]): { value: string; score: number }[] {
  const documents = options.map(labelTerms);
  return scoreLabels(new Set(termsOf(text, { dropNegated: true })), documents, options);
}

function scoreLabels(
  said: ReadonlySet<string>,
  documents: readonly ReadonlySet<string>[],
  options: readonly Option[],
): { value: string; score: number }[] {
  const idf = inverseFrequencies(documents);
  const common = idf.get('') ?? 1;
  return options.map((option, index) => {
    const shared = [...said].filter((term) => documents[index]!.has(term));
    const distinctive = shared.some((term) => options.length === 1 || (idf.get(term) ?? 0) > common);
    return { value: option.value, score: distinctive ? sum(shared.map((term) => idf.get(term) ?? 0)) : 0 };
  });
}

const ORDINALS: Readonly<Record<string, number>> = {
  first: 0,
  '1st': 0,
  second: 1,
  '2nd': 1,
  third: 2,
  '3rd': 2,
  fourth: 3,
  '4th': 3,
  fifth: 4,
  '5th': 4,
};

function byOrdinal(text: string, options: readonly Option[]): string | undefined {
  const lower = text.toLowerCase();
  // "the most recent one", "my latest order": the last in the list as the tenant's data orders it.
  const ordinal =
    /\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last|latest|newest|most recent) (?:one|option|item|choice|order|card|method)\b/.exec(
      lower,
    ) ??
    // "The second." alone answers "which one".
    /^\s*(?:the )?(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last)\s*[.!]?\s*$/.exec(lower);
  const numbered = /\b(?:option|number|choice) #?(\d)\b/.exec(lower);
  let index: number | undefined;
  if (ordinal !== null)
    index = /^(?:last|latest|newest|most recent)$/.test(ordinal[1]!)
      ? options.length - 1
      : ORDINALS[ordinal[1]!];
  else if (numbered !== null) index = Number(numbered[1]) - 1;
  return index === undefined ? undefined : options[index]?.value;
}

function literalMentions(message: string, options: readonly Option[]): string[] {
  return options
    .filter((option) => new RegExp(`(?<![\\w#])#?${escapeRegExp(option.value)}(?![\\w])`, 'i').test(message))
    .map((option) => option.value);
}

function saysAll(message: string, count: number): boolean {
  const lower = message.toLowerCase();
  if (
    /\b(?:everything|all of (?:them|it|those|these)|all (?:the |my |of the )?(?:items|products|things)|the (?:whole|entire) order)\b/.test(
      lower,
    )
  ) {
    return true;
  }
  return count === 2 && /\bboth\b/.test(lower);
}

/** "the keyboard and the thermostat, plus the mouse" → three parts. */
function segments(message: string): string[] {
  return message
    .split(/[,;&]|\band\b|\bplus\b|\bas well as\b|\balso\b|\bbut\b/i)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

export function best(
  scored: readonly { value: string; score: number }[],
  minimum: number,
): string | undefined {
  const ranked = [...scored].sort((a, b) => b.score - a.score);
  const [first, second] = ranked;
  if (first === undefined || first.score < minimum) return undefined;
  if (second !== undefined && first.score - second.score < MARGIN * Math.max(1, first.score))
    return undefined;
  return first.value;
}

function weight(term: string): number {
  return WEAK_TERMS.has(term) ? 0.5 : 1;
}

function normalise(text: string): string {
  return humanise(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "no_longer_needed" and "cancel-pending-order" read as words. */
function humanise(value: string): string {
  return value.replace(/[_-]+/g, ' ');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function longest(values: readonly string[]): string {
  return [...values].sort((a, b) => b.length - a.length)[0]!;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/**
 * The message with each slip of a word the choices are named by mended ("dumbells" is "dumbbell",
 * "headphnes" is "headphones"), the way routing mends words of the procedures' descriptions.
 */
function mendedFor(typed: string, options: readonly Option[]): string {
  const message = withPlaceNames(typed, options);
  const vocabulary = new Set(options.flatMap((option) => option.label.toLowerCase().match(/[a-z]+/g) ?? []));
  return message.replace(/[A-Za-z]+/g, (word) => {
    const lower = word.toLowerCase();
    // A plural of a listed word is no slip ("the skateboards" says more than one).
    if (/(?<!s)s$/.test(lower) && vocabulary.has(lower.slice(0, -1))) return word;
    const mended = mend(lower, vocabulary);
    if (mended !== lower) return mended;
    // A plural of a slip ("dumbells"): its singular mended.
    const singular = lower.endsWith('s') ? mend(lower.slice(0, -1), vocabulary) : lower;
    return singular !== lower.slice(0, -1) && lower.endsWith('s') ? singular : word;
  });
}

/** Short names of places customers use for the city an address is in ("my NYC place"). */
const PLACE_NAMES: readonly (readonly [RegExp, string])[] = [
  [/\bnyc\b/gi, 'New York'],
  [/\bla\b/gi, 'Los Angeles'],
  [/\bsf\b/gi, 'San Francisco'],
  [/\bphilly\b/gi, 'Philadelphia'],
  [/\bvegas\b/gi, 'Las Vegas'],
];

/** "my NYC place" is "my New York place", but only where a listed choice is in New York. */
function withPlaceNames(message: string, options: readonly Option[]): string {
  const labels = options.map((option) => option.label.toLowerCase()).join('\n');
  return PLACE_NAMES.reduce(
    (text, [short, city]) => (labels.includes(city.toLowerCase()) ? text.replace(short, city) : text),
    message,
  );
}

/**
 * An attribute a choice lacks is part of its description ("green, not water resistance"): read as
 * one word in the labels and in the message ("not water resistant", "no water resistance",
 * "non-water-resistant", "one that isn't waterproof"), so the negation does not drop it, and a
 * message that asks for the attribute ("the waterproof one") does not match the labels that lack it.
 * Only phrases some label has.
 */
function negatedAttributes(written: string, options: readonly Option[]): [string, readonly Option[]] {
  const message = inCatalogueWords(written);
  // ", not available" says whether a choice can be had (read by price and availability), not what it is.
  const phrases = new Set(
    options.flatMap((option) =>
      [...option.label.matchAll(/\bnot ([a-z]+(?: [a-z]+)?)(?=[,;)]|$)/gi)]
        .map((match) => match[1]!.toLowerCase())
        .filter((phrase) => phrase !== 'available'),
    ),
  );
  if (phrases.size === 0) return [message, options];
  let said = message;
  let labelled = options;
  for (const phrase of phrases) {
    const token = `not${phrase.replace(/[^a-z]/g, '')}`;
    const words = phrase.split(' ').map((word) => escapeRegExp(word.slice(0, Math.max(4, word.length - 3))));
    const negated = new RegExp(
      `\\b(?:not|no|non|without|isn'?t|aren'?t|doesn'?t have|don'?t have)[- ]+(?:\\w+ )?${words.join('\\w*[- ]+')}\\w*`,
      'gi',
    );
    said = said.replace(negated, token);
    labelled = labelled.map((option) => ({
      ...option,
      label: option.label.replace(new RegExp(`\\bnot ${escapeRegExp(phrase)}\\b`, 'gi'), token),
    }));
  }
  return [said, labelled];
}

/**
 * A name ending in one letter ("Brand A") is one word: the letter alone is a stop word ("a") that
 * would be dropped, leaving "brand", which every brand shares. Only names some label has.
 */
function letterNames(message: string, options: readonly Option[]): [string, readonly Option[]] {
  const names = new Set(
    options.flatMap((option) =>
      [...option.label.matchAll(/\b([A-Z][a-z]+) ([A-Z])\b/g)].map((match) => `${match[1]} ${match[2]}`),
    ),
  );
  let said = message;
  let labelled = options;
  for (const name of names) {
    const written = new RegExp(`\\b${name.replace(' ', '[ -]?')}\\b`, 'gi');
    const token = name.replace(' ', '').toLowerCase();
    if (!written.test(said)) continue;
    said = said.replace(written, token);
    labelled = labelled.map((option) => ({
      ...option,
      label: option.label.replace(new RegExp(`\\b${name}\\b`, 'g'), token),
    }));
  }
  return [said, labelled];
}
