import { startPlatform } from '../../infra/local/platform.ts';
import { RETAIL_AOPS } from '../support/retail.ts';

/**
 * The local platform in a process of its own, as `npm start` runs it, for the restart tests: each
 * process imports the handlers afresh (their clients are built once per process, as on Lambda).
 * Configured by the environment; prints `LOG <line>` for each start log line, then one
 * `READY <json>` line when it serves; SIGTERM stops it.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`platform process: ${name} is required`);
  return value;
};
const platform = await startPlatform({
  aopsDir: RETAIL_AOPS,
  port: 0,
  tenant: env('PLATFORM_TENANT'),
  dataDir: env('PLATFORM_DATA_DIR'),
  masterKeyFile: env('PLATFORM_MASTER_KEY_FILE'),
  operatorToken: env('PLATFORM_OPERATOR_TOKEN'),
  log: (line) => process.stdout.write(`LOG ${line}\n`),
});
process.stdout.write(
  `READY ${JSON.stringify({ url: platform.url, dynamodbEndpoint: platform.dynamodbEndpoint, dataTablePrefix: platform.dataTablePrefix })}\n`,
);
process.once('SIGTERM', async () => {
  await platform.stop();
  process.exit(0);
});
