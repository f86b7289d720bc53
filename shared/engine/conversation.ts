import { randomUUID } from 'node:crypto';
import { type SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import type { NewEvent, StoredEvent } from '../events/catalogue.ts';
import { isConcurrencyConflictError } from '../events/errors.ts';
import type { EventStore } from '../events/store.ts';
import type { ModelClient } from '../model/client.ts';
import { liveRoute, pinnedMachineArn, routingChoices } from '../registry/live.ts';
import { appendTurnEvents } from './append-turn-events.ts';
import { ConversationBusyError, ConversationNotFoundError } from './errors.ts';
import { type ConversationState, fold, pendingMessages } from './fold.ts';
import type { ConversationLock } from './lock.ts';
import type { RoutableAop } from './tenant.ts';
import { buildTurnInput, closingTurnEvents, humanOwnedTurnEvents, turnEndEvents } from './turn-input.ts';
import { type TurnState, TurnStateSchema } from './turn-state.ts';

/**
 * The channel side of a turn: append the customer's message (idempotently, by message id), then,
 * one turn at a time per conversation, route it to a procedure if none is running, start the pinned
 * procedure's state machine with the folded state, and record how the turn ended.
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
  readonly clock?: () => Date;
  readonly waitMs?: number;
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

export function createConversationService(options: ConversationServiceOptions) {
  const clock = options.clock ?? (() => new Date());
  const { events } = options;

  async function appendMessage(
    input: MessageInput,
    conversationId: string,
    isNew: boolean,
    messageId: string,
  ) {
    const now = clock().toISOString();
    const received: NewEvent = {
      type: 'message.received',
      time: now,
      actor: 'customer',
      data: { messageId, text: input.text, channel: input.channel ?? 'chat' },
    };
    const batch: NewEvent[] = isNew
      ? [
          {
            type: 'conversation.started',
            time: now,
            actor: 'system',
            data: { tenant: options.tenant, channel: input.channel ?? 'chat' },
          },
          received,
        ]
      : [received];
    for (let attempt = 0; ; attempt++) {
      const version = isNew ? 0 : await events.version(conversationId);
      if (!isNew && version === 0) throw new ConversationNotFoundError(conversationId);
      try {
        return await events.append(conversationId, batch, {
          expectedVersion: version,
          idempotencyKey: `message-${messageId}`,
        });
      } catch (error) {
        // Another message (or a turn) got in first: take the new version and try again.
        if (!isConcurrencyConflictError(error) || attempt >= 20) throw error;
        await sleep(5 + Math.random() * 20);
      }
    }
  }

  async function handle(input: MessageInput): Promise<TurnAnswer> {
    const isNew = input.conversationId === undefined;
    const conversationId = input.conversationId ?? randomUUID();
    const messageId = input.messageId ?? randomUUID();
    const { duplicate } = await appendMessage(input, conversationId, isNew, messageId);
    const deadline = Date.now() + (options.waitMs ?? 120_000);
    for (;;) {
      const release = await options.lock.acquire(conversationId);
      let history: StoredEvent[];
      if (release) {
        try {
          history = await drain(conversationId);
        } finally {
          await release();
        }
      } else history = await events.read(conversationId);
      const state = fold(history);
      const turn = state.turnOf.get(messageId);
      if (turn !== undefined && history.some((e) => e.type === 'turn.completed' && e.data.turn === turn)) {
        return {
          conversationId,
          reply: { text: repliesOf(history, turn).join('\n\n') },
          status: statusAfter(history, turn),
          duplicate,
        };
      }
      if (Date.now() > deadline) throw new ConversationBusyError(conversationId);
      await sleep(release ? 0 : 25);
    }
  }

  /** Answers every pending message in arrival order. Called only while holding the lock. */
  async function drain(conversationId: string): Promise<StoredEvent[]> {
    let history = await events.read(conversationId);
    let state = fold(history);
    for (let pending = pendingMessages(state)[0]; pending; pending = pendingMessages(state)[0]) {
      await runTurn(state, pending.text);
      // We hold the lease: only this turn's events and newly arrived messages follow what we had.
      history = [...history, ...(await events.read(conversationId, { fromSeq: state.seq + 1 }))];
      state = fold(history);
    }
    return history;
  }

  async function append(
    state: { conversationId: string; seq: number; hash?: string | null },
    batch: NewEvent[],
  ): Promise<StoredEvent[]> {
    const { events: stored } = await appendTurnEvents(events, state.conversationId, batch, {
      expectedVersion: state.seq,
      ...(state.hash ? { previousHash: state.hash } : {}),
    });
    return stored;
  }

  async function runTurn(state: ConversationState, text: string): Promise<void> {
    const now = clock();
    const time = now.toISOString();
    const turn = state.turn + 1;
    let seq = state.seq;
    let facts = state.facts;
    if (state.status === 'escalated') {
      // A human owns the conversation now; record the turn so the message counts as answered.
      await append(
        { conversationId: state.conversationId, seq, hash: state.hash },
        humanOwnedTurnEvents(turn, time),
      );
      return;
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
    if (!pinned) {
      const { understanding, record } = await options.model.understand({
        message: text,
        slots: [],
        routes: routingChoices(routable).map((a) => ({ id: a.id, when: a.when })),
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
      if (!understanding.route && state.status === 'resolved') {
        // After a finished request, a message that asks for nothing ("thanks, bye") closes politely;
        // handing it to a human would page someone for a goodbye.
        await append({ conversationId: state.conversationId, seq, hash: state.hash }, [
          modelCalled,
          ...closingTurnEvents(turn, time),
        ]);
        return;
      }
      const chosen =
        routable.find((a) => a.id === understanding.route) ??
        routable.find((a) => a.id === options.fallbackAop);
      if (!chosen)
        throw new Error(`No procedure to route to, and fallback "${options.fallbackAop}" is not deployed`);
      // A new conversation takes the version `live` names now (read from the alias, not from cold-start config).
      aop = await liveRoute(options.sfn, chosen, routable);
      routingEvents.push(modelCalled);
      routingEvents.push({
        type: 'aop.selected',
        time,
        actor: 'system',
        turn,
        aop: { id: aop.id, version: aop.version },
        data: { aopId: aop.id, version: aop.version, reason: state.aop ? 'rerouted' : 'routed' },
      });
      // A new request starts from what we know about the customer, not from the last request's details.
      const kept: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(state.facts)) {
        if (options.keepFacts.includes(name)) kept[name] = value;
        else
          routingEvents.push({
            type: 'slot.filled',
            time,
            actor: 'system',
            turn,
            data: { name, value: null, source: 'customer' },
          });
      }
      facts = kept;
    }
    const target = pinned
      ? { id: pinned.id, version: pinned.version }
      : { id: aop!.id, version: aop!.version };
    const machine = pinned ? pinned.stateMachineArn : aop!.stateMachineArn;
    const resume = pinned ? state.resume : '';
    const stored = await append({ conversationId: state.conversationId, seq, hash: state.hash }, [
      ...routingEvents,
      { type: 'turn.started', time, actor: 'system', turn, aop: target, data: { turn, now: time, resume } },
    ]);
    seq = stored[stored.length - 1]!.seq;
    const hash = stored[stored.length - 1]!.hash;
    const input = buildTurnInput({
      conversationId: state.conversationId,
      tenant: options.tenant,
      turn,
      aop: target,
      head: { seq, hash },
      message: text,
      now,
      resume,
      cutoffDays: aop?.cutoffDays ?? [],
      carried: pinned
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
    const head = output
      ? { conversationId: state.conversationId, seq: output.ctx.seq, hash: output.ctx.hash ?? null }
      : { conversationId: state.conversationId, seq: await events.version(state.conversationId) };
    await append(head, turnEndEvents({ turn, time, aop: target, output, failure }));
  }

  return { handle };
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

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export type ConversationService = ReturnType<typeof createConversationService>;
