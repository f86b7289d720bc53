import type { AopRef, NewEvent, StoredEvent } from '../events/catalogue.ts';
import { normaliseUnderstanding, type Understanding } from '../model/understanding.ts';
import { handoffSummary } from './handoff-summary.ts';
import { type ConversationPolicy, unroutedReply } from './repair.ts';
import type { TurnState } from './turn-state.ts';

/**
 * How a turn starts and ends, shared by the conversation service (which runs turns) and replay (which
 * re-runs recorded ones): both must build the same execution input from the same facts and record the
 * same ending from the same output, or replay would prove nothing about the code that ran.
 */

/** What a turn carries over from the conversation: the paused procedure's state, or a fresh start. */
export interface CarriedState {
  readonly facts: Record<string, unknown>;
  readonly confirm: Record<string, boolean>;
  readonly counters: Record<string, { n: number }>;
  /** What the pause waits for; null on a fresh start. */
  readonly awaiting: Record<string, unknown> | null;
}

export interface TurnInputParts {
  readonly conversationId: string;
  readonly tenant: string;
  readonly turn: number;
  readonly aop: AopRef;
  /** The stored `turn.started` event: the turn's steps append after it. */
  readonly head: { readonly seq: number; readonly hash: string };
  /** The customer's message the turn answers. */
  readonly message: string;
  /** The turn clock (`turn.started.data.now`). */
  readonly now: Date;
  /** Pause point to resume from; '' on a fresh start. */
  readonly resume: string;
  /** The procedure's "more than N days ago" cut-offs (manifest `cutoffDays`). */
  readonly cutoffDays: readonly number[];
  readonly carried: CarriedState;
}

const DAY_MS = 86_400_000;

/** The input of the turn's state machine execution. */
export function buildTurnInput(parts: TurnInputParts): TurnState {
  const time = parts.now.toISOString();
  const cutoffs: Record<string, string> = {};
  for (const days of parts.cutoffDays)
    cutoffs[`d${days}`] = new Date(parts.now.getTime() - days * DAY_MS).toISOString();
  const { carried } = parts;
  return {
    ctx: {
      conversationId: parts.conversationId,
      tenant: parts.tenant,
      turn: parts.turn,
      aop: parts.aop,
      seq: parts.head.seq,
      hash: parts.head.hash,
    },
    message: parts.message,
    resume: parts.resume,
    facts: carried.facts,
    confirm: carried.confirm,
    counters: carried.counters,
    clock: { now: time, cutoffs },
    pause: carried.awaiting ? { resume: parts.resume, awaiting: carried.awaiting } : null,
    replies: [],
    status: 'active',
  };
}

export const HUMAN_OWNS_REPLY = 'A colleague has this conversation and will answer you here.';
export const TURN_FAILED_REPLY = 'Sorry, something went wrong on our side. A colleague will pick this up.';

/** A turn in which no procedure runs: a fixed reply, recorded so the message counts as answered. */
function fixedTurnEvents(
  turn: number,
  time: string,
  text: string,
  status: 'escalated' | 'resolved' | 'active',
  counters: Record<string, { n: number }> = {},
): NewEvent[] {
  return [
    { type: 'turn.started', time, actor: 'system', turn, data: { turn, now: time, resume: '' } },
    { type: 'message.sent', time, actor: 'agent', turn, data: { text } },
    { type: 'turn.completed', time, actor: 'system', turn, data: { turn, resume: '', status, counters } },
  ];
}

/** Where a conversation stands when a message reaches no procedure. */
export interface UnroutedContext {
  readonly status: 'new' | 'active' | 'resolved' | 'escalated';
  /** A procedure ran before in this conversation (and finished). */
  readonly hadProcedure: boolean;
  readonly counters: Record<string, { n: number }>;
  readonly policy: ConversationPolicy;
  /** The procedures the last reply asked the customer to choose between (`lastClarifying`), if it did. */
  readonly clarifying?: readonly string[] | undefined;
}

export type UnroutedTurn =
  | { readonly kind: 'fallback'; readonly reason: string }
  | {
      readonly kind: 'fixed';
      readonly text: string;
      readonly status: 'active' | 'resolved';
      readonly events: (turn: number, time: string) => NewEvent[];
    };

/** Consecutive messages no procedure fitted (repair.ts `unroutedReply`). */
export const UNROUTED_COUNTER = 'unrouted';
const UNROUTED = UNROUTED_COUNTER;

/**
 * A message that no procedure fits, answered without one (conversation repair before routing): the
 * conversation service and replay both decide it here, from the routing call's understanding.
 */
