import { z } from 'zod';
import { type Diagnostic, DiagnosticCodes, error } from './diagnostics.ts';
import { type JsonSchema, propertiesOf } from './facts.ts';
import { type Expr, type FactRef, type Slot, ValueSchema } from './ir.ts';
import { indexOutside } from './sentences.ts';
import { type Located, slice, spanOf, trim } from './source.ts';
import { isMoneyName } from './types.ts';

/**
 * Computed facts in words: "Work out the total refund: the sum of the prices of the chosen items."
 * The expression is read here into an `Expr` the runtime evaluates from the facts alone
 * (shared/engine/compute.ts), and given a JSON schema so placeholders and conditions are typed.
 *
 *   expression := term ((plus | minus) term)*           left to right
 *   term       := factor ((times | divided by) factor)*
 *   factor     := number | N% of factor | aggregate | first/last | fact phrase
 *   aggregate  := the (sum | total | number | count) of list
 *               | the (lowest | highest | smallest | largest | minimum | maximum) field of collection
 *   list       := [the field(s) of] collection
 *   collection := the chosen NOUNs | collection where FIELD is [not] VALUE | a fact that is a list
 */

export interface ComputeContext {
  /** Resolves a fact phrase as everywhere else (asks, conditions, placeholders). */
  ref(phrase: Located): FactRef;
  /** The JSON schema of a resolved reference (tool results, parameters, computed facts). */
  schemaOf(ref: FactRef): JsonSchema | undefined;
  /** Slots asked so far, for "the chosen items". */
  readonly asked: ReadonlyMap<string, Slot>;
}

export interface Computed {
  readonly expr: Expr;
  readonly schema: JsonSchema;
}

/** What went wrong reading an expression: reported as AOP029 at `at`. */
export class ExpressionProblem extends Error {
  constructor(
    message: string,
    readonly at: Located,
    readonly hint: string = FORMS_HINT,
  ) {
    super(message);
  }
}

const FORMS_HINT =
  'Write a fact ("the order total"), a number, "the sum of the prices of the chosen items", "the number of the order items", "the lowest price of the chosen items", "the first … of …", or combine them with plus, minus, times and divided by.';

/** `Work out <name>: <expression>` (also "as", "calculate", "compute", "let <name> be <expression>"). */
export const COMPUTE_SENTENCE =
  /^(?:work out|calculate|compute|figure out|determine)\s+(?<name>.+?)(?:\s*:\s*|\s+as\s+|\s+(?:from|using|with)\s+(?:this|the following|the)\s+table\b[:\s]*|$)(?<expr>.*)$/i;
export const LET_SENTENCE =
  /^let\s+(?<name>(?!the customer\b|them\b|the user\b|him\b|her\b).+?)\s+be\s+(?<expr>.+)$/i;

