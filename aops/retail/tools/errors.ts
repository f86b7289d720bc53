import { ToolError } from '../../../shared/tools/errors.ts';

/**
 * Business refusals are `ToolError`s whose message is exactly what τ²-bench shows its agent
 * (`Error: <reason>`), so a procedure or a model sees the same text it would see in τ².
 */
export function refusal(tool: string, code: RefusalCode, reason: string): ToolError {
  return new ToolError(tool, code, `Error: ${reason}`);
}

/** Stable codes procedures can branch on; the message carries τ²'s wording. */
export type RefusalCode =
  | 'invalid_expression'
  | 'order_not_found'
  | 'user_not_found'
  | 'product_not_found'
  | 'variant_not_found'
  | 'item_not_found'
  | 'payment_method_not_found'
  | 'order_not_pending'
  | 'order_not_delivered'
  | 'invalid_reason'
  | 'items_not_in_order'
  | 'item_count_mismatch'
  | 'same_item'
  | 'new_item_unavailable'
  | 'insufficient_gift_card_balance'
  | 'not_single_payment'
  | 'same_payment_method'
  | 'not_original_payment_method'
  | 'no_payment_history';
