import type { ConversationLock } from '../engine/lock.ts';
import type { ToolRuntime } from '../engine/tenant.ts';
import type { Actor, NewEvent, StoredEvent } from '../events/catalogue.ts';
import { isConcurrencyConflictError } from '../events/errors.ts';
import type { EventStore } from '../events/store.ts';
import { isToolError } from '../tools/errors.ts';
import { InvalidRewindError, RewindBusyError } from './errors.ts';
import { planRewind, rewindSummaryPrefix, type Undo } from './plan.ts';

/**
 * `rewind(conversation, toSeq)` (DESIGN.md decision 6): nothing is deleted. It appends
 * `conversation.rewound`, runs the compensating tool of each write after SEQ (newest first) and
 * records each as `compensation.ran`; what cannot be compensated goes to a person
 * (`handoff.requested` + `conversation.escalated`, with the reasons). Running it again does nothing
 * more: the plan sees the rewind, the compensations and the hand-off already in the log, and every
 * append and tool call carries an idempotency key, so a run cut short is finished by the next.
 */

export interface RewindDependencies {
  readonly events: EventStore;
  readonly tools: ToolRuntime;
  /** Held while rewinding, so no turn runs meanwhile. Default: none (tests, single-user tools). */
  readonly lock?: ConversationLock;
  readonly clock?: () => Date;
}

export interface RewindRequest {
  readonly conversationId: string;
  readonly toSeq: number;
  /** Why, for the log. Default: "Rewound by an operator." */
  readonly reason?: string;
  /** Default: `operator`. */
  readonly actor?: Actor;
}

export interface RewindReport {
  readonly conversationId: string;
  readonly toSeq: number;
  /** True when the rewind was complete already: nothing was appended and no tool ran. */
  readonly alreadyDone: boolean;
  readonly compensated: readonly { forSeq: number; tool: string; input: unknown; output: unknown }[];
  /** Writes that stay as they are, with why; a person has the conversation when this is not empty. */
  readonly manual: readonly { forSeq: number; tool: string; reason: string }[];
}

export async function rewindConversation(
  deps: RewindDependencies,
  request: RewindRequest,
): Promise<RewindReport> {
  const release = deps.lock ? await deps.lock.acquire(request.conversationId) : async () => {};
  if (!release) throw new RewindBusyError(request.conversationId);
  try {
    return await rewindHeld(deps, request);
  } finally {
    await release();
  }
}

async function rewindHeld(
  { events, tools, clock = () => new Date() }: RewindDependencies,
  { conversationId, toSeq, reason = 'Rewound by an operator.', actor = 'operator' }: RewindRequest,
): Promise<RewindReport> {
  let log = await events.read(conversationId);
  if (log.length === 0)
    throw new InvalidRewindError({ conversationId, toSeq, reason: 'no such conversation' });
  if (!Number.isInteger(toSeq) || toSeq < 0 || toSeq > log.length)
    throw new InvalidRewindError({
      conversationId,
      toSeq,
      reason: `SEQ must be a whole number from 0 to ${log.length} (the conversation's last event)`,
    });
  const plan = planRewind(log, toSeq, tools.catalogue);
  const manual = plan.undo.flatMap((undo) => (undo.kind === 'manual' ? [undo] : []));
  const pending = plan.undo.filter(
    (undo): undo is Extract<Undo, { kind: 'compensate' }> => undo.kind === 'compensate',
  );
  if (plan.recorded && pending.length === 0 && (manual.length === 0 || plan.handedOff))
    return { conversationId, toSeq, alreadyDone: true, compensated: [], manual };

  const time = () => clock().toISOString();
  const append = async (batch: NewEvent[], key: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        const { events: stored } = await events.append(conversationId, batch, {
          expectedVersion: log.at(-1)?.seq ?? 0,
          idempotencyKey: `rewind-${toSeq}-${key}`,
        });
        log = [...log, ...stored.filter((event) => event.seq > (log.at(-1)?.seq ?? 0))];
        return stored;
      } catch (error) {
        // Only a message arriving meanwhile can get in (turns wait for the lock): read it and go on.
        if (!isConcurrencyConflictError(error) || attempt >= 10) throw error;
        log = [...log, ...(await events.read(conversationId, { fromSeq: (log.at(-1)?.seq ?? 0) + 1 }))];
      }
    }
  };

  if (!plan.recorded)
    await append(
      [{ type: 'conversation.rewound', time: time(), actor, data: { toSeq, reason } }],
      'recorded',
    );

  const customerId = customerOf(log);
  const compensated: RewindReport['compensated'][number][] = [];
  for (const undo of pending) {
    const implementation = tools.implementations[undo.compensation];
    const compensation = tools.catalogue.get(undo.compensation);
    if (!implementation || !compensation) {
      manual.push({
        ...undo,
        kind: 'manual',
        reason: `${undo.compensation} is not implemented by this tenant.`,
      });
      continue;
    }
    let output: unknown;
    try {
      output = compensation.output.parse(
        await implementation(undo.input as never, {
          idempotencyKey: `${conversationId}:rewind-${toSeq}:undo-${undo.forSeq}`,
          conversationId,
          ...(customerId ? { customerId } : {}),
        }),
      );
    } catch (error) {
      if (!isToolError(error)) throw error;
      manual.push({
        kind: 'manual',
        forSeq: undo.forSeq,
        tool: undo.tool,
        reason: `${undo.compensation} could not undo ${undo.tool} (seq ${undo.forSeq}): ${error.message}`,
      });
      continue;
    }
    await append(
      [
        {
          type: 'compensation.ran',
          time: time(),
          actor,
          ...(undo.write.aop ? { aop: undo.write.aop } : {}),
          ...(undo.write.step ? { step: undo.write.step } : {}),
          data: {
            tool: undo.compensation,
            input: undo.input as never,
            output: output as never,
            forSeq: undo.forSeq,
          },
        },
      ],
      `undo-${undo.forSeq}`,
    );
    compensated.push({ forSeq: undo.forSeq, tool: undo.compensation, input: undo.input, output });
  }

  if (manual.length > 0 && !plan.handedOff) {
    const why = manual.map((item) => item.reason).join(' ');
    await append(
      [
        {
          type: 'handoff.requested',
          time: time(),
          actor,
          data: {
            reason: why.slice(0, 2000),
            summary: `${rewindSummaryPrefix(toSeq)} ${manual.length} action(s) could not be undone automatically.`,
          },
        },
        { type: 'conversation.escalated', time: time(), actor, data: { reason: why.slice(0, 2000) } },
      ],
      'handoff',
    );
  }
  return { conversationId, toSeq, alreadyDone: false, compensated, manual };
}

function customerOf(log: readonly StoredEvent[]): string | undefined {
  let customerId: string | undefined;
  for (const event of log) if (event.type === 'customer.authenticated') customerId = event.data.customerId;
  return customerId;
}