/** "the total refund" → `total_refund`. */
export function computedName(phrase: string): string {
  return phrase
    .toLowerCase()
    .replace(/^(?:the|a|an)\s+/, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export function parseComputation(located: Located, context: ComputeContext): Computed {
  return expression(trim(located, /[.\s]/), context);
}

function expression(at: Located, context: ComputeContext): Computed {
  const additive = lastOutside(at, /\s+(?:plus|minus|\+|-)\s+/i);
  if (additive) return arithmetic(at, additive, context);
  const multiplicative = lastOutside(at, /\s+(?:times|multiplied by|divided by|\*|\/)\s+/i);
  if (multiplicative) return arithmetic(at, multiplicative, context);
  return factor(at, context);
}

function arithmetic(
  at: Located,
  split: { index: number; length: number },
  context: ComputeContext,
): Computed {
  const word = at.text
    .slice(split.index, split.index + split.length)
    .trim()
    .toLowerCase();
  const operators: Record<string, 'add' | 'sub' | 'mul' | 'div'> = {
    plus: 'add',
    '+': 'add',
    minus: 'sub',
    '-': 'sub',
    times: 'mul',
    'multiplied by': 'mul',
    '*': 'mul',
  };
  const operator = operators[word] ?? 'div';
  const left = expression(trim(slice(at, 0, split.index)), context);
  const right = expression(trim(slice(at, split.index + split.length)), context);
  for (const [side, part] of [
    [left, slice(at, 0, split.index)],
    [right, slice(at, split.index + split.length)],
  ] as const) {
    if (!isNumber(side.schema))
      throw new ExpressionProblem(
        `"${trim(part).text}" is not a number, so it cannot be used with "${word}".`,
        trim(part),
        'Arithmetic works on numbers and amounts of money: prices, totals, balances, counts.',
      );
  }
  const money =
    (operator === 'add' || operator === 'sub') && (isMoney(left.schema) || isMoney(right.schema))
      ? true
      : (operator === 'mul' || operator === 'div') && isMoney(left.schema) && !isMoney(right.schema);
  return {
    expr: { op: 'arith', operator, left: left.expr, right: right.expr },
    schema: money ? MONEY : { type: 'number' },
  };
}

function factor(at: Located, context: ComputeContext): Computed {
  const text = at.text;
  const number = /^\$?-?[\d,]*\d(?:\.\d+)?$/.exec(text);
  if (number) {
    return {
      expr: { op: 'literal', value: Number(text.replace(/[$,]/g, '')) },
      schema: text.startsWith('$') ? MONEY : { type: 'number' },
    };
  }
  const percent = /^(?<n>\d+(?:\.\d+)?)\s*%\s+of\s+(?<rest>.+)$/i.exec(text);
  if (percent) {
    const of = factor(after(at, percent.groups!.rest!), context);
    if (!isNumber(of.schema)) throw new ExpressionProblem(`"${percent.groups!.rest}" is not a number.`, at);
    return {
      expr: {
        op: 'arith',
        operator: 'mul',
        left: { op: 'literal', value: Number(percent.groups!.n) / 100 },
        right: of.expr,
      },
      schema: of.schema,
    };
  }
  const counted = /^(?:the\s+)?(?<fn>sum|total|number|count)\s+of\s+(?<rest>.+)$/i.exec(text);
  if (counted) {
    const fn = /^(?:sum|total)$/i.test(counted.groups!.fn!) ? 'sum' : 'count';
    const list = listOf(after(at, counted.groups!.rest!), context);
    if (fn === 'count') {
      return {
        expr: { op: 'aggregate', fn, list: list.expr, field: list.field },
        schema: { type: 'integer' },
      };
    }
    requireNumbers(list, at);
    return {
      expr: { op: 'aggregate', fn, list: list.expr, field: list.field },
      schema: isMoney(list.item) ? MONEY : { type: 'number' },
    };
  }
  const extreme =
    /^(?:the\s+)?(?<fn>lowest|highest|smallest|largest|minimum|maximum|cheapest|most expensive)\s+(?:of\s+)?(?<rest>.+)$/i.exec(
      text,
    );
  if (extreme) {
    const fn = /^(?:lowest|smallest|minimum|cheapest)$/i.test(extreme.groups!.fn!) ? 'min' : 'max';
    const list = listOf(after(at, extreme.groups!.rest!), context);
    requireNumbers(list, at);
    return { expr: { op: 'aggregate', fn, list: list.expr, field: list.field }, schema: list.item };
  }
  const ordinal = /^(?:the\s+)?(?<fn>first|last)\s+(?:of\s+)?(?<rest>.+)$/i.exec(text);
  if (ordinal) {
    const fn = ordinal.groups!.fn!.toLowerCase() as 'first' | 'last';
    const list = listOf(after(at, ordinal.groups!.rest!), context);
    return { expr: { op: 'aggregate', fn, list: list.expr, field: list.field }, schema: list.item };
  }
  const reference = context.ref(at);
  if (reference.problem !== null || reference.fact === null) {
    throw new ExpressionProblem(
      `"${text}" is not a fact, a number or a computation this language knows.`,
      at,
      reference.candidates.length > 0
        ? `Known facts nearby: ${reference.candidates.join(', ')}. ${FORMS_HINT}`
        : FORMS_HINT,
    );
  }
  return {
    expr: { op: 'fact', ref: reference },
    schema: withMoneyName(context.schemaOf(reference) ?? {}, reference.path.at(-1) ?? reference.fact),
  };
}

interface ListOf {
  readonly expr: Expr;
  /** The field read from each element (empty: the elements themselves). */
  readonly field: string[];
  /** The schema of what is read from each element. */
  readonly item: JsonSchema;
}

/** `the prices of the chosen items`, `the order items`, `the payment methods of the user`. */
function listOf(at: Located, context: ComputeContext): ListOf {
  const whole = tryCollection(at, context);
  if (whole) return { expr: whole.expr, field: [], item: whole.item };
  // "<field> of <collection>": try every " of " from the left, so the collection is the longest.
  let from = 0;
  for (;;) {
    const of = indexOutside(at.text, /\s+of\s+/i, from);
    if (!of) break;
    from = of.index + 1;
    const collection = tryCollection(trim(slice(at, of.index + of.length)), context);
    if (!collection) continue;
    const fieldWords = words(at.text.slice(0, of.index));
    // "the amounts of the payment history" is `payment_history.amount`: read "of" from the right.
    const parts = fieldWords
      .join(' ')
      .split(/\s*\bof\b\s*/)
      .filter((part) => part.length > 0);
    const field = fieldPath(collection.item, parts.reverse().join(' ').split(' '));
    if (field)
      return {
        expr: collection.expr,
        field,
        item: withMoneyName(schemaThrough(collection.item, field), field[field.length - 1]!),
      };
    throw new ExpressionProblem(
      `The ${collection.noun} have no "${fieldWords.join(' ')}".`,
      trim(slice(at, 0, of.index)),
      `Fields of each of them: ${Object.keys(propertiesOf(collection.item)).join(', ')}.`,
    );
  }
  throw new ExpressionProblem(
    `"${at.text}" is not a list the procedure knows.`,
    at,
    'Name a list fact ("the order items", "the user payment methods"), "the chosen items" after a choice, and read a field of each with "the prices of …".',
  );
}

interface Collection {
  readonly expr: Expr;
  readonly item: JsonSchema;
  readonly noun: string;
}

function tryCollection(at: Located, context: ComputeContext): Collection | null {
  const where = indexOutside(at.text, /\s+(?:where|whose|with)\s+/i);
  if (where) {
    const base = tryCollection(trim(slice(at, 0, where.index)), context);
    if (!base) return null;
    const test = trim(slice(at, where.index + where.length));
    const match = /^(?<field>.+?)\s+(?:is|are|equals)\s+(?<neg>not\s+)?(?<value>.+)$/i.exec(test.text);
    const field = match ? fieldPath(base.item, words(match.groups!.field!)) : null;
    if (!match || !field) {
      throw new ExpressionProblem(
        `"${test.text}" does not test a field of the ${base.noun}.`,
        test,
        `Write "where <field> is "value"" with one of: ${Object.keys(propertiesOf(base.item)).join(', ')}.`,
      );
    }
    const raw = match.groups!.value!.trim();
    const quoted = /^["“]([^"”]*)["”]$/.exec(raw);
    const value: Expr = quoted
      ? { op: 'literal', value: quoted[1]! }
      : /^-?\d/.test(raw)
        ? { op: 'literal', value: Number(raw.replace(/[$,]/g, '')) }
        : expression(after(test, raw), context).expr;
    return {
      expr: { op: 'filter', list: base.expr, field, test: match.groups?.neg ? 'ne' : 'eq', value },
      item: base.item,
      noun: base.noun,
    };
  }
  const chosen = /^(?:the\s+)?(?:chosen|selected|picked)\s+(?<noun>[a-z][a-z ]*)$/i.exec(at.text);
  if (chosen) {
    const noun = chosen.groups!.noun!.trim().toLowerCase().replace(/ /g, '_').replace(/s$/, '');
    const slot = [...context.asked.values()].find((candidate) =>
      [`${noun}_ids`, `${noun}_id`, `${noun}s`, noun].includes(candidate.name),
    );
    if (!slot?.options) {
      throw new ExpressionProblem(
        `No earlier question chose ${chosen.groups!.noun} from a list.`,
        at,
        `Ask for the ${noun} ids "choosing from" a list first; "the chosen ${chosen.groups!.noun}" are the records the customer picked.`,
      );
    }
    const list = context.schemaOf(slot.options);
    const item = itemOf(list);
    const key = slot.name.replace(/_ids$/, '_id').replace(/s$/, '');
    if (!item || !(key in propertiesOf(item))) {
      throw new ExpressionProblem(
        `The ${chosen.groups!.noun} were chosen from a list of plain values, which has no fields to read.`,
        at,
      );
    }
    return {
      expr: {
        op: 'filter',
        list: { op: 'fact', ref: slot.options },
        field: [key],
        test: 'in',
        value: { op: 'fact', ref: { ...slot.ref, fact: slot.name, path: [], problem: null } },
      },
      item,
      noun: chosen.groups!.noun!.trim(),
    };
  }
  const reference = context.ref(at);
  if (reference.problem !== null || reference.fact === null) return null;
  const item = itemOf(context.schemaOf(reference));
  if (!item) return null;
  return { expr: { op: 'fact', ref: reference }, item, noun: at.text.replace(/^the\s+/i, '') };
}

/** The schema at a field path, reading through lists (the element schema of what is found). */
function schemaThrough(schema: JsonSchema, path: readonly string[]): JsonSchema {
  let current = schema;
  for (const key of path) {
    if (current.type === 'array') current = itemOf(current) ?? {};
    current = propertiesOf(current)[key] ?? {};
  }
  return current.type === 'array' ? (itemOf(current) ?? current) : current;
}

/** The schema of one element of a list, or of one value of a map (a product's variants). */
function itemOf(schema: JsonSchema | undefined): JsonSchema | null {
  if (!schema) return null;
  if (schema.type === 'array' && schema.items && typeof schema.items === 'object')
    return schema.items as JsonSchema;
  if (
    schema.type === 'object' &&
    schema.additionalProperties &&
    typeof schema.additionalProperties === 'object'
  )
    return schema.additionalProperties as JsonSchema;
  return null;
}

/** Words naming a field inside a record: "prices" → price, "tracking ids" → tracking_id. */
function fieldPath(schema: JsonSchema, names: string[]): string[] | null {
  if (names.length === 0) return null;
  // Through a list: "the amounts of the payment history" reads each entry's amount.
  const properties = propertiesOf(schema.type === 'array' ? (itemOf(schema) ?? schema) : schema);
  for (let length = names.length; length >= 1; length--) {
    const key = names.slice(0, length).join('_');
    const actual = [
      key,
      key.replace(/s$/, ''),
      key.replace(/es$/, ''),
      `${key}_id`,
      `${key.replace(/s$/, '')}_id`,
    ].find((candidate) => candidate in properties);
    if (!actual) continue;
    if (length === names.length) return [actual];
    const rest = fieldPath(properties[actual]!, names.slice(length));
    if (rest) return [actual, ...rest];
  }
  return null;
}

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0 && !['the', 'a', 'an', 'each', 'every', 'their', 'its'].includes(word));
}

