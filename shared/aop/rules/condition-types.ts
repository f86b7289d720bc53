import type { ToolCatalogue } from '../../tools/define-tool.ts';
import { type Diagnostic, DiagnosticCodes, error } from '../diagnostics.ts';
import { buildFactEnvironment } from '../facts.ts';
import { aopActions } from '../graph.ts';
import type { Condition, FactRef, Value } from '../ir.ts';
import {
  dateFields,
  describeType,
  type FactType,
  isNumeric,
  isStringLike,
  pathsOfType,
  sameScalar,
  type TypeScope,
  typeInScope,
  typeScopeOf,
} from '../types.ts';
import type { Rule } from './rule.ts';

/**
 * Every condition fits its operand's type (AOP027): a time test needs a date, a number test a number,
 * "contains" text or a list. A test that does not fit compiles to a Choice that is never true, so the
 * branch silently never runs (a refund window on orders that carry no date). Free text the customer
 * wrote is never tested (AOP028): what a customer types cannot be matched reliably.
 */
export const conditionTypes: Rule = {
  name: 'condition-types',
  check({ aop, catalogue, library }) {
    const scope = typeScopeOf(aop, catalogue, library);
    const checker = createChecker(scope, catalogue);
    const diagnostics: Diagnostic[] = [];
    for (const { action } of aopActions(aop)) {
      if (action.kind !== 'if') continue;
      for (const branch of action.branches) diagnostics.push(...checker(branch.when));
    }
    return diagnostics;
  },
};

const NUMERIC_WORDS = { gt: 'more than', ge: 'at least', lt: 'less than', le: 'at most' } as const;

function createChecker(scope: TypeScope, catalogue: ToolCatalogue) {
  const typeOf = (ref: FactRef) => typeInScope(ref, scope);
  const named = (ref: FactRef) => `"${ref.phrase}"`;

  const check = (condition: Condition): Diagnostic[] => {
    switch (condition.kind) {
      case 'and':
      case 'or':
        return condition.items.flatMap(check);
      case 'confirmed':
      case 'found':
        return [];
      case 'compare-facts':
        return compareFacts(condition);
      default: {
        const type = typeOf(condition.left);
        if (!type || type.kind === 'any') return [];
        if (type.kind === 'text') return [freeText(condition.left)];
        return fits(condition, type);
      }
    }
  };

  const fits = (condition: Condition, type: FactType): Diagnostic[] => {
    switch (condition.kind) {
      case 'days-ago':
        return type.kind === 'date' ? [] : [notADate(condition.left, type, condition)];
      case 'compare':
        if (condition.op === 'eq' || condition.op === 'ne')
          return literals(condition.left, type, [condition.right]);
        return isNumeric(type)
          ? []
          : [
              mismatch(
                condition.left,
                `${named(condition.left)} is ${describeType(type)}, not a number: "${NUMERIC_WORDS[condition.op]} ${condition.right}" compares numbers.`,
                numberHint(type),
              ),
            ];
      case 'one-of':
        return literals(condition.left, type, condition.values);
      case 'contains':
        // A list's "contains" would compile to a text match that never holds on a list: refused, with
        // the computed count that says the same thing.
        if (type.kind === 'list')
          return [
            mismatch(
              condition.left,
              `${named(condition.left)} is ${describeType(type)}: "contains" tests text; a list is tested by counting.`,
              `Work out a count first ("Work out the matches: the number of ${condition.left.phrase} where <field> is ${JSON.stringify(condition.value)}"), then test it ("If the matches is more than 0, …").`,
            ),
          ];
        return isStringLike(type)
          ? []
          : [
              mismatch(
                condition.left,
                `${named(condition.left)} is ${describeType(type)}: "contains" tests text or a list.`,
                otherTestHint(condition.left, type),
              ),
            ];
      case 'empty':
        return isNumeric(type) || type.kind === 'boolean'
          ? [
              mismatch(
                condition.left,
                `${named(condition.left)} is ${describeType(type)}, which is never empty: "empty" tests text or a list.`,
                `Test whether it was given ("${condition.left.phrase} is known"), or compare it with a value.`,
              ),
            ]
          : [];
      default:
        return [];
    }
  };

  /** A literal a fact of this type can never equal (values outside an enum are AOP019's). */
  const literals = (ref: FactRef, type: FactType, values: readonly Value[]): Diagnostic[] => {
    if (type.kind === 'enum') return [];
    for (const value of values) {
      if (value === null) continue;
      const problem = literalProblem(type, value);
      if (problem)
        return [
          mismatch(
            ref,
            `${named(ref)} is ${describeType(type)}, but is compared with ${problem}, which it can never equal.`,
            literalHint(ref, type),
          ),
        ];
    }
    return [];
  };

  /**
   * A time test on something that is not a date. When the subject is a record (the order), or a field
   * of one (the order status), say whether that record has a date at all: "order has no date" is the
   * finding the author needs, not just "an enum is not a date".
   */
  const notADate = (ref: FactRef, type: FactType, condition: Extract<Condition, { kind: 'days-ago' }>) => {
    const test = `"${condition.op === 'gt' ? 'more' : 'less'} than ${condition.days} days ago"`;
    const recordPath = type.kind === 'object' ? ref.path : ref.path.slice(0, -1);
    const recordType =
      type.kind === 'object' ? type : ref.path.length > 0 ? typeOf({ ...ref, path: recordPath }) : undefined;
    const recordName = [ref.fact, ...recordPath].join('.');
    const found = `${named(ref)} is ${describeType(type)}`;
    if (recordType?.kind !== 'object')
      return mismatch(ref, `${found}, not a date: ${test} needs a date.`, dateHint());
    const dates = dateFields(recordType);
    if (dates.length === 0)
      return mismatch(
        ref,
        `${recordName} has no date: none of its fields is a date, so ${test} on ${named(ref)} can never hold (${found}).`,
        dateHint(),
      );
    return mismatch(
      ref,
      `${found}, not a date: ${test} needs a date.`,
      `Test one of ${recordName}'s dates: ${dates.map((field) => `${recordName}.${field}`).join(', ')}.`,
    );
  };

  const dateHint = (): string => {
    const dates = pathsOfType(scope, (type) => type.kind === 'date');
    if (dates.length > 0) return `Date facts this procedure can use: ${dates.join(', ')}.`;
    const tenant = tenantDates(catalogue);
    if (tenant.length > 0)
      return `None of this procedure's tools returns a date; allow a tool that does (${tenant.join(', ')}) in "tools".`;
    return "None of this procedure's tools returns a date; the tenant's data holds no dates, so a time rule cannot be checked.";
  };

  const numberHint = (type: FactType): string => {
    if (type.kind === 'date') return 'For a date, test "more than N days ago" or "less than N days ago".';
    const numbers = pathsOfType(scope, isNumeric);
    return numbers.length > 0
      ? `Numbers this procedure can compare: ${listed(numbers)}.`
      : "None of this procedure's facts is a number.";
  };

  const otherTestHint = (ref: FactRef, type: FactType): string => {
    if (type.kind === 'date') return 'For a date, test "more than N days ago" or "less than N days ago".';
    if (type.kind === 'object') {
      const fields = Object.keys(type.fields).map((field) => [ref.fact, ...ref.path, field].join('.'));
      return `Test one of its fields${fields.length > 0 ? `: ${listed(fields)}` : ''}.`;
    }
    return 'Compare it with "is", "is one of", "more than" or "at least".';
  };

  const literalHint = (ref: FactRef, type: FactType): string => {
    if (isNumeric(type)) return 'Compare it with a number, without quotes (100, $12.50).';
    if (type.kind === 'boolean') return 'Compare it with yes or no (true, false).';
    if (type.kind === 'object' || type.kind === 'list') return otherTestHint(ref, type);
    return 'Compare it with quoted text ("pending").';
  };

  const compareFacts = (condition: Extract<Condition, { kind: 'compare-facts' }>): Diagnostic[] => {
    const left = { ref: condition.left, type: typeOf(condition.left) };
    const right = { ref: condition.right, type: typeOf(condition.right) };
    const free = [left, right].filter((side) => side.type?.kind === 'text');
    if (free.length > 0) return free.map((side) => freeText(side.ref));
    if (condition.op === 'eq' || condition.op === 'ne') {
      if (!left.type || !right.type || left.type.kind === 'any' || right.type.kind === 'any') return [];
      if (sameScalar(left.type, right.type)) return [];
      return [
        mismatch(
          left.ref,
          `${named(left.ref)} is ${describeType(left.type)} and ${named(right.ref)} is ${describeType(right.type)}: they can never be equal.`,
          'Compare two facts of the same type: two numbers or amounts, two texts, two dates, or two yes/no values.',
        ),
      ];
    }
    const test = `"${left.ref.phrase} is ${NUMERIC_WORDS[condition.op]} ${right.ref.phrase}"`;
    return [left, right].flatMap(({ ref, type }) =>
      type && type.kind !== 'any' && !isNumeric(type)
        ? [
            mismatch(
              ref,
              `${named(ref)} is ${describeType(type)}, not a number: ${test} compares numbers.`,
              numberHint(type),
            ),
          ]
        : [],
    );
  };

  return check;
}

