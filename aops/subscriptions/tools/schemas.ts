import { z } from 'zod';

/**
 * The subscription tenant's records: as data/db.json and the DynamoDB tables hold them (`…Record`, money
 * in whole cents, so sums and refunds are exact), and as the tools return them (money in dollars, so
 * a reply says "$106.45"; dates as ISO days, so a reply says "15 March 2026"). The zod schemas are the
 * single source of truth: declarations, the store and the payment stand-in all derive from them.
 */

/** `cus_ava_lee_1042`: the customer's names and a number, as the customer ids of the data are made. */
export const CustomerIdSchema = z.string().regex(/^cus_[a-z]+_[a-z]+_\d+$/);
/** `sub_0001`. */
export const SubscriptionIdSchema = z.string().regex(/^sub_\d{4}$/);
/**
 * `in_100101`: six digits, so that a year ("2026") or a zip code typed near an invoice question is
 * never read as an invoice number.
 */
export const InvoiceIdSchema = z.string().regex(/^in_\d{6}$/);
/** `pm_1042_1`: the customer's number and the method's. Only ever chosen from a list, never typed. */
export const PaymentMethodIdSchema = z.string().regex(/^pm_\d+_\d+$/);
/** The payment provider's charge ids (`ch_…`). */
export const ChargeIdSchema = z.string().regex(/^ch_[A-Za-z0-9]+$/);
export const ZipSchema = z.string().regex(/^\d{5}$/);
/** A calendar day, `2026-03-15` (all dates are UTC days; data/policy.md, "Dates"). */
export const DaySchema = z.iso.date();

export const PlanSchema = z.enum(['basic', 'standard', 'premium']);
export type Plan = z.infer<typeof PlanSchema>;
export const BillingPeriodSchema = z.enum(['monthly', 'annual']);
export type BillingPeriod = z.infer<typeof BillingPeriodSchema>;
export const SubscriptionStatusSchema = z.enum(['active', 'paused', 'cancelled']);
export const InvoiceStatusSchema = z.enum(['paid', 'partially refunded', 'refunded']);
export type InvoiceStatus = z.infer<typeof InvoiceStatusSchema>;
/** Why a charge should not have been taken (data/policy.md, "Refunding a charge …"). */
export const BillingErrorSchema = z.enum(['none', 'duplicate', 'after cancellation']);
export type BillingError = z.infer<typeof BillingErrorSchema>;

export const PlanRecordSchema = z.object({
  plan_id: PlanSchema,
  name: z.string(),
  monthly_price_cents: z.int().positive(),
  annual_price_cents: z.int().positive(),
  screens: z.int().positive(),
  video_quality: z.string(),
  downloads: z.boolean(),
});
export type PlanRecord = z.infer<typeof PlanRecordSchema>;

export const CardSchema = z.object({
  source: z.literal('card'),
  id: PaymentMethodIdSchema,
  brand: z.string(),
  last_four: z.string().regex(/^\d{4}$/),
  exp_month: z.int().min(1).max(12),
  exp_year: z.int(),
});
export const PaypalSchema = z.object({
  source: z.literal('paypal'),
  id: PaymentMethodIdSchema,
  email: z.string(),
});
export const PaymentMethodSchema = z.discriminatedUnion('source', [CardSchema, PaypalSchema]);
export type PaymentMethod = z.infer<typeof PaymentMethodSchema>;

export const CustomerRecordSchema = z.object({
  customer_id: CustomerIdSchema,
  name: z.object({ first_name: z.string(), last_name: z.string() }),
  email: z.string(),
  zip: ZipSchema,
  payment_methods: z.array(PaymentMethodSchema),
});
export type CustomerRecord = z.infer<typeof CustomerRecordSchema>;

export const SubscriptionRecordSchema = z.object({
  subscription_id: SubscriptionIdSchema,
  customer_id: CustomerIdSchema,
  plan: PlanSchema,
  billing_period: BillingPeriodSchema,
  status: SubscriptionStatusSchema,
  started_on: DaySchema,
  current_period_start: DaySchema,
  /** Moved back by a pause, forward by an early resume (data/policy.md, "Pausing"). */
  current_period_end: DaySchema,
  /** A monthly subscription cancelled at the end of its period: still active until `ends_on`. */
  cancel_at_period_end: z.boolean(),
  cancelled_on: DaySchema.nullable(),
  /** The last day of access is the day before; set once the subscription is cancelled. */
  ends_on: DaySchema.nullable(),
  /** A downgrade waiting for the next renewal. */
  scheduled_plan: PlanSchema.nullable(),
  /** When the latest pause started (kept after it ends: one pause in any 12 months). */
  last_pause_started_on: DaySchema.nullable(),
  resumes_on: DaySchema.nullable(),
  payment_method_id: PaymentMethodIdSchema,
});
export type SubscriptionRecord = z.infer<typeof SubscriptionRecordSchema>;