function requireNumbers(list: ListOf, at: Located): void {
  if (!isNumber(list.item))
    throw new ExpressionProblem(
      `"${at.text}" adds up or compares values that are not numbers.`,
      at,
      'Read a number field of each element, e.g. "the sum of the prices of the chosen items".',
    );
}

const MONEY: JsonSchema = { type: 'number', format: 'money' };

function isNumber(schema: JsonSchema): boolean {
  return schema.type === 'number' || schema.type === 'integer';
}

function isMoney(schema: JsonSchema): boolean {
  return isNumber(schema) && (schema.format === 'money' || isMoneyName(String(schema.title ?? '')));
}

/** Marks a number field as money when its name says so (`price`, `amount`): sums of prices are money. */
export function withMoneyName(schema: JsonSchema, name: string): JsonSchema {
  return isNumber(schema) && isMoneyName(name) ? { ...schema, format: 'money' } : schema;
}

function after(at: Located, rest: string): Located {
  return trim(slice(at, at.text.length - rest.length));
}

function lastOutside(at: Located, pattern: RegExp): { index: number; length: number } | null {
  let last: { index: number; length: number } | null = null;
  let from = 0;
  for (;;) {
    const found = indexOutside(at.text, pattern, from);
    if (!found) return last;
    last = found;
    from = found.index + 1;
  }
}

