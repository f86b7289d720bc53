import type { StoredEvent } from '../events/catalogue.ts';

/**
 * Conversation state is a pure fold over its events: no other source of truth exists. The runtime
 * folds before each turn (and the tool runner folds to check guards), replay folds recorded logs.
 */
export interface ConversationState {
  readonly conversationId: string;
  readonly tenant: string | null;
  readonly channel: string | null;
  readonly status: 'new' | 'active' | 'resolved' | 'escalated';
  readonly aop: { id: string; version: number } | null;
  /** Requests of the customer's message still to take up when the procedure ends (requests.ts). */
  readonly queued: readonly string[];
  readonly resume: string;
  readonly awaiting: Record<string, unknown> | null;
  readonly turn: number;
  /** A turn that started and has neither completed nor been interrupted (its process may be dead). */
  readonly openTurn: number | null;
  /** Which turn answered each message. */
  readonly turnOf: ReadonlyMap<string, number>;
  /** Turns that took up a queued request (`aop.selected` reason `continued`): they answer no message. */
  readonly continued: ReadonlySet<number>;
  readonly facts: Record<string, unknown>;
  readonly confirm: Record<string, boolean>;
  readonly counters: Record<string, { n: number }>;
  readonly customerId: string | null;
  readonly seq: number;
  /** Hash of the last event (the chain head). */
  readonly hash: string | null;
  /** Message ids in arrival order, and those a turn has answered. */
  readonly received: { messageId: string; seq: number; text: string }[];
  readonly answered: ReadonlySet<string>;
  /** Messages whose turn was interrupted and that wait (or waited) to be answered again. */
  readonly requeued: ReadonlySet<string>;
  /** The latest confirmation asked and whether a yes to it is still unused by a write. */
  readonly confirmation: {
    key: string;
    requestedSeq: number;
    confirmed: boolean | null;
    /** The turn whose message answered it: a write must follow in that same turn. */
    answeredTurn: number | null;
    /** The question could not name every detail of the action. */
    incomplete: boolean;
    usedSeq: number | null;
  } | null;
}

export function emptyState(conversationId: string): ConversationState {
  return {
    conversationId,
    tenant: null,
    channel: null,
    status: 'new',
    aop: null,
    queued: [],
    resume: '',
    awaiting: null,
    turn: 0,
    openTurn: null,
    turnOf: new Map(),
    continued: new Set(),
    facts: {},
    confirm: {},
    counters: {},
    customerId: null,
    seq: 0,
    hash: null,
    received: [],
    answered: new Set(),
    requeued: new Set(),
    confirmation: null,
  };
}

export function fold(events: readonly StoredEvent[], initial?: ConversationState): ConversationState {
  let state: ConversationState = initial ?? emptyState(events[0]?.conversationId ?? '');
  for (const event of events) state = apply(state, event);
  return state;
}

/** Which message a turn answers: the turn's `turn.started` follows its `message.received`. */
function apply(state: ConversationState, event: StoredEvent): ConversationState {
  const next = { ...state, seq: event.seq, hash: event.hash };
  switch (event.type) {
    case 'conversation.started':
      return { ...next, tenant: event.data.tenant, channel: event.data.channel, status: 'active' };
    case 'message.received':
      return {
        ...next,
        received: [
          ...state.received,
          { messageId: event.data.messageId, seq: event.seq, text: event.data.text },
        ],
      };
    case 'aop.selected':
      return {
        ...next,
        aop: { id: event.data.aopId, version: event.data.version },
        queued: event.data.then ?? [],
        ...(event.data.reason === 'continued' && event.turn !== undefined
          ? { continued: new Set([...state.continued, event.turn]) }
          : {}),
        status: 'active',
        resume: '',
        awaiting: null,
        counters: {},
        confirm: {},
      };
    case 'turn.started': {
      const pending = state.continued.has(event.data.turn)
        ? undefined
        : state.received.find((message) => !state.answered.has(message.messageId));
      if (!pending) return { ...next, turn: event.data.turn, openTurn: event.data.turn };
      return {
        ...next,
        turn: event.data.turn,
        openTurn: event.data.turn,
        answered: new Set([...state.answered, pending.messageId]),
        turnOf: new Map([...state.turnOf, [pending.messageId, event.data.turn]]),
      };
    }
    case 'turn.interrupted': {
      // The message it was answering waits again, first in arrival order.
      const answered = new Set(state.answered);
      const turnOf = new Map(state.turnOf);
      const requeued = new Set(state.requeued);
      for (const [messageId, turn] of state.turnOf)
        if (turn === event.data.turn) {
          answered.delete(messageId);
          turnOf.delete(messageId);
          requeued.add(messageId);
        }
      return { ...next, openTurn: null, answered, turnOf, requeued };
    }
    case 'turn.completed':
      return {
        ...next,
        openTurn: null,
        resume: event.data.resume,
        awaiting: event.data.awaiting ?? null,
        status: event.data.status,
        counters: event.data.counters,
      };
    case 'slot.filled': {
      const facts = { ...state.facts };
      if (event.data.value === null) delete facts[event.data.name];
      else facts[event.data.name] = event.data.value;
      return { ...next, facts };
    }
    case 'customer.authenticated':
      return { ...next, customerId: event.data.customerId };
    case 'confirmation.requested':
      return {
        ...next,
        confirmation: {
          key: event.data.stepId,
          requestedSeq: event.seq,
          confirmed: null,
          answeredTurn: null,
          incomplete: (event.data.missing?.length ?? 0) > 0,
          usedSeq: null,
        },
      };
    case 'confirmation.recorded': {
      const confirm = { ...state.confirm, [event.data.stepId]: event.data.confirmed };
      const confirmation =
        state.confirmation && state.confirmation.key === event.data.stepId
          ? { ...state.confirmation, confirmed: event.data.confirmed, answeredTurn: event.turn ?? null }
          : state.confirmation;
      return { ...next, confirm, confirmation };
    }
    case 'confirmation.withheld': {
      const confirm = { ...state.confirm };
      delete confirm[event.data.stepId];
      const confirmation =
        state.confirmation && state.confirmation.key === event.data.stepId
          ? { ...state.confirmation, confirmed: null, answeredTurn: event.turn ?? null }
          : state.confirmation;
      return { ...next, confirm, confirmation };
    }
    case 'tool.succeeded':
      return event.data.effect === 'write' && state.confirmation
        ? { ...next, confirmation: { ...state.confirmation, usedSeq: event.seq } }
        : next;
    case 'conversation.resolved':
      return { ...next, status: 'resolved' };
    case 'conversation.escalated':
      return { ...next, status: 'escalated' };
    default:
      return next;
  }
}

/** Messages received and not yet answered by a turn, oldest first. */
export function pendingMessages(state: ConversationState) {
  return state.received.filter((message) => !state.answered.has(message.messageId));
}
