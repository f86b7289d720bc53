/**
 * Text primitives of the local extraction engine: words, chunks, light stemming, a small synonym table
 * and negation scope. Everything here is deterministic and table-driven, so what the engine understands
 * can be listed in docs/local-model.md.
 */

/** A word of the message: letters and digits, with an inner apostrophe ("don't"). */
export interface Word {
  readonly text: string;
  readonly lower: string;
  /** Stemmed, then mapped to its synonym group: "cancelled" → "cancel", "swap" → "exchange". */
  readonly term: string;
  readonly index: number;
  readonly start: number;
  readonly end: number;
  /** Inside the scope of a negation ("not the keyboard", "don't want to cancel"). */
  readonly negated: boolean;
}

/** A whitespace-separated piece with surrounding punctuation removed: "#W1234567", "a@b.com", "$12.50". */
export interface Chunk {
  readonly text: string;
  readonly index: number;
  readonly start: number;
  readonly end: number;
}

export const STOPWORDS = new Set(
  `a an the i i'm im i'd i've i'll me my mine myself we our ours us you your yours it its it's this that
  these those is am are was were be been being do does did have has had having to of in on at for with by
  from into onto about and or but so if then than as please would could should can will shall may might
  must just like also there here what which who whom whose how when some any all one ones them they
  their he she him her his hi hello hey thanks thank get got let let's kindly really very well oh um uh
  customer customers someone's`.split(/\s+/),
);

/** Words that open a negation scope. */
const NEGATORS = new Set(
  `not no don't dont never doesn't didn't won't wouldn't isn't aren't wasn't hasn't haven't can't cannot
  without except excluding nor neither`.split(/\s+/),
);

/** Words and punctuation that close a negation scope ("not the keyboard, but the thermostat"). */
/**
 * Words after which a negation no longer reaches: "not the keyboard but the mouse"; "no i said paypal"
 * (what was said is what is wanted).
 */
const SCOPE_BREAKERS = new Set([
  'but',
  'and',
  'instead',
  'rather',
  'only',
  'just',
  'then',
  'also',
  'plus',
  'said',
  'meant',
  'asked',
]);
const NEGATION_SCOPE = 3;

/**
 * Synonym groups: every word (stemmed) maps to the group's first word. Kept small and domain-bound on
 * purpose: they are the words customers use for the procedures of a store.
 */
const SYNONYM_GROUPS: readonly (readonly string[])[] = [
  ['cancel', 'cancellation', 'cancelation', 'canceling', 'cancelling', 'revoke', 'abort'],
  ['return', 'returning'],
  ['exchange', 'swap', 'switch', 'replace', 'replacement', 'trade'],
  ['refund', 'reimburse', 'reimbursement', 'repay', 'repayment'],
  ['address', 'move', 'relocate', 'relocation'],
  [
    'human',
    'agent',
    'person',
    'representative',
    'rep',
    'operator',
    'supervisor',
    'manager',
    'staff',
    'people',
  ],
  [
    'change',
    'modify',
    'modification',
    'update',
    'edit',
    'alter',
    'amend',
    'different',
    'upgrade',
    'downgrade',
  ],
  ['need', 'want', 'require', 'wish'],
  ['anymore', 'longer'],
  [
    'mistake',
    'mistaken',
    'mistakenly',
    'accident',
    'accidental',
    'accidentally',
    'wrong',
    'error',
    'erroneous',
  ],
  ['order', 'purchase', 'bought', 'buy'],
  ['deliver', 'delivery', 'receive', 'received', 'arrive', 'arrived', 'arrival', 'came'],
  ['track', 'tracking', 'status', 'where'],
  ['item', 'product', 'thing', 'stuff'],
  ['payment', 'pay', 'paid', 'charge', 'billing', 'bill'],
  ['email', 'mail', 'e-mail'],
  ['talk', 'speak', 'chat', 'call'],
  ['neg', ...NEGATORS],
];

/** Attributes as shoppers say them: "waterproof", "water-resistant" (the catalogue's "water resistance"). */
const ATTRIBUTE_PHRASES: readonly (readonly [RegExp, string])[] = [
  [/\bwater[- ]?(?:proof|resistant)\b/gi, 'water resistance'],
];

/** A description of a product's attributes in the catalogue's words. */
export function inCatalogueWords(text: string): string {
  return ATTRIBUTE_PHRASES.reduce((said, [phrase, words]) => said.replace(phrase, words), text);
}

