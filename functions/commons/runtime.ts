import { createPrivateKey } from 'node:crypto';
import { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { S3Client } from '@aws-sdk/client-s3';
import { createLocalDigestSigner, type DigestSigner } from '../../shared/audit/digest-signer.ts';
import { createTableDigestStore, type DigestStore } from '../../shared/audit/digest-store.ts';
import { createDigestWriter } from '../../shared/audit/digest-writer.ts';
import { createKmsDigestSigner } from '../../shared/audit/kms-digest-signer.ts';
import { createS3DigestStore } from '../../shared/audit/s3-digest-store.ts';
import { createSfnClient } from '../../shared/aws/sfn-client.ts';
import { createConversationService } from '../../shared/engine/conversation.ts';
import { createConversationLock } from '../../shared/engine/lock.ts';
import type { StepDependencies } from '../../shared/engine/steps.ts';
import { clockOf } from '../../shared/engine/tenant.ts';
import { createCachedEventStore } from '../../shared/events/cached-store.ts';
import { createEventStore, type EventStore } from '../../shared/events/store.ts';
import { createModelClient } from '../../shared/model/client.ts';
import { createDataKeyStore, type DataKeyStore } from '../../shared/privacy/key-store.ts';
import { createLocalKeyWrapper, type KeyWrapper } from '../../shared/privacy/key-wrapper.ts';
import { createKmsKeyWrapper } from '../../shared/privacy/kms-key-wrapper.ts';
import { createPrivateEventStore } from '../../shared/privacy/private-store.ts';
import { toolSealerFor } from '../../shared/privacy/tool-sealer.ts';
import { loadedTenant } from '../../shared/tenant/load.ts';
import type { Env } from './env.ts';

/**
 * The composition root shared by the handlers: SDK clients built once per container. The tenant is the
 * one this process serves (`loadedTenant()`): the local platform loads its folder, and each Lambda
 * bundle's entry imports its own tenant first (docs/tenants.md). No tenant is named here.
 */
export function createRuntime(env: Env) {
  const { clock, conversation, keepFacts, identity, createTools, helpdesk } = loadedTenant();
  const dynamodb = new DynamoDBClient({});
  const stored = createEventStore({ client: dynamodb, tableName: env.EVENTS_TABLE });
  // Read through a per-container cache of the (immutable) events this container has seen.
  const { events, keys } = withCustomerDataEncrypted(env, dynamodb, createCachedEventStore(stored));
  // The SDK's default for this client opens a new HTTP/2 session (a TLS handshake, in AWS) per request,
  // which suits streaming; Converse calls are single request/response, so a container keeps one session.
  const bedrock = new BedrockRuntimeClient({ requestHandler: { disableConcurrentStreams: false } });
  const model = createModelClient({ client: bedrock, modelId: env.MODEL_ID });
  const tools = { ...createTools({ client: dynamodb, tablePrefix: env.DATA_TABLE_PREFIX }), identity };
  // Events of steps that change nothing outside the conversation are written with the turn's end.
  const steps: StepDependencies = {
    events,
    model,
    tools,
    conversation,
    deferAppends: true,
    limits: env.LIMITS.refundCapUsd === undefined ? {} : { refundCapUsd: env.LIMITS.refundCapUsd },
    ...(keys ? { sealerFor: (conversationId: string) => toolSealerFor(keys, conversationId) } : {}),
    ...(helpdesk ? { helpdesk: helpdesk() } : {}),
    // Read when a ticket is opened: the local platform knows its URL only once it listens.
    timelineUrl: (conversationId: string) =>
      (process.env.AUDIT_TIMELINE_URL ?? '').replace('{conversationId}', encodeURIComponent(conversationId)),
  };
  const sfn = createSfnClient(env.AWS_ENDPOINT_URL_SFN ? { endpoint: env.AWS_ENDPOINT_URL_SFN } : {});
  const routes = env.AOP_ROUTES.flatMap((route) => {
    const stateMachineArn = env.STATE_MACHINES[route.id];
    return stateMachineArn ? [{ ...route, stateMachineArn }] : [];
  });
  const digests = digestsOf(env, dynamodb);
  const conversations = createConversationService({
    tenant: env.TENANT,
    events,
    sfn,
    model,
    lock: createConversationLock({ client: dynamodb, tableName: env.EVENTS_TABLE, leaseMs: env.LEASE_MS }),
    aops: () => routes,
    fallbackAop: env.FALLBACK_AOP,
    keepFacts: [...keepFacts],
    conversation,
    // The tenant's "now" for its data (time rules), when it fixes one; otherwise the wall clock.
    clock: clockOf(clock),
    limits: { maxTurnsPerConversation: env.LIMITS.maxTurnsPerConversation },
    ...(env.ANSWER_WAIT_MS === undefined ? {} : { waitMs: env.ANSWER_WAIT_MS }),
    ...(tools.recordedCall
      ? {
          recordedCall: (tool: string, idempotencyKey: string, conversationId: string) =>
            tools.recordedCall!(tool, idempotencyKey, {
              conversationId,
              ...(steps.sealerFor ? { sealer: steps.sealerFor(conversationId) } : {}),
            }),
        }
      : {}),
    ...(digests
      ? {
          digests: createDigestWriter({
            ...digests,
            onError: (error, head) =>
              console.error(
                `chain digest for ${head.conversationId} at seq ${head.seq} not written (the next turn's digest seals it): ${String(error)}`,
              ),
          }),
        }
      : {}),
  });
  return { dynamodb, events, stored, steps, conversations, env, digestStore: digests?.store };
}

/** The digest store and signer: S3 + KMS in AWS, a table + a local key pair locally, or none. */
function digestsOf(
  env: Env,
  dynamodb: DynamoDBClient,
): { store: DigestStore; signer: DigestSigner } | undefined {
  if (env.DIGEST_BUCKET && env.DIGEST_KMS_KEY_ID)
    return {
      store: createS3DigestStore({ client: new S3Client({}), bucket: env.DIGEST_BUCKET }),
      signer: createKmsDigestSigner({ client: new KMSClient({}), keyId: env.DIGEST_KMS_KEY_ID }),
    };
  if (env.DIGESTS_TABLE && env.LOCAL_DIGEST_KEY)
    return {
      store: createTableDigestStore({ client: dynamodb, tableName: env.DIGESTS_TABLE }),
      signer: createLocalDigestSigner(
        createPrivateKey(Buffer.from(env.LOCAL_DIGEST_KEY, 'base64').toString('utf8')),
      ),
    };
  return undefined;
}

/**
 * Customer text and personal fields are encrypted with per-conversation data keys when a keys table is
 * configured (crypto-shredding, DESIGN.md decision 6). `stored` keeps the ciphertext, for chain checks.
 */
function withCustomerDataEncrypted(
  env: Env,
  dynamodb: DynamoDBClient,
  stored: EventStore,
): { events: EventStore; keys?: DataKeyStore } {
  if (!env.KEYS_TABLE) return { events: stored };
  const wrapper = keyWrapperOf(env);
  const keys = createDataKeyStore({
    client: dynamodb,
    tableName: env.KEYS_TABLE,
    wrapper,
    cacheMs: env.DATA_KEY_CACHE_MS,
  });
  return { events: createPrivateEventStore({ store: stored, keys }), keys };
}

/** Locally the master key is in the environment; in AWS it stays in KMS. */
function keyWrapperOf(env: Env): KeyWrapper {
  if (env.LOCAL_MASTER_KEY) return createLocalKeyWrapper(Buffer.from(env.LOCAL_MASTER_KEY, 'base64'));
  if (env.KEYS_KMS_KEY_ID)
    return createKmsKeyWrapper({ client: new KMSClient({}), keyId: env.KEYS_KMS_KEY_ID });
  throw new Error(
    `KEYS_TABLE is "${env.KEYS_TABLE}" but no master key is configured: set KEYS_KMS_KEY_ID (the KMS key ARN, in AWS) or LOCAL_MASTER_KEY (base64 of 32 bytes, locally).`,
  );
}
