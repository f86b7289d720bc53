import { createHash } from 'node:crypto';
import type { ToolRuntime } from '../engine/tenant.ts';
import type { StoredEventOf } from '../events/catalogue.ts';
import { canonicalJson } from '../model/canonical-json.ts';
import type { ModelCallRecord, ModelClient } from '../model/client.ts';
import {
  acceptedSlots,
  buildConverseInput,
  NOTHING_UNDERSTOOD,
  normaliseUnderstanding,
  type Understanding,
  type UnderstandRequest,
  UnderstandRequestSchema,
} from '../model/understanding.ts';
import type { ToolCatalogue, ToolContext } from '../tools/define-tool.ts';
import { ToolError } from '../tools/errors.ts';
import { ReplayDivergenceError, WouldCallError } from './errors.ts';
import { ownerFrom, type RecordedTurn, type Recording } from './recording.ts';

/**
 * The outside world as the recording saw it: the model answers what it answered, tools return what they
 * returned, ownership lookups find who they found. Nothing is called for real. A call the recording
 * cannot answer stops the replay (`fatal`, exact mode) or is shown as "would call" (what-if mode).
 */

/** Where replay notes what stopped a turn; the harness aborts the execution and reports it. */
export interface TurnSignals {
  fatal: ReplayDivergenceError | undefined;
  wouldCall: WouldCallError | undefined;
  /** Events the sink held when the turn stopped: what came after is not the procedure's doing. */
  stoppedAt: number | undefined;
  readonly notes: string[];
}

export function newSignals(): TurnSignals {
  return { fatal: undefined, wouldCall: undefined, stoppedAt: undefined, notes: [] };
}

/** A clock that stands still except when a recorded tool call "takes" its recorded latency. */
export interface VirtualClock {
  now(): number;
  advance(ms: number): void;
}

export function createVirtualClock(): VirtualClock {
  let time = 0;
  return {
    now: () => time,
    advance(ms) {
      time += ms;
    },
  };
}

export function requestHashOf(request: UnderstandRequest, modelId: string): string {
  const parsed = UnderstandRequestSchema.parse(request);
  return createHash('sha256')
    .update(canonicalJson(buildConverseInput(parsed, modelId)))
    .digest('hex');
}

function recordOf(
  recorded: StoredEventOf<'model.called'>,
  requestHash: string,
  response: Understanding,
): ModelCallRecord {
  return {
    purpose: recorded.data.purpose,
    modelId: recorded.data.modelId,
    requestHash,
    response,
    rejected: [],
    usage: recorded.data.usage,
    latencyMs: recorded.data.latencyMs,
  };
}

/** Exact mode: the turn's recorded answers in order; a call beyond them is a divergence. */
export function recordedModel(
  recording: Recording,
  turn: RecordedTurn,
  signals: TurnSignals,
  { whatIf = false }: { whatIf?: boolean } = {},
): ModelClient {
  let next = 0;
  return {
    async understand(request) {
      const recorded = turn.modelCalls[next++];
      if (!recorded) {
        if (whatIf) {
          signals.notes.push(
            `turn ${turn.turn}: the new version asks the model something the recording never asked; assumed nothing was understood`,
          );
          const modelId = recordingModelId(recording);
          const hash = requestHashOf(request, modelId);
          const record: ModelCallRecord = {
            purpose: 'understand',
            modelId,
            requestHash: hash,
            response: NOTHING_UNDERSTOOD,
            rejected: [],
            usage: { inputTokens: 0, outputTokens: 0 },
            latencyMs: 0,
          };
          return { understanding: NOTHING_UNDERSTOOD, record };
        }
        throw stop(
          signals,
          new ReplayDivergenceError({
            conversationId: recording.conversationId,
            turn: turn.turn,
            kind: 'model',
            message: `the model was called ${next} time(s) in this turn; the recording has ${turn.modelCalls.length}`,
          }),
        );
      }
      // Recorded by any version of the contract (normaliseUnderstanding).
      const response = normaliseUnderstanding(recorded.data.response);
      // The hash of what was asked: a different request shows up as a difference in model.called.
      const hash = requestHashOf(request, recorded.data.modelId);
      if (whatIf && hash !== recorded.data.requestHash) {
        // The new version asks something else: the recorded answer holds only where the new request
        // would take it (a value no longer allowed is not understood), as a live model's would.
        const { accepted, dropped } = acceptedSlots(request, response.slots);
        if (dropped.length > 0) {
          signals.notes.push(
            `turn ${turn.turn}: the new version would not take ${dropped.join(', ')} from the recorded answer (not asked, or no longer allowed)`,
          );
          const held = { ...response, slots: accepted };
          return { understanding: structuredClone(held), record: recordOf(recorded, hash, held) };
        }
      }
      return { understanding: structuredClone(response), record: recordOf(recorded, hash, response) };
    },
  };
}

function recordingModelId(recording: Recording): string {
  for (const event of recording.events) if (event.type === 'model.called') return event.data.modelId;
  return 'unknown';
}

