import { z } from 'zod';

/**
 * Every Lambda's configuration, validated once at cold start: a missing or malformed variable fails
 * the init with a message naming it, instead of failing a customer's turn later.
 */
const Json = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, ctx) => {
    try {
      return schema.parse(JSON.parse(text)) as z.infer<T>;
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        message: `must be JSON matching its schema: ${error instanceof Error ? error.message : String(error)}`,
      });
      return z.NEVER;
    }
  });

export const EnvSchema = z.object({
  TENANT: z.string().min(1),
  EVENTS_TABLE: z.string().min(1),
  /** Tenant data tables are `${DATA_TABLE_PREFIX}users`, `…orders`, `…products`, `…tool-calls`. */
  DATA_TABLE_PREFIX: z.string().min(1),
  MODEL_ID: z.string().min(1),
  /** aopId → ARN of the state machine alias `live` (only the ingress needs it). */
  STATE_MACHINES: Json(z.record(z.string(), z.string())).default({}),
  /**
   * Every published version of each routable procedure: id, version, `when`, time cut-offs (only the
   * ingress needs it). Which version is live is read from the alias when a conversation is routed.
   */
  AOP_ROUTES: Json(
    z.array(
      z.object({
        id: z.string(),
        version: z.int(),
        when: z.string(),
        examples: z.array(z.string()).optional(),
        cutoffDays: z.array(z.int()).default([]),
      }),
    ),
  ).default([]),
  FALLBACK_AOP: z.string().default('transfer-to-human'),
  /**
   * The tenant's limits (infra/aws/tenant-config.ts `limits`): the ingress caps message length and
   * hands a conversation over after `maxTurnsPerConversation` turns; the tool step refuses a refund over
   * `refundCapUsd` and hands over (no cap when it is absent).
   */
  LIMITS: Json(
    z.object({
      maxMessageChars: z.int().positive().default(4000),
      refundCapUsd: z.number().positive().optional(),
      maxTurnsPerConversation: z.int().positive().default(40),
    }),
  ).default({ maxMessageChars: 4000, maxTurnsPerConversation: 40 }),
  /**
   * Table of per-conversation data keys. With a key wrapper configured, customer text and personal
   * fields are stored encrypted and `aop erase` can destroy them (docs/versions-and-rollback.md).
   */
  KEYS_TABLE: z.string().min(1).optional(),
  /** Local only: the master key that wraps data keys, base64 of 32 bytes (in AWS this is KMS' job). */
  LOCAL_MASTER_KEY: z
    .string()
    .refine((text) => Buffer.from(text, 'base64').length === 32, 'must be base64 of 32 bytes')
    .optional(),
  /**
   * In AWS: the KMS key (ARN) that wraps data keys, with `kms:Encrypt`/`kms:Decrypt` and the encryption
   * context `{conversation, table}`. Locally `LOCAL_MASTER_KEY` stands in for it.
   */
  KEYS_KMS_KEY_ID: z.string().min(1).optional(),
  /**
   * How long a container reuses an unwrapped data key before reading it again (ms; 0 turns the cache
   * off). New customer messages always read it fresh, so erasure refuses them at once.
   */
  DATA_KEY_CACHE_MS: z.coerce.number().int().min(0).default(60_000),
  /**
   * The channel sessions' HMAC secret (commons/credentials.ts): base64 of at least 32 bytes locally; in
   * AWS the ingress reads it from Secrets Manager (`SESSION_SECRET_ARN`) at its first request.
   */
  SESSION_SECRET: z
    .string()
    .refine((text) => Buffer.from(text, 'base64').length >= 32, 'must be base64 of at least 32 bytes')
    .optional(),
  SESSION_SECRET_ARN: z.string().min(1).optional(),
  /** How the audit routes know an operator: `iam` (API Gateway's IAM authorizer, in AWS) or `token`. */
  AUDIT_AUTH: z.enum(['iam', 'token']).default('iam'),
  /** With `AUDIT_AUTH=token`: the SHA-256 (hex) of the operator token (`npm start` prints the token). */
  OPERATOR_TOKEN_SHA256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters')
    .optional(),
  /** How long a turn's lease lasts without renewal (ms); a dead holder's turn is recovered after it. */
  LEASE_MS: z.coerce.number().int().min(200).default(30_000),
  /**
   * How long a message to a busy conversation waits for its answer before the channel answers 202
   * with where to fetch it (docs/runtime.md, Bursts). Default: the conversation service's (6 s).
   */
  ANSWER_WAIT_MS: z.coerce.number().int().min(0).max(25_000).optional(),
  /**
   * Where signed chain digests go (shared/audit/digest.ts): in AWS the Object Lock bucket
   * (`DIGEST_BUCKET`) and the KMS signing key (`DIGEST_KMS_KEY_ID`); locally a DynamoDB table of its
   * own (`DIGESTS_TABLE`) and an Ed25519 key (`LOCAL_DIGEST_KEY`, base64 of its PKCS#8 PEM). Without
   * either pair no digests are written, and verify checks the chain and the protocol only.
   */
  DIGEST_BUCKET: z.string().min(1).optional(),
  DIGEST_KMS_KEY_ID: z.string().min(1).optional(),
  DIGESTS_TABLE: z.string().min(1).optional(),
  LOCAL_DIGEST_KEY: z.string().min(1).optional(),
  /** Set only locally (the SDK honours the DynamoDB/Bedrock ones itself; SFN needs the factory's host-prefix fix). */
  AWS_ENDPOINT_URL_SFN: z.url().optional(),
});
export type Env = z.infer<typeof EnvSchema>;

export function loadEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new Error(`Invalid Lambda environment: ${problems}`);
  }
  return parsed.data;
}