export function unroutedTurn(understanding: Understanding, context: UnroutedContext): UnroutedTurn {
  if (context.status === 'resolved' && (understanding.act === 'thanks' || understanding.act === 'none')) {
    // After a finished request, a message that asks for nothing ("thanks, bye") closes politely;
    // handing it to a human would page someone for a goodbye.
    return { kind: 'fixed', text: CLOSING_REPLY, status: 'resolved', events: closingTurnEvents };
  }
  const misses = context.counters[UNROUTED]?.n ?? 0;
  // "what was the charge on february 26 for?" fitting two procedures, with no FAQ entry answering it:
  // asked which, as the same thing said as a statement is.
  const choices =
    understanding.act === 'none' || (understanding.act === 'question' && understanding.faq === null)
      ? (understanding.routeChoices ?? [])
      : [];
  // "Which do you need: … or …?" answered with something else ("ava nguyen 78786", the sign-in the
  // customer expects next): the question again, not "I cannot help with that".
  const asked = context.clarifying ?? [];
  const decided =
    choices.length >= 2 && misses < context.policy.maxReasks
      ? ({ kind: 'reply', text: clarifyingQuestion(choices), missed: true } as const)
      : asked.length >= 2 && understanding.act === 'none' && misses < context.policy.maxReasks
        ? ({ kind: 'reply', text: clarifyingAgain(asked), missed: true } as const)
        : unroutedReply(understanding, { misses, policy: context.policy });
  if (decided.kind === 'route-fallback') return { kind: 'fallback', reason: decided.reason };
  // Nothing runs: a finished conversation stays finished, a new one waits for its first request.
  const status = context.hadProcedure ? 'resolved' : 'active';
  const counters: Record<string, { n: number }> = decided.missed ? { [UNROUTED]: { n: misses + 1 } } : {};
  return {
    kind: 'fixed',
    text: decided.text,
    status,
    events: (turn, time) => [
      ...fixedTurnEvents(turn, time, decided.text, status, counters),
      // A turn that ends resolved says so in the same append (the turn protocol, shared/audit/protocol.ts).
      ...(status === 'resolved'
        ? [{ type: 'conversation.resolved' as const, time, actor: 'system' as const, turn, data: {} }]
        : []),
    ],
  };
}

/**
 * The first turn over the tenant's `limits.maxTurnsPerConversation`: no procedure and no model run;
 * the conversation is handed to a person with the limit as the reason (a conversation that long is
 * going in circles, and every further turn costs a model call). `log` is the conversation up to this
 * turn (its message included), for the hand-off summary; `aopId` the procedure it was on, if any.
 */
export function turnLimitTurnEvents(
  turn: number,
  time: string,
  { limit, log, aopId, text }: { limit: number; log: readonly NewEvent[]; aopId: string; text: string },
): NewEvent[] {
  const reason = `The conversation reached this tenant's limit of ${limit} turns (limits.maxTurnsPerConversation); a colleague takes it from here.`;
  const [started, sent, completed] = fixedTurnEvents(turn, time, text, 'escalated');
  // Turn N answers the N-th message: the summary stops there, whatever arrived while it was written,
  // so replay (which sees every message stored before the turn) writes the same summary.
  let received = 0;
  const end = log.findIndex((event) => event.type === 'message.received' && ++received === turn);
  const upToMessage = end === -1 ? log : log.slice(0, end + 1);
  return [
    started!,
    {
      type: 'handoff.requested',
      time,
      actor: 'system',
      turn,
      data: { reason, summary: handoffSummary(upToMessage, { aopId, reason }) },
    },
    sent!,
    completed!,
    { type: 'conversation.escalated', time, actor: 'system', turn, data: { reason } },
  ];
}

/**
 * The short question asked when two or more procedures fit a first message and it does not say which
 * (the routing call's `routeChoices`). Worded from the procedure ids, so replay asks it again from the
 * recorded understanding alone: "cancel-pending-order" reads "cancel pending order".
 */
export function clarifyingQuestion(choices: readonly string[]): string {
  return `I can help with that. Which do you need: ${choiceList(choices)}?`;
}

/** The clarifying question once more, after a message that answered something else. */
export function clarifyingAgain(choices: readonly string[]): string {
  return `Thanks. First, so I know what to look at: which do you need, ${choiceList(choices)}?`;
}

function choiceList(choices: readonly string[]): string {
  const named = choices.map((id) => `"${id.replace(/[-_]+/g, ' ')}"`);
  return named.length === 2 ? named.join(' or ') : `${named.slice(0, -1).join(', ')} or ${named.at(-1)}`;
}

/**
 * The procedures the last reply asked the customer to choose between (`clarifyingQuestion`), in the
 * order asked; none when the last reply was anything else. Read from the log, so the next routing call
 * can tell the model that "the first one" answers that question.
 */
