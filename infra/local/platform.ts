import '../../shared/polyfills.ts';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadProjects } from '../../cli/project.ts';
import { loadOrCreateLocalDigestKey } from '../../shared/audit/digest-signer.ts';
import { ensureDigestTable } from '../../shared/audit/digest-store.ts';
import { createSfnClient } from '../../shared/aws/sfn-client.ts';
import { createEventStore } from '../../shared/events/store.ts';
import { ensureEventTable } from '../../shared/events/table.ts';
import { ensureKeysTable } from '../../shared/privacy/key-store.ts';
import { loadOrCreateLocalMasterKey } from '../../shared/privacy/key-wrapper.ts';
import { storedSources, tenantVersions } from '../../shared/registry/bundle.ts';
import { createContentStore } from '../../shared/registry/content.ts';
import { createProcedureMachines } from '../../shared/registry/machines.ts';
import { createAopRegistry } from '../../shared/registry/registry.ts';
import { syncProcedures } from '../../shared/registry/release.ts';
import { importTenant, onlyTenantFolder, useTenant } from '../../shared/tenant/load.ts';
import { ensureTenantTables } from '../../shared/tenant/tables.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { StartupError } from './errors.ts';
import { createHttpAdapter } from './http-adapter.ts';
import { checkModelChoice } from './model-check.ts';
import { describeModelChoice, LOCAL_MODEL, type ModelChoice } from './model-choice.ts';
import { startOpenAiCompatibleAdapter } from './model-endpoint/openai-adapter.ts';
import { startLocalModelEndpoint } from './model-endpoint/server.ts';
import type { LambdaHandler } from './sfn-endpoint/lambda-bridge.ts';
import { startLocalSfnEndpoint } from './sfn-endpoint/server.ts';
import { startTenantServices } from './tenant-services.ts';

/**
 * The whole platform on one machine (DESIGN.md decision 4): DynamoDB Local, the local Step Functions
 * endpoint running the compiled ASL, the local model endpoint, and an HTTP server with the API
 * Gateway routes. The handlers are the Lambda handlers of `functions/`, configured through the same
 * environment variables as in AWS; only the endpoints differ.
 */
export interface PlatformOptions {
  readonly port?: number;
  /** Use an already running DynamoDB (tests share one); default: start DynamoDB Local. */
  readonly dynamodbEndpoint?: string;
  /** Prefix of every table, so several platforms can share one DynamoDB. Default: the tenant's name. */
  readonly tenant?: string;
  readonly aopsDir?: string;
  /**
   * Store customer text and personal fields encrypted with per-conversation data keys, so `aop erase`
   * can destroy them. Default: true. The handlers, `aop audit` and `aop replay` read through
   * shared/privacy; `false` stores plaintext (recording replay goldens, which must replay offline).
   * See docs/versions-and-rollback.md, Erasure.
   */
  readonly encryptCustomerData?: boolean;
  /** The local master key wrapping the data keys. Default: `.cache/local-master-key` (made on first use). */
  readonly masterKeyFile?: string;
  /**
   * The channel sessions' HMAC secret (base64, ≥ 32 bytes). Default: `.cache/local-session-secret`
   * (made on first use), so session tokens survive a restart.
   */
  readonly sessionSecret?: string;
  /** The operator token the audit routes require. Default: a new random token per start. */
  readonly operatorToken?: string;
  /**
   * The Ed25519 key that signs chain digests (docs/audit.md, Digests). Default:
   * `.cache/local-digest-key` (made on first use), beside the local master key.
   */
  readonly digestKeyFile?: string;
  /** How long a turn's lease lasts without renewal (ms). Default: the handlers' (30 s). */
  readonly leaseMs?: number;
  /** How long a message to a busy conversation waits before its 202 (ms). Default: the handlers' (6 s). */
  readonly answerWaitMs?: number;
  /**
   * Keep DynamoDB Local's tables in this directory, so conversations, audit trails and AOP versions
   * outlive a restart (`npm start` uses `.cache/dynamodb-data`). Default: in memory, as tests want.
   * Not used with `dynamodbEndpoint`.
   */
  readonly dataDir?: string;
  /**
   * The tenant's retail data tables: `true` writes every record of the τ² data (a changed order goes
   * back to its seed state), `'missing'` writes only the records the tables lack (a restart keeps what
   * conversations changed, so the data agrees with their audit trails), `false` writes none.
   * Default: `'missing'` with a `dataDir`, else `true`.
   */
  readonly seed?: boolean | 'missing';
  /**
   * Which model reads the customer's messages (docs/local-model.md, "Choosing the model"). Default: the
   * local extraction engine. Checked before anything starts: a `StartupError` says what is missing.
   */
  readonly model?: ModelChoice;
  readonly log?: (line: string) => void;
  /**
   * Wraps each step function the state machines call (`aop simulate` runs every tool call inside its
   * conversation's context, to see which data items it wrote). Default: the handlers as they are.
   */
  readonly wrapStep?: (
    step: 'understand' | 'run-tool' | 'reply' | 'handoff',
    handler: LambdaHandler,
  ) => LambdaHandler;
}

