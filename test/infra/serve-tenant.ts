import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startPlatform } from '../../infra/local/platform.ts';

/**
 * Serves one tenant folder on a local platform in a process of its own (a process serves one tenant),
 * writes `<dir>/platform.json` (what `npm start` writes for the `aop` commands), prints
 * `READY <url> <json: tables, services, operator token, platform file>` and runs until it is stopped:
 * `npx tsx test/infra/serve-tenant.ts <folder> <name> <dir>`.
 */
const [folder, name, dir] = process.argv.slice(2);
if (!folder || !name || !dir) throw new Error('usage: serve-tenant.ts <tenant folder> <name> <dir>');
const platform = await startPlatform({ port: 0, tenant: name, aopsDir: folder });
const platformFile = join(dir, 'platform.json');
writeFileSync(
  platformFile,
  JSON.stringify({
    url: platform.url,
    dynamodbEndpoint: platform.dynamodbEndpoint,
    sfnEndpoint: platform.sfnEndpoint,
    eventsTable: platform.eventsTable,
    dataTablePrefix: platform.dataTablePrefix,
    tenant: platform.tenant,
    region: 'us-east-1',
    stateMachines: platform.stateMachines,
    keysTable: platform.keysTable,
    masterKeyFile: platform.masterKeyFile,
    digestsTable: platform.digestsTable,
    operatorToken: platform.operatorToken,
  }),
  { mode: 0o600 },
);
process.stdout.write(
  `READY ${platform.url} ${JSON.stringify({
    tables: platform.dataTables,
    services: platform.services,
    operatorToken: platform.operatorToken,
    platformFile,
  })}\n`,
);
const stop = async () => {
  await platform.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
