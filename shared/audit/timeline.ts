import type { AopRef, StoredEvent } from '../events/catalogue.ts';
import { describeEvent } from './describe.ts';
import { sourceLine, statesOf } from './source-lines.ts';

/**
 * `aop audit show`: what happened, in order, and why — each event with its seq, time, actor, type, the
 * procedure version and step it happened in, and the line of the procedure that step was compiled from.
 */

export interface TimelineEntry {
  readonly seq: number;
  readonly time: string;
  readonly actor: string;
  readonly type: string;
  readonly turn: number | undefined;
  /** `id@version` of the procedure the event happened in. */
  readonly aop: string | undefined;
  readonly step: string | undefined;
  /** The compiled state the event came from, when known. */
  readonly state: string | undefined;
  /** `file:line` of the procedure text that state was compiled from. */
  readonly source: string | undefined;
  readonly detail: string;
  readonly event: StoredEvent;
}

/** Source maps by procedure version; undefined when a version's files cannot be found. */
export type SourceMaps = (aop: AopRef) => Readonly<Record<string, string>> | undefined;

export function buildTimeline(events: readonly StoredEvent[], sourceMaps: SourceMaps): TimelineEntry[] {
  const states = statesOf(events);
  return events.map((event, index) => {
    const state = states[index];
    const map = event.aop ? sourceMaps(event.aop) : undefined;
    return {
      seq: event.seq,
      time: event.time,
      actor: event.actor,
      type: event.type,
      turn: event.turn,
      aop: event.aop ? `${event.aop.id}@${event.aop.version}` : undefined,
      step: event.step,
      state,
      source: map ? sourceLine(map, state, event.step) : undefined,
      detail: describeEvent(event),
      event,
    };
  });
}

export interface TimelineHeader {
  readonly conversationId: string;
  /** The integrity verdict, one line. */
  readonly integrity: string;
}

export function formatTimeline(entries: readonly TimelineEntry[], header: TimelineHeader): string {
  const lines = [`Conversation ${header.conversationId}`, `  ${header.integrity}`, ''];
  // A turn's routing events come before its turn.started: label the turn by the procedure it ran.
  const ran = new Map<number, string>();
  // A turn whose process died is closed by the next lease holder, whose turn recovers it.
  const interrupted = new Set<number>();
  for (const entry of entries) {
    if (entry.type === 'turn.started' && entry.turn !== undefined && entry.aop)
      ran.set(entry.turn, entry.aop);
    if (entry.event.type === 'turn.interrupted') interrupted.add(entry.event.data.turn);
  }
  let turn: number | undefined;
  for (const entry of entries) {
    if (entry.turn !== undefined && entry.turn !== turn) {
      turn = entry.turn;
      const aop = ran.get(turn);
      const note = interrupted.has(turn)
        ? ' · interrupted (its process stopped)'
        : interrupted.has(turn - 1)
          ? ` · recovered after an interruption of turn ${turn - 1}`
          : '';
      lines.push('', `Turn ${turn}${aop ? ` · ${aop}` : ''}${note}`);
    }
    const where = [entry.step, entry.source].filter(Boolean).join(' ');
    lines.push(
      `  #${String(entry.seq).padEnd(4)} ${entry.time.slice(11, 23)}  ${entry.actor.padEnd(8)} ${entry.type.padEnd(22)} ${where ? `[${where}] ` : ''}${entry.detail}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
