import type { Condition, FactRef, Value } from './ir.ts';
import { indexOutside, splitOutside } from './sentences.ts';
import { type Located, slice, trim } from './source.ts';

/**
 * Conditions in words ("the order status is not \"pending\"", "the order was not found",
 * "the order was delivered more than 30 days ago") or, as an escape hatch, a backticked expression
 * (`order.total >= 100 && order.status == "pending"`). Both produce the same Condition tree.
 */

export interface ConditionContext {
  ref(phrase: Located): FactRef;
  /** The id of the confirmation these words can refer to ("if they do not confirm"), if any. */
  readonly confirmation: string | null;
  /** Tool name → fact it produces, for "if @get_order_details failed". */
  producedBy(tool: string): string | null;
  refForFact(fact: string, at: Located): FactRef;
}

const NEGATIVE_CONFIRM =
  /^(?:they|the customer|the user|he|she)\s+(?:do not|does not|don't|doesn't|did not|didn't|won't|will not|does not want to|do not want to)\s+(?:confirm|agree|accept|want to proceed|proceed)|^(?:they|the customer|the user)\s+(?:declines?|refuses?|says? no|changes? (?:their|his|her) mind)|^(?:not confirmed|declined)$/;
const POSITIVE_CONFIRM =
  /^(?:they|the customer|the user|he|she)\s+(?:confirms?|agrees?|accepts?|says? yes)|^confirmed$/;

export function parseCondition(located: Located, context: ConditionContext): Condition | null {
  const text = located.text.trim();
  if (text.startsWith('`') && text.endsWith('`') && text.length > 2) {
    return parseExpression(
      trim(slice(located, located.text.indexOf('`') + 1, located.text.lastIndexOf('`'))),
      context,
    );
  }
  const ors = splitLogical(located, 'or');
  if (ors.length > 1) {
    const items = ors.map((part) => parseCondition(part, context));
    return items.every((item): item is Condition => item !== null) ? { kind: 'or', items } : null;
  }
  const ands = splitLogical(located, 'and');
  if (ands.length > 1) {
    const items = ands.map((part) => parseCondition(part, context));
    return items.every((item): item is Condition => item !== null) ? { kind: 'and', items } : null;
  }
  return parseAtom(located, context);
}