export interface RunningPlatform {
  readonly url: string;
  readonly tenant: string;
  readonly eventsTable: string;
  readonly dataTablePrefix: string;
  /** The tenant's declared data tables (`<tenant>-users`, …), not its events, keys or digests. */
  readonly dataTables: readonly string[];
  /** The tenant folder served (`retail`). */
  readonly served: string;
  /** A first message a customer of this tenant might send (the first example of its procedures). */
  readonly exampleMessage: string;
  /** The tenant's services (stand-ins of the APIs its tools call): name → base URL. */
  readonly services: Readonly<Record<string, string>>;
  readonly dynamodbEndpoint: string;
  /** Where DynamoDB Local keeps the tables; null when they are in memory or in another DynamoDB. */
  readonly dataDir: string | null;
  readonly sfnEndpoint: string;
  /** Table of the per-conversation data keys; null when customer data is not encrypted. */
  readonly keysTable: string | null;
  /** The local master key file wrapping those keys (what `aop` commands open them with); null likewise. */
  readonly masterKeyFile: string | null;
  /** The table of signed chain digests, apart from the events (docs/audit.md, Digests). */
  readonly digestsTable: string;
  /** AOP id → ARN of its `live` alias. */
  readonly stateMachines: Record<string, string>;
  /** What the audit routes require as `Authorization: Bearer <operatorToken>`. */
  readonly operatorToken: string;
  /** Which model reads the messages, in words (e.g. "Amazon Bedrock, model …"). */
  readonly model: string;
  stop(): Promise<void>;
}

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';

/** The Lambda ARNs a local tenant's definitions name (what `definitionSubstitutions` are in AWS). */
export function localSubstitutions(tenant: string): Record<string, string> {
  const functionArn = (name: string) => `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${tenant}-${name}`;
  return {
    UnderstandFunctionArn: functionArn('understand'),
    ToolFunctionArn: functionArn('run-tool'),
    ReplyFunctionArn: functionArn('reply'),
    HandoffFunctionArn: functionArn('handoff'),
  };
}

export async function startPlatform(options: PlatformOptions = {}): Promise<RunningPlatform> {
  // Before anything starts: a second `npm start` fails here, with nothing to clean up.
  await ensurePortFree(options.port ?? 3000);
  const stops: (() => Promise<void>)[] = [];
  try {
    return await startParts(options, stops);
  } catch (error) {
    // Whatever failed, nothing started may outlive it (a DynamoDB Local JVM would).
    for (const stop of stops.reverse()) await stop().catch(() => {});
    throw error;
  }
}

