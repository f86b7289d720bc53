import { dirname, relative, resolve } from 'node:path';
import { type CompiledAop, compileProject, type SourceFile } from '../aop/index.ts';
import type { Action, Aop } from '../aop/ir.ts';
import type { ToolCatalogue } from '../tools/define-tool.ts';
import type { VersionContent } from './content.ts';

/**
 * From a tenant's sources to version contents, and back to IR. Paths are stored relative to the tenant
 * folder's parent (`retail/cancel-pending-order.md`), so a version's hash does not depend on the
 * directory a command was run from (the compiler writes the path into the definition's comment).
 */

export interface TenantSources {
  /** Absolute path of the tenant folder (the one holding `tenant.ts`). */
  readonly dir: string;
  /** As `loadProjects` returns them: paths relative to `cwd`. */
  readonly sources: readonly SourceFile[];
}

export function storedSources({ dir, sources }: TenantSources, cwd: string): SourceFile[] {
  return sources.map((source) => ({
    path: relative(dirname(dir), resolve(cwd, source.path)).split('\\').join('/'),
    text: source.text,
  }));
}

export interface TenantVersions {
  /** Every compile result, procedures and sub-procedures. */
  readonly results: readonly CompiledAop[];
  /** One content per procedure that compiled without errors, by AOP id. */
  readonly contents: ReadonlyMap<string, VersionContent>;
}

/** Compiles the tenant and bundles each procedure with the sub-procedures it follows. */
export function tenantVersions(sources: readonly SourceFile[], catalogue: ToolCatalogue): TenantVersions {
  const results = compileProject(sources, { catalogue });
  const byId = new Map(results.map((result) => [result.id, result]));
  const texts = new Map(sources.map((source) => [source.path, source.text]));
  const contents = new Map<string, VersionContent>();
  for (const result of results) {
    if (!result.asl || result.manifest?.kind !== 'procedure') continue;
    const followed = [...followedFiles(result.ir, byId, new Set([result.id]))].sort();
    contents.set(result.id, {
      aopId: result.id,
      title: result.manifest.title,
      when: result.manifest.when,
      files: [result.file, ...followed].map((path) => ({ path, text: texts.get(path) ?? '' })),
      definition: JSON.stringify(result.asl),
      cutoffDays: result.manifest.cutoffDays,
    });
  }
  return { results, contents };
}

function followedFiles(aop: Aop, byId: ReadonlyMap<string, CompiledAop>, seen: Set<string>): Set<string> {
  const files = new Set<string>();
  const visit = (actions: readonly Action[]) => {
    for (const action of actions) {
      if (action.kind === 'if') {
        for (const branch of action.branches) visit(branch.then);
        visit(action.otherwise ?? []);
      } else if (action.kind === 'follow' && !seen.has(action.aop)) {
        seen.add(action.aop);
        const sub = byId.get(action.aop);
        if (!sub) continue;
        files.add(sub.file);
        for (const file of followedFiles(sub.ir, byId, seen)) files.add(file);
      }
    }
  };
  for (const step of aop.steps) visit(step.actions);
  return files;
}

/** The IR of a stored version, compiled from its own sources (diagnostics are the caller's to show). */
export function irOfContent(content: VersionContent, catalogue: ToolCatalogue): CompiledAop {
  const result = compileProject(content.files, { catalogue }).find(
    (compiled) => compiled.id === content.aopId,
  );
  if (!result)
    throw new Error(
      `The stored sources of ${content.aopId} do not define it (files: ${content.files.map((f) => f.path).join(', ')})`,
    );
  return result;
}