export const RefundRecordSchema = z.object({
  refund_id: z.string(),
  amount_cents: z.int().positive(),
  reason: z.enum(['cancellation', 'duplicate', 'after cancellation']),
  refunded_on: DaySchema,
});

export const InvoiceRecordSchema = z.object({
  invoice_id: InvoiceIdSchema,
  customer_id: CustomerIdSchema,
  subscription_id: SubscriptionIdSchema,
  /** A renewal pays a whole period; a proration pays an upgrade's difference for the rest of one. */
  kind: z.enum(['renewal', 'proration']),
  plan: PlanSchema,
  billing_period: BillingPeriodSchema,
  amount_cents: z.int().positive(),
  refunded_cents: z.int().min(0),
  status: InvoiceStatusSchema,
  charge_id: ChargeIdSchema,
  issued_on: DaySchema,
  period_start: DaySchema,
  period_end: DaySchema,
  payment_method_id: PaymentMethodIdSchema,
  refunds: z.array(RefundRecordSchema).optional(),
});
export type InvoiceRecord = z.infer<typeof InvoiceRecordSchema>;

/** data/db.json: the whole store. */
export const SubscriptionsDbSchema = z.object({
  plans: z.record(PlanSchema, PlanRecordSchema),
  customers: z.record(CustomerIdSchema, CustomerRecordSchema),
  subscriptions: z.record(SubscriptionIdSchema, SubscriptionRecordSchema),
  invoices: z.record(InvoiceIdSchema, InvoiceRecordSchema),
});
export type SubscriptionsDb = z.infer<typeof SubscriptionsDbSchema>;

// ───────────────────────────── what the tools return ─────────────────────────────

/**
 * How a subscription is listed on the account: what a customer picks it by ("my premium one"); offered
 * as a choice, it is said by the label conversation.ts declares for `subscription_id`.
 */
export const SubscriptionSummarySchema = z.object({
  subscription_id: SubscriptionIdSchema,
  plan: PlanSchema,
  plan_name: z.string(),
  billing_period: BillingPeriodSchema,
  status: SubscriptionStatusSchema,
});

/** How an invoice is listed: "$15.49 on 5 March 2026 for Standard monthly", and its status. */
export const InvoiceSummarySchema = z.object({
  invoice_id: InvoiceIdSchema,
  description: z.string(),
  status: InvoiceStatusSchema,
});

/** A charge that should not have been taken, as the account lists it. */
export const BillingErrorSummarySchema = z.object({
  invoice_id: InvoiceIdSchema,
  description: z.string(),
  problem: z.string(),
});

export const CustomerSchema = z.object({
  customer_id: CustomerIdSchema,
  name: z.object({ first_name: z.string(), last_name: z.string() }),
  email: z.string(),
  zip: ZipSchema,
  payment_methods: z.array(PaymentMethodSchema),
  /** Oldest first. */
  subscriptions: z.array(SubscriptionSummarySchema),
  /** Oldest first, so "the latest one" is the last. */
  invoices: z.array(InvoiceSummarySchema),
  /** Charges the policy refunds in full: duplicates and charges after a cancellation. */
  billing_errors: z.array(BillingErrorSummarySchema),
});
export type Customer = z.infer<typeof CustomerSchema>;

export const SubscriptionSchema = z.object({
  subscription_id: SubscriptionIdSchema,
  customer_id: CustomerIdSchema,
  plan: PlanSchema,
  plan_name: z.string(),
  billing_period: BillingPeriodSchema,
  status: SubscriptionStatusSchema,
  /** What a period of the current plan costs, in dollars. */
  price: z.number(),
  started_on: DaySchema,
  current_period_start: DaySchema,
  current_period_end: DaySchema,
  cancel_at_period_end: z.boolean(),
  cancelled_on: DaySchema.nullable(),
  ends_on: DaySchema.nullable(),
  scheduled_plan: PlanSchema.nullable(),
  scheduled_plan_name: z.string().nullable(),
  /**
   * When the latest pause started, as an instant (midnight UTC of its day): a procedure's "less than 365
   * days ago" needs a timestamp, not a day (docs/platform-gaps-from-subscriptions.md).
   */
  last_paused_at: z.iso.datetime().nullable(),
  resumes_on: DaySchema.nullable(),
  /** Null when nothing more will be charged (cancelled, or set to end). */
  next_bill_date: DaySchema.nullable(),
  next_bill_amount: z.number().nullable(),
  payment_method_id: PaymentMethodIdSchema,
  payment_method: PaymentMethodSchema,
});
export type Subscription = z.infer<typeof SubscriptionSchema>;

