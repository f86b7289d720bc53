import { describe, expect, it } from 'vitest';
import { runtimeExpr } from '../../shared/aop/computations.ts';
import { type Action, DiagnosticCodes } from '../../shared/aop/index.ts';
import { evaluate } from '../../shared/engine/compute.ts';
import { failing, passing } from './rules-support.ts';
import { compileOne, lines, procedure, retailCatalogue, retailSources, where } from './support.ts';

/**
 * Computed facts and decision tables (docs/aop-language.md, "Computed facts" and "Decision tables"):
 * what each form compiles to, what it evaluates to on real-shaped facts, and one failing and one
 * passing source per diagnostic (AOP029–AOP031). Body lines of `procedure()` start on line 9.
 */

const RETAIL_AUTH = retailSources().filter((source) => source.path.endsWith('authenticate-customer.md'));

function retail(
  body: string[],
  tools = ['get_order_details', 'get_user_details', 'return_delivered_order_items'],
) {
  return lines(
    '---',
    'id: sample',
    'title: Sample',
    'when: The customer wants something.',
    `tools: [${tools.join(', ')}]`,
    '---',
    '',
    '1. Follow @authenticate-customer.',
    '2. {#profile} Look up the profile with @get_user_details.',
    "3. {#ask-order} Ask for the order id, choosing from the user's orders.",
    '4. {#find} Look up the order with @get_order_details.',
    '5. {#ask-items} Ask for the item ids, choosing from the order items.',
    ...body,
    `${6 + body.length}. {#end} End.`,
  );
}

function compileRetail(text: string) {
  return compileOne(text, { catalogue: retailCatalogue, others: RETAIL_AUTH });
}

function computes(text: string): Extract<Action, { kind: 'compute' }>[] {
  const result = compileRetail(text);
  expect(where(result.diagnostics)).toEqual([]);
  return result.ir!.steps.flatMap((step) => step.actions.filter((a) => a.kind === 'compute'));
}

const ORDER = {
  order_id: '#W1',
  status: 'delivered',
  items: [
    { name: 'Water Bottle', item_id: 'a', price: 47.84, product_id: 'p1', options: {} },
    { name: 'Office Chair', item_id: 'b', price: 488.81, product_id: 'p2', options: {} },
    { name: 'Desk Lamp', item_id: 'c', price: 0.1, product_id: 'p3', options: {} },
  ],
  fulfillments: [{ tracking_id: ['111', '222'], item_ids: ['a', 'b'] }],
  payment_history: [
    { transaction_type: 'payment', amount: 536.75, payment_method_id: 'paypal_1' },
    { transaction_type: 'refund', amount: 47.84, payment_method_id: 'paypal_1' },
  ],
};
const FACTS = { order: ORDER, item_ids: ['a', 'c'] };

function computedValue(compute: Extract<Action, { kind: 'compute' }>) {
  return evaluate(runtimeExpr(compute.expr!), FACTS);
}

