import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pythonFloatRepr, pythonJsonDumpsSorted, pythonRound2 } from '../../shared/tools/python-compat.ts';

describe('pythonRound2', () => {
  it.each([
    [0.125, 0.12],
    [0.375, 0.38],
    [-0.125, -0.12],
    [2.675, 2.67],
    [1.005, 1],
    [-16.630000000000024, -16.63],
    [86, 86],
  ])('rounds %s to %s like Python', (x, expected) => {
    expect(pythonRound2(x)).toBe(expected);
  });

  it('agrees with toFixed everywhere except exact ties', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e9, max: 1e9, noNaN: true }), (x) => {
        const tie = Number.isInteger(x * 8) && Math.abs((x * 8) % 2) === 1;
        if (!tie) expect(pythonRound2(x)).toBe(Number(x.toFixed(2)));
        else expect(Math.abs(Math.round(pythonRound2(x) * 100)) % 2).toBe(0);
      }),
    );
  });
});

describe('pythonFloatRepr', () => {
  it.each([
    [5, '5.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [8276.23, '8276.23'],
    [-17.99, '-17.99'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [1234567890123456, '1234567890123456.0'],
    [1e16, '1e+16'],
    [1.5e20, '1.5e+20'],
    [1.2345e-7, '1.2345e-07'],
    [0.04999999999999716, '0.04999999999999716'],
    [Number.POSITIVE_INFINITY, 'inf'],
    [Number.NaN, 'nan'],
  ])('prints %s as %s', (x, expected) => {
    expect(pythonFloatRepr(x)).toBe(expected);
  });
});

describe('pythonJsonDumpsSorted', () => {
  it('sorts keys and spaces separators like json.dumps(sort_keys=True)', () => {
    expect(pythonJsonDumpsSorted({ b: '2', a: '1' })).toBe('{"a": "1", "b": "2"}');
  });

  it('escapes everything outside printable ASCII like ensure_ascii', () => {
    expect(pythonJsonDumpsSorted({ 'Café "x"': 'a\nb\u007f' })).toBe(
      '{"Caf\\u00e9 \\"x\\"": "a\\nb\\u007f"}',
    );
  });
});