export const InvoiceSchema = z.object({
  invoice_id: InvoiceIdSchema,
  subscription_id: SubscriptionIdSchema,
  customer_id: CustomerIdSchema,
  kind: z.enum(['renewal', 'proration']),
  plan_name: z.string(),
  billing_period: BillingPeriodSchema,
  amount: z.number(),
  refunded_amount: z.number(),
  /** What is left to refund of the charge. */
  refundable_amount: z.number(),
  status: InvoiceStatusSchema,
  issued_on: DaySchema,
  period_start: DaySchema,
  period_end: DaySchema,
  billing_error: BillingErrorSchema,
  charge_id: ChargeIdSchema,
  payment_method: PaymentMethodSchema,
});
export type Invoice = z.infer<typeof InvoiceSchema>;

/** A plan as offered for a billing period: its price for that period and what it gives. */
export const PlanOfferSchema = z.object({
  id: PlanSchema,
  name: z.string(),
  price: z.number(),
  /**
   * Words that say themselves ("2 screens at once", "Full HD video"): a plan offered as a choice is
   * said by its name and these ("Standard (2 screens at once, offline downloads, Full HD video)").
   */
  features: z.object({ 'at once': z.string(), downloads: z.string(), video: z.string() }),
});
export type PlanOffer = z.infer<typeof PlanOfferSchema>;

export const CancellationQuoteSchema = z.object({
  subscription_id: SubscriptionIdSchema,
  effective: z.enum(['at the end of the period', 'today']),
  /** The day from which there is no more access. */
  ends_on: DaySchema,
  refund_amount: z.number(),
  unused_days: z.int().min(0),
  days_in_period: z.int().positive(),
  /** Where a refund goes: the payment method of the charge that paid the period. */
  refund_to: PaymentMethodSchema.nullable(),
});
export type CancellationQuote = z.infer<typeof CancellationQuoteSchema>;

export const CancellationSchema = z.object({
  subscription_id: SubscriptionIdSchema,
  status: SubscriptionStatusSchema,
  ends_on: DaySchema,
  refund_amount: z.number(),
  /** The payment provider's refund id; null when nothing was refunded. */
  refund_id: z.string().nullable(),
  refunded_to: PaymentMethodSchema.nullable(),
});
export type Cancellation = z.infer<typeof CancellationSchema>;

export const PlanChangeQuoteSchema = z.object({
  subscription_id: SubscriptionIdSchema,
  current_plan: PlanSchema,
  new_plan: PlanSchema,
  new_plan_name: z.string(),
  change: z.enum(['upgrade', 'downgrade']),
  /** Today for an upgrade, the next renewal for a downgrade. */
  effective_on: DaySchema,
  /** The proration charged at once (0 for a downgrade). */
  charge_amount: z.number(),
  unused_days: z.int().min(0),
  days_in_period: z.int().positive(),
  /** The new plan's price for a whole period. */
  new_price: z.number(),
  charge_to: PaymentMethodSchema,
});
export type PlanChangeQuote = z.infer<typeof PlanChangeQuoteSchema>;

export const PlanChangeSchema = z.object({
  subscription_id: SubscriptionIdSchema,
  plan: PlanSchema,
  change: z.enum(['upgrade', 'downgrade']),
  effective_on: DaySchema,
  charged_amount: z.number(),
  /** The proration invoice; null for a downgrade. */
  invoice_id: InvoiceIdSchema.nullable(),
});
export type PlanChange = z.infer<typeof PlanChangeSchema>;

export const PauseQuoteSchema = z.object({
  subscription_id: SubscriptionIdSchema,
  months: z.int().min(1).max(3),
  resumes_on: DaySchema,
  /** The end of the period once the pause is added to it: the next bill. */
  next_bill_date: DaySchema,
});
export type PauseQuote = z.infer<typeof PauseQuoteSchema>;

export const ResumeQuoteSchema = z.object({
  subscription_id: SubscriptionIdSchema,
  /** The pause days given back by resuming today. */
  unused_pause_days: z.int().min(0),
  /** The end of the period once those days are given back: the next bill. */
  next_bill_date: DaySchema,
});
export type ResumeQuote = z.infer<typeof ResumeQuoteSchema>;

export const ChargeRefundSchema = z.object({
  invoice_id: InvoiceIdSchema,
  refund_id: z.string(),
  amount: z.number(),
  refunded_to: PaymentMethodSchema,
});
export type ChargeRefund = z.infer<typeof ChargeRefundSchema>;

/** Whole cents to dollars, for what the tools return. */
export function dollars(cents: number): number {
  return Math.round(cents) / 100;
}