function literalProblem(type: FactType, value: Exclude<Value, null>): string | null {
  const shown =
    typeof value === 'string'
      ? `the text ${JSON.stringify(value)}`
      : `the ${typeof value === 'number' ? 'number' : 'value'} ${String(value)}`;
  switch (type.kind) {
    case 'number':
    case 'money':
      return typeof value === 'number' ? null : shown;
    case 'string':
    case 'id':
    case 'date':
      return typeof value === 'string' ? null : shown;
    case 'boolean':
      return typeof value === 'boolean' ? null : shown;
    case 'object':
    case 'list':
      return shown;
    default:
      return null;
  }
}

function freeText(ref: FactRef): Diagnostic {
  return error(
    DiagnosticCodes.freeTextInCondition,
    ref.span,
    `"${ref.phrase}" is free text the customer wrote; a condition cannot test what it says.`,
    `Say it back or pass it to a tool; a condition may only test whether it was given ("${ref.phrase} is known"). To branch on the customer's answer, ask for a value from a fixed set ("It must be … or …").`,
  );
}

function mismatch(ref: FactRef, message: string, hint: string): Diagnostic {
  return error(DiagnosticCodes.typeMismatch, ref.span, message, hint);
}

function listed(paths: readonly string[]): string {
  return paths.length > 8 ? `${paths.slice(0, 8).join(', ')}, …` : paths.join(', ');
}

/** Where the tenant's data holds dates at all: `tool (fact.path)` for every tool whose facts have one. */
function tenantDates(catalogue: ToolCatalogue): string[] {
  const environment = buildFactEnvironment(catalogue, catalogue.keys());
  const dates = pathsOfType(
    { environment, computed: new Map(), freeText: new Set() },
    (t) => t.kind === 'date',
  );
  return dates.slice(0, 6).map((path) => {
    const fact = environment.get(path.split('.')[0]!);
    const tool = fact?.producedBy[0] ?? fact?.consumedBy[0];
    return tool ? `@${tool} gives ${path}` : path;
  });
}
