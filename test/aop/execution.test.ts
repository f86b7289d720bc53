import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../infra/local/sfn-endpoint/asl-walk.ts';
import { rewriteForLocalExecutor } from '../../infra/local/sfn-endpoint/local-rewrites.ts';
import type { RuntimeExpr } from '../../shared/aop/computations.ts';
import { type CompiledAop, compileProject } from '../../shared/aop/index.ts';
import type { AslDefinition, AslState } from '../../shared/aop/lower.ts';
import { evaluate } from '../../shared/engine/compute.ts';
import { retailCatalogue, retailSources, substitutePlaceholders } from './support.ts';

/**
 * Every compiled retail state machine, run turn by turn in the local executor with scripted task
 * results (no model, no tools): each Choice branch (every `Choices[i]` and every `Default`) of every
 * machine must be taken at least once, and every conversation must end resolved or escalated.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type TurnState = { [key: string]: Json } & {
  facts: { [key: string]: Json };
  confirm: { [key: string]: Json };
  pause?: { resume: string; awaiting: { [key: string]: Json } };
  status: string;
  replies?: Json[];
};

/** What the scripted world answers. Queues are consumed one entry per use; when empty, the default. */
interface Scenario {
  readonly name: string;
  /** Which alternative group of an "ask" the customer answers (0 = first, e.g. the email). */
  readonly group?: number;
  /** Per tool: results to return in order (`null` = not found, `'throw'` = the tool fails). */
  readonly tools?: Readonly<Record<string, readonly (Json | 'throw')[]>>;
  /** Answers to confirmation questions in order: yes, no, or `null` for an unclear answer. */
  readonly confirmations?: readonly (boolean | null)[];
  /** The status the order lookup reports. */
  readonly orderStatus?: string;
  /** What the Understand step decides per turn (conversation repair); `null` = nothing, resume. */
  readonly repairs?: readonly (Json | null)[];
  /** From the second turn on, each turn corrects a slot: resume at its first ask (every flow target once). */
  readonly corrections?: boolean;
  /** Every choice question finds its answer in the request's first words (steps.ts earlyChoice). */
  readonly early?: boolean;
  /** The payment method the order was paid with (default: a card the customer does not name). */
  readonly paidWith?: string;
  /** What the payment method the customer names is (default: a gift card). */
  readonly chosenSource?: 'gift_card' | 'credit_card';
  /** That gift card's balance (default: enough for the order). */
  readonly giftBalance?: number;
}

const SCENARIOS: Scenario[] = [
  {
    name: 'happy path, pending order, unclear then yes',
    orderStatus: 'pending',
    confirmations: [null, true],
  },
  {
    name: 'happy path, delivered order, by name and zip, unclear then yes',
    group: 1,
    orderStatus: 'delivered',
    confirmations: [null, true],
  },
  { name: 'the customer declines (pending)', orderStatus: 'pending', confirmations: [false] },
  { name: 'the customer declines (delivered)', orderStatus: 'delivered', confirmations: [false] },
  { name: 'order in another status', orderStatus: 'processed' },
  {
    name: 'account not found until the limit',
    tools: {
      find_user_id_by_email: [null, null, null, null],
      find_user_id_by_name_zip: [null, null, null, null],
    },
  },
  {
    name: 'account found on the second try, then the lookups fail until the limit',
    tools: {
      find_user_id_by_email: [null],
      get_order_details: [null, null, null],
      get_product_details: [null, null, null],
    },
  },
  {
    name: 'the write reports nothing found (pending)',
    orderStatus: 'pending',
    confirmations: [true],
    tools: writeTools(null),
  },
  {
    name: 'the write reports nothing found (delivered)',
    orderStatus: 'delivered',
    confirmations: [true],
    tools: writeTools(null),
  },
  { name: 'a tool fails: the system hands over', tools: { find_user_id_by_email: ['throw'] } },
  {
    name: 'repair: a greeting, an answered question, then never mind',
    orderStatus: 'pending',
    repairs: [
      null,
      { then: 'pause', text: 'Hello again! I need your email.' },
      { then: 'resume', text: 'A refund takes 5 to 7 business days.' },
      { then: 'end', text: 'All right, nothing was changed.' },
    ],
  },
  {
    name: 'repair: a request for a person mid-way',
    repairs: [null, { then: 'handoff', reason: 'The customer asked for a person.' }],
  },
  { name: 'repair: every answer is corrected once', orderStatus: 'pending', corrections: true },
  { name: 'repair: a person is asked for at once', repairs: [{ then: 'handoff', reason: 'asked' }] },
  { name: 'repair: a question answered, then the procedure', repairs: [{ then: 'resume', text: 'a' }] },
  { name: 'repair: never mind at once', repairs: [{ then: 'end', text: 'nothing was changed' }] },
  { name: 'every choice made by the first words (pending)', orderStatus: 'pending', early: true },
  { name: 'every choice made by the first words (delivered)', orderStatus: 'delivered', early: true },
  { name: 'paid by gift card (pending)', orderStatus: 'pending', paidWith: 'gift_card_0000001' },
  {
    name: 'paid by gift card, the refund asked to a card that did not pay (delivered)',
    orderStatus: 'delivered',
    paidWith: 'gift_card_0000001',
    chosenSource: 'credit_card',
  },
  {
    name: 'the new payment method is the one already used (pending)',
    orderStatus: 'pending',
    paidWith: 'payment_method_id-value',
    chosenSource: 'credit_card',
  },
  { name: 'a gift card too small for the order (pending)', orderStatus: 'pending', giftBalance: 5 },
];