export function lastClarifying(history: readonly StoredEvent[]): string[] | undefined {
  const sent = history.findLastIndex((event) => event.type === 'message.sent');
  const reply = history[sent];
  if (reply?.type !== 'message.sent') return undefined;
  for (let at = sent - 1; at >= 0; at--) {
    const event = history[at]!;
    if (event.turn !== reply.turn || event.type === 'aop.selected') return undefined;
    if (event.type !== 'model.called') continue;
    const choices = normaliseUnderstanding(event.data.response).routeChoices ?? [];
    return choices.length >= 2 && reply.data.text === clarifyingQuestion(choices) ? [...choices] : undefined;
  }
  return undefined;
}

/** A turn after a hand-off: a human owns the conversation now. */
export function humanOwnedTurnEvents(turn: number, time: string): NewEvent[] {
  return fixedTurnEvents(turn, time, HUMAN_OWNS_REPLY, 'escalated');
}

export const CLOSING_REPLY = 'Glad I could help. If there is anything else, just tell me what you need.';

/** After a finished request, a message that asks for nothing ("thanks, bye") closes the conversation politely. */
export function closingTurnEvents(turn: number, time: string): NewEvent[] {
  return [
    ...fixedTurnEvents(turn, time, CLOSING_REPLY, 'resolved'),
    { type: 'conversation.resolved', time, actor: 'system', turn, data: {} },
  ];
}

export interface TurnEnding {
  readonly turn: number;
  readonly time: string;
  readonly aop: AopRef;
  /** The execution's output; null when it failed (then `failure` says why). */
  readonly output: TurnState | null;
  readonly failure: string;
}

/** The events that close a turn: how it ended, and whether the conversation ended with it. */
export function turnEndEvents({ turn, time, aop, output, failure }: TurnEnding): NewEvent[] {
  const stamp = { time, turn, aop } as const;
  if (!output) {
    return [
      { ...stamp, type: 'message.sent', actor: 'agent', data: { text: TURN_FAILED_REPLY } },
      {
        ...stamp,
        type: 'handoff.requested',
        actor: 'system',
        data: { reason: failure.slice(0, 2000), summary: `Turn ${turn} failed.` },
      },
      {
        ...stamp,
        type: 'turn.completed',
        actor: 'system',
        data: { turn, resume: '', status: 'escalated', counters: {} },
      },
      { ...stamp, type: 'conversation.escalated', actor: 'system', data: { reason: 'The turn failed.' } },
    ];
  }
  const status = output.status;
  const paused = status === 'active' && output.pause ? output.pause : null;
  const events: NewEvent[] = [
    {
      ...stamp,
      type: 'turn.completed',
      actor: 'system',
      data: {
        turn,
        resume: paused?.resume ?? '',
        status,
        counters: output.counters,
        ...(paused ? { awaiting: paused.awaiting as never } : {}),
      },
    },
  ];
  if (status === 'resolved')
    events.push({ ...stamp, type: 'conversation.resolved', actor: 'system', data: {} });
  if (status === 'escalated')
    events.push({
      ...stamp,
      type: 'conversation.escalated',
      actor: 'system',
      data: { reason: 'The procedure handed the conversation to a human.' },
    });
  return events;
}

/**
 * What the customer said before a procedure was chosen that no procedure read: the messages answered
 * without one whose routing read them as giving information (act `none`: "ava nguyen 78786" instead
 * of an answer to "which do you need", an email before saying what for), since the last procedure ran.
 * A procedure chosen now reads them with the message it starts on, so the sign-in is not asked again.
 * Greetings, thanks and questions answered from the FAQ are left out. The service and replay both
 * take them from the log, so the turn input is the same when replayed.
 */
export function unreadBeforeRouting(history: readonly StoredEvent[], turn: number): string[] {
  let collected: string[] = [];
  let text: string | undefined;
  let act: string | undefined;
  for (const event of history) {
    // The turn the procedure starts in is not before it.
    if (event.turn !== undefined && event.turn >= turn && event.type !== 'message.received') break;
    if (event.type === 'message.received') text = event.data.text;
    else if (event.type === 'model.called' && event.data.purpose === 'route')
      act = normaliseUnderstanding(event.data.response).act;
    else if (event.type === 'turn.started') {
      if (event.aop) collected = [];
      else if (act === 'none' && text) collected.push(text);
      text = undefined;
      act = undefined;
    }
  }
  return collected;
}

/** The message a procedure's first turn reads: what no procedure read before it, then the message. */
export function withUnread(text: string, unread: readonly string[]): string {
  return unread.length > 0 ? [...unread, text].join('\n') : text;
}
