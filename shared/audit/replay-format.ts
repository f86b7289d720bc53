import type { StoredEvent } from '../events/catalogue.ts';
import { clip, describeEvent } from './describe.ts';
import { formatIntegrity } from './integrity.ts';
import type { Decision, ReplayReport, TurnReplay, WhatIfReport } from './replay.ts';

/** Plain-text reports of `aop replay`, for a reviewer's terminal. */

export function formatReplay(report: ReplayReport): string {
  const lines = [`Replay of ${report.conversationId}`, `  integrity: ${formatIntegrity(report.integrity)}`];
  for (const turn of report.turns) lines.push(`  ${turnLine(turn)}`);
  if (report.first) {
    lines.push(
      '',
      `First difference: turn ${report.first.turn}${report.first.source ? ` (${report.first.source})` : ''}`,
    );
    lines.push(...differenceLines(report.first));
  }
  lines.push(
    '',
    report.ok ? 'OK: every turn reproduced exactly.' : 'DIFFERENT: the recording does not replay.',
  );
  return `${lines.join('\n')}\n`;
}

function turnLine(turn: TurnReplay): string {
  const aop = turn.aop ? `${turn.aop.id}@${turn.aop.version}` : 'no procedure (a human owned it)';
  const verdict =
    turn.status === 'ok'
      ? `OK (${turn.events} events)`
      : turn.status === 'skipped'
        ? `skipped: ${turn.note}`
        : `DIFFERENT at seq ${turn.difference?.seq ?? '?'}`;
  return `turn ${turn.turn} · ${aop}: ${verdict}`;
}

function differenceLines(turn: TurnReplay): string[] {
  const lines: string[] = [];
  if (turn.fatal) lines.push(`  replay stopped: ${turn.fatal}`);
  const difference = turn.difference;
  if (!difference) return lines;
  const what =
    difference.kind === 'missing'
      ? 'the recorded event was not produced'
      : difference.kind === 'extra'
        ? 'replay produced an event the recording does not have'
        : `${difference.path} differs`;
  lines.push(`  seq ${difference.seq}: ${what}`);
  lines.push(`    recorded: ${difference.recorded ? eventLine(difference.recorded) : '(nothing)'}`);
  lines.push(`    replayed: ${difference.replayed ? eventLine(difference.replayed) : '(nothing)'}`);
  if (difference.kind === 'changed') {
    lines.push(`    recorded ${difference.path} = ${clip(difference.recordedValue, 200)}`);
    lines.push(`    replayed ${difference.path} = ${clip(difference.replayedValue, 200)}`);
  }
  return lines;
}

function eventLine(event: StoredEvent): string {
  return `${event.type}${event.step ? ` [${event.step}]` : ''} ${describeEvent(event, { width: 140 })}`;
}

export function formatWhatIf(report: WhatIfReport, label: string): string {
  const lines = [
    `What-if: ${report.aopId} from ${label} (source ${report.sourceHash.slice(0, 12)}) on conversation ${report.conversationId}`,
    'Nothing is called: tools answer with the recorded output of the same call, or the call is shown and the turn stops.',
    '',
  ];
  const divergence = report.divergence;
  if (!divergence) lines.push('No divergence: the new version behaves exactly as recorded on these turns.');
  else {
    lines.push(`First divergence: turn ${divergence.turn}, step ${divergence.step ?? '(none)'}`);
    lines.push(`  recorded: ${decisionLine(divergence.recorded)}`);
    lines.push(`  new:      ${decisionLine(divergence.new)}`);
    lines.push('', 'What the new version would have done from there (shown, not made):');
    for (const turn of report.turns.filter((t) => t.turn >= divergence.turn)) {
      lines.push(`  Turn ${turn.turn}`);
      // In the turn they part, what both did alike is left out.
      const from =
        turn.turn === divergence.turn && divergence.new ? turn.produced.indexOf(divergence.new.event) : 0;
      const shown = turn.produced.slice(Math.max(0, from));
      if (shown.length === 0 && !turn.wouldCall) lines.push('    (nothing more)');
      for (const event of shown) lines.push(`    ${eventLine(event)}`);
      if (turn.wouldCall)
        lines.push(`    >> would ${turn.wouldCall}: not recorded, so not made; the turn stops here`);
    }
  }
  if (report.stopped) lines.push('', `Stopped: ${report.stopped}`);
  for (const note of report.notes) lines.push(`Note: ${note}`);
  return `${lines.join('\n')}\n`;
}

function decisionLine(decision: Decision | undefined): string {
  if (!decision) return '(nothing more in this turn)';
  const where = [decision.step, decision.source].filter(Boolean).join(' ');
  return `${where ? `[${where}] ` : ''}${decision.event.type}: ${describeEvent(decision.event, { width: 140 })}`;
}
