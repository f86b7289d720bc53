import { type ConversationState, fold } from '../../shared/engine/fold.ts';
import type { ConversationPolicy } from '../../shared/engine/repair.ts';
import type { StoredEvent } from '../../shared/events/catalogue.ts';
import type { LoggedEvent } from '../conversation-tests/chat-client.ts';
import { DEFAULT_MAX_REPEATS } from '../conversation-tests/format.ts';
import { toolCalls } from '../conversation-tests/run.ts';
import { type Awaiting, type Choice, choicesAt, type Random, random, roughen } from './customer.ts';
import type { RepairPattern } from './targets.ts';
import type { DataChange, SimulationWorld } from './world.ts';

/**
 * One simulated conversation on the local platform: the customer opens with a request, then answers
 * each question the agent waits on with the choice its plan names (the first choice where the plan
 * names none), once interrupting with a repair pattern if the plan says so. Every turn goes over the
 * chat API as a channel sends it; what the agent did is read from the conversation's event log.
 */

export interface Plan {
  readonly aopId: string;
  readonly persona: Readonly<Record<string, unknown>>;
  readonly opening: string;
  /** The choice (index into `choicesAt`) at each question, in the order asked. */
  readonly decisions: readonly number[];
  /**
   * For a retelling, what the reference meant: at each question the choice that means what the
   * reference's answer to the same question meant, wherever it is listed; at a question the reference
   * was never asked (its first message had answered it: "the shirt i received"), the choice that
   * means what the reference's conversation ended up holding. A typo in the request can leave a list
   * whole that the reference saw narrowed, where "the first one" is another order.
   */
  readonly meant?: {
    readonly decisions: readonly {
      readonly action: string;
      readonly chosen: number;
      readonly intended: Readonly<Record<string, unknown>>;
    }[];
    readonly facts: Readonly<Record<string, unknown>>;
  };
  /** Typed as an impatient customer types (fillers, case, a typo, other phrasings); else plainly. */
  readonly noisy: boolean;
  readonly seed: number;
  /**
   * Where the plan names no choice: which of the regular choices (not a probe) this customer prefers,
   * so that customers explored one after another start down different paths.
   */
  readonly preference?: number;
  /** How often one message may be sent before it counts as the agent repeating itself. */
  readonly maxRepeats?: number;
  /** A repair pattern, said instead of the answer at the question of this index (then the answer). */
  readonly repair?: { readonly pattern: RepairPattern; readonly at: number };
}

export interface AskedDecision {
  readonly action: string;
  readonly kind: string;
  readonly options: readonly string[];
  readonly chosen: number;
  readonly intended: Readonly<Record<string, unknown>>;
}

export interface WriteCall {
  readonly tool: string;
  readonly input: unknown;
  readonly outcome: 'succeeded' | 'failed' | 'no outcome';
}

export interface ConversationRun {
  readonly plan: Plan;
  readonly conversationId: string | undefined;
  readonly transcript: readonly { customer: string; reply: string; status: string }[];
  readonly decisions: readonly AskedDecision[];
  /** What the conversation held at its end. */
  readonly facts: Readonly<Record<string, unknown>>;
  readonly states: readonly string[];
  readonly writes: readonly WriteCall[];
  /** `tool:guard` of each guard that refused. */
  readonly refused: readonly string[];
  readonly changes: readonly DataChange[];
  readonly status: string;
  readonly routedTo: string | undefined;
  /** What went wrong whatever the path: a misunderstanding, a repair not kept, a broken invariant. */
  readonly problems: readonly string[];
  /** The repair pattern was used and kept (its expectation held). */
  readonly repaired: boolean;
  readonly ms: number;
}

const MAX_TURNS = 24;

export interface DriveContext {
  readonly world: SimulationWorld;
  readonly policy: ConversationPolicy;
  readonly writeTools: ReadonlySet<string>;
  readonly others: readonly Readonly<Record<string, unknown>>[];
}

