import { describe, expect, it } from 'vitest';
import {
  IntrinsicSyntaxError,
  intrinsicPaths,
  parseIntrinsic,
  printIntrinsic,
} from '../../infra/local/sfn-endpoint/intrinsics.ts';

describe('parseIntrinsic', () => {
  it('parses nested calls, strings, paths and literals', () => {
    const call = parseIntrinsic("States.Format('Order {} costs {}', $.order.id, States.MathAdd($.price, 1))");

    expect(call).toEqual({
      kind: 'call',
      name: 'States.Format',
      args: [
        { kind: 'string', raw: "'Order {} costs {}'" },
        { kind: 'path', path: '$.order.id' },
        {
          kind: 'call',
          name: 'States.MathAdd',
          args: [
            { kind: 'path', path: '$.price' },
            { kind: 'literal', raw: '1' },
          ],
        },
      ],
    });
  });

  it('keeps commas, parentheses and escaped quotes inside strings and path brackets', () => {
    const call = parseIntrinsic(
      "States.Format('a, (b) \\'c\\'', $.items[?(@.sku == 'x,y')].qty, $['odd key'])",
    );

    expect(call.args).toEqual([
      { kind: 'string', raw: "'a, (b) \\'c\\''" },
      { kind: 'path', path: "$.items[?(@.sku == 'x,y')].qty" },
      { kind: 'path', path: "$['odd key']" },
    ]);
    expect(intrinsicPaths(call)).toEqual(["$.items[?(@.sku == 'x,y')].qty", "$['odd key']"]);
  });

  it('parses a call without arguments', () => {
    expect(parseIntrinsic('States.UUID()')).toEqual({ kind: 'call', name: 'States.UUID', args: [] });
  });

  it('prints what it parsed', () => {
    const source = 'States.JsonMerge($.a, States.StringToJson(\'{"b": 1}\'), false)';

    expect(printIntrinsic(parseIntrinsic(source))).toBe(source);
  });

  it('fails with the offset of an unterminated string', () => {
    const parsing = () => parseIntrinsic("States.Format('oops, $.a)");

    expect(parsing).toThrow(IntrinsicSyntaxError);
    expect(parsing).toThrow(/unterminated string at offset 25/);
  });

  it('fails when text follows the closing parenthesis', () => {
    expect(() => parseIntrinsic('States.UUID() + 1')).toThrow(
      /unexpected text after the closing parenthesis/,
    );
  });
});
