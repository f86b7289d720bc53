import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SFNClient } from '@aws-sdk/client-sfn';
import { z } from 'zod';
import { formatDiagnostic } from '../shared/aop/index.ts';
import { createSfnClient } from '../shared/aws/sfn-client.ts';
import { createEventStore, type EventStore } from '../shared/events/store.ts';
import { createDataKeyStore } from '../shared/privacy/key-store.ts';
import { createLocalKeyWrapper, loadOrCreateLocalMasterKey } from '../shared/privacy/key-wrapper.ts';
import { createPrivateEventStore } from '../shared/privacy/private-store.ts';
import { irOfContent, storedSources, tenantVersions } from '../shared/registry/bundle.ts';
import { createContentStore } from '../shared/registry/content.ts';
import { diffAops } from '../shared/registry/diff.ts';
import { isRegistryOutOfSyncError, isUnknownVersionError } from '../shared/registry/errors.ts';
import { createProcedureMachines } from '../shared/registry/machines.ts';
import { type AopRegistry, createAopRegistry, LIVE_ALIAS } from '../shared/registry/registry.ts';
import { publishVersion, rollback } from '../shared/registry/release.ts';
import type { AuditTarget } from './audit.ts';
import { type CliIo, CliUsageError, processIo } from './io.ts';
import { type ConnectionFlags, runAop } from './program.ts';
import { loadProjects } from './project.ts';

/**
 * `aop versions | diff | publish | rollback`: the release history of a procedure and the moves of its
 * `live` alias. Against the local platform (`npm start`) the endpoints and table names come from
 * `.cache/platform.json`; flags override them, and without any the AWS SDK's own configuration is used.
 */

/** What `.cache/platform.json` may say about the running local platform; unknown keys are ignored. */
const PlatformFileSchema = z
  .object({
    tenant: z.string(),
    eventsTable: z.string(),
    dataTablePrefix: z.string(),
    dynamodbEndpoint: z.string(),
    sfnEndpoint: z.string(),
    // null when the platform stores customer data in the clear (encryptCustomerData: false).
    keysTable: z.string().nullable(),
    masterKeyFile: z.string().nullable(),
    region: z.string(),
    stateMachines: z.record(z.string(), z.string()),
  })
  .partial();

export interface Connection {
  readonly tenant: string;
  readonly dynamodb: DynamoDBClient;
  readonly sfn: SFNClient;
  readonly eventsTable: string;
  readonly dataTablePrefix: string;
  readonly keysTable: string;
  /** The local master key file, when there is one (customer data is then read decrypted). */
  readonly masterKeyFile: string | undefined;
  /** AOP id → `live` alias ARN, as far as known. */
  readonly stateMachines: Readonly<Record<string, string>>;
  /** The local platform's file, when one was read. */
  readonly local: boolean;
  close(): void;
}

export type { CliIo };

/** Where `npm start` leaves the running platform's endpoints and table names (removed on stop). */
const PLATFORM_FILE = resolve(import.meta.dirname, '..', '.cache', 'platform.json');
/** The local platform's master key for customer data keys (infra/local/platform.ts). */
const MASTER_KEY_FILE = resolve(import.meta.dirname, '..', '.cache', 'local-master-key');

/**
 * The running local platform (`.cache/platform.json`, or `--platform FILE`), unless `--tenant` names a
 * deployed tenant; explicit flags win over both.
 */