export interface RecordedToolsOptions {
  readonly recording: Recording;
  readonly turn: RecordedTurn;
  readonly catalogue: ToolCatalogue;
  readonly signals: TurnSignals;
  readonly clock: VirtualClock;
  /** Events in the replay sink so far, so a stop records where the turn ended. */
  readonly sinkLength: () => number;
}

/**
 * Exact mode: a tool call is matched to the recorded call by its idempotency key (conversation, action,
 * turn: the same call retried has the same key) and must have the recorded input.
 */
export function recordedTools(options: RecordedToolsOptions): ToolRuntime {
  const { recording, turn, catalogue, signals, clock } = options;
  const byKey = new Map<string, RecordedTurn['toolCalls'][number][]>();
  for (const call of turn.toolCalls) {
    const key = call.requested.data.idempotencyKey;
    byKey.set(key, [...(byKey.get(key) ?? []), call]);
  }
  const diverged = (message: string, kind: 'tool' | 'ownership' = 'tool') =>
    stop(
      signals,
      new ReplayDivergenceError({ conversationId: recording.conversationId, turn: turn.turn, kind, message }),
      options.sinkLength(),
    );
  const implementations: Record<string, (input: never, context: ToolContext) => Promise<unknown>> = {};
  for (const tool of catalogue.values()) {
    implementations[tool.name] = async function replayedTool(input: unknown, context: ToolContext) {
      const queue = byKey.get(context.idempotencyKey) ?? [];
      const call = queue[0];
      if (!call)
        throw diverged(
          `${tool.name}(${canonicalJson(input)}) was called with key ${context.idempotencyKey}, which the recording never used`,
        );
      if (call.requested.data.tool !== tool.name)
        throw diverged(`${tool.name} was called where the recording called ${call.requested.data.tool}`);
      const recordedInput = tool.input.safeParse(call.requested.data.input);
      if (!recordedInput.success || canonicalJson(recordedInput.data) !== canonicalJson(input))
        throw diverged(
          `${tool.name} was called with ${canonicalJson(input)}; the recording called it with ${canonicalJson(call.requested.data.input)}`,
        );
      return answer(tool.name, call, clock, () => queue.shift());
    };
  }
  let nextOwnership = 0;
  return {
    catalogue,
    implementations,
    async ownerOf(resource, id) {
      const decision = turn.ownership[nextOwnership++];
      if (!decision)
        throw diverged(
          `ownership of ${resource} ${id} was looked up, which the recording never did`,
          'ownership',
        );
      return ownerFrom(decision);
    },
  };
}

/** What-if mode: any recorded call of the same tool with the same input answers; anything else is shown, not made. */
export function whatIfTools(
  options: RecordedToolsOptions & { readonly owners: ReadonlyMap<string, string | undefined> },
): ToolRuntime {
  const { recording, turn, catalogue, signals, clock, owners } = options;
  const calls = recording.turns.flatMap((recorded) => recorded.toolCalls).filter((call) => call.result);
  const wouldCall = (call: string) =>
    stop(signals, new WouldCallError({ turn: turn.turn, call }), options.sinkLength());
  const implementations: Record<string, (input: never, context: ToolContext) => Promise<unknown>> = {};
  for (const tool of catalogue.values()) {
    implementations[tool.name] = async function whatIfTool(input: unknown) {
      const wanted = canonicalJson(input);
      const call = calls.find((recorded) => {
        if (recorded.requested.data.tool !== tool.name) return false;
        const parsed = tool.input.safeParse(recorded.requested.data.input);
        return parsed.success && canonicalJson(parsed.data) === wanted;
      });
      if (!call) throw wouldCall(`call ${tool.name}(${wanted})`);
      return answer(tool.name, call, clock, () => undefined);
    };
  }
  return {
    catalogue,
    implementations,
    async ownerOf(resource, id) {
      const key = `${resource}:${id}`;
      if (!owners.has(key)) throw wouldCall(`look up who owns ${resource} ${id}`);
      return owners.get(key);
    },
  };
}

function answer(
  name: string,
  call: RecordedTurn['toolCalls'][number],
  clock: VirtualClock,
  consume: () => void,
): unknown {
  const { result } = call;
  // A call that never returned is replayed as the same outage, so Retry and Catch run as they did.
  if (!result) throw new Error(`${name} did not answer in the recording`);
  consume();
  if (result.type === 'tool.failed')
    throw new ToolError(name, result.data.error.code, result.data.error.message);
  clock.advance(result.data.latencyMs);
  return structuredClone(result.data.output);
}

function stop<E extends ReplayDivergenceError | WouldCallError>(
  signals: TurnSignals,
  error: E,
  sinkLength?: number,
): E {
  if (error instanceof ReplayDivergenceError) signals.fatal ??= error;
  else signals.wouldCall ??= error as WouldCallError;
  if (sinkLength !== undefined) signals.stoppedAt ??= sinkLength;
  return error;
}
