import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SourceFile } from '../shared/aop/index.ts';
import { isTenant } from '../shared/tenant/define-tenant.ts';
import type { ToolCatalogue } from '../shared/tools/define-tool.ts';

/** A tenant folder: `aops/<tenant>/tenant.ts` (catalogue) next to its `*.md` procedures. */
export interface TenantProject {
  readonly dir: string;
  readonly name: string;
  readonly catalogue: ToolCatalogue;
  readonly fallbackAop: string | undefined;
  readonly sources: SourceFile[];
}

export function findMarkdown(path: string): string[] {
  const stat = statSync(path);
  if (stat.isFile()) return path.endsWith('.md') ? [path] : [];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => entry.name !== 'node_modules' && entry.name !== 'data' && !entry.name.startsWith('.'))
    .flatMap((entry) =>
      entry.isDirectory()
        ? findMarkdown(join(path, entry.name))
        : entry.name.endsWith('.md') && !isNote(entry.name)
          ? [join(path, entry.name)]
          : [],
    );
}

/**
 * Markdown beside the procedures that is not one: a name in capitals (`README.md`, `NOTES.md`,
 * `CHANGELOG.md`). Procedures are named in lower case after their id (docs/tenants.md).
 */
export function isNote(fileName: string): boolean {
  return /^[A-Z][A-Z0-9_-]*\.md$/.test(fileName);
}

function tenantDirOf(file: string): string | undefined {
  for (let dir = dirname(resolve(file)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'tenant.ts'))) return dir;
  }
  return undefined;
}

/** Groups the given paths by tenant; every tenant is compiled with all of its procedures (for sub-procedures). */
export async function loadProjects(
  paths: readonly string[],
  cwd = process.cwd(),
): Promise<{ projects: TenantProject[]; orphans: string[]; requested: Set<string> }> {
  const files = paths.flatMap((path) => findMarkdown(resolve(cwd, path)));
  const byTenant = new Map<string, string[]>();
  const orphans: string[] = [];
  for (const file of files) {
    const dir = tenantDirOf(file);
    if (!dir) orphans.push(relative(cwd, file));
    else byTenant.set(dir, [...(byTenant.get(dir) ?? []), file]);
  }
  const projects: TenantProject[] = [];
  for (const dir of byTenant.keys()) {
    // `export default defineTenant({...})` (docs/tenants.md); a bare module exporting its catalogue
    // (and fallbackAop) still compiles, for procedures checked before their tenant is complete.
    const module = (await import(pathToFileURL(join(dir, 'tenant.ts')).href)) as {
      default?: unknown;
      catalogue?: ToolCatalogue;
      fallbackAop?: string;
    };
    const tenant = isTenant(module.default)
      ? module.default
      : { catalogue: module.catalogue ?? new Map(), fallbackAop: module.fallbackAop };
    const all = findMarkdown(dir);
    projects.push({
      dir,
      name: relative(join(cwd, 'aops'), dir) || dir,
      catalogue: tenant.catalogue,
      fallbackAop: tenant.fallbackAop,
      sources: all.map((file) => ({ path: relative(cwd, file), text: readFileSync(file, 'utf8') })),
    });
  }
  return { projects, orphans, requested: new Set(files.map((file) => relative(cwd, file))) };
}
