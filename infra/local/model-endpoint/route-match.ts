import { KNOWN } from './dialogue.ts';
import {
  aboutAnotherPerson,
  KEPT,
  normaliseApostrophes,
  REFUND_TO,
  STOPWORDS,
  stem,
  termsOf,
  WEAK_TERMS,
} from './text.ts';

/**
 * Routing a first message to a procedure, as an impatient customer types it: typos ("cancle",
 * "adress"), no apostrophes ("dont", "hasnt"), negation ("I don't want to cancel, I want to return"),
 * chit-chat before the request, several requests in one message, and requests that fit two procedures
 * equally ("change my address": the account's, or an order's?).
 *
 * Each procedure is described by its `when` text, its id and its `examples`. The message and every
 * description are read into terms the same way (contractions, typos mended in place against the
 * descriptions' own words, order-state, question and product phrases, stemming, synonyms, negated words
 * dropped), then scored by tf-idf cosine: mostly against everything the procedure says, the rest
 * against its closest phrasing. Two procedures the message does not tell apart get a question rather
 * than a guess: close scores with nothing distinctive between them, or any scores when every word of
 * the message is in both. A message of weak words alone ("change order") fits the procedures whose
 * names hold them all. Nothing here knows the procedures of a tenant; every table is about how
 * customers of a store write.
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
/** Down to this share when every word of the message is in both or in neither (see `saysAlike`). */
const ALIKE_SHARE = 0.5;
/** A part of a message counts as a request of its own only at this score, clear of its runner-up. */
const PART_MIN_SCORE = 0.3;
const PART_TIE_SHARE = 0.75;
/** At most this many procedures are offered in a clarifying question. */
const MAX_CHOICES = 3;

export function readRoutes(said: string, routes: readonly RouteDescription[]): RouteReading {
  if (routes.length === 0) return {};
  // What the customer keeps is not what they ask for ("cancel the cheap one, keep the premium one").
  const unkept = said.replace(KEPT, ' ');
  const message = unkept.trim() === '' ? said : unkept;
  const index = indexRoutes(routes);
  const { found: requests, asides } = requestsOf(message, index);
  // Only about another person's account ("can you check my mom's order?"): no procedure of the
  // customer's own is asked for (the act says whose it is; see unroutedReply).
  if (requests.length === 0 && asides.length === 0 && aboutAnotherPerson(message)) return {};
  if (requests.length >= 2) {
    const [first, ...rest] = requests;
    return { route: first!, more: rest };
  }
  // What the request is about, without the questions about its money asked beside it.
  const request = asides.reduce((text, aside) => text.replace(aside, ' '), message);
  return decide(request, index, { minScore: MIN_SCORE, tieShare: TIE_SHARE });
}

/** One procedure for a text, the few that fit it as well, or none. */
function decide(
  text: string,
  index: RouteIndex,
  { minScore, tieShare }: { readonly minScore: number; readonly tieShare: number },
): { route?: string; choices?: string[] } {
  const ranked = rank(text, index);
  const [best, second] = ranked;
  if (best === undefined || best.score < minScore) return {};
  const fitsAsWell = ranked.filter(
    (candidate) =>
      candidate !== best &&
      candidate.score >= minScore &&
      // Close scores are a question only when nothing the customer said tells the two apart
      // ("exchange something I got" names the exchange, however close the return scores).
      ((candidate.score >= best.score * tieShare && !tellsApart(text, best.value, candidate.value, index)) ||
        // Farther apart, when the two have every word of the message alike: one procedure saying
        // "address" more often than another is no reason to guess it ("change my address").
        (candidate.score >= best.score * ALIKE_SHARE && saysAlike(text, best.value, candidate.value, index))),
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
  /** The terms of its id ("modify-order-items": change, order, item). */
  readonly name: ReadonlySet<string>;
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
const NEED = 'need';
/** "where", "status", "tracking" (text.ts): a question about an order. */
const TRACK = 'track';
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
      name: new Set(routeTerms(route.value.replace(/[_-]+/g, ' '), vocabulary)),
    })),
    idf,
    vocabulary,
  };
}

