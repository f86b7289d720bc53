import { z } from 'zod';
import { catalogueOf, defineTool } from '../../../shared/tools/define-tool.ts';
import {
  BillingPeriodSchema,
  CancellationQuoteSchema,
  CancellationSchema,
  ChargeRefundSchema,
  CustomerIdSchema,
  CustomerSchema,
  InvoiceIdSchema,
  InvoiceSchema,
  PauseQuoteSchema,
  PaymentMethodIdSchema,
  PlanChangeQuoteSchema,
  PlanChangeSchema,
  PlanOfferSchema,
  PlanSchema,
  ResumeQuoteSchema,
  SubscriptionIdSchema,
  SubscriptionSchema,
  ZipSchema,
} from './schemas.ts';

/**
 * Tidewave's tools, declared for the compiler and the runtime. Reads look the customer's account up;
 * each change has a read that quotes it first (`preview_…`), so the customer confirms the exact amounts
 * and dates the write then applies. Writes that move money (`cancel_subscription` on an annual plan,
 * an upgrade, `refund_erroneous_charge`) call the payment provider (tools/payments.ts).
 */

const CUSTOMER_ID = "The customer id, such as 'cus_ava_lee_1042'.";
const SUBSCRIPTION_ID = "The subscription id, such as 'sub_0001'.";
const INVOICE_ID = "The invoice id, such as 'in_100101'.";

/** Everything about an account is the signed-in customer's own, or not shown. */
const ownsCustomer = {
  requires: ['authenticated'],
  owns: { arg: 'customer_id', resource: 'customer' },
} as const;
const ownsSubscription = {
  requires: ['authenticated'],
  owns: { arg: 'subscription_id', resource: 'subscription' },
} as const;
const ownsInvoice = {
  requires: ['authenticated'],
  owns: { arg: 'invoice_id', resource: 'invoice' },
} as const;

export const findCustomerIdByEmail = defineTool({
  name: 'find_customer_id_by_email',
  description: 'Find the customer id of the account with this email. Fails when there is none.',
  effect: 'read',
  input: z.object({
    email: z.email().describe("The email of the account, such as 'ava.lee@example.com'."),
  }),
  output: CustomerIdSchema,
  produces: 'customer_id',
  establishes: ['authenticated'],
});

export const findCustomerIdByNameZip = defineTool({
  name: 'find_customer_id_by_name_zip',
  description:
    'Find the customer id by first name, last name and zip code, for a customer who does not remember the email of the account. Fails when there is none.',
  effect: 'read',
  input: z.object({
    first_name: z.string().describe("The customer's first name, such as 'Ava'."),
    last_name: z.string().describe("The customer's last name, such as 'Lee'."),
    zip: ZipSchema.describe("The zip code of the account, such as '94110'."),
  }),
  output: CustomerIdSchema,
  produces: 'customer_id',
  establishes: ['authenticated'],
});

export const getCustomerDetails = defineTool({
  name: 'get_customer_details',
  description:
    "Get the customer's account: name, email, saved payment methods, subscriptions, invoices, and the charges that should not have been taken (billing errors).",
  effect: 'read',
  input: z.object({ customer_id: CustomerIdSchema.describe(CUSTOMER_ID) }),
  output: CustomerSchema,
  produces: 'customer',
  guards: ownsCustomer,
});

export const getSubscriptionDetails = defineTool({
  name: 'get_subscription_details',
  description:
    'Get a subscription: plan, billing period, price, status, current period, next bill, payment method, any scheduled plan change, pause or cancellation.',
  effect: 'read',
  input: z.object({ subscription_id: SubscriptionIdSchema.describe(SUBSCRIPTION_ID) }),
  output: SubscriptionSchema,
  produces: 'subscription',
  guards: ownsSubscription,
});

export const getInvoiceDetails = defineTool({
  name: 'get_invoice_details',
  description:
    'Get an invoice: amount, date, period paid for, payment method, how much is refunded, and whether it should not have been taken (a duplicate, or after a cancellation).',
  effect: 'read',
  input: z.object({ invoice_id: InvoiceIdSchema.describe(INVOICE_ID) }),
  output: InvoiceSchema,
  produces: 'invoice',
  guards: ownsInvoice,
});

export const listPlans = defineTool({
  name: 'list_plans',
  description: 'List the plans with their price for a billing period and what each gives.',
  effect: 'read',
  input: z.object({
    billing_period: BillingPeriodSchema.describe(
      "The billing period the prices are for: 'monthly' or 'annual'.",
    ),
  }),
  output: z.array(PlanOfferSchema),
  produces: 'plans',
});

export const previewCancellation = defineTool({
  name: 'preview_cancellation',
  description:
    'Say what cancelling a subscription today would do, without doing it: when it ends and, for an annual plan, the pro-rata refund and where it goes.',
  effect: 'read',
  input: z.object({ subscription_id: SubscriptionIdSchema.describe(SUBSCRIPTION_ID) }),
  output: CancellationQuoteSchema,
  produces: 'cancellation_quote',
  guards: ownsSubscription,
});

export const cancelSubscription = defineTool({
  name: 'cancel_subscription',
  description:
    'Cancel a subscription. Monthly: it ends at the end of the current period, nothing refunded. Annual: it ends today and the unused days are refunded to the charge that paid the period. Explain the details and get an explicit yes first.',
  effect: 'write',
  input: z.object({ subscription_id: SubscriptionIdSchema.describe(SUBSCRIPTION_ID) }),
  output: CancellationSchema,
  produces: 'cancellation',
  guards: ownsSubscription,
});