export async function drive(plan: Plan, context: DriveContext): Promise<ConversationRun> {
  const started = performance.now();
  const { world, policy } = context;
  const rng = random(plan.seed);
  const transcript: { customer: string; reply: string; status: string }[] = [];
  const decisions: AskedDecision[] = [];
  const problems: string[] = [];
  let conversationId: string | undefined;
  let events: LoggedEvent[] = [];
  let state: ConversationState | undefined;
  let repaired = false;
  let stopAfter: 'cancel' | 'human-please' | undefined;
  let pending:
    | { check: (before: number, after: ConversationState, reply: string) => string | undefined }
    | undefined;

  const send = async (text: string): Promise<boolean> => {
    const answer = conversationId ? await world.chat.say(conversationId, text) : await world.chat.start(text);
    if ('error' in answer) {
      problems.push(`turn ${transcript.length + 1} ${JSON.stringify(text)}: ${answer.error}`);
      return false;
    }
    conversationId = answer.conversationId;
    transcript.push({ customer: text, reply: answer.text, status: answer.status });
    const log = await world.chat.events(conversationId);
    if ('error' in log) {
      problems.push(`events: ${log.error}`);
      return false;
    }
    const before = events.length;
    events = log.events;
    state = fold(events as unknown as StoredEvent[]);
    if (pending) {
      const broken = pending.check(before, state, answer.text);
      if (broken) problems.push(`turn ${transcript.length} ${JSON.stringify(text)}: ${broken}`);
      else repaired = true;
      pending = undefined;
    }
    return true;
  };

  const opening = plan.noisy ? roughen(plan.opening, rng, [], { typos: true }) : plan.opening;
  let alive = await send(opening);
  // "Which do you need: "modify order address" or "change default address"?": the customer says which.
  const name = plan.aopId.replaceAll('-', ' ');
  if (
    alive &&
    state &&
    !state.aop &&
    state.status === 'active' &&
    transcript.at(-1)?.reply.includes(`"${name}"`)
  )
    alive = await send(plan.noisy ? roughen(name, rng, []) : name);
  while (alive && state && transcript.length < MAX_TURNS) {
    if (state.status !== 'active' || state.aop?.id !== plan.aopId || !state.awaiting) break;
    const awaiting = state.awaiting as unknown as Awaiting;
    const index = decisions.length;
    if (plan.repair && plan.repair.at === index && !repaired && !stopAfter) {
      const repair = repairTurn(plan.repair.pattern, awaiting, policy, rng);
      if (repair) {
        pending = repair;
        if (repair.stops) stopAfter = plan.repair.pattern as 'cancel' | 'human-please';
        alive = await send(repair.text);
        if (stopAfter) break;
        continue;
      }
    }
    const choices: Choice[] = choicesAt(awaiting, state.facts, {
      persona: plan.persona,
      others: context.others,
      labels: policy.labels,
    });
    if (choices.length === 0) {
      problems.push(
        `the simulated customer has no answer to ${awaiting.action ?? awaiting.kind} (${slotNames(awaiting)})`,
      );
      break;
    }
    // Where the plan says nothing (a question asked again after a refusal), the next choice, as a
    // customer told "that one is not available" picks another.
    // Asked to confirm again (the answer was not clear), the customer means what it meant.
    const previous = decisions.at(-1);
    const again = previous?.action === (awaiting.action ?? awaiting.kind);
    const regular = choices.flatMap((choice, position) => (choice.probe ? [] : [position]));
    const preferred = regular.length > 0 ? regular[(plan.preference ?? 0) % regular.length]! : 0;
    const fallback = again
      ? (previous!.chosen + (awaiting.kind === 'confirm' ? 0 : 1)) % choices.length
      : preferred;
    const same = meantChoice(plan.meant, awaiting.action ?? awaiting.kind, decisions, choices);
    const chosen = same >= 0 ? same : Math.min(plan.decisions[index] ?? fallback, choices.length - 1);
    const choice = choices[chosen]!;
    decisions.push({
      action: awaiting.action ?? awaiting.kind,
      kind: awaiting.kind,
      options: choices.map((candidate) => candidate.label),
      chosen,
      intended: choice.intended,
    });
    const words = choice.say(rng, plan.noisy);
    const values = Object.values(choice.intended)
      .flatMap((value) => (Array.isArray(value) ? value : [value]))
      .map(String);
    const before = events.length;
    alive = await send(
      plan.noisy ? roughen(words, rng, values, { consent: awaiting.kind === 'confirm' }) : words,
    );
    if (alive) problems.push(...misread(choice, events.slice(before)));
  }
  if (alive && transcript.length >= MAX_TURNS) problems.push(`no end after ${MAX_TURNS} turns`);
  // A turn still running (its answer timed out, a tool being retried) finishes before the log is judged
  // and the data put back: restoring under a running turn would undo its write after the fact.
  if (conversationId) {
    const settled = await untilIdle(world, conversationId);
    if (settled) {
      events = settled;
      state = fold(events as unknown as StoredEvent[]);
    } else problems.push('a turn was still running 60 s after its message');
  }
  const writes = writeCalls(events, context.writeTools);
  const refused = events
    .filter((event) => event.type === 'guard.checked' && event.data.passed === false)
    .map((event) => `${String(event.data.tool)}:${String(event.data.guard)}`);
  if (conversationId) {
    problems.push(...repeats(events, plan.maxRepeats ?? DEFAULT_MAX_REPEATS));
    const verified = await world.chat.verify(conversationId);
    if (verified !== true) problems.push(`the event log does not verify: ${verified}`);
  }
  const selected = events.find((event) => event.type === 'aop.selected');
  const routedTo =
    typeof selected?.data.aopId === 'string'
      ? selected.data.aopId
      : (selected?.aop as { id?: string } | undefined)?.id;
  const states = conversationId ? [...(await world.statesOf(conversationId))] : [];
  const changes = conversationId ? await world.settle(conversationId) : [];
  return {
    plan,
    conversationId,
    transcript,
    decisions,
    facts: { ...(state?.facts ?? {}) },
    states,
    writes,
    refused,
    changes,
    status: state?.status ?? 'new',
    routedTo: routedTo ?? state?.aop?.id,
    problems,
    repaired,
    ms: performance.now() - started,
  };
}