/** Whether the message says something one route has and the other lacks (beyond weak words). */
function tellsApart(message: string, a: string, b: string, index: RouteIndex): boolean {
  const first = index.routes.find((route) => route.value === a)!;
  const second = index.routes.find((route) => route.value === b)!;
  const terms = routeTerms(message, index.vocabulary);
  if (namesOne(terms, first, second)) return true;
  return terms.some(
    // "order" is weak for scoring (every order procedure says it) but tells an order's procedure
    // from the account's ("ship order #W… to my new address" is not the default address).
    (term) =>
      (!WEAK_TERMS.has(term) || term === ORDER) &&
      term !== ASK &&
      first.whole.has(term) !== second.whole.has(term),
  );
}

/**
 * Whether every term of the message (weak ones too, not the question) is in both routes or neither,
 * and the message asks (or asks to act) alike of both.
 */
function saysAlike(message: string, a: string, b: string, index: RouteIndex): boolean {
  const first = index.routes.find((route) => route.value === a)!;
  const second = index.routes.find((route) => route.value === b)!;
  const terms = routeTerms(message, index.vocabulary);
  return (
    first.informs === second.informs &&
    !namesOne(terms, first, second) &&
    terms.every((term) => term === ASK || first.whole.has(term) === second.whole.has(term))
  );
}

/**
 * A message that says all of one procedure's name and not all of the other's names the first
 * ("change item options on my order" is modify-order-items, not an exchange of delivered items).
 */
