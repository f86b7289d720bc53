import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { secretVariable } from '../../../shared/tools/http-connector.ts';
import { TIDEWAVE_NOW } from '../tools/clock.ts';
import { SubscriptionsDbSchema } from '../tools/schemas.ts';
import {
  type Charge,
  CreateChargeSchema,
  CreateRefundSchema,
  PAYMENTS_SECRET,
  type Refund,
  STATUS,
} from './api.ts';

/**
 * The local stand-in of Tidewave's payment provider: a small Stripe-shaped REST server (node:http only,
 * state in memory) that the platform starts for the tenant (tenant.ts `services`). It knows the charges
 * of data/db.json's invoices and the customers' saved payment methods, and it behaves as the real one
 * does where the tools depend on it:
 *
 * - every request needs `Authorization: Bearer <key>` (the `payments-api-key` secret; 401 otherwise);
 * - every POST needs an `Idempotency-Key`: the same key with the same body returns the first answer
 *   again, whatever happened since; with another body it is refused (400 `idempotency_key_reused`);
 * - a refund cannot exceed what is left of its charge (400 `amount_too_large`); a charge on an expired
 *   card is declined (402 `expired_card`).
 *
 * Protocol (docs/tenants.md): run with tsx, `PORT` in the environment (0: any free port), listens on
 * 127.0.0.1, prints one line `{"url":"http://127.0.0.1:<port>"}` once it does, stops on SIGTERM.
 */

interface SavedMethod {
  readonly customer: string;
  /** A card past its expiry month (against the tenant's clock); PayPal never expires. */
  readonly expired: boolean;
}

interface StoredAnswer {
  readonly fingerprint: string;
  readonly status: number;
  readonly body: unknown;
}

export interface PaymentsState {
  readonly charges: Map<string, Charge>;
  readonly methods: Map<string, SavedMethod>;
  /** Refunds by id, for the record (what a dashboard would list). */
  readonly refunds: Map<string, Refund>;
  /** The first answer to each idempotency key. */
  readonly answers: Map<string, StoredAnswer>;
}

