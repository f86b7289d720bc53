import { randomUUID } from 'node:crypto';
import { type SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { TURN_END_TYPES } from '../audit/digest.ts';
import { appendAtHead, backoffDelay } from '../events/backoff.ts';
import type { EventData, NewEvent, StoredEvent } from '../events/catalogue.ts';
import { isAppendConditionFailedError, isConcurrencyConflictError } from '../events/errors.ts';
import type { AppendItem, EventStore } from '../events/store.ts';
import { requestsWithoutOutcome } from '../events/tool-outcomes.ts';
import type { ModelClient } from '../model/client.ts';
import { redactCardNumbers } from '../privacy/card-numbers.ts';
import { liveRoute, pinnedMachineArn, routingChoices } from '../registry/live.ts';
import { appendTurnEvents } from './append-turn-events.ts';
import { ConversationNotFoundError, MessageNotFoundError } from './errors.ts';
import { type ConversationState, emptyState, fold, pendingMessages } from './fold.ts';
import { type ConversationLock, LEASE_LABEL, type Lease, type PreparedLease } from './lock.ts';
import { type ConversationPolicy, conversationPolicy, faqEntries, handoffText } from './repair.ts';
import { openingEvents, type RequestSelection } from './requests.ts';
import { decideRoute } from './routing.ts';
import { pendingOf } from './step-record.ts';
import type { RecordedCall, RoutableAop } from './tenant.ts';
import {
  buildTurnInput,
  HUMAN_OWNS_REPLY,
  humanOwnedTurnEvents,
  lastClarifying,
  turnEndEvents,
  turnLimitTurnEvents,
  UNROUTED_COUNTER,
  unreadBeforeRouting,
  unroutedTurn,
  withUnread,
} from './turn-input.ts';
import { type TurnState, TurnStateSchema } from './turn-state.ts';

/**
 * The channel side of a turn (docs/runtime.md): route the message to a procedure if none is running,
 * append it with `turn.started` and the lease in one transaction, start the pinned procedure's state
 * machine with the folded state, and append what the steps left pending with the turn's end (and the
 * lease's release). When that first append cannot go in (something was written since the fold, or
 * another turn holds the lease), the message is stored on its own, idempotently by message id, and
 * the lease holder answers waiting messages one turn at a time, in arrival order.
 */

export interface ConversationServiceOptions {
  readonly tenant: string;
  readonly events: EventStore;
  readonly sfn: SFNClient;
  readonly model: ModelClient;
  readonly lock: ConversationLock;
  /** Procedures a first message can be routed to, with their live versions. */
  readonly aops: () => Promise<readonly RoutableAop[]> | readonly RoutableAop[];
  /** Where a message goes when no procedure fits it. */
  readonly fallbackAop: string;
  /** Facts kept when the customer moves on to another request (identity), all others are cleared. */
  readonly keepFacts: readonly string[];
  /** The tenant's wording and FAQ for messages no procedure fits (repair.ts); defaults otherwise. */
  readonly conversation?: ConversationPolicy;
  /** The turn clock, from which time rules are measured: the tenant's (tenant.ts `clockOf`), else the wall clock. */
  readonly clock?: () => Date;
  /**
   * How long a message that found its conversation busy waits for its answer before it is accepted
   * for later (`PendingAnswer`, the chat channel's 202; the answer is fetched by message id). Default
   * 6,000 ms: a burst is acknowledged within seconds, and API Gateway's 30 s limit is never reached.
   */
  readonly waitMs?: number;
  /** The tenant's limits; without `maxTurnsPerConversation` a conversation has no turn limit. */
  readonly limits?: { readonly maxTurnsPerConversation?: number };
  /**
   * Seals the chain's head into a signed digest at each turn's end (shared/audit/digest-writer.ts).
   * It must not throw: a digest that cannot be written never fails the turn (the next one seals it).
   */
  readonly digests?: {
    seal(head: { conversationId: string; seq: number; hash: string }): Promise<unknown>;
  };
  /**
   * Asks the tenant's store whether a requested write happened (`ToolRuntime.recordedCall`), for a
   * turn closed without the call's outcome on record (its process died). Without it, such a call is
   * recorded as `unknown`.
   */
  readonly recordedCall?: (
    tool: string,
    idempotencyKey: string,
    conversationId: string,
  ) => Promise<RecordedCall>;
}

export interface MessageInput {
  readonly conversationId?: string;
  readonly text: string;
  readonly messageId?: string;
  readonly channel?: string;
}

export interface TurnAnswer {
  readonly conversationId: string;
  readonly reply: { readonly text: string };
  readonly status: 'active' | 'resolved' | 'escalated';
  readonly duplicate: boolean;
}

/**
 * A message stored and waiting its turn, not answered within the wait: it will be answered in arrival
 * order, and its answer is fetched by its id (`answer`, the chat channel's `GET …/messages/{messageId}`).
 */
export interface PendingAnswer {
  readonly conversationId: string;
  readonly messageId: string;
  readonly pending: true;
  readonly duplicate: boolean;
}

export function isPendingAnswer(answer: TurnAnswer | PendingAnswer): answer is PendingAnswer {
  return 'pending' in answer && answer.pending;
}

/** Default of `waitMs`. */
export const ANSWER_WAIT_MS = 6_000;

export function createConversationService(options: ConversationServiceOptions) {
  const clock = options.clock ?? (() => new Date());
  const { events } = options;
  const policy = options.conversation ?? conversationPolicy();

  /** Stores a message without the lease, after whatever is there (arrival order). Idempotent by message id. */
  function appendMessage(input: MessageInput, conversationId: string, messageId: string) {
    // Many clients may write to one conversation at once (a burst). From this process the messages
    // go one after another (fifty requests racing for the same next version would mostly lose to each
    // other); against other processes and the turn, a conflict means take the new version and try
    // again, backing off with jitter (events/backoff.ts). A message depends on nothing it read, so it
    // may go after whatever is there.
    return appendAtHead(events, conversationId, [receivedEvent(input, messageId, clock().toISOString())], {
      idempotencyKey: `message-${messageId}`,
      deadlineMs: MESSAGE_APPEND_DEADLINE_MS,
      onVersion: (version) => {
        if (version === 0) throw new ConversationNotFoundError(conversationId);
      },
    });
  }

  /** In-process wake-ups: a turn that ended here tells this process's waiters at once (they poll otherwise). */
  const waiters = new Map<string, Set<() => void>>();
  function wake(conversationId: string): void {
    const waiting = waiters.get(conversationId);
    waiters.delete(conversationId);
    for (const resume of waiting ?? []) resume();
  }
  function nap(conversationId: string, ms: number): Promise<void> {
    return new Promise((resume) => {
      const waiting = waiters.get(conversationId) ?? new Set();
      waiters.set(conversationId, waiting);
      const done = () => {
        clearTimeout(timer);
        waiting.delete(done);
        resume();
      };
      const timer = setTimeout(done, ms);
      waiting.add(done);
    });
  }

  async function handle(typed: MessageInput): Promise<TurnAnswer | PendingAnswer> {
    // A card number typed into the chat is removed before anything stores or reads the message.
    const input = { ...typed, text: redactCardNumbers(typed.text) };
    const messageId = input.messageId ?? randomUUID();
    if (input.conversationId === undefined) return start(input, messageId);
    const { conversationId } = input;
    // What this process saw of the conversation is enough to decide on: the append below is made
    // after its last seq and fails if anything was written since.
    const history = (await events.cached?.(conversationId)) ?? (await events.read(conversationId));
    if (history.length === 0) throw new ConversationNotFoundError(conversationId);
    const state = fold(history);
    if (
      state.openTurn === null &&
      pendingMessages(state).length === 0 &&
      !state.received.some((message) => message.messageId === messageId)
    ) {
      // The common case: nothing waits, so this message goes in with its turn, and the same
      // transaction takes the lease. It fails if another turn holds the lease or anything was written
      // since the read; then the message takes the careful path below.
      const at = clock().toISOString();
      const outcome = await turnWithArrival(
        state,
        input.text,
        [receivedEvent(input, messageId, at)],
        messageId,
      );
      if (outcome) return { conversationId, ...outcome, duplicate: false };
    }
    // Stored now, answered in arrival order by whoever holds the lease (maybe this request).
    const { duplicate } = await appendMessage(input, conversationId, messageId);
    return waitForAnswer(conversationId, messageId, duplicate);
  }

  /**
   * A new conversation: its id is new and random, so its first append carries the whole start
   * (`conversation.started`, the message, the routing, `turn.started`, the lease) and is made after
   * routing. If routing fails nothing is stored and the channel's retry starts afresh.
   */
  async function start(input: MessageInput, messageId: string): Promise<TurnAnswer | PendingAnswer> {
    const conversationId = newConversationId();
    const now = clock().toISOString();
    const channel = input.channel ?? 'chat';
    const started: NewEvent = {
      type: 'conversation.started',
      time: now,
      actor: 'system',
      data: { tenant: options.tenant, channel },
    };
    const arrival = [started, receivedEvent(input, messageId, now)];
    const outcome = await turnWithArrival(emptyState(conversationId), input.text, arrival, messageId);
    if (outcome) return { conversationId, ...outcome, duplicate: false };
    // The same first message again (a channel's retry): the conversation it started answers it.
    return waitForAnswer(conversationId, messageId, true);
  }

  /**
   * Runs the turn whose first append carries `arrival` and takes the lease; undefined, with nothing
   * written, when that append cannot go in (`ArrivalRaced`).
   */
  async function turnWithArrival(
    state: ConversationState,
    text: string,
    arrival: NewEvent[],
    messageId: string,
  ): Promise<TurnOutcome | undefined> {
    const lease = options.lock.prepare(state.conversationId);
    try {
      return await runTurn(state, text, { events: arrival, key: `message-${messageId}`, lease });
    } catch (error) {
      if (!(error instanceof ArrivalRaced)) throw error;
      return undefined;
    } finally {
      await lease.lease();
      wake(state.conversationId);
    }
  }

  /**
   * The answer to a stored message, by its id (the chat channel's `GET …/messages/{messageId}`): at
   * once when a turn answered it, else after waiting as a new message would (taking the lease and
   * answering the waiting messages if nobody holds it), else still pending.
   */
  async function answer(conversationId: string, messageId: string): Promise<TurnAnswer | PendingAnswer> {
    const history = await events.read(conversationId);
    if (history.length === 0) throw new ConversationNotFoundError(conversationId);
    if (!history.some((event) => event.type === 'message.received' && event.data.messageId === messageId))
      throw new MessageNotFoundError(conversationId, messageId);
    return (
      answerOf(conversationId, history, messageId, false) ??
      waitForAnswer(conversationId, messageId, false, history)
    );
  }

  /**
   * Without the lease: whoever holds it answers the pending messages in arrival order, and this
   * request looks for its answer, taking the lease itself whenever it is free. After `waitMs` the
   * message is left to be answered in its turn and fetched later (`PendingAnswer`).
   */
  async function waitForAnswer(
    conversationId: string,
    messageId: string,
    duplicate: boolean,
    seen: StoredEvent[] = [],
  ): Promise<TurnAnswer | PendingAnswer> {
    const deadline = Date.now() + (options.waitMs ?? ANSWER_WAIT_MS);
    let history = seen;
    for (let attempt = 0; ; attempt++) {
      const release = await options.lock.acquire(conversationId);
      const before = history.length;
      if (release) {
        try {
          history = await drain(conversationId, { until: messageId, deadline });
        } finally {
          await release();
          wake(conversationId);
        }
      } else {
        // Events are immutable: only what follows is read.
        const next = await events.read(conversationId, { fromSeq: (history.at(-1)?.seq ?? 0) + 1 });
        history = next.length > 0 ? [...history, ...next] : history;
      }
      const found =
        history.length > before || attempt === 0
          ? answerOf(conversationId, history, messageId, duplicate)
          : undefined;
      if (found) return found;
      if (Date.now() > deadline) return { conversationId, messageId, pending: true, duplicate };
      // Fifty waiters polling every few ms would crowd out the turn they wait for: back off (with
      // jitter, so they do not poll in step), and wake early when a turn ends in this process.
      if (!release) await nap(conversationId, 25 + backoffDelay(attempt, { baseMs: 25, capMs: 250 }));
    }
  }

  /**
   * Answers pending messages in arrival order, until `until`'s is answered (the lease then goes to
   * whoever waits next) or the deadline passes. Called only while holding the lock.
   */
  async function drain(
    conversationId: string,
    { until, deadline }: { until: string; deadline: number },
  ): Promise<StoredEvent[]> {
    let history = await events.read(conversationId);
    let state = fold(history);
    if (state.openTurn !== null) {
      // We hold the lease, and a turn is still open: its holder died (a live one renews its lease).
      // Close it with what is known of each call it left without an outcome; its message is answered
      // again, and a write that happened is found on record instead of being made twice.
      const turn = state.openTurn;
      const time = clock().toISOString();
      const { outcomes, pending } = await outcomesOfUnanswered(history, turn, time);
      const messageId = [...state.turnOf].find(([, answeredBy]) => answeredBy === turn)?.[0];
      const stored = await append(state, [
        ...outcomes,
        {
          type: 'turn.interrupted',
          time,
          actor: 'system',
          turn,
          data: {
            turn,
            reason: `The process running turn ${turn} stopped before the turn completed.`,
            ...(messageId ? { messageId } : {}),
            pending,
          },
        },
      ]);
      history = [...history, ...stored];
      state = fold(history);
    }
    // At least one turn per hold, however late: whoever takes the lease moves the queue on.
    let ran = 0;
    for (let pending = pendingMessages(state)[0]; pending; pending = pendingMessages(state)[0], ran++) {
      if (answerOf(conversationId, history, until, false) || (ran > 0 && Date.now() > deadline)) break;
      await runTurn(state, pending.text);
      // We hold the lease: only this turn's events and newly arrived messages follow what we had.
      history = [...history, ...(await events.read(conversationId, { fromSeq: state.seq + 1 }))];
      state = fold(history);
      wake(conversationId);
    }
    return history;
  }

  /**
   * The outcome of each call of `turn` that has none on record, from the tenant's idempotency record:
   * `tool.succeeded` with the result it recorded when the call happened, `tool.abandoned` when it did
   * not (or when nobody can tell); and the list the closing event carries.
   */
  async function outcomesOfUnanswered(
    history: readonly StoredEvent[],
    turn: number,
    time: string,
    how: 'stopped' | 'failed' = 'stopped',
  ) {
    const outcomes: NewEvent[] = [];
    const pending: TurnPendingCall[] = [];
    for (const request of requestsWithoutOutcome(history).filter((event) => event.turn === turn)) {
      const { tool, idempotencyKey } = request.data;
      const recorded = options.recordedCall
        ? await options.recordedCall(tool, idempotencyKey, request.conversationId)
        : undefined;
      const envelope = {
        time,
        actor: 'system' as const,
        turn,
        ...(request.aop ? { aop: request.aop } : {}),
        ...(request.step ? { step: request.step } : {}),
      };
      if (recorded?.happened) {
        outcomes.push({
          ...envelope,
          type: 'tool.succeeded',
          data: { tool, output: recorded.output as never, latencyMs: 0, effect: 'write', recovered: true },
        });
      } else {
        outcomes.push({
          ...envelope,
          type: 'tool.abandoned',
          data: {
            tool,
            idempotencyKey,
            forSeq: request.seq,
            happened: recorded ? 'no' : 'unknown',
            reason: recorded
              ? `The turn ${how} before ${tool} was called: no record under its idempotency key, nothing changed.`
              : `The turn ${how} after requesting ${tool}; this tenant keeps no record to tell whether it ran.`,
          },
        });
      }
      pending.push({
        seq: request.seq,
        tool,
        idempotencyKey,
        outcome: recorded?.happened ? 'succeeded' : recorded ? 'not-run' : 'unknown',
      });
    }
    return { outcomes, pending };
  }

  async function append(
    state: { conversationId: string; seq: number; hash?: string | null },
    batch: NewEvent[],
    also: AppendItem[] = [],
  ): Promise<StoredEvent[]> {
    const { events: stored } = await appendTurnEvents(events, state.conversationId, batch, {
      expectedVersion: state.seq,
      ...(state.hash ? { previousHash: state.hash } : {}),
      ...(also.length > 0 ? { with: also } : {}),
    });
    await sealIfTurnEnd(stored);
    return stored;
  }

  /**
   * Every append that ends a turn (a procedure's, a greeting's, a hand-off's, one answered in its
   * first append) is sealed into a digest; verify expects one after each turn end (shared/audit/digest.ts).
   */
  async function sealIfTurnEnd(stored: readonly StoredEvent[]): Promise<void> {
    const last = stored.at(-1);
    if (last && options.digests && stored.some((event) => TURN_END_TYPES.has(event.type)))
      await options.digests.seal(last).catch(() => undefined);
  }

  function receivedEvent(input: MessageInput, messageId: string, time: string): NewEvent {
    return {
      type: 'message.received',
      time,
      actor: 'customer',
      data: { messageId, text: input.text, channel: input.channel ?? 'chat' },
    };
  }

  /**
   * Runs one turn for the oldest unanswered message (or for `arrival`'s, which is not stored yet).
   * `arrival` goes into the turn's first append, under its idempotency key, with the lease taken in
   * the same transaction and released in the turn's last; if anything else was appended since
   * `state`, or another turn holds the lease, that first append fails with `ArrivalRaced` before
   * anything was done. With `continuation`, the turn answers no message: it takes up the next request
   * the customer's message queued (requests.ts), and releases `continuation.lease` at its end.
   */
  async function runTurn(
    state: ConversationState,
    text: string,
    arrival?: Arrival,
    continuation?: { readonly lease: Lease | undefined },
  ): Promise<TurnOutcome> {
    const now = clock();
    const time = now.toISOString();
    const turn = state.turn + 1;
    let head = { conversationId: state.conversationId, seq: state.seq, hash: state.hash };
    let carried = arrival;
    /** Appends at the head; the first append of the turn carries the arrival. */
    const write = async (batch: NewEvent[]): Promise<StoredEvent[]> => {
      let stored: StoredEvent[];
      if (carried) {
        stored = await appendArrival(head, [...carried.events, ...batch], carried);
        carried = undefined;
      } else stored = await append(head, batch);
      const last = stored[stored.length - 1]!;
      head = { conversationId: state.conversationId, seq: last.seq, hash: last.hash };
      return stored;
    };
    let facts = state.facts;
    if (state.status === 'escalated') {
      // A human owns the conversation now; record the turn so the message counts as answered.
      await write(humanOwnedTurnEvents(turn, time));
      return { reply: { text: HUMAN_OWNS_REPLY }, status: 'escalated' };
    }
    const limit = options.limits?.maxTurnsPerConversation;
    if (limit !== undefined && turn > limit) {
      // Over the tenant's turn limit: handed to a person before any model call (turn-input.ts).
      const log = [...(await events.read(state.conversationId)), ...(carried?.events ?? [])];
      const text = handoffText(policy);
      await write(turnLimitTurnEvents(turn, time, { limit, log, aopId: state.aop?.id ?? 'none', text }));
      return { reply: { text }, status: 'escalated' };
    }
    const routable = await options.aops();
    let aop =
      state.status === 'active' && state.aop
        ? (routable.find((a) => a.id === state.aop!.id && a.version === state.aop!.version) ??
          routable.find((a) => a.id === state.aop!.id))
        : undefined;
    // A conversation stays on its version: its turns start that version's ARN, never the moving alias.
    const pinned =
      state.status === 'active' && state.aop
        ? { ...state.aop, stateMachineArn: pinnedMachineArn(aop, state.aop.version) }
        : null;
    const routingEvents: NewEvent[] = [];
    /** How this turn's procedure was chosen, when it was (the first words of the turn depend on it). */
    let selection: RequestSelection | undefined;
    if (continuation) {
      // The next request the customer's message queued, if it is still offered.
      const next = state.queued.findIndex((id) => routable.some((a) => a.id === id));
      const chosen = routable.find((a) => a.id === state.queued[next]);
      if (!chosen) throw new Error('A continuation turn needs a queued request that is deployed');
      aop = await liveRoute(options.sfn, chosen, routable);
      selection = { aopId: aop.id, reason: 'continued', then: state.queued.slice(next + 1) };
      routingEvents.push(selectedEvent(selection, aop.version, turn, time));
      facts = keptFacts(state.facts, options.keepFacts, routingEvents, turn, time);
    } else if (!pinned) {
      // In a running conversation the message is stored before a model reads it.
      if (carried && state.status !== 'new') await write([]);
      const routes = routingChoices(routable).map((a) => ({
        id: a.id,
        when: a.when,
        ...(a.examples && a.examples.length > 0 ? { examples: [...a.examples] } : {}),
      }));
      // An answer to "Which do you need: … or …?" ("the first one") is read against that question,
      // which counted as a message no procedure fitted (the log is read only then).
      const clarifying =
        (state.counters[UNROUTED_COUNTER]?.n ?? 0) > 0
          ? lastClarifying(await events.read(state.conversationId))?.filter((id) =>
              routes.some((route) => route.id === id),
            )
          : undefined;
      const { understanding, record } = await options.model.understand({
        message: text,
        slots: [],
        routes,
        ...(clarifying && clarifying.length >= 2 ? { clarifying } : {}),
        ...(policy.faq.length > 0 ? { faq: faqEntries(policy) } : {}),
      });
      const modelCalled: NewEvent = {
        type: 'model.called',
        time,
        actor: 'agent',
        turn,
        data: {
          purpose: record.purpose,
          modelId: record.modelId,
          requestHash: record.requestHash,
          response: record.response as never,
          usage: record.usage,
          latencyMs: Math.round(record.latencyMs),
        },
      };
      const decision = decideRoute(understanding, options.fallbackAop);
      let route = decision.kind === 'route' ? decision.aopId : null;
      if (!route) {
        const unrouted = unroutedTurn(understanding, {
          status: state.status,
          hadProcedure: state.aop !== null,
          counters: state.counters,
          policy,
          clarifying,
        });
        if (unrouted.kind === 'fixed') {
          await write([modelCalled, ...unrouted.events(turn, time)]);
          return { reply: { text: unrouted.text }, status: unrouted.status };
        }
        route = options.fallbackAop;
      }
      const chosen =
        routable.find((a) => a.id === route) ?? routable.find((a) => a.id === options.fallbackAop);
      if (!chosen)
        throw new Error(`No procedure to route to, and fallback "${options.fallbackAop}" is not deployed`);
      // A new conversation takes the version `live` names now (read from the alias, not from cold-start config).
      aop = await liveRoute(options.sfn, chosen, routable);
      routingEvents.push(modelCalled);
      selection = {
        aopId: aop.id,
        reason: state.aop ? 'rerouted' : 'routed',
        // The further requests of the message, when its first went where it asked.
        then: decision.kind === 'route' && decision.aopId === aop.id ? decision.then : [],
      };
      routingEvents.push(selectedEvent(selection, aop.version, turn, time));
      facts = keptFacts(state.facts, options.keepFacts, routingEvents, turn, time);
    }
    const target =
      pinned && !continuation
        ? { id: pinned.id, version: pinned.version }
        : { id: aop!.id, version: aop!.version };
    const machine = pinned && !continuation ? pinned.stateMachineArn : aop!.stateMachineArn;
    const resume = pinned && !continuation ? state.resume : '';
    // Several requests: the plan is said before the first question, the next request named before its own.
    const opening = selection ? openingEvents(selection, policy.wording, { turn, time, aop: target }) : [];
    await write([
      ...routingEvents,
      { type: 'turn.started', time, actor: 'system', turn, aop: target, data: { turn, now: time, resume } },
      ...opening,
    ]);
    const { seq, hash } = head as { seq: number; hash: string };
    // A procedure chosen now also reads what the customer said before it was chosen (a sign-in).
    const unread =
      selection && state.status !== 'new'
        ? unreadBeforeRouting(await events.read(state.conversationId), turn)
        : [];
    const input = buildTurnInput({
      conversationId: state.conversationId,
      tenant: options.tenant,
      turn,
      aop: target,
      head: { seq, hash },
      message: withUnread(text, unread),
      now,
      resume,
      cutoffDays: aop?.cutoffDays ?? [],
      carried:
        pinned && !continuation
          ? { facts, confirm: state.confirm, counters: state.counters, awaiting: state.awaiting }
          : { facts, confirm: {}, counters: {}, awaiting: null },
    });
    let output: TurnState | null = null;
    let failure = '';
    if (!machine) failure = `Procedure ${target.id} v${target.version} is not deployed.`;
    else {
      const result = await options.sfn.send(
        new StartSyncExecutionCommand({
          stateMachineArn: machine,
          input: JSON.stringify(input),
          name: `${state.conversationId.slice(0, 40)}-t${turn}-${Date.now()}`,
        }),
      );
      if (result.status === 'SUCCEEDED' && result.output) {
        const parsed = TurnStateSchema.safeParse(JSON.parse(result.output));
        if (parsed.success) output = parsed.data;
        else failure = `Turn output did not match the turn state schema: ${parsed.error.message}`;
      } else failure = `${result.error ?? result.status}: ${result.cause ?? ''}`;
    }
    // The execution's last append is the head: its output carries seq and hash.
    let end: { conversationId: string; seq: number; hash?: string | null } = output
      ? { conversationId: state.conversationId, seq: output.ctx.seq, hash: output.ctx.hash ?? null }
      : head;
    // A failed execution may have stopped between a write's request and its outcome: the tool's
    // record says which, and the outcome goes in with the turn's end (no request is left unanswered).
    let unanswered: NewEvent[] = [];
    if (!output) {
      const since = await events.read(state.conversationId, { fromSeq: head.seq + 1 });
      const last = since.at(-1);
      if (last) end = { conversationId: state.conversationId, seq: last.seq, hash: last.hash };
      unanswered = (await outcomesOfUnanswered(since, turn, time, 'failed')).outcomes;
    }
    const lease = arrival ? arrival.lease.lease : continuation?.lease;
    // A procedure that ended with requests of the message still queued: the next one is taken up now,
    // in a turn of its own, under the same lease.
    const queued = selection ? (selection.then ?? []) : state.queued;
    const continues = output?.status === 'resolved' && queued.some((id) => routable.some((a) => a.id === id));
    // What the steps recorded and left for the turn's end goes first (steps.ts, deferAppends).
    const stored = await appendEnd(
      end,
      [
        ...(output ? pendingOf(output) : unanswered),
        ...turnEndEvents({ turn, time, aop: target, output, failure }),
      ],
      continues ? undefined : lease,
    );
    if (output) {
      const said = [
        ...opening.map((event) => (event.type === 'message.sent' ? event.data.text : '')),
        ...output.replies,
      ];
      if (!continues) return { reply: { text: said.join('\n\n') }, status: output.status };
      const next = await runTurn(fold(await events.read(state.conversationId)), '', undefined, { lease });
      return { reply: { text: [...said, next.reply.text].join('\n\n') }, status: next.status };
    }
    // A failed turn may have written replies before it failed: the log says what the customer got.
    const history = await events.read(state.conversationId, { fromSeq: state.seq + 1 });
    return {
      reply: { text: repliesOf(history, turn).join('\n\n') },
      status: statusAfter([...history, ...stored], turn),
    };
  }

  /** The turn's last append; with the lease, releasing it in the same transaction. */
  async function appendEnd(
    head: { conversationId: string; seq: number; hash?: string | null },
    batch: NewEvent[],
    lease: Lease | undefined,
  ): Promise<StoredEvent[]> {
    if (!lease) return append(head, batch);
    try {
      const stored = await append(head, batch, [lease.releaseItem]);
      lease.released();
      return stored;
    } catch (error) {
      // The lease ran out and was taken over: end the turn anyway, and let the new holder be.
      if (!isAppendConditionFailedError(error) || error.label !== LEASE_LABEL) throw error;
      return append(head, batch);
    }
  }

  /** The turn's first append with the customer's message in it: no sliding past other messages. */
  async function appendArrival(
    head: { conversationId: string; seq: number; hash?: string | null },
    batch: NewEvent[],
    arrival: Arrival,
  ): Promise<StoredEvent[]> {
    try {
      const result = await events.append(head.conversationId, batch, {
        expectedVersion: head.seq,
        idempotencyKey: arrival.key,
        ...(head.hash ? { previousHash: head.hash } : {}),
        with: [arrival.lease.acquireItem],
      });
      if (!result.duplicate) {
        arrival.lease.acquired();
        await sealIfTurnEnd(result.events);
        return result.events;
      }
    } catch (error) {
      const raced =
        isConcurrencyConflictError(error) ||
        (isAppendConditionFailedError(error) && error.label === LEASE_LABEL);
      if (!raced) throw error;
    }
    throw new ArrivalRaced();
  }

  return { handle, answer };
}

/** A customer message's append gives up after this long (a 503 the channel retries; nothing stored). */
const MESSAGE_APPEND_DEADLINE_MS = 20_000;

type TurnPendingCall = NonNullable<EventData<'turn.interrupted'>['pending']>[number];

interface Arrival {
  /** The message (and, for a new conversation, its start) to store with the turn's first append. */
  readonly events: NewEvent[];
  readonly key: string;
  /** Taken by that append, released by the turn's last. */
  readonly lease: PreparedLease;
}

interface TurnOutcome {
  readonly reply: { readonly text: string };
  readonly status: TurnAnswer['status'];
}

/** The message could not go in with its turn (another got in first, or it was stored already). */
class ArrivalRaced extends Error {
  override readonly name = 'ArrivalRaced';
}

/**
 * A new conversation's id: always new and random. It is never derived from anything the client sent
 * (a first message's id once was, and a second client reusing that id landed in the first one's
 * conversation): a retried first message starts a conversation of its own, which is harmless because
 * a first turn never writes (a write needs a yes to a question asked in an earlier turn).
 */
export function newConversationId(): string {
  return randomUUID();
}

/** The `aop.selected` of a turn: which procedure, why, and the requests queued after it. */
function selectedEvent(selection: RequestSelection, version: number, turn: number, time: string): NewEvent {
  const then = selection.then ?? [];
  return {
    type: 'aop.selected',
    time,
    actor: 'system',
    turn,
    aop: { id: selection.aopId, version },
    data: {
      aopId: selection.aopId,
      version,
      reason: selection.reason,
      ...(then.length > 0 ? { then: [...then] } : {}),
    },
  };
}

/**
 * A new request starts from what we know about the customer, not from the last request's details:
 * the facts to keep, with a `slot.filled` clearing each other one added to `events`.
 */
function keptFacts(
  facts: Record<string, unknown>,
  keep: readonly string[],
  events: NewEvent[],
  turn: number,
  time: string,
): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(facts)) {
    if (keep.includes(name)) kept[name] = value;
    else
      events.push({
        type: 'slot.filled',
        time,
        actor: 'system',
        turn,
        data: { name, value: null, source: 'customer' },
      });
  }
  return kept;
}

