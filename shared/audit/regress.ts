import { createHash } from 'node:crypto';
import type { ConversationPolicy } from '../engine/repair.ts';
import type { StoredEvent } from '../events/catalogue.ts';
import type { ToolCatalogue } from '../tools/define-tool.ts';
import type { IntegrityReport } from './integrity.ts';
import type { ProcedureResolver, ProcedureVersion } from './procedures.ts';
import { replayConversation, type WhatIfReport, whatIf } from './replay.ts';

/**
 * Regression over recorded conversations (`aop regress`): each conversation that ran the procedure is
 * replayed exactly on the version it ran (the sanity check: the recording is explained by its version),
 * then its recorded customer messages are run on the candidate with the what-if replay (no side effect;
 * tools answered from the recording where the call is the same). What differs is classified:
 *
 * - `same`: the candidate writes the same events;
 * - `wording-only`: it says things differently but does the same: the same tool calls with the same
 *   input, the same facts filled, the same pauses, hand-offs and endings;
 * - `behaviour`: anything else; `endsDifferently` and `toolCallsChange` say how.
 *
 * A difference has a stable id (conversation and first divergent step), which `aop publish
 * --accept-diff <id>` acknowledges.
 */

export type RegressVerdict = 'same' | 'wording-only' | 'behaviour' | 'not-replayable';

export interface RegressCase {
  readonly conversationId: string;
  readonly verdict: RegressVerdict;
  /** `<conversation prefix>:<step>`: what `--accept-diff` names; undefined when nothing differs. */
  readonly diffId: string | undefined;
  /** The step the candidate first parted from the recording at. */
  readonly step: string | undefined;
  /** How the conversation ended as recorded, and how it would end on the candidate. */
  readonly recordedEnd: string;
  readonly candidateEnd: string;
  readonly endsDifferently: boolean;
  /** Tool calls (name and input) the recording made that the candidate would not, and the reverse. */
  readonly callsDropped: readonly string[];
  readonly callsAdded: readonly string[];
  /** The first difference in words. */
  readonly firstDifference: string | undefined;
  /** Why the conversation could not be used (its exact replay failed, or it cannot be read). */
  readonly note?: string;
}

export interface RegressOptions {
  readonly catalogue: ToolCatalogue;
  /** The versions the recordings ran (the registry's, for the sanity replay). */
  readonly resolve: ProcedureResolver;
  readonly candidate: ProcedureVersion;
  readonly conversation?: ConversationPolicy;
  /** The events were decrypted for the run (replay compares what they say, not their hashes)… */
  readonly decrypted?: boolean;
  /** …and this is the verdict on the log as stored. */
  readonly integrity?: IntegrityReport;
}

/** What the recorded conversation did, and would do on the candidate, apart from its words. */
function behaviourOf(events: readonly StoredEvent[]): string[] {
  const said: string[] = [];
  for (const event of events) {
    if (event.type === 'tool.requested') said.push(`call ${event.data.tool} ${canonical(event.data.input)}`);
    else if (event.type === 'tool.failed') said.push(`refused ${event.data.tool} ${event.data.error.code}`);
    else if (event.type === 'slot.filled')
      said.push(`fact ${event.data.name}=${canonical(event.data.value)}`);
    else if (event.type === 'handoff.requested') said.push('handoff');
    else if (event.type === 'turn.completed') said.push(`pause ${event.data.resume} ${event.data.status}`);
  }
  return said;
}

function callsOf(events: readonly StoredEvent[]): string[] {
  return events.flatMap((event) =>
    event.type === 'tool.requested' ? [`${event.data.tool} ${canonical(event.data.input)}`] : [],
  );
}

function endOf(events: readonly StoredEvent[]): string {
  const last = events.findLast((event) => event.type === 'turn.completed');
  return last?.type === 'turn.completed'
    ? last.data.status === 'active'
      ? `waiting at ${last.data.resume || 'the end'}`
      : last.data.status
    : 'unfinished';
}