/** Phrases rewritten to one word before terms are taken ("send it back" → "return"). */
const PHRASES: readonly (readonly [RegExp, string])[] = [
  [/\bsend(?:ing)? (?:it |them |this |that |these |those |the \w+ )?back\b/g, 'return'],
  [/\b(?:give|bring|take) (?:it |them |this |that )?back\b/g, 'return'],
  [/\bmoney back\b/g, 'refund'],
  // "my visa instead of paypal", "exchange rather than return": what follows is what is not wanted.
  [/\b(?:instead of|rather than|nothing to do with|other than|except(?: for)?|apart from)\b/g, 'not'],
  [
    /\b(?:ship|send|deliver)(?:ped|ed)? (?:it |them |this |that |the order |the package )?to\b/g,
    'address to',
  ],
  [/\bany ?more\b/g, 'anymore'],
  [/\bno longer\b/g, 'no anymore'],
  [/\bcall (?:it |the order |this |that )?off\b/g, 'cancel'],
  [/\b(?:real|live|actual) (?:person|human|agent|someone)\b/g, 'human'],
  [/\bby accident\b/g, 'accidentally'],
  [/\bwhere(?:'s| is)\b/g, 'where'],
  // A card's brand as people shorten it ("the amex").
  [/\bamex\b/g, 'american express'],
  [/\bmaster ?card\b/g, 'mastercard'],
  ...ATTRIBUTE_PHRASES,
  [/\b(?:show(?:ed|n)? up|turn(?:ed)? up|get here|got here)\b/g, 'arrive'],
  [/\b(?:package|parcel)\b/g, 'order'],
  // "the original card", "same card as before", "the one I used": the payment method that paid (a
  // payment method offered is said with what it paid for, shared/engine/options.ts).
  [/\b(?:original|usual)\b/g, 'paid'],
  [/\bsame (?=(?:card|method|payment|account)\b)/g, 'paid '],
  [/\b(?:i|we) (?:used|bought (?:it|them) with|ordered (?:it|them) with)\b/g, 'paid'],
];

/** Terms that carry little meaning in a store's conversations; they count half. */
export const WEAK_TERMS = new Set(['order', 'item', 'need', 'change', 'talk']);

const CONCEPTS: ReadonlyMap<string, string> = (() => {
  const map = new Map<string, string>();
  for (const group of SYNONYM_GROUPS) {
    const head = group[0]!;
    for (const word of group) {
      map.set(word, head);
      map.set(stem(word), head);
    }
  }
  return map;
})();

/**
 * Light suffix stemming: plurals, -ing, -ed, -ly and a final e, so "orders", "ordered", "ordering"
 * and "order" meet, as do "change", "changed" and "changing".
 */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/'s$/, '');
  if (w.length <= 3 || /\d/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  for (const suffix of ['ing', 'ed', 'ly']) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3) {
      w = w.slice(0, -suffix.length);
      if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
      break;
    }
  }
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  if (w.endsWith('ll') && w.length > 4) w = w.slice(0, -1);
  return w;
}

/** The term a word counts as: its synonym group, or its stem. */
export function termOf(word: string): string {
  const lower = word.toLowerCase();
  return CONCEPTS.get(lower) ?? CONCEPTS.get(stem(lower)) ?? stem(lower);
}