/** The conversation's log once no turn is open (polled), or undefined after 60 s. */
async function untilIdle(world: SimulationWorld, conversationId: string): Promise<LoggedEvent[] | undefined> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const log = await world.chat.events(conversationId);
    if (!('error' in log) && fold(log.events as unknown as StoredEvent[]).openTurn === null)
      return log.events;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return undefined;
}

function slotNames(awaiting: Awaiting): string {
  return (awaiting.slots ?? []).map((slot) => slot.name).join(', ') || awaiting.kind;
}

/** The position of the choice that means what the reference meant here (see `Plan.meant`), or -1. */
function meantChoice(
  meant: Plan['meant'],
  action: string,
  asked: readonly AskedDecision[],
  choices: readonly Choice[],
): number {
  if (!meant) return -1;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  // The reference's answers to this question, in order; this is the n-th time it is asked.
  const answers = meant.decisions.filter((decision) => decision.action === action);
  const nth = asked.filter((decision) => decision.action === action).length;
  const answer = answers[nth];
  if (answer) {
    const position = choices.findIndex((choice) => same(choice.intended, answer.intended));
    // A yes or a no means nothing but its place.
    return Object.keys(answer.intended).length > 0 && position >= 0
      ? position
      : Math.min(answer.chosen, choices.length - 1);
  }
  if (answers.length > 0) return -1;
  return choices.findIndex(
    (choice) =>
      Object.keys(choice.intended).length > 0 &&
      Object.entries(choice.intended).every(([slot, value]) => same(meant.facts[slot], value)),
  );
}

/** The values the customer meant that the agent took otherwise (a misunderstanding), from the turn's events. */
function misread(choice: Choice, turn: readonly LoggedEvent[]): string[] {
  const filled = new Map<string, unknown>();
  for (const event of turn)
    if (event.type === 'slot.filled' && (event.data.source === 'model' || event.data.source === 'customer'))
      filled.set(String(event.data.name), event.data.value);
  const problems: string[] = [];
  for (const [slot, meant] of Object.entries(choice.intended)) {
    if (!filled.has(slot) || (choice.probe && filled.get(slot) === null)) {
      if (choice.probe) continue;
      problems.push(`meant ${slot} = ${JSON.stringify(meant)} (${choice.label}), the agent did not take it`);
      continue;
    }
    const took = filled.get(slot);
    if (canonical(took) !== canonical(meant))
      problems.push(
        `meant ${slot} = ${JSON.stringify(meant)} (${choice.label}), the agent took ${JSON.stringify(took)}`,
      );
  }
  return problems;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return JSON.stringify(value.map(String).sort());
  return JSON.stringify(typeof value === 'number' ? String(value) : value);
}

