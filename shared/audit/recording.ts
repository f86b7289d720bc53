import type { StoredEvent, StoredEventOf } from '../events/catalogue.ts';

/**
 * A recorded conversation indexed for replay: its turns, and per turn the non-deterministic inputs the
 * steps received (model answers, tool results, ownership answers), in the order they were received.
 */

export interface RecordedToolCall {
  readonly requested: StoredEventOf<'tool.requested'>;
  /** undefined when the call never returned (the step crashed, and the turn failed over). */
  readonly result: StoredEventOf<'tool.succeeded'> | StoredEventOf<'tool.failed'> | undefined;
}

export interface RecordedOwnership {
  readonly tool: string;
  readonly passed: boolean;
  readonly reason: string | undefined;
  /** The authenticated customer when the guard ran. */
  readonly customerId: string | null;
}

export interface RecordedTurn {
  readonly turn: number;
  readonly started: StoredEventOf<'turn.started'>;
  /** Index of `turn.started` in the log. */
  readonly index: number;
  /** Index of the turn's last event (its completion, or the conversation ending written with it). */
  readonly endIndex: number;
  readonly completed: boolean;
  /** Routing events written just before `turn.started` (a first message, or a new request). */
  readonly routed: boolean;
  readonly modelCalls: readonly StoredEventOf<'model.called'>[];
  readonly toolCalls: readonly RecordedToolCall[];
  readonly ownership: readonly RecordedOwnership[];
}

export interface Recording {
  readonly conversationId: string;
  readonly events: readonly StoredEvent[];
  readonly turns: readonly RecordedTurn[];
}

/** Events a turn did not write: customer messages that arrived while it ran. */
export function isArrival(event: StoredEvent): boolean {
  return event.type === 'message.received';
}

export function indexRecording(events: readonly StoredEvent[]): Recording {
  const conversationId = events[0]?.conversationId ?? '';
  const turns: RecordedTurn[] = [];
  for (const [index, event] of events.entries()) {
    if (event.type !== 'turn.started') continue;
    const turn = event.data.turn;
    let endIndex = index;
    let completed = false;
    for (let next = index + 1; next < events.length; next++) {
      const candidate = events[next]!;
      if (candidate.turn !== turn) {
        if (isArrival(candidate)) continue;
        break;
      }
      endIndex = next;
      if (candidate.type === 'turn.completed') completed = true;
    }
    // Trailing arrivals belong to the next turn.
    while (endIndex > index && isArrival(events[endIndex]!)) endIndex--;
    const span = events.slice(index + 1, endIndex + 1);
    const previous = events[index - 1];
    turns.push({
      turn,
      started: event,
      index,
      endIndex,
      completed,
      routed: previous?.type === 'aop.selected' || previous?.type === 'slot.filled',
      modelCalls: span.filter(
        (e): e is StoredEventOf<'model.called'> =>
          e.type === 'model.called' && e.data.purpose === 'understand',
      ),
      toolCalls: toolCallsOf(span),
      ownership: ownershipOf(events, index, endIndex),
    });
  }
  return { conversationId, events, turns };
}

function toolCallsOf(span: readonly StoredEvent[]): RecordedToolCall[] {
  const calls: RecordedToolCall[] = [];
  for (const [index, event] of span.entries()) {
    if (event.type !== 'tool.requested') continue;
    let result: RecordedToolCall['result'];
    for (const later of span.slice(index + 1)) {
      if (later.type === 'tool.requested') break;
      if (later.type === 'tool.succeeded' && later.data.tool === event.data.tool) {
        result = later;
        break;
      }
      if (later.type === 'tool.failed' && later.data.tool === event.data.tool && later.actor === 'agent') {
        result = later;
        break;
      }
    }
    calls.push({ requested: event, result });
  }
  return calls;
}

function ownershipOf(events: readonly StoredEvent[], from: number, to: number): RecordedOwnership[] {
  let customerId: string | null = null;
  const decisions: RecordedOwnership[] = [];
  for (const [index, event] of events.entries()) {
    if (index > to) break;
    if (event.type === 'customer.authenticated') customerId = event.data.customerId;
    if (index < from || event.type !== 'guard.checked' || event.data.guard !== 'owns') continue;
    decisions.push({
      tool: event.data.tool,
      passed: event.data.passed,
      reason: event.data.reason,
      customerId,
    });
  }
  return decisions;
}

/** The owner an ownership lookup returned when the guard recorded this decision. */
export function ownerFrom(decision: RecordedOwnership): string | undefined {
  if (decision.passed) return decision.customerId ?? undefined;
  // "No order #W1 exists." means the lookup found nothing; otherwise it found someone else's.
  if (decision.reason?.startsWith('No ')) return undefined;
  return `another customer than ${decision.customerId ?? 'the authenticated one'}`;
}

/** Ownership answers by resource id, for what-if calls (`order:#W1` → owner). */
export function ownershipById(
  recording: Recording,
  ownsArg: (tool: string) => { resource: string; arg: string } | undefined,
): Map<string, string | undefined> {
  const answers = new Map<string, string | undefined>();
  let customerId: string | null = null;
  const { events } = recording;
  for (const [index, event] of events.entries()) {
    if (event.type === 'customer.authenticated') customerId = event.data.customerId;
    if (event.type !== 'guard.checked' || event.data.guard !== 'owns') continue;
    const owns = ownsArg(event.data.tool);
    if (!owns) continue;
    const decision = {
      tool: event.data.tool,
      passed: event.data.passed,
      reason: event.data.reason,
      customerId,
    };
    let id: string | undefined;
    const reason = /^(?:No \S+ (.+) exists|\S+ (.+) belongs to another customer)\.$/.exec(
      event.data.reason ?? '',
    );
    if (reason) id = reason[1] ?? reason[2];
    else {
      const requested = events
        .slice(index + 1, index + 6)
        .find((e) => e.type === 'tool.requested' && e.data.tool === event.data.tool);
      const value =
        requested?.type === 'tool.requested'
          ? (requested.data.input as Record<string, unknown>)[owns.arg]
          : undefined;
      if (typeof value === 'string') id = value;
    }
    if (id !== undefined) answers.set(`${owns.resource}:${id}`, ownerFrom(decision));
  }
  return answers;
}
