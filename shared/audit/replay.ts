import { type ConversationState, fold, pendingMessages } from '../engine/fold.ts';
import { type ConversationPolicy, conversationPolicy, handoffText } from '../engine/repair.ts';
import { openingEvents } from '../engine/requests.ts';
import { handoff, pendingOf, reply, runTool, type StepDependencies, understand } from '../engine/steps.ts';
import {
  buildTurnInput,
  humanOwnedTurnEvents,
  lastClarifying,
  turnEndEvents,
  turnLimitTurnEvents,
  UNROUTED_COUNTER,
  unreadBeforeRouting,
  unroutedTurn,
  withUnread,
} from '../engine/turn-input.ts';
import { type TurnState, TurnStateSchema } from '../engine/turn-state.ts';
import { type AopRef, type NewEvent, NewEventSchema, type StoredEvent } from '../events/catalogue.ts';
import { isConcurrencyConflictError } from '../events/errors.ts';
import { sealEvents } from '../events/hash-chain.ts';
import { normaliseUnderstanding } from '../model/understanding.ts';
import type { ToolCatalogue } from '../tools/define-tool.ts';
import { COMPARED_FIELDS, compareEvents, type EventDifference } from './compare.ts';
import { ReplayInputError } from './errors.ts';
import { type IntegrityReport, verifyEvents } from './integrity.ts';
import { createMemoryEventStore, type MemoryEventStore } from './memory-store.ts';
import {
  type CompiledProcedure,
  compileProcedure,
  type ProcedureResolver,
  type ProcedureVersion,
} from './procedures.ts';
import {
  createVirtualClock,
  newSignals,
  recordedModel,
  recordedTools,
  type TurnSignals,
  whatIfTools,
} from './recorded-world.ts';
import { indexRecording, isArrival, ownershipById, type RecordedTurn, type Recording } from './recording.ts';
import { sourceLine, statesOf } from './source-lines.ts';
import { createTurnMachine } from './turn-machine.ts';

/**
 * Deterministic replay. Every recorded turn is run again: the turn input is rebuilt from the fold of the
 * events before its `turn.started` (as the conversation service builds it), the pinned version's ASL
 * runs in-process with the real step functions, and the world answers from the recording (recorded-
 * world.ts). The events the steps append must be the recorded ones, field for field. What this proves:
 * the recorded behaviour follows from the recorded inputs and this code and procedure version; nothing
 * else (no hidden state, no unrecorded input) decided it.
 *
 * What-if: the same customer turns against another procedure text, to see where it would have behaved
 * differently and what it would have done (calls shown, never made).
 */

export interface ReplayOptions {
  readonly catalogue: ToolCatalogue;
  readonly resolve: ProcedureResolver;
  /** The tenant's conversation policy (wording, FAQ), as its step functions are configured. */
  readonly conversation?: ConversationPolicy;
  /**
   * The events were decrypted for replay (customer data is stored encrypted, shared/privacy): their
   * hashes cover the stored ciphertext, so replay compares what the events say, not their hashes, and
   * `integrity` must be the verdict on the events as stored. Default: false.
   */
  readonly decrypted?: boolean;
  /** The verdict on the log as stored; default: verify `events`. */
  readonly integrity?: IntegrityReport;
}

export interface TurnReplay {
  readonly turn: number;
  readonly aop: AopRef | undefined;
  readonly status: 'ok' | 'different' | 'skipped';
  /** Events the turn wrote (compared). */
  readonly events: number;
  readonly difference?: EventDifference;
  /** A call the recording cannot answer: replay stopped this turn there. */
  readonly fatal?: string;
  /** Why a turn was skipped. */
  readonly note?: string;
  /** `file:line` of the state the difference happened in. */
  readonly source?: string;
}

export interface ReplayReport {
  readonly conversationId: string;
  readonly ok: boolean;
  readonly integrity: IntegrityReport;
  readonly turns: readonly TurnReplay[];
  /** The first turn that did not reproduce. */
  readonly first: TurnReplay | undefined;
}

export async function replayConversation(
  events: readonly StoredEvent[],
  options: ReplayOptions,
): Promise<ReplayReport> {
  const conversationId = events[0]?.conversationId ?? '';
  if (events[0]?.type !== 'conversation.started')
    throw new ReplayInputError(conversationId, 'it does not start with conversation.started');
  const recording = indexRecording(events);
  // Locked: a turn that never completed is reported as skipped here, not as a broken log.
  const integrity = options.integrity ?? verifyEvents(events, { conversationId, locked: true });
  const turns: TurnReplay[] = [];
  for (const turn of recording.turns) {
    if (!turn.completed) {
      turns.push({
        turn: turn.turn,
        aop: turn.started.aop,
        status: 'skipped',
        events: 0,
        note: 'the turn never completed (still running, or the process died)',
      });
      continue;
    }
    turns.push(await replayTurn(recording, turn, options));
  }
  const first = turns.find((turn) => turn.status === 'different');
  return { conversationId, ok: integrity.ok && !first, integrity, turns, first };
}

