import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { condition as describeCondition } from '../../shared/aop/explain.ts';
import { buildFactEnvironment, resolveFact } from '../../shared/aop/facts.ts';
import { walkActions } from '../../shared/aop/graph.ts';
import { compileProject, type SourceFile } from '../../shared/aop/index.ts';
import {
  compileOne,
  lines,
  procedure,
  REPO_ROOT,
  retailCatalogue,
  retailSources,
  testCatalogue,
  where,
} from './support.ts';

/**
 * docs/aop-language.md is a contract: every `markdown` example in it compiles cleanly against the
 * retail tools, and every sentence form, condition and fact phrase it lists reads the way it says.
 */

const DOC = readFileSync(join(REPO_ROOT, 'docs', 'aop-language.md'), 'utf8');
const AUTHENTICATE = retailSources().find((source) => source.path.endsWith('/authenticate-customer.md'))!;

function documented(example: string) {
  const shown = example.startsWith('`') ? example : `\`${example}\``;
  expect(DOC, `docs/aop-language.md must show ${shown}`).toContain(shown);
}

function markdownExamples(): SourceFile[] {
  return [...DOC.matchAll(/^```markdown\n([\s\S]*?)^```$/gm)].map((match, index) => ({
    path: `docs/aop-language.md#example-${index + 1}`,
    text: match[1]!,
  }));
}

/** A retail procedure with the order and the profile looked up, then one step under test and an end. */
function retailProcedure(step: string, extra: string[] = [], { ends = false } = {}): string {
  return lines(
    '---',
    'id: example',
    'title: Example',
    'when: An example.',
    'tools: [get_order_details, get_user_details, cancel_pending_order]',
    '---',
    '1. Follow @authenticate-customer.',
    '2. {#ask-order} Ask for the order id.',
    '3. {#find-order} Look up the order with @get_order_details.',
    '4. {#profile} Look up the profile with @get_user_details.',
    `5. {#under-test} ${step}`,
    ...extra,
    // A step under test that ends every path needs no end after it (which could never be reached).
    ...(ends ? [] : ['6. {#done} End.']),
  );
}

function compileRetail(text: string) {
  return compileProject([{ path: 'example.md', text }, AUTHENTICATE], { catalogue: retailCatalogue })[0]!;
}

function stepUnderTest(text: string) {
  const result = compileRetail(text);
  expect(where(result.diagnostics)).toEqual([]);
  return result.ir.steps.find((step) => step.id === 'under-test')!;
}

