import { StateMachine } from 'aws-local-stepfunctions';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DiagnosticCodes } from '../../shared/aop/index.ts';
import type { AslState } from '../../shared/aop/lower.ts';
import { describeType, typeOfRef, typeOfSchema } from '../../shared/aop/types.ts';
import { catalogueOf, defineTool } from '../../shared/tools/define-tool.ts';
import { failing, passing } from './rules-support.ts';
import {
  AUTHENTICATE,
  compileOne,
  procedure,
  retailCatalogue,
  retailSources,
  testCatalogue,
  where,
} from './support.ts';

/**
 * Conditions checked against their operands' types (issue 14): AOP027 when a test does not fit the
 * fact (a time test on a non-date, a number test on an enum, "contains" on a number, …), AOP028 when a
 * condition tests free text the customer wrote, and comparisons between two facts.
 */

/** The test catalogue plus a quote with two prices and a tool that takes free text. */
const catalogue = catalogueOf([
  ...testCatalogue.values(),
  defineTool({
    name: 'get_quote',
    description: 'Get a price quote for an order.',
    effect: 'read',
    input: z.object({ order_id: z.string() }),
    output: z.object({
      old_price: z.number(),
      new_price: z.number(),
      currency: z.string(),
      valid_until: z.iso.datetime(),
    }),
    produces: 'quote',
    guards: { requires: ['authenticated'] },
  }),
  defineTool({
    name: 'add_comment',
    description: 'Add the customer’s own words to an order.',
    effect: 'write',
    input: z.object({ order_id: z.string(), comment: z.string().meta({ 'x-free-text': true }) }),
    output: z.string(),
    produces: 'comment_id',
    guards: { requires: ['authenticated'], confirm: false },
  }),
]);

/** Steps 1–3 look up the order (and the quote); step 4 (line 12) tests `condition` from column 21. */
function testing(condition: string, tools = ['get_order']): string {
  return procedure(
    [
      '1. Follow @authenticate.',
      '2. {#ask-order} Ask for the order id.',
      `3. {#find-order} Look up the order with @get_order.${tools.includes('get_quote') ? ' Look up the quote with @get_quote.' : ''}`,
      `4. {#under-test} If ${condition}, say "Yes."`,
      '5. End.',
    ],
    { tools },
  );
}

const fails = (condition: string, code: string, tools?: string[]) =>
  failing(testing(condition, tools), code, [AUTHENTICATE], catalogue);
const passes = (condition: string, tools?: string[]) =>
  passing(testing(condition, tools), [AUTHENTICATE], catalogue);

describe('fact types', () => {
  it('derives each type from the schema and the field name', () => {
    const order = typeOfSchema(
      {
        type: 'object',
        properties: {
          order_id: { type: 'string' },
          status: { type: 'string', enum: ['pending', 'delivered'] },
          total: { type: 'number' },
          weight: { type: 'number' },
          placed_at: { type: 'string', format: 'date-time' },
          gift: { type: 'boolean' },
          zip: { type: 'string', pattern: '^\\d{5}$' },
          note: { type: 'string' },
          item_ids: { type: 'array', items: { type: 'string' } },
          refund: { anyOf: [{ type: 'number' }, { type: 'null' }] },
          words: { type: 'string', 'x-free-text': true },
        },
      },
      'order',
    );
    expect(order.kind === 'object' && Object.values(order.fields).map(describeType)).toEqual([
      'an id',
      'an enum (one of "pending", "delivered")',
      'an amount of money',
      'a number',
      'a date',
      'a yes/no value',
      'an id',
      'a string',
      'a list of ids',
      'an amount of money',
      'free text the customer wrote',
    ]);
  });

  it('types a path through a list as a list of what it finds', () => {
    const ref = {
      phrase: 'the order items names',
      span: { file: 'x', line: 1, col: 1, endLine: 1, endCol: 2 },
      fact: 'order',
      path: ['items', 'name'],
      candidates: [],
      problem: null,
    };
    const aop = compileOne(testing('the order was found')).ir;
    expect(describeType(typeOfRef(ref, aop, testCatalogue)!)).toBe('a list of strings');
    expect(typeOfRef({ ...ref, fact: null, problem: 'unknown' }, aop, testCatalogue)).toBeUndefined();
  });
});

