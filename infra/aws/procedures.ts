import { loadProjects } from '../../cli/project.ts';
import {
  type AslDefinition,
  compileProject,
  FUNCTION_PLACEHOLDERS,
  formatDiagnostic,
} from '../../shared/aop/index.ts';
import { ProcedureCompileError } from './errors.ts';
import { REPO_ROOT, type TenantConfig } from './tenant-config.ts';

/** One procedure AOP, compiled at synth time: it becomes one Express state machine with a `live` alias. */
export interface TenantProcedure {
  readonly id: string;
  readonly title: string;
  /** Routing description: the ingress picks a procedure for a first message by it. */
  readonly when: string;
  readonly sourceFile: string;
  readonly sourceHash: string;
  readonly compilerVersion: string;
  /** ASL with the four `${…FunctionArn}` placeholders left in; CDK substitutes them. */
  readonly asl: AslDefinition;
  readonly stateCount: number;
  /** "More than N days ago" cut-offs the ingress records per turn (`clock.cutoffs.d<N>`). */
  readonly cutoffDays: readonly number[];
}

export interface CompiledTenant {
  /** Procedures only, sorted by id: sub-procedures are inlined by the compiler and get no state machine. */
  readonly procedures: readonly TenantProcedure[];
  /** The tenant's fallback procedure when nothing matches (from `tenant.ts`). */
  readonly fallbackAop: string | undefined;
}

/** The `definitionSubstitutions` keys, i.e. the placeholder names without `${` `}`. */
export const PLACEHOLDER_KEYS = {
  understand: placeholderKey(FUNCTION_PLACEHOLDERS.understand),
  tool: placeholderKey(FUNCTION_PLACEHOLDERS.tool),
  reply: placeholderKey(FUNCTION_PLACEHOLDERS.reply),
  handoff: placeholderKey(FUNCTION_PLACEHOLDERS.handoff),
} as const;

function placeholderKey(placeholder: string): string {
  return placeholder.slice(2, -1);
}

/**
 * Compiles the tenant's AOP folder with the same pipeline as `aop compile` (parse, validate, lower,
 * self-check). Any error diagnostic stops the synth: a definition that was never validated is never deployed.
 */
export async function compileTenantProcedures(
  config: TenantConfig,
  root: string = REPO_ROOT,
): Promise<CompiledTenant> {
  const { projects } = await loadProjects([config.aopsDir], root);
  const project = projects[0];
  if (!project || projects.length !== 1) {
    throw new ProcedureCompileError(
      `Tenant "${config.name}": aopsDir "${config.aopsDir}" must be exactly one AOP folder with a tenant.ts; found ${projects.length}.`,
      { tenant: config.name, aopsDir: config.aopsDir, diagnostics: [] },
    );
  }
  const results = compileProject(project.sources, { catalogue: project.catalogue });
  const texts = new Map(project.sources.map((source) => [source.path, source.text]));
  const errors = results.flatMap((result) =>
    result.diagnostics
      .filter((diagnostic) => diagnostic.severity === 'error')
      .map((diagnostic) => formatDiagnostic(diagnostic, texts.get(diagnostic.span.file))),
  );
  if (errors.length > 0) {
    throw new ProcedureCompileError(
      `Tenant "${config.name}": ${errors.length} AOP error(s) in ${config.aopsDir}; run \`npm run aop -- check ${config.aopsDir}\`.\n\n${errors.join('\n\n')}`,
      { tenant: config.name, aopsDir: config.aopsDir, diagnostics: errors },
    );
  }
  const procedures = results
    .filter((result) => result.manifest?.kind === 'procedure')
    .map((result): TenantProcedure => {
      // Both are set when there is no error diagnostic (checked above).
      const manifest = result.manifest!;
      return {
        id: manifest.aopId,
        title: manifest.title,
        when: manifest.when,
        sourceFile: manifest.sourceFile,
        sourceHash: manifest.sourceHash,
        compilerVersion: manifest.compilerVersion,
        asl: result.asl!,
        stateCount: manifest.stateCount,
        cutoffDays: manifest.cutoffDays,
      };
    })
    .sort((a, b) => a.id.localeCompare(b.id));
  if (procedures.length === 0) {
    throw new ProcedureCompileError(`Tenant "${config.name}": ${config.aopsDir} has no procedure AOP.`, {
      tenant: config.name,
      aopsDir: config.aopsDir,
      diagnostics: [],
    });
  }
  return { procedures, fallbackAop: project.fallbackAop };
}