/** The write calls and their outcomes, as `aop test` pairs them (cli/conversation-tests/run.ts). */
function writeCalls(events: readonly LoggedEvent[], writeTools: ReadonlySet<string>): WriteCall[] {
  return toolCalls(events)
    .filter((call) => writeTools.has(call.tool))
    .map(({ tool, input, outcome }) => ({ tool, input, outcome }));
}

function repeats(events: readonly LoggedEvent[], limit: number): string[] {
  const counts = new Map<string, number>();
  for (const event of events)
    if (event.type === 'message.sent' && typeof event.data.text === 'string')
      counts.set(event.data.text, (counts.get(event.data.text) ?? 0) + 1);
  const repeated = [...counts].find(([, count]) => count > limit);
  return repeated ? [`the agent sent ${JSON.stringify(repeated[0].slice(0, 80))} ${repeated[1]} times`] : [];
}

interface RepairTurn {
  readonly text: string;
  readonly stops: boolean;
  check(before: number, after: ConversationState, reply: string): string | undefined;
}

/**
 * The repair pattern's words at this question, and what must hold after it: the same question still
 * waiting and nothing done (a digression, "what?", thanks, a question or a "maybe" at a confirmation),
 * the procedure left with nothing changed ("never mind"), or a person taking over.
 */
function repairTurn(
  pattern: RepairPattern,
  awaiting: Awaiting,
  policy: ConversationPolicy,
  rng: Random,
): RepairTurn | undefined {
  const atConfirm = awaiting.kind === 'confirm';
  const forConfirm = pattern === 'question-at-confirmation' || pattern === 'unclear-consent';
  if (atConfirm !== forConfirm) return undefined;
  const question = awaiting.action;
  const sameQuestion = (after: ConversationState, why: string) => {
    const now = (after.awaiting as unknown as Awaiting | null)?.action;
    if (after.status !== 'active') return `${why}: the conversation became ${after.status}`;
    if (now !== question) return `${why}: the agent moved from ${question} to ${now ?? 'nothing'}`;
    return undefined;
  };
  const faq = policy.faq.length > 0 ? rng.pick(policy.faq) : undefined;
  const asked = faq ? faq.question.split(/(?<=\?)\s/)[0]!.toLowerCase() : 'how long does this take?';
  switch (pattern) {
    case 'digression':
    case 'question-at-confirmation':
      return {
        text: pattern === 'digression' ? asked : `wait, ${asked}`,
        stops: false,
        check: (_, after, reply) =>
          sameQuestion(after, `a question (${faq?.id ?? 'no FAQ'})`) ??
          (faq && !reply.includes(faq.answer.slice(0, 40))
            ? `a question (${faq.id}) was not answered from the FAQ: ${JSON.stringify(reply.slice(0, 120))}`
            : undefined),
      };
    case 'repeat':
      return {
        text: rng.pick(['sorry, what?', 'what do you mean?', 'huh?']),
        stops: false,
        check: (_, after) => sameQuestion(after, '"what?"'),
      };
    case 'not-understood':
      return {
        text: rng.pick(['???', 'asdfgh', 'hmm']),
        stops: false,
        check: (_, after) => sameQuestion(after, 'an answer with nothing in it'),
      };
    case 'thanks':
      return {
        text: rng.pick(['ok thanks', 'thank you']),
        stops: false,
        check: (_, after) => sameQuestion(after, 'thanks'),
      };
    case 'unclear-consent':
      return {
        text: rng.pick(['hmm maybe', 'not sure yet', 'let me think']),
        stops: false,
        check: (_, after) => sameQuestion(after, 'a reply that neither agrees nor declines'),
      };
    case 'cancel':
      return {
        text: rng.pick(['never mind, forget it', 'cancel that, never mind', 'forget it']),
        stops: true,
        check: (_, after) =>
          after.status === 'escalated'
            ? '"never mind": the conversation was handed over'
            : after.aop !== null &&
                after.awaiting &&
                (after.awaiting as unknown as Awaiting).action === question
              ? '"never mind": the agent asked the same question again'
              : undefined,
      };
    case 'human-please':
      return {
        text: rng.pick(['can i talk to a real person', 'i want a human agent please', 'get me a human']),
        stops: true,
        check: (_, after) =>
          after.status === 'escalated'
            ? undefined
            : `a request for a person left the conversation ${after.status}`,
      };
  }
}
