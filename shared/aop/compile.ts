import type { ToolCatalogue } from '../tools/define-tool.ts';
import { buildIr } from './build-ir.ts';
import { type Diagnostic, hasErrors, sortDiagnostics } from './diagnostics.ts';
import { analyse, buildGraph } from './graph.ts';
import type { Aop } from './ir.ts';
import { checkSourceLimits } from './limits.ts';
import { type AslDefinition, type Lowered, lowerToAsl } from './lower.ts';
import { RULES } from './rules/index.ts';
import { selfCheck } from './self-check.ts';
import { parseSource, type SourceFile } from './source.ts';

/** What the compiler writes for each procedure: `ir.json`, `asl.json`, `manifest.json`. */
export interface Manifest {
  readonly aopId: string;
  readonly kind: Aop['kind'];
  readonly title: string;
  readonly when: string;
  readonly channels: string[];
  readonly sourceFile: string;
  readonly sourceHash: string;
  readonly compilerVersion: string;
  readonly toolsUsed: string[];
  readonly slots: Lowered['slots'];
  readonly cutoffDays: number[];
  readonly resumable: string[];
  readonly placeholders: string[];
  readonly stateCount: number;
  readonly definitionBytes: number;
  /** State name → "file:line" it was compiled from. */
  readonly sourceMap: Record<string, string>;
}

export interface CompiledAop {
  readonly id: string;
  readonly file: string;
  readonly ir: Aop;
  readonly asl: AslDefinition | null;
  readonly manifest: Manifest | null;
  readonly diagnostics: Diagnostic[];
}

export interface CompileOptions {
  readonly catalogue: ToolCatalogue;
  /** Cap on diagnostics per procedure (all rules still run). */
  readonly maxDiagnostics?: number;
}

export const COMPILER_VERSION = '1.0.0';

/**
 * The whole pipeline: parse (with positions) → IR → validate (every rule) → lower to ASL → self-check.
 * All files are parsed first so that sub-procedures resolve across files.
 */
export function compileProject(
  sources: readonly SourceFile[],
  { catalogue, maxDiagnostics = 100 }: CompileOptions,
): CompiledAop[] {
  // A source over the limits is compiled as its front matter alone, with the limits' diagnostics.
  const limited = sources.map((source) => ({ source, ...checkSourceLimits(source) }));
  const parsed = limited.map(({ source, text }) => parseSource({ ...source, text }));
  const limitDiagnostics = new Map(limited.map(({ source, diagnostics }) => [source.path, diagnostics]));
  const aopIds = new Set(parsed.map((p) => String(p.frontMatter.get('id')?.value ?? '')).filter(Boolean));
  const subprocedureTools = new Map<string, string[]>();
  for (const p of parsed) {
    if (p.frontMatter.get('kind')?.value === 'subprocedure') {
      const tools = p.frontMatter.get('tools')?.value;
      subprocedureTools.set(
        String(p.frontMatter.get('id')?.value),
        Array.isArray(tools) ? tools.map(String) : [],
      );
    }
  }
  const built = parsed.map((p) => buildIr(p, { catalogue, aopIds, subprocedureTools }));
  const library = new Map(built.map((b) => [b.aop.id, b.aop]));
  return built.map(({ aop, diagnostics: buildDiagnostics }) => {
    const graph = buildGraph(aop, library);
    const states = analyse(graph, catalogue);
    const diagnostics = [
      ...(limitDiagnostics.get(aop.file) ?? []),
      ...buildDiagnostics,
      ...RULES.flatMap((rule) => rule.check({ aop, catalogue, library, graph, states })),
    ];
    let asl: AslDefinition | null = null;
    let manifest: Manifest | null = null;
    if (!hasErrors(diagnostics)) {
      const lowered = lowerToAsl(aop, library);
      const checked = selfCheck(lowered.definition, aop.span);
      diagnostics.push(...checked);
      if (!hasErrors(checked)) {
        asl = lowered.definition;
        manifest = manifestOf(aop, lowered);
      }
    }
    return {
      id: aop.id,
      file: aop.file,
      ir: aop,
      asl,
      manifest,
      diagnostics: sortDiagnostics(diagnostics).slice(0, maxDiagnostics),
    };
  });
}

function manifestOf(aop: Aop, lowered: Lowered): Manifest {
  const json = JSON.stringify(lowered.definition);
  return {
    aopId: aop.id,
    kind: aop.kind,
    title: aop.title,
    when: aop.when,
    channels: aop.channels,
    sourceFile: aop.file,
    sourceHash: aop.sourceHash,
    compilerVersion: COMPILER_VERSION,
    toolsUsed: lowered.toolsUsed,
    slots: lowered.slots,
    cutoffDays: lowered.cutoffDays,
    resumable: lowered.resumable,
    placeholders: [...new Set(json.match(/\$\{[A-Za-z]+\}/g) ?? [])].sort(),
    stateCount: Object.keys(lowered.definition.States).length,
    definitionBytes: Buffer.byteLength(json, 'utf8'),
    sourceMap: lowered.sourceMap,
  };
}
