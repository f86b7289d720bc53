import { findAddress } from './address.ts';
import { normaliseApostrophes } from './text.ts';

/** A person's name as the customer gave it. `last` only when at least two words were given. */
export interface PersonName {
  readonly full: string;
  readonly first: string;
  readonly last?: string;
}

const NAME_WORD = "[A-Z][a-zA-Z'-]+";
const CAPITALISED_NAME = new RegExp(String.raw`^(${NAME_WORD}(?:\s+${NAME_WORD}){0,2})\b`);
const ANY_NAME = /^([a-zA-Z][a-zA-Z'-]+(?:\s+[a-zA-Z][a-zA-Z'-]+){0,2})\b/;

/** "My name is …" says a name follows, whatever its case. */
const STRONG_CUE = /\b(?<!user\s?)(?:my name is|my name's|name is|name's|name:|call me)\s+/gi;
/**
 * "I'm …", "this is …" may be followed by anything, so only capitalised words count as a name, or
 * lowercase ones when a zip code follows them ("im ava lee zip 94110": how people type a sign-in).
 */
const WEAK_CUE = /\b(?:i am|i'm|im|this is|it's|its|it is|here is|here's)\s+/gi;

const LOWERCASE_NAME_THEN_ZIP =
  /^([a-z][a-z'-]+(?:\s+[a-z][a-z'-]+){1,2}?)\s*[,;]?\s*(?:(?:and\s+)?(?:my\s+)?(?:zip(?:\s+code)?|postal\s+code)\s*(?:is|:)?\s*)?\d{5}\b/;

/** A whole line that is a name and a zip code, nothing else. */
const NAME_AND_ZIP_LINE =
  /^[a-z][a-z'-]+(?:\s+[a-z][a-z'-]+){1,2}\s*[,;]?\s*(?:(?:and\s+)?(?:my\s+)?(?:zip(?:\s+code)?|postal\s+code)\s*(?:is|:)?\s*)?\d{5}\s*[.!]*$/i;