async function startParts(
  options: PlatformOptions,
  stops: (() => Promise<void>)[],
): Promise<RunningPlatform> {
  const log = options.log ?? (() => {});
  // The tenant folder served: the one given, or the only one under aops/ (docs/tenants.md). Loaded
  // before anything starts, so a folder that is not a tenant costs no DynamoDB start to find out.
  const aopsDir = options.aopsDir ?? onlyLocalTenant(resolve(import.meta.dirname, '../../aops'));
  const plugin = await importTenant(aopsDir);
  useTenant(plugin);
  // The deployment's name, the prefix of every table: the tenant's own name unless told (tests use a
  // random one), as `cdk deploy -c tenant=<folder>` names its stack's tables.
  const tenant = options.tenant ?? plugin.name;
  const modelChoice = options.model ?? LOCAL_MODEL;
  // Before anything starts, so a missing credential or server costs no DynamoDB start to find out.
  const modelCheck = await checkModelChoice(modelChoice);
  if (modelChoice.kind === 'bedrock') {
    // Real Bedrock signs with the developer's credentials: dummy keys in the environment would come
    // first in the chain and be refused. The local services accept any signature, so they use them too
    // (DynamoDB Local keeps one database whatever the key id: dynamodb-local.ts).
    if (modelCheck.region !== undefined) process.env.AWS_REGION = modelCheck.region;
  } else {
    process.env.AWS_REGION ??= REGION;
    process.env.AWS_ACCESS_KEY_ID ??= 'local';
    process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  }
  // Powertools' own switches: no CloudWatch here; keep the console for warnings.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';

  const dataDir =
    options.dynamodbEndpoint === undefined && options.dataDir !== undefined ? resolve(options.dataDir) : null;
  let dynamodbEndpoint = options.dynamodbEndpoint;
  if (!dynamodbEndpoint) {
    const ddb = await startDynamoDbLocal(dataDir === null ? {} : { dbPath: dataDir });
    stops.push(() => ddb.stop());
    dynamodbEndpoint = ddb.endpoint;
    log(`DynamoDB Local on ${ddb.endpoint}, ${dataDir === null ? 'in memory' : `data in ${dataDir}`}`);
  }
  process.env.AWS_ENDPOINT_URL_DYNAMODB = dynamodbEndpoint;
  const { modelId, endpoint: modelEndpoint } = await startModel(modelChoice, stops);
  log(
    `model: ${describeModelChoice(modelChoice)}, ${modelCheck.note}${modelEndpoint ? `; Converse endpoint on ${modelEndpoint}` : ''}`,
  );

  const eventsTable = `${tenant}-events`;
  // The tenant's own tables: `<tenant>-<table>`, the names the stack gives them in AWS.
  const dataTablePrefix = `${tenant}-`;
  const dynamodb = new DynamoDBClient({ endpoint: dynamodbEndpoint });
  stops.push(async () => dynamodb.destroy());
  await ensureEventTable(dynamodb, eventsTable);
  await ensureTenantTables(dynamodb, dataTablePrefix, plugin.tables);
  const keysTable = (options.encryptCustomerData ?? true) ? `${tenant}-keys` : null;
  const masterKeyFile = keysTable
    ? resolve(options.masterKeyFile ?? resolve(import.meta.dirname, '../../.cache/local-master-key'))
    : null;
  if (keysTable && masterKeyFile) {
    await ensureKeysTable(dynamodb, keysTable);
    const masterKey = loadOrCreateLocalMasterKey(masterKeyFile);
    Object.assign(process.env, { KEYS_TABLE: keysTable, LOCAL_MASTER_KEY: masterKey.toString('base64') });
  } else {
    delete process.env.KEYS_TABLE;
    delete process.env.LOCAL_MASTER_KEY;
  }
  // Chain digests go to a table of their own, signed with a key the events table's writer lacks.
  const digestsTable = `${tenant}-digests`;
  await ensureDigestTable(dynamodb, digestsTable);
  const digestKey = loadOrCreateLocalDigestKey(
    resolve(options.digestKeyFile ?? resolve(import.meta.dirname, '../../.cache/local-digest-key')),
  );
  Object.assign(process.env, {
    DIGESTS_TABLE: digestsTable,
    LOCAL_DIGEST_KEY: Buffer.from(digestKey.export({ type: 'pkcs8', format: 'pem' })).toString('base64'),
  });
  const seed = options.seed ?? (dataDir === null ? true : 'missing');
  const seeded =
    seed === false || !plugin.seed
      ? 0
      : await plugin.seed({
          client: dynamodb,
          tablePrefix: dataTablePrefix,
          onlyMissing: seed === 'missing',
        });
  log(`tables ${eventsTable} and ${dataTablePrefix}* ready, ${seeded} ${plugin.name} records seeded`);
  // The tenant's stand-ins of the APIs its tools call, before the tools load (they read the URLs).
  let serviceUrls: Readonly<Record<string, string>> = {};
  if ((plugin.services ?? []).length > 0) {
    const services = await startTenantServices(plugin, aopsDir);
    stops.push(() => services.stop());
    Object.assign(process.env, services.env);
    serviceUrls = services.urls;
    log(
      `services: ${Object.entries(services.urls)
        .map(([name, url]) => `${name} on ${url}`)
        .join(', ')}`,
    );
  }
  const sessionSecret =
    options.sessionSecret ??
    loadOrCreateSecret(resolve(import.meta.dirname, '../../.cache/local-session-secret'));
  const operatorToken = options.operatorToken ?? randomBytes(24).toString('base64url');

  const { projects } = await loadProjects([aopsDir]);
  const project = projects[0];
  if (!project) throw new Error('No tenant procedures found to compile');
  // Paths relative to the tenant folder, so a version's content hash does not depend on the cwd.
  const { results: compiled, contents } = tenantVersions(
    storedSources(project, process.cwd()),
    project.catalogue,
  );
  const broken = compiled.filter((aop) => !aop.asl);
  if (broken.length > 0)
    throw new Error(
      `Procedures do not compile: ${broken.map((aop) => `${aop.file} (${aop.diagnostics[0]?.code}: ${aop.diagnostics[0]?.message})`).join('; ')}`,
    );

  Object.assign(process.env, {
    TENANT: tenant,
    EVENTS_TABLE: eventsTable,
    DATA_TABLE_PREFIX: dataTablePrefix,
    MODEL_ID: modelId,
    FALLBACK_AOP: plugin.fallbackAop,
    SESSION_SECRET: sessionSecret,
    AUDIT_AUTH: 'token',
    OPERATOR_TOKEN_SHA256: createHash('sha256').update(operatorToken).digest('hex'),
    ...(options.leaseMs === undefined ? {} : { LEASE_MS: String(options.leaseMs) }),
    ...(options.answerWaitMs === undefined ? {} : { ANSWER_WAIT_MS: String(options.answerWaitMs) }),
  });
  const [understand, runTool, reply, handoff] = await Promise.all([
    import('../../functions/understand.ts'),
    import('../../functions/run-tool.ts'),
    import('../../functions/reply.ts'),
    import('../../functions/handoff.ts'),
  ]);
  const substitutions = localSubstitutions(tenant);
  const wrap: NonNullable<PlatformOptions['wrapStep']> = options.wrapStep ?? ((_, handler) => handler);
  const sfnEndpoint = await startLocalSfnEndpoint({
    port: 0,
    lambdas: {
      [substitutions.UnderstandFunctionArn!]: wrap('understand', understand.handler),
      [substitutions.ToolFunctionArn!]: wrap('run-tool', runTool.handler),
      [substitutions.ReplyFunctionArn!]: wrap('reply', reply.handler),
      [substitutions.HandoffFunctionArn!]: wrap('handoff', handoff.handler),
    },
  });
  stops.push(() => sfnEndpoint.stop());
  const sfn = createSfnClient({ endpoint: sfnEndpoint.endpoint, region: REGION });
  // Each changed procedure is published as its next version and goes live; an unchanged one keeps the
  // version `live` names in the registry (a rollback outlives a restart). See docs/versions-and-rollback.md.
  const { stateMachines, routes, published } = await syncProcedures(
    {
      registry: createAopRegistry({
        events: createEventStore({ client: dynamodb, tableName: eventsTable }),
        contents: createContentStore({ client: dynamodb, tableName: eventsTable }),
      }),
      machines: createProcedureMachines({
        sfn,
        substitutions,
        roleArn: `arn:aws:iam::${ACCOUNT}:role/${tenant}-states`,
        machineName: (aopId) => `${tenant}-${aopId}`,
      }),
    },
    { contents: contents.values(), note: 'published by the local platform at start', actor: 'system' },
  );
  Object.assign(process.env, {
    STATE_MACHINES: JSON.stringify(stateMachines),
    AOP_ROUTES: JSON.stringify(routes),
    AWS_ENDPOINT_URL_SFN: sfnEndpoint.endpoint,
  });
  log(
    `local Step Functions on ${sfnEndpoint.endpoint}: ${Object.keys(stateMachines).length} state machines (alias live: ${published.map((p) => `${p.aopId} v${p.live}`).join(', ')})`,
  );

  const [chat, audit] = await Promise.all([
    import('../../functions/chat-ingress.ts'),
    import('../../functions/audit-api.ts'),
  ]);
  const server = createHttpAdapter([
    { prefix: /^\/v1\/chat\//, handler: chat.handler },
    { prefix: /^\/v1\/conversations\//, handler: audit.handler },
  ]);
  await new Promise<void>((done) => server.listen(options.port ?? 3000, '127.0.0.1', done));
  stops.push(() => new Promise((done) => server.close(() => done())));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // What a helpdesk ticket links to: the conversation's audit timeline on this platform.
  process.env.AUDIT_TIMELINE_URL = `${url}/v1/conversations/{conversationId}/events`;
  return {
    url,
    tenant,
    eventsTable,
    dataTablePrefix,
    dataTables: plugin.tables.map((table) => `${dataTablePrefix}${table.name}`),
    served: plugin.name,
    services: serviceUrls,
    exampleMessage: routes.find((route) => (route.examples ?? []).length > 0)?.examples?.[0] ?? 'Hello',
    dynamodbEndpoint,
    dataDir,
    sfnEndpoint: sfnEndpoint.endpoint,
    keysTable,
    masterKeyFile,
    digestsTable,
    stateMachines,
    operatorToken,
    model: describeModelChoice(modelChoice),
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => {});
    },
  };
}

