import type { NewEvent } from '../events/catalogue.ts';
import type { ModelCallRecord } from '../model/client.ts';
import { appendTurnEvents } from './append-turn-events.ts';
import type { StepDependencies } from './steps.ts';
import type { TurnState } from './turn-state.ts';

/** How the step handlers record what they did (steps.ts, early-read.ts). */

/** An event as a step makes it; `record` stamps the time, turn and procedure. */
export type StepEvent = Omit<NewEvent, 'time' | 'turn' | 'aop'>;

/** Events the turn has recorded but not written yet (`deferAppends`). */
export const pendingOf = (state: TurnState): NewEvent[] => (state.pending ?? []) as NewEvent[];

/**
 * Records a step's events: kept in the turn state when appends are deferred and the step does not
 * need them `durable`; otherwise appended, together with whatever was pending before them.
 */
export async function record(
  deps: StepDependencies,
  state: TurnState,
  key: string,
  events: StepEvent[],
  { durable = false }: { durable?: boolean } = {},
): Promise<TurnState> {
  const stamped = events.map((event) => ({
    ...event,
    time: state.clock.now,
    turn: state.ctx.turn,
    aop: state.ctx.aop,
  })) as NewEvent[];
  const batch = [...pendingOf(state), ...stamped];
  if (batch.length === 0) return state;
  if (deps.deferAppends && !durable) return { ...state, pending: batch };
  const { events: stored } = await appendTurnEvents(deps.events, state.ctx.conversationId, batch, {
    expectedVersion: state.ctx.seq,
    idempotencyKey: `turn-${state.ctx.turn}-at-${state.ctx.seq}-${key}`,
    ...(state.ctx.hash ? { previousHash: state.ctx.hash } : {}),
  });
  const written = { ...state, pending: [] };
  const last = stored[stored.length - 1];
  if (!last || last.seq <= state.ctx.seq) return written;
  return { ...written, ctx: { ...state.ctx, seq: last.seq, hash: last.hash } };
}

/** The `model.called` event of one model call (Understand's, or an early choice's at `step`). */
export function modelCalled(call: ModelCallRecord, step?: string): StepEvent {
  return {
    type: 'model.called',
    actor: 'agent',
    ...(step ? { step } : {}),
    data: {
      purpose: call.purpose,
      modelId: call.modelId,
      requestHash: call.requestHash,
      response: call.response as never,
      usage: call.usage,
      latencyMs: Math.round(call.latencyMs),
    },
  };
}
