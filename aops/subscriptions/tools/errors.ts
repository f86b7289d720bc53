import { ToolError } from '../../../shared/tools/errors.ts';

/**
 * Business refusals: a `ToolError` the procedure branches on (`@tool failed`) and nothing retries. The
 * message says the rule that refused, in the policy's words, for the person who reads the log.
 */
export function refusal(tool: string, code: RefusalCode, message: string): ToolError {
  return new ToolError(tool, code, message);
}

export type RefusalCode =
  | 'customer_not_found'
  | 'subscription_not_found'
  | 'invoice_not_found'
  | 'payment_method_not_found'
  | 'already_cancelled'
  | 'not_active'
  | 'not_monthly'
  | 'paused_recently'
  | 'not_paused'
  | 'same_plan'
  | 'already_scheduled'
  | 'same_payment_method'
  | 'no_billing_error'
  | 'already_refunded'
  | 'nothing_to_refund'
  | 'card_declined'
  | 'payment_refused';
