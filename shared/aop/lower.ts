import { runtimeExpr } from './computations.ts';
import { ASL_ERRORS, RETRYABLE_ERRORS } from './error-names.ts';
import type { AopLibrary } from './graph.ts';
import { exprRefs } from './graph.ts';
import type { Action, Aop, Condition, Offer, Slot, Value } from './ir.ts';
import { choiceRuleOf, confirmationKey, factPath, jsonPathKey, known } from './lower-conditions.ts';

export { confirmationKey, factPath } from './lower-conditions.ts';

/**
 * Step 4 of the pipeline: IR → Amazon States Language (JSONPath mode, intrinsic functions only).
 *
 * One Express execution runs one customer turn (DESIGN.md decision 1). It opens with `Understand`
 * (the turn's single model call), then `Dispatch` resumes where the last turn paused. A turn ends
 * at `Paused` (waiting for the customer), `Done` (resolved) or `Escalated`. Every task Lambda
 * receives the whole turn state and returns it updated, so the ASL only routes; it never computes.
 *
 * Turn state (input and output of every state):
 *   ctx       { conversationId, tenant, turn, aop: {id, version} }
 *   message   the customer's text for this turn
 *   resume    state to resume at ('' on the first turn)
 *   facts     slot values and tool results, by fact name
 *   confirm   { <confirmation key>: true | false }
 *   counters  { <loop key>: { n } }
 *   clock     { now, cutoffs: { d<N>: ISO time N days before now } }  (recorded per turn)
 *   pause     { resume, awaiting } set when the turn waits for the customer
 *   status    'active' | 'resolved' | 'escalated'
 */

export const FUNCTION_PLACEHOLDERS = {
  understand: '${UnderstandFunctionArn}',
  tool: '${ToolFunctionArn}',
  reply: '${ReplyFunctionArn}',
  handoff: '${HandoffFunctionArn}',
} as const;

export type AslState = Record<string, unknown>;
export interface AslDefinition {
  Comment: string;
  StartAt: string;
  TimeoutSeconds: number;
  States: Record<string, AslState>;
}

export interface SlotSpec {
  readonly name: string;
  readonly description: string;
  readonly schema: Record<string, unknown>;
  /** JSONPath into the turn state of a list to choose from, e.g. `$.facts.order.items`. */
  readonly options: string | null;
  /** The read tool that describes each id of `options` (only when the options are bare ids). */
  readonly describedBy?: string;
  /** Choosing a variant of each chosen record's product (shared/engine/variants.ts). */
  readonly variants?: VariantsSpec;
  /** Records the agent already knows that answer the whole ask (shared/engine/known-records.ts). */
  readonly known?: KnownSpec;
  readonly allowed: Value[] | null;
}

/** `offering the user address and the addresses of the orders` (ir.ts Offer), as the runtime needs it. */
export interface KnownSpec {
  /** The request property the customer's pick is read into (`known_address`); never a fact. */
  readonly name: string;
  /** The facts the ask collects, each filled from the picked record's field of the same name. */
  readonly facts: string[];
  /** What the ask collects, as its question says it ("address line 1, … and zip code"). */
  readonly asking: string;
  readonly sources: KnownSource[];
}

export interface KnownSource {
  /** JSONPath of the record's owner, or of the list of records (`$.facts.user`, `$.facts.orders`). */
  readonly path: string;
  readonly list: boolean;
  /** Inside the owner (or each element of the list): the offered record (`['address']`). */
  readonly field: string[];
  /** The element's id field, said with the record ("order #W8277957"). */
  readonly id: string | null;
  /** How one record is said ("your default address"). */
  readonly label: string | null;
}

/** What the runtime needs to offer the variants of each chosen record's product (ir.ts Variants). */
export interface VariantsSpec {
  /** The earlier slot holding the chosen ids (`item_ids`). */
  readonly per: string;
  /** JSONPath of the records they were chosen from (`$.facts.order.items`). */
  readonly records: string;
  /** The record field the look-up takes (`product_id`). */
  readonly key: string;
  /** The read tool that takes it (`get_product_details`). */
  readonly tool: string;
  /** Where its result lists the variants (`variants`). */
  readonly list: string;
  /** A variant's field that is the value (`item_id`). */
  readonly value: string;
  readonly available: string | null;
  readonly price: string | null;
  /** The record's own variant is not on offer ("the other available variants"). */
  readonly others?: boolean;
}

