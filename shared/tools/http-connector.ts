import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type {
  ToolContext,
  ToolDeclaration,
  ToolImplementation,
  ToolInput,
  ToolOutput,
} from './define-tool.ts';
import { ToolError } from './errors.ts';

/**
 * A tool whose implementation is a declared HTTP call: the tenant writes the declaration (zod input and
 * output, effect, guards) with `defineTool` as for any tool, and `httpImplementation` turns a description
 * of the call into its implementation:
 *
 * - the URL is a template whose `{field}`s are input fields (percent-encoded); the other fields go in the
 *   query string (GET, DELETE) or as a JSON body (POST, PUT, PATCH);
 * - a write sends the call's idempotency key (`Idempotency-Key`, the header Stripe and most payment and
 *   ticket APIs read), so a retried step changes nothing twice;
 * - each attempt has a timeout; network errors, timeouts, 5xx and 429 are retried with capped exponential
 *   backoff and full jitter (a 429's `Retry-After` is honoured when it is shorter than the cap); other 4xx
 *   are answers, not outages: a `ToolError` with the code the call maps the status to (`404 → not_found`),
 *   which the procedure branches on and nothing retries;
 * - the response must fit the declared output schema, or the call fails loudly;
 * - credentials come from a `SecretSource`: the environment locally (`AOP_SECRET_<NAME>`), Secrets Manager
 *   in AWS (the stack grants the tool runner `secretsmanager:GetSecretValue` on the tenant's secrets).
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HttpCall {
  readonly method: HttpMethod;
  /** `https://api.example.com/v1/invoices/{invoice_id}`: `{field}` is an input field. */
  readonly url: string;
  /** A credential sent with every request: the secret's value, as `<scheme> <value>` in `header`. */
  readonly auth?: {
    readonly secret: string;
    /** Default: `authorization`. */
    readonly header?: string;
    /**
     * Default: `Bearer`; empty for a bare value (an API key header). `Basic` sends the secret
     * (`user:password`, or Zendesk's `email/token:api-token`) base64-encoded, as HTTP Basic wants.
     */
    readonly scheme?: string;
  };
  /** Per attempt. Default 5,000 ms. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt, on network errors, timeouts, 5xx and 429. Default 2. */
  readonly retries?: number;
  /** HTTP status → the `ToolError` code the procedure sees (`{ 404: 'not_found' }`); others: `http_<status>`. */
  readonly errors?: Readonly<Record<number, string>>;
  /** The part of the JSON response that is the tool's output (`data`); default the whole body. */
  readonly result?: string;
}

/** Where credentials come from. */
export interface SecretSource {
  get(name: string): Promise<string>;
}

export interface HttpConnectorDeps {
  readonly secrets?: SecretSource;
  /** Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** Backoff: base and cap of the delay before a retry. Defaults 100 ms and 2,000 ms. */
  readonly backoff?: { readonly baseMs: number; readonly capMs: number };
  /** For tests: the jitter source (default Math.random) and the sleep. */
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The environment variable a secret is read from locally: `stripe-key` → `AOP_SECRET_STRIPE_KEY`. */
export function secretVariable(name: string): string {
  return `AOP_SECRET_${name.replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}`;
}

/** Secrets from the process environment (local runs): `AOP_SECRET_<NAME>`. */
export function environmentSecrets(
  env: Readonly<Record<string, string | undefined>> = process.env,
): SecretSource {
  return {
    async get(name) {
      const value = env[secretVariable(name)];
      if (value === undefined || value === '')
        throw new Error(
          `Secret "${name}" is not set: locally, export ${secretVariable(name)}=<value> before npm start (in AWS it is read from Secrets Manager).`,
        );
      return value;
    },
  };
}

/** Secrets from AWS Secrets Manager, by name under the tenant's prefix, kept for `cacheMs`. */
export function secretsManagerSecrets(
  client: SecretsManagerClient,
  { prefix = '', cacheMs = 5 * 60_000 }: { readonly prefix?: string; readonly cacheMs?: number } = {},
): SecretSource {
  const cache = new Map<string, { value: string; until: number }>();
  return {
    async get(name) {
      const cached = cache.get(name);
      if (cached && cached.until > Date.now()) return cached.value;
      const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: `${prefix}${name}` }));
      if (SecretString === undefined) throw new Error(`Secret "${prefix}${name}" has no string value`);
      cache.set(name, { value: SecretString, until: Date.now() + cacheMs });
      return SecretString;
    },
  };
}

