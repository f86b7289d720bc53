import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { isStartupError } from './errors.ts';
import { type RunningPlatform, startPlatform } from './platform.ts';
import { startOptionsFrom } from './start-options.ts';

// Lambda runs Node 22; on a Node 20 workstation the SDK would print a support notice on every start.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const port = Number(process.env.PORT ?? 3000);
const started = Date.now();
let platform: RunningPlatform;
try {
  // `npm start -- --model <choice>` (else AOP_MODEL, else the local extraction engine) and
  // `--in-memory` (else the tables are kept in .cache/dynamodb-data).
  const { model, dataDir, aopsDir } = startOptionsFrom({ args: process.argv.slice(2), env: process.env });
  platform = await startPlatform({
    port,
    model,
    ...(aopsDir === undefined ? {} : { aopsDir }),
    ...(dataDir === null ? {} : { dataDir }),
    log: (line) => process.stdout.write(`  ${line}\n`),
  });
} catch (error) {
  // A setup problem the developer fixes (a flag, a credential, a server to start): the message says
  // how, and a stack trace would only bury it.
  if (!isStartupError(error)) throw error;
  process.stderr.write(`\n${error.message}\n\n`);
  process.exit(1);
}

// Where the `aop` commands (audit, replay, versions…) find the running platform without flags; removed on stop.
const PLATFORM_FILE = resolve(import.meta.dirname, '../../.cache/platform.json');
mkdirSync(dirname(PLATFORM_FILE), { recursive: true });
writeFileSync(
  PLATFORM_FILE,
  `${JSON.stringify(
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
  )}\n`,
  { mode: 0o600 },
);
process.stdout.write(`
AOP platform (tenant "${platform.tenant}", ${platform.served} procedures) ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${platform.url}
  model: ${platform.model}
  data:  ${platform.dataDir === null ? 'in memory, gone when this stops' : `kept in ${relative(process.cwd(), platform.dataDir) || '.'} (a throw-away run: npm start -- --in-memory)`}

  curl -s -X POST ${platform.url}/v1/chat/conversations -H 'content-type: application/json' \\
       -d '{"message": "Hi, I want to cancel my order #W5918442"}'
  (later messages send the answer's sessionToken as the x-session-token header)

  operator token for the audit routes (Authorization: Bearer …): ${platform.operatorToken}

  or talk to it from a terminal:  npx aop chat --url ${platform.url}
  audit a conversation:           npx aop audit show <conversation-id>

Press Ctrl+C to stop.
`);

/** Another platform may have started since and written its own file: remove only ours. */
function removePlatformFile() {
  try {
    if ((JSON.parse(readFileSync(PLATFORM_FILE, 'utf8')) as { url?: string }).url === platform.url)
      rmSync(PLATFORM_FILE, { force: true });
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