function writeTools(result: Json): Record<string, Json[]> {
  return Object.fromEntries(
    [...retailCatalogue.values()]
      .filter((tool) => tool.effect === 'write')
      .map((tool) => [tool.name, [result]]),
  );
}

const FOUND: Record<string, (scenario: Scenario) => Json> = {
  user_id: () => 'sara_doe_496',
  order: (scenario) => ({
    order_id: '#W0000001',
    user_id: 'sara_doe_496',
    status: scenario.orderStatus ?? 'pending',
    items: [{ item_id: '1008292230', name: 'Lamp', price: 10.5 }],
    payment_history: [
      {
        transaction_type: 'payment',
        amount: 10.5,
        payment_method_id: scenario.paidWith ?? 'credit_card_0000009',
      },
    ],
    // As in the data: a pending order has not shipped yet, any other has a fulfilment.
    fulfillments:
      (scenario.orderStatus ?? 'pending') === 'pending'
        ? []
        : [{ tracking_id: ['357962501027'], item_ids: ['1008292230'] }],
  }),
  user: (scenario) => ({
    user_id: 'sara_doe_496',
    payment_methods: {
      'payment_method_id-value': ((scenario.chosenSource ?? 'gift_card') === 'gift_card'
        ? { source: 'gift_card', id: 'payment_method_id-value', balance: scenario.giftBalance ?? 100 }
        : { source: 'credit_card', id: 'payment_method_id-value' }) as Json,
      credit_card_0000009: { source: 'credit_card', id: 'credit_card_0000009' },
      gift_card_0000001: { source: 'gift_card', id: 'gift_card_0000001', balance: 20 },
    },
    orders: ['#W0000001'],
  }),
  product: () => ({ name: 'Lamp', product_id: '6086499569', variants: {} }),
  product_types: () => '{"Lamp": "6086499569"}',
  handoff: () => 'Transfer successful',
};

function slotValue(slot: { [key: string]: Json }): Json {
  const allowed = slot.allowed;
  if (Array.isArray(allowed) && allowed.length > 0) return allowed[0]!;
  const schema = slot.schema as { type?: string } | null;
  if (schema?.type === 'array') return ['1008292230'];
  return `${String(slot.name)}-value`;
}

