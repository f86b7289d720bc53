import type { DynamoDBClient, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { dateWords, moneyWords } from '../../../shared/engine/words.ts';
import {
  implementTool,
  type ToolContext,
  type ToolImplementation,
} from '../../../shared/tools/define-tool.ts';
import { isToolError } from '../../../shared/tools/errors.ts';
import { createIdempotentWrite, createRecordedCalls } from '../../../shared/tools/idempotent-write.ts';
import {
  billingErrorOf,
  dayOf,
  daysBetween,
  decideCancellation,
  decidePause,
  decidePlanChange,
  decideResume,
  planOf,
  priceCents,
  sortedInvoices,
  withRefund,
} from './billing.ts';
import { TIDEWAVE_NOW } from './clock.ts';
import * as declared from './declarations.ts';
import { refusal } from './errors.ts';
import { createPaymentsClient, type PaymentsClient } from './payments.ts';
import {
  type BillingError,
  type Customer,
  type CustomerRecord,
  dollars,
  type Invoice,
  type InvoiceRecord,
  type PaymentMethod,
  type Plan,
  type PlanOffer,
  type PlanRecord,
  type Subscription,
  type SubscriptionRecord,
} from './schemas.ts';
import { createSubscriptionStore, type Versioned } from './store.ts';

type Declared = typeof declared;

/** One implementation per declared tool, keyed by tool name. */
export interface SubscriptionToolImplementations {
  readonly find_customer_id_by_email: ToolImplementation<Declared['findCustomerIdByEmail']>;
  readonly find_customer_id_by_name_zip: ToolImplementation<Declared['findCustomerIdByNameZip']>;
  readonly get_customer_details: ToolImplementation<Declared['getCustomerDetails']>;
  readonly get_subscription_details: ToolImplementation<Declared['getSubscriptionDetails']>;
  readonly get_invoice_details: ToolImplementation<Declared['getInvoiceDetails']>;
  readonly list_plans: ToolImplementation<Declared['listPlans']>;
  readonly preview_cancellation: ToolImplementation<Declared['previewCancellation']>;
  readonly cancel_subscription: ToolImplementation<Declared['cancelSubscription']>;
  readonly preview_pause: ToolImplementation<Declared['previewPause']>;
  readonly pause_subscription: ToolImplementation<Declared['pauseSubscription']>;
  readonly preview_resume: ToolImplementation<Declared['previewResume']>;
  readonly resume_subscription: ToolImplementation<Declared['resumeSubscription']>;
  readonly preview_plan_change: ToolImplementation<Declared['previewPlanChange']>;
  readonly change_subscription_plan: ToolImplementation<Declared['changeSubscriptionPlan']>;
  readonly update_subscription_payment_method: ToolImplementation<
    Declared['updateSubscriptionPaymentMethod']
  >;
  readonly refund_erroneous_charge: ToolImplementation<Declared['refundErroneousCharge']>;
  readonly transfer_to_human_agents: ToolImplementation<Declared['transferToHumanAgents']>;
}

/** The kinds of resource the declarations' `owns` guards name. */
export type SubscriptionResource = 'customer' | 'subscription' | 'invoice';

export interface SubscriptionTools extends SubscriptionToolImplementations {
  /** The customer who owns the resource, or undefined when it does not exist: the ownership guard. */
  readonly ownerOf: (resource: SubscriptionResource, id: string) => Promise<string | undefined>;
  /** What a write call would refund, in dollars, decided without writing: the runner's refund cap. */
  readonly refundOf: (tool: string, input: unknown) => Promise<number | undefined>;
  /** Whether a write call was made, from its tool-call item (crash recovery). */
  readonly recordedCall: ReturnType<typeof createRecordedCalls>;
}

export interface SubscriptionToolsOptions {
  readonly client: DynamoDBClient;
  /** Prefix of the tenant's table names (`subscriptionTableNames`). */
  readonly tablePrefix: string;
  /** The instant "today" is taken from. Default: the tenant's clock (tools/clock.ts). */
  readonly now?: () => Date;
  /** The payment provider. Default: the HTTP client of tools/payments.ts. */
  readonly payments?: PaymentsClient;
  /** Plans tried when concurrent writes keep winning the race for the same records. Default: 5. */
  readonly maxWriteAttempts?: number;
}

export function createSubscriptionTools({
  client,
  tablePrefix,
  now = () => new Date(TIDEWAVE_NOW),
  payments = createPaymentsClient(),
  maxWriteAttempts = 5,
}: SubscriptionToolsOptions): SubscriptionTools {
  const store = createSubscriptionStore(client, tablePrefix);
  const idempotentWrite = createIdempotentWrite({
    client,
    table: store.tables.toolCalls,
    maxAttempts: maxWriteAttempts,
  });
  const today = () => dayOf(now());

  async function customerOrRefuse(tool: string, customerId: string): Promise<CustomerRecord> {
    const customer = await store.getCustomer(customerId);
    if (!customer) throw refusal(tool, 'customer_not_found', 'Customer not found');
    return customer;
  }

  async function subscriptionOrRefuse(
    tool: string,
    subscriptionId: string,
  ): Promise<Versioned<SubscriptionRecord>> {
    const subscription = await store.getSubscription(subscriptionId);
    if (!subscription) throw refusal(tool, 'subscription_not_found', 'Subscription not found');
    return subscription;
  }

  async function invoiceOrRefuse(tool: string, invoiceId: string): Promise<Versioned<InvoiceRecord>> {
    const invoice = await store.getInvoice(invoiceId);
    if (!invoice) throw refusal(tool, 'invoice_not_found', 'Invoice not found');
    return invoice;
  }

  /** The subscription as a tool returns it, with its price, next bill and payment method. */
  async function subscriptionView(record: SubscriptionRecord): Promise<Subscription> {
    const [customer, plans] = await Promise.all([store.getCustomer(record.customer_id), store.plans()]);
    const plan = planOf(plans, record.plan);
    const ending = record.status === 'cancelled' || record.cancel_at_period_end;
    const nextPlan = planOf(plans, record.scheduled_plan ?? record.plan);
    const { last_pause_started_on, ...rest } = record;
    return {
      ...rest,
      last_paused_at: last_pause_started_on === null ? null : `${last_pause_started_on}T00:00:00Z`,
      plan_name: plan.name,
      scheduled_plan_name: record.scheduled_plan ? planOf(plans, record.scheduled_plan).name : null,
      price: dollars(priceCents(plan, record.billing_period)),
      next_bill_date: ending ? null : record.current_period_end,
      next_bill_amount: ending ? null : dollars(priceCents(nextPlan, record.billing_period)),
      payment_method: methodOf(customer, record.payment_method_id),
    };
  }

  async function invoiceView(record: InvoiceRecord): Promise<Invoice> {
    const [customer, plans, subscription, siblings] = await Promise.all([
      store.getCustomer(record.customer_id),
      store.plans(),
      store.getSubscription(record.subscription_id),
      store.invoicesOfSubscription(record.subscription_id),
    ]);
    return {
      invoice_id: record.invoice_id,
      subscription_id: record.subscription_id,
      customer_id: record.customer_id,
      kind: record.kind,
      plan_name: planOf(plans, record.plan).name,
      billing_period: record.billing_period,
      amount: dollars(record.amount_cents),
      refunded_amount: dollars(record.refunded_cents),
      refundable_amount: dollars(record.amount_cents - record.refunded_cents),
      status: record.status,
      issued_on: record.issued_on,
      period_start: record.period_start,
      period_end: record.period_end,
      billing_error: billingErrorOf(
        record,
        siblings.map((entry) => entry.record),
        subscription?.record,
      ),
      charge_id: record.charge_id,
      payment_method: methodOf(customer, record.payment_method_id),
    };
  }

  async function customerView(record: CustomerRecord): Promise<Customer> {
    const [subscriptions, invoices, plans] = await Promise.all([
      store.subscriptionsOf(record.customer_id),
      store.invoicesOfCustomer(record.customer_id),
      store.plans(),
    ]);
    const ordered = sortedInvoices(invoices);
    const subscriptionOf = new Map(subscriptions.map((entry) => [entry.subscription_id, entry]));
    const errors = ordered.flatMap((invoice) => {
      const error = billingErrorOf(
        invoice,
        ordered.filter((other) => other.subscription_id === invoice.subscription_id),
        subscriptionOf.get(invoice.subscription_id),
      );
      // Only what is left to refund is an error still to put right.
      return error === 'none' || invoice.refunded_cents >= invoice.amount_cents
        ? []
        : [
            {
              invoice_id: invoice.invoice_id,
              description: invoiceWords(invoice, plans),
              problem: PROBLEMS[error],
            },
          ];
    });
    return {
      ...record,
      subscriptions: [...subscriptions]
        .sort((a, b) => a.started_on.localeCompare(b.started_on))
        .map(({ subscription_id, plan, billing_period, status }) => ({
          subscription_id,
          plan,
          plan_name: planOf(plans, plan).name,
          billing_period,
          status,
        })),
      invoices: ordered.map((invoice) => ({
        invoice_id: invoice.invoice_id,
        description: invoiceWords(invoice, plans),
        status: invoice.status,
      })),
      billing_errors: errors,
    };
  }

  /** Subscription writes: read, decide (billing.ts), commit with the version read. */
  function writeSubscription(
    tool: string,
    input: { subscription_id: string },
    context: ToolContext,
    decide: (subscription: SubscriptionRecord) => SubscriptionRecord,
  ): Promise<Subscription> {
    return idempotentWrite(tool, input, context, async () => {
      const read = await subscriptionOrRefuse(tool, input.subscription_id);
      const changed = decide(read.record);
      return { output: await subscriptionView(changed), writes: [store.putSubscription(changed, read)] };
    });
  }

  async function quoteCancellation(tool: string, subscriptionId: string) {
    const subscription = await subscriptionOrRefuse(tool, subscriptionId);
    const invoices = await store.invoicesOfSubscription(subscriptionId);
    const decision = decideCancellation(
      tool,
      subscription.record,
      invoices.map((entry) => entry.record),
      today(),
    );
    return { subscription, invoices, decision };
  }

  /** What an erroneous charge's refund would be: the error, and what is left of the charge. */
  async function erroneousCharge(tool: string, invoiceId: string) {
    const invoice = await invoiceOrRefuse(tool, invoiceId);
    const [subscription, siblings] = await Promise.all([
      store.getSubscription(invoice.record.subscription_id),
      store.invoicesOfSubscription(invoice.record.subscription_id),
    ]);
    const error = billingErrorOf(
      invoice.record,
      siblings.map((entry) => entry.record),
      subscription?.record,
    );
    if (error === 'none')
      throw refusal(
        tool,
        'no_billing_error',
        `Invoice ${invoiceId} is neither a duplicate nor a charge after cancellation; a person reviews other disputes`,
      );
    const left = invoice.record.amount_cents - invoice.record.refunded_cents;
    if (left <= 0) throw refusal(tool, 'already_refunded', `Invoice ${invoiceId} is already refunded`);
    return { invoice, error, left };
  }

  const tools: SubscriptionToolImplementations = {
    find_customer_id_by_email: implementTool(declared.findCustomerIdByEmail, async ({ email }) => {
      const [customerId] = await store.customerIdsByEmail(email);
      if (customerId === undefined)
        throw refusal(declared.findCustomerIdByEmail.name, 'customer_not_found', 'Customer not found');
      return customerId;
    }),

    find_customer_id_by_name_zip: implementTool(
      declared.findCustomerIdByNameZip,
      async ({ first_name, last_name, zip }) => {
        const [customerId] = await store.customerIdsByNameZip(first_name, last_name, zip);
        if (customerId === undefined)
          throw refusal(declared.findCustomerIdByNameZip.name, 'customer_not_found', 'Customer not found');
        return customerId;
      },
    ),

    get_customer_details: implementTool(declared.getCustomerDetails, async ({ customer_id }) =>
      customerView(await customerOrRefuse(declared.getCustomerDetails.name, customer_id)),
    ),

    get_subscription_details: implementTool(declared.getSubscriptionDetails, async ({ subscription_id }) =>
      subscriptionView(
        (await subscriptionOrRefuse(declared.getSubscriptionDetails.name, subscription_id)).record,
      ),
    ),

    get_invoice_details: implementTool(declared.getInvoiceDetails, async ({ invoice_id }) =>
      invoiceView((await invoiceOrRefuse(declared.getInvoiceDetails.name, invoice_id)).record),
    ),

    list_plans: implementTool(declared.listPlans, async ({ billing_period }) => {
      const plans = [...(await store.plans()).values()].sort(
        (a, b) => priceCents(a, billing_period) - priceCents(b, billing_period),
      );
      return plans.map((plan): PlanOffer => planOffer(plan, priceCents(plan, billing_period)));
    }),

    preview_cancellation: implementTool(declared.previewCancellation, async ({ subscription_id }) => {
      const { subscription, decision } = await quoteCancellation(
        declared.previewCancellation.name,
        subscription_id,
      );
      const customer = await store.getCustomer(subscription.record.customer_id);
      return {
        subscription_id,
        effective: subscription.record.billing_period === 'monthly' ? 'at the end of the period' : 'today',
        ends_on: decision.endsOn,
        refund_amount: dollars(decision.refundCents),
        unused_days: decision.unusedDays,
        days_in_period: decision.daysInPeriod,
        refund_to: decision.refundedInvoice
          ? methodOf(customer, decision.refundedInvoice.payment_method_id)
          : null,
      };
    }),

    cancel_subscription: implementTool(declared.cancelSubscription, (input, context) => {
      const tool = declared.cancelSubscription.name;
      return idempotentWrite(tool, input, context, async () => {
        const { subscription, invoices, decision } = await quoteCancellation(tool, input.subscription_id);
        const writes: TransactWriteItem[] = [store.putSubscription(decision.subscription, subscription)];
        const paid = decision.refundedInvoice;
        let refundId: string | null = null;
        let refundedTo: PaymentMethod | null = null;
        if (paid) {
          // The provider refunds once per idempotency key: a retried call gets this same refund back.
          const refund = await payments.refund(
            tool,
            { charge: paid.charge_id, amount_cents: decision.refundCents },
            context,
          );
          refundId = refund.id;
          const read = invoices.find((entry) => entry.record.invoice_id === paid.invoice_id)!;
          writes.push(
            store.putInvoice(
              withRefund(paid, refund.amount_cents, { refundId, reason: 'cancellation', today: today() }),
              read,
            ),
          );
          refundedTo = methodOf(await store.getCustomer(paid.customer_id), paid.payment_method_id);
        }
        return {
          output: {
            subscription_id: input.subscription_id,
            status: decision.subscription.status,
            ends_on: decision.endsOn,
            refund_amount: dollars(decision.refundCents),
            refund_id: refundId,
            refunded_to: refundedTo,
          },
          writes,
        };
      });
    }),

    preview_pause: implementTool(declared.previewPause, async ({ subscription_id, months }) => {
      const tool = declared.previewPause.name;
      const subscription = await subscriptionOrRefuse(tool, subscription_id);
      const decision = decidePause(tool, subscription.record, months, today());
      return {
        subscription_id,
        months,
        resumes_on: decision.resumesOn,
        next_bill_date: decision.subscription.current_period_end,
      };
    }),

    pause_subscription: implementTool(declared.pauseSubscription, (input, context) =>
      writeSubscription(
        declared.pauseSubscription.name,
        input,
        context,
        (subscription) =>
          decidePause(declared.pauseSubscription.name, subscription, input.months, today()).subscription,
      ),
    ),

    preview_resume: implementTool(declared.previewResume, async ({ subscription_id }) => {
      const tool = declared.previewResume.name;
      const subscription = await subscriptionOrRefuse(tool, subscription_id);
      const resumed = decideResume(tool, subscription.record, today());
      return {
        subscription_id,
        unused_pause_days: daysBetween(resumed.current_period_end, subscription.record.current_period_end),
        next_bill_date: resumed.current_period_end,
      };
    }),

    resume_subscription: implementTool(declared.resumeSubscription, (input, context) =>
      writeSubscription(declared.resumeSubscription.name, input, context, (subscription) =>
        decideResume(declared.resumeSubscription.name, subscription, today()),
      ),
    ),

    preview_plan_change: implementTool(declared.previewPlanChange, async ({ subscription_id, new_plan }) => {
      const tool = declared.previewPlanChange.name;
      const subscription = await subscriptionOrRefuse(tool, subscription_id);
      const [plans, customer] = await Promise.all([
        store.plans(),
        store.getCustomer(subscription.record.customer_id),
      ]);
      const decision = decidePlanChange(tool, subscription.record, plans, new_plan, today());
      return {
        subscription_id,
        current_plan: subscription.record.plan,
        new_plan,
        new_plan_name: planOf(plans, new_plan).name,
        change: decision.change,
        effective_on: decision.effectiveOn,
        charge_amount: dollars(decision.chargeCents),
        unused_days: decision.unusedDays,
        days_in_period: decision.daysInPeriod,
        new_price: dollars(decision.newPriceCents),
        charge_to: methodOf(customer, subscription.record.payment_method_id),
      };
    }),

    change_subscription_plan: implementTool(declared.changeSubscriptionPlan, (input, context) => {
      const tool = declared.changeSubscriptionPlan.name;
      return idempotentWrite(tool, input, context, async () => {
        const subscription = await subscriptionOrRefuse(tool, input.subscription_id);
        const plans = await store.plans();
        const day = today();
        const decision = decidePlanChange(tool, subscription.record, plans, input.new_plan, day);
        const writes: TransactWriteItem[] = [store.putSubscription(decision.subscription, subscription)];
        let invoiceId: string | null = null;
        if (decision.chargeCents > 0) {
          const record = subscription.record;
          const name = planOf(plans, input.new_plan).name;
          // Declined (an expired card): the refusal propagates and nothing is written.
          const charge = await payments.charge(
            tool,
            {
              customer: record.customer_id,
              payment_method: record.payment_method_id,
              amount_cents: decision.chargeCents,
              description: `Tidewave upgrade to ${name} (${record.billing_period}), ${day} to ${record.current_period_end}`,
            },
            context,
          );
          const prorations = (await store.invoicesOfSubscription(record.subscription_id)).filter(
            (entry) => entry.record.kind === 'proration',
          ).length;
          invoiceId = prorationInvoiceId(record.subscription_id, prorations);
          writes.push(
            store.addInvoice({
              invoice_id: invoiceId,
              customer_id: record.customer_id,
              subscription_id: record.subscription_id,
              kind: 'proration',
              plan: input.new_plan,
              billing_period: record.billing_period,
              amount_cents: charge.amount_cents,
              refunded_cents: 0,
              status: 'paid',
              charge_id: charge.id,
              issued_on: day,
              period_start: day,
              period_end: record.current_period_end,
              payment_method_id: record.payment_method_id,
            }),
          );
        }
        return {
          output: {
            subscription_id: input.subscription_id,
            plan: input.new_plan,
            change: decision.change,
            effective_on: decision.effectiveOn,
            charged_amount: dollars(decision.chargeCents),
            invoice_id: invoiceId,
          },
          writes,
        };
      });
    }),

    update_subscription_payment_method: implementTool(
      declared.updateSubscriptionPaymentMethod,
      async (input, context) => {
        const tool = declared.updateSubscriptionPaymentMethod.name;
        return idempotentWrite(tool, input, context, async () => {
          const read = await subscriptionOrRefuse(tool, input.subscription_id);
          const customer = await customerOrRefuse(tool, read.record.customer_id);
          if (!customer.payment_methods.some((method) => method.id === input.payment_method_id))
            throw refusal(
              tool,
              'payment_method_not_found',
              'That payment method is not saved on the account',
            );
          if (read.record.status === 'cancelled')
            throw refusal(tool, 'already_cancelled', `Subscription ${input.subscription_id} is cancelled`);
          if (read.record.payment_method_id === input.payment_method_id)
            throw refusal(tool, 'same_payment_method', 'The subscription already uses that payment method');
          const changed = { ...read.record, payment_method_id: input.payment_method_id };
          return { output: await subscriptionView(changed), writes: [store.putSubscription(changed, read)] };
        });
      },
    ),

    refund_erroneous_charge: implementTool(declared.refundErroneousCharge, (input, context) => {
      const tool = declared.refundErroneousCharge.name;
      return idempotentWrite(tool, input, context, async () => {
        const { invoice, error, left } = await erroneousCharge(tool, input.invoice_id);
        // The provider is the authority on what is left of the charge; refund no more than it says.
        const charge = await payments.getCharge(tool, invoice.record.charge_id, context);
        const amount = Math.min(left, charge.amount_cents - charge.amount_refunded_cents);
        if (amount <= 0) throw refusal(tool, 'already_refunded', `Charge ${charge.id} is already refunded`);
        const refund = await payments.refund(tool, { charge: charge.id, amount_cents: amount }, context);
        const customer = await store.getCustomer(invoice.record.customer_id);
        return {
          output: {
            invoice_id: input.invoice_id,
            refund_id: refund.id,
            amount: dollars(refund.amount_cents),
            refunded_to: methodOf(customer, invoice.record.payment_method_id),
          },
          writes: [
            store.putInvoice(
              withRefund(invoice.record, refund.amount_cents, {
                refundId: refund.id,
                reason: error,
                today: today(),
              }),
              invoice,
            ),
          ],
        };
      });
    }),

    transfer_to_human_agents: implementTool(
      declared.transferToHumanAgents,
      async () => 'Transfer successful' as const,
    ),
  };

  return {
    ...tools,
    recordedCall: createRecordedCalls({ client, table: store.tables.toolCalls }),
    async ownerOf(resource, id) {
      if (resource === 'customer') return (await store.getCustomer(id)) ? id : undefined;
      if (resource === 'subscription') return (await store.getSubscription(id))?.record.customer_id;
      return (await store.getInvoice(id))?.record.customer_id;
    },
    async refundOf(tool, raw) {
      try {
        if (tool === declared.cancelSubscription.name) {
          const parsed = declared.cancelSubscription.input.safeParse(raw);
          if (!parsed.success) return undefined;
          const { decision } = await quoteCancellation(tool, parsed.data.subscription_id);
          return decision.refundCents > 0 ? dollars(decision.refundCents) : undefined;
        }
        if (tool === declared.refundErroneousCharge.name) {
          const parsed = declared.refundErroneousCharge.input.safeParse(raw);
          if (!parsed.success) return undefined;
          return dollars((await erroneousCharge(tool, parsed.data.invoice_id)).left);
        }
      } catch (error) {
        // The call would be refused: it refunds nothing, and the call itself says why.
        if (isToolError(error)) return undefined;
        throw error;
      }
      return undefined;
    },
  };
}

const PROBLEMS: Readonly<Record<Exclude<BillingError, 'none'>, string>> = {
  duplicate: 'charged twice for the same period',
  'after cancellation': 'charged after the subscription ended',
};

/** "$15.49 on 5 March 2026 for Standard monthly", "$4.35 on 15 March 2026 for the upgrade to Premium". */
function invoiceWords(invoice: InvoiceRecord, plans: ReadonlyMap<Plan, PlanRecord>): string {
  const name = planOf(plans, invoice.plan).name;
  const what = invoice.kind === 'proration' ? `the upgrade to ${name}` : `${name} ${invoice.billing_period}`;
  return `${moneyWords(dollars(invoice.amount_cents))} on ${dateWords(invoice.issued_on)} for ${what}`;
}

function planOffer(plan: PlanRecord, cents: number): PlanOffer {
  return {
    id: plan.plan_id,
    name: plan.name,
    price: dollars(cents),
    features: {
      'at once': plan.screens === 1 ? '1 screen at once' : `${plan.screens} screens at once`,
      downloads: plan.downloads ? 'offline downloads' : 'no downloads',
      video: `${plan.video_quality} video`,
    },
  };
}

/**
 * `in_9` + the subscription's number + which proration of it this is (`in_900011`: the first upgrade of
 * sub_0001): above every seeded invoice number (in_1…), and the same on a re-plan of the same call. Two
 * upgrades racing for one number are told apart by the put's condition (the id must be new).
 */
function prorationInvoiceId(subscriptionId: string, earlierProrations: number): string {
  return `in_9${subscriptionId.slice(-4)}${(earlierProrations + 1) % 10}`;
}

function methodOf(customer: CustomerRecord | undefined, id: string): PaymentMethod {
  const method = customer?.payment_methods.find((candidate) => candidate.id === id);
  if (!method)
    throw new Error(
      `Payment method ${id} is not on the account of ${customer?.customer_id ?? 'its customer'}`,
    );
  return method;
}