/**
 * What the runtime needs to repair a conversation (shared/engine/repair.ts): where each slot is first
 * asked (a correction resumes there, so every look-up and check that used the old value runs again
 * before any write), and which facts each fact was derived from (a tool result from its arguments, a
 * choice from the list it was chosen from), so a corrected value clears what depended on it.
 */
export interface RepairFlow {
  readonly asks: Record<string, string>;
  readonly depends: Record<string, string[]>;
  /**
   * Every question of the procedure in source order (a followed procedure's at the place it is
   * followed). A correction made while a later question waits goes back to the corrected value's
   * question; one made while an earlier question waits (the value was volunteered) goes on from here.
   */
  readonly order: string[];
  /**
   * Facts asked for by more than one question ("zip" signs the customer in and ends a new address),
   * and the facts asked together with them: a message is never read for them before their question
   * is asked, because which question it would answer is unknown.
   */
  readonly repeated?: string[];
}

export interface Lowered {
  readonly definition: AslDefinition;
  /** State name → the source position it came from ("file:line"). */
  readonly sourceMap: Record<string, string>;
  readonly slots: SlotSpec[];
  readonly cutoffDays: number[];
  readonly toolsUsed: string[];
  readonly resumable: string[];
  readonly flow: RepairFlow;
}

/** Outages a retry can cure; the names are shared with the throwers (error-names.ts). */
const RETRY = [
  {
    ErrorEquals: [...RETRYABLE_ERRORS],
    IntervalSeconds: 1,
    MaxAttempts: 3,
    BackoffRate: 2,
    JitterStrategy: 'FULL',
  },
];
const CATCH = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'System.Failed' }];

