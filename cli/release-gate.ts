import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { unacknowledged } from '../shared/audit/regress.ts';
import type { GateRecord } from '../shared/registry/registry.ts';
import type { AuditTarget } from './audit.ts';
import { formatRegression, runRegression } from './regress.ts';

/**
 * The release gate of `aop publish` (docs/testing-and-release.md): before `live` moves, the candidate must
 *
 * 1. pass its tenant's conversation tests (`aop test`, its `tests/` folder, or `--tests`), run on the
 *    candidate as it is on disk;
 * 2. pass a simulation with pass^k — not built yet (`aop simulate`, issue 13): recorded as skipped;
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
  readonly log: (text: string) => void;
}

export async function runGate(input: GateInput): Promise<GateCheck[]> {
  return [await testsCheck(input), simulationCheck(), await regressionCheck(input)];
}

async function testsCheck({ tenantDir, tests, log }: GateInput): Promise<GateCheck> {
  const defaults = join(tenantDir, 'tests');
  const paths =
    tests ??
    (existsSync(defaults) && readdirSync(defaults).some((file) => /\.ya?ml$/.test(file)) ? [defaults] : []);
  if (paths.length === 0)
    return { name: 'tests', status: 'skipped', detail: 'no conversation tests for this tenant' };
  log(`gate: aop test ${paths.join(' ')} …\n`);
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((done) => {
    let out = '';
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(import.meta.dirname, 'main.ts'), 'test', ...paths, '--json'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.once('exit', (exit) => done({ code: exit ?? 1, stdout: out }));
  });
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

function simulationCheck(): GateCheck {
  return {
    name: 'simulation',
    status: 'skipped',
    detail: 'aop simulate is not built yet (issue 13 item 1): no pass^k figure',
  };
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
