import { safeRegExp } from '../../../shared/model/json-schema-check.ts';
import type { Option } from './phrase-match.ts';
import type { Chunk } from './text.ts';

/**
 * Identifiers found through a property's `pattern`. A pattern made of a literal prefix and a run of
 * digits (`^#W\d{7}$`) also says how customers shorten the id, so "W1234567", "#w1234567" and a bare
 * "1234567" are read as "#W1234567"; any other pattern must match a piece of the message as typed.
 */

export interface PatternShape {
  readonly regex: RegExp;
  /** The literal text every id starts with ("#W"), or "" when the pattern has none. */
  readonly prefix: string;
  /** How many digits follow the prefix, 'any' for `\d+`, undefined when the tail is not just digits. */
  readonly digits?: number | 'any';
}

export interface IdMatch {
  readonly value: string;
  readonly chunk: Chunk;
}

export function shapeOf(pattern: string): PatternShape | undefined {
  const regex = safeRegExp(pattern);
  if (regex === null) return undefined;
  const { prefix, rest } = literalPrefix(pattern);
  const tail = /^(?:\\d|\[0-9\])(?:\{(\d+)\}|\+)\$?$/.exec(rest);
  if (tail === null) return { regex, prefix };
  return { regex, prefix, digits: tail[1] === undefined ? 'any' : Number(tail[1]) };
}

/**
 * Every chunk that is an id of this shape. A bare number counts when its length is exactly the
 * pattern's digit count, or, for `\d+`, when a cue word comes right before it ("order 1234").
 */
export function findIds(
  chunks: readonly Chunk[],
  shape: PatternShape,
  cued: (chunk: Chunk) => boolean,
): IdMatch[] {
  const found: IdMatch[] = [];
  for (const chunk of chunks) {
    const value = candidatesOf(chunk.text, shape, () => cued(chunk)).find((candidate) =>
      shape.regex.test(candidate),
    );
    if (value !== undefined) found.push({ value, chunk });
  }
  return found;
}

function candidatesOf(text: string, shape: PatternShape, cued: () => boolean): string[] {
  const candidates = [text];
  const { prefix } = shape;
  for (let k = 0; k < prefix.length; k++) {
    const partial = prefix.slice(k);
    if (text.toLowerCase().startsWith(partial.toLowerCase()) && text.length > partial.length) {
      candidates.push(prefix + text.slice(partial.length));
    }
  }
  if (shape.digits !== undefined) {
    const bare = text.replace(/^#/, '');
    const exact = typeof shape.digits === 'number' && bare.length === shape.digits;
    if (/^\d+$/.test(bare) && (exact || (shape.digits === 'any' && cued()))) candidates.push(prefix + bare);
  }
  return candidates;
}

/**
 * "^#W\d{7}$" and "^#W?\d{7}$" → prefix "#W", rest "\d{7}$". A pattern with a top-level "|" has no
 * common prefix.
 */
function literalPrefix(pattern: string): { prefix: string; rest: string } {
  const body = pattern.startsWith('^') ? pattern.slice(1) : pattern;
  if (hasTopLevelAlternation(body)) return { prefix: '', rest: body };
  let prefix = '';
  let i = 0;
  while (i < body.length) {
    const char = body[i]!;
    const escaped = char === '\\' && /[#\-._:/@ ]/.test(body[i + 1] ?? '');
    const literal = escaped || /[A-Za-z0-9#_\-:/@ ]/.test(char);
    if (!literal) break;
    const width = escaped ? 2 : 1;
    // An optional literal ("#W?") belongs to the full form the shortened ids are completed to.
    const optional = body[i + width] === '?' && !/[?*+{]/.test(body[i + width + 1] ?? '');
    if (!optional && /[?*+{]/.test(body[i + width] ?? '')) break;
    prefix += escaped ? body[i + 1] : char;
    i += width + (optional ? 1 : 0);
  }
  return { prefix, rest: body.slice(i) };
}

function hasTopLevelAlternation(body: string): boolean {
  let depth = 0;
  for (let i = 0; i < body.length; i++) {
    const char = body[i];
    if (char === '\\') i++;
    else if (char === '(' || char === '[') depth++;
    else if (char === ')' || char === ']') depth--;
    else if (char === '|' && depth === 0) return true;
  }
  return false;
}

/**
 * Ids in the message shaped like the options' values (`credit_card_\d+` from `credit_card_6699629`,
 * `#W\d+` from `#W2912153`) that are none of them. Values of letters and digits have a shape; a bare
 * number has one only when every option is a number of the same length, eight digits or more (product
 * ids `9523456873`), and then only a number of exactly that length: a zip, a price or a quantity is
 * shorter. A product name is never an id.
 */
export function unlistedIds(message: string, options: readonly Option[]): string[] {
  const values = new Set(options.map((option) => option.value.toLowerCase()));
  const shapes = new Set<string>();
  const lengths = new Set(options.map((option) => (/^\d+$/.test(option.value) ? option.value.length : 0)));
  const [length] = lengths;
  if (options.length > 0 && lengths.size === 1 && length !== undefined && length >= 8)
    shapes.add(`\\d{${length}}`);
  for (const { value } of options) {
    if (!/\d{4,}/.test(value) || !/[#A-Za-z]/.test(value) || !/^[#A-Za-z0-9_-]+$/.test(value)) continue;
    // `gift_card_1725971` stands for every `<words>_<digits>` id: a credit card's is not a gift card's.
    if (/^[a-z]+(?:_[a-z]+)*_\d+$/i.test(value)) shapes.add('[a-z]+(?:_[a-z]+)*_\\d+');
    else shapes.add(value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\d+/g, '\\d+'));
  }
  if (shapes.size === 0) return [];
  const shape = new RegExp(`(?<![\\w#])(?:${[...shapes].join('|')})(?!\\w)`, 'gi');
  return [...message.matchAll(shape)].map((match) => match[0]).filter((id) => !values.has(id.toLowerCase()));
}