export function lowerToAsl(root: Aop, library: AopLibrary): Lowered {
  const states: Record<string, AslState> = {};
  const sourceMap: Record<string, string> = {};
  const slots = new Map<string, SlotSpec>();
  const cutoffs = new Set<number>();
  const toolsUsed = new Set<string>();
  const resumable: string[] = [];
  const stepEntries = new Set<string>();
  const asks: Record<string, string> = {};
  const askedBy = new Map<string, Set<string>>();
  // Emission runs last to first, so the reverse of this is source order.
  const askEmission: string[] = [];
  const depends: Record<string, Set<string>> = {};
  const dependsOn = (fact: string, on: string | null) => {
    if (!on || on === fact) return;
    depends[fact] ??= new Set();
    depends[fact].add(on);
  };
  const put = (name: string, state: AslState, line: { file: string; line: number }) => {
    states[name] = state;
    sourceMap[name] = `${line.file}:${line.line}`;
    return name;
  };

  const lowerAop = (aop: Aop, prefix: string, after: string, stack: string[]): string => {
    const stepEntry = (stepId: string) => `${prefix}${stepId}`;
    const isRoot = stack.length === 1;

    const emit = (actions: Action[], next: string, step: string): string => {
      let entry = next;
      for (let index = actions.length - 1; index >= 0; index--)
        entry = emitAction(actions[index]!, entry, step);
      return entry;
    };

    const emitAction = (action: Action, next: string, step: string): string => {
      const name = `${prefix}${action.id}`;
      const at = action.span;
      switch (action.kind) {
        case 'ask': {
          const specs = action.slots.map((slot) => slotSpec(slot, action.slots));
          for (const spec of specs) slots.set(spec.name, spec);
          // Emitted last to first: what is set last is the slot's first ask in source order.
          if (!askEmission.includes(name)) askEmission.push(name);
          for (const slot of action.slots) {
            asks[slot.name] = name;
            askedBy.set(slot.name, new Set([...(askedBy.get(slot.name) ?? []), name]));
            // A choice among records (the order's items) is derived from them. A choice among ids
            // described one by one (the user's orders) is not: the look-up that follows checks it
            // again, and a corrected email or zip must not throw away the order the customer chose.
            dependsOn(slot.name, slot.describedBy ? null : (slot.options?.fact ?? null));
            // A new variant is chosen per chosen record: another choice of records starts it over.
            if (slot.variants) dependsOn(slot.name, slot.variants.per);
          }
          const prompt = action.question?.text ?? askPrompt(action.slots, action.groups);
          put(
            `${name}.ask`,
            {
              Type: 'Task',
              Resource: FUNCTION_PLACEHOLDERS.reply,
              Parameters: {
                'state.$': '$',
                say: {
                  text: prompt,
                  exact: false,
                  step,
                  action: name,
                  options: specs[0]?.options ?? null,
                  ...(specs[0]?.options
                    ? {
                        choice: {
                          name: specs[0].name,
                          description: specs[0].description,
                          schema: specs[0].schema,
                        },
                      }
                    : {}),
                  ...(specs[0]?.describedBy
                    ? { describe: { tool: specs[0].describedBy, arg: specs[0].name } }
                    : {}),
                  ...(specs[0]?.variants ? { variants: { slot: specs[0].name, ...specs[0].variants } } : {}),
                  ...(specs[0]?.known
                    ? {
                        known: specs[0].known,
                        answers: specs.map(({ name, description, schema }) => ({
                          name,
                          description,
                          schema,
                        })),
                      }
                    : {}),
                },
              },
              ResultPath: '$',
              Retry: RETRY,
              Catch: CATCH,
              Next: specs[0]?.options || specs[0]?.known ? `${name}.asked` : `${name}.wait`,
            },
            at,
          );
          const complete = action.groups.map((group) => ({
            And: group.map((slot) => known(`$.facts${jsonPathKey(slot)}`)),
          }));
          if (specs[0]?.options || specs[0]?.known) {
            // A choice the request's first words already made ("cancel my most recent order"), or a
            // new address they gave whole, is not asked: the reply step read them against the
            // question and filled the slots (steps.ts earlyChoice, earlyAnswers).
            put(
              `${name}.asked`,
              {
                Type: 'Choice',
                Choices: [
                  {
                    And: [
                      { Variable: '$.taken', IsPresent: true },
                      { Variable: '$.taken', StringEquals: name },
                    ],
                    Next: next,
                  },
                ],
                Default: `${name}.wait`,
              },
              at,
            );
          }
          put(
            `${name}.wait`,
            {
              Type: 'Pass',
              Result: {
                resume: name,
                awaiting: { kind: 'slots', step, action: name, slots: specs, groups: action.groups },
              },
              ResultPath: '$.pause',
              Next: 'Paused',
            },
            at,
          );
          resumable.push(name);
          return put(
            name,
            {
              Type: 'Choice',
              Choices: [{ ...(complete.length === 1 ? complete[0] : { Or: complete }), Next: next }],
              Default: `${name}.ask`,
            },
            at,
          );
        }
        case 'call': {
          toolsUsed.add(action.tool);
          const args: Record<string, unknown> = {};
          for (const [key, argument] of Object.entries(action.args)) {
            if (argument.source === 'literal') args[key] = argument.value;
            else if (argument.source === 'fact') {
              args[`${key}.$`] = factPath(argument.ref);
              // What a look-up returns is derived from its arguments; what a write returns is the
              // outcome of a confirmed action, and correcting a detail before it ("refund to PayPal
              // instead") must not forget the order that was looked up.
              if (action.produces && action.effect !== 'write') dependsOn(action.produces, argument.ref.fact);
            }
          }
          const each = action.each
            ? {
                'ids.$': factPath(action.each.list),
                arg: action.each.arg,
                max: action.each.max,
                into: action.each.into,
              }
            : undefined;
          if (action.each) dependsOn(action.each.into, action.each.list.fact);
          return put(
            name,
            {
              Type: 'Task',
              Resource: FUNCTION_PLACEHOLDERS.tool,
              Parameters: {
                'state.$': '$',
                call: {
                  tool: action.tool,
                  produces: action.produces,
                  step,
                  action: name,
                  args,
                  ...(each ? { each } : {}),
                },
              },
              ResultPath: '$',
              Retry: RETRY,
              Catch: CATCH,
              Next: next,
            },
            at,
          );
        }
        case 'say':
          return put(
            name,
            {
              Type: 'Task',
              Resource: FUNCTION_PLACEHOLDERS.reply,
              Parameters: {
                'state.$': '$',
                say: { text: action.text, exact: action.exact, step, action: name, options: null },
              },
              ResultPath: '$',
              Retry: RETRY,
              Catch: CATCH,
              Next: next,
            },
            at,
          );
        case 'confirm': {
          const key = confirmationKey(name);
          put(
            `${name}.wait`,
            {
              Type: 'Pass',
              Result: {
                resume: `${name}.check`,
                awaiting: { kind: 'confirm', step, action: name, key, question: action.text },
              },
              ResultPath: '$.pause',
              Next: 'Paused',
            },
            at,
          );
          put(
            `${name}.check`,
            {
              Type: 'Choice',
              Choices: [
                {
                  And: [
                    { Variable: `$.confirm.${key}`, IsPresent: true },
                    { Variable: `$.confirm.${key}`, IsBoolean: true },
                  ],
                  Next: next,
                },
              ],
              Default: name,
            },
            at,
          );
          resumable.push(`${name}.check`);
          return put(
            name,
            {
              Type: 'Task',
              Resource: FUNCTION_PLACEHOLDERS.reply,
              Parameters: {
                'state.$': '$',
                say: {
                  text: action.text,
                  exact: action.exact,
                  step,
                  action: name,
                  confirm: key,
                  options: null,
                },
              },
              ResultPath: '$',
              Retry: RETRY,
              Catch: CATCH,
              Next: `${name}.wait`,
            },
            at,
          );
        }
        case 'escalate':
          return put(
            name,
            {
              Type: 'Task',
              Resource: FUNCTION_PLACEHOLDERS.handoff,
              Parameters: { 'state.$': '$', handoff: { reason: action.reason, step, action: name } },
              ResultPath: '$',
              Retry: RETRY,
              Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'System.Crashed' }],
              Next: 'Escalated',
            },
            at,
          );
        case 'end':
          return isRoot
            ? put(name, { Type: 'Pass', Result: 'resolved', ResultPath: '$.status', Next: 'Done' }, at)
            : next;
        case 'goto': {
          // Going back to a step that starts with a question asks it again, even though its facts are
          // now known (the ask's own Choice would skip it); a jump forward enters the step as falling
          // into it would. Named directly, not looked up: steps are emitted last to first, so an
          // earlier step's states do not exist yet when a jump back to it is emitted.
          const stepIndex = (id: string) => aop.steps.findIndex((s) => s.id === id);
          const firstAsk =
            stepIndex(action.target) <= stepIndex(step) ? firstAskOf(aop, action.target) : undefined;
          const target = () => (firstAsk ? `${prefix}${firstAsk}.ask` : stepEntry(action.target));
          if (action.max === null) return put(name, { Type: 'Pass', Next: target() }, at);
          const key = `$.counters.${confirmationKey(name)}`;
          put(`${name}.init`, { Type: 'Pass', Result: { n: 1 }, ResultPath: key, Next: target() }, at);
          put(
            `${name}.inc`,
            {
              Type: 'Pass',
              Parameters: { 'n.$': `States.MathAdd(${key}.n, 1)` },
              ResultPath: key,
              Next: target(),
            },
            at,
          );
          put(
            `${name}.exhausted`,
            {
              Type: 'Task',
              Resource: FUNCTION_PLACEHOLDERS.handoff,
              Parameters: {
                'state.$': '$',
                handoff: {
                  reason: `Step "${action.targetText}" was repeated ${action.max} times without success.`,
                  step,
                  action: name,
                },
              },
              ResultPath: '$',
              Retry: RETRY,
              Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'System.Crashed' }],
              Next: 'Escalated',
            },
            at,
          );
          return put(
            name,
            {
              Type: 'Choice',
              Choices: [
                {
                  And: [
                    { Variable: key, IsPresent: true },
                    { Variable: `${key}.n`, NumericGreaterThanEquals: action.max },
                  ],
                  Next: `${name}.exhausted`,
                },
                { Variable: key, IsPresent: true, Next: `${name}.inc` },
              ],
              Default: `${name}.init`,
            },
            at,
          );
        }
        case 'follow': {
          const sub = library.get(action.aop);
          if (!sub || stack.includes(sub.id)) return next;
          const entry = lowerAop(sub, `${name}>`, next, [...stack, sub.id]);
          return put(name, { Type: 'Pass', Next: entry }, at);
        }
        case 'if': {
          const choices = action.branches.map((branch) => ({
            ...choiceRule(branch.when),
            Next: emit(branch.then, next, step),
          }));
          const fallback = action.otherwise ? emit(action.otherwise, next, step) : next;
          return put(name, { Type: 'Choice', Choices: choices, Default: fallback }, at);
        }
        case 'compute': {
          // Worked out by the tool Lambda from the facts alone (shared/engine/compute.ts) and recorded,
          // so a later turn and a replay see the same value. A corrected input clears it (RepairFlow).
          for (const ref of exprRefs(action.expr)) dependsOn(action.name, ref.fact);
          const computeTask = (state: string, expr: unknown) =>
            put(
              state,
              {
                Type: 'Task',
                Resource: FUNCTION_PLACEHOLDERS.tool,
                Parameters: { 'state.$': '$', compute: { name: action.name, expr, step, action: name } },
                ResultPath: '$',
                Retry: RETRY,
                Catch: CATCH,
                Next: next,
              },
              at,
            );
          if (action.expr?.op === 'table') {
            // A decision table is a Choice over its rows (the same rules as any condition), each row
            // recording its value; "otherwise" (or, in a table the compiler could not prove complete,
            // no row) is the Default.
            const rows = action.expr.rows;
            const choices = rows.flatMap((row, index) =>
              row.when.kind === 'and' && row.when.items.length === 0
                ? []
                : [
                    {
                      ...choiceRule(row.when),
                      Next: computeTask(`${name}.row${index + 1}`, { op: 'literal', value: row.value }),
                    },
                  ],
            );
            const otherwise = rows.findIndex((row) => row.when.kind === 'and' && row.when.items.length === 0);
            const fallback =
              otherwise >= 0
                ? computeTask(`${name}.row${otherwise + 1}`, { op: 'literal', value: rows[otherwise]!.value })
                : computeTask(`${name}.none`, { op: 'literal', value: null });
            if (choices.length === 0) return put(name, { Type: 'Pass', Next: fallback }, at);
            return put(name, { Type: 'Choice', Choices: choices, Default: fallback }, at);
          }
          // An expression the compiler could not read has been reported (AOP029); nothing runs.
          if (!action.expr) return next;
          return computeTask(name, runtimeExpr(action.expr));
        }
        case 'unknown':
          return next;
      }
    };

    const choiceRule = (condition: Condition) => choiceRuleOf(condition, { prefix, cutoffs });

    let next = isRoot ? 'FellOff' : after;
    for (let index = aop.steps.length - 1; index >= 0; index--) {
      const step = aop.steps[index]!;
      const first = emit(step.actions, next, step.id);
      next = put(stepEntry(step.id), { Type: 'Pass', Next: first }, { file: aop.file, line: step.span.line });
      stepEntries.add(next);
    }
    return next;
  };

  const first = lowerAop(root, '', 'FellOff', [root.id]);
  const fileLine = { file: root.file, line: root.span.line };
  put(
    'Understand',
    {
      Type: 'Task',
      Resource: FUNCTION_PLACEHOLDERS.understand,
      Parameters: {
        'state.$': '$',
        slots: [...slots.values()],
        flow: flowOf(asks, depends, askEmission, askedBy),
      },
      ResultPath: '$',
      Retry: RETRY,
      Catch: CATCH,
      Next: 'Repair',
    },
    fileLine,
  );
  // Conversation repair (DESIGN.md decision 8): the Understand step decides, the runtime's wording
  // says it; the author writes nothing for it. See shared/engine/repair.ts.
  const repairThen = (value: string) => ({
    And: [
      { Variable: '$.repair.then', IsPresent: true },
      { Variable: '$.repair.then', StringEquals: value },
    ],
  });
  put(
    'Repair',
    {
      Type: 'Choice',
      Choices: [
        { ...repairThen('handoff'), Next: 'Repair.Handoff' },
        { Variable: '$.repair.then', IsPresent: true, Next: 'Repair.Say' },
      ],
      Default: 'Dispatch',
    },
    fileLine,
  );
  put(
    'Repair.Say',
    {
      Type: 'Task',
      Resource: FUNCTION_PLACEHOLDERS.reply,
      Parameters: {
        'state.$': '$',
        say: { 'text.$': '$.repair.text', exact: true, step: 'repair', action: 'Repair.Say', options: null },
      },
      ResultPath: '$',
      Retry: RETRY,
      Catch: CATCH,
      Next: 'Repair.Then',
    },
    fileLine,
  );
  // A procedure that never waits for the customer has nothing to pause at.
  const pauses = resumable.length > 0;
  put(
    'Repair.Then',
    {
      Type: 'Choice',
      Choices: [
        ...(pauses ? [{ ...repairThen('pause'), Next: 'Paused' }] : []),
        { ...repairThen('end'), Next: 'Repair.End' },
      ],
      Default: 'Dispatch',
    },
    fileLine,
  );
  put('Repair.End', { Type: 'Pass', Result: 'resolved', ResultPath: '$.status', Next: 'Done' }, fileLine);
  put(
    'Repair.Handoff',
    {
      Type: 'Task',
      Resource: FUNCTION_PLACEHOLDERS.handoff,
      Parameters: {
        'state.$': '$',
        handoff: { 'reason.$': '$.repair.reason', step: 'repair', action: 'Repair.Handoff' },
      },
      ResultPath: '$',
      Retry: RETRY,
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'System.Crashed' }],
      Next: 'Escalated',
    },
    fileLine,
  );
  // A correction resumes at the corrected slot's first ask (see RepairFlow).
  const targets = [...new Set([...resumable, ...Object.values(asks)])];
  put(
    'Dispatch',
    {
      Type: 'Choice',
      Choices: targets.map((name) => ({ Variable: '$.resume', StringEquals: name, Next: name })),
      Default: first,
    },
    fileLine,
  );
  if (targets.length === 0) states.Dispatch = { Type: 'Pass', Next: first };
  if (pauses) put('Paused', { Type: 'Succeed' }, fileLine);
  put('Done', { Type: 'Succeed' }, fileLine);
  put('Escalated', { Type: 'Pass', Result: 'escalated', ResultPath: '$.status', Next: 'Done' }, fileLine);
  if (JSON.stringify(states).includes('"FellOff"'))
    put('FellOff', { Type: 'Pass', Result: 'resolved', ResultPath: '$.status', Next: 'Done' }, fileLine);
  put(
    'System.Failed',
    {
      Type: 'Task',
      Resource: FUNCTION_PLACEHOLDERS.handoff,
      Parameters: {
        'state.$': '$',
        // The caught error goes along: the hand-off's reason names it (steps.ts, handoff).
        handoff: {
          reason: 'A system error stopped the procedure.',
          step: 'system',
          action: 'System.Failed',
          'error.$': '$.error',
        },
      },
      ResultPath: '$',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'System.Crashed' }],
      Next: 'Escalated',
    },
    fileLine,
  );
  put(
    'System.Crashed',
    {
      Type: 'Fail',
      Error: ASL_ERRORS.turnFailed,
      Cause: 'The turn failed and the hand-off to a human failed too.',
    },
    fileLine,
  );

  // A step entered only by a jump back (which goes straight to its question) leaves its entry state
  // with no way in; it is a pass-through, so it is dropped rather than reported as unreachable.
  for (let pruned = true; pruned; ) {
    pruned = false;
    const referenced = new Set(Object.values(states).flatMap(successorsOf));
    for (const name of stepEntries) {
      if (name in states && !referenced.has(name)) {
        delete states[name];
        delete sourceMap[name];
        pruned = true;
      }
    }
  }

  const ordered: Record<string, AslState> = {};
  const head = ['Understand', 'Repair', 'Dispatch'];
  for (const name of [
    ...head,
    ...Object.keys(states)
      .filter((n) => !head.includes(n))
      .sort(),
  ])
    ordered[name] = states[name]!;
  return {
    definition: {
      Comment: `${root.title} (${root.id}), compiled from ${root.file}`,
      StartAt: 'Understand',
      TimeoutSeconds: 300,
      States: ordered,
    },
    sourceMap,
    slots: [...slots.values()],
    cutoffDays: [...cutoffs].sort((a, b) => a - b),
    toolsUsed: [...toolsUsed].sort(),
    resumable,
    flow: flowOf(asks, depends, askEmission, askedBy),
  };
}