/** The answer to a message from the log, once a turn answering it has completed. */
function answerOf(
  conversationId: string,
  history: readonly StoredEvent[],
  messageId: string,
  duplicate: boolean,
): TurnAnswer | undefined {
  const state = fold(history);
  const turn = state.turnOf.get(messageId);
  if (turn === undefined || !history.some((e) => e.type === 'turn.completed' && e.data.turn === turn))
    return undefined;
  // Turns that answered again a message whose turn was interrupted, after this one arrived: the
  // request that sent it died with the process, so what was done is told here.
  const arrived = state.received.find((message) => message.messageId === messageId)?.seq ?? 0;
  const recovered = [...state.requeued]
    .filter((id) => id !== messageId)
    .map((id) => state.turnOf.get(id))
    .filter((t): t is number => t !== undefined && t < turn)
    .filter((t) => history.some((e) => e.type === 'turn.started' && e.data.turn === t && e.seq > arrived))
    .sort((a, b) => a - b);
  // Turns that took up the message's further requests right after it (requests.ts) are part of its answer.
  let last = turn;
  while (state.continued.has(last + 1)) last++;
  const continued = Array.from({ length: last - turn }, (_, i) => turn + 1 + i);
  return {
    conversationId,
    reply: {
      text: [...recovered, turn, ...continued].flatMap((t) => repliesOf(history, t)).join('\n\n'),
    },
    status: statusAfter(history, last),
    duplicate,
  };
}

function repliesOf(history: readonly StoredEvent[], turn: number): string[] {
  return history
    .filter((e) => e.type === 'message.sent' && e.turn === turn)
    .map((e) => (e.type === 'message.sent' ? e.data.text : ''));
}

function statusAfter(history: readonly StoredEvent[], turn: number): TurnAnswer['status'] {
  const completed = history.find((e) => e.type === 'turn.completed' && e.data.turn === turn);
  return completed?.type === 'turn.completed' ? completed.data.status : 'active';
}

export type ConversationService = ReturnType<typeof createConversationService>;
