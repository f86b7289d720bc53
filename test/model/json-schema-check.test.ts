import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { canonicalJson } from '../../shared/model/canonical-json.ts';
import { conformsTo } from '../../shared/model/json-schema-check.ts';
import { schemaOf } from './fixtures.ts';

describe('conformsTo', () => {
  it.each([
    [z.string().regex(/^#W\d{7}$/), '#W1234567', 'W1234567'],
    [z.email(), 'a@b.co', 'a@b'],
    [z.enum(['no longer needed', 'ordered by mistake']), 'ordered by mistake', 'changed my mind'],
    [z.number().positive(), 12.5, 0],
    [z.number().int().max(5), 5, 5.5],
    [z.boolean(), false, 'false'],
    [z.array(z.string().regex(/^\d{10}$/)).min(1), ['1008292230'], []],
    [z.array(z.string().regex(/^\d{10}$/)), ['1008292230'], ['1008292230', 'x']],
    [z.iso.date(), '2024-02-29', '2023-02-29'],
    [z.string().min(2).max(3), 'abc', 'abcd'],
    [z.object({ city: z.string(), zip: z.string().optional() }), { city: 'Austin' }, { zip: '78701' }],
    [z.object({ city: z.string() }), { city: 'Austin' }, { city: 'Austin', extra: 1 }],
    [z.string().nullable(), null, 3],
    [z.literal('x'), 'x', 'y'],
  ] as const)('accepts the good value and rejects the bad one for %#', (schema, good, bad) => {
    const json = schemaOf(schema as z.ZodType);
    expect(conformsTo(good, json)).toBe(true);
    expect(conformsTo(bad, json)).toBe(false);
  });

  it('checks oneOf consts (options) and anyOf', () => {
    const options = {
      type: 'string',
      oneOf: [
        { const: 'a', title: 'A' },
        { const: 'b', title: 'B' },
      ],
    };
    expect(conformsTo('a', options)).toBe(true);
    expect(conformsTo('c', options)).toBe(false);
    expect(conformsTo(1, { anyOf: [{ type: 'string' }, { type: 'integer' }] })).toBe(true);
  });

  it('matches nothing with a pattern that does not compile', () => {
    expect(conformsTo('x', { type: 'string', pattern: '(' })).toBe(false);
  });

  it('ignores keywords it does not know', () => {
    expect(conformsTo('x', { type: 'string', contentEncoding: 'base64', 'x-anything': true })).toBe(true);
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[{"e":2,"f":1}]},"b":1}',
    );
  });
});