describe('docs/aop-language.md', () => {
  it('has markdown examples, and every one of them compiles with no diagnostics', () => {
    const examples = markdownExamples();
    expect(examples.length).toBeGreaterThanOrEqual(7);
    const results = compileProject([...examples, AUTHENTICATE], { catalogue: retailCatalogue });
    for (const result of results.filter((r) => r.file.startsWith('docs/'))) {
      expect({ example: result.file, diagnostics: where(result.diagnostics) }).toEqual({
        example: result.file,
        diagnostics: [],
      });
      expect(result.asl).not.toBeNull();
    }
  });

  it('documents every diagnostic code', () => {
    for (let code = 1; code <= 21; code++) expect(DOC).toContain(`| AOP${String(code).padStart(3, '0')} |`);
  });

  describe('sentence forms', () => {
    const forms: [string, string, boolean, string[]?][] = [
      ['Go back to step 2 (at most 2 times).', 'goto', true],
      ['Follow @authenticate-customer.', 'follow', false],
      ['Look up the order with @get_order_details.', 'call', false],
      ['Escalate to a human because the customer is upset.', 'escalate', true],
      ['End.', 'end', true],
      [
        'Confirm with the customer: "Shall I cancel it?"',
        'confirm',
        false,
        ['   - If they do not confirm, end.'],
      ],
      ['Ask for the email, or the first name, last name and zip code.', 'ask', false],
      ['Tell the customer: "Your order is {order.status}."', 'say', false],
      ['Tell them nothing was changed.', 'say', false],
    ];
    for (const [example, kind, ends, extra] of forms) {
      it(`reads "${example}" as ${kind}`, () => {
        documented(example);
        const step = stepUnderTest(retailProcedure(example, extra, { ends }));
        expect(step.actions[0]!.kind).toBe(kind);
      });
    }

    it('reads "Tell the customer to use @get_order_details" as a call, as documented', () => {
      documented('Tell the customer to use @get_order_details');
      const step = stepUnderTest(retailProcedure('Tell the customer to use @get_order_details.'));
      expect(step.actions.map((a) => a.kind)).toEqual(['call']);
    });

    it("takes the author's own question after a colon, and checks its placeholders", () => {
      expect(DOC).toContain('unless the author gives their own after a colon at the end, in quotes');
      const asked = stepUnderTest(
        retailProcedure(
          'Ask for the reason, choosing from the order items: "Why {order.order_id}, and which item?"',
        ),
      ).actions[0]!;
      expect(asked.kind).toBe('ask');
      if (asked.kind !== 'ask') return;
      expect(asked.slots.map((slot) => slot.name)).toEqual(['reason']);
      expect(asked.slots[0]!.options?.fact).toBe('order');
      expect(asked.question?.text).toBe('Why {order.order_id}, and which item?');
      const unknown = compileRetail(retailProcedure('Ask for the reason: "Why {order.colour}?"'));
      expect(where(unknown.diagnostics).map((diagnostic) => diagnostic.split('@')[0])).toContain('AOP004');
      // A quote that names an offered record, at the end, is not a question.
      const offering = compileRetail(
        lines(
          '---',
          'id: example',
          'title: Example',
          'when: An example.',
          'tools: [get_user_details, modify_user_address]',
          '---',
          '1. Follow @authenticate-customer.',
          "2. {#profile} Look up the customer's profile with @get_user_details.",
          '3. {#under-test} Ask for the address line 1, address line 2, city, state, country and zip code, offering the user address as "your default address".',
          '4. {#confirm} Confirm with the customer: "Shall I go ahead?"',
          '   - If they do not confirm, end.',
          '5. {#change} Change it with @modify_user_address.',
          '6. {#done} End.',
        ),
      );
      expect(where(offering.diagnostics)).toEqual([]);
      const step = offering.ir.steps.find((candidate) => candidate.id === 'under-test')!.actions[0]!;
      expect(step.kind === 'ask' && step.question).toBeFalsy();
    });

    it('reads two actions in one step', () => {
      documented('Tell the customer: "Done." Then end.');
      const step = stepUnderTest(retailProcedure('Tell the customer: "Done." Then end.', [], { ends: true }));
      expect(step.actions.map((a) => a.kind)).toEqual(['say', 'end']);
    });

    it('restricts an answer with "It must be …"', () => {
      documented('It must be "no longer needed" or "ordered by mistake".');
      const step = stepUnderTest(
        retailProcedure('Ask for the reason. It must be "no longer needed" or "ordered by mistake".'),
      );
      const ask = step.actions[0]!;
      expect(ask.kind === 'ask' && ask.slots[0]!.allowed).toEqual(['no longer needed', 'ordered by mistake']);
    });

    it('offers choices with "choosing from"', () => {
      documented('Ask for the item ids, choosing from the order items.');
      const text = lines(
        '---',
        'id: example',
        'title: Example',
        'when: An example.',
        'tools: [get_order_details, return_delivered_order_items]',
        '---',
        '1. Follow @authenticate-customer.',
        '2. Ask for the order id.',
        '3. Look up the order with @get_order_details.',
        '4. {#under-test} Ask for the item ids, choosing from the order items.',
        '5. End.',
      );
      const step = stepUnderTest(text);
      const ask = step.actions[0]!;
      expect(
        ask.kind === 'ask' && [ask.slots[0]!.name, ask.slots[0]!.options?.fact, ask.slots[0]!.options?.path],
      ).toEqual(['item_ids', 'order', ['items']]);
    });

    it('does not understand a condition in the middle of a step, or a synonym it does not list', () => {
      documented('Inquire about the order id');
      const middle = compileRetail(retailProcedure('Say "Hi". If the order status is "pending", say "Yes."'));
      expect(where(middle.diagnostics)).toEqual(['AOP001@11:28']);
      const synonym = compileRetail(retailProcedure('Inquire about the order id.'));
      expect(where(synonym.diagnostics)).toEqual(['AOP001@11:18']);
    });
  });

  describe('conditions', () => {
    const SUBJECT = 'the order exchange price difference';
    const cases: [string, string][] = [
      ['the order status is "pending"', 'order.status = "pending"'],
      ['the order status is not "pending"', 'order.status ≠ "pending"'],
      ['the order status isn\'t "pending"', 'order.status ≠ "pending"'],
      ['the order status equals "pending"', 'order.status = "pending"'],
      ['the order status is one of "pending" or "processed"', 'order.status in ["pending", "processed"]'],
      ['the order status is either "pending" or "processed"', 'order.status in ["pending", "processed"]'],
      [
        'the order status is not one of "delivered", "cancelled"',
        'order.status not in ["delivered", "cancelled"]',
      ],
      ['the order status is "pending" or "processed"', 'order.status in ["pending", "processed"]'],
      ['the order exchange price difference is more than 100', 'order.exchange_price_difference > 100'],
      ['… is less than 10', 'order.exchange_price_difference < 10'],
      ['… is at least 50', 'order.exchange_price_difference ≥ 50'],
      ['… is at most 500', 'order.exchange_price_difference ≤ 500'],
      ['… exceeds 100', 'order.exchange_price_difference > 100'],
      ['… is greater than 0', 'order.exchange_price_difference > 0'],
      ['… is below 20', 'order.exchange_price_difference < 20'],
      ['… is no more than 500', 'order.exchange_price_difference ≤ 500'],
      ['the order status contains "return"', 'order.status contains "return"'],
      ['the order status does not contain "return"', 'order.status does not contain "return"'],
      ['the order items are empty', 'order.items is empty'],
      ['the user orders are not empty', 'user.orders is not empty'],
      ['the order was found', 'order was found'],
      ['the order was not found', 'order was not found'],
      ['the email is known', 'email was found'],
      ['the user id was not found', 'user_id was not found'],
      ['there is no order', 'order was not found'],
      ['@get_order_details failed', 'order was not found'],
      [
        'the order status is "pending" and the order items are not empty',
        'order.status = "pending" and order.items is not empty',
      ],
      [
        'the order was not found or the order status is "cancelled"',
        '(order was not found or order.status = "cancelled")',
      ],
      [
        '`order.exchange_price_difference >= 100 && exists(order)`',
        'order.exchange_price_difference ≥ 100 and order was found',
      ],
    ];
    for (const [example, expected] of cases) {
      it(`reads "${example}"`, () => {
        documented(example);
        const text = example.startsWith('… ') ? `${SUBJECT} ${example.slice(2)}` : example;
        const step = stepUnderTest(retailProcedure(`If ${text}, say "Yes."`));
        const decision = step.actions[0]!;
        expect(decision.kind === 'if' && describeCondition(decision.branches[0]!.when)).toBe(expected);
      });
    }

    it("reads the customer's answer to a confirmation in the same step", () => {
      for (const [answer, expected] of [
        ['they confirm', 'the customer confirmed'],
        ['they do not confirm', 'the customer did not confirm'],
        ['the customer declines', 'the customer did not confirm'],
      ] as const) {
        documented(answer);
        const step = stepUnderTest(
          retailProcedure('Confirm with the customer: "Go ahead?"', [`   - If ${answer}, end.`]),
        );
        const decision = [...walkActions(step.actions)].find((a) => a.kind === 'if')!;
        expect(decision.kind === 'if' && describeCondition(decision.branches[0]!.when)).toBe(expected);
      }
    });

    it('reads time conditions against a date fact', () => {
      for (const [example, expected] of [
        ['the order was placed more than 30 days ago', 'order.placed_at more than 30 days ago'],
        ['the order placed at is less than 7 days ago', 'order.placed_at less than 7 days ago'],
      ] as const) {
        documented(example);
        const result = compileOne(
          procedure([
            '1. Follow @authenticate.',
            '2. Ask for the order id.',
            '3. Look up the order with @get_order.',
            `4. {#under-test} If ${example}, say "Yes."`,
            '5. End.',
          ]),
          { catalogue: testCatalogue },
        );
        expect(where(result.diagnostics)).toEqual([]);
        const decision = result.ir.steps.find((s) => s.id === 'under-test')!.actions[0]!;
        expect(decision.kind === 'if' && describeCondition(decision.branches[0]!.when)).toBe(expected);
        expect(result.manifest!.cutoffDays.length).toBe(1);
      }
    });

    it('rejects a value the fact can never take', () => {
      documented('the order status is "lost"');
      const result = compileRetail(retailProcedure('If the order status is "lost", say "Yes."'));
      expect(where(result.diagnostics)).toEqual(['AOP019@11:21']);
    });
  });

  describe('fact phrases', () => {
    const environment = buildFactEnvironment(retailCatalogue, [
      'get_order_details',
      'get_user_details',
      'modify_user_address',
      'cancel_pending_order',
    ]);
    const cases: [string, string][] = [
      ['order.status', 'order.status'],
      ['user.address.city', 'user.address.city'],
      ['order id', 'order_id'],
      ['the order status', 'order.status'],
      ['the order cancel reason', 'order.cancel_reason'],
      ["the user's name", 'user.name'],
      ['the order items', 'order.items'],
      ['address line 1', 'address1'],
      ['zip code', 'zip'],
      ['the status', 'order.status'],
    ];
    for (const [phrase, expected] of cases) {
      it(`resolves "${phrase}" to ${expected}`, () => {
        documented(phrase);
        const resolution = resolveFact(phrase, environment);
        expect([resolution.fact, ...resolution.path].join('.')).toBe(expected);
      });
    }
    it('resolves "the order" in an ask to order_id, since only parameters can be asked for', () => {
      documented('the order');
      expect(resolveFact('the order', environment, { slotsOnly: true }).fact).toBe('order_id');
    });
    it('reports a bare property several facts have as ambiguous', () => {
      const both = buildFactEnvironment(testCatalogue, ['get_order', 'get_profile']);
      expect(resolveFact('the status', both).problem).toBe('ambiguous');
    });
  });

  describe('step ids', () => {
    it('slugs a step without an explicit id as documented, and keeps ids when a step is inserted', () => {
      documented('look-up-order-get-order');
      const before = compileRetail(retailProcedure('Say "Hi."'));
      expect(before.ir.steps.map((s) => s.id)).toContain('ask-order');
      const slugged = compileRetail(
        lines(
          '---',
          'id: example',
          'title: Example',
          'when: An example.',
          'tools: [get_order_details]',
          '---',
          '1. Follow @authenticate-customer.',
          '2. Ask for the order id.',
          '3. Look up the order with @get_order_details.',
          '4. End.',
        ),
      );
      const ids = slugged.ir.steps.map((s) => s.id);
      // "customer" is a filler word, so following @authenticate-customer slugs to follow-authenticate.
      expect(ids).toEqual(['follow-authenticate', 'ask-order-id', 'look-up-order-get-order', 'end']);
      const inserted = compileRetail(
        lines(
          '---',
          'id: example',
          'title: Example',
          'when: An example.',
          'tools: [get_order_details]',
          '---',
          '1. Follow @authenticate-customer.',
          '2. Tell the customer "Let me help."',
          '3. Ask for the order id.',
          '4. Look up the order with @get_order_details.',
          '5. End.',
        ),
      );
      expect(inserted.ir.steps.map((s) => s.id)).toEqual([ids[0], 'tell', ...ids.slice(1)]);
      expect(Object.keys(inserted.asl!.States)).toEqual(
        expect.arrayContaining(Object.keys(slugged.asl!.States)),
      );
    });
  });
});
