import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { importTenant } from '../../shared/tenant/load.ts';
import { addNagChecks } from './nag.ts';
import { compileTenantProcedures } from './procedures.ts';
import { loadTenantConfig, REPO_ROOT, TENANTS_DIR } from './tenant-config.ts';
import { TenantStack, tenantStackName } from './tenant-stack.ts';

export interface AddTenantStackOptions {
  /** The tenant's name (`-c tenant=NAME`); validated against `infra/aws/tenants/*.json`. */
  readonly tenant: string | undefined;
  /** Default: `infra/aws/tenants`. */
  readonly tenantsDir?: string;
  /** Default: the repository root. */
  readonly root?: string;
  /** Default: `<root>/functions`. */
  readonly functionsDir?: string;
}

/**
 * Loads and validates the tenant's configuration, compiles its AOPs, and adds its stack to `app`.
 * Used by the CDK app (`app.ts`), the infra tests and the bench, so all three build the same stack.
 */
export async function addTenantStack(
  app: App,
  { tenant, tenantsDir = TENANTS_DIR, root = REPO_ROOT, functionsDir }: AddTenantStackOptions,
): Promise<TenantStack> {
  const config = loadTenantConfig(tenant, { dir: tenantsDir, root });
  // The tenant folder the config names is a plug-in: its declaration says which tables to create.
  const plugin = await importTenant(join(root, config.aopsDir));
  const compiled = await compileTenantProcedures(config, root);
  // Environment-agnostic on purpose: no lookups, so `cdk synth` is the same offline and on every machine;
  // `cdk deploy` takes the account and region of the credentials it runs with.
  return new TenantStack(app, tenantStackName(config.name), {
    config,
    compiled,
    root,
    plugin,
    ...(functionsDir === undefined ? {} : { functionsDir }),
  });
}

/** The `context` of cdk.json (feature flags), so tests and the bench synthesize exactly as the CLI does. */
export function cdkJsonContext(root: string = REPO_ROOT): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

export interface CreateTenantAppOptions extends AddTenantStackOptions {
  /** Cloud assembly directory. Default: a fresh temporary directory (CDK's default for a test app). */
  readonly outdir?: string;
  /** Register the AwsSolutions checks on the app. Default: true. */
  readonly nag?: boolean;
}

/** A new `App` with cdk.json's context and one tenant stack: what `cdk synth -c tenant=NAME` builds. */
export async function createTenantApp({ outdir, nag = true, ...options }: CreateTenantAppOptions): Promise<{
  app: App;
  stack: TenantStack;
}> {
  const app = new App({ context: cdkJsonContext(options.root), ...(outdir === undefined ? {} : { outdir }) });
  const stack = await addTenantStack(app, options);
  if (nag) addNagChecks(app);
  return { app, stack };
}
