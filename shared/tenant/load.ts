import { existsSync, readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isTenant, namedAfter, type Tenant } from './define-tenant.ts';

/**
 * How the platform finds a tenant without naming one: a tenant is a folder with a `tenant.ts` whose
 * default export is `defineTenant(...)`. The local platform imports the folder it serves and makes it
 * the process's tenant (`useTenant`) before the handlers start; in AWS each Lambda bundle's entry
 * imports its one tenant and does the same (infra/aws/constructs/handlers.ts). The handlers read it with
 * `loadedTenant()`.
 */

let current: Tenant | undefined;

/** Makes `tenant` the one this process serves. A process serves one tenant; a second, different one is refused. */
export function useTenant(tenant: Tenant): void {
  if (current !== undefined && current !== tenant && current.name !== tenant.name)
    throw new Error(
      `This process already serves tenant "${current.name}"; run "${tenant.name}" in a process of its own (each tenant's platform sets its own environment).`,
    );
  current = tenant;
}

/** The tenant this process serves. */
export function loadedTenant(): Tenant {
  if (current === undefined)
    throw new Error(
      'No tenant is loaded: the local platform loads one with useTenant() before the handlers start, and a Lambda bundle entry imports its tenant first (docs/tenants.md).',
    );
  return current;
}

/** Imports `<dir>/tenant.ts` and checks that its default export is a tenant. */
export async function importTenant(dir: string): Promise<Tenant> {
  const file = join(resolve(dir), 'tenant.ts');
  if (!existsSync(file))
    throw new Error(
      `${dir} is not a tenant folder: it has no tenant.ts (docs/tenants.md says what goes in it)`,
    );
  const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
  if (!isTenant(module.default))
    throw new Error(
      `${file} must have \`export default defineTenant({...})\` (shared/tenant/define-tenant.ts); its default export is ${module.default === undefined ? 'missing' : 'something else'}.`,
    );
  return namedAfter(module.default, basename(resolve(dir)));
}

/** The tenant folders directly under `root` (those holding a tenant.ts), sorted by name. */
export function tenantFolders(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'tenant.ts')))
    .map((entry) => join(root, entry.name))
    .sort();
}

/**
 * The one tenant folder under `root`, for commands that are not told which (`npm start`, `aop test`
 * on files outside a tenant folder); with several, the caller must name one.
 */
export function onlyTenantFolder(root: string): string {
  const folders = tenantFolders(root);
  if (folders.length === 1) return folders[0]!;
  throw new Error(
    folders.length === 0
      ? `No tenant folder under ${root}: a tenant is a folder with a tenant.ts (docs/tenants.md).`
      : `${folders.length} tenant folders under ${root} (${folders.map((folder) => folder.slice(root.length + 1)).join(', ')}): name the one to use, e.g. --aops ${folders[0]}.`,
  );
}
