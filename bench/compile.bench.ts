import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogue } from '../aops/retail/tenant.ts';
import { buildIr } from '../shared/aop/build-ir.ts';
import { hasErrors } from '../shared/aop/diagnostics.ts';
import { analyse, buildGraph } from '../shared/aop/graph.ts';
import { compileProject, type SourceFile } from '../shared/aop/index.ts';
import type { Aop } from '../shared/aop/ir.ts';
import { lowerToAsl } from '../shared/aop/lower.ts';
import { RULES } from '../shared/aop/rules/index.ts';
import { selfCheck } from '../shared/aop/self-check.ts';
import { type ParsedSource, parseSource } from '../shared/aop/source.ts';
import { validateAsl } from '../shared/asl/validator.ts';
import type { BenchOptions } from './options.ts';

/**
 * Compile time per retail procedure (median of warm runs), split by pipeline stage, and for a
 * generated 200-step procedure. Targets: ≤ 50 ms for a typical procedure, ≤ 500 ms for 200 steps.
 *
 * A procedure's time covers its own parse, IR, validation (every rule), lowering and self-check; the
 * sub-procedures it follows are parsed beforehand, as `compileProject` does once for the whole project.
 */

/** Warm runs per procedure (the median is reported) and runs before them; `short` keeps the figures, less precise. */
const SIZES = {
  full: { runs: 15, warmup: 3, generatedRuns: 7, projectRuns: 7 },
  short: { runs: 3, warmup: 1, generatedRuns: 1, projectRuns: 1 },
} as const;
type Size = (typeof SIZES)[keyof typeof SIZES];
const TARGET_TYPICAL_MS = 50;
const TARGET_200_STEPS_MS = 500;

const RETAIL_DIR = join(import.meta.dirname, '..', 'aops', 'retail');

interface Stages {
  parseAndIr: number;
  validate: number;
  lower: number;
  selfCheck: number;
  total: number;
  states: number;
}

function retailSources(): SourceFile[] {
  return readdirSync(RETAIL_DIR)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => ({ path: `aops/retail/${name}`, text: readFileSync(join(RETAIL_DIR, name), 'utf8') }));
}

/** The project context `compileProject` derives from every file: ids, sub-procedure tools, the library. */
function projectContext(sources: readonly SourceFile[]) {
  const parsed = sources.map(parseSource);
  const aopIds = new Set(parsed.map((p) => String(p.frontMatter.get('id')?.value ?? '')).filter(Boolean));
  const subprocedureTools = new Map<string, string[]>();
  for (const p of parsed) {
    if (p.frontMatter.get('kind')?.value !== 'subprocedure') continue;
    const tools = p.frontMatter.get('tools')?.value;
    subprocedureTools.set(
      String(p.frontMatter.get('id')?.value),
      Array.isArray(tools) ? tools.map(String) : [],
    );
  }
  const library = new Map<string, Aop>();
  for (const p of parsed) {
    const { aop } = buildIr(p, { catalogue, aopIds, subprocedureTools });
    library.set(aop.id, aop);
  }
  return { aopIds, subprocedureTools, library };
}

