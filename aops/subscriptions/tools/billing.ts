import { refusal } from './errors.ts';
import type {
  BillingError,
  BillingPeriod,
  InvoiceRecord,
  InvoiceStatus,
  Plan,
  PlanRecord,
  SubscriptionRecord,
} from './schemas.ts';

/**
 * Tidewave's billing rules (data/policy.md) as pure functions: records and today's date in, a decision
 * or a refusal out. Money is whole cents and dates are UTC days (`YYYY-MM-DD`), so every amount the
 * assistant quotes is the amount the tool then charges or refunds. Nothing here knows DynamoDB or the
 * payment provider.
 */

const DAY_MS = 86_400_000;

/** The UTC day of an instant: `2026-03-15T12:00:00Z` → `2026-03-15`. */
export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

export function addDays(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
}

/** Calendar months, the day clamped to the month's last (31 January + 1 month = 28 February). */
export function addMonths(day: string, months: number): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(year, month - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  first.setUTCDate(Math.min(date, last));
  return dayOf(first);
}

/** The days of the period after today (policy: "unused days = period end date − today − 1"). */
export function unusedDays(periodEnd: string, today: string): number {
  return Math.max(0, daysBetween(today, periodEnd) - 1);
}

/**
 * `amount × part ÷ whole`, to the nearest cent, half a cent up. In integers, so $229.90 × 169 ÷ 365
 * is 10645 cents whatever floating point would make of it.
 */
export function prorate(amountCents: number, part: number, whole: number): number {
  return Math.floor((2 * amountCents * part + whole) / (2 * whole));
}

export function priceCents(plan: PlanRecord, period: BillingPeriod): number {
  return period === 'monthly' ? plan.monthly_price_cents : plan.annual_price_cents;
}

/** The length of the period the subscription is billed for now (a pause makes it longer). */
function daysInPeriod(subscription: SubscriptionRecord): number {
  return daysBetween(subscription.current_period_start, subscription.current_period_end);
}

/** A cancelled subscription, or one already set to end, cannot be cancelled (nor changed) again. */
function refuseEnded(tool: string, subscription: SubscriptionRecord): void {
  if (subscription.status === 'cancelled')
    throw refusal(
      tool,
      'already_cancelled',
      `Subscription ${subscription.subscription_id} is already cancelled`,
    );
  if (subscription.cancel_at_period_end)
    throw refusal(
      tool,
      'already_cancelled',
      `Subscription ${subscription.subscription_id} is already set to end on ${subscription.ends_on}`,
    );
}

// ───────────────────────────── cancelling ─────────────────────────────

export interface CancellationDecision {
  readonly subscription: SubscriptionRecord;
  readonly endsOn: string;
  readonly refundCents: number;
  readonly unusedDays: number;
  readonly daysInPeriod: number;
  /** The invoice whose charge is refunded (annual plans), when there is something to refund. */
  readonly refundedInvoice?: InvoiceRecord;
}

/**
 * Monthly: ends at the end of the period, nothing refunded. Annual: ends today, and the unused days
 * of what paid the current period are refunded to its charge.
 */
export function decideCancellation(
  tool: string,
  current: SubscriptionRecord,
  invoices: readonly InvoiceRecord[],
  today: string,
): CancellationDecision {
  refuseEnded(tool, current);
  const subscription = structuredClone(current);
  subscription.cancelled_on = today;
  if (current.billing_period === 'monthly') {
    subscription.cancel_at_period_end = true;
    subscription.ends_on = current.current_period_end;
    subscription.scheduled_plan = null;
    return {
      subscription,
      endsOn: current.current_period_end,
      refundCents: 0,
      unusedDays: unusedDays(current.current_period_end, today),
      daysInPeriod: daysInPeriod(current),
    };
  }
  const unused = unusedDays(current.current_period_end, today);
  const days = daysInPeriod(current);
  const paid = periodCharge(current, invoices);
  const refundCents = paid
    ? Math.min(prorate(paid.amount_cents, unused, days), paid.amount_cents - paid.refunded_cents)
    : 0;
  subscription.status = 'cancelled';
  subscription.ends_on = today;
  subscription.scheduled_plan = null;
  return {
    subscription,
    endsOn: today,
    refundCents,
    unusedDays: unused,
    daysInPeriod: days,
    ...(paid && refundCents > 0 ? { refundedInvoice: paid } : {}),
  };
}

