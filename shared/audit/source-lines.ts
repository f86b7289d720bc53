import type { StoredEvent } from '../events/catalogue.ts';

/**
 * Which compiled state an event came from, and so which line of which procedure file (the manifest's
 * `sourceMap`: state name → "file:line"). Events name their step (`step`, e.g. `look-up`); where they
 * also name the exact state (a reply's `stepId`, a tool call's idempotency key), that wins, so a step of
 * a followed sub-procedure resolves to the sub-procedure's file.
 */

/** The state an event names, if it names one. `resume` is the state the event's turn resumed at. */
export function stateOf(event: StoredEvent, resume?: string): string | undefined {
  switch (event.type) {
    case 'message.sent':
      return event.data.stepId;
    case 'tool.requested':
      return actionOfKey(event.data.idempotencyKey);
    case 'turn.started':
    case 'turn.completed':
      return event.data.resume || undefined;
    // What the customer's message was understood to say answers the question the turn resumed at.
    case 'model.called':
    case 'confirmation.recorded':
    case 'confirmation.withheld':
      return resume || undefined;
    case 'slot.filled':
      return event.step === undefined && event.data.source === 'model' ? resume || undefined : undefined;
    default:
      return undefined;
  }
}

/** Tool idempotency keys are `<conversation>:<action>:<turn>`. */
export function actionOfKey(key: string): string | undefined {
  const parts = key.split(':');
  return parts.length >= 3 ? parts.slice(1, -1).join(':') : undefined;
}

export function sourceLine(
  sourceMap: Readonly<Record<string, string>>,
  state: string | undefined,
  step: string | undefined,
): string | undefined {
  if (state && sourceMap[state]) return sourceMap[state];
  if (!step) return undefined;
  const candidates = Object.keys(sourceMap).filter((name) => name === step || name.endsWith(`>${step}`));
  const best = (state && candidates.find((name) => state.startsWith(name))) ?? candidates[0];
  return best === undefined ? undefined : sourceMap[best];
}

/**
 * For each event, the state it came from: what it names itself, else (guards before a call, results
 * after it) the call of the same step it belongs to, else the state its turn resumed at.
 */
export function statesOf(events: readonly StoredEvent[]): (string | undefined)[] {
  const states: (string | undefined)[] = events.map(() => undefined);
  let resume: string | undefined;
  let lastAction: string | undefined;
  for (const [index, event] of events.entries()) {
    if (event.type === 'turn.started') {
      resume = event.data.resume || undefined;
      lastAction = undefined;
    }
    if (event.type === 'tool.requested') lastAction = actionOfKey(event.data.idempotencyKey);
    const own = stateOf(event, resume);
    states[index] = own ?? (inStep(lastAction, event.step) ? lastAction : undefined);
  }
  // Guards are written before the call they guard: take the state of the call that follows.
  let nextAction: string | undefined;
  for (let index = events.length - 1; index >= 0; index--) {
    const event = events[index]!;
    if (event.type === 'tool.requested') nextAction = actionOfKey(event.data.idempotencyKey);
    else if (event.type === 'turn.started') nextAction = undefined;
    else if (states[index] === undefined && inStep(nextAction, event.step)) states[index] = nextAction;
  }
  return states;
}

/** `follow-authenticate.1>look-up.1` is an action of step `look-up`. */
function inStep(action: string | undefined, step: string | undefined): action is string {
  if (!action || !step) return false;
  const last = action.split('>').at(-1) ?? '';
  return last === step || last.startsWith(`${step}.`);
}
