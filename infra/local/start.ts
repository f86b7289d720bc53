import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { tenantFolders } from '../../shared/tenant/load.ts';
import { startDynamoDbLocal } from './dynamodb-local.ts';
import { isStartupError, StartupError } from './errors.ts';
import { ensurePortFree, type RunningPlatform, startPlatform } from './platform.ts';
import { DEFAULT_DATA_DIR, type StartOptions, startOptionsFrom } from './start-options.ts';

// Lambda runs Node 22; on a Node 20 workstation the SDK would print a support notice on every start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const port = Number(process.env.PORT ?? 3000);
const started = Date.now();
const AOPS_ROOT = resolve(import.meta.dirname, '../../aops');
let platform: RunningPlatform;
// A process `npm start` started for one of several tenants, on the DynamoDB Local it runs (persistent
// unless --in-memory).
let startedBySupervisor = false;
try {
  // `npm start -- --model <choice>` (else AOP_MODEL, else the local extraction engine), `--in-memory`
  // (else the tables are kept in .cache/dynamodb-data) and `--aops <tenant folder>` (else every one).
  const options = startOptionsFrom({ args: process.argv.slice(2), env: process.env });
  const folders = options.aopsDirs.length > 0 ? options.aopsDirs : tenantFolders(AOPS_ROOT);
  if (folders.length === 0)
    throw new StartupError(
      `npm start: no tenant folder under ${AOPS_ROOT} (a folder with a tenant.ts; docs/tenants.md).`,
    );
  // Several tenants: one process each (the handlers are configured through the process environment,
  // as in Lambda), on consecutive ports, sharing one DynamoDB Local. This process supervises them.
  if (folders.length > 1) await superviseTenants(folders, options);
  startedBySupervisor = options.dynamodbEndpoint !== undefined && options.dataDir !== null;
  platform = await startPlatform({
    port,
    model: options.model,
    aopsDir: folders[0]!,
    ...(options.dynamodbEndpoint === undefined
      ? options.dataDir === null
        ? {}
        : { dataDir: options.dataDir }
      : // A supervisor's DynamoDB: keep what conversations changed unless it is a throw-away one.
        { dynamodbEndpoint: options.dynamodbEndpoint, seed: options.dataDir === null ? true : 'missing' }),
    log: (line) => process.stdout.write(`  ${line}\n`),
  });
} catch (error) {
  // A setup problem the developer fixes (a flag, a credential, a server to start): the message says
  // how, and a stack trace would only bury it.
  if (!isStartupError(error)) throw error;
  process.stderr.write(`\n${error.message}\n\n`);
  process.exit(1);
}

// Where the `aop` commands (audit, replay, versions…) find the running platform without flags
// (`.cache/platform.json`: the first tenant served), and each tenant's (`.cache/platforms/<tenant>.json`,
// for `--platform`); removed on stop.
const PLATFORM_FILE = resolve(import.meta.dirname, '../../.cache/platform.json');
const TENANT_PLATFORM_FILE = resolve(import.meta.dirname, `../../.cache/platforms/${platform.tenant}.json`);
const platformFiles =
  process.env.AOP_START_SECONDARY === '1' ? [TENANT_PLATFORM_FILE] : [PLATFORM_FILE, TENANT_PLATFORM_FILE];
const platformJson = `${JSON.stringify(
  {
    url: platform.url,
    dynamodbEndpoint: platform.dynamodbEndpoint,
    sfnEndpoint: platform.sfnEndpoint,
    eventsTable: platform.eventsTable,
    dataTablePrefix: platform.dataTablePrefix,
    tenant: platform.tenant,
    region: process.env.AWS_REGION ?? 'us-east-1',
    stateMachines: platform.stateMachines,
    // Where the `aop` commands find the data keys and the master key that opens them (shared/privacy);
    // null when the platform stores customer data in the clear.
    keysTable: platform.keysTable,
    masterKeyFile: platform.masterKeyFile,
    // The signed chain digests `aop audit verify` checks the events against.
    digestsTable: platform.digestsTable,
    // The audit routes' credential (this file is written readable only by its owner).
    operatorToken: platform.operatorToken,
  },
  null,
  2,
)}\n`;
for (const file of platformFiles) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, platformJson, { mode: 0o600 });
}
process.stdout.write(`
AOP platform (tenant "${platform.tenant}", ${platform.served} procedures) ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${platform.url}
  model: ${platform.model}
  data:  ${dataWhere()}

  curl -s -X POST ${platform.url}/v1/chat/conversations -H 'content-type: application/json' \\
       -d '${JSON.stringify({ message: platform.exampleMessage }).replaceAll("'", "'\\''")}'
  (later messages send the answer's sessionToken as the x-session-token header)

  operator token for the audit routes (Authorization: Bearer …): ${platform.operatorToken}

  or talk to it from a terminal:  npx aop chat --url ${platform.url}${process.env.AOP_START_SECONDARY === '1' ? `\n  aop commands for this tenant:    --platform .cache/platforms/${platform.tenant}.json` : ''}
  audit a conversation:           npx aop audit show <conversation-id>

Press Ctrl+C to stop.
`);