function flowOf(
  asks: Record<string, string>,
  depends: Record<string, Set<string>>,
  askEmission: readonly string[],
  askedBy: ReadonlyMap<string, ReadonlySet<string>>,
): RepairFlow {
  // A fact two questions ask for ("zip" signs the customer in and ends a new address): the facts of
  // its later questions (the street, the city…) are never read before one is asked, or a sign-in zip
  // would complete a new address without asking for it. The first question's facts (email, name,
  // zip) are: a zip is read unasked only beside a name or after "zip", never from an address
  // (infra/local/model-endpoint), and a new address given with the request is read when its own
  // question comes up (steps.ts earlyAnswers).
  const order = [...askEmission].reverse();
  const factsOf = (ask: string) => [...askedBy].filter(([, by]) => by.has(ask)).map(([slot]) => slot);
  const firstAsks = new Set<string>();
  const laterAsks = new Set<string>();
  for (const [, by] of askedBy) {
    if (by.size < 2) continue;
    const [first, ...later] = [...by].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    firstAsks.add(first!);
    for (const ask of later) laterAsks.add(ask);
  }
  const firstFacts = new Set([...firstAsks].flatMap(factsOf));
  const repeated = [...new Set([...laterAsks].flatMap(factsOf))]
    .filter((slot) => !firstFacts.has(slot))
    .sort();
  const sorted = <T>(record: Record<string, T>) =>
    Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
  return {
    asks: sorted(asks),
    depends: sorted(Object.fromEntries(Object.entries(depends).map(([fact, on]) => [fact, [...on].sort()]))),
    order,
    ...(repeated.length > 0 ? { repeated } : {}),
  };
}

