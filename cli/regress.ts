import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { ProcedureVersion } from '../shared/audit/procedures.ts';
import { aopIdOf, withReplacedFile } from '../shared/audit/procedures.ts';
import {
  groupByStep,
  type RegressCase,
  regressConversation,
  regressDigest,
} from '../shared/audit/regress.ts';
import { createEventStore } from '../shared/events/store.ts';
import { createContentStore } from '../shared/registry/content.ts';
import { createAopRegistry } from '../shared/registry/registry.ts';
import {
  type AuditTarget,
  connect,
  eventsOfStream,
  loadTenants,
  openConversation,
  readStream,
  registryResolver,
} from './audit.ts';
import { type CliIo, CliUsageError } from './io.ts';
import type { AuditFlags } from './program.ts';

/**
 * `aop regress <aop> --candidate FILE | --version N`: the procedure's recorded conversations, each replayed
 * exactly on the version it ran and then run on the candidate with its recorded customer messages (no
 * side effect), the differences grouped by the step they start at (shared/audit/regress.ts).
 */

export interface RegressFlags extends AuditFlags {
  readonly candidate?: string | undefined;
  readonly version?: string | undefined;
  /** At most this many conversations, the most recent first (default: all). */
  readonly sample?: string | undefined;
}

export interface RegressionRun {
  readonly aopId: string;
  readonly label: string;
  readonly cases: readonly RegressCase[];
  readonly digest: string;
}

/** Runs the regression; the gate of `aop publish` calls it too. */
export async function runRegression(
  target: AuditTarget,
  aopId: string,
  candidate: { readonly file: string } | { readonly version: number },
  {
    aops = 'aops',
    sample,
    since,
  }: {
    readonly aops?: string;
    readonly sample?: number;
    /** Only conversations that started at or after this time (ISO 8601): `aop shadow report`. */
    readonly since?: string;
  } = {},
): Promise<RegressionRun> {
  const tenants = await loadTenants([aops], target.source.tenant);
  const resolve = registryResolver(target, tenants, () => {});
  let procedure: ProcedureVersion;
  let label: string;
  if ('file' in candidate) {
    const text = readFileSync(candidate.file, 'utf8');
    const fileAop = aopIdOf({ path: candidate.file, text });
    if (fileAop !== aopId)
      throw new CliUsageError(`${candidate.file} defines ${fileAop ?? 'no procedure'}, not ${aopId}`);
    const working = tenants.workingVersion(aopId);
    if (!working) throw new CliUsageError(`no tenant under ${aops} has the procedure ${aopId}`);
    procedure = withReplacedFile(working, { path: relative(process.cwd(), candidate.file), text }, aopId);
    label = candidate.file;
  } else {
    const registry = createAopRegistry({
      events: createEventStore({ client: target.client, tableName: target.tableName }),
      contents: createContentStore({ client: target.client, tableName: target.tableName }),
    });
    procedure = { aopId, files: (await registry.content(aopId, candidate.version)).files };
    label = `version ${candidate.version}`;
  }
  const store = createEventStore({ client: target.client, tableName: target.tableName });
  // Conversation streams only: the registry keeps each procedure's versions in `aop#<id>`.
  const ids = (await store.listConversations()).filter((id) => !id.includes('#'));
  const cases: RegressCase[] = [];
  const conversation = tenants.conversationFor(aopId);
  for (const id of ids) {
    if (sample !== undefined && cases.length >= sample) break;
    const stream = await readStream(target, id);
    const { events: stored, integrity } = eventsOfStream(stream);
    if (!stored.some((event) => event.type === 'aop.selected' && event.data.aopId === aopId)) continue;
    if (since !== undefined && (stored[0]?.time ?? '') < since) continue;
    const opened = await openConversation(target, stream.conversationId, stored);
    if (opened.readability === 'erased' || opened.readability === 'encrypted') continue;
    cases.push(
      await regressConversation(opened.events, {
        catalogue: tenants.catalogueFor(aopId),
        resolve,
        candidate: procedure,
        ...(conversation === undefined ? {} : { conversation }),
        ...(opened.readability === 'decrypted' ? { decrypted: true, integrity } : {}),
      }),
    );
  }
  return { aopId, label, cases, digest: regressDigest(cases) };
}

/** The report as a person reads it: counts, then the differences grouped by the step they start at. */
export function formatRegression(run: RegressionRun): string {
  const count = (verdict: RegressCase['verdict']) =>
    run.cases.filter((item) => item.verdict === verdict).length;
  const lines = [
    `${run.aopId} against ${run.label}: ${run.cases.length} recorded conversation(s): ${count('same')} the same, ${count('wording-only')} wording only, ${count('behaviour')} behave differently, ${count('not-replayable')} not replayable`,
  ];
  for (const [step, cases] of groupByStep(run.cases)) {
    lines.push('', `first different at ${step} (${cases.length}):`);
    for (const item of cases) {
      const how = [
        item.verdict === 'wording-only' ? 'wording only' : 'behaviour',
        item.endsDifferently ? `ends ${item.candidateEnd} instead of ${item.recordedEnd}` : undefined,
        item.callsDropped.length > 0 ? `no longer calls ${item.callsDropped.join('; ')}` : undefined,
        item.callsAdded.length > 0 ? `would call ${item.callsAdded.join('; ')}` : undefined,
      ].filter(Boolean);
      lines.push(`  ${item.diffId}  ${how.join(', ')}`);
      if (item.firstDifference) lines.push(`      ${item.firstDifference}`);
    }
  }
  for (const item of run.cases.filter((each) => each.verdict === 'not-replayable'))
    lines.push(`  ${item.conversationId.slice(0, 8)} not replayable: ${item.note ?? ''}`);
  return `${lines.join('\n')}\n`;
}

export async function regress(aopId: string, flags: RegressFlags, io: CliIo): Promise<number> {
  if ((flags.candidate === undefined) === (flags.version === undefined))
    throw new CliUsageError('give the candidate as --candidate FILE or --version N (one of them)');
  const version = flags.version === undefined ? undefined : Number(flags.version);
  if (version !== undefined && (!Number.isInteger(version) || version < 1))
    throw new CliUsageError(`--version must be a version number (1, 2, …), not "${flags.version}"`);
  const sample = flags.sample === undefined ? undefined : Number(flags.sample);
  if (sample !== undefined && (!Number.isInteger(sample) || sample < 1))
    throw new CliUsageError(`--sample must be a count (1, 2, …), not "${flags.sample}"`);
  const target = connect({
    tenant: flags.tenant,
    ...(flags.platform ? { platformFile: flags.platform } : {}),
    ...(flags.masterKey ? { masterKeyFile: flags.masterKey } : {}),
  });
  try {
    const run = await runRegression(
      target,
      aopId,
      flags.candidate === undefined ? { version: version! } : { file: flags.candidate },
      { ...(flags.aops ? { aops: flags.aops } : {}), ...(sample === undefined ? {} : { sample }) },
    );
    io.out(flags.json ? `${JSON.stringify(run, null, 2)}\n` : formatRegression(run));
    return run.cases.some((item) => item.verdict === 'behaviour') ? 1 : 0;
  } finally {
    target.client.destroy();
  }
}