function namesOne(terms: readonly string[], a: IndexedRoute, b: IndexedRoute): boolean {
  const named = (route: IndexedRoute) => [...route.name].every((term) => terms.includes(term));
  return named(a) !== named(b);
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
    // Weak words alone name a procedure when they are all in its name ("moddify my order items"),
    // or several alike ("change order": the order's address, items or payment, to be asked).
    const content = [...query.keys()].filter((term) => term !== ASK && term !== NEED);
    const onlyNames = content.length >= 2 && content.every((term) => route.name.has(term));
    if (!distinctive && !onlyNames) return { value: route.value, score: 0 };
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
function requestsOf(message: string, index: RouteIndex): { found: string[]; asides: string[] } {
  const terms = (text: string) => routeTerms(text, index.vocabulary);
  const parts: string[] = [];
  // "… with a refund to my credit card": how a request is to be done, not a request of its own.
  const said = normaliseApostrophes(message).replace(REFUND_TO, ' ');
  for (const piece of said
    .split(
      /[.?!;,]+|\s*\b(?:and also|and then|and|also|then|plus|as well as|after that|two things:?)\b\s*,?/i,
    )
    .map((text) => text.trim())
    .filter((text) => text !== '')) {
    const last = parts.length - 1;
    // A phrase that says how ("…, with a refund to my credit card", "…, to my visa") completes the
    // request before it; it is not a request of its own.
    if (last >= 0 && /^(?:with|to|into|onto|using|via|by|for)\b/i.test(piece)) {
      parts[last] = `${parts[last]} ${piece}`;
      continue;
    }
    // A statement of the order's state belongs to the request before it ("…, still processing").
    if (last >= 0 && !asksFor(piece, terms(piece)) && terms(piece).some((term) => STATES.has(term)))
      parts[last] = `${parts[last]} ${piece}`;
    else parts.push(piece);
  }
  if (parts.length < 2) return { found: [], asides: [] };
  // "… cancel it. do i get money back for this month?", "how much do i get back": a question about
  // the money of a request, not a refund asked for besides (its answer is the confirmation's, or the
  // FAQ's). Not when it is the whole of what the message asks.
  // So is what the customer did, told beside a request ("i paid for the whole year"), and what is
  // asked for another person ("my husband ordered stuff on his account, can u cancel that for him?
  // also whats the status of my laptop": only the laptop is the customer's).
  const aside = (text: string) => MONEY_QUESTION.test(text) || DID.test(text) || aboutAnotherPerson(text);
  const asides = parts.some((text) => !aside(text) && asksFor(text, terms(text))) ? parts.filter(aside) : [];
  // "…, no replacement": a procedure the message turns down is no request of it.
  const refused = negatedTerms(message, index.vocabulary);
  const found: string[] = [];
  const part = { minScore: PART_MIN_SCORE, tieShare: PART_TIE_SHARE };
  let context = '';
  for (const text of parts) {
    let reading = decide(text, index, part);
    let read = text;
    // A part that leans on the one before ("change the card on my order and also the shipping
    // address") is read with that part's general words (the order, a change) before it.
    if (reading.route === undefined && context !== '') {
      read = `${context} ${text}`;
      reading = decide(read, index, part);
    }
    const general = terms(text).filter((term) => WEAK_TERMS.has(term));
    if (general.length > 0) context = general.join(' ');
    const route = reading.route;
    if (route === undefined || found.includes(route)) continue;
    if (asides.includes(text)) continue;
    // Any other statement beside a request is its reason ("the backpack is too small, send it back").
    if (!asksFor(read, terms(read)) && parts.some((other) => asksFor(other, terms(other)))) continue;
    const name = index.routes.find((candidate) => candidate.value === route)!.name;
    if ([...name].some((term) => !WEAK_TERMS.has(term) && refused.has(term))) continue;
    found.push(route);
  }
  return { found: found.length >= 2 ? found : [], asides };
}

/**
 * What the customer paid, told as what happened: "i paid for the whole year" (not what they bought or
 * ordered: that names the thing the request is about).
 */
const DID =
  /^(?:(?:but|and|so|because|cause|since)\s+)?(?:i|we) (?:already )?(?:paid|was charged|were charged)\b/i;

/** A question about what comes back ("do i get money back", "how much do i get back", "will it be refunded?"). */
const MONEY_QUESTION =
  /^(?:(?:so|and|but|also|um|hmm|wait|ok|okay)\s+)*(?:do i|will i|would i|am i|is it|is there|does it|how much|how long|when)\b.*\b(?:money back|get back|refund(?:s|ed)?|reimburs\w*)\b/i;

/** Terms of an order's state. */
const STATES = new Set(['pend', 'deliver']);

/** Whether a part of a message asks for something: a request word, a question, a want or a please. */
function asksFor(text: string, terms: readonly string[]): boolean {
  return (
    terms.some((term) => ACTIONS.has(term) || term === ASK || term === NEED || term === TRACK) ||
    /\b(?:please|pls|plz|can you|can u|could you)\b/i.test(text)
  );
}

/** The terms a message says under a negation ("no replacement": exchange). */
function negatedTerms(text: string, vocabulary: ReadonlySet<string>): Set<string> {
  const all = routeTermsOf(text, vocabulary, false);
  const kept = new Set(routeTermsOf(text, vocabulary, true));
  return new Set(all.filter((term) => !kept.has(term)));
}

/** The terms a routing text counts, after mending and rewriting (see the module comment). */
export function routeTerms(text: string, vocabulary: ReadonlySet<string>): string[] {
  return routeTermsOf(text, vocabulary, true);
}

function routeTermsOf(text: string, vocabulary: ReadonlySet<string>, dropNegated: boolean): string[] {
  // Mended in place: the punctuation stays, since a comma ends a negation's scope
  // ("hasnt arrived yet, where is it" still asks where).
  let lower = expand(text).replace(WORD_IN_TEXT, (word) => mend(word, vocabulary));
  for (const [pattern, replacement] of ROUTE_PHRASES) lower = lower.replace(pattern, replacement);
  return termsOf(lower, { dropNegated }).map((term) => CONCEPTS.get(term) ?? term);
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

const WORD_IN_TEXT = /[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu;

/**
 * A word that is neither a known word nor in any description is mended into the one description word
 * it is a slip of: one edit (a letter added, dropped, changed, or two swapped) for a word of four
 * letters or more, two for nine or more; same first letter; nothing when several words are as close.
 */
export function mend(word: string, vocabulary: ReadonlySet<string>): string {
  if (word.length < 4 || /\d/.test(word) || vocabulary.has(word) || KNOWN.has(word) || STOPWORDS.has(word))
    return word;
  const squeezed = word.replace(/(.)\1+/g, '$1');
  if (vocabulary.has(squeezed)) return squeezed;
  const allowed = word.length >= 9 ? 2 : 1;
  let best: string[] = [];
  let bestDistance = allowed + 1;
  // Four-letter words are too often real words a description lacks ("cars" is not "card"): they are
  // mended only into the store's request words ("trak" is "track").
  for (const candidate of word.length === 4 ? LEXICON : vocabulary) {
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
  [/\b(wh(?:at|o|ere|en|y)|how|it|that|there)s\b/g, "$1's"],
  [/\bcolour/g, 'color'],
  [/\btake me off (?:pause|hold)\b/g, 'resume'],
  [/\bswitch/g, 'change'],
  [/\bgift ?cards?\b/g, 'giftcard'],
  [/\be-?mail\b/g, 'email'],
];

/**
 * Phrases that carry the state of an order or the kind of request, rewritten to one word before
 * negation is read ("hasn't shipped" is a state, not a refused shipment).
 */
const ROUTE_PHRASES: readonly (readonly [RegExp, string])[] = [
  // "the bluetooth speaker in my pending order": a thing named as part of an order is an item of it
  // (not its address or the way it was paid).
  [
    /\b(?:the|both(?: the)?|the two|all the) (?!(?:address|shipping|delivery|payment|card|method|order|details?|status|tracking|info|information|contents|total|price|date|rest)\b)[a-z-]+(?: [a-z-]+)? (?:in|from|of) (?=my (?:\w+ )?order\b)/g,
    ' the item in ',
  ],
  // An order not yet received is asked about, not refused ("hasnt arrived yet, where is it").
  [
    /\b(?:has|have|is|was|did|does)(?:n't| not)(?: been| yet| even)* (?:arriv|come|came|deliver|show(?:n|ed)? up|get here|got here|turn(?:ed)? up)\w*(?: yet)?/g,
    ' where ',
  ],
  [
    /\b(?:never|not yet|still not|still hasn't|still has not) (?:arriv|come|came|deliver|show(?:n|ed)? up|got here|turn(?:ed)? up)\w*/g,
    ' where ',
  ],
  [/\b(?:on (?:the|its) way|in transit|out for delivery|still waiting (?:on|for))\b/g, ' where '],
  // "wrong" about a detail means the detail is to change, not that the order was a mistake.
  [
    /\b(?:wrong|incorrect) (?=(?:size|colou?r|address|street|zip|city|state|card|option|model|style|apartment|apt|payment|method)\b)/g,
    'change ',
  ],
  [
    /\b((?:size|colou?r|address|street|zip|code|city|card|option|payment|method)(?: \w+){0,4}?) (?:is |was |are |were )?(?:all )?(?:wrong|incorrect|outdated|out of date|old)\b/g,
    '$1 change',
  ],
  [/\b(?:fix|correct)\b/g, 'change'],
  // Undoing an action asks for its opposite: "undo the cancellation" is no cancellation.
  [
    /\b(?:undo(?:ing)?|revers(?:e|ing)|revert(?:ing)?|take back|taking back|un-?do)(?: (?:the|my|that|this|a|an))? (?:cancel\w*|return\w*|exchange\w*|refund\w*)\b|\bun-?cancel\w*\b|\breinstat\w*\b/g,
    ' undo ',
  ],
  // "placed" an order is not a place to ship to.
  [/\bplaced\b/g, 'made'],
  [/\b(?:already|just) (?:got|received|have)\b/g, 'received'],
  // The address of future orders is the account's.
  [
    /\b(?:for|on|with) (?:all )?(?:my )?(?:future|next|upcoming|later) orders\b|\bfrom now on\b|\bgoing forward\b/g,
    ' default ',
  ],
  [
    /\b(?:change|update|edit|modify) where ((?:it|they|my order|the order|my package|the package|this|that) )?(?:is |are )?(?:being |getting )?(?:ship|sent|send|deliver|go|head)\w*/g,
    'change address $1',
  ],
  // What was ordered is its items ("change what i ordered"); what was got, the items received.
  [/\bwhat (?:i|we) (?:ordered|bought|purchased|picked)\b/g, 'item order'],
  [/\bwhat (?:i|we) (?:got|received)\b/g, 'item received'],
  // Words that stand for no particular thing, and verbs any request uses, say nothing about it
  // (one example's "put my new address on my account" made "put" a word of the default address).
  [/\b(?:something|anything|everything|somethin|smth|put|puts|putting|make|made|use|using)\b/g, ' '],
  // A card's balance is a balance, not a way to pay.
  [
    /\b(?:giftcard|card|account|store credit)(?:'s)? balance\b|\bbalance (?:on|of) (?:my |the )?(?:giftcard|card|account)\b/g,
    ' balance ',
  ],
  // What is left on a gift card, and what an order cost, are asked about, not paid with.
  [
    /\bhow much (?:money |credit )?(?:is |do i have |have i got |i have )?(?:left |remaining |still )?(?:on|in)\b/g,
    ' asks balance on',
  ],
  [/\bhow much (?:did|have) (?:i|we) (?:pay|paid|spen[dt])\b/g, ' asks total '],
  // An order number names an order ("the shipping address of #W1123136" is that order's).
  [/#\s*w?\d{5,}\b|\bw\d{7}\b/g, ' order '],
  // One of the orders is one order, not the list of them.
  [/\b(?:one|some|any|each|either|both|two|three|a few) of (?:my|the|our|these|those) orders\b/g, ' order '],
  // An office is a place to ship to when it is someone's ("to my office"); else a kind of product.
  [/\b(?:my|our|his|her|the|work) office\b/g, ' address '],
  // "do you have …", "do you sell …": whether the store has a product.
  // Not what the store has of the customer's ("what address do you have on my account").
  [
    /\bdo (?:you|u|ya|yall|you guys) (?:have|sell|carry|stock|make)\b(?!(?: \w+){0,3} (?:for me|on (?:my|file|record)|in my|saved|of mine))/g,
    ' asks stock ',
  ],
  // A product is what product questions are about; "item" and "thing" are said of every order.
  [/\bproducts?\b/g, 'merchandise'],
  [
    /\btell me (?:more )?about (?:the|your|this|that|a|an|these|those) (?!(?:order|package|account|profile|refund|return|exchange|payment|address)s?\b)/g,
    ' asks merchandise ',
  ],
  // A sentence that opens with "is", "has", "did", … asks ("is my order delivered").
  [
    /(?:^|[.?!]\s*)(?:is|are|has|have|did|does|was|were)\b(?= (?:my|the|it|they|this|that|your|an?|there)\b)/g,
    ' asks ',
  ],
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
    /\b(?:ship|send|sent|deliver|go|going|redirect)\w* ((?:(?!back\b)\w+ ){0,3}?)to (?=(?:my|a|the|another|this|our|his|her|\d+)\b)/g,
    'address $1to ',
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
  ['address', 'street', 'zip', 'apartment', 'apt', 'redirect', 'house', 'home', 'place', 'location'],
  ['order', 'package', 'parcel', 'shipment'],
  ['cancel', 'kill', 'stop'],
  ['price', 'cost', 'costs'],
  ['stock', 'available', 'availabl', 'availability', 'sell'],
  ['deliver', 'came'],
];

const CONCEPTS: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  // Keyed by the word and its stem: terms arrive stemmed ("size" as "siz", "blue" as "blu").
  for (const group of CONCEPT_GROUPS)
    for (const word of group) {
      map.set(word, group[0]!);
      if (!map.has(stem(word))) map.set(stem(word), group[0]!);
    }
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
