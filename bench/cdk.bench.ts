import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { AssetStaging } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { HANDLERS, type HandlerKey } from '../infra/aws/constructs/handlers.ts';
import { createTenantApp } from '../infra/aws/tenant-app.ts';
import { listFolderDeployments, listTenants, loadTenantConfig } from '../infra/aws/tenant-config.ts';
import type { BenchOptions } from './options.ts';

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

/**
 * Per tenant: the time to build its stack (compile the AOPs, bundle the six handlers with esbuild, construct)
 * and to synthesize it (template, assets, AwsSolutions checks), from a cold bundle cache; then each handler's
 * bundle size (index.mjs, gzipped, and its source map) and the tenant folders it was built from (its
 * source map's inputs under aops/: only the tenant the stack serves). `short`: one deployment per tenant folder.
 */
export async function run({ short = false }: BenchOptions = {}): Promise<void> {
  // Every deployment: the files of infra/aws/tenants/ and the tenant folders that carry a deploy.json.
  const tenants = [...new Set([...listTenants(), ...listFolderDeployments()])].sort();
  // `short`: one deployment per tenant folder, so each tenant's bundles are still listed.
  const folders = new Set<string>();
  const measured = short
    ? tenants.filter((tenant) => {
        const folder = loadTenantConfig(tenant).aopsDir;
        if (folders.has(folder)) return false;
        folders.add(folder);
        return true;
      })
    : tenants;
  process.stdout.write(
    `cdk: synth time per tenant and Lambda bundle sizes${measured.length < tenants.length ? ` (${measured.join(', ')} of ${tenants.length} tenants)` : ''}\n`,
  );
  for (const tenant of measured) {
    const outdir = mkdtempSync(join(tmpdir(), `cdk-bench-${tenant}-`));
    try {
      AssetStaging.clearAssetHashCache();
      const started = performance.now();
      const { app, stack } = await createTenantApp({ tenant, outdir });
      const built = performance.now();
      app.synth();
      const done = performance.now();
      const template = statSync(join(outdir, stack.templateFile)).size;
      process.stdout.write(
        `  ${tenant}: ${Math.round(done - started)} ms (compile + bundle + construct ${Math.round(built - started)} ms, ` +
          `synth + cdk-nag ${Math.round(done - built)} ms), template ${kib(template)}, ` +
          `${stack.procedures.machines.length} state machines\n`,
      );
      for (const key of Object.keys(HANDLERS) as HandlerKey[]) {
        const cfn = stack.handlers.functions[key].node.defaultChild as CfnFunction;
        const code = stack.resolve(cfn.code) as { s3Key: string };
        const assetDir = join(outdir, `asset.${code.s3Key.replace(/\.zip$/, '')}`);
        const bundle = readFileSync(join(assetDir, 'index.mjs'));
        const map = statSync(join(assetDir, 'index.mjs.map')).size;
        // Which tenant folders the bundle was built from (its source map lists every input file).
        const sources = (
          JSON.parse(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8')) as { sources: string[] }
        ).sources;
        const tenantsIn = [
          ...new Set(sources.flatMap((source) => /\baops\/([^/]+)\//.exec(source)?.[1] ?? [])),
        ];
        process.stdout.write(
          `    ${HANDLERS[key].name.padEnd(13)} ${kib(bundle.length).padStart(10)}  gzip ${kib(gzipSync(bundle).length).padStart(9)}  map ${kib(map).padStart(10)}  tenants in the bundle: ${tenantsIn.join(', ') || 'none'}\n`,
        );
      }
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await run();
