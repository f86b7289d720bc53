import type { NewEvent } from '../events/catalogue.ts';
import { fill, type RepairWording } from './repair.ts';

/**
 * Several requests in one message ("cancel my order and also change my address"). Routing
 * (routing.ts) takes the first and queues the others on `aop.selected` (`then`); the first reply says
 * so, and when a procedure ends with requests still queued, the next one is taken up at once, in a
 * turn of its own that answers no new message (`aop.selected` with reason `continued`). The
 * conversation service and replay both build these sentences here, from the ids on the event alone,
 * so replay says them again word for word.
 */

/** What `aop.selected` says of a turn's start, as far as the requests go. */
export interface RequestSelection {
  readonly aopId: string;
  readonly reason: 'routed' | 'rerouted' | 'continued';
  /** The requests still to take up after this one, in the customer's order. */
  readonly then?: readonly string[];
}

/**
 * The agent's first words in a turn that starts a procedure: the plan when the message made several
 * requests, the next request when one is taken up; nothing otherwise.
 */
export function openingText(selection: RequestSelection, wording: RepairWording): string | undefined {
  if (selection.reason === 'continued')
    return fill(wording.nextRequest, { next: requestPhrase(selection.aopId) });
  const then = selection.then ?? [];
  if (then.length === 0) return undefined;
  return fill(wording.severalRequests, {
    first: requestPhrase(selection.aopId),
    then: then.map(requestPhrase).join(', then with '),
  });
}

/** The opening as the event the turn writes right after `turn.started`. */
export function openingEvents(
  selection: RequestSelection,
  wording: RepairWording,
  { turn, time, aop }: { turn: number; time: string; aop: { id: string; version: number } },
): NewEvent[] {
  const text = openingText(selection, wording);
  return text === undefined
    ? []
    : [{ type: 'message.sent', time, actor: 'agent', turn, aop, data: { text } }];
}

/** Verbs a procedure id may start with, as the customer hears them ("modify" reads "changing"). */
const GERUNDS: Readonly<Record<string, string>> = {
  cancel: 'cancelling',
  change: 'changing',
  modify: 'changing',
  update: 'updating',
  exchange: 'exchanging',
  return: 'returning',
  transfer: 'transferring',
  refund: 'refunding',
  track: 'tracking',
  book: 'booking',
  pay: 'paying',
  add: 'adding',
  remove: 'removing',
  reset: 'resetting',
};

/**
 * A procedure id as a phrase of a sentence: "cancel-pending-order" reads "cancelling your pending
 * order", "order-information" reads "the order information".
 */
export function requestPhrase(id: string): string {
  const [first = '', ...rest] = id.split(/[-_]+/).filter((word) => word !== '');
  const verb = GERUNDS[first];
  if (verb === undefined) return `the ${[first, ...rest].join(' ')}`;
  if (rest.length === 0) return verb;
  return /^(?:to|with|for|from|of|in|on)$/.test(rest[0]!)
    ? `${verb} ${rest.join(' ')}`
    : `${verb} your ${rest.join(' ')}`;
}