/** The scripted Lambdas of one conversation; they mutate nothing but the queues they consume. */
function scriptedHandlers(definition: AslDefinition, scenario: Scenario) {
  const queues = new Map(Object.entries(scenario.tools ?? {}).map(([tool, results]) => [tool, [...results]]));
  const confirmations = [...(scenario.confirmations ?? [true])];
  const repairs = [...(scenario.repairs ?? [])];
  const corrected = new Set<string>();
  const calls: { tool: string; args: Json }[] = [];
  const kinds: Record<string, (input: { state: TurnState } & Record<string, Json>) => TurnState> = {
    '${UnderstandFunctionArn}': ({ state, flow }) => {
      const { pause, repair: _previous, ...rest } = state;
      const next: TurnState = { ...rest, facts: { ...state.facts }, confirm: { ...state.confirm } };
      const repair = repairs.shift() ?? null;
      if (repair !== null) {
        next.repair = repair;
        if ((repair as { then: string }).then === 'pause' && pause) next.pause = pause;
        return next;
      }
      if (scenario.corrections && pause) {
        const asks = (flow as { asks: Record<string, string> }).asks;
        // As the engine does: only a value the customer gave before can be corrected.
        const target = Object.entries(asks).find(
          ([slot, name]) => !corrected.has(name) && state.facts[slot] !== undefined,
        )?.[1];
        if (target !== undefined) {
          corrected.add(target);
          next.resume = target;
          return next;
        }
      }
      const awaiting = pause?.awaiting;
      if (awaiting?.kind === 'slots') {
        const groups = awaiting.groups as string[][];
        const slots = awaiting.slots as { [key: string]: Json }[];
        const group = groups[Math.min(scenario.group ?? 0, groups.length - 1)] ?? [];
        for (const name of group) next.facts[name] = slotValue(slots.find((slot) => slot.name === name)!);
      }
      if (awaiting?.kind === 'confirm') {
        const answer = confirmations.length > 0 ? confirmations.shift()! : true;
        if (answer !== null) next.confirm[String(awaiting.key)] = answer;
      }
      return next;
    },
    '${ToolFunctionArn}': ({ state, call, compute }) => {
      if (compute) {
        // A computed fact: the engine's own evaluator, on the scripted facts.
        const { name, expr } = compute as { name: string; expr: RuntimeExpr };
        return { ...state, facts: { ...state.facts, [name]: evaluate(expr, state.facts) as Json } };
      }
      const { tool, produces, args } = call as { tool: string; produces: string; args: Json };
      calls.push({ tool, args });
      const queued = queues.get(tool)?.shift();
      if (queued === 'throw') {
        const error = new Error(`${tool} failed`);
        error.name = 'ToolFailed';
        throw error;
      }
      const result = queued !== undefined ? queued : (FOUND[produces]?.(scenario) ?? 'ok');
      return { ...state, facts: { ...state.facts, [produces]: result } };
    },
    '${ReplyFunctionArn}': ({ state, say }) => {
      const { taken: _taken, ...rest } = state as TurnState & { taken?: string };
      const choice = (say as { choice?: { [key: string]: Json } } | null)?.choice;
      const answers = (say as { answers?: { [key: string]: Json }[] } | null)?.answers;
      if (scenario.early && (choice || answers)) {
        // As the engine does: the choice (or a new address) is taken, not asked, and the ask's
        // `.asked` Choice goes on.
        const values = Object.fromEntries(
          (choice ? [choice] : answers!).map((slot) => [String(slot.name), slotValue(slot)]),
        );
        return {
          ...rest,
          facts: { ...state.facts, ...values },
          replies: [...(state.replies ?? []), 'From what you said: …'],
          taken: String((say as { action: string }).action),
        } as TurnState;
      }
      return { ...rest, replies: [...(state.replies ?? []), say ?? null] };
    },
    '${HandoffFunctionArn}': ({ state, handoff }) => ({
      ...state,
      replies: [...(state.replies ?? []), handoff ?? null],
    }),
  };
  const handlers: Record<string, (input: Json) => Json> = {};
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Task') continue;
    const handler = kinds[String(state.Resource)];
    if (!handler) throw new Error(`State ${name} has an unexpected Resource ${String(state.Resource)}`);
    handlers[name] = (input) => handler(input as { state: TurnState } & Record<string, Json>) as Json;
  }
  return { handlers, calls };
}

function firstTurn(aopId: string): TurnState {
  return {
    ctx: { conversationId: 'c-1', tenant: 'retail', turn: 1, aop: { id: aopId, version: '1' } },
    message: 'Hello',
    resume: '',
    facts: {},
    confirm: {},
    counters: {},
    clock: { now: '2024-05-01T12:00:00.000Z', cutoffs: {} },
    status: 'active',
  };
}

/** "state name → branch index" for a Choice: Choices[i] is i, Default is Choices.length. */
function branchTargets(state: AslState): string[] {
  return [
    ...((state.Choices as { Next: string }[]) ?? []).map((choice) => choice.Next),
    String(state.Default),
  ];
}

