import { ASL_ERRORS, caughtMessage } from '../aop/error-names.ts';
import { sealEvents } from '../events/hash-chain.ts';
import type { EventStore } from '../events/store.ts';
import type { ModelClient } from '../model/client.ts';
import type { SlotRequest, Understanding, UnderstandRequest } from '../model/understanding.ts';
import type { ToolDeclaration, ToolSealer } from '../tools/define-tool.ts';
import { isToolError } from '../tools/errors.ts';
import type { HandoffConnector } from '../tools/handoff-connector.ts';
import { ComputeInputSchema, evaluate, isComputeInput } from './compute.ts';
import { earlyAnswers, earlyChoice } from './early-read.ts';
import { GuardRefusedError, ToolUnavailable } from './errors.ts';
import { fold } from './fold.ts';
import { handoffSummary } from './handoff-summary.ts';
import { applyKnownPick, knownChoices, knownQuestion, knownRequest } from './known-records.ts';
import { describedKey, describedRecords, optionsFrom } from './options.ts';
import { lookup, missingFacts, render } from './render.ts';
import {
  type Awaiting,
  type ConversationPolicy,
  conversationPolicy,
  decideRepair,
  faqEntries,
  handoffText,
  type RepairSlot,
} from './repair.ts';
import { modelCalled, pendingOf, record, type StepEvent } from './step-record.ts';
import type { ToolRuntime } from './tenant.ts';
import {
  HandoffInputSchema,
  ReplyInputSchema,
  ToolInputSchema,
  type TurnState,
  UnderstandInputSchema,
  type VariantsSpec,
} from './turn-state.ts';
import {
  answerVariants,
  buildGroups,
  chosenIds,
  chosenRecords,
  groupsOf,
  isVariantRequestName,
  pickedKey,
  variantQuestion,
  variantRequests,
  variantsKey,
} from './variants.ts';

/**
 * The four step tasks a compiled AOP invokes. Each records its events and returns the whole turn state
 * updated. The model proposes; this code decides.
 *
 * Where events go (docs/runtime.md, "When events are written"): with `deferAppends` (the deployed
 * runtime), a step's events wait in the turn state (`pending`) and are written in one append by the
 * ingress with the turn's end, or earlier by the step that needs them durable: a write tool's guards
 * and `tool.requested` before the call and its result right after it. Without it (replay), every step
 * appends at once. Both give the same events in the same order. An append is made after
 * `state.ctx.seq` with an idempotency key derived from the turn and position, so a retried Lambda
 * re-reads what it wrote instead of writing twice.
 */

export interface StepDependencies {
  readonly events: EventStore;
  readonly model: ModelClient;
  readonly tools: ToolRuntime;
  /** The tenant's conversation wording, FAQ and re-ask bound (repair.ts); defaults otherwise. */
  readonly conversation?: ConversationPolicy;
  /** Milliseconds since an arbitrary origin, for tool latency (replay injects the recorded ones). */
  readonly now?: () => number;
  /**
   * Keep events that change nothing outside the conversation in the turn state until the turn ends or
   * a write tool runs (see above). Default false: every step appends.
   */
  readonly deferAppends?: boolean;
  /** The tenant's run-time limits (tenant config `limits`); without them nothing is capped. */
  readonly limits?: StepLimits;
  /** Seals what write tools keep about a call under the conversation's data key (tool-sealer.ts). */
  readonly sealerFor?: (conversationId: string) => ToolSealer;
  /** The tenant's helpdesk: every hand-off opens a ticket in it (`handoff.ticket`). */
  readonly helpdesk?: HandoffConnector;
  /** Where a person sees a conversation's audit timeline, for the ticket. */
  readonly timelineUrl?: (conversationId: string) => string;
}

export interface StepLimits {
  /** Largest refund (USD) a write may make without a person: a larger one hands over (runTool). */
  readonly refundCapUsd?: number;
}

/** Retryable by the state machine's Retry (shared/aop/error-names.ts). */
export { ToolUnavailable } from './errors.ts';
export { pendingOf } from './step-record.ts';

/**
 * The conversation as the guards must see it: the log as written up to the turn's last append, then
 * what this turn has recorded since (seqs as they will be written). The conditional append that
 * follows every check at `ctx.seq` fails if anything but a customer message was written after it.
 */
async function guardView(deps: StepDependencies, state: TurnState) {
  const { conversationId, seq, hash } = state.ctx;
  const written = await deps.events.read(conversationId, { toSeq: seq });
  const pending = pendingOf(state);
  if (pending.length === 0) return fold(written);
  return fold([...written, ...sealEvents({ seq, hash: hash ?? '' }, conversationId, pending)]);
}

/** How many earlier messages (the customer's and the agent's) go with a message to the model. */
const CONTEXT_MESSAGES = 6;
const CONTEXT_MESSAGE_CHARS = 400;

/**
 * What a real model needs to read a message well, in words: the procedure and the step it waits at,
 * what it asked for, and the last few messages of the conversation. Never a source of values (the
 * system prompt says so); the local engine reads only the customer's message. Built from the log up
 * to the turn's start, so replay builds the same request.
 */
async function contextOf(
  deps: StepDependencies,
  state: TurnState,
  slots: readonly SlotRequest[],
): Promise<string | undefined> {
  const lines = [
    `Procedure: ${state.ctx.aop.id}${state.pause ? `, waiting at ${state.pause.resume.replace(/\.\d+$/, '')}` : ''}.`,
  ];
  const asked = slots.map((slot) => `${slot.name} (${slot.description})`);
  if (asked.length > 0) lines.push(`It can use from this message: ${asked.join('; ')}.`);
  const log = await deps.events.read(state.ctx.conversationId, { toSeq: state.ctx.seq });
  const messages = log.flatMap((event) =>
    event.type === 'message.received'
      ? [`Customer: ${event.data.text}`]
      : event.type === 'message.sent'
        ? [`Agent: ${event.data.text}`]
        : [],
  );
  // The message being read is the last one received; it goes separately.
  if (messages.at(-1) === `Customer: ${state.message}`) messages.pop();
  const recent = messages
    .slice(-CONTEXT_MESSAGES)
    // Earlier text cannot open or close the request's own tags.
    .map((line) => line.replaceAll('<', '‹').replaceAll('>', '›'))
    .map((line) => (line.length > CONTEXT_MESSAGE_CHARS ? `${line.slice(0, CONTEXT_MESSAGE_CHARS)}…` : line));
  if (recent.length > 0) lines.push('The conversation so far (latest last):', ...recent);
  return lines.join('\n');
}

