import { resolve } from 'node:path';
import { startPlatform } from '../../infra/local/platform.ts';

/**
 * The local platform in a process of its own, for the crash tests: the test kills it with SIGKILL at
 * a chosen moment and starts another on the same tables. Configured by the environment; prints one
 * `READY <json>` line when it serves.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`crash platform: ${name} is required`);
  return value;
};
const platform = await startPlatform({
  port: 0,
  // Named, not found: another test may have a second tenant folder under aops/ for a moment.
  aopsDir: resolve(import.meta.dirname, '../../aops/retail'),
  tenant: env('CRASH_TENANT'),
  dynamodbEndpoint: env('CRASH_DYNAMODB_ENDPOINT'),
  sessionSecret: env('CRASH_SESSION_SECRET'),
  operatorToken: env('CRASH_OPERATOR_TOKEN'),
  leaseMs: Number(env('CRASH_LEASE_MS')),
  seed: process.env.CRASH_SEED === 'true',
  encryptCustomerData: false,
});
process.stdout.write(
  `READY ${JSON.stringify({ url: platform.url, dataTablePrefix: platform.dataTablePrefix })}\n`,
);