interface Coverage {
  readonly taken: Map<string, Set<number>>;
  readonly total: number;
}

function emptyCoverage(definition: AslDefinition): Coverage {
  const taken = new Map<string, Set<number>>();
  let total = 0;
  for (const [name, state] of Object.entries(definition.States)) {
    if (state.Type !== 'Choice') continue;
    taken.set(name, new Set());
    total += branchTargets(state).length;
  }
  return { taken, total };
}

function covered(coverage: Coverage): number {
  return [...coverage.taken.values()].reduce((sum, set) => sum + set.size, 0);
}

function missing(definition: AslDefinition, coverage: Coverage): string[] {
  const out: string[] = [];
  for (const [name, set] of coverage.taken) {
    const targets = branchTargets(definition.States[name]!);
    for (const [index, target] of targets.entries())
      if (!set.has(index))
        out.push(`${name} ${index === targets.length - 1 ? 'Default' : `Choices[${index}]`} → ${target}`);
  }
  return out;
}

/**
 * What the local Step Functions endpoint hands the executor: placeholders substituted with Lambda
 * ARNs, and its local rewrites applied (aws-local-stepfunctions stores `ResultPath: "$"` under a key
 * named "$" instead of replacing the input, so the endpoint drops it; AWS treats both the same).
 */
function localDefinition(definition: AslDefinition): StateMachineDefinition {
  const substituted = JSON.parse(substitutePlaceholders(JSON.stringify(definition))) as JsonObject;
  return rewriteForLocalExecutor(substituted) as unknown as StateMachineDefinition;
}

const compiled = compileProject(retailSources(), { catalogue: retailCatalogue });
// Sub-compiledMachines compile to machines of their own too (run alone, they end when their last step does).
const compiledMachines = compiled;

