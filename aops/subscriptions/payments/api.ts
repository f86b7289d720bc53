import { z } from 'zod';

/**
 * The payment provider's REST API as Tidewave's tools use it, Stripe-shaped: charges and refunds in
 * whole cents, `Authorization: Bearer <secret key>`, and an `Idempotency-Key` on every POST, so a
 * retried call returns what the first one did instead of moving money twice. The tools' client
 * (tools/payments.ts) and the local stand-in (server.ts) both parse with these schemas.
 */

/** The environment variable the platform puts the provider's base URL in (tenant.ts `services`). */
export const PAYMENTS_URL_VARIABLE = 'PAYMENTS_API_URL';
/** The secret holding the provider's API key (tenant.ts `secrets`). */
export const PAYMENTS_SECRET = 'payments-api-key';

export const ChargeSchema = z.object({
  id: z.string().regex(/^ch_[A-Za-z0-9]+$/),
  object: z.literal('charge'),
  amount_cents: z.int().positive(),
  amount_refunded_cents: z.int().min(0),
  currency: z.literal('usd'),
  customer: z.string(),
  payment_method: z.string(),
  description: z.string(),
  status: z.literal('succeeded'),
  refunded: z.boolean(),
});
export type Charge = z.infer<typeof ChargeSchema>;

export const RefundSchema = z.object({
  id: z.string().regex(/^re_[A-Za-z0-9]+$/),
  object: z.literal('refund'),
  charge: z.string(),
  amount_cents: z.int().positive(),
  status: z.literal('succeeded'),
});
export type Refund = z.infer<typeof RefundSchema>;

export const CreateRefundSchema = z.object({
  charge: z.string().describe('The id of the charge to refund (ch_…).'),
  amount_cents: z
    .int()
    .positive()
    .describe('How much to refund, in cents; at most what is left of the charge.'),
});
export type CreateRefund = z.infer<typeof CreateRefundSchema>;

export const CreateChargeSchema = z.object({
  customer: z.string().describe('The customer the charge is for.'),
  payment_method: z.string().describe('The saved payment method to charge (pm_…).'),
  amount_cents: z.int().positive().describe('How much to charge, in cents.'),
  description: z.string().describe('What the charge is for, as the customer sees it on the statement.'),
});
export type CreateCharge = z.infer<typeof CreateChargeSchema>;

/** The error body of every 4xx, as Stripe writes it: a machine code and a sentence. */
export const ApiErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

/** HTTP statuses the provider answers a refused request with. */
export const STATUS = {
  badRequest: 400,
  unauthorized: 401,
  declined: 402,
  notFound: 404,
  conflict: 409,
} as const;