describe('computed facts', () => {
  it('adds up the prices of the chosen items, as money, without float noise', () => {
    const [total] = computes(
      retail(['6. Work out the total refund: the sum of the prices of the chosen items.']),
    );
    expect(total!.name).toBe('total_refund');
    expect(total!.schema).toEqual({ type: 'number', format: 'money' });
    expect(computedValue(total!)).toBe(47.94);
  });

  it('counts, takes the lowest and highest, and the first and last', () => {
    const [count, lowest, highest, first, last] = computes(
      retail([
        '6. Work out the item count: the number of the chosen items.',
        '7. Work out the cheapest price: the lowest price of the order items.',
        '8. Calculate the dearest price as the highest price of the order items.',
        '9. Work out the first tracking number: the first tracking id of the order fulfillments.',
        '10. Let the last item name be the last name of the order items.',
      ]),
    );
    expect([count, lowest, highest, first, last].map((c) => computedValue(c!))).toEqual([
      2,
      0.1,
      488.81,
      '111',
      'Desk Lamp',
    ]);
    expect(count!.schema).toEqual({ type: 'integer' });
  });

  it('filters a list by a field ("where") and does arithmetic with percentages', () => {
    const [refunded, kept] = computes(
      retail([
        '6. Work out the refunded amount: the sum of the amounts of the order payment history where transaction type is "refund".',
        '7. Work out the amount kept: the sum of the amounts of the order payment history where transaction type is not "refund" minus the refunded amount minus 10% of the refunded amount.',
      ]),
    );
    expect(computedValue(refunded!)).toBe(47.84);
    // 536.75 - 47.84 - 4.784
    expect(evaluate(runtimeExpr(kept!.expr!), { ...FACTS, refunded_amount: 47.84 })).toBe(484.126);
    expect(kept!.schema).toEqual({ type: 'number', format: 'money' });
  });

  it('is a fact of the procedure: placeholders and conditions use it, and a missing input gives null', () => {
    const result = compileRetail(
      retail([
        '6. {#total} Work out the total refund: the sum of the prices of the chosen items.',
        '7. If the total refund is more than 500, escalate to a human because large refunds need a supervisor.',
        '8. Tell the customer: "You would get {total_refund} back."',
      ]),
    );
    expect(where(result.diagnostics)).toEqual([]);
    const states = result.asl!.States as Record<string, { Parameters?: { compute?: unknown } }>;
    expect(states['total.1']?.Parameters?.compute).toMatchObject({ name: 'total_refund', step: 'total' });
    const [total] = result.ir!.steps.flatMap((step) => step.actions.filter((a) => a.kind === 'compute'));
    expect(evaluate(runtimeExpr((total as Extract<Action, { kind: 'compute' }>).expr!), {})).toBe(0);
    // A corrected choice or order clears it: it is worked out again on the way back to the question.
    const understand = states.Understand as { Parameters: { flow: { depends: Record<string, string[]> } } };
    expect(understand.Parameters.flow.depends.total_refund).toEqual(['item_ids', 'order']);
  });

  describe('AOP029 invalid computation', () => {
    it('fails on arithmetic with something that is not a number, pointing at it', () => {
      const text = retail(['6. Work out the fee: the order status plus 2.']);
      expect(where(compileRetail(text).diagnostics)).toEqual(['AOP029@13:22']);
    });
    it('fails on words it does not know, pointing at them', () => {
      const text = retail(['6. Work out the fee: the gizmo factor.']);
      expect(where(compileRetail(text).diagnostics)).toEqual(['AOP029@13:22']);
    });
    it('fails on "the chosen …" with no earlier choice of them', () => {
      const text = retail(['6. Work out the total: the sum of the prices of the chosen products.']);
      expect(where(compileRetail(text).diagnostics)).toEqual(['AOP029@13:49']);
    });
    it('fails on a sum of values that are not numbers', () => {
      const text = retail(['6. Work out the total: the sum of the names of the chosen items.']);
      expect(where(compileRetail(text).diagnostics)).toEqual(['AOP029@13:24']);
    });
    it('fails on a name the tools already use', () => {
      const text = retail(['6. Work out the order: the sum of the prices of the chosen items.']);
      expect(where(compileRetail(text).diagnostics)).toEqual(['AOP029@13:13']);
    });
    it('passes with a number expression', () => {
      const text = retail(['6. Work out the total: the sum of the prices of the chosen items.']);
      expect(where(compileRetail(text).diagnostics)).toEqual([]);
    });
  });
});

const STATUS_TABLE = (rows: string[]) =>
  procedure([
    '1. Follow @authenticate.',
    '2. {#ask-order} Ask for the order id.',
    '3. {#find} Look up the order with @get_order.',
    '4. {#rule} Work out the refund rule from this table:',
    '   | order status | order total | refund rule |',
    '   | --- | --- | --- |',
    ...rows.map((row) => `   ${row}`),
    '5. Say "Rule: {refund_rule}." Then end.',
  ]);