export function connect(values: ConnectionFlags, cwd: string): Connection {
  const file = values.platform ? resolve(cwd, values.platform) : values.tenant ? undefined : PLATFORM_FILE;
  const platform =
    file && existsSync(file) ? PlatformFileSchema.parse(JSON.parse(readFileSync(file, 'utf8'))) : {};
  const tenant = values.tenant ?? platform.tenant ?? 'local';
  const dynamodbEndpoint = values.dynamodb ?? platform.dynamodbEndpoint;
  const sfnEndpoint = values.sfn ?? platform.sfnEndpoint;
  const local = Boolean(dynamodbEndpoint);
  const credentials = local ? { accessKeyId: 'local', secretAccessKey: 'local' } : undefined;
  const region = platform.region ?? process.env.AWS_REGION ?? (local ? 'us-east-1' : undefined);
  const dynamodb = new DynamoDBClient({
    ...(dynamodbEndpoint ? { endpoint: dynamodbEndpoint } : {}),
    ...(region ? { region } : {}),
    ...(credentials ? { credentials } : {}),
  });
  const sfn = createSfnClient({
    ...(sfnEndpoint ? { endpoint: sfnEndpoint } : {}),
    ...(region ? { region } : {}),
    ...(credentials && sfnEndpoint ? { credentials } : {}),
  });
  return {
    tenant,
    dynamodb,
    sfn,
    eventsTable: values.eventsTable ?? platform.eventsTable ?? `${tenant}-events`,
    dataTablePrefix: values.dataTablePrefix ?? platform.dataTablePrefix ?? `${tenant}-`,
    keysTable: values.keysTable ?? platform.keysTable ?? `${tenant}-keys`,
    masterKeyFile: [
      values.masterKey ? resolve(cwd, values.masterKey) : (platform.masterKeyFile ?? MASTER_KEY_FILE),
    ].find((path) => local && existsSync(path)),
    stateMachines: platform.stateMachines ?? {},
    local,
    close() {
      dynamodb.destroy();
      sfn.destroy();
    },
  };
}

/**
 * Conversation events as the platform's handlers see them: customer data decrypted when the local
 * master key is at hand (it is on the machine running `npm start`), else as stored.
 */
export function eventsOf(connection: Connection): EventStore {
  const stored = createEventStore({ client: connection.dynamodb, tableName: connection.eventsTable });
  if (!connection.masterKeyFile) return stored;
  const keys = createDataKeyStore({
    client: connection.dynamodb,
    tableName: connection.keysTable,
    wrapper: createLocalKeyWrapper(loadOrCreateLocalMasterKey(connection.masterKeyFile)),
  });
  return createPrivateEventStore({ store: stored, keys });
}

/** The connection as the audit and regression readers take it. */
function auditTargetOf(connection: Connection): AuditTarget {
  return {
    client: connection.dynamodb,
    tableName: connection.eventsTable,
    source: { tenant: connection.tenant, table: connection.eventsTable },
    keysTable: connection.keysTable,
    masterKeyFile: connection.masterKeyFile,
    digests: undefined,
  };
}

export function registryOf(connection: Connection): AopRegistry {
  return createAopRegistry({
    events: createEventStore({ client: connection.dynamodb, tableName: connection.eventsTable }),
    contents: createContentStore({ client: connection.dynamodb, tableName: connection.eventsTable }),
  });
}

async function machinesOf(connection: Connection) {
  // The Lambda ARNs only matter when a version is published; they are the local platform's.
  const { localSubstitutions } = await import('../infra/local/platform.ts');
  return createProcedureMachines({
    sfn: connection.sfn,
    substitutions: localSubstitutions(connection.tenant),
    roleArn: `arn:aws:iam::000000000000:role/${connection.tenant}-states`,
    machineName: (aopId) => `${connection.tenant}-${aopId}`,
  });
}

/** `aop versions|diff|publish|rollback …` with these arguments (as typed after the command). */
export function runVersionsCommand(
  command: string,
  args: readonly string[],
  io: CliIo = processIo,
): Promise<number> {
  return runAop([command, ...args], { io });
}

