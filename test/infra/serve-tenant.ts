import { startPlatform } from '../../infra/local/platform.ts';

/**
 * Serves one tenant folder on a local platform in a process of its own (a process serves one tenant),
 * prints `READY <url>` and runs until it is stopped: `npx tsx test/infra/serve-tenant.ts <folder> <name>`.
 */
const [folder, name] = process.argv.slice(2);
if (!folder || !name) throw new Error('usage: serve-tenant.ts <tenant folder> <name>');
const platform = await startPlatform({ port: 0, tenant: name, aopsDir: folder });
process.stdout.write(`READY ${platform.url} ${JSON.stringify(platform.dataTables)}\n`);
const stop = async () => {
  await platform.stop();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