/** One procedure through the same stages as `compileProject`, timed stage by stage. */
function compileTimed(source: SourceFile, context: ReturnType<typeof projectContext>): Stages {
  const t0 = performance.now();
  const parsed: ParsedSource = parseSource(source);
  const built = buildIr(parsed, {
    catalogue,
    aopIds: context.aopIds,
    subprocedureTools: context.subprocedureTools,
  });
  const library = new Map(context.library).set(built.aop.id, built.aop);
  const t1 = performance.now();
  const graph = buildGraph(built.aop, library);
  const states = analyse(graph, catalogue);
  const diagnostics = [
    ...built.diagnostics,
    ...RULES.flatMap((rule) => rule.check({ aop: built.aop, catalogue, library, graph, states })),
  ];
  const t2 = performance.now();
  if (hasErrors(diagnostics)) throw new Error(`${source.path} does not compile: ${diagnostics[0]!.message}`);
  const lowered = lowerToAsl(built.aop, library);
  const t3 = performance.now();
  const checked = selfCheck(lowered.definition, built.aop.span);
  const t4 = performance.now();
  if (hasErrors(checked)) throw new Error(`${source.path} fails its self-check: ${checked[0]!.message}`);
  return {
    parseAndIr: t1 - t0,
    validate: t2 - t1,
    lower: t3 - t2,
    selfCheck: t4 - t3,
    total: t4 - t0,
    states: Object.keys(lowered.definition.States).length,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function measure(
  source: SourceFile,
  context: ReturnType<typeof projectContext>,
  warmup: number,
  runs: number,
): Stages {
  for (let i = 0; i < warmup; i++) compileTimed(source, context);
  const samples = Array.from({ length: runs }, () => compileTimed(source, context));
  const of = (key: keyof Stages) => median(samples.map((sample) => sample[key]));
  return {
    parseAndIr: of('parseAndIr'),
    validate: of('validate'),
    lower: of('lower'),
    selfCheck: of('selfCheck'),
    total: of('total'),
    states: samples[0]!.states,
  };
}

/**
 * A 200-step procedure in the retail style: authenticate, then blocks of ask / look up (with a bounded
 * go-back) / conditional end / tell / profile lookup, then end. Explicit ids keep step ids unique.
 */
export function generatedProcedure(steps = 200): SourceFile {
  const body = ['1. Follow @authenticate-customer.'];
  for (let n = 2; n < steps; n++) {
    const block = Math.floor((n - 2) / 5);
    switch ((n - 2) % 5) {
      case 0:
        body.push(`${n}. {#ask-${block}} Ask for the order id.`);
        break;
      case 1:
        body.push(
          `${n}. {#find-${block}} Look up the order with @get_order_details.`,
          `   - If the order was not found, tell the customer: "I could not find it (${block})." Then go back to step ${n - 1} (at most 2 times).`,
        );
        break;
      case 2:
        body.push(
          `${n}. {#check-${block}} If the order status is "cancelled", tell the customer: "Order {order.order_id} is cancelled (${block})." Then end.`,
        );
        break;
      case 3:
        body.push(
          `${n}. {#tell-${block}} Tell the customer: "Step ${n}: order {order.order_id} is {order.status}."`,
        );
        break;
      default:
        body.push(`${n}. {#profile-${block}} Look up the profile with @get_user_details.`);
    }
  }
  body.push(`${steps}. {#done} Tell the customer: "That is all." Then end.`);
  const text = [
    '---',
    `id: generated-${steps}-steps`,
    `title: A generated procedure with ${steps} steps`,
    'when: Never; it exists to measure the compiler.',
    'tools: [get_order_details, get_user_details]',
    '---',
    '',
    ...body,
    '',
  ].join('\n');
  return { path: `aops/retail/generated-${steps}-steps.md`, text };
}

const ms = (value: number) => value.toFixed(1).padStart(8);

export async function run({ short = false }: BenchOptions = {}): Promise<void> {
  const size: Size = short ? SIZES.short : SIZES.full;
  const sources = retailSources();
  const context = projectContext(sources);
  // Once per process (aop check, a Lambda's cold start, the CDK app): the asl-validator schema compile.
  const schemaStarted = performance.now();
  validateAsl({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });
  const schemaCompile = performance.now() - schemaStarted;
  process.stdout.write(
    `compile: median of ${size.runs} warm runs per procedure, in ms (targets: ≤ ${TARGET_TYPICAL_MS} ms per procedure, ≤ ${TARGET_200_STEPS_MS} ms for 200 steps)\n\n`,
  );
  const header = `${'procedure'.padEnd(28)} ${'states'.padStart(6)} ${'parse+IR'.padStart(8)} ${'validate'.padStart(8)} ${'lower'.padStart(8)} ${'selfchk'.padStart(8)} ${'total'.padStart(8)}  target`;
  process.stdout.write(`${header}\n${'-'.repeat(header.length)}\n`);
  const row = (name: string, stages: Stages, target: number) =>
    process.stdout.write(
      `${name.padEnd(28)} ${String(stages.states).padStart(6)} ${ms(stages.parseAndIr)} ${ms(stages.validate)} ${ms(stages.lower)} ${ms(stages.selfCheck)} ${ms(stages.total)}  ${stages.total <= target ? 'ok' : `OVER ${target}`}\n`,
    );
  const totals: number[] = [];
  for (const source of sources) {
    const stages = measure(source, context, size.warmup, size.runs);
    totals.push(stages.total);
    row(source.path.replace(/^aops\/retail\/|\.md$/g, ''), stages, TARGET_TYPICAL_MS);
  }
  const generated = generatedProcedure(200);
  const generatedContext = projectContext([...sources, generated]);
  row(
    'generated, 200 steps',
    measure(generated, generatedContext, size.warmup, size.generatedRuns),
    TARGET_200_STEPS_MS,
  );

  for (let i = 0; i < size.warmup; i++) compileProject(sources, { catalogue });
  const project = median(
    Array.from({ length: size.projectRuns }, () => {
      const started = performance.now();
      compileProject(sources, { catalogue });
      return performance.now() - started;
    }),
  );
  process.stdout.write(
    `\nper procedure: median ${median(totals).toFixed(1)} ms, max ${Math.max(...totals).toFixed(1)} ms; ` +
      `whole retail project through compileProject (${sources.length} files): ${project.toFixed(1)} ms\n` +
      `selfchk is asl-validator's checks plus the graph checks; asl-validator's JSON schema is compiled once per process (${schemaCompile.toFixed(0)} ms here, before the figures above).\n`,
  );
}