describe('decision tables', () => {
  it('lowers to a Choice over the rows, each recording its value, "otherwise" as the default', () => {
    const result = compileOne(
      STATUS_TABLE([
        '| "pending" | any | "full" |',
        '| "delivered" | at least 100 | "partial" |',
        '| "delivered" | less than 100 | "none" |',
        '| otherwise | | "ask" |',
      ]),
    );
    expect(where(result.diagnostics)).toEqual([]);
    const states = result.asl!.States as Record<string, Record<string, unknown>>;
    const choice = states['rule.1'] as { Type: string; Choices: { Next: string }[]; Default: string };
    expect(choice.Type).toBe('Choice');
    expect(choice.Choices.map((c) => c.Next)).toEqual(['rule.1.row1', 'rule.1.row2', 'rule.1.row3']);
    expect(choice.Default).toBe('rule.1.row4');
    expect((states['rule.1.row2']!.Parameters as { compute: unknown }).compute).toMatchObject({
      name: 'refund_rule',
      expr: { op: 'literal', value: 'partial' },
    });
  });

  it('passes a table that covers every status without "otherwise"', () => {
    passing(
      STATUS_TABLE([
        '| "pending" or "shipped" | any | "full" |',
        '| "delivered" | more than 100 | "partial" |',
        '| "delivered" | at most 100 | "none" |',
        '| "cancelled" | - | "none" |',
      ]),
    );
  });

  describe('AOP030 incomplete table', () => {
    it('fails when a status and a range have no row, pointing at the header', () => {
      const text = STATUS_TABLE([
        '| "pending" | any | "full" |',
        '| "delivered" | more than 100 | "partial" |',
      ]);
      expect(failing(text, DiagnosticCodes.incompleteTable)).toEqual(['AOP030@13:4']);
      const message = compileOne(text).diagnostics.find((d) => d.code === 'AOP030')!.message;
      expect(message).toContain('order status is "shipped"');
      expect(message).toContain('order total is 100');
    });
  });

  describe('AOP031 overlapping rows', () => {
    it('fails when two rows hold for the same values, pointing at the later row', () => {
      const text = STATUS_TABLE([
        '| "pending" | any | "full" |',
        '| "pending" or "delivered" | at least 100 | "partial" |',
        '| otherwise | | "none" |',
      ]);
      expect(failing(text, DiagnosticCodes.overlappingRows)).toEqual(['AOP031@16:6']);
    });
  });

  describe('AOP029 in tables', () => {
    it('fails on a row with the wrong number of cells, pointing at the row', () => {
      const text = STATUS_TABLE(['| "pending" | "full" |', '| otherwise | | "none" |']);
      expect(failing(text, DiagnosticCodes.invalidComputation)).toEqual(['AOP029@15:6']);
    });
    it('fails on a cell that is not a value or a test, pointing at the cell', () => {
      const text = STATUS_TABLE(['| "pending" | roughly a lot | "full" |', '| otherwise | | "none" |']);
      expect(failing(text, DiagnosticCodes.invalidComputation)).toEqual(['AOP029@15:18']);
    });
    it('fails on a table no step reads', () => {
      const text = procedure([
        '1. Follow @authenticate.',
        '2. Say "Here are the rules."',
        '   | order status | rule |',
        '   | "pending" | "full" |',
        '3. End.',
      ]);
      expect(failing(text, DiagnosticCodes.invalidComputation)).toEqual(['AOP029@11:4']);
    });
  });
});

