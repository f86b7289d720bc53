import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { onlyTenantFolder } from '../shared/tenant/load.ts';
import { tenantDirOf } from './conversation-tests/format.ts';
import { type CliIo, CliUsageError } from './io.ts';
import { loadProjects } from './project.ts';
import type { Failure, ProcedureReport, SimulationReport } from './simulation/simulate.ts';

/**
 * `aop simulate [aop…]`: simulated customers for every routable procedure of a tenant (or the ones
 * named), on an in-process local platform (cli/simulation/simulate.ts). Prints coverage of the compiled
 * graph, pass^1 and pass^k, and every failure with its transcript and an `aop test` file reproducing it.
 * Exit 0 when every simulated conversation passed, 1 when one failed, 2 on usage errors.
 */

export interface SimulateFlags {
  readonly seed?: string | undefined;
  readonly variants?: string | undefined;
  readonly k?: string | undefined;
  readonly budget?: string | undefined;
  readonly concurrency?: string | undefined;
  readonly json?: boolean | undefined;
  readonly out?: string | undefined;
  readonly dynamodbEndpoint?: string | undefined;
}

export async function simulateCommand(
  targets: readonly string[],
  flags: SimulateFlags,
  io: CliIo,
): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const { tenantDir, aopIds } = await resolveTargets(targets, cwd);
  const count = (name: string, value: string | undefined, fallback: number, min = 1) => {
    if (value === undefined) return fallback;
    const number = Number(value);
    if (!Number.isInteger(number) || number < min)
      throw new CliUsageError(`--${name} must be an integer ≥ ${min}, got ${value}`);
    return number;
  };
  const seed = count('seed', flags.seed, 1, 0);
  const progress = process.stderr.isTTY && !flags.json;
  const { simulate } = await import('./simulation/simulate.ts');
  const report = await simulate({
    aopsDir: tenantDir,
    ...(aopIds.length > 0 ? { aopIds } : {}),
    seed,
    variants: count('variants', flags.variants, 4),
    k: count('k', flags.k, 3),
    budget: count('budget', flags.budget, 40),
    concurrency: count('concurrency', flags.concurrency, 8),
    ...(flags.dynamodbEndpoint ? { dynamodbEndpoint: flags.dynamodbEndpoint } : {}),
    ...(progress
      ? {
          onProgress: ({ phase, done, total }) => {
            const width = 30;
            const filled = total > 0 ? Math.round((done / total) * width) : 0;
            process.stderr.write(
              `\r${phase === 'explore' ? 'exploring' : 'varying  '} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} `,
            );
            if (phase === 'vary' && done === total) process.stderr.write('\n');
          },
        }
      : {}),
  });
  const out = resolve(cwd, flags.out ?? '.cache/simulate');
  const files = writeReproductions(report.failures, out);
  const shown = (path: string) => relative(cwd, path) || '.';
  if (flags.json) {
    io.out(
      `${JSON.stringify(
        {
          ok: report.failures.length === 0,
          ...report,
          failures: report.failures.map((failure, index) => ({
            ...failure,
            reproduction: shown(files[index]!),
          })),
        },
        null,
        2,
      )}\n`,
    );
  } else io.out(formatReport(report, files.map(shown), relative(cwd, tenantDir)));
  return report.failures.length === 0 ? 0 : 1;
}

/** Tenant folders, procedure files and procedure ids, all of one tenant (a platform serves one). */
async function resolveTargets(
  targets: readonly string[],
  cwd: string,
): Promise<{ tenantDir: string; aopIds: string[] }> {
  const tenants = new Set<string>();
  const aopIds: string[] = [];
  const ids: string[] = [];
  for (const target of targets) {
    const path = resolve(cwd, target);
    if (existsSync(path) && statSync(path).isDirectory()) {
      const dir = existsSync(join(path, 'tenant.ts')) ? path : tenantDirOf(path);
      if (!dir) throw new CliUsageError(`${target} is not in a tenant folder (one with tenant.ts)`);
      tenants.add(dir);
      if (dir !== path) ids.push(...(await idsIn(path, cwd)));
    } else if (existsSync(path)) {
      const dir = tenantDirOf(path);
      if (!dir) throw new CliUsageError(`${target} is not in a tenant folder (one with tenant.ts)`);
      tenants.add(dir);
      aopIds.push(...(await idsIn(path, cwd)));
    } else ids.push(target);
  }
  if (tenants.size > 1)
    throw new CliUsageError(
      `aop simulate runs one tenant at a time; these span ${[...tenants].map((dir) => relative(cwd, dir)).join(', ')}`,
    );
  let tenantDir = [...tenants][0];
  if (!tenantDir) {
    try {
      tenantDir = onlyTenantFolder(resolve(cwd, 'aops'));
    } catch (error) {
      throw new CliUsageError(
        `${(error as Error).message} (name a tenant folder: aop simulate aops/<tenant>)`,
      );
    }
  }
  return { tenantDir, aopIds: [...aopIds, ...ids] };
}

async function idsIn(path: string, cwd: string): Promise<string[]> {
  const { projects, requested } = await loadProjects([path], cwd);
  const { compileProject } = await import('../shared/aop/compile.ts');
  return projects.flatMap((project) =>
    compileProject(project.sources, { catalogue: project.catalogue })
      .filter((aop) => requested.has(aop.file) && aop.ir.kind === 'procedure')
      .map((aop) => aop.id),
  );
}

function writeReproductions(failures: readonly Failure[], dir: string): string[] {
  if (failures.length > 0) mkdirSync(dir, { recursive: true });
  return failures.map((failure) => {
    const name = `${failure.aopId}-s${failure.scenario + 1}${failure.variant >= 0 ? `-v${failure.variant + 1}` : '-explore'}-${failure.attempt + 1}.yaml`;
    const file = join(dir, name);
    writeFileSync(file, failure.yaml);
    return file;
  });
}

