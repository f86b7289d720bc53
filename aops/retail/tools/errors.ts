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

/**
 * A write kept losing the race against concurrent writes to the same order or user. Nothing was
 * changed; the caller may retry the step (same idempotency key).
 */
export class RetailWriteConflictError extends Error {
  override readonly name = 'RetailWriteConflictError';
  constructor(
    readonly tool: string,
    readonly idempotencyKey: string,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(
      `${tool} (idempotency key "${idempotencyKey}") conflicted with concurrent writes ${attempts} times; ` +
        'nothing was changed. Retry the step with the same key.',
      options,
    );
  }
}

export function isRetailWriteConflictError(error: unknown): error is RetailWriteConflictError {
  return error instanceof Error && error.name === 'RetailWriteConflictError';
}

/**
 * An idempotency key came back with a different tool or input. Keys are conversation + step + turn,
 * so this means two different actions were given the same key: returning the stored result would
 * silently answer the wrong call, and running the new call would break at-most-once.
 */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(
    readonly idempotencyKey: string,
    readonly storedTool: string,
    readonly requestedTool: string,
  ) {
    super(
      `Idempotency key "${idempotencyKey}" was first used by ${storedTool} with other input; ` +
        `${requestedTool} cannot reuse it. Give each distinct action its own key (conversation + step + turn).`,
    );
  }
}

export function isIdempotencyKeyReusedError(error: unknown): error is IdempotencyKeyReusedError {
  return error instanceof Error && error.name === 'IdempotencyKeyReusedError';
}