const MONTHS = z.int().min(1).max(3).describe('How many months to pause for: 1, 2 or 3.');

export const previewPause = defineTool({
  name: 'preview_pause',
  description:
    'Say what pausing a subscription for some months would do, without doing it: when it resumes and the next bill.',
  effect: 'read',
  input: z.object({ subscription_id: SubscriptionIdSchema.describe(SUBSCRIPTION_ID), months: MONTHS }),
  output: PauseQuoteSchema,
  produces: 'pause_quote',
  guards: ownsSubscription,
});

export const pauseSubscription = defineTool({
  name: 'pause_subscription',
  description:
    'Pause an active monthly subscription for 1 to 3 months, from today; at most one pause in any 12 months. The paid days left are kept. Explain the details and get an explicit yes first.',
  effect: 'write',
  input: z.object({ subscription_id: SubscriptionIdSchema.describe(SUBSCRIPTION_ID), months: MONTHS }),
  output: SubscriptionSchema,
  produces: 'subscription',
  guards: ownsSubscription,
});

export const previewResume = defineTool({
  name: 'preview_resume',
  description:
    'Say what resuming a paused subscription today would do, without doing it: the pause days given back and the next bill.',
  effect: 'read',
  input: z.object({ subscription_id: SubscriptionIdSchema.describe(SUBSCRIPTION_ID) }),
  output: ResumeQuoteSchema,
  produces: 'resume_quote',
  guards: ownsSubscription,
});

export const resumeSubscription = defineTool({
  name: 'resume_subscription',
  description:
    'Resume a paused subscription today; the pause days not used are given back. Explain the details and get an explicit yes first.',
  effect: 'write',
  input: z.object({ subscription_id: SubscriptionIdSchema.describe(SUBSCRIPTION_ID) }),
  output: SubscriptionSchema,
  produces: 'subscription',
  guards: ownsSubscription,
});

const NEW_PLAN = PlanSchema.describe("The plan to switch to: 'basic', 'standard' or 'premium'.");

export const previewPlanChange = defineTool({
  name: 'preview_plan_change',
  description:
    'Say what switching a subscription to another plan would do, without doing it: upgrade now with a proration charge, or downgrade at the next renewal.',
  effect: 'read',
  input: z.object({ subscription_id: SubscriptionIdSchema.describe(SUBSCRIPTION_ID), new_plan: NEW_PLAN }),
  output: PlanChangeQuoteSchema,
  produces: 'plan_change_quote',
  guards: ownsSubscription,
});

export const changeSubscriptionPlan = defineTool({
  name: 'change_subscription_plan',
  description:
    "Switch a subscription's plan. An upgrade is immediate and the difference for the rest of the period is charged to the subscription's payment method; a downgrade takes effect at the next renewal. Explain the details and get an explicit yes first.",
  effect: 'write',
  input: z.object({ subscription_id: SubscriptionIdSchema.describe(SUBSCRIPTION_ID), new_plan: NEW_PLAN }),
  output: PlanChangeSchema,
  produces: 'plan_change',
  guards: ownsSubscription,
});

export const updateSubscriptionPaymentMethod = defineTool({
  name: 'update_subscription_payment_method',
  description:
    'Charge a subscription to another payment method the customer has saved, from the next charge on. Explain the details and get an explicit yes first.',
  effect: 'write',
  input: z.object({
    subscription_id: SubscriptionIdSchema.describe(SUBSCRIPTION_ID),
    payment_method_id: PaymentMethodIdSchema.describe(
      "The saved payment method to charge from now on, such as 'pm_1042_2'. Look it up in the customer's details.",
    ),
  }),
  output: SubscriptionSchema,
  produces: 'subscription',
  guards: ownsSubscription,
});

export const refundErroneousCharge = defineTool({
  name: 'refund_erroneous_charge',
  description:
    'Refund in full a charge that should not have been taken: a duplicate charge for a period already paid, or a charge after the subscription ended. Refuses any other charge. Explain the details and get an explicit yes first.',
  effect: 'write',
  input: z.object({ invoice_id: InvoiceIdSchema.describe(INVOICE_ID) }),
  output: ChargeRefundSchema,
  produces: 'refund',
  guards: ownsInvoice,
});

/** Changes no data: the runtime hands the conversation over on `handoff`; no guard may stand in the way. */
export const transferToHumanAgents = defineTool({
  name: 'transfer_to_human_agents',
  description:
    "Transfer the customer to a person, with a summary of the customer's issue. Only when the customer asks for one, or the request is outside the policy.",
  effect: 'read',
  input: z.object({ summary: z.string().describe("A summary of the customer's issue.") }),
  output: z.literal('Transfer successful'),
  produces: 'handoff',
});

export const subscriptionTools = [
  findCustomerIdByEmail,
  findCustomerIdByNameZip,
  getCustomerDetails,
  getSubscriptionDetails,
  getInvoiceDetails,
  listPlans,
  previewCancellation,
  cancelSubscription,
  previewPause,
  pauseSubscription,
  previewResume,
  resumeSubscription,
  previewPlanChange,
  changeSubscriptionPlan,
  updateSubscriptionPaymentMethod,
  refundErroneousCharge,
  transferToHumanAgents,
] as const;

export const subscriptionCatalogue = catalogueOf(subscriptionTools);
