import { createHash } from 'node:crypto';
import { type CompiledAop, compileProject, type Manifest, type SourceFile } from '../aop/index.ts';
import type { AslDefinition } from '../aop/lower.ts';
import type { AopRef } from '../events/catalogue.ts';
import type { ToolCatalogue } from '../tools/define-tool.ts';
import { ReplayInputError } from './errors.ts';

/**
 * Which procedure text a conversation ran. A version is its files (the procedure, then every
 * sub-procedure it follows), as the AOP registry stores them; audit and replay compile them again with
 * the tenant's catalogue, so the source map and the ASL are those of that version, not of today's files.
 */
export interface ProcedureVersion {
  readonly aopId: string;
  readonly files: readonly SourceFile[];
}

/** Finds the files of a pinned version (`aop` of the events); the registry, a golden, or today's files. */
export type ProcedureResolver = (aop: AopRef) => Promise<ProcedureVersion> | ProcedureVersion;

export interface CompiledProcedure {
  readonly aopId: string;
  readonly asl: AslDefinition;
  readonly manifest: Manifest;
  /** Identity of the compiled text, to cache what is built from it. */
  readonly key: string;
}

const compiled = new Map<string, CompiledProcedure>();

/** Compiles a version (cached by its files); refuses one that does not compile, as the platform would. */
export function compileProcedure(version: ProcedureVersion, catalogue: ToolCatalogue): CompiledProcedure {
  const key = createHash('sha256')
    .update(JSON.stringify([version.aopId, version.files.map((file) => [file.path, file.text])]))
    .digest('hex');
  const cached = compiled.get(key);
  if (cached) return cached;
  const results = compileProject(version.files, { catalogue });
  const result: CompiledAop | undefined = results.find((aop) => aop.id === version.aopId);
  if (!result)
    throw new ReplayInputError(
      version.aopId,
      `none of ${version.files.map((file) => file.path).join(', ')} defines procedure "${version.aopId}"`,
    );
  if (!result.asl || !result.manifest) {
    const first = result.diagnostics.find((d) => d.severity === 'error') ?? result.diagnostics[0];
    throw new ReplayInputError(
      version.aopId,
      `procedure "${version.aopId}" does not compile (${first?.code}: ${first?.message} at ${result.file}:${first?.span.line}); fix it with \`aop check\``,
    );
  }
  const procedure = { aopId: version.aopId, asl: result.asl, manifest: result.manifest, key };
  compiled.set(key, procedure);
  return procedure;
}

/** A version made of one replaced file: the what-if procedure with the pinned version's sub-procedures. */
export function withReplacedFile(
  version: ProcedureVersion,
  file: SourceFile,
  aopId: string,
): ProcedureVersion {
  const others = version.files.filter(
    (existing) => existing.path !== file.path && !definesAop(existing, aopId),
  );
  return { aopId, files: [file, ...others] };
}

/** The front matter `id:` of a procedure file. */
export function aopIdOf(file: SourceFile): string | undefined {
  const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---/.exec(file.text)?.[1] ?? '';
  return /^id:\s*(\S+)\s*$/m.exec(frontMatter)?.[1];
}

function definesAop(file: SourceFile, aopId: string): boolean {
  return aopIdOf(file) === aopId;
}