const KINDS = [
  ['branch', 'branches'],
  ['loop-bound', 'loop bounds'],
  ['guard', 'guards'],
  ['repair', 'repair'],
] as const;

export function formatReport(report: SimulationReport, files: readonly string[], tenantDir: string): string {
  const lines: string[] = [];
  const seconds = (report.durationMs / 1000).toFixed(1);
  lines.push(
    `aop simulate: ${report.tenant}, seed ${report.seed}, k = ${report.k}: ${report.conversations} conversations in ${seconds} s (${report.conversationsPerSecond.toFixed(1)} a second while running)`,
    '',
  );
  const header = [
    'procedure',
    'paths',
    'runs',
    'pass^1',
    `pass^${report.k}`,
    ...KINDS.map(([, label]) => label),
  ];
  const rows = report.procedures.map((procedure) => [
    procedure.aopId,
    String(procedure.scenarios),
    String(procedure.conversations),
    fraction(procedure.pass1),
    fraction(procedure.passK),
    ...KINDS.map(([kind]) =>
      fraction({ passed: procedure.coverage[kind].covered, of: procedure.coverage[kind].of }),
    ),
  ]);
  const total = totals(report.procedures);
  rows.push([
    'all',
    String(total.scenarios),
    String(total.conversations),
    fraction(total.pass1),
    fraction(total.passK),
    ...KINDS.map(([kind]) => fraction(total.coverage[kind])),
  ]);
  const widths = header.map((_, column) => Math.max(...[header, ...rows].map((row) => row[column]!.length)));
  for (const row of [header, ...rows])
    lines.push(
      row
        .map((cell, column) => cell.padEnd(widths[column]!))
        .join('  ')
        .trimEnd(),
    );
  const percent = (part: { passed: number; of: number }) =>
    part.of === 0 ? '–' : `${((100 * part.passed) / part.of).toFixed(1)}%`;
  lines.push(
    '',
    `branches a customer can reach: ${percent(total.coverage.branch)} covered; pass^1 ${percent(total.pass1)}, pass^${report.k} ${percent(total.passK)}; ${total.unstable} variant${total.unstable === 1 ? '' : 's'} answered differently across the ${report.k} runs`,
  );
  const uncovered = report.procedures.flatMap((procedure) =>
    procedure.uncovered.map((target) => ({ aop: procedure.aopId, target })),
  );
  const missing = uncovered.filter(({ target }) => target.kind !== 'tool-failure');
  if (missing.length > 0) {
    lines.push('', 'Not covered:');
    for (const { aop, target } of missing)
      lines.push(`  ${aop}: ${target.kind} ${target.label}${target.source ? ` (${target.source})` : ''}`);
  }
  const failures = uncovered.filter(({ target }) => target.kind === 'tool-failure');
  if (failures.length > 0) {
    lines.push(
      '',
      'Taken only when a call fails on data no customer chose (a write after its look-up passed, a look-up of a listed choice; not counted):',
    );
    for (const { aop, target } of failures)
      lines.push(`  ${aop}: ${target.label}${target.source ? ` (${target.source})` : ''}`);
  }
  if (report.failures.length > 0) {
    lines.push('', `Failures (${report.failures.length}):`);
    for (const [index, failure] of report.failures.entries()) {
      const where =
        failure.variant >= 0
          ? `scenario ${failure.scenario + 1}, variant ${failure.variant + 1}${failure.pattern ? ` (${failure.pattern})` : ''}, run ${failure.attempt + 1}`
          : 'exploring, in plain words';
      lines.push(`  ${index + 1}. ${failure.aopId}, ${where}: ${failure.problems[0] ?? ''}`);
      for (const problem of failure.problems.slice(1, 3)) lines.push(`     also: ${problem}`);
      for (const turn of failure.transcript.slice(0, 8)) {
        lines.push(`     customer: ${turn.customer}`);
        lines.push(`     agent:    ${turn.reply.replaceAll('\n', ' / ').slice(0, 160)}`);
      }
      if (failure.transcript.length > 8) lines.push(`     … ${failure.transcript.length - 8} more turns`);
      lines.push(`     reproduce: aop test ${files[index]} --aops ${tenantDir}`);
    }
  } else lines.push('', 'Every simulated conversation passed.');
  return `${lines.join('\n')}\n`;
}

function fraction(part: { passed: number; of: number }): string {
  return part.of === 0 ? '–' : `${part.passed}/${part.of}`;
}

function totals(procedures: readonly ProcedureReport[]) {
  const sum = (pick: (procedure: ProcedureReport) => number) =>
    procedures.reduce((total, procedure) => total + pick(procedure), 0);
  return {
    scenarios: sum((procedure) => procedure.scenarios),
    conversations: sum((procedure) => procedure.conversations),
    unstable: sum((procedure) => procedure.unstable),
    pass1: { passed: sum((procedure) => procedure.pass1.passed), of: sum((procedure) => procedure.pass1.of) },
    passK: { passed: sum((procedure) => procedure.passK.passed), of: sum((procedure) => procedure.passK.of) },
    coverage: Object.fromEntries(
      (['branch', 'loop-bound', 'guard', 'repair', 'tool-failure'] as const).map((kind) => [
        kind,
        {
          passed: sum((procedure) => procedure.coverage[kind].covered),
          of: sum((procedure) => procedure.coverage[kind].of),
        },
      ]),
    ) as Record<ProcedureReport['uncovered'][number]['kind'], { passed: number; of: number }>,
  };
}