describe('AOP027 type mismatch', () => {
  it('fails on a time test of an enum, pointing at the subject', () => {
    expect(fails('the order status is more than 30 days ago', DiagnosticCodes.typeMismatch)).toEqual([
      'AOP027@12:21',
    ]);
  });
  it('fails on a time test of a record, and names the record’s dates in the hint', () => {
    const result = compileOne(testing('the order was delivered more than 30 days ago'), { catalogue });
    expect(where(result.diagnostics)).toEqual(['AOP027@12:21']);
    expect(result.diagnostics[0]!.hint).toContain('order.placed_at');
  });
  it('passes a time test of a date', () => {
    passes('the order was placed more than 30 days ago');
    passes('the quote valid until is less than 7 days ago', ['get_order', 'get_quote']);
  });

  it('fails on a number test of an enum, a string or a date', () => {
    expect(fails('the order status is more than 3', DiagnosticCodes.typeMismatch)).toEqual(['AOP027@12:21']);
    expect(fails('the order note is at least 3', DiagnosticCodes.typeMismatch)).toEqual(['AOP027@12:21']);
    expect(fails('the order placed at is below 3', DiagnosticCodes.typeMismatch)).toEqual(['AOP027@12:21']);
  });
  it('fails on a number test of a list, in an expression too', () => {
    expect(fails('`order.items > 2`', DiagnosticCodes.typeMismatch)).toEqual(['AOP027@12:22']);
  });
  it('passes a number test of a number', () => {
    passes('the order total is more than 3');
  });

  it('fails when a text fact is compared with a number, or a number with text', () => {
    expect(fails('the order note is 5', DiagnosticCodes.typeMismatch)).toEqual(['AOP027@12:21']);
    expect(fails('the order note is one of 1 or 2', DiagnosticCodes.typeMismatch)).toEqual(['AOP027@12:21']);
    expect(fails('the order total is "100"', DiagnosticCodes.typeMismatch)).toEqual(['AOP027@12:21']);
  });
  it('leaves a value outside an enum to AOP019', () => {
    expect(fails('the order status is 5', DiagnosticCodes.typeMismatch)).toEqual([]);
  });
  it('passes values of the fact’s type', () => {
    passes('the order note is "5"');
    passes('the order total is 100');
    passes('the order status is not "pending"');
  });

  it('fails on "contains" on a number or a date', () => {
    expect(fails('the order total contains "5"', DiagnosticCodes.typeMismatch)).toEqual(['AOP027@12:21']);
    expect(fails('the order placed at contains "2024"', DiagnosticCodes.typeMismatch)).toEqual([
      'AOP027@12:21',
    ]);
  });
  it('fails on "contains" on a list: it would be a text match that never holds', () => {
    expect(fails('the order items contain "Desk Lamp"', DiagnosticCodes.typeMismatch)).toEqual([
      'AOP027@12:21',
    ]);
  });
  it('passes "contains" on text or an enum', () => {
    passes('the order note contains "gift"');
    passes('the order status contains "pend"');
  });

  it('fails on "empty" on a number', () => {
    expect(fails('the order total is empty', DiagnosticCodes.typeMismatch)).toEqual(['AOP027@12:21']);
  });
  it('passes "empty" on a list or text', () => {
    passes('the order items are empty');
    passes('the order note is not empty');
  });

  it('does not report a phrase that names no fact (AOP004 does)', () => {
    expect(fails('the order colour is more than 30 days ago', DiagnosticCodes.typeMismatch)).toEqual([]);
  });
});

