import { z } from 'zod';
import { defineTool, type ToolContext } from '../../../shared/tools/define-tool.ts';
import { isToolError } from '../../../shared/tools/errors.ts';
import {
  type HttpConnectorDeps,
  httpImplementation,
  tenantSecrets,
} from '../../../shared/tools/http-connector.ts';
import {
  type Charge,
  ChargeSchema,
  type CreateCharge,
  CreateChargeSchema,
  type CreateRefund,
  CreateRefundSchema,
  PAYMENTS_SECRET,
  PAYMENTS_URL_VARIABLE,
  type Refund,
  RefundSchema,
  STATUS,
} from '../payments/api.ts';
import { refusal } from './errors.ts';

/**
 * The payment provider, as the money-moving tools call it: three declared HTTP calls made with the
 * platform's HTTP connector (retries with backoff on 5xx, 429 and timeouts; the call's idempotency key
 * as `Idempotency-Key`; the bearer key from the tenant's secret). These are not catalogue tools: a
 * procedure never calls the provider directly, it calls a tool (cancel, switch plan, refund) that
 * decides the amount by the policy, moves the money here and records it in the tenant's tables.
 *
 * The base URL is read from the environment on every call, not at import: the platform sets it once
 * the provider's stand-in listens (tenant.ts `services`); in AWS the deployment sets it.
 */

const createRefund = defineTool({
  name: 'payments_create_refund',
  description: 'Refund part or all of a charge (POST /v1/refunds).',
  effect: 'write',
  input: CreateRefundSchema,
  output: RefundSchema,
  produces: 'refund',
  guards: { confirm: false },
});

const createCharge = defineTool({
  name: 'payments_create_charge',
  description: 'Charge a saved payment method (POST /v1/charges).',
  effect: 'write',
  input: CreateChargeSchema,
  output: ChargeSchema,
  produces: 'charge',
  guards: { confirm: false },
});

const getCharge = defineTool({
  name: 'payments_get_charge',
  description: 'Read a charge, with how much of it is refunded (GET /v1/charges/{id}).',
  effect: 'read',
  input: z.object({ id: z.string().describe('The charge id (ch_…).') }),
  output: ChargeSchema,
  produces: 'charge',
});

/** The provider's refusals as codes the tools turn into their own refusals. */
const ERRORS = {
  [STATUS.badRequest]: 'payment_refused',
  [STATUS.declined]: 'card_declined',
  [STATUS.notFound]: 'not_found',
  [STATUS.conflict]: 'payment_refused',
};

export interface PaymentsClient {
  /** Refunds `amount_cents` of a charge; the same idempotency key always gives the same refund. */
  refund(tool: string, input: CreateRefund, context: ToolContext): Promise<Refund>;
  /** Charges a saved payment method; the same idempotency key always gives the same charge. */
  charge(tool: string, input: CreateCharge, context: ToolContext): Promise<Charge>;
  getCharge(tool: string, id: string, context: ToolContext): Promise<Charge>;
}

export interface PaymentsClientOptions {
  /** Where the base URL is read from at each call. Default: the process environment. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The connector's dependencies (tests pass a fetch or a quicker backoff). Default: the tenant's secrets. */
  readonly deps?: HttpConnectorDeps;
}

export function createPaymentsClient({
  env = process.env,
  deps,
}: PaymentsClientOptions = {}): PaymentsClient {
  function baseUrl(): string {
    const url = env[PAYMENTS_URL_VARIABLE];
    if (url === undefined || url === '')
      throw new Error(
        `${PAYMENTS_URL_VARIABLE} is not set: the payment provider's base URL. Locally the platform sets it when it starts the tenant's "payments" service; in AWS, set it in the deployment.`,
      );
    return url.replace(/\/+$/, '');
  }

  /** One declared call; a refusal from the provider becomes the calling tool's refusal. */
  async function call<I, O>(
    tool: string,
    declaration: typeof createRefund | typeof createCharge | typeof getCharge,
    method: 'GET' | 'POST',
    path: string,
    input: I,
    context: ToolContext,
  ): Promise<O> {
    const implementation = httpImplementation(
      declaration,
      {
        method,
        url: `${baseUrl()}${path}`,
        auth: { secret: PAYMENTS_SECRET },
        timeoutMs: 5_000,
        retries: 2,
        errors: ERRORS,
      },
      { secrets: tenantSecrets(env), ...deps },
    );
    try {
      return (await implementation(input as never, context)) as O;
    } catch (error) {
      if (!isToolError(error)) throw error;
      // The provider said no (a declined card, more than is left to refund): an answer, not an outage.
      throw refusal(
        tool,
        error.code === 'card_declined' ? 'card_declined' : 'payment_refused',
        error.message,
      );
    }
  }

  return {
    refund: (tool, input, context) => call(tool, createRefund, 'POST', '/v1/refunds', input, context),
    charge: (tool, input, context) => call(tool, createCharge, 'POST', '/v1/charges', input, context),
    getCharge: (tool, id, context) => call(tool, getCharge, 'GET', '/v1/charges/{id}', { id }, context),
  };
}