async function replayTurn(
  recording: Recording,
  turn: RecordedTurn,
  options: ReplayOptions,
): Promise<TurnReplay> {
  const { events, conversationId } = recording;
  const { started } = turn;
  const recorded = events.slice(turn.index + 1, turn.endIndex + 1);
  const aop = started.aop;
  if (!aop) {
    // No procedure ran: a human owned the conversation (escalated), or no procedure fitted the
    // message and the service answered it from the routing call's understanding (turn-input.ts).
    const before = fold(events.slice(0, turn.index));
    const routing = events[turn.index - 1];
    let fixed: NewEvent[];
    if (before.status === 'escalated') fixed = humanOwnedTurnEvents(turn.turn, started.time);
    else if (recorded.some((event) => event.type === 'handoff.requested')) {
      // The turn limit handed it over: the first turn over the limit, so the limit was the turn before.
      fixed = turnLimitTurnEvents(turn.turn, started.time, {
        limit: turn.turn - 1,
        log: events.slice(0, turn.index),
        aopId: before.aop?.id ?? 'none',
        text: handoffText(options.conversation ?? conversationPolicy()),
      });
    } else {
      const understanding = normaliseUnderstanding(
        routing?.type === 'model.called' ? routing.data.response : undefined,
      );
      const unrouted = unroutedTurn(understanding, {
        status: before.status,
        hadProcedure: before.aop !== null,
        counters: before.counters,
        policy: options.conversation ?? conversationPolicy(),
        // As the service reads it: only after a message no procedure fitted.
        clarifying:
          (before.counters[UNROUTED_COUNTER]?.n ?? 0) > 0
            ? lastClarifying(events.slice(0, turn.index))
            : undefined,
      });
      fixed = unrouted.kind === 'fixed' ? unrouted.events(turn.turn, started.time) : [];
    }
    const [, ...rest] = fixed.map((event) => NewEventSchema.parse(event));
    // One append with its turn.started: nothing can arrive in between.
    const produced = sealEvents({ seq: started.seq, hash: started.hash }, conversationId, rest);
    return verdict(turn, aop, recorded, produced, undefined, options);
  }
  const procedure = compileProcedure(await options.resolve(aop), options.catalogue);
  const sink = createMemoryEventStore(conversationId, events.slice(0, turn.index + 1));
  await appendOpening(sink, events, turn, options.conversation);
  deliverArrivals(sink, recorded);
  const signals = newSignals();
  const clock = createVirtualClock();
  const deps: StepDependencies = {
    events: sink,
    model: recordedModel(recording, turn, signals),
    tools: recordedTools({
      recording,
      turn,
      catalogue: options.catalogue,
      signals,
      clock,
      sinkLength: () => sink.events.length,
    }),
    now: clock.now,
    ...(options.conversation === undefined ? {} : { conversation: options.conversation }),
    ...recordedHelpdesk(recorded),
  };
  const before = fold(events.slice(0, turn.index));
  await runOneTurn({ procedure, deps, sink, signals, state: before, started, turn });
  if (signals.fatal) {
    const produced = sink.events.slice(turn.index + 1, signals.stoppedAt);
    return {
      ...verdict(turn, aop, recorded, produced, procedure, options),
      status: 'different',
      fatal: signals.fatal.message,
    };
  }
  return verdict(turn, aop, recorded, sink.events.slice(turn.index + 1), procedure, options);
}

/**
 * The turn's first words when it started a procedure for several requests, or took up the next
 * (shared/engine/requests.ts): the service writes them with turn.started, so nothing arrives between.
 */
async function appendOpening(
  sink: MemoryEventStore,
  events: readonly StoredEvent[],
  turn: RecordedTurn,
  conversation: ConversationPolicy | undefined,
): Promise<void> {
  const { started } = turn;
  const selected = events
    .slice(0, turn.index)
    .findLast((event) => event.type === 'aop.selected' && event.turn === turn.turn);
  if (selected?.type !== 'aop.selected' || !started.aop) return;
  const wording = (conversation ?? conversationPolicy()).wording;
  const opening = openingEvents(selected.data, wording, {
    turn: turn.turn,
    time: started.time,
    aop: started.aop,
  });
  if (opening.length > 0)
    await sink.append(
      started.conversationId,
      opening.map((event) => NewEventSchema.parse(event)),
      { expectedVersion: sink.events.length },
    );
}