function successorsOf(state: AslState): string[] {
  const choices = (state.Choices as { Next: string }[] | undefined) ?? [];
  const catchers = (state.Catch as { Next: string }[] | undefined) ?? [];
  return [state.Next, state.Default, ...choices.map((c) => c.Next), ...catchers.map((c) => c.Next)].filter(
    (next): next is string => typeof next === 'string',
  );
}

function firstAskOf(aop: Aop, stepId: string): string | undefined {
  const step = aop.steps.find((s) => s.id === stepId);
  const first = step?.actions[0];
  return first?.kind === 'ask' ? first.id : undefined;
}

function slotSpec(slot: Slot, slots: readonly Slot[] = [slot]): SlotSpec {
  return {
    name: slot.name,
    description: slot.description,
    schema: slot.schema,
    options: slot.options ? factPath(slot.options) : null,
    ...(slot.describedBy ? { describedBy: slot.describedBy } : {}),
    ...(variantsSpec(slot) ? { variants: variantsSpec(slot)! } : {}),
    ...(knownSpec(slots) ? { known: knownSpec(slots)! } : {}),
    allowed: slot.allowed,
  };
}

/** The runtime's part of an ask's offered records; none when AOP023 or AOP004 refused one of them. */
function knownSpec(slots: readonly Slot[]): KnownSpec | undefined {
  const offers = slots[0]?.offers ?? [];
  const names = slots.map((slot) => slot.name);
  const usable = (offer: Offer) =>
    offer.ref.fact !== null && !offer.ref.problem && names.every((name) => offer.fields?.includes(name));
  if (offers.length === 0 || !offers.every(usable)) return undefined;
  const sources = offers.map((offer): KnownSource => {
    const list = offer.list !== null;
    const owner = { ...offer.ref, path: list ? offer.list! : [] };
    const phrase = offer.ref.phrase
      .replace(/^(?:the|their|his|her)\s+/i, '')
      .replace(/^(?:user|customer)(?:'s)?\s+/i, '');
    return {
      path: factPath(owner),
      list,
      field: offer.field,
      id: offer.id,
      label: offer.label ?? (list ? null : `your ${phrase}`),
    };
  });
  const noun = offers[0]!.field.at(-1) ?? 'record';
  return { name: `known_${noun}`, facts: names, asking: askList(slots, [names]), sources };
}

/** The runtime's part of a slot's variants; none when AOP025 refused them. */
function variantsSpec(slot: Slot): VariantsSpec | undefined {
  const variants = slot.variants;
  if (!variants?.records || !variants.tool || !variants.list) return undefined;
  return {
    per: variants.per,
    records: factPath(variants.records),
    key: variants.key,
    tool: variants.tool,
    list: variants.list,
    value: variants.value,
    available: variants.available,
    price: variants.price,
    ...(variants.others ? { others: true } : {}),
  };
}

function askPrompt(slots: Slot[], groups: string[][]): string {
  const allowed =
    slots.length === 1 && slots[0]!.allowed
      ? ` (${slots[0]!.allowed.map((v) => `"${String(v)}"`).join(' or ')})`
      : '';
  return `Could you tell me your ${askList(slots, groups)}${allowed}?`;
}

/** "address line 1, city and zip code", alternatives joined by ", or your ". */
function askList(slots: readonly Slot[], groups: string[][]): string {
  const phraseOf = (name: string) =>
    (slots.find((slot) => slot.name === name)?.ref.phrase ?? name).replace(/^(?:the|their|your)\s+/i, '');
  const listOf = (names: string[]) => {
    const phrases = names.map(phraseOf);
    return phrases.length > 1
      ? `${phrases.slice(0, -1).join(', ')} and ${phrases[phrases.length - 1]}`
      : (phrases[0] ?? '');
  };
  return groups.map(listOf).join(', or your ');
}
