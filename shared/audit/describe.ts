import type { StoredEvent } from '../events/catalogue.ts';
import { canonicalJson } from '../events/hash-chain.ts';

/** One line saying what an event records, for timelines and diffs: who did what, with which values. */
export function describeEvent(event: StoredEvent, { width = 160 }: { width?: number } = {}): string {
  const short = (value: unknown) => clip(json(value), width);
  switch (event.type) {
    case 'conversation.started':
      return `conversation started (tenant ${event.data.tenant}, ${event.data.channel})`;
    case 'message.received':
      return `customer: ${quote(event.data.text, width)}`;
    case 'message.sent':
      return `agent says: ${quote(event.data.text, width)}`;
    case 'turn.started':
      return `turn ${event.data.turn} starts at ${event.data.resume || 'the beginning'} (clock ${event.data.now})`;
    case 'turn.completed': {
      const { status, resume, awaiting } = event.data;
      if (status !== 'active') return `turn ${event.data.turn} ends: ${status}`;
      const waits = awaiting?.kind === 'confirm' ? 'a yes or no' : waitsFor(awaiting);
      return `turn ${event.data.turn} pauses at ${resume}, waiting for ${waits}`;
    }
    case 'turn.interrupted': {
      const calls = (event.data.pending ?? []).map(
        (call) =>
          `${call.tool} ${call.outcome === 'succeeded' ? 'had run (its record says so)' : call.outcome === 'not-run' ? 'had not run' : 'unknown'}`,
      );
      return `turn ${event.data.turn} interrupted: ${event.data.reason} Recovered after an interruption: ${calls.length > 0 ? `${calls.join(', ')}; ` : 'no call was left pending; '}its message is answered again`;
    }
    case 'aop.selected':
      return `procedure ${event.data.aopId} v${event.data.version} (${event.data.reason})`;
    case 'model.called': {
      const { purpose, response, usage, latencyMs, modelId } = event.data;
      return `model ${purpose} → ${short(response)} [${modelId}, ${usage.inputTokens} in / ${usage.outputTokens} out tokens, ${latencyMs} ms]`;
    }
    case 'slot.filled':
      return event.data.value === null
        ? `forget ${event.data.name}`
        : `${event.data.name} = ${short(event.data.value)} (from ${event.data.source})`;
    case 'customer.authenticated':
      return `customer ${event.data.customerId} authenticated by ${event.data.tool}`;
    case 'guard.checked':
      return `guard ${event.data.guard} for ${event.data.tool}: ${event.data.passed ? 'passed' : `FAILED (${event.data.reason ?? 'no reason'})`}`;
    case 'confirmation.requested':
      return `asks to confirm ${event.data.stepId}`;
    case 'confirmation.recorded':
      return `customer ${event.data.confirmed ? 'confirmed' : 'declined'} ${event.data.stepId}`;
    case 'confirmation.withheld':
      return `customer neither confirmed nor declined ${event.data.stepId} (${event.data.consent}); asked again`;
    case 'tool.requested':
      return `call ${event.data.tool}(${short(event.data.input)})`;
    case 'tool.succeeded':
      if (event.data.recovered)
        return `${event.data.tool} had run before the interruption: returned ${short(event.data.output)} [from its idempotency record${event.data.effect ? `, ${event.data.effect}` : ''}]`;
      return `${event.data.tool} returned ${short(event.data.output)} [${event.data.latencyMs} ms${event.data.effect ? `, ${event.data.effect}` : ''}]`;
    case 'tool.abandoned':
      return event.data.happened === 'no'
        ? `${event.data.tool} (seq ${event.data.forSeq}) never ran: ${event.data.reason}`
        : `${event.data.tool} (seq ${event.data.forSeq}) may or may not have run: ${event.data.reason}`;
    case 'tool.failed':
      return `${event.data.tool} failed: ${event.data.error.code}: ${event.data.error.message}`;
    case 'handoff.requested':
      return `hand off to a human: ${event.data.reason}`;
    case 'handoff.ticket':
      return event.data.ticketId === null
        ? `no ${event.data.system} ticket could be opened: ${event.data.error ?? 'unknown error'}`
        : `${event.data.system} ticket ${event.data.ticketId} opened for the hand-off`;
    case 'conversation.resolved':
      return 'conversation resolved';
    case 'conversation.escalated':
      return `conversation escalated: ${event.data.reason}`;
    case 'conversation.abandoned':
      return `conversation abandoned: ${event.data.reason}`;
    case 'conversation.rewound':
      return `rewound to seq ${event.data.toSeq}: ${event.data.reason}`;
    case 'compensation.ran':
      return `compensation ${event.data.tool}(${short(event.data.input)}) for seq ${event.data.forSeq}`;
    case 'aop.published':
      return `published ${event.data.aopId} v${event.data.version} (${event.data.sourceHash.slice(0, 12)})`;
    case 'aop.gated':
      return `release gate for ${event.data.aopId} (${event.data.sourceHash.slice(0, 12)}): ${event.data.verdict}; ${event.data.checks.map((check) => `${check.name} ${check.status}`).join(', ')}${event.data.accepted.length > 0 ? `; accepted ${event.data.accepted.join(', ')}` : ''}`;
    case 'alias.moved':
      return `alias ${event.data.alias} of ${event.data.aopId}: v${event.data.fromVersion ?? '-'} → v${event.data.toVersion}`;
    default:
      return (event as { type: string }).type;
  }
}

function waitsFor(awaiting: Record<string, unknown> | undefined): string {
  const groups = awaiting?.groups;
  if (Array.isArray(groups) && groups.length > 0)
    return groups.map((group) => (Array.isArray(group) ? group.join(' + ') : String(group))).join(' or ');
  return 'the customer';
}

export function json(value: unknown): string {
  try {
    return canonicalJson(value ?? null);
  } catch {
    return String(value);
  }
}

export function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

function quote(text: string, width: number): string {
  return clip(JSON.stringify(text), width);
}
