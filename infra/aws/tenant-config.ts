import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { z } from 'zod';
import { TenantConfigError } from './errors.ts';

/** Where `infra/aws/tenants/<name>.json` live. */
export const TENANTS_DIR = join(import.meta.dirname, 'tenants');
/** The repository root: `aopsDir` and the Lambda entry points are relative to it. */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** CloudWatch Logs accepts only these retention periods (days). */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * A tenant's name is the prefix of every physical name in its stack (`<name>-events`, `<name>-chat-ingress`,
 * `<name>-cancel-pending-order`), so it must be valid in all of them: the tightest are IAM role names
 * (64 characters) and Lambda function names (64).
 */
const TenantNameSchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/,
    'lowercase letters, digits and single dashes, starting with a letter',
  )
  .max(20);

/** A Bedrock model id (`anthropic.claude-…`) or a cross-region inference profile id (`us.anthropic.claude-…`). */
const ModelIdSchema = z
  .string()
  .regex(
    /^(?:(?:us|eu|apac|us-gov|jp|au|ca|global)\.)?[a-z0-9-]+\.[a-z0-9.:-]+$/,
    'a Bedrock model id such as "anthropic.claude-3-haiku-20240307-v1:0" or an inference profile id such as "us.anthropic.claude-sonnet-4-20250514-v1:0"',
  );

/** Limits the handlers enforce at run time; passed to them as the `LIMITS` JSON environment variable. */
export const TenantLimitsSchema = z.strictObject({
  /** Largest refund (USD) a tool may issue without a human. */
  refundCapUsd: z.number().positive(),
  /** Longest customer message (characters) the ingress accepts. */
  maxMessageChars: z.int().min(1).max(20_000),
  /** Customer turns after which a conversation is handed to a human. */
  maxTurnsPerConversation: z.int().min(1).max(500).default(40),
});

/** Variables a tenant's `environment` may not set: the runtime's and the platform's own. */
const RESERVED_VARIABLE =
  /^(?:AWS_.*|AOP_.*|LAMBDA_.*|_.*|NODE_OPTIONS|TZ|TENANT|EVENTS_TABLE|KEYS_TABLE|KEYS_KMS_KEY_ID|DATA_TABLE_PREFIX|MODEL_ID|LIMITS|FALLBACK_AOP|STATE_MACHINES|AOP_ROUTES|SESSION_SECRET.*|DIGEST_.*|POWERTOOLS_.*)$/;

export const TenantConfigSchema = z.strictObject({
  /** Lowercase; the prefix of the stack name and of every physical name in it. */
  name: TenantNameSchema,
  /** The tenant's AOP folder, relative to the repository root (it holds `tenant.ts` and `*.md`). */
  aopsDir: z.string().min(1),
  /** The Bedrock model (or inference profile) the understand and reply steps call. */
  modelId: ModelIdSchema,
  limits: TenantLimitsSchema,
  /** Receives every alarm (SNS e-mail subscription; the address must confirm it once). */
  alarmEmail: z.email(),
  /** CORS origins allowed to call the chat routes from a browser. */
  allowedOrigins: z.array(z.union([z.url({ protocol: /^https?$/ }), z.literal('*')])).min(1),
  /** When set, the chat routes take a JWT from this issuer; otherwise they require IAM (SigV4) auth. */
  jwt: z
    .strictObject({
      issuer: z.url({ protocol: /^https$/ }),
      audience: z.array(z.string().min(1)).min(1),
    })
    .optional(),
  api: z
    .strictObject({
      /** Steady-state requests per second for the whole stage. */
      throttleRatePerSecond: z.number().positive().default(50),
      /** Burst bucket size for the whole stage. */
      throttleBurst: z.int().positive().default(100),
    })
    .default({ throttleRatePerSecond: 50, throttleBurst: 100 }),
  alarms: z
    .strictObject({
      /** API p95 latency (ms) above which the latency alarm fires (a turn includes a model call). */
      p95LatencyMs: z.int().positive().default(10_000),
      /** 5xx responses in five minutes that fire the API error alarm. */
      api5xxPerFiveMinutes: z.int().positive().default(5),
      /** Failed turns (executions failed, timed out or aborted) in five minutes. */
      failedTurnsPerFiveMinutes: z.int().positive().default(1),
      /** Tool Lambda error rate (%) over fifteen minutes. */
      toolFailureRatePercent: z.number().positive().max(100).default(10),
      /** Share (%) of turns that end escalated, over an hour. */
      escalationRatePercent: z.number().positive().max(100).default(30),
    })
    .default({
      p95LatencyMs: 10_000,
      api5xxPerFiveMinutes: 5,
      failedTurnsPerFiveMinutes: 1,
      toolFailureRatePercent: 10,
      escalationRatePercent: 30,
    }),
  /**
   * Settings the tenant's tools read (the tool runner's environment only): the base URL of each API its
   * tools call (`PAYMENTS_API_URL`), where the local platform starts a stand-in (docs/tenants.md).
   * Credentials never go here: declare them as the tenant's `secrets` (Secrets Manager).
   */
  environment: z
    .record(
      z
        .string()
        .regex(/^[A-Z][A-Z0-9_]*$/, 'an upper-case environment variable name')
        .refine((name) => !RESERVED_VARIABLE.test(name), {
          message: "is set by the platform (AWS_*, AOP_*, the handlers' own variables); choose another name",
        }),
      z.string(),
    )
    .default({}),
  /** Retention of every log group in the stack (Lambda, state machines, API access logs). */
  logRetentionDays: z
    .union(
      LOG_RETENTION_DAYS.map((days) => z.literal(days)) as unknown as [
        z.ZodLiteral<number>,
        ...z.ZodLiteral<number>[],
      ],
    )
    .default(90),
});