export function normaliseApostrophes(text: string): string {
  return text.replace(/[\u2018\u2019\u02bc`]/g, "'");
}

const WORD = /[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu;

/** Words of a text, each with its term and whether a negation governs it. */
export function wordsOf(text: string): Word[] {
  const source = normaliseApostrophes(text);
  const words: Word[] = [];
  let scope = 0;
  let lastEnd = 0;
  for (const match of source.matchAll(WORD)) {
    const start = match.index;
    const raw = match[0];
    const lower = raw.toLowerCase();
    if (/[.,;:!?()]/.test(source.slice(lastEnd, start))) scope = 0;
    if (SCOPE_BREAKERS.has(lower)) scope = 0;
    const negator = NEGATORS.has(lower);
    words.push({
      text: raw,
      lower,
      term: termOf(lower),
      index: words.length,
      start,
      end: start + raw.length,
      negated: !negator && scope > 0,
    });
    if (negator) scope = NEGATION_SCOPE;
    else if (scope > 0 && !STOPWORDS.has(lower)) scope -= 1;
    lastEnd = start + raw.length;
  }
  return words;
}

/**
 * Content terms of a text (stopwords out, phrases rewritten), for matching against descriptions.
 * `dropNegated` leaves out negated words and the negations themselves ("has not shipped" → nothing).
 */
export function termsOf(text: string, options: { readonly dropNegated?: boolean } = {}): string[] {
  let lower = normaliseApostrophes(text).toLowerCase();
  for (const [pattern, replacement] of PHRASES) lower = lower.replace(pattern, replacement);
  return wordsOf(lower)
    .filter(
      (word) => !STOPWORDS.has(word.lower) && !(options.dropNegated && (word.negated || word.term === 'neg')),
    )
    .map((word) => word.term);
}

const CHUNK = /\S+/g;
const LEADING = /^[([{"'<]+/;
const TRAILING = /[)\]}"'>.,;:!?]+$/;

/** Whitespace/comma-separated pieces of a message with surrounding punctuation removed. */
export function chunksOf(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  for (const match of normaliseApostrophes(text).matchAll(CHUNK)) {
    for (const part of splitCommas(match[0], match.index)) {
      const lead = LEADING.exec(part.text)?.[0].length ?? 0;
      const body = part.text.slice(lead);
      const trail = TRAILING.exec(body)?.[0].length ?? 0;
      const clean = body.slice(0, body.length - trail);
      if (clean === '') continue;
      const start = part.start + lead;
      chunks.push({ text: clean, index: chunks.length, start, end: start + clean.length });
    }
  }
  return chunks;
}

/** "W1234567,W7654321" holds two chunks, but "1,234" and "$1,200.50" hold one. */
function splitCommas(text: string, offset: number): { text: string; start: number }[] {
  if (!text.includes(',') || /^\$?\d{1,3}(,\d{3})+(\.\d+)?[.,;:!?]*$/.test(text))
    return [{ text, start: offset }];
  const parts: { text: string; start: number }[] = [];
  let start = 0;
  for (const piece of text.split(',')) {
    if (piece !== '') parts.push({ text: piece, start: offset + start });
    start += piece.length + 1;
  }
  return parts;
}

/** The content words of a text before a position, nearest first (for cues like "order 1234567"). */
export function wordsBefore(text: string, position: number, count: number): string[] {
  const before = wordsOf(text.slice(0, position));
  return before
    .map((word) => word.lower)
    .reverse()
    .slice(0, count);
}

/**
 * "with a refund to my credit card", "refunded back to the gift card", "money back to paypal": where
 * the money goes. Routing does not read it as a request of its own; an early choice of items does not
 * read it as a description of one ("card" is not the camera's "CF card").
 */
const RELATIVE =
  '(?:husband|wife|partner|boyfriend|girlfriend|fianc[eé]e?|mom|mum|mother|dad|father|son|daughter|brother|sister|friend|roommate|flatmate|colleague|coworker|neighbou?r|grandma|grandmother|grandpa|grandfather|aunt|uncle|cousin|kid|parents?)';
const ANOTHER_PERSON = new RegExp(
  [
    // "my husband's order", "my mom's account", "my brothers order"
    String.raw`\b${RELATIVE}'?s? (?:\w+ )?(?:order|orders|account|subscription|sub|package|stuff|purchase)\b`,
    // "his order", "on her account", "their subscription"
    String.raw`\b(?:his|her|their) (?:\w+ )?(?:order|orders|account|subscription|sub|package|purchase)\b`,
    // "my husband ordered stuff", "my mom bought … on her account"
    String.raw`\b(?:my )?${RELATIVE} (?:\w+ ){0,2}(?:ordered|placed|has an? (?:order|account|subscription))\b`,
    // "my brother juan asked me to check on his too"
    String.raw`\b${RELATIVE}\b(?: \w+){0,3} (?:asked|wants|wanted|needs) me to\b`,
    // "can you cancel that for him", "check it for her"
    String.raw`\b(?:cancel|check|change|track|return|update|pause|look up|do)\b(?: \w+){0,3} for (?:him|her|them)\b`,
  ].join('|'),
  'i',
);

/**
 * Whether a message is about another person's account or orders ("my husband noah ordered stuff on his
 * account, can u cancel that for him?"): the agent helps only the customer who signs in. Not a gift
 * ("i bought it for my wife": the customer's own order).
 */
export function aboutAnotherPerson(text: string): boolean {
  return ANOTHER_PERSON.test(normaliseApostrophes(text));
}

/**
 * What the customer keeps, said beside what they want done: "cancel the cheap one, keep the premium
 * one", "stay on my standard plan". Neither a request (routing) nor the choice it is about (an early
 * choice). Only with "my" or "the": "you keep charging me" is a complaint.
 */
export const KEPT =
  /\b(?:keep(?:ing)?|stay(?:ing)? (?:on|with)|stick(?:ing)? (?:to|with))\s+(?:my|the)\s+[\w-]+(?:\s+(?:plan|one|subscription|sub|card|order|item))?/gi;

export const REFUND_TO =
  /\b(?:with |and )?(?:a |the )?(?:refund(?:ed)?|money back)(?: it| them)? (?:to|on|back to|onto|via) (?:my |the |a )?[a-z0-9 ]{1,30}?(?=$|[.,!?;]|\s+and\b)/gi;