describe('AOP027 in the retail tenant: orders carry no date (issue 14)', () => {
  const authenticate = retailSources().filter((source) => source.path.endsWith('/authenticate-customer.md'));
  const retail = (condition: string) =>
    compileOne(
      procedure(
        [
          '1. Follow @authenticate-customer.',
          '2. {#ask-order} Ask for the order id.',
          '3. {#find-order} Look up the order with @get_order_details.',
          `4. {#window} If ${condition}, say "Returns close after 30 days." Then end.`,
          '5. {#done} Say "Your return can go ahead." Then end.',
        ],
        { tools: ['get_order_details'] },
      ),
      { catalogue: retailCatalogue, others: authenticate },
    );

  for (const condition of [
    'the order was delivered more than 30 days ago',
    'the order status is more than 30 days ago',
  ]) {
    it(`fails on "${condition}", saying the order has no date`, () => {
      const result = retail(condition);
      expect(result.asl).toBeNull();
      expect(where(result.diagnostics)).toEqual(['AOP027@12:17']);
      const [diagnostic] = result.diagnostics;
      expect(diagnostic!.message).toContain('order has no date: none of its fields is a date');
      expect(diagnostic!.hint).toContain("the tenant's data holds no dates");
    });
  }

  it('passes the same procedure without the time rule', () => {
    const result = retail('the order status is "delivered"');
    expect(where(result.diagnostics)).toEqual([]);
  });
});

describe('AOP028 free text in a condition', () => {
  const body = (condition: string) =>
    procedure(
      [
        '1. Follow @authenticate.',
        '2. {#ask-order} Ask for the order id.',
        '3. {#ask-comment} Ask for the comment.',
        `4. {#under-test} If ${condition}, say "Noted."`,
        '5. {#note} Add it with @add_comment.',
        '6. End.',
      ],
      { tools: ['add_comment'] },
    );

  it('fails when a condition tests what the customer wrote', () => {
    expect(
      failing(
        body('the comment contains "refund"'),
        DiagnosticCodes.freeTextInCondition,
        [AUTHENTICATE],
        catalogue,
      ),
    ).toEqual(['AOP028@12:21']);
    expect(
      failing(
        body('the comment is "yes please"'),
        DiagnosticCodes.freeTextInCondition,
        [AUTHENTICATE],
        catalogue,
      ),
    ).toEqual(['AOP028@12:21']);
  });
  it('passes a test of whether it was given', () => {
    passing(body('the comment is known'), [AUTHENTICATE], catalogue);
  });
  it('fails on an answer asked for in the customer’s own words', () => {
    const text = procedure(
      [
        '1. Follow @authenticate.',
        '2. {#ask-order} Ask for the order id.',
        '3. {#describe} Ask the customer to describe the damage in their own words.',
        '4. {#under-test} If the damage description contains "broken", say "Sorry."',
        '5. End.',
      ],
      { tools: ['get_order'] },
    );
    expect(failing(text, DiagnosticCodes.freeTextInCondition)).toEqual(['AOP028@12:21']);
  });
});

