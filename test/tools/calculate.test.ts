import { describe, expect, it } from 'vitest';
import { CalculationError, calculate } from '../../shared/tools/calculate.ts';
import { outcomes } from '../retail-tools/fixtures.ts';

describe('calculate', () => {
  it('gives τ²’s recorded answer for every calculate call of the 114 tasks', () => {
    const calls = [...outcomes.values()].flatMap((outcome) =>
      outcome.gold_action_results.filter((result) => result.name === 'calculate'),
    );
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls)
      expect(calculate(String(call.arguments.expression)), call.action_id).toBe(call.output);
  });

  it.each([
    ['2 + 2', '4.0'],
    ['2 + 3 * 4', '14.0'],
    ['(2 + 3) * 4', '20.0'],
    ['10 / 4', '2.5'],
    ['7 // 2', '3.0'],
    ['-7 // 2', '-4.0'],
    ['7.5 // 2', '3.0'],
    ['2 ** 3 ** 2', '512.0'],
    ['-2 ** 2', '-4.0'],
    ['2 ** -1', '0.5'],
    ['--5 - +3', '2.0'],
    ['0.1 + 0.2', '0.3'],
    ['1 / 3', '0.33'],
    ['0.125', '0.12'],
    ['0.375', '0.38'],
    ['2.675', '2.67'],
    ['1.', '1.0'],
    ['.5 * 3', '1.5'],
    ['00 + 1', '1.0'],
    ['10 ** 16', '1e+16'],
    ['2 ** 0.5', '1.41'],
    ['9999999999999999 + 1', '1e+16'],
  ])('evaluates %s as Python would: %s', (expression, expected) => {
    expect(calculate(expression)).toBe(expected);
  });

  it.each([
    ['2 + x', 'Invalid characters in expression'],
    ['__import__("os")', 'Invalid characters in expression'],
    ['1 / 0', 'division by zero'],
    ['1.0 / 0', 'float division by zero'],
    ['1 // 0', 'integer division or modulo by zero'],
    ['0 ** -1', '0.0 cannot be raised to a negative power'],
    ['(1 + 2', "'(' was never closed (<string>, line 1)"],
    ['1 + 2)', "unmatched ')' (<string>, line 1)"],
    ['1 +', 'invalid syntax (<string>, line 1)'],
    ['1 2', 'invalid syntax (<string>, line 1)'],
    ['1..2', 'invalid syntax (<string>, line 1)'],
    ['2 * * 3', 'invalid syntax (<string>, line 1)'],
    [
      '012',
      'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers (<string>, line 1)',
    ],
    ['()', "float() argument must be a string or a real number, not 'tuple'"],
    ['(-8) ** 0.5', "float() argument must be a string or a real number, not 'complex'"],
  ])('fails on %s with Python’s message', (expression, message) => {
    expect(() => calculate(expression)).toThrow(new CalculationError(message));
  });
});
