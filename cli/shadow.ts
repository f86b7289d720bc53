import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { aopIdOf } from '../shared/audit/procedures.ts';
import { unacknowledged } from '../shared/audit/regress.ts';
import { connect } from './audit.ts';
import { type CliIo, CliUsageError } from './io.ts';
import type { AuditFlags } from './program.ts';
import { formatRegression, runRegression } from './regress.ts';

/**
 * Shadow runs (docs/testing-and-release.md, Shadow): a candidate procedure runs beside the live one on
 * live traffic, with every side effect suppressed, and `aop shadow report` says how often it agreed.
 *
 * Design: the candidate is not called inside the live turn. `start` records the candidate (its text as it
 * is now) and the time; `report` runs every turn of every conversation of the procedure that started
 * since then on the candidate, with exactly the inputs the live turn had (its customer messages, its
 * tool results, its clock: the what-if replay, shared/audit/replay.ts) and nothing called for real. The
 * result is what running alongside would have produced, and live traffic pays nothing for it: no turn
 * waits on the candidate, and a broken candidate cannot hurt a conversation. The shadow is local state
 * of this machine (`.cache/shadows/`), per deployment (events table) and procedure.
 */

const ShadowSchema = z.object({
  aopId: z.string(),
  eventsTable: z.string(),
  since: z.string(),
  candidate: z.object({ path: z.string(), text: z.string() }),
});
type Shadow = z.infer<typeof ShadowSchema>;

export interface ShadowFlags extends AuditFlags {
  readonly candidate?: string | undefined;
}

function shadowDir(cwd: string, eventsTable: string): string {
  return resolve(cwd, '.cache', 'shadows', eventsTable.replace(/[^A-Za-z0-9._-]/g, '_'));
}

function targetOf(flags: ShadowFlags) {
  return connect({
    tenant: flags.tenant,
    ...(flags.platform ? { platformFile: flags.platform } : {}),
    ...(flags.masterKey ? { masterKeyFile: flags.masterKey } : {}),
  });
}

export async function shadowStart(aopId: string, flags: ShadowFlags, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  if (!flags.candidate)
    throw new CliUsageError('give the candidate: aop shadow start <aop> --candidate FILE');
  const path = resolve(cwd, flags.candidate);
  const text = readFileSync(path, 'utf8');
  const defined = aopIdOf({ path, text });
  if (defined !== aopId)
    throw new CliUsageError(`${flags.candidate} defines ${defined ?? 'no procedure'}, not ${aopId}`);
  const target = targetOf(flags);
  try {
    const shadow: Shadow = {
      aopId,
      eventsTable: target.tableName,
      since: new Date().toISOString(),
      candidate: { path, text },
    };
    const dir = shadowDir(cwd, target.tableName);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${aopId}.json`), `${JSON.stringify(shadow, null, 2)}\n`);
    // The candidate as it was at start, beside the record: the report runs this text, not later edits.
    writeFileSync(join(dir, `${aopId}.md`), text);
    io.out(
      `shadow of ${aopId} started at ${shadow.since}: conversations from now on will be run on ${flags.candidate} too (aop shadow report ${aopId})\n`,
    );
    return 0;
  } finally {
    target.client.destroy();
  }
}

export async function shadowReport(aopId: string, flags: ShadowFlags, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const target = targetOf(flags);
  try {
    const dir = shadowDir(cwd, target.tableName);
    const file = join(dir, `${aopId}.json`);
    if (!existsSync(file))
      throw new CliUsageError(
        `no shadow of ${aopId} on this deployment: aop shadow start ${aopId} --candidate FILE`,
      );
    const shadow = ShadowSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    const run = await runRegression(
      target,
      aopId,
      { file: join(dir, `${aopId}.md`) },
      { since: shadow.since, ...(flags.aops ? { aops: flags.aops } : {}) },
    );
    const count = (verdict: string) => run.cases.filter((item) => item.verdict === verdict).length;
    const agreed = count('same') + count('wording-only');
    const judged = run.cases.length - count('not-replayable');
    const report = {
      aopId,
      since: shadow.since,
      candidate: shadow.candidate.path,
      conversations: run.cases.length,
      agreed,
      agreement: judged === 0 ? null : agreed / judged,
      behaveDifferently: unacknowledged(run.cases, []).map((item) => item.diffId),
      run,
    };
    if (flags.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
    else {
      const percent = report.agreement === null ? '–' : `${(100 * report.agreement).toFixed(1)}%`;
      io.out(
        `shadow of ${aopId} since ${shadow.since} (candidate ${shadow.candidate.path}): ${run.cases.length} live conversation(s), the candidate agreed on ${agreed} (${percent}; wording aside)\n`,
      );
      if (run.cases.length > 0) io.out(formatRegression({ ...run, label: 'its shadow candidate' }));
    }
    return 0;
  } finally {
    target.client.destroy();
  }
}

export async function shadowStop(aopId: string, flags: ShadowFlags, io: CliIo): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const target = targetOf(flags);
  try {
    const dir = shadowDir(cwd, target.tableName);
    if (!existsSync(join(dir, `${aopId}.json`)))
      throw new CliUsageError(`no shadow of ${aopId} on this deployment`);
    rmSync(join(dir, `${aopId}.json`));
    rmSync(join(dir, `${aopId}.md`), { force: true });
    io.out(`shadow of ${aopId} stopped\n`);
    return 0;
  } finally {
    target.client.destroy();
  }
}