/**
 * Starts what answers the handlers' Converse calls for the choice and points them at it; returns the
 * `MODEL_ID` they send. Bedrock needs nothing started: the SDK's own endpoint for the region is used.
 */
async function startModel(
  choice: ModelChoice,
  stops: (() => Promise<void>)[],
): Promise<{ modelId: string; endpoint: string | null }> {
  if (choice.kind === 'bedrock') {
    // A previous local platform in this process may have set it; real Bedrock must use the SDK's endpoint.
    delete process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME;
    return { modelId: choice.modelId, endpoint: null };
  }
  const endpoint =
    choice.kind === 'openai'
      ? await startOpenAiCompatibleAdapter({ baseUrl: choice.baseUrl })
      : await startLocalModelEndpoint({ port: 0 });
  stops.push(() => endpoint.stop());
  process.env.AWS_ENDPOINT_URL_BEDROCK_RUNTIME = endpoint.endpoint;
  return {
    // The OpenAI-compatible adapter sends the Converse path's model id as the chat-completions `model`.
    modelId: choice.kind === 'openai' ? choice.model : 'local.extraction-engine',
    endpoint: endpoint.endpoint,
  };
}

/** Fails with a `StartupError` when something already listens on the port (another platform, most often). */
export async function ensurePortFree(port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((done, fail) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      fail(
        error.code === 'EADDRINUSE'
          ? new StartupError(
              `Port ${port} on 127.0.0.1 is already in use (another npm start?): stop that process, or start on another port, e.g. PORT=${port + 1} npm start.`,
              { cause: error },
            )
          : error,
      ),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => done()));
  });
}

/** The one tenant folder under `root`, as a startup problem the developer fixes when there are several. */
function onlyLocalTenant(root: string): string {
  try {
    return onlyTenantFolder(root);
  } catch (error) {
    throw new StartupError(`npm start: ${(error as Error).message}`, { cause: error });
  }
}

/** A local secret kept across restarts (session tokens stay valid); created once, readable only by its owner. */
function loadOrCreateSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64');
  try {
    writeFileSync(file, `${secret}\n`, { flag: 'wx', mode: 0o600 });
  } catch {
    // Another platform (a parallel test file) made it first: use theirs.
    return readFileSync(file, 'utf8').trim();
  }
  chmodSync(file, 0o600);
  return secret;
}
