import { type FactEnvironment, propertiesOf, type Resolution, resolveFact } from './facts.ts';

/**
 * "Tell the customer the status, the items and the tracking number of the order": a tell with no quoted
 * text whose words are only a list of facts is said as a sentence per fact, each value filled in at run
 * time: "The status of order {order.order_id} is {order.status}. Its items are {order.items}. Its
 * tracking number is {order.fulfillments.tracking_id}." An "of …" after the last fact applies to every
 * one. When any phrase names no fact, this is not that form (the words are a paraphrase).
 */

export interface ListedFact {
  /** The phrase as resolved ("the tracking number of the order"). */
  readonly phrase: string;
  /** Where the author's words for it are, in the text given. */
  readonly start: number;
  readonly end: number;
  readonly resolution: Resolution & { readonly fact: string };
}

export interface FactListSentence {
  readonly text: string;
  readonly facts: ListedFact[];
}

/** At most this many facts in one tell, and this many words a phrase: longer is prose, not a list. */
const MAX_FACTS = 8;
const MAX_WORDS = 6;

export function factListSentence(rest: string, environment: FactEnvironment): FactListSentence | null {
  const words = rest.trim().replace(/[.!?:;]+$/, '');
  if (words.length === 0 || /["“”{}@`()]/.test(words)) return null;
  const pieces = piecesOf(words);
  if (pieces.length === 0 || pieces.length > MAX_FACTS) return null;
  const last = pieces[pieces.length - 1]!;
  const of = /^(.+?)\s+of\s+(.+)$/i.exec(last.text);
  const owner = of ? of[2]! : null;
  if (of) pieces[pieces.length - 1] = { ...last, text: of[1]! };
  const facts: ListedFact[] = [];
  for (const piece of pieces) {
    if (piece.text.split(/\s+/).length > MAX_WORDS) return null;
    const phrase = owner ? `${piece.text} of ${owner}` : piece.text;
    const resolution = resolveFact(phrase, environment, { throughLists: true });
    if (resolution.problem !== null || resolution.fact === null) return null;
    facts.push({
      phrase,
      start: piece.start,
      end: piece.start + piece.text.length,
      resolution: { ...resolution, fact: resolution.fact },
    });
  }
  const named = owner ? ownerNamed(owner, last.start + last.text.length - owner.length, environment) : null;
  if (named) facts.push(named.id);
  const ownerWords = named?.words ?? owner;
  const text = pieces
    .map((piece, index) => {
      const fact = facts[index]!.resolution;
      const value = `{${[fact.fact, ...fact.path].join('.')}}`;
      const name = withoutArticle(piece.text);
      const subject = !ownerWords
        ? capitalise(/^(?:the|their|its|your|his|her)\s/i.test(piece.text) ? piece.text : `the ${piece.text}`)
        : index === 0
          ? `The ${name} of ${ownerWords}`
          : `Its ${name}`;
      return `${subject} ${isPlural(name) ? 'are' : 'is'} ${value}.`;
    })
    .join(' ');
  return { text, facts };
}

/** The list's phrases, split at commas and "and", with where each starts. */
function piecesOf(words: string): { text: string; start: number }[] {
  const pieces: { text: string; start: number }[] = [];
  const separator = /\s*,\s*(?:and\s+)?|\s+and\s+/gi;
  let from = 0;
  for (const match of words.matchAll(separator)) {
    pieces.push({ text: words.slice(from, match.index), start: from });
    from = match.index + match[0].length;
  }
  pieces.push({ text: words.slice(from), start: from });
  const leading = (piece: { text: string; start: number }) =>
    piece.text.length - piece.text.trimStart().length;
  return pieces
    .map((piece) => ({ text: piece.text.trim(), start: piece.start + leading(piece) }))
    .filter((piece) => piece.text.length > 0);
}

/**
 * "the order" said by the id it is known by, when it has one: "order {order.order_id}", so the answer
 * reads "The status of order #W3504981 is delivered."
 */
function ownerNamed(
  owner: string,
  start: number,
  environment: FactEnvironment,
): { words: string; id: ListedFact } | null {
  const resolution = resolveFact(owner, environment);
  const fact = resolution.fact;
  if (fact === null || resolution.path.length > 0) return null;
  const key = `${fact}_id`;
  if (!(key in propertiesOf(environment.get(fact)!.schema))) return null;
  return {
    words: `${fact.replaceAll('_', ' ')} {${fact}.${key}}`,
    id: {
      phrase: owner,
      start,
      end: start + owner.length,
      resolution: { fact, path: [key], candidates: [], problem: null },
    },
  };
}

function withoutArticle(phrase: string): string {
  return phrase.replace(/^(?:the|their|its|your|his|her)\s+/i, '');
}

/** "items", "tracking numbers" are several; "status", "address", "tracking number" one. */
function isPlural(name: string): boolean {
  return /[^su]s$/i.test(name.trim().split(/\s+/).pop() ?? '');
}

function capitalise(text: string): string {
  return text.length > 0 ? text[0]!.toUpperCase() + text.slice(1) : text;
}