/** Another platform may have started since and written its own file: remove only ours. */
function removePlatformFile() {
  for (const file of platformFiles)
    try {
      if ((JSON.parse(readFileSync(file, 'utf8')) as { url?: string }).url === platform.url)
        rmSync(file, { force: true });
    } catch {
      // Already gone, or not ours to read.
    }
}

const shutdown = async () => {
  removePlatformFile();
  await platform.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
process.on('exit', removePlatformFile);

/**
 * Serves several tenants: starts one DynamoDB Local (kept in .cache/dynamodb-data unless --in-memory)
 * and one platform process per tenant folder, on PORT, PORT+1, … in folder order, its output prefixed
 * with the tenant's name. Runs until Ctrl+C, then stops the tenants and the database; never returns.
 */
async function superviseTenants(folders: readonly string[], options: StartOptions): Promise<never> {
  // Every tenant's port first, so a busy one stops the start before anything runs (one line, exit 1).
  for (let index = 0; index < folders.length; index++) await ensurePortFree(port + index);
  const database = await startDynamoDbLocal(options.dataDir === null ? {} : { dbPath: options.dataDir });
  // Every flag but the folders goes to each tenant's process as given (--model, --in-memory).
  const passOn: string[] = [];
  const args = process.argv.slice(2);
  for (let index = 0; index < args.length; index++) {
    if (args[index] === '--aops') index++;
    else if (!args[index]!.startsWith('--aops=')) passOn.push(args[index]!);
  }
  const children = folders.map((folder, index) => {
    const name = basename(folder);
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        import.meta.filename,
        ...passOn,
        '--aops',
        folder,
        '--dynamodb-endpoint',
        database.endpoint,
      ],
      {
        env: { ...process.env, PORT: String(port + index), AOP_START_SECONDARY: index === 0 ? '0' : '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    for (const stream of [child.stdout, child.stderr])
      createInterface({ input: stream }).on('line', (line) =>
        (stream === child.stderr ? process.stderr : process.stdout).write(`[${name}] ${line}\n`),
      );
    return { name, child, port: port + index };
  });
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all(
      children.map(
        ({ child }) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      ),
    );
    await database.stop();
    process.exit(code);
  };
  for (const { name, child } of children)
    child.once('exit', (code) => {
      if (stopping) return;
      process.stderr.write(`\nThe tenant "${name}" stopped (exit code ${code}); stopping the others.\n`);
      void stopAll(code === 0 ? 1 : (code ?? 1));
    });
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  process.stdout.write(
    `Serving ${children.length} tenants, one process each, sharing DynamoDB Local on ${database.endpoint} (started in ${((Date.now() - started) / 1000).toFixed(1)} s):\n${children.map(({ name, port: tenantPort }) => `  ${name}: http://127.0.0.1:${tenantPort}`).join('\n')}\n\n`,
  );
  return new Promise<never>(() => {});
}

/** Where this platform's tables are, in words: its own DynamoDB Local's directory, a supervisor's, or memory. */
function dataWhere(): string {
  const dir = platform.dataDir ?? (startedBySupervisor ? DEFAULT_DATA_DIR : null);
  return dir === null
    ? 'in memory, gone when this stops'
    : `kept in ${relative(process.cwd(), dir) || '.'} (a throw-away run: npm start -- --in-memory)`;
}