export async function understand(deps: StepDependencies, input: unknown): Promise<TurnState> {
  const { state, slots, flow } = UnderstandInputSchema.parse(input);
  const policy = deps.conversation ?? DEFAULT_POLICY;
  const awaiting = awaitingOf(state.pause?.awaiting);
  const facts = { ...state.facts };
  const events: StepEvent[] = [];
  const awaited = awaiting?.kind === 'slots' ? awaiting.slots : [];
  // A question the procedure asks again (after "not found, go back") starts empty, so an unusable
  // answer is asked again instead of reusing the old one. A question still waiting for part of its
  // answer keeps the part it has.
  const complete =
    awaiting?.kind === 'slots' &&
    (awaiting.groups.length > 0 ? awaiting.groups : [awaited.map((slot) => slot.name)]).some((group) =>
      group.every((name) => facts[name] !== undefined && facts[name] !== null),
    );
  for (const slot of complete ? awaited : []) {
    // A variants question asked again starts with no variant picked.
    if (slot.variants && pickedKey(slot.name) in facts) delete facts[pickedKey(slot.name)];
    if (slot.name in facts) {
      delete facts[slot.name];
      events.push({
        type: 'slot.filled',
        actor: 'system',
        data: { name: slot.name, value: null, source: 'customer' },
      });
    }
  }
  const requested = new Map<string, SlotRequest>();
  const toRequest = (slot: (typeof slots)[number]) => {
    if (requested.has(slot.name)) return;
    if (slot.variants) {
      // A new variant is asked about one chosen record at a time, by its attributes (variants.ts).
      const requests = awaited.some((candidate) => candidate.name === slot.name)
        ? variantRequests(slot, facts)
        : [];
      for (const request of requests) requested.set(request.name, request);
      return;
    }
    const source =
      describedRecords(slot, facts) ??
      (slot.options ? lookup({ facts }, slot.options.replace(/^\$\./, '').split('.')) : undefined);
    // Choices go with the question being answered, and with a value given before (a correction by
    // name): "the first one" said about an order must not also pick the first payment method (a
    // volunteered id is still read by its pattern).
    const offered =
      awaited.some((candidate) => candidate.name === slot.name) ||
      (facts[slot.name] !== undefined && facts[slot.name] !== null);
    const options =
      slot.options && offered ? optionsFrom(source, slot.name, deps.conversation?.labels, { facts }) : [];
    const schema = slot.allowed ? { ...slot.schema, enum: slot.allowed } : slot.schema;
    // An awaited slot is being answered now: what it held before is not offered for correction.
    const isAwaited = awaited.some((candidate) => candidate.name === slot.name);
    const current = isAwaited ? undefined : facts[slot.name];
    const volunteered = !isAwaited && (current === undefined || current === null);
    // "zip" both signs in and ends a new address: before one of its questions, it answers neither.
    if (volunteered && flow?.repeated?.includes(slot.name)) return;
    requested.set(slot.name, {
      name: slot.name,
      description: slot.description,
      schema,
      ...(options.length > 0 ? { options } : {}),
      ...(options.length > 0 && slot.describedBy ? { optionsOpen: true } : {}),
      ...(current === undefined || current === null ? {} : { current }),
      ...(volunteered ? { volunteered: true } : {}),
    });
  };
  for (const slot of awaited) toRequest(slot);
  // Records the agent already knows (`offering …`): one more property, which of them the customer picks.
  const known = awaited.find((slot) => slot.known)?.known;
  const knownOffered = known ? knownChoices(known, facts) : [];
  if (known && knownOffered.length > 0) requested.set(known.name, knownRequest(known, knownOffered));
  for (const slot of slots) {
    // Nothing the customer says is dropped: every fact the procedure can use is read from every
    // message, marked as not asked yet (filled only when stated outright: "cancel W8704143, ordered
    // it by mistake" gives the reason too). A choice among records is read when it is asked, from
    // the request's first words as well (`earlyChoice`): its options are not known before. A value
    // already given is offered so that a correction can replace it.
    const known = facts[slot.name] !== undefined && facts[slot.name] !== null;
    const typed = typeof slot.schema.pattern === 'string' || slot.schema.format === 'email';
    if (known || typed || !slot.options) toRequest(slot);
  }
  const context = await contextOf(deps, state, [...requested.values()]);
  const request: UnderstandRequest = {
    message: state.message,
    slots: [...requested.values()],
    ...(context ? { context } : {}),
    ...(awaiting?.kind === 'confirm' ? { confirm: { question: render(awaiting.question, facts) } } : {}),
    ...(policy.faq.length > 0 ? { faq: faqEntries(policy) } : {}),
  };
  const { understanding: read, record: call } = await deps.model.understand(request);
  const changed = changeAtConfirmation(read, request, awaiting);
  // A pick fills every fact of the question from its record; the pick itself is no fact.
  const knownPick =
    known && knownOffered.length > 0
      ? applyKnownPick(known, knownOffered, changed, facts)
      : { understanding: changed, narrowed: undefined };
  let { understanding } = knownPick;
  events.push(modelCalled(call));
  const filled: string[] = [];
  const corrected: string[] = [];
  const noted: string[] = [];
  const signIn = signedInWith(deps, facts, flow);
  let otherCustomer = false;
  for (const [name, value] of Object.entries(understanding.slots)) {
    const asked = requested.get(name);
    if (value === null || value === undefined || !asked) continue;
    if (awaited.some((slot) => slot.variants && isVariantRequestName(slot.name, name))) continue;
    if (asked.current !== undefined) {
      // A value the customer gave before changes only when the message corrects it.
      if (understanding.act !== 'correction' || sameValue(asked.current, value)) continue;
      // Another person's sign-in details once the customer is signed in ("yes. and my brother's email
      // is …") never switch the conversation to them: their orders are not the customer's to change.
      // The customer's own correction says so ("no wait, my email is …": the model's act is a
      // correction); a different email merely mentioned at a confirmation is someone else's.
      if (signIn.has(name) && read.act !== 'correction' && !awaited.some((slot) => slot.name === name)) {
        otherCustomer = true;
        continue;
      }
      corrected.push(name);
    } else if (awaited.some((slot) => slot.name === name)) filled.push(name);
    else noted.push(name);
    facts[name] = value;
    events.push({
      type: 'slot.filled',
      actor: 'customer',
      data: { name, value: value as never, source: 'model' },
    });
  }
  // Said before whatever the turn says next.
  const notes: string[] = [];
  // "… and can you check my husband's order too": only the signed-in customer's are looked at.
  if (understanding.act === 'other_person') {
    otherCustomer = true;
    understanding = { ...understanding, act: 'none' };
  }
  if (otherCustomer) {
    // What else the message says still counts ("yes. and my brother's email is …" consents).
    if (corrected.length === 0 && understanding.act === 'correction')
      understanding = { ...understanding, act: 'none' };
    notes.push(policy.wording.otherCustomer);
    events.push({
      type: 'message.sent',
      actor: 'agent',
      data: { text: policy.wording.otherCustomer, stepId: state.pause?.resume ?? 'understand' },
    });
  }
  const variantAnswer = answerVariants(awaited, facts, understanding);
  for (const { name, value } of variantAnswer.fills) {
    if (value === null) delete facts[name];
    else facts[name] = value;
    events.push({
      type: 'slot.filled',
      actor: 'customer',
      data: { name, value: value as never, source: 'model' },
    });
  }
  filled.push(...variantAnswer.filled);
  const counters = { ...state.counters };
  const missKey = `reask:${state.pause?.resume ?? ''}`;
  const askKey = `asked:${state.pause?.resume ?? ''}`;
  const repeatKey = `repeat:${state.pause?.resume ?? ''}`;
  const decision = decideRepair({
    understanding,
    awaiting,
    facts,
    filled,
    corrected,
    noted,
    misses: counters[missKey]?.n ?? 0,
    reasks: counters[askKey]?.n ?? 0,
    repeats: counters[repeatKey]?.n ?? 0,
    policy,
    ...(variantAnswer.refused ? { refused: variantAnswer.refused } : {}),
    ...((variantAnswer.narrowed ?? knownPick.narrowed)
      ? { narrowed: variantAnswer.narrowed ?? knownPick.narrowed }
      : {}),
  });
  const confirm = { ...state.confirm };
  let resume = state.resume;
  if (corrected.length > 0) {
    // Everything derived from a corrected value is forgotten, and the procedure resumes where the
    // first corrected value was asked: every look-up and check runs again before any write.
    for (const name of dependentsOf(corrected, flow?.depends ?? {})) {
      if (!(name in facts)) continue;
      delete facts[name];
      events.push({ type: 'slot.filled', actor: 'system', data: { name, value: null, source: 'customer' } });
    }
    for (const key of Object.keys(confirm)) delete confirm[key];
    // The procedure goes back to the corrected value's question, unless a question that comes
    // before it in the procedure still waits for its answer (the customer volunteered the value
    // early, e.g. the order id before signing in): then it goes on from here, so nothing is skipped.
    const target = corrected.map((name) => flow?.asks[name]).find((ask) => ask !== undefined);
    const waiting = awaiting?.kind === 'slots' && !complete && filled.length === 0;
    const order = flow?.order;
    const waitingAt = state.pause?.resume ?? '';
    const askedEarlier =
      waiting && target !== undefined && order !== undefined
        ? order.indexOf(target) >= 0 && order.indexOf(target) < order.indexOf(waitingAt)
        : false;
    if (target && (!waiting || askedEarlier)) resume = target;
  }
  if (awaiting?.kind === 'confirm') {
    // "No, I said PayPal": a no that corrects a detail changes the action; the procedure goes back
    // to where the detail was asked and asks again, and nothing is called off.
    // "No, make it the blue one" that names nothing this question can take is not a no either: the
    // question is asked again rather than everything chosen so far thrown away.
    const changeUnread =
      read.act === 'correction' && decision.consent === 'decline' && corrected.length === 0;
    if (
      corrected.length === 0 &&
      !changeUnread &&
      (decision.consent === 'agree' || decision.consent === 'decline')
    ) {
      const confirmed = decision.consent === 'agree';
      confirm[awaiting.key] = confirmed;
      events.push({
        type: 'confirmation.recorded',
        actor: 'customer',
        data: { stepId: awaiting.key, confirmed },
      });
    } else {
      delete confirm[awaiting.key];
      if (changeUnread) {
        notes.push(policy.wording.changeUnread);
        events.push({
          type: 'message.sent',
          actor: 'agent',
          data: { text: policy.wording.changeUnread, stepId: awaiting.key },
        });
      }
      events.push({
        type: 'confirmation.withheld',
        actor: 'customer',
        data: {
          stepId: awaiting.key,
          // A yes or no that changed a detail is a change, not an answer.
          consent:
            decision.consent === 'agree' || decision.consent === 'decline'
              ? 'conditional'
              : (decision.consent ?? 'unclear'),
          act: understanding.act,
        },
      });
    }
  }
  // An answer the question could use (a value, a yes or a no) starts its count again: the procedure
  // may refuse it and ask once more ("go back to step 6", bounded by its own "at most 2 times"), and
  // a "sorry, what?" before the first answer is not the agent failing to get one the second time.
  const answered =
    awaiting?.kind === 'slots'
      ? filled.length > 0
      : decision.consent === 'agree' || decision.consent === 'decline';
  if (answered) {
    delete counters[missKey];
    delete counters[askKey];
    delete counters[repeatKey];
  }
  if (decision.missed) counters[missKey] = { n: (counters[missKey]?.n ?? 0) + 1 };
  if (understanding.act === 'repeat' && awaiting)
    counters[repeatKey] = { n: (counters[repeatKey]?.n ?? 0) + 1 };
  if (decision.reasked) counters[askKey] = { n: (counters[askKey]?.n ?? 0) + 1 };
  const { repair: _previous, ...next } = await record(deps, state, 'understand', events);
  const { repair } = decision;
  const keepPause = repair?.then === 'pause' ? { pause: state.pause ?? null } : { pause: null };
  return {
    ...next,
    facts,
    confirm,
    counters,
    resume,
    ...keepPause,
    ...(repair ? { repair } : {}),
    ...(notes.length > 0 ? { replies: [...next.replies, ...notes] } : {}),
  };
}

