import { KNOWN } from './dialogue.ts';
import { normaliseApostrophes, STOPWORDS, termsOf, WEAK_TERMS } from './text.ts';

/**
 * Routing a first message to a procedure, as an impatient customer types it: typos ("cancle",
 * "adress"), no apostrophes ("dont", "hasnt"), negation ("I don't want to cancel, I want to return"),
 * chit-chat before the request, several requests in one message, and requests that fit two procedures
 * equally ("change my address": the account's, or an order's?).
 *
 * Each procedure is described by its `when` text, its id and its `examples`. The message and every
 * description are read into terms the same way (contractions, typos mended against the descriptions'
 * own words, order-state and question phrases, stemming, synonyms, negated words dropped), then scored
 * by tf-idf cosine: half against everything the procedure says, half against its closest phrasing.
 * Nothing here knows the procedures of a tenant; every table is about how customers of a store write.
 */

export interface RouteDescription {
  readonly value: string;
  /** The `when` text. */
  readonly label: string;
  readonly examples: readonly string[];
}

export interface RouteReading {
  /** The procedure the message asks for (its first request, when it makes several). */
  readonly route?: string;
  /** When two or more fit about equally and the message does not say which: those, best first. */
  readonly choices?: readonly string[];
  /** The procedures of the message's later requests, in its order. */
  readonly more?: readonly string[];
}

/** A route must share at least this score with the message. */
const MIN_SCORE = 0.14;
/** A runner-up within this share of the best score fits as well: the customer is asked which. */
const TIE_SHARE = 0.85;
/** A part of a message counts as a request of its own only at this score, clear of its runner-up. */
const PART_MIN_SCORE = 0.3;
const PART_TIE_SHARE = 0.75;
/** At most this many procedures are offered in a clarifying question. */
const MAX_CHOICES = 3;

export function readRoutes(message: string, routes: readonly RouteDescription[]): RouteReading {
  if (routes.length === 0) return {};
  const index = indexRoutes(routes);
  const whole = rank(message, index);
  const requests = requestsOf(message, index);
  if (requests.length >= 2) {
    const [first, ...rest] = requests;
    return { route: first!, more: rest };
  }
  const [best, second] = whole;
  if (best === undefined || best.score < MIN_SCORE) return {};
  const fitsAsWell = whole.filter(
    (candidate) =>
      candidate !== best &&
      candidate.score >= MIN_SCORE &&
      // Close scores are a question only when nothing the customer said tells the two apart
      // ("exchange something I got" names the exchange, however close the return scores).
      candidate.score >= best.score * TIE_SHARE &&
      !tellsApart(message, best.value, candidate.value, index),
  );
  if (second !== undefined && fitsAsWell.length > 0)
    return { choices: [best, ...fitsAsWell].slice(0, MAX_CHOICES).map((candidate) => candidate.value) };
  return { route: best.value };
}

interface IndexedRoute {
  readonly value: string;
  /** Every term the route's phrasings use, with how many of its phrasings use it. */
  readonly whole: Vector;
  readonly phrasings: Vector[];
  /** Its description is about asking for information ("The customer asks about …"). */
  readonly informs: boolean;
}

interface RouteIndex {
  readonly routes: readonly IndexedRoute[];
  readonly idf: ReadonlyMap<string, number>;
  readonly vocabulary: ReadonlySet<string>;
}

/** Term → weight in a text (1 + ln of its count: a term said in every phrasing counts more). */
type Vector = ReadonlyMap<string, number>;

/** The term of a question ("what", "which", "how much", "show me", …; see ROUTE_PHRASES). */
const ASK = 'ask';
const ORDER = 'order';
/** The term of "my orders", "all my orders", "order history": the list of them, not one. */
const ORDER_LIST = 'orderlist';
/** Terms of a request to act; a message with one and no question does not fit an informing route. */
const ACTIONS = new Set(['cancel', 'return', 'exchange', 'refund', 'change', 'payment']);
/** How much an informing route keeps of its score for a message that asks to act (and the reverse). */
const INTENT_MISMATCH = 0.6;
/** The share of a route's score that comes from all it says; the rest from its closest phrasing. */
const OVERALL_SHARE = 0.6;