const FIRST_NAME = /\b(?:first name|given name)(?:\s+is|:)?\s+([a-zA-Z][a-zA-Z'-]+)/i;
const LAST_NAME = /\b(?:last name|surname|family name)(?:\s+is|:)?\s+([a-zA-Z][a-zA-Z'-]+)/i;

/** Words that follow a cue but never start or continue a name. */
const NOT_NAME = new Set(
  `a an the and or but in at from with on of to for by is my your our it this that not no yes so very
  just here there looking trying calling writing contacting interested sorry afraid sure glad happy
  unable still also order orders item items email zip code postal phone number address
  hello hi hey thanks thank please okay ok one moment sec second minute wait hold idk dunno dont don't
  know forgot what why how who need want have help good fine great cool nope yeah yep sorry im i'm
  confused huh hmm lol whatever nothing never mind again more stop bye cancel return refund go ahead
  proceed confirm do its`.split(/\s+/),
);

/** The whole message is a name, optionally followed by a zip code or an email (a reply to "name and zip?"). */
const BARE_NAME = new RegExp(
  String.raw`^(?:(?:hi|hello|hey|sure|yes|ok|okay|it's|it is)[,!.]?\s+)?(${NAME_WORD}(?:\s+${NAME_WORD}){1,2})` +
    // "Ethan Garcia, Denver, 80280", "Chen Smith, I live in Jacksonville 32278": where they live.
    String.raw`(?:(?:\s*[,;]\s*|\s+)(?:[iI]\s+live\s+|[iI]\s+am\s+|[iI]'m\s+|living\s+)?(?:in\s+|from\s+)?${NAME_WORD}(?:\s+${NAME_WORD}){0,2}(?:,?\s+[A-Z]{2})?(?=\s*[,;]?\s*(?:(?:my\s+)?(?:zip|postal)|\d{5})))?` +
    String.raw`(?:\s*[,;]?\s*(?:(?:and|in|with)\s+)?(?:(?:my\s+)?(?:zip(?:\s+code)?|postal\s+code|zipcode|email)(?:\s+is|:)?\s+)?(?:\d{5}|\S+@\S+))?[.!]?$`,
);

/** Finds the customer's own name, from a cue ("my name is", "I'm", "this is") or a bare reply. */
export function findName(message: string): PersonName | undefined {
  // Several messages read together (what the customer said before the request was chosen, then the
  // request: shared/engine/turn-input.ts `withUnread`), one per line: a bare "ava nguyen 78786" is
  // read as it would be alone.
  const lines = message.split(/\n+/).filter((line) => line.trim() !== '');
  if (lines.length > 1) {
    for (const line of lines) {
      const found = findName(line);
      if (found) return found;
    }
    return undefined;
  }
  // A name and zip code beside the request ("where is my order?? evelyn patel, 28262").
  const part = nameAndZipPart(message);
  if (part !== undefined) return findName(part);
  const text = normaliseApostrophes(message).trim();
  const explicit = explicitParts(text);
  const words =
    cued(text, STRONG_CUE, ANY_NAME) ??
    cued(text, WEAK_CUE, CAPITALISED_NAME) ??
    cued(text, WEAK_CUE, LOWERCASE_NAME_THEN_ZIP) ??
    bare(text);
  if (words === undefined && explicit.first === undefined && explicit.last === undefined) return undefined;
  const parts = words ?? [];
  const first = explicit.first ?? parts[0];
  const last = explicit.last ?? (parts.length >= 2 ? parts[parts.length - 1] : undefined);
  if (first === undefined) return last === undefined ? undefined : { full: last, first: last, last };
  const full = words !== undefined ? parts.join(' ') : [first, last].filter(Boolean).join(' ');
  return last === undefined ? { full, first } : { full, first, last };
}

/** A name stated outright ("my name is …", "first name …"), never one read from a bare reply or "I'm …". */
export function findStatedName(message: string): PersonName | undefined {
  // Several messages read together, one per line (see `findName`): a line that is only a name and a
  // zip code ("ava nguyen 78786", sent before the request was chosen) states a name as plainly as
  // "my name is" does.
  const lines = message.split(/\n+/).filter((line) => line.trim() !== '');
  if (lines.length > 1) {
    for (const line of lines) {
      const found =
        findStatedName(line) ?? (NAME_AND_ZIP_LINE.test(line.trim()) ? findName(line) : undefined);
      if (found) return found;
    }
    return undefined;
  }
  // A name and zip code beside the request states the name as plainly.
  const part = nameAndZipPart(message);
  if (part !== undefined) return findName(part);
  const text = normaliseApostrophes(message).trim();
  const explicit = explicitParts(text);
  const words = cued(text, STRONG_CUE, ANY_NAME);
  if (words === undefined && explicit.first === undefined) return undefined;
  const parts = words ?? [];
  const first = explicit.first ?? parts[0];
  const last = explicit.last ?? (parts.length >= 2 ? parts[parts.length - 1] : undefined);
  if (first === undefined) return undefined;
  const full = words !== undefined ? parts.join(' ') : [first, last].filter(Boolean).join(' ');
  return last === undefined ? { full, first } : { full, first, last };
}

function explicitParts(text: string): { first?: string; last?: string } {
  const first = FIRST_NAME.exec(text)?.[1];
  const last = LAST_NAME.exec(text)?.[1];
  return {
    ...(first !== undefined && !NOT_NAME.has(first.toLowerCase()) ? { first: titleCase(first) } : {}),
    ...(last !== undefined && !NOT_NAME.has(last.toLowerCase()) ? { last: titleCase(last) } : {}),
  };
}

function cued(text: string, cue: RegExp, name: RegExp): string[] | undefined {
  for (const match of text.matchAll(cue)) {
    const rest = text.slice(match.index + match[0].length);
    const candidate = name.exec(rest)?.[1];
    if (candidate === undefined) continue;
    const words: string[] = [];
    for (const word of candidate.split(/\s+/)) {
      if (NOT_NAME.has(word.toLowerCase())) break;
      words.push(titleCase(word));
    }
    if (words.length > 0) return words;
  }
  return undefined;
}

/** "olivia ito 80218": in lowercase, two or three words are a name only when a zip code follows. */
const BARE_LOWERCASE_NAME =
  /^([a-z][a-z'-]+(?:\s+[a-z][a-z'-]+){1,2}?)\s*[,;]?\s*(?:zip(?:\s+code)?\s*(?:is|:)?\s*)?\d{5}[.!]?$/;

/** "harper santos" alone, as the answer to a question for the name: two words, neither a common one. */
const BARE_LOWERCASE_PAIR = /^([a-z][a-z'-]+\s+[a-z][a-z'-]+)[.!]?$/;

/** Before and after a reply, the words of an impatient typist: "um …", "yeah so …", "… pls!!", "… thx". */
const LEADING_FILLERS = /^(?:(?:um+|uh+|erm|hmm+|ok(?:ay)?|so|yeah|yep|sure|well|hi|hello|hey)[,!.]*\s+)+/i;
const TRAILING_FILLERS = /(?:[\s,]+(?:pls|plz|please|thanks|thank you|thx|ty))*[\s!.]*$/i;

function bare(message: string): string[] | undefined {
  // Fillers go only before a capitalised name or a lowercase one with its zip: "hmm ok go ahead" is
  // not the two words "go ahead".
  const text = message.replace(LEADING_FILLERS, '').replace(TRAILING_FILLERS, '');
  const candidate =
    BARE_NAME.exec(text)?.[1] ??
    (BARE_LOWERCASE_NAME.exec(text)?.[1] ?? BARE_LOWERCASE_PAIR.exec(message)?.[1])
      ?.split(/\s+/)
      .map(titleCase)
      .join(' ');
  if (candidate === undefined) return undefined;
  const words = candidate.split(/\s+/);
  return words.some((word) => NOT_NAME.has(word.toLowerCase())) ? undefined : words;
}

/** "yusuf" → "Yusuf"; a name already written with capitals ("McDonald") is kept as written. */
function titleCase(word: string): string {
  return /[A-Z]/.test(word) ? word : word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * Several messages read together, or one with a request, one part of which is only a name and a zip
 * code ("ava nguyen 78786").
 */
export function hasNameAndZipLine(message: string): boolean {
  const lines = message.split(/\n+/).filter((line) => line.trim() !== '');
  return (
    (lines.length > 1 && lines.some((line) => NAME_AND_ZIP_LINE.test(line.trim()))) ||
    nameAndZipPart(message) !== undefined
  );
}

/**
 * The part of a one-line message that is only a name and a zip code, beside a request: "where is my
 * espresso machine?? evelyn patel, 28262", "liam thomas 85049, i need to cancel my order", "i
 * literally just said. evelyn patel 28262", "cancel the skateboard order - liam thomas 85049". A
 * sentence of its own, or the first or last part of one set off by a comma, semicolon or dash; none
 * of its words a common one ("order number 12345" is no name).
 */
export function nameAndZipPart(message: string): string | undefined {
  if (/\n/.test(message.trim())) return undefined;
  const text = normaliseApostrophes(message).trim();
  const sentences = text.split(/(?<=[.!?])\s+/).filter((part) => part.trim() !== '');
  const parts = sentences.flatMap((sentence) => {
    const pieces = sentence.split(/\s*(?:[,;]|\s[-–—]\s)\s*/);
    if (pieces.length < 2) return [sentence];
    // "evelyn patel, 28262" is one part: the comma is inside the name and zip.
    const [head, ...tail] = pieces;
    return [sentence, `${head}, ${tail[0]}`, `${pieces.at(-2)}, ${pieces.at(-1)}`, head!, pieces.at(-1)!];
  });
  for (const part of parts) {
    // "hey its liam thomas 85049, …": the cue before the name is not part of it.
    const candidate = part
      .replace(LEADING_FILLERS, '')
      .replace(/^(?:it's|its|it is|im|i'm|i am|this is|(?:my )?name(?: is|'s)?)\s+/i, '')
      .replace(/[\s.!?]+$/, '');
    if (candidate === text.replace(/[\s.!?]+$/, '')) continue;
    if (!NAME_AND_ZIP_LINE.test(candidate)) continue;
    const words = candidate
      .replace(/\d{5}.*$/, '')
      .split(/[\s,;]+/)
      .filter(Boolean);
    if (words.some((word) => NOT_NAME.has(word.toLowerCase()) || /^(?:zip|code|postal|my|and)$/i.test(word)))
      continue;
    // "45 Maple Ave, Denver CO 80203": the end of an address, not a name.
    const address = findAddress(text);
    const at = text.indexOf(candidate);
    if (address && at >= 0 && at < address.end && at + candidate.length > address.start) continue;
    return candidate;
  }
  return undefined;
}
