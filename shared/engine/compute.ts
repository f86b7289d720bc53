import { z } from 'zod';
import { type RuntimeExpr, RuntimeExprSchema } from '../aop/computations.ts';
import { TurnStateSchema } from './turn-state.ts';

/**
 * Computed facts (`Work out the total refund: …`, decision tables): evaluated from the turn's facts
 * alone, with no model and no clock, so the same facts always give the same value and a replay of the
 * turn computes it again. The value is recorded as a `slot.filled` (source `computed`) like any other
 * fact, so later turns, the audit timeline and corrections see it.
 */

export const ComputeInputSchema = z.object({
  state: TurnStateSchema,
  compute: z.object({ name: z.string(), expr: RuntimeExprSchema, step: z.string(), action: z.string() }),
});

export function isComputeInput(input: unknown): boolean {
  return typeof input === 'object' && input !== null && 'compute' in input;
}

/** The value of an expression, or null when a fact it needs is missing or is not a number where one is needed. */
export function evaluate(expr: RuntimeExpr, facts: Readonly<Record<string, unknown>>): unknown {
  switch (expr.op) {
    case 'literal':
      return expr.value;
    case 'fact':
      return expr.fact === null ? null : (read(facts[expr.fact], expr.path) ?? null);
    case 'arith': {
      const left = evaluate(expr.left, facts);
      const right = evaluate(expr.right, facts);
      if (typeof left !== 'number' || typeof right !== 'number') return null;
      if (expr.operator === 'div' && right === 0) return null;
      const value = {
        add: left + right,
        sub: left - right,
        mul: left * right,
        div: left / right,
      }[expr.operator];
      return tidy(value);
    }
    case 'aggregate': {
      const list = elements(evaluate(expr.list, facts));
      const values =
        expr.field.length === 0 ? list : list.flatMap((element) => flat(read(element, expr.field)));
      switch (expr.fn) {
        case 'count':
          return values.length;
        case 'first':
          return values[0] ?? null;
        case 'last':
          return values[values.length - 1] ?? null;
        default: {
          const numbers = values.filter((value): value is number => typeof value === 'number');
          if (numbers.length === 0) return expr.fn === 'sum' ? 0 : null;
          if (expr.fn === 'sum') return tidy(numbers.reduce((total, value) => total + value, 0));
          return expr.fn === 'min' ? Math.min(...numbers) : Math.max(...numbers);
        }
      }
    }
    case 'filter': {
      const list = elements(evaluate(expr.list, facts));
      const wanted = evaluate(expr.value, facts);
      return list.filter((element) => passes(read(element, expr.field), expr.test, wanted));
    }
  }
}

function passes(
  value: unknown,
  test: Extract<RuntimeExpr, { op: 'filter' }>['test'],
  wanted: unknown,
): boolean {
  switch (test) {
    case 'in':
      return elements(wanted).includes(value);
    case 'not-in':
      return !elements(wanted).includes(value);
    case 'eq':
      return value === wanted;
    case 'ne':
      return value !== wanted;
    default:
      if (typeof value !== 'number' || typeof wanted !== 'number') return false;
      return { gt: value > wanted, ge: value >= wanted, lt: value < wanted, le: value <= wanted }[test];
  }
}

/** A path read through lists: each element's field, one level flattened (`fulfillments.tracking_id`). */
function read(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current)) current = current.flatMap((element) => flat(read(element, [key])));
    else if (current !== null && typeof current === 'object')
      current = (current as Record<string, unknown>)[key];
    else return undefined;
  }
  return current;
}

/** A list as its elements; a map (a product's variants by id) as its values; one value as itself. */
function elements(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value === null || value === undefined) return [];
  if (typeof value === 'object') return Object.values(value);
  return [value];
}

function flat(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** 0.1 + 0.2 is 0.3: sums of prices are said and compared as a person would write them. */
function tidy(value: number): number {
  return Number.isFinite(value) ? Number(value.toFixed(10)) : value;
}