/** Opens the connection, runs one registry command, closes it; a registry refusal is exit 1. */
async function withRegistry(
  command: string,
  flags: ConnectionFlags,
  io: CliIo,
  body: (connection: Connection, cwd: string) => Promise<number>,
): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const connection = connect(flags, cwd);
  try {
    return await body(connection, cwd);
  } catch (error) {
    if (isUnknownVersionError(error) || isRegistryOutOfSyncError(error)) {
      io.err(`aop ${command}: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    connection.close();
  }
}

export function versions(aopId: string, flags: ConnectionFlags & { readonly json?: boolean }, io: CliIo) {
  return withRegistry('versions', flags, io, (connection) =>
    listVersions(connection, aopId, flags.json === true, io),
  );
}

export function diff(
  aopId: string,
  a: string,
  b: string,
  flags: ConnectionFlags & { readonly aops: string },
  io: CliIo,
) {
  return withRegistry('diff', flags, io, (connection, cwd) =>
    diffVersions(connection, aopId, a, b, flags.aops, cwd, io),
  );
}

export interface PublishFlags extends ConnectionFlags {
  readonly note: string;
  /** Publish even when a check of the gate fails (recorded as forced). */
  readonly force?: boolean;
  /** Behavioural differences (ids from `aop regress`) acknowledged as intended. */
  readonly acceptDiff?: readonly string[];
  /** The conversation tests the gate runs; default: the tenant's `tests/`. */
  readonly tests?: readonly string[];
  /** `false` (`--no-simulation`): the gate's simulation is skipped, and recorded as skipped. */
  readonly simulation?: boolean;
}

export function publish(file: string, flags: PublishFlags, io: CliIo) {
  return withRegistry('publish', flags, io, (connection, cwd) =>
    publishFile(connection, file, flags, cwd, io),
  );
}

export function rollbackTo(aopId: string, flags: ConnectionFlags & { readonly to: string }, io: CliIo) {
  return withRegistry('rollback', flags, io, (connection) =>
    rollbackAlias(connection, aopId, flags.to, flags.stateMachine, io),
  );
}

async function listVersions(
  connection: Connection,
  aopId: string,
  json: boolean,
  io: CliIo,
): Promise<number> {
  const history = await registryOf(connection).history(aopId);
  if (history.versions.length === 0) {
    io.err(`aop versions: "${aopId}" has no published version in ${connection.eventsTable}\n`);
    return 1;
  }
  const live = history.aliases[LIVE_ALIAS];
  if (json) {
    io.out(
      `${JSON.stringify({ aopId, live: live ?? null, versions: history.versions, moves: history.moves }, null, 2)}\n`,
    );
    return 0;
  }
  io.out(`${aopId}: ${history.versions.length} version(s), live → v${live ?? '?'}\n`);
  for (const version of [...history.versions].reverse()) {
    io.out(
      `${version.version === live ? '* ' : '  '}v${version.version}  ${version.time}  ${version.sourceHash.slice(0, 12)}  ${version.actor}  ${JSON.stringify(version.note)}${version.version === live ? '  (live)' : ''}\n`,
    );
  }
  for (const move of history.moves.filter((m) => m.alias === LIVE_ALIAS).slice(-5))
    io.out(
      `  live moved v${move.fromVersion ?? '-'} → v${move.toVersion} at ${move.time} by ${move.actor}\n`,
    );
  return 0;
}

async function diffVersions(
  connection: Connection,
  aopId: string,
  a: string,
  b: string,
  aopsDir: string,
  cwd: string,
  io: CliIo,
): Promise<number> {
  const from = Number(a);
  const to = Number(b);
  if (!Number.isInteger(from) || !Number.isInteger(to))
    throw new CliUsageError('give an AOP id and two version numbers, e.g. aop diff cancel-pending-order 1 2');
  const registry = registryOf(connection);
  const [before, after] = await Promise.all([registry.content(aopId, from), registry.content(aopId, to)]);
  const { projects } = await loadProjects([resolve(cwd, aopsDir)], cwd);
  const project = projects.find((p) => p.sources.some((s) => s.text.includes(`id: ${aopId}`))) ?? projects[0];
  if (!project) {
    io.err(`aop diff: no tenant (tenant.ts) under ${aopsDir} to take the tool catalogue from\n`);
    return 2;
  }
  const compiledBefore = irOfContent(before, project.catalogue);
  const compiledAfter = irOfContent(after, project.catalogue);
  const lines = diffAops(compiledBefore.ir, compiledAfter.ir);
  io.out(`${aopId} v${from} → v${to}:\n`);
  if (lines.length === 0)
    io.out(
      before.definition === after.definition
        ? '  no change in meaning (the sources differ only in wording the compiler reads the same way)\n'
        : '  no change at the step level; the compiled state machine differs (compiler or sub-procedure detail)\n',
    );
  for (const line of lines) io.out(`  - ${line}\n`);
  const changedFiles = after.files.filter(
    (file) => before.files.find((old) => old.path === file.path)?.text !== file.text,
  );
  for (const file of changedFiles.slice(1)) io.out(`  - sub-procedure source changed: ${file.path}\n`);
  return 0;
}

async function publishFile(
  connection: Connection,
  file: string,
  flags: PublishFlags,
  cwd: string,
  io: CliIo,
): Promise<number> {
  const { note, stateMachine } = flags;
  const { projects } = await loadProjects([file], cwd);
  const project = projects[0];
  if (!project) {
    io.err(`aop publish: ${file} is not in a tenant folder (no tenant.ts in its folder or above)\n`);
    return 2;
  }
  const sources = storedSources(project, cwd);
  const { results, contents } = tenantVersions(sources, project.catalogue);
  const target = sources.find((source) => resolve(cwd, file).endsWith(source.path));
  const result = results.find((compiled) => compiled.file === target?.path);
  if (!result) {
    io.err(`aop publish: ${file} is not a procedure of ${project.name}\n`);
    return 2;
  }
  for (const diagnostic of result.diagnostics) io.err(`${formatDiagnostic(diagnostic, target?.text)}\n\n`);
  const content = contents.get(result.id);
  if (!content) {
    io.err(`aop publish: ${file} does not compile to a procedure; nothing was published\n`);
    return 1;
  }
  // The release gate: tests, simulation, regression over recorded conversations; recorded either way.
  const registry = registryOf(connection);
  const sourceHash = await createContentStore({
    client: connection.dynamodb,
    tableName: connection.eventsTable,
  }).put(content);
  const current = await registry.history(result.id);
  if (current.versions.some((version) => version.sourceHash === sourceHash)) {
    // Nothing new to gate: publishing it again only names the version it is.
  } else {
    const { runGate } = await import('./release-gate.ts');
    const checks = await runGate({
      target: auditTargetOf(connection),
      aopId: result.id,
      file: resolve(cwd, file),
      tenantDir: project.dir,
      ...(flags.tests === undefined ? {} : { tests: flags.tests.map((path) => resolve(cwd, path)) }),
      accepted: flags.acceptDiff ?? [],
      ...(flags.simulation === false ? { simulation: false as const } : {}),
      log: (text) => io.err(text),
    });
    const failed = checks.filter((check) => check.status === 'failed');
    const verdict = failed.length === 0 ? 'passed' : flags.force ? 'forced' : 'blocked';
    await registry.recordGate({
      aopId: result.id,
      sourceHash,
      verdict,
      checks,
      accepted: flags.acceptDiff ?? [],
      actor: 'operator',
    });
    for (const check of checks) io.err(`gate: ${check.name} ${check.status}: ${check.detail}\n`);
    if (verdict === 'blocked') {
      io.err(
        `aop publish: the gate blocked ${result.id} (${failed.map((check) => check.name).join(', ')} failed); live did not move. Fix it, acknowledge intended differences with --accept-diff <id>, or --force (recorded).\n`,
      );
      return 1;
    }
    if (verdict === 'forced')
      io.err(
        `aop publish: forced past the gate (${failed.map((check) => check.name).join(', ')} failed); recorded\n`,
      );
  }
  const machineArn = stateMachine ?? connection.stateMachines[result.id];
  const published = await publishVersion(
    { registry, machines: await machinesOf(connection) },
    { content, note, actor: 'operator', ...(machineArn ? { machineArn } : {}) },
  );
  io.out(
    published.created
      ? `published ${result.id} v${published.version}; live → v${published.live}\n`
      : `${result.id} is unchanged: it is version ${published.version} already; live → v${published.live}\n`,
  );
  return 0;
}

async function rollbackAlias(
  connection: Connection,
  aopId: string,
  to: string,
  stateMachine: string | undefined,
  io: CliIo,
): Promise<number> {
  const toVersion = Number(to);
  if (!Number.isInteger(toVersion) || toVersion < 1)
    throw new CliUsageError(`--to must be a version number (1, 2, …), not "${to}"`);
  const machineArn = stateMachine ?? connection.stateMachines[aopId];
  if (!machineArn) {
    io.err(
      `aop rollback: no state machine known for "${aopId}"; pass --state-machine ARN (its alias or machine ARN)\n`,
    );
    return 2;
  }
  const result = await rollback(
    { registry: registryOf(connection), machines: await machinesOf(connection) },
    { aopId, toVersion, machineArn, actor: 'operator' },
  );
  io.out(
    result.moved
      ? `${aopId}: live moved v${result.fromVersion ?? '-'} → v${result.toVersion}. New conversations start on v${result.toVersion}; conversations in flight keep their version.\n`
      : `${aopId}: live is v${result.toVersion} already; nothing changed.\n`,
  );
  return 0;
}