function indexRoutes(routes: readonly RouteDescription[]): RouteIndex {
  const vocabulary = new Set<string>(LEXICON);
  const texts = routes.map((route) => [
    `${route.value.replace(/[_-]+/g, ' ')}. ${route.label}`,
    ...route.examples,
  ]);
  for (const text of texts.flat())
    for (const word of wordsIn(expand(text))) if (word.length >= 3) vocabulary.add(word);
  const phrasings = texts.map((list) => list.map((text) => vectorOf(routeTerms(text, vocabulary))));
  const wholes = phrasings.map((list) => {
    const counts = new Map<string, number>();
    for (const phrasing of list)
      for (const term of phrasing.keys()) counts.set(term, (counts.get(term) ?? 0) + 1);
    return new Map([...counts].map(([term, count]) => [term, 1 + Math.log(count)]));
  });
  const n = routes.length;
  const df = new Map<string, number>();
  for (const whole of wholes) for (const term of whole.keys()) df.set(term, (df.get(term) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [term, count] of df) idf.set(term, (1 + Math.log((1 + n) / (1 + count))) * weightOf(term));
  return {
    routes: routes.map((route, i) => ({
      value: route.value,
      whole: wholes[i]!,
      phrasings: phrasings[i]!,
      informs: routeTerms(route.label, vocabulary).includes(ASK),
    })),
    idf,
    vocabulary,
  };
}

/** Whether the message says something one route has and the other lacks (beyond weak words). */
function tellsApart(message: string, a: string, b: string, index: RouteIndex): boolean {
  const first = index.routes.find((route) => route.value === a)!;
  const second = index.routes.find((route) => route.value === b)!;
  return routeTerms(message, index.vocabulary).some(
    // "order" is weak for scoring (every order procedure says it) but tells an order's procedure
    // from the account's ("ship order #W… to my new address" is not the default address).
    (term) =>
      (!WEAK_TERMS.has(term) || term === ORDER) &&
      term !== ASK &&
      first.whole.has(term) !== second.whole.has(term),
  );
}

function vectorOf(terms: readonly string[]): Vector {
  return new Map([...new Set(terms)].map((term) => [term, 1]));
}

function rank(text: string, index: RouteIndex): { value: string; score: number }[] {
  const query = vectorOf(routeTerms(text, index.vocabulary));
  const asks = query.has(ASK);
  const acts = [...query.keys()].some((term) => ACTIONS.has(term));
  const scored = index.routes.map((route) => {
    // A question word alone, or words every route shares, do not make a message about a route.
    // A question about an order counts for the routes that inform, though "order" is in every route.
    const distinctive = [...query.keys()].some(
      (term) =>
        term !== ASK &&
        route.whole.has(term) &&
        // With one route every term is in every route: any word that is not weak is distinctive.
        ((!WEAK_TERMS.has(term) && ((index.idf.get(term) ?? 0) > 1 || index.routes.length === 1)) ||
          (asks && route.informs && term === ORDER && !query.has(ORDER_LIST))),
    );
    if (!distinctive) return { value: route.value, score: 0 };
    const overall = cosine(query, route.whole, index.idf);
    const closest = Math.max(...route.phrasings.map((phrasing) => cosine(query, phrasing, index.idf)));
    const mismatch = (route.informs && acts && !asks) || (!route.informs && asks && !acts);
    const score = OVERALL_SHARE * overall + (1 - OVERALL_SHARE) * closest;
    return { value: route.value, score: mismatch ? score * INTENT_MISMATCH : score };
  });
  return scored.sort((a, b) => b.score - a.score);
}

function cosine(a: Vector, b: Vector, idf: ReadonlyMap<string, number>): number {
  const w = (term: string) => idf.get(term) ?? 0;
  let dot = 0;
  for (const [term, weight] of a) dot += weight * (b.get(term) ?? 0) * w(term) ** 2;
  const norm = (v: Vector) =>
    Math.sqrt([...v].reduce((total, [term, weight]) => total + (weight * w(term)) ** 2, 0));
  const denominator = norm(a) * norm(b);
  return denominator === 0 ? 0 : dot / denominator;
}

/**
 * The requests of a message with several, in order: its parts (split at sentence ends, "and", "also",
 * "then", "plus", …) that each fit one procedure clearly, when they fit different ones. A part that
 * fits nothing (chit-chat, a reason) is skipped; one procedure asked twice counts once.
 */
function requestsOf(message: string, index: RouteIndex): string[] {
  const parts = normaliseApostrophes(message)
    .split(
      /[.?!;]+|,?\s*\b(?:and also|and then|and|also|then|plus|as well as|after that|two things:?)\b\s*,?/i,
    )
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length < 2) return [];
  const found: string[] = [];
  for (const part of parts) {
    const [best, second] = rank(part, index);
    if (best === undefined || best.score < PART_MIN_SCORE) continue;
    if (second !== undefined && second.score >= best.score * PART_TIE_SHARE) continue;
    if (!found.includes(best.value)) found.push(best.value);
  }
  return found.length >= 2 ? found : [];
}