/**
 * The facts the customer signed in with (those the tenant's identity fact was derived from), once
 * the customer is signed in; none before.
 */
function signedInWith(
  deps: StepDependencies,
  facts: Record<string, unknown>,
  flow: { readonly depends: Record<string, string[]> } | undefined,
): ReadonlySet<string> {
  const identity = deps.tools.identity?.fact;
  if (identity === undefined || facts[identity] === undefined || facts[identity] === null || !flow)
    return new Set();
  const found = new Set<string>();
  let frontier = [identity];
  while (frontier.length > 0) {
    const next = frontier.flatMap((fact) => flow.depends[fact] ?? []).filter((fact) => !found.has(fact));
    for (const fact of next) found.add(fact);
    frontier = next;
  }
  return found;
}

/**
 * "No, refund it to my PayPal instead." at a confirmation: a different value for a detail of the
 * action is a change of the action, not a refusal of it. Read as a correction (whatever act the model
 * gave), so the procedure goes back to where that detail was asked, takes the new value and asks for
 * confirmation again; nothing is written on it.
 */
function changeAtConfirmation(
  understanding: Understanding,
  request: UnderstandRequest,
  awaiting: Awaiting | null,
): Understanding {
  if (awaiting?.kind !== 'confirm' || understanding.act !== 'none' || understanding.consent === 'agree')
    return understanding;
  const changed = request.slots.some((slot) => {
    const value = understanding.slots[slot.name];
    return (
      slot.current !== undefined && value !== undefined && value !== null && !sameValue(slot.current, value)
    );
  });
  return changed ? { ...understanding, act: 'correction' } : understanding;
}