describe('comparisons between two facts', () => {
  const quote = ['get_order', 'get_quote'];

  it('passes two numbers, and two texts for equality', () => {
    passes('the new price is higher than the old price', quote);
    passes('the order total is at least the new price', quote);
    passes('the quote currency is not the same as the order note', quote);
    passes('the order note equals the order status', quote);
    passes('`quote.new_price <= quote.old_price`', quote);
  });

  it('fails when a side of a number comparison is not a number, pointing at that side', () => {
    expect(fails('the order status is more than the new price', DiagnosticCodes.typeMismatch, quote)).toEqual(
      ['AOP027@12:21'],
    );
    // "the new price is higher than " is 29 characters: the right side starts at column 50.
    expect(
      fails('the new price is higher than the order status', DiagnosticCodes.typeMismatch, quote),
    ).toEqual(['AOP027@12:50']);
  });
  it('fails when the two sides of an equality are of different types', () => {
    expect(
      fails('the order total is the same as the order note', DiagnosticCodes.typeMismatch, quote),
    ).toEqual(['AOP027@12:21']);
    expect(fails('the quote valid until equals the order note', DiagnosticCodes.typeMismatch, quote)).toEqual(
      ['AOP027@12:21'],
    );
  });

  it('lowers "higher than" to a Choice that takes the branch only when the left is higher', async () => {
    const result = compileOne(testing('the new price is higher than the old price', quote), { catalogue });
    expect(where(result.diagnostics)).toEqual([]);
    const choice = result.asl!.States['under-test.if']!;
    expect(JSON.stringify(choice)).toContain(
      '{"Variable":"$.facts.quote.new_price","NumericGreaterThanPath":"$.facts.quote.old_price"}',
    );
    expect(await branch(choice, { quote: { old_price: 10, new_price: 12 } })).toBe('then');
    expect(await branch(choice, { quote: { old_price: 12, new_price: 10 } })).toBe('otherwise');
    expect(await branch(choice, { quote: { old_price: 12, new_price: 12 } })).toBe('otherwise');
    // A missing or mistyped side takes the "otherwise" branch instead of failing the execution.
    expect(await branch(choice, { quote: { new_price: 12 } })).toBe('otherwise');
    expect(await branch(choice, { quote: { old_price: 'ten', new_price: 12 } })).toBe('otherwise');
  });

  it('lowers "the same as" to a Choice that compares numbers as numbers and texts as texts', async () => {
    const result = compileOne(testing('the quote currency is the same as the order note', quote), {
      catalogue,
    });
    expect(where(result.diagnostics)).toEqual([]);
    const choice = result.asl!.States['under-test.if']!;
    expect(await branch(choice, { quote: { currency: 'USD' }, order: { note: 'USD' } })).toBe('then');
    expect(await branch(choice, { quote: { currency: 'USD' }, order: { note: 'EUR' } })).toBe('otherwise');
    expect(await branch(choice, { quote: { currency: 'USD' } })).toBe('otherwise');
  });

  it('compares a computed amount with a fact, and types it as money', () => {
    const authenticate = retailSources().filter((source) =>
      source.path.endsWith('/authenticate-customer.md'),
    );
    const text = (condition: string) =>
      procedure(
        [
          '1. Follow @authenticate-customer.',
          '2. {#ask-order} Ask for the order id.',
          '3. {#find} Look up the order with @get_order_details.',
          '4. {#ask-items} Ask for the item ids, choosing from the order items.',
          '5. {#total} Work out the total refund: the sum of the prices of the chosen items.',
          `6. {#under-test} If ${condition}, say "Yes."`,
          '7. End.',
        ],
        { tools: ['get_order_details', 'return_delivered_order_items'] },
      );
    passing(
      text('the total refund is more than the order exchange price difference'),
      authenticate,
      retailCatalogue,
    );
    expect(
      failing(
        text('the total refund is the same as the order status'),
        DiagnosticCodes.typeMismatch,
        authenticate,
        retailCatalogue,
      ),
    ).toEqual(['AOP027@14:21']);
  });

  it('does not read a phrase that names no fact as the other side', () => {
    const result = compileOne(testing('the order total is more than the moon'), { catalogue });
    expect(where(result.diagnostics)).toEqual(['AOP001@12:18']);
  });
});

/** Runs a compiled Choice state's first rule in the local executor: which way does it go? */
async function branch(choice: AslState, facts: Record<string, unknown>): Promise<string> {
  const [rule] = choice.Choices as Record<string, unknown>[];
  const machine = new StateMachine({
    StartAt: 'Test',
    States: {
      Test: { Type: 'Choice', Choices: [{ ...rule, Next: 'Then' }], Default: 'Otherwise' },
      Then: { Type: 'Pass', Result: 'then', End: true },
      Otherwise: { Type: 'Pass', Result: 'otherwise', End: true },
    },
  } as never);
  return (await machine.run({ facts } as never).result) as string;
}