/** The renewal that paid the current period (the first one, if it was charged twice). */
function periodCharge(
  subscription: SubscriptionRecord,
  invoices: readonly InvoiceRecord[],
): InvoiceRecord | undefined {
  return sortedInvoices(invoices).find(
    (invoice) =>
      invoice.subscription_id === subscription.subscription_id &&
      invoice.kind === 'renewal' &&
      invoice.period_start === subscription.current_period_start &&
      invoice.status !== 'refunded',
  );
}

// ───────────────────────────── pausing and resuming ─────────────────────────────

export interface PauseDecision {
  readonly subscription: SubscriptionRecord;
  readonly resumesOn: string;
}

/** Active monthly only, once in any 12 months; the paid days left are kept (the period moves back). */
export function decidePause(
  tool: string,
  current: SubscriptionRecord,
  months: number,
  today: string,
): PauseDecision {
  refuseEnded(tool, current);
  if (current.status === 'paused')
    throw refusal(
      tool,
      'not_active',
      `Subscription ${current.subscription_id} is already paused until ${current.resumes_on}`,
    );
  if (current.billing_period !== 'monthly')
    throw refusal(tool, 'not_monthly', 'Only monthly subscriptions can be paused');
  const last = current.last_pause_started_on;
  if (last !== null && daysBetween(last, today) < 365)
    throw refusal(
      tool,
      'paused_recently',
      `A pause started on ${last}; one pause is allowed in any 12 months`,
    );
  const resumesOn = addMonths(today, months);
  const subscription = structuredClone(current);
  subscription.status = 'paused';
  subscription.last_pause_started_on = today;
  subscription.resumes_on = resumesOn;
  subscription.current_period_end = addDays(current.current_period_end, daysBetween(today, resumesOn));
  return { subscription, resumesOn };
}

/** Resuming early gives back the pause days not used: the period moves forward by them. */
export function decideResume(tool: string, current: SubscriptionRecord, today: string): SubscriptionRecord {
  if (current.status !== 'paused' || current.resumes_on === null)
    throw refusal(tool, 'not_paused', `Subscription ${current.subscription_id} is not paused`);
  const unusedPause = Math.max(0, daysBetween(today, current.resumes_on));
  const subscription = structuredClone(current);
  subscription.status = 'active';
  subscription.resumes_on = null;
  subscription.current_period_end = addDays(current.current_period_end, -unusedPause);
  return subscription;
}

// ───────────────────────────── switching plan ─────────────────────────────

export interface PlanChangeDecision {
  readonly subscription: SubscriptionRecord;
  readonly change: 'upgrade' | 'downgrade';
  readonly effectiveOn: string;
  readonly chargeCents: number;
  readonly unusedDays: number;
  readonly daysInPeriod: number;
  readonly newPriceCents: number;
}

/**
 * An upgrade is immediate and charges the difference for the unused days; a downgrade waits for the
 * next renewal and charges nothing. Only active subscriptions that are not set to end.
 */
