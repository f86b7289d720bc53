import { expect } from 'vitest';
import type { ToolCatalogue } from '../../shared/tools/define-tool.ts';
import { AUTHENTICATE, compileOne, testCatalogue, where } from './support.ts';

/**
 * One failing and one passing source per diagnostic code. Tests assert the code and where it points
 * (line:col), never the prose. Body lines of `procedure()` start on line 9 of the file.
 */

export function failing(
  text: string,
  code: string,
  others = [AUTHENTICATE],
  catalogue: ToolCatalogue = testCatalogue,
) {
  const result = compileOne(text, { others, catalogue });
  expect(result.asl).toBeNull();
  return where(result.diagnostics.filter((d) => d.code === code));
}

export function passing(text: string, others = [AUTHENTICATE], catalogue: ToolCatalogue = testCatalogue) {
  const result = compileOne(text, { others, catalogue });
  expect(where(result.diagnostics)).toEqual([]);
  expect(result.asl).not.toBeNull();
}

export const CANCEL = [
  '1. Follow @authenticate.',
  '2. {#ask-order} Ask for the order id.',
  '3. {#find-order} Look up the order with @get_order.',
  '   - If the order was not found, say we could not find it, then go back to step 2 (at most 2 times).',
  '4. {#ask-reason} Ask for the reason. It must be "no longer needed" or "ordered by mistake".',
  '5. {#confirm} Explain that order {order.order_id} will be cancelled, and ask the customer to confirm.',
  '   - If they do not confirm, tell them nothing was changed, then end.',
  '6. {#cancel} Cancel it with @cancel_order.',
  '7. {#done} Tell the customer the order is cancelled, then end.',
];