/** Recorded customer messages that arrived during the turn reach the sink at the seq they arrived at. */
function deliverArrivals(sink: MemoryEventStore, recorded: readonly StoredEvent[]) {
  const arrivals = recorded.filter(isArrival);
  sink.beforeAppend = (version) => {
    const delivered: StoredEvent[] = [];
    while (arrivals[0] && arrivals[0].seq === version + delivered.length + 1)
      delivered.push(arrivals.shift()!);
    return delivered;
  };
}

function verdict(
  turn: RecordedTurn,
  aop: AopRef | undefined,
  recorded: readonly StoredEvent[],
  produced: readonly StoredEvent[],
  procedure: CompiledProcedure | undefined,
  { decrypted = false }: Pick<ReplayOptions, 'decrypted'>,
): TurnReplay {
  const difference = compareEvents(
    recorded,
    produced,
    decrypted ? [...COMPARED_FIELDS, 'seq'] : [...COMPARED_FIELDS, 'seq', 'prevHash', 'hash'],
  );
  if (!difference) return { turn: turn.turn, aop, status: 'ok', events: recorded.length };
  const at = difference.replayed ?? difference.recorded;
  const index = at ? produced.indexOf(at) : -1;
  const states = statesOf(produced);
  const source =
    procedure && at ? sourceLine(procedure.manifest.sourceMap, states[index], at.step) : undefined;
  return {
    turn: turn.turn,
    aop,
    status: 'different',
    events: recorded.length,
    difference,
    ...(source ? { source } : {}),
  };
}

interface OneTurn {
  readonly procedure: CompiledProcedure;
  readonly deps: StepDependencies;
  readonly sink: MemoryEventStore;
  readonly signals: TurnSignals;
  /** The conversation folded up to, not including, `started`. */
  readonly state: ConversationState;
  readonly started: StoredEvent;
  readonly turn: RecordedTurn;
}

/** What the conversation service does between `turn.started` and the turn's end, against the sink. */
async function runOneTurn({ procedure, deps, sink, signals, state, started, turn }: OneTurn): Promise<void> {
  if (started.type !== 'turn.started' || !started.aop) throw new Error('runOneTurn needs a procedure turn');
  // A turn that took up a queued request answers no message (shared/engine/requests.ts).
  const message = state.continued.has(turn.turn) ? { text: '' } : pendingMessages(state)[0];
  if (!message)
    throw new ReplayInputError(sink.events[0]?.conversationId ?? '', `turn ${turn.turn} answers no message`);
  // The steps append after what the turn's first append wrote: turn.started and its opening words.
  const head = sink.events.at(-1)!;
  // As the service does: a procedure chosen in this turn reads what no procedure read before it.
  const routedNow = sink.events.some(
    (event) => event.type === 'aop.selected' && event.turn === started.data.turn,
  );
  const unread =
    routedNow && !state.continued.has(turn.turn) && state.status !== 'new'
      ? unreadBeforeRouting(sink.events, started.data.turn)
      : [];
  const input = buildTurnInput({
    conversationId: started.conversationId,
    tenant: state.tenant ?? '',
    turn: started.data.turn,
    aop: started.aop,
    head: { seq: head.seq, hash: head.hash },
    message: withUnread(message.text, unread),
    now: new Date(started.data.now),
    resume: started.data.resume,
    cutoffDays: procedure.manifest.cutoffDays,
    carried: {
      facts: state.facts,
      confirm: state.confirm,
      counters: state.counters,
      awaiting: state.awaiting,
    },
  });
  let stopExecution = () => {};
  const guarded =
    (step: (deps: StepDependencies, input: unknown) => Promise<TurnState>) =>
    async (event: unknown): Promise<unknown> => {
      try {
        return await step(deps, event);
      } finally {
        if (signals.fatal || signals.wouldCall) stopExecution();
      }
    };
  const machine = createTurnMachine(procedure, {
    understand: guarded(understand),
    runTool: guarded(runTool),
    reply: guarded(reply),
    handoff: guarded(handoff),
  });
  const running = machine.run(input, `${started.conversationId.slice(0, 40)}-t${turn.turn}`);
  stopExecution = running.stop;
  const result = await running.outcome;
  if (signals.fatal || signals.wouldCall) return;
  let output: TurnState | null = null;
  let failure = '';
  if (result.status === 'SUCCEEDED') {
    const parsed = TurnStateSchema.safeParse(JSON.parse(result.output));
    if (parsed.success) output = parsed.data;
    else failure = `Turn output did not match the turn state schema: ${parsed.error.message}`;
  } else failure = `${result.error ?? result.status}: ${result.cause ?? ''}`;
  const ending = turnEndEvents({
    turn: started.data.turn,
    time: started.time,
    aop: started.aop,
    output,
    failure,
  });
  try {
    await sink.append(started.conversationId, [...(output ? pendingOf(output) : []), ...ending], {
      expectedVersion: output ? output.ctx.seq : sink.events.length,
    });
  } catch (error) {
    if (!isConcurrencyConflictError(error)) throw error;
    signals.notes.push(`turn ${turn.turn}: the turn's end could not be appended: ${error.message}`);
  }
}