/** The provider's state as data/db.json implies it: one charge per invoice, one method per saved one. */
export function seededState(dbPath = join(import.meta.dirname, '../data/db.json')): PaymentsState {
  const db = SubscriptionsDbSchema.parse(JSON.parse(readFileSync(dbPath, 'utf8')));
  const now = new Date(TIDEWAVE_NOW);
  const thisMonth = now.getUTCFullYear() * 12 + now.getUTCMonth();
  const charges = new Map<string, Charge>();
  for (const invoice of Object.values(db.invoices)) {
    charges.set(invoice.charge_id, {
      id: invoice.charge_id,
      object: 'charge',
      amount_cents: invoice.amount_cents,
      amount_refunded_cents: invoice.refunded_cents,
      currency: 'usd',
      customer: invoice.customer_id,
      payment_method: invoice.payment_method_id,
      description: `Tidewave ${invoice.plan} ${invoice.billing_period}, ${invoice.period_start} to ${invoice.period_end}`,
      status: 'succeeded',
      refunded: invoice.refunded_cents >= invoice.amount_cents,
    });
  }
  const methods = new Map<string, SavedMethod>();
  for (const customer of Object.values(db.customers))
    for (const method of customer.payment_methods)
      methods.set(method.id, {
        customer: customer.customer_id,
        // A card is good through the end of its expiry month.
        expired: method.source === 'card' && method.exp_year * 12 + (method.exp_month - 1) < thisMonth,
      });
  return { charges, methods, refunds: new Map(), answers: new Map() };
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The same key always names the same object: a retried call finds it by its key, not by luck. */
function idFor(prefix: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(idempotencyKey).digest('base64url').replace(/[-_]/g, '');
  return `${prefix}_${digest.slice(0, 20)}`;
}

export interface PaymentsServerOptions {
  readonly apiKey: string;
  readonly state?: PaymentsState;
}

export function createPaymentsServer({ apiKey, state = seededState() }: PaymentsServerOptions): Server {
  const expected = Buffer.from(`Bearer ${apiKey}`);

  function authorised(request: IncomingMessage): boolean {
    const given = Buffer.from(request.headers.authorization ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  function refund(body: unknown, idempotencyKey: string): Refund {
    const parsed = CreateRefundSchema.safeParse(body);
    if (!parsed.success) throw new ApiError(STATUS.badRequest, 'parameter_invalid', parsed.error.message);
    const charge = state.charges.get(parsed.data.charge);
    if (!charge)
      throw new ApiError(STATUS.notFound, 'resource_missing', `No such charge: ${parsed.data.charge}`);
    const left = charge.amount_cents - charge.amount_refunded_cents;
    if (left === 0)
      throw new ApiError(
        STATUS.badRequest,
        'charge_already_refunded',
        `Charge ${charge.id} is already refunded`,
      );
    if (parsed.data.amount_cents > left)
      throw new ApiError(
        STATUS.badRequest,
        'amount_too_large',
        `Refund amount (${parsed.data.amount_cents}) is greater than what is left of charge ${charge.id} (${left})`,
      );
    const refunded = charge.amount_refunded_cents + parsed.data.amount_cents;
    state.charges.set(charge.id, {
      ...charge,
      amount_refunded_cents: refunded,
      refunded: refunded >= charge.amount_cents,
    });
    const created: Refund = {
      id: idFor('re', idempotencyKey),
      object: 'refund',
      charge: charge.id,
      amount_cents: parsed.data.amount_cents,
      status: 'succeeded',
    };
    state.refunds.set(created.id, created);
    return created;
  }

  function charge(body: unknown, idempotencyKey: string): Charge {
    const parsed = CreateChargeSchema.safeParse(body);
    if (!parsed.success) throw new ApiError(STATUS.badRequest, 'parameter_invalid', parsed.error.message);
    const method = state.methods.get(parsed.data.payment_method);
    if (!method)
      throw new ApiError(
        STATUS.notFound,
        'resource_missing',
        `No such payment method: ${parsed.data.payment_method}`,
      );
    if (method.customer !== parsed.data.customer)
      throw new ApiError(
        STATUS.badRequest,
        'payment_method_not_owned',
        `Payment method ${parsed.data.payment_method} does not belong to ${parsed.data.customer}`,
      );
    if (method.expired) throw new ApiError(STATUS.declined, 'expired_card', 'Your card has expired.');
    const created: Charge = {
      id: idFor('ch', idempotencyKey),
      object: 'charge',
      amount_cents: parsed.data.amount_cents,
      amount_refunded_cents: 0,
      currency: 'usd',
      customer: parsed.data.customer,
      payment_method: parsed.data.payment_method,
      description: parsed.data.description,
      status: 'succeeded',
      refunded: false,
    };
    state.charges.set(created.id, created);
    return created;
  }

  /** Runs a POST once per idempotency key: a repeat with the same body gets the first answer again. */
  function once(
    request: IncomingMessage,
    text: string,
    run: (key: string) => { status: number; body: unknown },
  ) {
    const key = request.headers['idempotency-key'];
    if (typeof key !== 'string' || key === '')
      throw new ApiError(
        STATUS.badRequest,
        'idempotency_key_required',
        'POST requests need an Idempotency-Key header',
      );
    const fingerprint = `${request.method} ${request.url} ${text}`;
    const earlier = state.answers.get(key);
    if (earlier) {
      if (earlier.fingerprint !== fingerprint)
        throw new ApiError(
          STATUS.badRequest,
          'idempotency_key_reused',
          'Keys for idempotent requests can only be used with the same parameters they were first used with.',
        );
      return earlier;
    }
    let answer: StoredAnswer;
    try {
      answer = { fingerprint, ...run(key) };
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      answer = { fingerprint, status: error.status, body: errorBody(error) };
    }
    state.answers.set(key, answer);
    return answer;
  }

  async function route(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    if (!authorised(request))
      throw new ApiError(STATUS.unauthorized, 'invalid_api_key', 'Invalid API key provided.');
    const url = new URL(request.url ?? '/', 'http://localhost');
    const chargePath = /^\/v1\/charges\/([^/]+)$/.exec(url.pathname);
    if (request.method === 'GET' && chargePath) {
      const found = state.charges.get(decodeURIComponent(chargePath[1]!));
      if (!found) throw new ApiError(STATUS.notFound, 'resource_missing', `No such charge: ${chargePath[1]}`);
      return { status: 200, body: found };
    }
    if (request.method === 'POST' && (url.pathname === '/v1/refunds' || url.pathname === '/v1/charges')) {
      const text = await bodyOf(request);
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        throw new ApiError(STATUS.badRequest, 'parameter_invalid', 'The body must be JSON');
      }
      return once(request, text, (key) => ({
        status: 200,
        body: url.pathname === '/v1/refunds' ? refund(body, key) : charge(body, key),
      }));
    }
    throw new ApiError(STATUS.notFound, 'unknown_route', `No route ${request.method} ${url.pathname}`);
  }

  return createServer((request: IncomingMessage, response: ServerResponse) => {
    route(request)
      .then(({ status, body }) => send(response, status, body))
      .catch((error: unknown) => {
        if (error instanceof ApiError) send(response, error.status, errorBody(error));
        else send(response, 500, { error: { code: 'internal', message: String(error) } });
      });
  });
}

function errorBody(error: ApiError) {
  return { error: { code: error.code, message: error.message } };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function bodyOf(request: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    request.on('error', fail);
  });
}

/** Run as the tenant's service: the key from the environment, the port from PORT, the URL on stdout. */
function main(): void {
  const apiKey = process.env[secretVariable(PAYMENTS_SECRET)];
  if (apiKey === undefined || apiKey === '') {
    console.error(
      `The payments stand-in needs its API key in ${secretVariable(PAYMENTS_SECRET)} (tenant.ts localSecrets).`,
    );
    process.exit(1);
  }
  const server = createPaymentsServer({ apiKey });
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('The server has no port');
    process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}` })}\n`);
  });
  process.once('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