/** Why an attempt failed in a way worth retrying. */
class Retryable extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** The implementation of `declaration` as the HTTP call `call` describes. */
export function httpImplementation<T extends ToolDeclaration>(
  declaration: T,
  call: HttpCall,
  deps: HttpConnectorDeps = {},
): ToolImplementation<T> {
  const send = deps.fetch ?? fetch;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const { baseMs, capMs } = deps.backoff ?? { baseMs: 100, capMs: 2_000 };
  const retries = call.retries ?? 2;
  const placeholders = [...call.url.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((match) => match[1]!);

  return async function callHttp(raw: ToolInput<T>, context: ToolContext): Promise<ToolOutput<T>> {
    const input = declaration.input.parse(raw) as Record<string, unknown>;
    let url = call.url;
    for (const field of placeholders) {
      const value = input[field];
      if (value === undefined || value === null)
        throw new Error(`${declaration.name}: the URL needs {${field}}, which the input does not have`);
      url = url.replace(`{${field}}`, encodeURIComponent(String(value)));
    }
    const rest = Object.fromEntries(Object.entries(input).filter(([key]) => !placeholders.includes(key)));
    const inQuery = call.method === 'GET' || call.method === 'DELETE';
    if (inQuery && Object.keys(rest).length > 0) {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(rest))
        if (value !== undefined && value !== null)
          query.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
      url += `${url.includes('?') ? '&' : '?'}${query}`;
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (!inQuery) headers['content-type'] = 'application/json';
    if (declaration.effect === 'write') headers['idempotency-key'] = context.idempotencyKey;
    if (call.auth) {
      if (!deps.secrets)
        throw new Error(
          `${declaration.name}: the call needs secret "${call.auth.secret}" but no secret source is configured`,
        );
      const value = await deps.secrets.get(call.auth.secret);
      const scheme = call.auth.scheme ?? 'Bearer';
      const sent = scheme.toLowerCase() === 'basic' ? Buffer.from(value).toString('base64') : value;
      headers[(call.auth.header ?? 'authorization').toLowerCase()] = scheme ? `${scheme} ${sent}` : sent;
    }
    const body = inQuery ? undefined : JSON.stringify(rest);

    for (let attempt = 0; ; attempt++) {
      try {
        return await attemptOnce(url, headers, body);
      } catch (error) {
        if (!(error instanceof Retryable) || attempt >= retries) {
          if (error instanceof Retryable)
            throw new Error(
              `${declaration.name}: ${call.method} ${redact(url)} failed after ${attempt + 1} attempts: ${error.message}`,
            );
          throw error;
        }
        // Full jitter (a random delay up to the capped exponential), or the server's own Retry-After.
        const jittered = random() * Math.min(capMs, baseMs * 2 ** attempt);
        await sleep(error.retryAfterMs !== undefined ? Math.min(error.retryAfterMs, capMs) : jittered);
      }
    }
  };

  async function attemptOnce(
    url: string,
    headers: Record<string, string>,
    body: string | undefined,
  ): Promise<ToolOutput<T>> {
    let response: Response;
    try {
      response = await send(url, {
        method: call.method,
        headers,
        ...(body === undefined ? {} : { body }),
        signal: AbortSignal.timeout(call.timeoutMs ?? 5_000),
      });
    } catch (error) {
      const name = (error as Error).name;
      throw new Retryable(
        name === 'TimeoutError' ? `timed out after ${call.timeoutMs ?? 5_000} ms` : String(error),
      );
    }
    const text = await response.text();
    if (response.status === 429 || response.status >= 500) {
      const header = response.headers.get('retry-after');
      const after = header === null || header.trim() === '' ? Number.NaN : Number(header);
      throw new Retryable(
        `HTTP ${response.status}`,
        Number.isFinite(after) && after >= 0 ? after * 1000 : undefined,
      );
    }
    if (response.status >= 400) {
      const code = call.errors?.[response.status] ?? `http_${response.status}`;
      throw new ToolError(
        declaration.name,
        code,
        `${declaration.name}: HTTP ${response.status}: ${text.slice(0, 300)}`,
      );
    }
    let parsed: unknown = text;
    if (text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    const result =
      call.result === undefined ? parsed : (parsed as Record<string, unknown> | null)?.[call.result];
    const checked = declaration.output.safeParse(result);
    if (!checked.success)
      throw new Error(
        `${declaration.name}: the response does not fit the declared output: ${checked.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}`,
      );
    return checked.data as ToolOutput<T>;
  }
}

/** A URL as it may be logged: no query string (it may hold customer data). */
function redact(url: string): string {
  return url.replace(/\?.*$/, '?…');
}

const secretSources = new Map<string, SecretSource>();

/**
 * The secrets of the tenant being served: in AWS the stack sets `AOP_SECRETS_PREFIX` (`<deployment>/`)
 * and grants the tool runner read access to exactly the tenant's declared secrets, read from Secrets
 * Manager; locally (no prefix) they come from `AOP_SECRET_<NAME>`, which the platform sets from the
 * tenant's `localSecrets` (docs/tenants.md).
 */
export function tenantSecrets(env: Readonly<Record<string, string | undefined>> = process.env): SecretSource {
  const prefix = env.AOP_SECRETS_PREFIX;
  if (prefix === undefined || prefix === '') return environmentSecrets(env);
  let source = secretSources.get(prefix);
  if (!source) {
    source = secretsManagerSecrets(new SecretsManagerClient({}), { prefix });
    secretSources.set(prefix, source);
  }
  return source;
}
