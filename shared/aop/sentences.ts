import { type Located, slice, trim } from './source.ts';

/**
 * Splitting prose into sentences and clauses without breaking quoted text, backticked expressions,
 * `{placeholders}`, `(parentheses)`, decimals ("$12.50") or abbreviations ("e.g.").
 */

const OPEN: Record<string, string> = { '"': '"', '“': '”', '`': '`', '{': '}', '(': ')' };
const ABBREVIATIONS = /(?:\be\.g|\bi\.e|\betc|\bvs|\bapprox|\bno|\bst|\bdr|\bmr|\bmrs|\bms)$/i;

/** Indexes of characters that are outside quotes, backticks, braces and parentheses. */
function outsideMask(text: string): boolean[] {
  const mask: boolean[] = [];
  const stack: string[] = [];
  for (const char of text) {
    const top = stack[stack.length - 1];
    if (top !== undefined && char === top) {
      stack.pop();
      mask.push(false);
      continue;
    }
    if (top !== '"' && top !== '“' && top !== '`' && OPEN[char] !== undefined) {
      stack.push(OPEN[char]!);
      mask.push(false);
      continue;
    }
    mask.push(stack.length === 0);
  }
  return mask;
}

export function splitSentences(located: Located): Located[] {
  const text = located.text;
  const mask = outsideMask(text);
  const sentences: Located[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (endsQuotedSentence(text, mask, i)) {
      pushTrimmed(sentences, slice(located, start, i + 1));
      start = i + 1;
      continue;
    }
    if (!mask[i] || !/[.!?]/.test(char)) continue;
    const next = text[i + 1];
    if (next !== undefined && !/\s/.test(next)) continue; // 12.50, e.g.x
    if (char === '.' && ABBREVIATIONS.test(text.slice(start, i))) continue;
    pushTrimmed(sentences, slice(located, start, i + 1));
    start = i + 1;
  }
  pushTrimmed(sentences, slice(located, start));
  return sentences;
}

/**
 * `Say "I can help." Ask for the order id.`: a quote that closes on `.`, `!` or `?` and is followed by
 * a capitalised word ends the sentence, as the full stop would outside the quotes. Without this the
 * next sentence joined the quoted one's clause and was lost (its ask never ran, so a call after it read
 * a fact nothing had provided). A lowercase word after it (`say "Sorry." and end`) continues it.
 */
function endsQuotedSentence(text: string, mask: readonly boolean[], i: number): boolean {
  const char = text[i];
  if ((char !== '"' && char !== '”') || mask[i] || !/[.!?]/.test(text[i - 1] ?? '')) return false;
  // Closing, not opening: the text after it is outside any quote or bracket again.
  return mask[i + 1] === true && /^\s+(?:[A-Z]|@)/.test(text.slice(i + 1));
}

function pushTrimmed(out: Located[], piece: Located) {
  const trimmed = trim(piece, /[.!?\s]/);
  if (trimmed.text.length > 0) out.push(trimmed);
}

/** Words that start an action clause; a clause split is only made before one of these (or an @reference). */
export const ACTION_VERBS = new Set(
  'tell say inform explain let reply respond answer show give share apologize apologise list describe summarize summarise remind ask collect request confirm work calculate compute determine escalate transfer hand end stop finish close go return loop jump repeat follow run perform look call use check cancel modify change update exchange find get process submit offer then'.split(
    ' ',
  ),
);

const CLAUSE_BREAKS = [
  ', and then ',
  ' and then ',
  ', then ',
  '; then ',
  ' then ',
  '; ',
  ', and ',
  ' and ',
  ', ',
];

/** Splits "say X, then go back to step 2" into clauses. Only breaks before an action verb or @ref. */
export function splitClauses(located: Located): Located[] {
  const text = located.text;
  const lower = text.toLowerCase();
  const mask = outsideMask(text);
  const clauses: Located[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    let matched = false;
    if (mask[i]) {
      for (const separator of CLAUSE_BREAKS) {
        if (!lower.startsWith(separator, i)) continue;
        const rest = lower.slice(i + separator.length);
        const firstWord = /^[a-z@]+/.exec(rest)?.[0] ?? '';
        if (i > start && (ACTION_VERBS.has(firstWord) || firstWord.startsWith('@'))) {
          pushClause(clauses, slice(located, start, i));
          start = i + separator.length;
          i = start;
          matched = true;
        }
        break;
      }
    }
    if (!matched) i++;
  }
  pushClause(clauses, slice(located, start));
  return clauses;
}

function pushClause(out: Located[], piece: Located) {
  const trimmed = trim(piece, /[.,;:!?\s]/);
  if (trimmed.text.length > 0) out.push(trimmed);
}

/** Finds a separator outside quotes; returns its index or -1. */
export function indexOutside(
  text: string,
  pattern: RegExp,
  from = 0,
): { index: number; length: number } | null {
  const mask = outsideMask(text);
  const regex = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  regex.lastIndex = from;
  for (let match = regex.exec(text); match; match = regex.exec(text)) {
    if (mask[match.index]) return { index: match.index, length: match[0].length };
    regex.lastIndex = match.index + 1;
  }
  return null;
}

/** Splits on a separator that occurs outside quotes. */
export function splitOutside(located: Located, separator: RegExp): Located[] {
  const parts: Located[] = [];
  let start = 0;
  for (;;) {
    const found = indexOutside(located.text, separator, start);
    if (!found) break;
    parts.push(trim(slice(located, start, found.index)));
    start = found.index + found.length;
  }
  parts.push(trim(slice(located, start)));
  return parts.filter((part) => part.text.length > 0);
}

/** The first quoted text in a clause ("…" or “…”), with its offsets (inside the quotes). */
export function firstQuote(text: string): { value: string; start: number; end: number } | null {
  const match = /"([^"]*)"|“([^”]*)”/.exec(text);
  if (!match) return null;
  const value = match[1] ?? match[2] ?? '';
  return { value, start: match.index + 1, end: match.index + 1 + value.length };
}

export function slugify(text: string, maxWords = 5): string {
  const words = text
    .toLowerCase()
    .replace(/"[^"]*"|“[^”]*”|`[^`]*`|\{[^}]*\}|\([^)]*\)/g, ' ')
    .replace(/@([a-z0-9_-]+)/g, ' $1 ')
    .replace(/[^a-z0-9\s_-]/g, ' ')
    .split(/[\s_-]+/)
    .filter((word) => word.length > 0 && !SLUG_FILLER.has(word));
  return words.slice(0, maxWords).join('-').slice(0, 40).replace(/-+$/, '') || 'step';
}

const SLUG_FILLER = new Set([
  'the',
  'a',
  'an',
  'to',
  'of',
  'for',
  'with',
  'and',
  'customer',
  'customers',
  'their',
  'them',
  'it',
  'is',
  'please',
  'politely',
  'then',
]);