// ---------------------------------------------------------------------------------------------------
// What-if

export interface WhatIfOptions {
  readonly catalogue: ToolCatalogue;
  /** The procedure text to run the recorded customer turns against. */
  readonly procedure: ProcedureVersion;
  /** The pinned versions, to point the recorded side of a divergence at its source line (optional). */
  readonly resolve?: ProcedureResolver;
  readonly conversation?: ConversationPolicy;
}

export interface Decision {
  readonly event: StoredEvent;
  readonly step: string | undefined;
  readonly source: string | undefined;
}

export interface Divergence {
  readonly turn: number;
  /** The step the two versions parted at (the new version's, else the recorded one's). */
  readonly step: string | undefined;
  readonly difference: EventDifference;
  /** What the recorded version did there; undefined when it did nothing more in that turn. */
  readonly recorded: Decision | undefined;
  /** What the new version did there; undefined when it did nothing more in that turn. */
  readonly new: Decision | undefined;
}

export interface WhatIfTurn {
  readonly turn: number;
  readonly recorded: readonly StoredEvent[];
  /** What the new version wrote in this turn (in a sink: nothing is stored, nothing is called). */
  readonly produced: readonly StoredEvent[];
  /** The call the new version would have made here, which stopped the turn. */
  readonly wouldCall?: string;
}

export interface WhatIfReport {
  readonly conversationId: string;
  readonly aopId: string;
  readonly sourceHash: string;
  readonly turns: readonly WhatIfTurn[];
  readonly divergence: Divergence | undefined;
  /** Why the what-if run ended before the recording did, if it did. */
  readonly stopped: string | undefined;
  /** Assumptions made where the recording had no answer (model calls it never made). */
  readonly notes: readonly string[];
}