describe('compiled retail state machines in the local executor', () => {
  const machines = new Map<string, StateMachine>();

  beforeAll(() => {
    for (const result of compiledMachines) {
      expect(result.asl).not.toBeNull();
      // Built once per procedure: validation is the expensive part.
      machines.set(
        result.id,
        new StateMachine(localDefinition(result.asl!), {
          validationOptions: { checkPaths: true, checkArn: true },
        }),
      );
    }
  });

  it('identifies each Choice branch by its target (no two branches of a Choice share one)', () => {
    for (const result of compiledMachines)
      for (const [name, state] of Object.entries(result.asl!.States))
        if (state.Type === 'Choice') {
          const targets = branchTargets(state);
          expect({ machine: result.id, name, targets: new Set(targets).size }).toEqual({
            machine: result.id,
            name,
            targets: targets.length,
          });
        }
  });

  async function converse(result: CompiledAop, scenario: Scenario, coverage: Coverage) {
    const definition = result.asl!;
    const machine = machines.get(result.id)!;
    const { handlers, calls } = scriptedHandlers(definition, scenario);
    let input = firstTurn(result.id);
    const outcomes: string[] = [];
    for (let turn = 1; turn <= 40; turn++) {
      const execution = machine.run(input as unknown as Json as never, {
        overrides: { taskResourceLocalHandlers: handlers },
      });
      const output = (await execution.result) as unknown as TurnState;
      let pendingChoice: string | null = null;
      const path: string[] = [];
      for await (const event of execution.eventLogs) {
        if (event.type !== 'StateEntered') continue;
        const name = event.state.name;
        path.push(name);
        if (pendingChoice !== null) {
          const index = branchTargets(definition.States[pendingChoice]!).indexOf(name);
          expect(index, `${pendingChoice} went to ${name}`).toBeGreaterThanOrEqual(0);
          coverage.taken.get(pendingChoice)!.add(index);
        }
        pendingChoice = definition.States[name]?.Type === 'Choice' ? name : null;
      }
      const last = path[path.length - 1];
      expect(['Paused', 'Done']).toContain(last);
      if (output.status !== 'active') {
        expect(last).toBe('Done');
        outcomes.push(output.status);
        return { status: output.status, turns: turn, replies: output.replies ?? [], calls };
      }
      expect(last).toBe('Paused');
      expect(output.pause?.resume).toEqual(expect.any(String));
      input = {
        ...output,
        ctx: { ...(output.ctx as object), turn: turn + 1 } as Json,
        message: `turn ${turn + 1}`,
        resume: output.pause!.resume,
      };
    }
    throw new Error(`${result.id} / ${scenario.name}: no end after 40 turns`);
  }

  for (const result of compiledMachines) {
    it(`takes every Choice branch of ${result.id}, and every conversation ends`, async () => {
      const definition = result.asl!;
      const coverage = emptyCoverage(definition);
      const statuses = new Set<string>();
      for (const scenario of SCENARIOS) {
        const outcome = await converse(result, scenario, coverage);
        expect(['resolved', 'escalated']).toContain(outcome.status);
        statuses.add(outcome.status);
      }
      expect(missing(definition, coverage)).toEqual([]);
      expect(covered(coverage)).toBe(coverage.total);
      expect(statuses.has('escalated')).toBe(true);
    });
  }

  it('covers 100% of the Choice branches across all retail machines', async () => {
    let total = 0;
    let taken = 0;
    for (const result of compiledMachines) {
      const coverage = emptyCoverage(result.asl!);
      for (const scenario of SCENARIOS) await converse(result, scenario, coverage);
      total += coverage.total;
      taken += covered(coverage);
    }
    expect(total).toBeGreaterThan(250);
    expect(taken / total).toBe(1);
  });

  it('cancels a pending order after a clear yes, with the arguments bound from the conversation', async () => {
    const result = compiledMachines.find((p) => p.id === 'cancel-pending-order')!;
    const outcome = await converse(result, SCENARIOS[0]!, emptyCoverage(result.asl!));
    expect(outcome.status).toBe('resolved');
    expect(outcome.calls).toEqual([
      { tool: 'find_user_id_by_email', args: { email: 'email-value' } },
      // The profile, whose orders are offered as choices.
      { tool: 'get_user_details', args: { user_id: expect.any(String) } },
      { tool: 'get_order_details', args: { order_id: 'order_id-value' } },
      { tool: 'cancel_pending_order', args: { order_id: 'order_id-value', reason: 'no longer needed' } },
    ]);
    // Turn 1 asks who they are, 2 the order id, 3 the reason, 4 the confirmation; the answer in 5 is
    // unclear, so it is asked again; 6 is the yes that cancels.
    expect(outcome.turns).toBe(6);
    expect(outcome.replies.at(-1)).toEqual(
      expect.objectContaining({
        text: 'Order {order.order_id} is cancelled; {refund} will be refunded. Is there anything else I can help with?',
      }),
    );
  });

  it('asks for the order id again after "not found, go back to step 3", and hands over when the limit is used up', async () => {
    const result = compiledMachines.find((p) => p.id === 'cancel-pending-order')!;
    const outcome = await converse(
      result,
      { name: 'order never found', tools: { get_order_details: [null, null, null] } },
      emptyCoverage(result.asl!),
    );
    expect(outcome.status).toBe('escalated');
    const texts = outcome.replies.map(
      (reply) => (reply as { text?: string; reason?: string }).text ?? (reply as { reason: string }).reason,
    );
    const question = 'Could you tell me your order id?';
    const notFound = 'I could not find that order on your account.';
    // Asked, not found, asked again (twice: the limit is 2), then a human takes over.
    expect(texts.slice(1)).toEqual([
      question,
      notFound,
      question,
      notFound,
      question,
      notFound,
      'Step "3" was repeated 2 times without success.',
    ]);
    expect(outcome.calls.filter((call) => call.tool === 'get_order_details')).toHaveLength(3);
  });

  it('asks, then resumes where it paused: the first turn of cancel-pending-order pauses at the identify question', async () => {
    const result = compiledMachines.find((p) => p.id === 'cancel-pending-order')!;
    const machine = machines.get(result.id)!;
    const { handlers } = scriptedHandlers(result.asl!, { name: 'first turn' });
    const output = (await machine.run(firstTurn(result.id) as never, {
      overrides: { taskResourceLocalHandlers: handlers },
    }).result) as unknown as TurnState;
    expect(output.status).toBe('active');
    expect(output.pause?.resume).toBe('follow-authenticate.1>identify.1');
    expect(output.replies).toEqual([
      expect.objectContaining({
        text: 'Could you tell me your email, or your first name, last name and zip code?',
      }),
    ]);
  });
});