export function decidePlanChange(
  tool: string,
  current: SubscriptionRecord,
  plans: ReadonlyMap<Plan, PlanRecord>,
  newPlan: Plan,
  today: string,
): PlanChangeDecision {
  refuseEnded(tool, current);
  if (current.status !== 'active')
    throw refusal(
      tool,
      'not_active',
      `Subscription ${current.subscription_id} is ${current.status}; resume it first`,
    );
  if (newPlan === current.plan)
    throw refusal(tool, 'same_plan', `Subscription ${current.subscription_id} is already on ${newPlan}`);
  if (newPlan === current.scheduled_plan)
    throw refusal(
      tool,
      'already_scheduled',
      `The change to ${newPlan} is already scheduled for ${current.current_period_end}`,
    );
  const from = planOf(plans, current.plan);
  const to = planOf(plans, newPlan);
  const oldPrice = priceCents(from, current.billing_period);
  const newPrice = priceCents(to, current.billing_period);
  const unused = unusedDays(current.current_period_end, today);
  const days = daysInPeriod(current);
  const subscription = structuredClone(current);
  if (newPrice > oldPrice) {
    subscription.plan = newPlan;
    subscription.scheduled_plan = null;
    return {
      subscription,
      change: 'upgrade',
      effectiveOn: today,
      chargeCents: prorate(newPrice - oldPrice, unused, days),
      unusedDays: unused,
      daysInPeriod: days,
      newPriceCents: newPrice,
    };
  }
  subscription.scheduled_plan = newPlan;
  return {
    subscription,
    change: 'downgrade',
    effectiveOn: current.current_period_end,
    chargeCents: 0,
    unusedDays: unused,
    daysInPeriod: days,
    newPriceCents: newPrice,
  };
}

export function planOf(plans: ReadonlyMap<Plan, PlanRecord>, plan: Plan): PlanRecord {
  const record = plans.get(plan);
  if (!record) throw new Error(`Plan "${plan}" is missing from the plans table; seed the tenant's data`);
  return record;
}

// ───────────────────────────── charges that should not have been taken ─────────────────────────────

/**
 * A duplicate is a second charge for the same subscription and period as an earlier one that was not
 * refunded; a charge after cancellation was issued on or after the day a cancelled subscription ended.
 * `siblings` are the invoices of the same subscription.
 */
export function billingErrorOf(
  invoice: InvoiceRecord,
  siblings: readonly InvoiceRecord[],
  subscription: SubscriptionRecord | undefined,
): BillingError {
  if (
    subscription?.status === 'cancelled' &&
    subscription.ends_on !== null &&
    invoice.issued_on >= subscription.ends_on
  )
    return 'after cancellation';
  const earlier = sortedInvoices(siblings).filter(
    (other) =>
      other.invoice_id !== invoice.invoice_id &&
      other.kind === invoice.kind &&
      other.period_start === invoice.period_start &&
      other.status !== 'refunded' &&
      precedes(other, invoice),
  );
  return invoice.kind === 'renewal' && earlier.length > 0 ? 'duplicate' : 'none';
}

/** Issued first; on the same day, the lower invoice number first. */
function precedes(a: InvoiceRecord, b: InvoiceRecord): boolean {
  return a.issued_on < b.issued_on || (a.issued_on === b.issued_on && a.invoice_id < b.invoice_id);
}

export function sortedInvoices(invoices: readonly InvoiceRecord[]): InvoiceRecord[] {
  return [...invoices].sort((a, b) => (precedes(a, b) ? -1 : precedes(b, a) ? 1 : 0));
}

/** What a refund of `cents` makes of the invoice. */
export function withRefund(
  invoice: InvoiceRecord,
  cents: number,
  refund: {
    readonly refundId: string;
    readonly reason: 'cancellation' | Exclude<BillingError, 'none'>;
    readonly today: string;
  },
): InvoiceRecord {
  const refunded = invoice.refunded_cents + cents;
  const status: InvoiceStatus = refunded >= invoice.amount_cents ? 'refunded' : 'partially refunded';
  return {
    ...invoice,
    refunded_cents: refunded,
    status,
    refunds: [
      ...(invoice.refunds ?? []),
      { refund_id: refund.refundId, amount_cents: cents, reason: refund.reason, refunded_on: refund.today },
    ],
  };
}
