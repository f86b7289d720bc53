import type { NewEvent } from '../events/catalogue.ts';

/**
 * What a colleague taking over needs to read first (the `handoff.requested` summary): why, what the
 * customer asked, who they were verified as, what was done and what was not. Built from the event
 * log, never from what the model said.
 */
export function handoffSummary(
  events: readonly NewEvent[],
  { aopId, reason }: { aopId: string; reason: string },
): string {
  const asked: string[] = [];
  let customer: string | null = null;
  const done: string[] = [];
  const failed: string[] = [];
  let procedure = aopId;
  for (const event of events) {
    switch (event.type) {
      case 'message.received':
        asked.push(event.data.text);
        break;
      case 'aop.selected':
        procedure = event.data.aopId;
        break;
      case 'customer.authenticated':
        customer = event.data.customerId;
        break;
      case 'tool.succeeded':
        if (event.data.effect === 'write')
          done.push(`${event.data.tool} ${JSON.stringify(event.data.output)}`.slice(0, 300));
        break;
      case 'tool.failed':
        failed.push(`${event.data.tool} (${event.data.error.code})`);
        break;
      default:
        break;
    }
  }
  const quoted = asked.slice(-4).map((text) => `"${text.replace(/\s+/g, ' ').slice(0, 200)}"`);
  return [
    `Reason: ${reason}`,
    `Procedure: ${procedure}`,
    `Customer said (last ${quoted.length} of ${asked.length}): ${quoted.join(' / ') || 'nothing'}`,
    `Verified as: ${customer ?? 'not verified'}`,
    `Done: ${done.length > 0 ? done.join('; ') : 'nothing was changed'}`,
    ...(failed.length > 0 ? [`Failed: ${failed.join('; ')}`] : []),
  ].join('\n');
}