describe('free text', () => {
  it("asks for the customer's own words as a fact that replies and arguments may use", () => {
    const text = procedure(
      [
        '1. Follow @authenticate.',
        '2. {#ask-order} Ask for the order id.',
        '3. {#describe} Ask the customer to describe the damage in their own words.',
        '4. {#note} Add it with @add_note(note: damage_description).',
        '5. Say "Noted: {damage_description}." Then end.',
      ],
      { tools: ['get_order', 'add_note'] },
    );
    passing(text);
    const slot = compileOne(text).manifest!.slots.find((s) => s.name === 'damage_description')!;
    expect(slot.schema).toMatchObject({ type: 'string', 'x-free-text': true });
  });
  it('"Ask for the reason in their own words" names the fact after the words', () => {
    const text = procedure(
      [
        '1. Follow @authenticate.',
        '2. {#ask-order} Ask for the order id.',
        '3. Ask for the story in their own words.',
        '4. Say "You said: {story}." Then end.',
      ],
      { tools: ['get_order'] },
    );
    passing(text);
  });
});

describe('for each', () => {
  const EACH = (step: string) =>
    lines(
      '---',
      'id: sample',
      'title: Sample',
      'when: The customer wants something.',
      'tools: [get_user_details, get_order_details, cancel_pending_order]',
      '---',
      '',
      '1. Follow @authenticate-customer.',
      '2. {#profile} Look up the profile with @get_user_details.',
      `3. {#orders} ${step}`,
      '4. {#pending} Work out the pending count: the number of the orders where status is "pending".',
      '5. {#spent} Work out the total spent: the sum of the amounts of the payment history of the orders.',
      '6. Tell the customer: "{pending_count} pending; {total_spent} spent." Then end.',
    );

  it('calls the read tool once per id, bounded, into the plural list fact that computations read', () => {
    const result = compileRetail(
      EACH("Look up each of the user's orders with @get_order_details (at most 5)."),
    );
    expect(where(result.diagnostics)).toEqual([]);
    const states = result.asl!.States as Record<string, { Parameters?: { call?: Record<string, unknown> } }>;
    expect(states['orders.1']!.Parameters!.call).toMatchObject({
      tool: 'get_order_details',
      args: {},
      each: { 'ids.$': '$.facts.user.orders', arg: 'order_id', max: 5, into: 'orders' },
    });
    const facts = {
      orders: [
        { status: 'pending', payment_history: [{ amount: 10.1 }, { amount: 5 }] },
        { status: 'delivered', payment_history: [{ amount: 0.2 }] },
      ],
    };
    const computes = result.ir!.steps.flatMap((step) => step.actions.filter((a) => a.kind === 'compute'));
    expect(
      computes.map((c) => evaluate(runtimeExpr((c as Extract<Action, { kind: 'compute' }>).expr!), facts)),
    ).toEqual([1, 15.3]);
  });

  it('defaults the bound to 10 calls', () => {
    const result = compileRetail(EACH("Look up each of the user's orders with @get_order_details."));
    expect(where(result.diagnostics)).toEqual([]);
    const states = result.asl!.States as Record<
      string,
      { Parameters?: { call?: { each?: { max: number } } } }
    >;
    expect(states['orders.1']!.Parameters!.call!.each!.max).toBe(10);
  });

  describe('AOP032 for each', () => {
    it('fails on a bound over 25, pointing at it', () => {
      const text = EACH("Look up each of the user's orders with @get_order_details (at most 100).");
      expect(where(compileRetail(text).diagnostics.filter((d) => d.code === 'AOP032'))).toEqual([
        'AOP032@10:73',
      ]);
      expect(compileRetail(text).asl).toBeNull();
    });
    it('fails on a list that is not a list of ids, pointing at it', () => {
      const text = EACH('Look up each of the user payment methods with @get_order_details.');
      expect(where(compileRetail(text).diagnostics.filter((d) => d.code === 'AOP032'))).toEqual([
        'AOP032@10:30',
      ]);
    });
    it('fails on a tool that does not take one id', () => {
      const text = EACH("Look up each of the user's orders with @cancel_pending_order.");
      expect(where(compileRetail(text).diagnostics.filter((d) => d.code === 'AOP032'))).toEqual([
        'AOP032@10:30',
      ]);
    });
  });
});