export async function whatIf(events: readonly StoredEvent[], options: WhatIfOptions): Promise<WhatIfReport> {
  const conversationId = events[0]?.conversationId ?? '';
  const recording = indexRecording(events);
  const { aopId } = options.procedure;
  const procedure = compileProcedure(options.procedure, options.catalogue);
  const run = turnsOf(recording, aopId);
  if (run.length === 0)
    throw new ReplayInputError(conversationId, `procedure "${aopId}" never ran a completed turn in it`);
  const owners = ownershipById(recording, (tool) => options.catalogue.get(tool)?.guards.owns);
  const first = run[0]!;
  const sink = createMemoryEventStore(conversationId, events.slice(0, first.index + 1));
  const turns: WhatIfTurn[] = [];
  const notes: string[] = [];
  let divergence: Divergence | undefined;
  let stopped: string | undefined;
  let recordedMaps: Readonly<Record<string, string>> | undefined;

  for (const [position, recordedTurn] of run.entries()) {
    if (position > 0) {
      const state = fold(sink.events);
      if (state.status !== 'active') {
        stopped = `the new version ended the conversation (${state.status}) before turn ${recordedTurn.turn}; the recording went on`;
        break;
      }
      const previous = run[position - 1]!;
      const messages = events
        .slice(previous.index + 1, recordedTurn.index)
        .filter(isArrival)
        .filter((message) => !state.received.some((known) => known.seq === message.seq));
      const { started } = recordedTurn;
      await sink.append(
        conversationId,
        [
          ...messages.map(({ type, time, actor, data }) => NewEventSchema.parse({ type, time, actor, data })),
          {
            type: 'turn.started',
            time: started.time,
            actor: 'system',
            turn: started.data.turn,
            ...(started.aop ? { aop: started.aop } : {}),
            data: { turn: started.data.turn, now: started.data.now, resume: state.resume },
          },
        ],
        { expectedVersion: sink.events.length },
      );
    }
    const startIndex = sink.events.length - 1;
    if (position === 0) await appendOpening(sink, events, recordedTurn, options.conversation);
    const signals = newSignals();
    const clock = createVirtualClock();
    const deps: StepDependencies = {
      events: sink,
      model: recordedModel(recording, recordedTurn, signals, { whatIf: true }),
      tools: whatIfTools({
        recording,
        turn: recordedTurn,
        catalogue: options.catalogue,
        signals,
        clock,
        sinkLength: () => sink.events.length,
        owners,
      }),
      now: clock.now,
      ...(options.conversation === undefined ? {} : { conversation: options.conversation }),
      ...recordedHelpdesk(events.slice(recordedTurn.index + 1, recordedTurn.endIndex + 1)),
    };
    await runOneTurn({
      procedure,
      deps,
      sink,
      signals,
      state: fold(sink.events.slice(0, startIndex)),
      started: sink.events[startIndex]!,
      turn: recordedTurn,
    });
    notes.push(...signals.notes);
    const produced = sink.events
      .slice(startIndex + 1, signals.stoppedAt)
      .filter((event) => !isArrival(event));
    const recorded = events
      .slice(recordedTurn.index + 1, recordedTurn.endIndex + 1)
      .filter((e) => !isArrival(e));
    turns.push({
      turn: recordedTurn.turn,
      recorded,
      produced,
      ...(signals.wouldCall ? { wouldCall: signals.wouldCall.call } : {}),
    });
    if (!divergence) {
      const difference = compareEvents(recorded, produced, COMPARED_FIELDS);
      if (difference) {
        if (!recordedMaps && options.resolve)
          recordedMaps = compileProcedure(await options.resolve(recordedTurn.started.aop!), options.catalogue)
            .manifest.sourceMap;
        divergence = divergenceOf(recordedTurn.turn, difference, recorded, produced, {
          recorded: recordedMaps,
          new: procedure.manifest.sourceMap,
        });
      }
    }
    if (signals.wouldCall) {
      stopped = `turn ${recordedTurn.turn} stopped: the new version would ${signals.wouldCall.call}, which the recording never did`;
      break;
    }
  }
  return {
    conversationId,
    aopId,
    sourceHash: procedure.manifest.sourceHash,
    turns,
    divergence,
    stopped,
    notes,
  };
}

/** The recorded turns the procedure ran, from the one that routed to it until the conversation moved on. */
function turnsOf(recording: Recording, aopId: string): RecordedTurn[] {
  const start = recording.turns.findIndex((turn) => turn.started.aop?.id === aopId);
  if (start < 0) return [];
  const run: RecordedTurn[] = [];
  for (const turn of recording.turns.slice(start)) {
    if (turn.started.aop?.id !== aopId || !turn.completed || (run.length > 0 && turn.routed)) break;
    run.push(turn);
  }
  return run;
}

function divergenceOf(
  turn: number,
  difference: EventDifference,
  recorded: readonly StoredEvent[],
  produced: readonly StoredEvent[],
  maps: { recorded: Readonly<Record<string, string>> | undefined; new: Readonly<Record<string, string>> },
): Divergence {
  const decision = (
    event: StoredEvent | undefined,
    list: readonly StoredEvent[],
    map: Readonly<Record<string, string>> | undefined,
  ): Decision | undefined => {
    if (!event) return undefined;
    const state = statesOf(list)[list.indexOf(event)];
    const step = event.step ?? state;
    return { event, step, source: map ? sourceLine(map, state, event.step) : undefined };
  };
  const ours = decision(difference.replayed, produced, maps.new);
  const theirs = decision(difference.recorded, recorded, maps.recorded);
  return {
    turn,
    step: ours?.step ?? theirs?.step,
    difference,
    recorded: theirs,
    new: ours,
  };
}

export type { ProcedureVersion };

/**
 * The helpdesk as the recording saw it: each ticket the turn opened, answered in order from its
 * `handoff.ticket` events (opened, or the recorded failure), so a replay opens no ticket and writes the
 * same events. A turn that opened none gets no helpdesk.
 */
function recordedHelpdesk(
  turnEvents: readonly StoredEvent[],
): Pick<StepDependencies, 'helpdesk' | 'timelineUrl'> {
  const tickets = turnEvents.flatMap((event) => (event.type === 'handoff.ticket' ? [event.data] : []));
  if (tickets.length === 0) return {};
  let next = 0;
  return {
    helpdesk: {
      system: tickets[0]!.system,
      async open() {
        const ticket = tickets[Math.min(next++, tickets.length - 1)]!;
        if (ticket.ticketId === null) throw new Error(ticket.error ?? 'unknown error');
        return { ticketId: ticket.ticketId };
      },
    },
  };
}
