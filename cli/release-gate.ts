import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { unacknowledged } from '../shared/audit/regress.ts';
import type { GateRecord } from '../shared/registry/registry.ts';
import { importTenant } from '../shared/tenant/load.ts';
import type { AuditTarget } from './audit.ts';
import { formatRegression, runRegression } from './regress.ts';

/**
 * The release gate of `aop publish` (docs/testing-and-release.md): before `live` moves, the candidate must
 *
 * 1. pass its tenant's conversation tests (`aop test`, its `tests/` folder, or `--tests`), run on the
 *    candidate as it is on disk;
 * 2. pass a simulation with pass^k (`aop simulate`, seeded, so the same candidate meets the same
 *    customers): every simulated conversation passes, each retelling in all k runs;
 * 3. behave as the current version did on the recorded conversations (`aop regress`), or have each
 *    behavioural difference acknowledged with `--accept-diff <id>`; wording-only differences pass.
 *
 * A failed check blocks the publish unless `--force`; the verdict is recorded either way (`aop.gated`).
 */

export type GateCheck = GateRecord['checks'][number];

export interface GateInput {
  readonly target: AuditTarget;
  readonly aopId: string;
  /** The candidate procedure file. */
  readonly file: string;
  /** Its tenant folder. */
  readonly tenantDir: string;
  /** Test files or folders; default: the tenant's `tests/`. An empty list skips the check. */
  readonly tests?: readonly string[];
  readonly accepted: readonly string[];
  /** The simulation's size; `false` skips it (recorded as skipped, by whom). Default: `GATE_SIMULATION`. */
  readonly simulation?: false | { readonly budget: number; readonly variants: number; readonly k: number };
  readonly log: (text: string) => void;
}

/** The gate's simulation: smaller than `aop simulate`'s default, the same k. About 100 conversations. */
export const GATE_SIMULATION = { budget: 20, variants: 2, k: 3 } as const;

export async function runGate(input: GateInput): Promise<GateCheck[]> {
  return [await testsCheck(input), await simulationCheck(input), await regressionCheck(input)];
}

async function testsCheck({ tenantDir, tests, log }: GateInput): Promise<GateCheck> {
  const defaults = join(tenantDir, 'tests');
  const paths =
    tests ??
    (existsSync(defaults) && readdirSync(defaults).some((file) => /\.ya?ml$/.test(file)) ? [defaults] : []);
  if (paths.length === 0)
    return { name: 'tests', status: 'skipped', detail: 'no conversation tests for this tenant' };
  log(`gate: aop test ${paths.join(' ')} …\n`);
  const { code, stdout } = await runCli(['test', ...paths, '--json']);
  let report: { passed?: number; failed?: number; tests?: { name: string; status: string }[] } = {};
  try {
    report = JSON.parse(stdout) as typeof report;
  } catch {
    // Not a report: a usage or format error, exit 2; the code says it.
  }
  const failed = (report.tests ?? []).filter((test) => test.status !== 'passed').map((test) => test.name);
  return code === 0
    ? { name: 'tests', status: 'passed', detail: `${report.passed ?? 0} passed` }
    : {
        name: 'tests',
        status: 'failed',
        detail:
          report.failed === undefined
            ? `aop test exited ${code}`
            : `${report.failed} failed: ${failed.slice(0, 5).join('; ')}${failed.length > 5 ? '; …' : ''}`,
      };
}

async function simulationCheck({
  tenantDir,
  aopId,
  simulation = GATE_SIMULATION,
  log,
}: GateInput): Promise<GateCheck> {
  if (simulation === false)
    return { name: 'simulation', status: 'skipped', detail: 'skipped (--no-simulation)' };
  // A folder of procedures and a catalogue only (no `export default defineTenant(…)`) compiles and
  // publishes, but no platform can serve it, so there is no customer to simulate.
  const servable = await importTenant(tenantDir).then(
    () => true,
    () => false,
  );
  if (!servable)
    return {
      name: 'simulation',
      status: 'skipped',
      detail: `${tenantDir}/tenant.ts does not export defineTenant(…): no platform serves it, nothing to simulate`,
    };
  const args = ['simulate', tenantDir, aopId, '--json', '--seed', '1'];
  args.push(
    '--budget',
    String(simulation.budget),
    '--variants',
    String(simulation.variants),
    '--k',
    String(simulation.k),
  );
  log(`gate: aop ${args.filter((arg) => arg !== '--json').join(' ')} …\n`);
  const { code, stdout } = await runCli(args);
  let report: {
    conversations?: number;
    failures?: { problems: string[]; reproduction: string }[];
    procedures?: {
      pass1: { passed: number; of: number };
      passK: { passed: number; of: number };
      coverage: { branch: { covered: number; of: number } };
    }[];
  } = {};
  try {
    report = JSON.parse(stdout) as typeof report;
  } catch {
    return { name: 'simulation', status: 'failed', detail: `aop simulate exited ${code}` };
  }
  const [procedure] = report.procedures ?? [];
  const figures = procedure
    ? `${report.conversations} conversations; pass^1 ${procedure.pass1.passed}/${procedure.pass1.of}, pass^${simulation.k} ${procedure.passK.passed}/${procedure.passK.of}; branches ${procedure.coverage.branch.covered}/${procedure.coverage.branch.of}`
    : `${report.conversations ?? 0} conversations`;
  const failures = report.failures ?? [];
  if (code === 0 && failures.length === 0) return { name: 'simulation', status: 'passed', detail: figures };
  return {
    name: 'simulation',
    status: 'failed',
    detail: `${figures}; ${failures.length} failed, first: ${failures[0]?.problems[0] ?? `exit ${code}`} (reproduce: aop test ${failures[0]?.reproduction ?? '…'} --aops ${tenantDir})`,
  };
}

/** `aop <args>` in a process of its own (a local platform configures its handlers per process). */
function runCli(args: readonly string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((done) => {
    let out = '';
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(import.meta.dirname, 'main.ts'), ...args],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.once('exit', (exit) => done({ code: exit ?? 1, stdout: out }));
  });
}

async function regressionCheck({
  target,
  aopId,
  file,
  tenantDir,
  accepted,
  log,
}: GateInput): Promise<GateCheck> {
  const run = await runRegression(target, aopId, { file }, { aops: tenantDir });
  log(formatRegression(run));
  const blocking = unacknowledged(run.cases, accepted);
  const counts = (verdict: string) => run.cases.filter((item) => item.verdict === verdict).length;
  const summary = `${run.cases.length} conversation(s): ${counts('same')} same, ${counts('wording-only')} wording only, ${counts('behaviour')} behave differently (${counts('behaviour') - blocking.length} accepted), run ${run.digest}`;
  // A conversation its own version does not replay exactly is one the regression cannot vouch for.
  const unexplained = run.cases.filter((item) => item.verdict === 'not-replayable');
  if (blocking.length === 0 && unexplained.length === 0)
    return { name: 'regression', status: 'passed', detail: summary };
  return {
    name: 'regression',
    status: 'failed',
    detail: [
      summary,
      ...(blocking.length > 0 ? [`not accepted: ${blocking.map((item) => item.diffId).join(', ')}`] : []),
      ...(unexplained.length > 0
        ? [
            `${unexplained.length} not replayable on their own version: ${unexplained.map((item) => item.conversationId.slice(0, 8)).join(', ')}`,
          ]
        : []),
    ].join('; '),
  };
}