/** Runs one recorded conversation on its version and on the candidate, and says what changed. */
export async function regressConversation(
  events: readonly StoredEvent[],
  options: RegressOptions,
): Promise<RegressCase> {
  const conversationId = events[0]?.conversationId ?? '';
  const base = { conversationId, callsDropped: [], callsAdded: [], firstDifference: undefined };
  const notReplayable = (note: string): RegressCase => ({
    ...base,
    verdict: 'not-replayable',
    diffId: undefined,
    step: undefined,
    recordedEnd: endOf(events),
    candidateEnd: 'unknown',
    endsDifferently: false,
    note,
  });
  const sanity = await replayConversation(events, {
    catalogue: options.catalogue,
    resolve: options.resolve,
    ...(options.conversation ? { conversation: options.conversation } : {}),
    ...(options.decrypted ? { decrypted: true } : {}),
    ...(options.integrity ? { integrity: options.integrity } : {}),
  });
  if (!sanity.ok) {
    const turn = sanity.first;
    return notReplayable(
      turn
        ? `its exact replay differs at turn ${turn.turn}${turn.fatal ? `: ${turn.fatal}` : ''}`
        : 'its log does not verify',
    );
  }
  let report: WhatIfReport;
  try {
    report = await whatIf(events, {
      catalogue: options.catalogue,
      procedure: options.candidate,
      resolve: options.resolve,
      ...(options.conversation ? { conversation: options.conversation } : {}),
    });
  } catch (error) {
    return notReplayable((error as Error).message);
  }
  const recorded = report.turns.flatMap((turn) => turn.recorded);
  const produced = report.turns.flatMap((turn) => turn.produced);
  const recordedEnd = endOf(recorded);
  const candidateEnd =
    report.stopped && !report.stopped.includes('ended the conversation') ? 'stopped' : endOf(produced);
  // Differences only in what the model was asked, or in timings, are no differences of conduct.
  const parted = firstParting(report);
  if ((!report.divergence || !parted) && !report.stopped)
    return {
      ...base,
      verdict: 'same',
      diffId: undefined,
      step: undefined,
      recordedEnd,
      candidateEnd,
      endsDifferently: false,
    };
  const behaviourSame =
    report.stopped === undefined &&
    report.turns.every(
      (turn) => canonical(behaviourOf(turn.recorded)) === canonical(behaviourOf(turn.produced)),
    );
  const recordedCalls = callsOf(recorded);
  const producedCalls = callsOf(produced);
  // A call the candidate would make that the recording never did stops the what-if run there.
  const wouldCall = report.turns.flatMap((turn) => (turn.wouldCall ? [turn.wouldCall] : []));
  const step = parted?.step ?? report.divergence?.step;
  const difference = parted?.difference ?? report.divergence?.difference;
  return {
    conversationId,
    verdict: behaviourSame ? 'wording-only' : 'behaviour',
    diffId: `${conversationId.slice(0, 8)}:${step ?? 'end'}`,
    step,
    recordedEnd,
    candidateEnd,
    endsDifferently: recordedEnd !== candidateEnd,
    callsDropped: recordedCalls.filter((call) => !producedCalls.includes(call)),
    callsAdded: [...producedCalls.filter((call) => !recordedCalls.includes(call)), ...wouldCall],
    firstDifference: report.stopped ?? (difference ? describeDifference(difference) : undefined),
  };
}

/**
 * Where the candidate first did something else, not counting what it asked the model (a changed
 * procedure asks with other words or allowed values every time; what matters is what followed).
 */
function firstParting(
  report: WhatIfReport,
):
  | { step: string | undefined; difference: NonNullable<WhatIfReport['divergence']>['difference'] }
  | undefined {
  const visible = (events: readonly StoredEvent[]) => events.filter((event) => event.type !== 'model.called');
  for (const turn of report.turns) {
    const recorded = visible(turn.recorded);
    const produced = visible(turn.produced);
    for (let index = 0; index < Math.max(recorded.length, produced.length); index++) {
      const before = recorded[index];
      const after = produced[index];
      if (before && after && comparable(before) === comparable(after)) continue;
      return {
        step: after?.step ?? before?.step,
        difference: {
          seq: before?.seq ?? after?.seq ?? 0,
          kind: !before ? 'extra' : !after ? 'missing' : 'changed',
          path: 'data',
          recorded: before,
          replayed: after,
          recordedValue: JSON.stringify(before?.data ?? null),
          replayedValue: JSON.stringify(after?.data ?? null),
        },
      };
    }
  }
  return undefined;
}

/** An event as the comparison sees it: what it says, without how long it took (a what-if clock is its own). */
function comparable(event: StoredEvent): string {
  const { latencyMs: _latency, usage: _usage, ...data } = event.data as Record<string, unknown>;
  return canonical({ type: event.type, step: event.step, data });
}

function describeDifference(difference: NonNullable<WhatIfReport['divergence']>['difference']): string {
  const said = (event: StoredEvent | undefined) =>
    event === undefined
      ? 'nothing more'
      : event.type === 'message.sent'
        ? `said "${event.data.text.replace(/\s+/g, ' ').slice(0, 120)}"`
        : event.type === 'tool.requested'
          ? `called ${event.data.tool}`
          : event.type;
  return `recorded ${said(difference.recorded)}; candidate ${said(difference.replayed)}`;
}

/** The cases grouped by the step they first differ at (those that differ), largest group first. */
export function groupByStep(cases: readonly RegressCase[]): [string, RegressCase[]][] {
  const groups = new Map<string, RegressCase[]>();
  for (const item of cases) {
    if (item.verdict === 'same' || item.verdict === 'not-replayable') continue;
    const key = item.step ?? '(the end)';
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups].sort((a, b) => b[1].length - a[1].length);
}

/** The behavioural differences not acknowledged with `--accept-diff`. */
export function unacknowledged(cases: readonly RegressCase[], accepted: readonly string[]): RegressCase[] {
  return cases.filter(
    (item) =>
      item.verdict === 'behaviour' &&
      !accepted.some((id) => id === item.diffId || (item.diffId?.startsWith(id) ?? false)),
  );
}

/** A short fingerprint of a regression run (what the gate event records). */
export function regressDigest(cases: readonly RegressCase[]): string {
  return createHash('sha256')
    .update(canonical(cases.map((item) => [item.conversationId, item.verdict, item.diffId ?? null])))
    .digest('hex')
    .slice(0, 16);
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, field]) => `${JSON.stringify(key)}:${canonical(field)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}