const DEFAULT_POLICY = conversationPolicy();

/** What the pause waits for, as the compiled `.wait` states wrote it. */
function awaitingOf(raw: Record<string, unknown> | undefined): Awaiting | null {
  if (!raw) return null;
  if (raw.kind === 'confirm' && typeof raw.key === 'string')
    return { kind: 'confirm', key: raw.key, question: typeof raw.question === 'string' ? raw.question : '' };
  if (raw.kind === 'slots' && Array.isArray(raw.slots))
    return {
      kind: 'slots',
      slots: raw.slots as RepairSlot[],
      groups: Array.isArray(raw.groups) ? (raw.groups as string[][]) : [],
    };
  return null;
}

/** The facts derived, directly or not, from any of `names`. */
function dependentsOf(names: readonly string[], depends: Record<string, string[]>): string[] {
  const cleared = new Set<string>();
  let frontier = [...names];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const [fact, on] of Object.entries(depends))
      if (!cleared.has(fact) && on.some((name) => frontier.includes(name))) {
        cleared.add(fact);
        next.push(fact);
      }
    frontier = next;
  }
  return [...cleared].sort();
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string')
    return a.trim().toLowerCase() === b.trim().toLowerCase();
  return JSON.stringify(a) === JSON.stringify(b);
}

export async function runTool(deps: StepDependencies, input: unknown): Promise<TurnState> {
  if (isComputeInput(input)) return computeFact(deps, input);
  const { state, call } = ToolInputSchema.parse(input);
  if (call.each) return lookUpEach(deps, state, { ...call, each: call.each });
  const tool = deps.tools.catalogue.get(call.tool);
  const implementation = deps.tools.implementations[call.tool];
  if (!tool || !implementation) throw new Error(`Tool "${call.tool}" is not in this tenant's catalogue`);
  const produces = call.produces ?? tool.produces;
  const key = `${call.action}`;
  // Guards are checked against the event log, not against anything the model or the state says.
  const guarded =
    (tool.guards.requires?.length ?? 0) > 0 || tool.guards.owns !== undefined || tool.guards.confirm;
  const log = guarded ? await guardView(deps, state) : null;
  // Only a write changes the world: its check and request are made durable before it runs, and its
  // outcome right after. A read's events wait for the turn's end with the rest (deferAppends).
  const durable = tool.effect !== 'read';
  if (tool.effect === 'write' && log?.confirmation) {
    // A write this confirmation already led to (a turn interrupted after it, answered again): its
    // recorded outcome is the answer; the customer is told what happened, nothing acts twice.
    const done = await recordedWrite(deps, state, idempotencyKeyOf(state, call.action, log));
    if (done !== undefined) {
      const next = await record(deps, state, `${key}-recorded`, [
        {
          type: 'slot.filled',
          actor: 'system',
          step: call.step,
          data: { name: produces, value: done as never, source: 'tool' },
        },
      ]);
      return { ...next, facts: { ...next.facts, [produces]: done } };
    }
  }
  const checks: { guard: string; passed: boolean; reason?: string }[] = [];
  if (tool.guards.requires?.includes('authenticated')) {
    checks.push(
      log?.customerId
        ? { guard: 'authenticated', passed: true }
        : {
            guard: 'authenticated',
            passed: false,
            reason: 'No customer has been authenticated in this conversation.',
          },
    );
  }
  if (tool.guards.owns && log?.customerId) {
    const id = call.args[tool.guards.owns.arg];
    const owner =
      typeof id === 'string' ? await deps.tools.ownerOf(tool.guards.owns.resource, id) : undefined;
    const passed = owner !== undefined && owner === log.customerId;
    checks.push(
      passed
        ? { guard: 'owns', passed }
        : {
            guard: 'owns',
            passed,
            reason:
              owner === undefined
                ? `No ${tool.guards.owns.resource} ${String(id)} exists.`
                : `${tool.guards.owns.resource} ${String(id)} belongs to another customer.`,
          },
    );
  }
  if (tool.guards.confirm) {
    // Consent is the customer's latest message agreeing, unconditionally, to the question that
    // described this action: recorded in this very turn, and not yet used by another write.
    const c = log?.confirmation ?? null;
    const passed =
      c !== null &&
      c.confirmed === true &&
      c.usedSeq === null &&
      c.answeredTurn === state.ctx.turn &&
      !c.incomplete;
    checks.push(
      passed
        ? { guard: 'confirmed', passed }
        : {
            guard: 'confirmed',
            passed,
            reason: c?.incomplete
              ? 'The confirmation question could not name every detail of the action.'
              : 'The customer has not confirmed this action since it was described.',
          },
    );
  }
  const guardEvents = checks.map((check) => ({
    type: 'guard.checked' as const,
    actor: 'system' as const,
    step: call.step,
    data: { tool: tool.name, ...check },
  }));
  const failed = checks.find((check) => !check.passed);
  if (failed) {
    const next = await record(deps, state, `${key}-guard`, [
      ...guardEvents,
      {
        type: 'tool.failed',
        actor: 'system',
        step: call.step,
        data: {
          tool: tool.name,
          error: { code: `guard_${failed.guard}`, message: failed.reason ?? failed.guard },
          retryable: false,
        },
      },
      {
        type: 'slot.filled',
        actor: 'system',
        step: call.step,
        data: { name: produces, value: null, source: 'tool' },
      },
    ]);
    const facts = { ...next.facts };
    delete facts[produces];
    return { ...next, facts: { ...facts, [produces]: null } };
  }
  await checkRefundCap(deps, tool, call.args);
  const parsedInput = tool.input.safeParse(call.args);
  const idempotencyKey = idempotencyKeyOf(state, call.action, log);
  // tool.requested is durable before the call: a crash after it is visible to audit and retried with the same key.
  let next = await record(
    deps,
    state,
    `${key}-requested`,
    [
      ...guardEvents,
      {
        type: 'tool.requested',
        actor: 'agent',
        step: call.step,
        data: { tool: tool.name, input: call.args as never, idempotencyKey },
      },
    ],
    { durable },
  );
  const now = deps.now ?? (() => performance.now());
  const started = now();
  let output: unknown;
  let failure: { code: string; message: string } | null = null;
  if (!parsedInput.success)
    failure = {
      code: 'invalid_input',
      message: parsedInput.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; '),
    };
  else {
    try {
      output = await implementation(parsedInput.data as never, {
        idempotencyKey,
        conversationId: state.ctx.conversationId,
        ...(log?.customerId ? { customerId: log.customerId } : {}),
        ...(deps.sealerFor ? { sealer: deps.sealerFor(state.ctx.conversationId) } : {}),
      });
    } catch (error) {
      if (!isToolError(error))
        throw new ToolUnavailable(
          `${tool.name} failed: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      failure = { code: error.code, message: error.message };
    }
  }
  const latencyMs = Math.round(now() - started);
  const facts = { ...next.facts };
  if (failure) {
    next = await record(
      deps,
      next,
      `${key}-result`,
      [
        {
          type: 'tool.failed',
          actor: 'agent',
          step: call.step,
          data: { tool: tool.name, error: failure, retryable: false },
        },
        {
          type: 'slot.filled',
          actor: 'system',
          step: call.step,
          data: { name: produces, value: null, source: 'tool' },
        },
      ],
      { durable },
    );
    return { ...next, facts: { ...facts, [produces]: null } };
  }
  const events: StepEvent[] = [
    {
      type: 'tool.succeeded',
      actor: 'agent',
      step: call.step,
      data: { tool: tool.name, output: output as never, latencyMs, effect: tool.effect },
    },
    {
      type: 'slot.filled',
      actor: 'system',
      step: call.step,
      data: { name: produces, value: output as never, source: 'tool' },
    },
  ];
  const customerId = identityOf(output, deps.tools.identity?.fact);
  if (tool.establishes?.includes('authenticated') && customerId !== undefined) {
    events.push({
      type: 'customer.authenticated',
      actor: 'system',
      step: call.step,
      data: { customerId, tool: tool.name },
    });
  }
  next = await record(deps, next, `${key}-result`, events, { durable });
  return { ...next, facts: { ...facts, [produces]: output } };
}

/**
 * The customer a signing-in tool's result names: the result itself when it is text (`"sofia_rossi_8776"`),
 * or the tenant's identity field of it (`{ "user_id": "…", … }` with identity `user_id`).
 */
function identityOf(output: unknown, field: string | undefined): string | undefined {
  if (typeof output === 'string') return output === '' ? undefined : output;
  if (field === undefined || output === null || typeof output !== 'object') return undefined;
  const value = (output as Record<string, unknown>)[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * The tenant's refund cap (`limits.refundCapUsd`): a write that would give back more than the cap is
 * not made, and the turn hands over with the reason, because a person may still approve it. The
 * tenant says what a call would refund (`ToolRuntime.refundOf`, read before the call like `ownerOf`).
 * Checked once the other guards passed and before anything of the call is recorded, so `System.Failed`
 * hands over from the turn state as it was.
 */
/**
 * `Look up each of the user's orders with @get_order_details (at most 10)`: one ordinary read per id
 * (guards, events and all), the last `max` ids when there are more; the results, in the list's order,
 * become the list fact (`orders`). An id the tool cannot find gives no entry. The single result's fact
 * (`order`) is left as it was before.
 */
async function lookUpEach(
  deps: StepDependencies,
  state: TurnState,
  call: ReturnType<typeof ToolInputSchema.parse>['call'] & {
    each: NonNullable<ReturnType<typeof ToolInputSchema.parse>['call']['each']>;
  },
): Promise<TurnState> {
  const { each, ...single } = call;
  const ids = (Array.isArray(each.ids) ? each.ids : []).slice(-each.max);
  const produces = call.produces ?? deps.tools.catalogue.get(call.tool)?.produces ?? call.tool;
  const before = state.facts[produces];
  const results: unknown[] = [];
  let current = state;
  for (const [index, id] of ids.entries()) {
    current = await runTool(deps, {
      state: current,
      call: { ...single, action: `${call.action}#${index + 1}`, args: { ...single.args, [each.arg]: id } },
    });
    const result = current.facts[produces];
    if (result !== null && result !== undefined) results.push(result);
  }
  const next = await record(deps, current, `${call.action}-each`, [
    {
      type: 'slot.filled',
      actor: 'system',
      step: call.step,
      data: { name: each.into, value: results as never, source: 'tool' },
    },
    // The log, like the state, keeps the single result's fact as it was (a later turn folds it back).
    {
      type: 'slot.filled',
      actor: 'system',
      step: call.step,
      data: { name: produces, value: (before ?? null) as never, source: 'tool' },
    },
  ]);
  const facts = { ...next.facts, [each.into]: results };
  if (before === undefined) delete facts[produces];
  else facts[produces] = before;
  return { ...next, facts };
}

/**
 * A computed fact (compute.ts): worked out from the facts and recorded like a read's result, with the
 * turn's other events (it changes nothing in the world).
 */
async function computeFact(deps: StepDependencies, input: unknown): Promise<TurnState> {
  const { state, compute } = ComputeInputSchema.parse(input);
  const value = evaluate(compute.expr, state.facts) ?? null;
  const next = await record(deps, state, `${compute.action}-computed`, [
    {
      type: 'slot.filled',
      actor: 'system',
      step: compute.step,
      data: { name: compute.name, value: value as never, source: 'computed' },
    },
  ]);
  return { ...next, facts: { ...next.facts, [compute.name]: value } };
}

async function checkRefundCap(deps: StepDependencies, tool: ToolDeclaration, args: unknown): Promise<void> {
  const cap = deps.limits?.refundCapUsd;
  if (cap === undefined || tool.effect !== 'write' || !deps.tools.refundOf) return;
  const amount = await deps.tools.refundOf(tool.name, args);
  if (amount === undefined || amount <= cap) return;
  throw new GuardRefusedError(
    tool.name,
    'refund_cap',
    `${tool.name} would refund ${usd(amount)}, over this tenant's cap of ${usd(cap)} for a refund without a person (limits.refundCapUsd); a colleague must approve it.`,
  );
}

const usd = (amount: number) => `${amount.toFixed(2)} USD`;

/**
 * A write's idempotency key names the confirmed action, not the turn: the conversation, the action
 * and the seq of the confirmation question the customer agreed to. A turn interrupted by a crash and
 * answered again, or the same question answered yes again, calls the tool with the same key, and the
 * tool returns the outcome it recorded instead of acting twice.
 */
function idempotencyKeyOf(state: TurnState, action: string, log: ReturnType<typeof fold> | null): string {
  const confirmation = log?.confirmation;
  const scope = confirmation ? `c${confirmation.requestedSeq}` : `${state.ctx.turn}`;
  return `${state.ctx.conversationId}:${action}:${scope}`;
}

/** The output of a write that already succeeded under this key in this conversation, if any. */
async function recordedWrite(
  deps: StepDependencies,
  state: TurnState,
  idempotencyKey: string,
): Promise<unknown> {
  const log = [
    ...(await deps.events.read(state.ctx.conversationId, { toSeq: state.ctx.seq })),
    ...pendingOf(state),
  ];
  let requested = false;
  for (const event of log) {
    if (event.type === 'tool.requested') requested = event.data.idempotencyKey === idempotencyKey;
    else if (requested && event.type === 'tool.succeeded' && event.data.effect === 'write')
      return event.data.output;
  }
  return undefined;
}

/** At most this many ids of a list are looked up to describe them as choices. */
export const MAX_DESCRIBED = 10;

/**
 * The ids of a list offered as choices (`the user's orders`), each looked up with the read tool the
 * compiler chose, so the customer chooses among descriptions ("#W2378156: mechanical keyboard and
 * smart thermostat, delivered"), not ids. Each look-up is an ordinary read (`tool.requested`,
 * `tool.succeeded`, keyed per id, so replay answers it from the recording); the descriptions are one
 * `slot.filled` fact. Ids the authenticated customer does not own are left out; at most MAX_DESCRIBED.
 */
async function describeChoices(
  deps: StepDependencies,
  state: TurnState,
  optionsPath: string,
  describe: { tool: string; arg: string },
  step: string,
  action: string,
): Promise<{ state: TurnState; records: unknown[] | undefined }> {
  const ids = lookup({ facts: state.facts }, optionsPath.replace(/^\$\./, '').split('.'));
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) return { state, records: undefined };
  const key = describedKey(optionsPath);
  const known = state.facts[key] as { of?: unknown; records?: unknown[] } | undefined;
  if (known && JSON.stringify(known.of) === JSON.stringify(ids)) return { state, records: known.records };
  const tool = deps.tools.catalogue.get(describe.tool);
  const implementation = deps.tools.implementations[describe.tool];
  if (!tool || !implementation || tool.effect !== 'read') return { state, records: undefined };
  const guarded = (tool.guards.requires?.length ?? 0) > 0 || tool.guards.owns !== undefined;
  const log = guarded ? await guardView(deps, state) : null;
  if (tool.guards.requires?.includes('authenticated') && !log?.customerId)
    return { state, records: undefined };
  const events: StepEvent[] = [];
  const records: unknown[] = [];
  for (const [index, id] of (ids as string[]).slice(-MAX_DESCRIBED).entries()) {
    if (tool.guards.owns) {
      // Checked like any guarded read, and recorded: audit sees it, and replay answers it in order.
      const owner = await deps.tools.ownerOf(tool.guards.owns.resource, id);
      const passed = owner !== undefined && owner === log?.customerId;
      events.push({
        type: 'guard.checked',
        actor: 'system',
        step,
        data: {
          tool: tool.name,
          guard: 'owns',
          passed,
          ...(passed
            ? {}
            : {
                reason:
                  owner === undefined
                    ? `No ${tool.guards.owns.resource} ${id} exists.`
                    : `${tool.guards.owns.resource} ${id} belongs to another customer.`,
              }),
        },
      });
      if (!passed) continue;
    }
    const args = { [describe.arg]: id };
    const parsed = tool.input.safeParse(args);
    if (!parsed.success) continue;
    const idempotencyKey = idempotencyKeyOf(state, `${action}.describe.${index}`, null);
    events.push({
      type: 'tool.requested',
      actor: 'agent',
      step,
      data: { tool: tool.name, input: args as never, idempotencyKey },
    });
    const started = (deps.now ?? (() => performance.now()))();
    try {
      const output = await implementation(parsed.data as never, {
        idempotencyKey,
        conversationId: state.ctx.conversationId,
        ...(log?.customerId ? { customerId: log.customerId } : {}),
      });
      const latencyMs = Math.round((deps.now ?? (() => performance.now()))() - started);
      events.push({
        type: 'tool.succeeded',
        actor: 'agent',
        step,
        data: { tool: tool.name, output: output as never, latencyMs, effect: tool.effect },
      });
      records.push(output);
    } catch (error) {
      if (!isToolError(error)) throw error;
      events.push({
        type: 'tool.failed',
        actor: 'agent',
        step,
        data: { tool: tool.name, error: { code: error.code, message: error.message }, retryable: false },
      });
    }
  }
  const value = { of: ids, records };
  events.push({
    type: 'slot.filled',
    actor: 'system',
    step,
    data: { name: key, value: value as never, source: 'tool' },
  });
  const next = await record(deps, state, `${action}-describe`, events);
  return { state: { ...next, facts: { ...next.facts, [key]: value } }, records };
}

/**
 * The products of the records chosen for a variants question (`the chosen items' products`), each
 * looked up once with the read tool the compiler chose, as an ordinary recorded read (replay answers
 * it in order); the variants, grouped per chosen record, are one `slot.filled` fact.
 */
async function describeVariants(
  deps: StepDependencies,
  state: TurnState,
  spec: VariantsSpec & { slot: string },
  step: string,
  action: string,
): Promise<TurnState> {
  const slot = { name: spec.slot, description: '', schema: {}, variants: spec };
  if (groupsOf(slot, state.facts)) return state;
  const records = chosenRecords(spec, state.facts);
  const tool = deps.tools.catalogue.get(spec.tool);
  const implementation = deps.tools.implementations[spec.tool];
  if (!records || !tool || !implementation || tool.effect !== 'read') return state;
  const guarded = (tool.guards.requires?.length ?? 0) > 0 || tool.guards.owns !== undefined;
  const log = guarded ? await guardView(deps, state) : null;
  if (tool.guards.requires?.includes('authenticated') && !log?.customerId) return state;
  const events: StepEvent[] = [];
  const products = new Map<string, unknown>();
  const keys = [...new Set(records.map((record) => String(record[spec.key])))];
  for (const [index, key] of keys.entries()) {
    const args = { [spec.key]: key };
    const parsed = tool.input.safeParse(args);
    if (!parsed.success) continue;
    const idempotencyKey = idempotencyKeyOf(state, `${action}.variants.${index}`, null);
    events.push({
      type: 'tool.requested',
      actor: 'agent',
      step,
      data: { tool: tool.name, input: args as never, idempotencyKey },
    });
    const started = (deps.now ?? (() => performance.now()))();
    try {
      const output = await implementation(parsed.data as never, {
        idempotencyKey,
        conversationId: state.ctx.conversationId,
        ...(log?.customerId ? { customerId: log.customerId } : {}),
      });
      const latencyMs = Math.round((deps.now ?? (() => performance.now()))() - started);
      events.push({
        type: 'tool.succeeded',
        actor: 'agent',
        step,
        data: { tool: tool.name, output: output as never, latencyMs, effect: tool.effect },
      });
      products.set(key, output);
    } catch (error) {
      if (!isToolError(error)) throw error;
      events.push({
        type: 'tool.failed',
        actor: 'agent',
        step,
        data: { tool: tool.name, error: { code: error.code, message: error.message }, retryable: false },
      });
    }
  }
  const value = { of: chosenIds(spec, state.facts), groups: buildGroups(spec, records, products) };
  const key = variantsKey(spec.slot);
  events.push({
    type: 'slot.filled',
    actor: 'system',
    step,
    data: { name: key, value: value as never, source: 'tool' },
  });
  const next = await record(deps, state, `${action}-variants`, events);
  return { ...next, facts: { ...next.facts, [key]: value } };
}

/**
 * A question for ids asked with the choices listed under it says what is chosen, not its id (the
 * customer picks in words): "Could you tell me your item ids?" → "Which items? You can name several.",
 * "Could you tell me your payment method id?" → "Which payment method?". Other questions stay.
 */
function choiceQuestion(text: string): string {
  const asked = /^Could you tell me your ([a-z][a-z ]*?) (ids?)\?$/.exec(text);
  if (!asked) return text;
  return asked[2] === 'ids' ? `Which ${asked[1]}s? You can name several.` : `Which ${asked[1]}?`;
}

/** "vacuum cleaner" from "#W8535951: vacuum cleaner, delivered". */
function firstThing(label: string): string {
  const contents = label.includes(': ') ? label.slice(label.indexOf(': ') + 2) : label;
  return (contents.split(/,| and /)[0] ?? contents).replace(/^\d+ × /, '').trim();
}

export async function reply(deps: StepDependencies, input: unknown): Promise<TurnState> {
  const parsed = ReplyInputSchema.parse(input);
  const { say } = parsed;
  let { state } = parsed;
  let text = render(say.text, state.facts);
  if (say.known) {
    if (say.answers) {
      const early = await earlyAnswers(deps, state, say, say.answers);
      if (early.state) return early.state;
      state = early.recorded;
    }
    // The records the agent already knows are listed; the customer picks one or tells a new one.
    text = knownQuestion(say.known, knownChoices(say.known, state.facts)) ?? text;
  } else if (say.variants) {
    state = await describeVariants(deps, state, say.variants, say.step, say.action);
    const slot = { name: say.variants.slot, description: '', schema: {}, variants: say.variants };
    text = variantQuestion(slot, state.facts) ?? text;
  } else if (say.options && say.describe) {
    const described = await describeChoices(deps, state, say.options, say.describe, say.step, say.action);
    state = described.state;
    let options = optionsFrom(described.records, say.describe.arg, deps.conversation?.labels);
    if (say.choice && options.length > 0) {
      const early = await earlyChoice(deps, state, say, say.choice, options, true);
      if (early.state) return early.state;
      state = early.recorded;
      options = early.narrowed ?? options;
    }
    if (options.length > 0) {
      // Offered by description: the customer picks one in their own words, no id needed.
      const noun = say.describe.arg.replace(/_ids?$/, '').replaceAll('_', ' ');
      // The author's own question, if the procedure gives one, else "Which order is it?".
      const question = /^Could you tell me your /.test(text) ? `Which ${noun} is it?` : text;
      text = `${question}\n${options.map((option) => `- ${option.label}`).join('\n')}\nYou can tell me which one in your own words (for example "the one with the ${firstThing(options[0]!.label)}").`;
    }
  } else if (say.options) {
    // The fact offered is the last segment: `$.facts.order.items` lists items, not orders.
    const name = say.options.split('.').pop() ?? '';
    const source = lookup({ facts: state.facts }, say.options.replace(/^\$\./, '').split('.'));
    const slotName = name === 'items' ? 'item_ids' : 'id';
    let options = optionsFrom(source, slotName, deps.conversation?.labels);
    // Listed with what each paid for (`the user payment methods` are named in other records by
    // `payment_method_id`); an early choice reads the requests against the plain labels, as words
    // like "order" in "which paid for order #W…" are in nearly every request.
    const said = new Map(
      optionsFrom(source, slotName, deps.conversation?.labels, {
        facts: state.facts,
        property: `${name.replace(/s$/, '')}_id`,
      }).map((option) => [option.value, option.label]),
    );
    if (say.choice && options.length > 0) {
      const early = await earlyChoice(deps, state, say, say.choice, options, false);
      if (early.state) return early.state;
      state = early.recorded;
      options = early.narrowed ?? options;
    }
    if (options.length > 0)
      text = `${choiceQuestion(text)}\n${options.map((option) => `- ${said.get(option.value) ?? option.label}`).join('\n')}`;
  }
  const events: StepEvent[] = [
    { type: 'message.sent', actor: 'agent', step: say.step, data: { text, stepId: say.action } },
  ];
  if (say.confirm) {
    // A question that cannot name every detail of the action is not one a yes can consent to: it is
    // recorded as incomplete, and the write's guard refuses it.
    const missing = missingFacts(say.text, state.facts);
    events.unshift({
      type: 'confirmation.requested',
      actor: 'agent',
      step: say.step,
      data: { stepId: say.confirm, text, ...(missing.length > 0 ? { missing } : {}) },
    });
  }
  const next = await record(deps, state, `${say.action}-say`, events);
  const confirm = { ...next.confirm };
  if (say.confirm) delete confirm[say.confirm];
  const { taken: _taken, ...rest } = next;
  return { ...rest, confirm, replies: [...state.replies, text] };
}

export async function handoff(deps: StepDependencies, input: unknown): Promise<TurnState> {
  const { state, handoff: request } = HandoffInputSchema.parse(input);
  const { conversationId, seq } = state.ctx;
  const log = [...(await deps.events.read(conversationId, { toSeq: seq })), ...pendingOf(state)];
  const reason = handoffReason(request.reason, request.error);
  const summary = handoffSummary(log, { aopId: state.ctx.aop.id, reason });
  const text = handoffText(deps.conversation ?? DEFAULT_POLICY);
  const alreadySaid = state.replies[state.replies.length - 1] === text;
  // With a helpdesk, the hand-off is written before its ticket is opened (a side effect outside the log).
  const requestedAt = seq + pendingOf(state).length + 1;
  const next = await record(
    deps,
    state,
    `${request.action}-handoff`,
    [
      {
        type: 'handoff.requested',
        actor: 'agent',
        step: request.step,
        data: { reason, summary },
      },
      ...(alreadySaid
        ? []
        : [
            {
              type: 'message.sent' as const,
              actor: 'agent' as const,
              step: request.step,
              data: { text, stepId: request.action },
            },
          ]),
    ],
    { durable: deps.helpdesk !== undefined },
  );
  const ticketed = deps.helpdesk
    ? await openTicket(deps, deps.helpdesk, next, {
        forSeq: requestedAt,
        reason,
        summary,
        step: request.step,
        action: request.action,
      })
    : next;
  return {
    ...ticketed,
    replies: alreadySaid ? state.replies : [...state.replies, text],
    status: 'escalated',
  };
}

/**
 * Opens the hand-off's ticket in the tenant's helpdesk and records it. The key is the hand-off's seq, so
 * a retried step opens one ticket (the connector sends it as `Idempotency-Key`). A helpdesk that fails
 * is recorded and the hand-off stands: the conversation is escalated either way.
 */
async function openTicket(
  deps: StepDependencies,
  helpdesk: HandoffConnector,
  state: TurnState,
  handoff: { forSeq: number; reason: string; summary: string; step: string; action: string },
): Promise<TurnState> {
  const { conversationId } = state.ctx;
  const identity = deps.tools.identity?.fact;
  const customer = identity === undefined ? undefined : state.facts[identity];
  let outcome: { ticketId: string | null; error?: string };
  try {
    const opened = await helpdesk.open(
      {
        conversationId,
        reason: handoff.reason,
        summary: handoff.summary,
        timelineUrl: deps.timelineUrl?.(conversationId) ?? '',
        ...(typeof customer === 'string' ? { customerId: customer } : {}),
      },
      `${conversationId}:handoff:${handoff.forSeq}`,
    );
    outcome = { ticketId: opened.ticketId };
  } catch (error) {
    outcome = { ticketId: null, error: (error as Error).message.slice(0, 500) };
  }
  return record(
    deps,
    state,
    `${handoff.action}-handoff-ticket`,
    [
      {
        type: 'handoff.ticket',
        actor: 'system',
        step: handoff.step,
        data: { system: helpdesk.system, forSeq: handoff.forSeq, ...outcome },
      },
    ],
    { durable: true },
  );
}

/**
 * Why a turn is handed over. `System.Failed` passes the error it caught: a guard's refusal is the
 * reason itself; any other error is named after the fixed reason, so the person taking over sees what
 * failed (a model the service refused, a tool outage that outlasted its retries).
 */
function handoffReason(reason: string, error: { Error?: string; Cause?: string } | undefined): string {
  if (!error) return reason;
  const message = caughtMessage(error);
  if (error.Error === ASL_ERRORS.guardRefused && message) return message;
  return `${reason} ${error.Error ?? 'Error'}: ${message}`.slice(0, 2000);
}
