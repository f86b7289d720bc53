import { describe, expect, it } from 'vitest';
import { buildFactEnvironment, resolveFact } from '../../shared/aop/facts.ts';
import { compileProject } from '../../shared/aop/index.ts';
import type { Action } from '../../shared/aop/ir.ts';
import { lines, retailCatalogue, retailSources, where } from './support.ts';

/**
 * Paths through lists and the fact-list form of Tell (issue 14, items 2 and 6): a placeholder may read a
 * field of a list's elements (`{order.fulfillments.tracking_id}`), and "Tell the customer the status,
 * the items and the tracking number of the order" is said as a sentence per fact.
 */

const environment = buildFactEnvironment(retailCatalogue, ['get_order_details', 'get_user_details']);
const AUTHENTICATE = retailSources().find((source) => source.path.endsWith('/authenticate-customer.md'))!;

function path(phrase: string, options: { throughLists?: boolean } = {}): string {
  const resolution = resolveFact(phrase, environment, options);
  return resolution.problem ?? [resolution.fact, ...resolution.path].join('.');
}

function tellStep(step: string) {
  const text = lines(
    '---',
    'id: example',
    'title: Example',
    'when: An example.',
    'tools: [get_order_details]',
    '---',
    '1. Follow @authenticate-customer.',
    '2. {#ask-order} Ask for the order id.',
    '3. {#find-order} Look up the order with @get_order_details.',
    `4. {#under-test} ${step} Then end.`,
  );
  const result = compileProject([{ path: 'example.md', text }, AUTHENTICATE], {
    catalogue: retailCatalogue,
  })[0]!;
  const step4 = result.ir.steps.find((candidate) => candidate.id === 'under-test')!;
  const say = step4.actions.find(
    (action): action is Extract<Action, { kind: 'say' }> => action.kind === 'say',
  )!;
  return { diagnostics: where(result.diagnostics), say };
}

describe('resolveFact through lists', () => {
  it('reads a field of a list’s elements in a placeholder', () => {
    expect(path('order.fulfillments.tracking_id', { throughLists: true })).toBe(
      'order.fulfillments.tracking_id',
    );
    expect(path('order.items.price', { throughLists: true })).toBe('order.items.price');
  });

  it('finds the tracking id one level down, however it is named', () => {
    for (const phrase of [
      'the tracking id of the order',
      'the tracking number of the order',
      'the order tracking number',
      'the tracking number',
    ])
      expect(path(phrase, { throughLists: true }), phrase).toBe('order.fulfillments.tracking_id');
  });

  it('does not read through lists elsewhere (a condition or an argument cannot)', () => {
    expect(path('order.fulfillments.tracking_id')).toBe('unknown');
    expect(path('the order tracking number')).toBe('unknown');
  });

  it('turns an "of" phrase round when it names nothing as written', () => {
    expect(path('the status of the order')).toBe('order.status');
    expect(path('the items of the order')).toBe('order.items');
    expect(path('the prices of the items of the order', { throughLists: true })).toBe('order.items.price');
  });

  it('still resolves what it resolved before', () => {
    expect(path('the order status', { throughLists: true })).toBe('order.status');
    expect(path('the status', { throughLists: true })).toBe('order.status');
    expect(path('the order items', { throughLists: true })).toBe('order.items');
    expect(path("the user's name", { throughLists: true })).toBe('user.name');
  });
});

describe('Tell with a list of facts', () => {
  it('says a sentence per fact, the owner named by its id', () => {
    const { diagnostics, say } = tellStep(
      'Tell the customer the status, the items and the tracking number of the order.',
    );
    expect(diagnostics).toEqual([]);
    expect(say.text).toBe(
      'The status of order {order.order_id} is {order.status}. Its items are {order.items}. Its tracking number is {order.fulfillments.tracking_id}.',
    );
    expect(say.exact).toBe(true);
    expect(say.refs.map((ref) => [ref.fact, ...ref.path].join('.'))).toEqual([
      'order.status',
      'order.items',
      'order.fulfillments.tracking_id',
      'order.order_id',
    ]);
  });

  it('points each fact at the author’s words for it', () => {
    const { say } = tellStep('Tell the customer the status and the items of the order.');
    const [status, items] = say.refs;
    expect(status!.span.line).toBe(10);
    expect(status!.span.col).toBe('4. {#under-test} Tell the customer '.length + 1);
    expect(items!.span.endCol - items!.span.col).toBe('the items'.length);
  });

  it('says facts without a common owner each by its own words', () => {
    const { diagnostics, say } = tellStep('Tell the customer the order status and the order items.');
    expect(diagnostics).toEqual([]);
    expect(say.text).toBe('The order status is {order.status}. The order items are {order.items}.');
  });

  it('keeps words that are not all facts as a paraphrase', () => {
    const { diagnostics, say } = tellStep('Tell the customer the order is on its way.');
    expect(diagnostics).toEqual([]);
    expect(say.text).toBe('The order is on its way');
    expect(say.refs).toEqual([]);
  });

  it('checks the facts like placeholders: one not known yet is AOP008', () => {
    const text = lines(
      '---',
      'id: example',
      'title: Example',
      'when: An example.',
      'tools: [get_order_details]',
      '---',
      '1. Follow @authenticate-customer.',
      '2. {#early} Tell the customer the status and the items of the order.',
      '3. {#ask-order} Ask for the order id.',
      '4. {#find-order} Look up the order with @get_order_details. Then end.',
    );
    const result = compileProject([{ path: 'example.md', text }, AUTHENTICATE], {
      catalogue: retailCatalogue,
    })[0]!;
    // "the status", "the items" and "the order" (said by its id) are read before the order is looked up.
    expect(where(result.diagnostics)).toEqual(['AOP008@8:31', 'AOP008@8:46', 'AOP008@8:59']);
  });

  it('accepts a placeholder that reads through a list', () => {
    const { diagnostics, say } = tellStep('Tell the customer: "Tracking: {order.fulfillments.tracking_id}."');
    expect(diagnostics).toEqual([]);
    expect(say.refs[0]).toMatchObject({
      fact: 'order',
      path: ['fulfillments', 'tracking_id'],
      problem: null,
    });
  });
});
