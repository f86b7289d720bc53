import type { StoredEvent } from '../events/catalogue.ts';
import type { AppendAnchor } from './stored-stream.ts';

/**
 * What a hash chain cannot see on its own: that the newest events were cut off, or that events were
 * added at the end with a correct hash. Two things the runtime always leaves behind make that visible
 * without a head recorded elsewhere:
 *
 * - the turn protocol: a turn starts, its events carry its number, it completes, and a turn that ends
 *   the conversation is followed by `conversation.resolved` / `conversation.escalated` in the same
 *   append. A log cut inside that pattern, or an event of a turn placed outside it, is not one the
 *   runtime wrote;
 * - the idempotency records (`i#…` items) of appends made with a key: every customer message and every
 *   step append writes one, naming the seqs it wrote. A log shorter than a record says, or a message
 *   or step event at a seq its record does not name, was altered.
 *
 * Only a rewrite of both the events and their records, consistent with each other, escapes this; an
 * export manifest kept elsewhere (its final hash and count) catches that too.
 */

export interface ProtocolViolation {
  readonly seq: number;
  readonly message: string;
}

export interface ProtocolOptions {
  /** Idempotency records of the stream (live verify); offline exports have none. */
  readonly anchors?: readonly AppendAnchor[];
  /** A turn holds the lease, so the log may end inside it. */
  readonly locked?: boolean;
}

const ROUTING_TYPES = new Set(['model.called', 'aop.selected', 'slot.filled']);

/** The first violation of the turn protocol or of the append records; undefined when there is none. */
export function checkProtocol(
  events: readonly StoredEvent[],
  options: ProtocolOptions = {},
): ProtocolViolation | undefined {
  const first = events[0];
  // Registry streams (`aop#<id>`) and other non-conversation streams have no turns.
  if (first?.type !== 'conversation.started') return checkAnchors(events, options.anchors ?? []);
  let lastTurn = 0;
  let open: { turn: number; humanOwned: boolean } | null = null;
  let mustFollow: { type: 'conversation.resolved' | 'conversation.escalated'; turn: number } | null = null;
  // The conversation's status as the runtime folds it: a turn that starts escalated is a human's.
  let status = 'active';
  for (const event of events) {
    const { seq } = event;
    if (mustFollow) {
      if (event.type !== mustFollow.type || event.turn !== mustFollow.turn)
        return {
          seq,
          message: `turn ${mustFollow.turn} ended the conversation, but seq ${seq} is ${event.type}, not the ${mustFollow.type} written with it`,
        };
      mustFollow = null;
      status = event.type === 'conversation.resolved' ? 'resolved' : 'escalated';
      continue;
    }
    if (event.type === 'conversation.started') {
      if (seq !== 1) return { seq, message: `conversation.started at seq ${seq}; it can only be seq 1` };
      continue;
    }
    if (event.type === 'conversation.escalated') status = 'escalated';
    if (event.type === 'conversation.resolved') status = 'resolved';
    if (event.type === 'aop.selected') status = 'active';
    const turn: number | undefined = event.turn;
    if (turn === undefined) continue;
    if (event.type === 'turn.started') {
      if (open) return { seq, message: `turn ${turn} starts while turn ${open.turn} is still running` };
      if (turn !== lastTurn + 1)
        return { seq, message: `turn ${turn} starts after turn ${lastTurn}; turns are numbered in order` };
      lastTurn = turn;
      open = { turn, humanOwned: status === 'escalated' };
      continue;
    }
    if (event.type === 'turn.interrupted') {
      // Written by the next lease holder: the turn's process died; nothing of it follows.
      const interrupted = (event.data as { turn?: unknown } | undefined)?.turn;
      if (!open || open.turn !== interrupted)
        return { seq, message: `turn ${String(interrupted)} is interrupted but it is not running` };
      open = null;
      continue;
    }
    if (event.type === 'turn.completed') {
      if (!open || open.turn !== turn)
        return { seq, message: `turn ${turn} completes but it is not running` };
      status = event.data.status;
      if (event.data.status === 'resolved') mustFollow = { type: 'conversation.resolved', turn };
      if (event.data.status === 'escalated' && !open.humanOwned)
        mustFollow = { type: 'conversation.escalated', turn };
      open = null;
      continue;
    }
    if (open) {
      if (turn !== open.turn) return { seq, message: `an event of turn ${turn} inside turn ${open.turn}` };
      continue;
    }
    if (event.type === 'conversation.resolved' || event.type === 'conversation.escalated')
      return { seq, message: `${event.type} of turn ${turn} does not follow that turn's completion` };
    if (!ROUTING_TYPES.has(event.type) || turn !== lastTurn + 1)
      return { seq, message: `${event.type} of turn ${turn} lies outside any running turn` };
  }
  const end = (events.at(-1)?.seq ?? 0) + 1;
  if (mustFollow)
    return {
      seq: end,
      message: `the log ends before the ${mustFollow.type} that turn ${mustFollow.turn} wrote`,
    };
  if (open && !options.locked)
    return {
      seq: end,
      message: `the log ends inside turn ${open.turn}, which holds no lease: events after it were cut off`,
    };
  return checkAnchors(events, options.anchors ?? []);
}

const STEP_APPEND = /^turn-(\d+)-at-(\d+)-/;
const MESSAGE_APPEND = /^message-(.+)$/;

function checkAnchors(
  events: readonly StoredEvent[],
  anchors: readonly AppendAnchor[],
): ProtocolViolation | undefined {
  if (anchors.length === 0) return undefined;
  const lastSeq = events.at(-1)?.seq ?? 0;
  const messages = new Map<string, AppendAnchor>();
  for (const anchor of anchors) {
    if (!Number.isInteger(anchor.fromSeq) || !Number.isInteger(anchor.toSeq) || anchor.fromSeq < 1)
      return { seq: lastSeq + 1, message: `the append record "${anchor.key}" is malformed` };
    if (anchor.toSeq > lastSeq)
      return {
        seq: lastSeq + 1,
        message: `the append "${anchor.key}" wrote seqs ${anchor.fromSeq}..${anchor.toSeq}, but the log ends at ${lastSeq}: events were cut off`,
      };
    const message = MESSAGE_APPEND.exec(anchor.key);
    if (message) messages.set(message[1]!, anchor);
    const step = STEP_APPEND.exec(anchor.key);
    if (step) {
      const turn = Number(step[1]);
      if (anchor.fromSeq !== Number(step[2]) + 1)
        return {
          seq: anchor.fromSeq,
          message: `the append "${anchor.key}" was made after seq ${step[2]} but records seq ${anchor.fromSeq}`,
        };
      for (let seq = anchor.fromSeq; seq <= anchor.toSeq; seq++) {
        const event = events[seq - 1];
        if (event?.turn !== turn)
          return {
            seq,
            message: `seq ${seq} was written by turn ${turn}'s step, but it is not of that turn`,
          };
      }
    }
  }
  for (const event of events) {
    if (event.type !== 'message.received') continue;
    // A tampered event may not even have the shape its type says.
    const messageId = (event.data as { messageId?: unknown } | undefined)?.messageId;
    const anchor = typeof messageId === 'string' ? messages.get(messageId) : undefined;
    if (!anchor || event.seq < anchor.fromSeq || event.seq > anchor.toSeq)
      return {
        seq: event.seq,
        message: `message ${String(messageId)} at seq ${event.seq} has no matching append record (the ingress writes one with every message)`,
      };
  }
  return undefined;
}