/** The terms a routing text counts, after mending and rewriting (see the module comment). */
export function routeTerms(text: string, vocabulary: ReadonlySet<string>): string[] {
  let lower = expand(text);
  lower = wordsIn(lower)
    .map((word) => mend(word, vocabulary))
    .join(' ');
  for (const [pattern, replacement] of ROUTE_PHRASES) lower = lower.replace(pattern, replacement);
  return termsOf(lower, { dropNegated: true }).map((term) => CONCEPTS.get(term) ?? term);
}

/** Lowercase, straight apostrophes, and the apostrophes and spellings people leave out. */
function expand(text: string): string {
  let lower = normaliseApostrophes(text).toLowerCase();
  for (const [pattern, replacement] of SPELLINGS) lower = lower.replace(pattern, replacement);
  return lower;
}

function wordsIn(text: string): string[] {
  return text.match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?|[#@$]/gu) ?? [];
}

/**
 * A word that is neither a known word nor in any description is mended into the one description word
 * it is a slip of: one edit (a letter added, dropped, changed, or two swapped) for a word of four
 * letters or more, two for nine or more; same first letter; nothing when several words are as close.
 */
function mend(word: string, vocabulary: ReadonlySet<string>): string {
  // Four-letter words are too often real words a description lacks ("cars" is not "card").
  if (word.length < 5 || /\d/.test(word) || vocabulary.has(word) || KNOWN.has(word) || STOPWORDS.has(word))
    return word;
  const squeezed = word.replace(/(.)\1+/g, '$1');
  if (vocabulary.has(squeezed)) return squeezed;
  const allowed = word.length >= 9 ? 2 : 1;
  let best: string[] = [];
  let bestDistance = allowed + 1;
  for (const candidate of vocabulary) {
    if (
      candidate[0] !== word[0] ||
      candidate.length < 5 ||
      Math.abs(candidate.length - word.length) > allowed
    )
      continue;
    const distance = editDistance(word, candidate, allowed);
    // Past the allowed edits is no slip ("hiii" and "hola" are not "human").
    if (distance > allowed) continue;
    if (distance < bestDistance) {
      best = [candidate];
      bestDistance = distance;
    } else if (distance === bestDistance) best.push(candidate);
  }
  return best.length === 1 ? best[0]! : word;
}

/** Damerau-Levenshtein (optimal string alignment), stopping early past `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  const rows: number[][] = [Array.from({ length: b.length + 1 }, (_, j) => j)];
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let smallest = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      row.push(value);
      smallest = Math.min(smallest, value);
    }
    if (smallest > limit) return limit + 1;
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** Shorthand and apostrophe-less spellings. */
const SPELLINGS: readonly (readonly [RegExp, string])[] = [
  [/\b(do|does|did|is|are|was|were|has|have|had|wo|ca|could|would|should)nt\b/g, "$1n't"],
  [/\bcant\b/g, "can't"],
  [/\bwont\b/g, "won't"],
  [/\bwanna\b/g, 'want to'],
  [/\bgonna\b/g, 'going to'],
  [/\bu\b/g, 'you'],
  [/\bur\b/g, 'your'],
  [/\br\b/g, 'are'],
  [/\b(?:pls|plz|plse|pleas)\b/g, 'please'],
  [/\bthx\b/g, 'thanks'],
  [/\bim\b/g, "i'm"],
  [/\bcolour/g, 'color'],
  [/\bswitch/g, 'change'],
  [/\bgift ?cards?\b/g, 'giftcard'],
  [/\be-?mail\b/g, 'email'],
];

/**
 * Phrases that carry the state of an order or the kind of request, rewritten to one word before
 * negation is read ("hasn't shipped" is a state, not a refused shipment).
 */
const ROUTE_PHRASES: readonly (readonly [RegExp, string])[] = [
  [
    /\b(?:has|have|is|was|did|does)(?:n't| not)(?: been| yet)* (?:ship|shipp|sent|send|left|leave|gone|go)\w*(?: out)?(?: yet)?/g,
    ' pending ',
  ],
  [/\bnot (?:yet )?(?:shipped|sent|dispatched)(?: yet)?/g, ' pending '],
  [/\b(?:unshipped|processing|pending)\b/g, ' pending '],
  [
    /\bbefore (?:it|they|the order|my order)? ?(?:ship|ships|shipped|shipping|goes out|go out|is sent|gets? (?:shipped|sent))\b/g,
    ' pending ',
  ],
  [/\b(?:shipping|delivery|mailing|home|street) address\b/g, 'address'],
  [/\bon file\b/g, 'account'],
  [
    /\b(?:(?:all )?(?:of )?my|what|which|many|past|previous|all) orders\b|\border history\b/g,
    ' asks orderlist ',
  ],
  [
    /\b(?:ship|send|sent|deliver|go|going|redirect)\w* (?:(?!back\b)\w+ ){0,3}?to (?=(?:my|a|the|another|this|our|his|her|\d+)\b)/g,
    'address to ',
  ],
  [/\bhow much (?=is|are|does|do|for|would)\b/g, 'price '],
  [/\bin stock\b/g, 'stock'],
  [/\bcome in\b/g, 'option'],
  [
    /\b(?:what(?:'s)?|which|how (?:much|many)|show(?: me)?|list|tell me|let me see|check(?: on)?|know|info|information|details|history|any update|when will)\b/g,
    ' asks ',
  ],
  [/\b(?:came|got|get) (?:it|them|my|the|today|yesterday)\b/g, 'received '],
  [/\b(?:i|we) got\b/g, 'i received'],
];

/** Words of a store's customers grouped under one term (after stemming and text.ts's synonyms). */
const CONCEPT_GROUPS: readonly (readonly string[])[] = [
  ['ask', 'question', 'inform', 'detail'],
  [
    'option',
    'size',
    'color',
    'variant',
    'version',
    'small',
    'medium',
    'larg',
    'bigger',
    'smaller',
    'larger',
    'big',
    'fit',
    'black',
    'white',
    'blue',
    'red',
    'green',
    'brown',
    'silver',
    'grey',
    'gray',
    'pink',
    'yellow',
  ],
  ['payment', 'card', 'credit', 'debit', 'visa', 'mastercard', 'paypal', 'giftcard'],
  ['account', 'profil'],
  [
    'address',
    'street',
    'zip',
    'apartment',
    'apt',
    'redirect',
    'house',
    'home',
    'office',
    'place',
    'location',
  ],
  ['order', 'package', 'parcel', 'shipment'],
  ['cancel', 'kill', 'stop'],
  ['price', 'cost', 'costs'],
  ['stock', 'available', 'availabl', 'availability', 'sell'],
  ['deliver', 'came'],
];

const CONCEPTS: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const group of CONCEPT_GROUPS) for (const word of group) map.set(word, group[0]!);
  return map;
})();

/** Words typos are mended into even when no description uses them. */
const LEXICON = [
  'cancel',
  'return',
  'exchange',
  'refund',
  'address',
  'account',
  'profile',
  'payment',
  'order',
  'change',
  'modify',
  'update',
  'track',
  'tracking',
  'where',
  'status',
  'delivered',
  'received',
  'shipped',
  'pending',
  'product',
  'available',
  'stock',
  'price',
  'balance',
  'default',
  'different',
  'human',
  'person',
  'agent',
];

/** Terms every route of a store shares carry less (text.ts WEAK_TERMS); the rest count in full. */
function weightOf(term: string): number {
  return WEAK_TERMS.has(term) ? 0.5 : 1;
}