export type TenantConfig = z.infer<typeof TenantConfigSchema>;
export type TenantLimits = z.infer<typeof TenantLimitsSchema>;

/** The tenants that have a configuration file, sorted. */
export function listTenants(dir: string = TENANTS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => basename(file, '.json'))
    .sort();
}

export interface LoadTenantConfigOptions {
  /** Default: `infra/aws/tenants`. */
  readonly dir?: string;
  /** Default: the repository root; `aopsDir` must exist under it. */
  readonly root?: string;
}

/**
 * Reads and validates `<dir>/<tenant>.json`. Every problem is reported at once: a missing tenant lists the
 * available ones, an invalid file lists all of its zod issues.
 */
export function loadTenantConfig(
  tenant: string | undefined,
  { dir = TENANTS_DIR, root = REPO_ROOT }: LoadTenantConfigOptions = {},
): TenantConfig {
  // A tenant folder may carry its own deployment (`aops/<name>/deploy.json`): then `-c tenant=<name>`
  // deploys it with no file outside its folder (docs/tenants.md). infra/aws/tenants/ wins when both exist.
  if (
    tenant !== undefined &&
    tenant !== '' &&
    !listTenants(dir).includes(tenant) &&
    existsSync(join(root, 'aops', tenant, DEPLOY_FILE))
  )
    return loadFolderDeployment(tenant, root);
  const available = [...new Set([...listTenants(dir), ...listFolderDeployments(root)])].sort();
  const choose = `Choose one with \`-c tenant=NAME\`; available: ${available.join(', ') || '(none)'}.`;
  if (tenant === undefined || tenant === '') {
    throw new TenantConfigError(`No tenant given. ${choose}`, { tenant, available });
  }
  if (!available.includes(tenant)) {
    throw new TenantConfigError(
      `Unknown tenant "${tenant}": there is no ${join(dir, `${tenant}.json`)}. ${choose}`,
      { tenant, available },
    );
  }
  return readConfigFile(join(dir, `${tenant}.json`), { tenant, available, root });
}

/**
 * Reads and validates one configuration file, reporting every problem at once. `implied` fields (a
 * folder's deploy.json implies its name and folder) are set before validation.
 */
function readConfigFile(
  file: string,
  {
    tenant,
    available,
    root,
    implied,
  }: {
    readonly tenant: string;
    readonly available: readonly string[];
    readonly root: string;
    readonly implied?: { readonly name: string; readonly aopsDir: string };
  },
): TenantConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new TenantConfigError(
      `Tenant file ${file} is not valid JSON: ${(cause as Error).message}`,
      { tenant, available: [...available], file },
      { cause },
    );
  }
  const parsed = TenantConfigSchema.safeParse(
    implied && raw !== null && typeof raw === 'object' ? { ...raw, ...implied } : raw,
  );
  const issues = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  if (parsed.success && parsed.data.name !== tenant) {
    issues.push(`name: is "${parsed.data.name}" but the file is ${tenant}.json; they must match`);
  }
  if (parsed.success && !existsSync(join(root, parsed.data.aopsDir, 'tenant.ts'))) {
    issues.push(
      `aopsDir: "${parsed.data.aopsDir}" has no tenant.ts under ${root}; point it at a tenant folder such as aops/<tenant> (docs/tenants.md)`,
    );
  }
  if (!parsed.success || issues.length > 0) {
    throw new TenantConfigError(
      `Tenant file ${file} is invalid (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n${issues
        .map((issue) => `  - ${issue}`)
        .join('\n')}`,
      { tenant, available: [...available], file, issues },
      parsed.success ? undefined : { cause: parsed.error },
    );
  }
  return parsed.data;
}

/** The deployment file a tenant folder may carry: a `TenantConfig` without `name` and `aopsDir`. */
export const DEPLOY_FILE = 'deploy.json';

/** The tenant folders under `<root>/aops` that carry a deploy.json, sorted. */
export function listFolderDeployments(root: string = REPO_ROOT): string[] {
  const aops = join(root, 'aops');
  if (!existsSync(aops)) return [];
  return readdirSync(aops, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(aops, entry.name, DEPLOY_FILE)))
    .map((entry) => entry.name)
    .sort();
}

/** `aops/<tenant>/deploy.json`: its name is the folder's, its procedures the folder's. */
function loadFolderDeployment(tenant: string, root: string): TenantConfig {
  return readConfigFile(join(root, 'aops', tenant, DEPLOY_FILE), {
    tenant,
    available: [tenant],
    root,
    implied: { name: tenant, aopsDir: `aops/${tenant}` },
  });
}