export function expressionDiagnostic(problem: ExpressionProblem): Diagnostic {
  return error(DiagnosticCodes.invalidComputation, spanOf(problem.at), problem.message, problem.hint);
}

/**
 * What the runtime evaluates (shared/engine/compute.ts): an `Expr` without the author's phrases and
 * spans, so the state machine carries only fact names and paths. Decision tables are lowered to
 * Choice states and never reach it.
 */
export type RuntimeExpr =
  | { op: 'fact'; fact: string | null; path: string[] }
  | { op: 'literal'; value: z.infer<typeof ValueSchema> }
  | { op: 'arith'; operator: 'add' | 'sub' | 'mul' | 'div'; left: RuntimeExpr; right: RuntimeExpr }
  | {
      op: 'aggregate';
      fn: 'sum' | 'min' | 'max' | 'count' | 'first' | 'last';
      list: RuntimeExpr;
      field: string[];
    }
  | {
      op: 'filter';
      list: RuntimeExpr;
      field: string[];
      test: 'in' | 'not-in' | 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
      value: RuntimeExpr;
    };

export const RuntimeExprSchema: z.ZodType<RuntimeExpr> = z.lazy(() =>
  z.discriminatedUnion('op', [
    z.object({ op: z.literal('fact'), fact: z.string().nullable(), path: z.array(z.string()) }),
    z.object({ op: z.literal('literal'), value: ValueSchema }),
    z.object({
      op: z.literal('arith'),
      operator: z.enum(['add', 'sub', 'mul', 'div']),
      left: RuntimeExprSchema,
      right: RuntimeExprSchema,
    }),
    z.object({
      op: z.literal('aggregate'),
      fn: z.enum(['sum', 'min', 'max', 'count', 'first', 'last']),
      list: RuntimeExprSchema,
      field: z.array(z.string()),
    }),
    z.object({
      op: z.literal('filter'),
      list: RuntimeExprSchema,
      field: z.array(z.string()),
      test: z.enum(['in', 'not-in', 'eq', 'ne', 'gt', 'ge', 'lt', 'le']),
      value: RuntimeExprSchema,
    }),
  ]),
);

export function runtimeExpr(expr: Expr): RuntimeExpr {
  switch (expr.op) {
    case 'fact':
      return { op: 'fact', fact: expr.ref.fact, path: expr.ref.path };
    case 'literal':
      return expr;
    case 'arith':
      return { ...expr, left: runtimeExpr(expr.left), right: runtimeExpr(expr.right) };
    case 'aggregate':
      return { ...expr, list: runtimeExpr(expr.list) };
    case 'filter':
      return { ...expr, list: runtimeExpr(expr.list), value: runtimeExpr(expr.value) };
    case 'table':
      throw new Error('A decision table is lowered to Choice states');
  }
}
