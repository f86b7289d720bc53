import type { StoredEvent, StoredEventOf } from './catalogue.ts';

/**
 * Which requested tool calls have no outcome on record. A call's outcome follows its request in the
 * same turn (`tool.succeeded`, `tool.failed` or, for a turn that was interrupted, `tool.abandoned`);
 * a request without one means the process running the turn stopped between the two, and only the
 * tool's own idempotency record can tell whether the call happened.
 */
export function requestsWithoutOutcome(events: readonly StoredEvent[]): StoredEventOf<'tool.requested'>[] {
  const open: StoredEventOf<'tool.requested'>[] = [];
  for (const event of events) {
    if (event.type === 'tool.requested') open.push(event);
    else if (event.type === 'tool.abandoned') {
      const index = open.findIndex((request) => request.seq === event.data.forSeq);
      if (index >= 0) open.splice(index, 1);
    } else if (event.type === 'tool.succeeded' || event.type === 'tool.failed') {
      // An outcome answers the latest open request of its tool in its turn (a guard's refusal,
      // recorded without a request, finds none).
      const index = open.findLastIndex(
        (request) => request.data.tool === event.data.tool && request.turn === event.turn,
      );
      if (index >= 0) open.splice(index, 1);
    }
  }
  return open;
}