/** Splits on " and " / " or " unless what follows is a value ("is \"a\" or \"b\"" stays one test). */
function splitLogical(located: Located, word: 'and' | 'or'): Located[] {
  const parts: Located[] = [];
  let start = 0;
  let from = 0;
  for (;;) {
    const found = indexOutside(located.text, new RegExp(`\\s${word}\\s`, 'i'), from);
    if (!found) break;
    const rest = located.text.slice(found.index + found.length);
    from = found.index + found.length;
    if (/^(?:["“]|\$?\d|true\b|false\b)/.test(rest)) continue;
    parts.push(trim(slice(located, start, found.index)));
    start = found.index + found.length;
  }
  parts.push(trim(slice(located, start)));
  return parts.filter((part) => part.text.length > 0);
}

interface AtomPattern {
  readonly regex: RegExp;
  build(
    subject: Located,
    match: RegExpExecArray,
    located: Located,
    context: ConditionContext,
  ): Condition | null;
}

const NOT = "(?<neg>not\\s+|n[o']t\\s+)?";
const BE = '(?:is|are|was|were|has been|have been)';
const NUMERIC_OPS =
  'more than|greater than|higher than|larger than|bigger than|above|over|exceeds|less than|lower than|smaller than|fewer than|below|under|at least|at most|no more than|no less than';

const ATOMS: AtomPattern[] = [
  {
    regex: new RegExp(
      `^(?<subject>.+?)\\s+(?:${BE}\\s+${NOT}(?:found|known|given|provided)|(?<neg2>(?:does|do|did) not exist|doesn't exist|could not be found|cannot be found|failed))$`,
      'i',
    ),
    build: (subject, match, _located, context) => {
      const negate = Boolean(match.groups?.neg || match.groups?.neg2);
      const tool = /^@([a-z][a-z0-9_]*)$/.exec(subject.text.trim());
      if (tool) {
        const fact = context.producedBy(tool[1]!);
        return fact ? { kind: 'found', left: context.refForFact(fact, subject), negate } : null;
      }
      return { kind: 'found', left: context.ref(subject), negate };
    },
  },
  {
    regex: new RegExp(`^(?<subject>.+?)\\s+${BE}\\s+${NOT}empty$`, 'i'),
    build: (subject, match, _l, context) => ({
      kind: 'empty',
      left: context.ref(subject),
      negate: Boolean(match.groups?.neg),
    }),
  },
  {
    regex: new RegExp(
      `^(?<subject>.+?)\\s+${BE}\\s+(?<op>more than|over|older than|less than|within the last|fewer than)\\s+(?<days>\\d+)\\s+days?(?:\\s+ago|\\s+old)?$`,
      'i',
    ),
    build: (subject, match, _l, context) => {
      const op = /^(?:more|over|older)/i.test(match.groups!.op!) ? 'gt' : 'lt';
      return { kind: 'days-ago', left: context.ref(subject), op, days: Number(match.groups!.days) };
    },
  },
  {
    regex: new RegExp(
      `^(?<subject>.+?)\\s+(?:${BE}\\s+)?(?<verb>delivered|placed|created|made|updated)\\s+(?<op>more than|over|less than|within the last|fewer than)\\s+(?<days>\\d+)\\s+days?(?:\\s+ago)?$`,
      'i',
    ),
    build: (subject, match, _l, context) => {
      const op = /^(?:more|over)/i.test(match.groups!.op!) ? 'gt' : 'lt';
      // "the order was placed …" means the order's `placed_at` (or `placed_date`, `placed_on`) time, not the order.
      const verb = match.groups!.verb!.toLowerCase();
      const dated = ['at', 'date', 'on']
        .map((suffix) => context.ref({ ...subject, text: `${subject.text} ${verb} ${suffix}` }))
        .find((ref) => ref.problem === null && ref.path.length > 0);
      return { kind: 'days-ago', left: dated ?? context.ref(subject), op, days: Number(match.groups!.days) };
    },
  },
  {
    regex: new RegExp(`^(?<subject>.+?)\\s+${BE}\\s+${NOT}(?:one of|either|any of|in)\\s+(?<list>.+)$`, 'i'),
    build: (subject, match, _located, context) => {
      const values = parseValueList(match.groups!.list!);
      return values
        ? { kind: 'one-of', left: context.ref(subject), values, negate: Boolean(match.groups?.neg) }
        : null;
    },
  },
  {
    regex: new RegExp(
      `^(?<subject>.+?)\\s+(?:${BE}\\s+)?(?<op>${NUMERIC_OPS})\\s+(?<value>\\$?-?[\\d,]+(?:\\.\\d+)?)$`,
      'i',
    ),
    build: (subject, match, _l, context) => {
      const op = comparator(match.groups!.op!.toLowerCase());
      const value = parseValue(match.groups!.value!);
      return typeof value === 'number'
        ? { kind: 'compare', op, left: context.ref(subject), right: value }
        : null;
    },
  },
  {
    regex:
      /^(?<subject>.+?)\s+(?<neg>does not |doesn't |do not |don't )?(?:contains?|includes?)\s+(?<value>.+)$/i,
    build: (subject, match, _l, context) => {
      const value = parseValue(match.groups!.value!);
      return value === undefined
        ? null
        : { kind: 'contains', left: context.ref(subject), value, negate: Boolean(match.groups?.neg) };
    },
  },
  {
    regex: new RegExp(`^(?<subject>.+?)\\s+(?:${BE}|equals|isn't|aren't|wasn't)\\s+${NOT}(?<value>.+)$`, 'i'),
    build: (subject, match, _l, context) => {
      const rawValue = match.groups!.value!;
      const values = parseValueList(rawValue);
      const negate = Boolean(match.groups?.neg) || /\b(?:isn't|aren't|wasn't)\s/i.test(match[0]);
      if (values && values.length > 1) return { kind: 'one-of', left: context.ref(subject), values, negate };
      const value = parseValue(rawValue);
      if (value === undefined) return null;
      return { kind: 'compare', op: negate ? 'ne' : 'eq', left: context.ref(subject), right: value };
    },
  },
  {
    // Two facts: "the new price is higher than the old price" (a literal was read by the atom above).
    regex: new RegExp(`^(?<subject>.+?)\\s+(?:${BE}\\s+)?(?<op>${NUMERIC_OPS})\\s+(?<other>.+)$`, 'i'),
    build: (subject, match, located, context) => {
      const right = otherFact(match, located, context);
      return (
        right && {
          kind: 'compare-facts',
          op: comparator(match.groups!.op!.toLowerCase()),
          left: context.ref(subject),
          right,
        }
      );
    },
  },
  {
    // "… is the same as …", "… is not equal to …", "… equals …", "… is different from …".
    regex: new RegExp(
      `^(?<subject>.+?)\\s+(?:(?:${BE}\\s+${NOT}|(?<neg2>isn't|aren't|wasn't)\\s+)(?<rel>the same as|equal to|different from)|(?<rel2>equals|(?<neg3>(?:does|do|did) not equal|(?:doesn't|don't|didn't) equal)))\\s+(?<other>.+)$`,
      'i',
    ),
    build: (subject, match, located, context) => {
      const groups = match.groups!;
      const negate =
        Boolean(groups.neg || groups.neg2 || groups.neg3) !== /^different/i.test(groups.rel ?? '');
      const op = negate ? 'ne' : 'eq';
      const value = parseValue(groups.other!);
      if (value !== undefined) return { kind: 'compare', op, left: context.ref(subject), right: value };
      const right = otherFact(match, located, context);
      return right && { kind: 'compare-facts', op, left: context.ref(subject), right };
    },
  },
];

/** The fact on the right of a comparison; null when it is a literal or names no fact (not this form). */
function otherFact(match: RegExpExecArray, located: Located, context: ConditionContext): FactRef | null {
  const text = match.groups!.other!;
  if (parseValue(text) !== undefined) return null;
  const offset = located.text.lastIndexOf(text);
  const right = context.ref(trim(slice(located, offset, offset + text.length)));
  return right.problem === 'unknown' ? null : right;
}

function parseAtom(located: Located, context: ConditionContext): Condition | null {
  const text = located.text.trim().replace(/\s+/g, ' ');
  const lower = text.toLowerCase();
  if (NEGATIVE_CONFIRM.test(lower) || POSITIVE_CONFIRM.test(lower)) {
    if (!context.confirmation) return null;
    return { kind: 'confirmed', value: !NEGATIVE_CONFIRM.test(lower), step: context.confirmation };
  }
  const thereIsNo = /^there (?:is|are) no (?<subject>.+)$/i.exec(text);
  if (thereIsNo) {
    const offset = located.text.indexOf(thereIsNo.groups!.subject!);
    return { kind: 'found', left: context.ref(trim(slice(located, offset))), negate: true };
  }
  for (const atom of ATOMS) {
    const match = atom.regex.exec(located.text.trim());
    if (!match) continue;
    const subjectText = match.groups!.subject!;
    const offset = located.text.indexOf(subjectText);
    const subject = trim(slice(located, offset, offset + subjectText.length));
    const condition = atom.build(subject, match, located, context);
    if (condition) return condition;
  }
  return null;
}

function comparator(op: string): 'gt' | 'ge' | 'lt' | 'le' {
  if (op === 'at least' || op === 'no less than') return 'ge';
  if (op === 'at most' || op === 'no more than') return 'le';
  if (/^(?:less|lower|smaller|fewer|below|under)/.test(op)) return 'lt';
  return 'gt';
}

export function parseValue(raw: string): Value | undefined {
  const text = raw.trim().replace(/[.,;]$/, '');
  const quoted = /^["“]([^"”]*)["”]$/.exec(text);
  if (quoted) return quoted[1]!;
  if (/^\$?-?[\d,]+(?:\.\d+)?$/.test(text)) return Number(text.replace(/[$,]/g, ''));
  if (/^(?:true|yes)$/i.test(text)) return true;
  if (/^(?:false|no)$/i.test(text)) return false;
  if (/^null$/i.test(text)) return null;
  return undefined;
}

/** `"a", "b" or "c"` → ['a','b','c']; null when it is not a list of literal values. */
export function parseValueList(raw: string): Value[] | null {
  const text = raw.trim().replace(/[.;]$/, '');
  // Separators inside quotes are part of the value: "late, and damaged (box)" is one value.
  const parts: string[] = [];
  let start = 0;
  for (;;) {
    const found = indexOutside(text, /\s*,\s*(?:or\s+|and\s+)?|\s+or\s+|\s+and\s+/i, start);
    if (!found) break;
    parts.push(text.slice(start, found.index));
    start = found.index + found.length;
  }
  parts.push(text.slice(start));
  const nonEmpty = parts.filter((part) => part.length > 0);
  const values: Value[] = [];
  for (const part of nonEmpty) {
    const value = parseValue(part);
    if (value === undefined) return null;
    values.push(value);
  }
  return values.length > 0 ? values : null;
}

/** The escape hatch: `path op value` terms joined by && and ||; `exists(path)`, `empty(path)`. */
function parseExpression(located: Located, context: ConditionContext): Condition | null {
  const ors = splitOutside(located, /\|\|/);
  if (ors.length > 1) {
    const items = ors.map((part) => parseExpression(part, context));
    return items.every((item): item is Condition => item !== null) ? { kind: 'or', items } : null;
  }
  const ands = splitOutside(located, /&&/);
  if (ands.length > 1) {
    const items = ands.map((part) => parseExpression(part, context));
    return items.every((item): item is Condition => item !== null) ? { kind: 'and', items } : null;
  }
  const text = located.text.trim();
  const call = /^(?<neg>!)?\s*(?<fn>exists|empty)\((?<path>[a-z_][a-z0-9_.]*)\)$/i.exec(text);
  if (call) {
    const offset = located.text.indexOf(call.groups!.path!);
    const left = context.ref(slice(located, offset, offset + call.groups!.path!.length));
    const negate = Boolean(call.groups?.neg);
    return call.groups!.fn === 'exists' ? { kind: 'found', left, negate } : { kind: 'empty', left, negate };
  }
  const term = /^(?<path>[a-z_][a-z0-9_.]*)\s*(?<op>==|!=|>=|<=|>|<|contains)\s*(?<value>.+)$/i.exec(text);
  if (!term) return null;
  const value = parseValue(term.groups!.value!);
  const op = term.groups!.op!;
  // `a.x > b.y`: a path on the right compares two facts.
  const otherPath = /^[a-z_][a-z0-9_.]*$/i.test(term.groups!.value!.trim())
    ? term.groups!.value!.trim()
    : null;
  if (value === undefined && (otherPath === null || op === 'contains')) return null;
  const offset = located.text.indexOf(term.groups!.path!);
  const left = context.ref(slice(located, offset, offset + term.groups!.path!.length));
  const ops = { '==': 'eq', '!=': 'ne', '>': 'gt', '>=': 'ge', '<': 'lt', '<=': 'le' } as const;
  if (value === undefined) {
    const at = located.text.lastIndexOf(otherPath!);
    const right = context.ref(slice(located, at, at + otherPath!.length));
    return { kind: 'compare-facts', op: ops[op as keyof typeof ops], left, right };
  }
  if (op === 'contains') return { kind: 'contains', left, value, negate: false };
  return { kind: 'compare', op: ops[op as keyof typeof ops], left, right: value };
}
