import { condition as conditionText } from '../../shared/aop/explain.ts';
import { type AopLibrary, buildGraph, type FlowGraph, reachable } from '../../shared/aop/graph.ts';
import type { Action, Aop } from '../../shared/aop/ir.ts';
import type { ToolCatalogue } from '../../shared/tools/define-tool.ts';

/**
 * What a simulation must cover in one procedure, read from its compiled graph (sub-procedures inlined,
 * so "go back to step 1" inside authentication counts for every procedure that follows it):
 *
 * - every branch of every reachable `if` (each condition, and "otherwise" or the fall-through);
 * - every loop bound ("at most 2 times") reached;
 * - every guard a customer's words can make fail (an id that is not theirs, refused by `owns`; the
 *   `authenticated` and `confirmed` guards are proven on every path by the compiler instead);
 * - every repair pattern the runtime applies, at a question (and at a confirmation when it has one).
 *
 * A branch taken only when a call fails on data no customer chose ("If the order was not found" after
 * the cancellation, whose look-up passed before; "If the product was not found" for a product picked
 * from the catalogue's own list) is a `tool-failure` target: listed apart and not counted among the
 * branches a customer can reach.
 *
 * Ids are stable across runs: the graph's node ids are the compiled state names.
 */

export type TargetKind = 'branch' | 'loop-bound' | 'guard' | 'repair' | 'tool-failure';

export interface Target {
  readonly id: string;
  readonly kind: TargetKind;
  readonly label: string;
  /** `file:line` of the state, when the manifest maps it. */
  readonly source: string | undefined;
}

/** Repair patterns a simulated customer can use, and where (docs/testing-and-release.md). */
export const REPAIR_PATTERNS = {
  digression: 'ask',
  repeat: 'ask',
  'not-understood': 'ask',
  thanks: 'ask',
  cancel: 'ask',
  'human-please': 'ask',
  'question-at-confirmation': 'confirm',
  'unclear-consent': 'confirm',
} as const;
export type RepairPattern = keyof typeof REPAIR_PATTERNS;

export interface ProcedureTargets {
  readonly aopId: string;
  readonly graph: FlowGraph;
  readonly targets: readonly Target[];
}

export function targetsOf(
  aop: Aop,
  library: AopLibrary,
  catalogue: ToolCatalogue,
  sourceMap: Readonly<Record<string, string>> = {},
): ProcedureTargets {
  const graph = buildGraph(aop, library);
  const live = reachable(graph);
  const targets: Target[] = [];
  const asked = new Set<string>();
  let confirms = false;
  // A branch on a fact being "not found" that no customer's words can cause, taken only when a call
  // fails on data it did not choose: the fact a write call produces (its look-up passed before), and
  // the record a read call finds for values picked from a closed list (the product types listed: the
  // runtime drops a value that is none of them, whatever the model says).
  const closed = new Set<string>();
  for (const id of live) {
    const action = graph.nodes.get(id)!.action;
    if (action?.kind === 'ask')
      for (const slot of action.slots)
        if (slot.options && !slot.describedBy && !slot.variants) closed.add(slot.name);
  }
  // The call a branch on "not found" checks is the one right before it (`find-order.1` before
  // `find-order.branches`): the same fact may be produced by a look-up and, later, by a write.
  const failing = new Set<string>();
  for (const id of live) {
    const action = graph.nodes.get(id)!.action;
    if (action?.kind !== 'call' || !action.produces) continue;
    const args = Object.values(action.args);
    const chosen =
      args.length > 0 &&
      args.every((arg) => arg.source === 'fact' && arg.ref.fact !== null && closed.has(arg.ref.fact));
    if (action.effect !== 'write' && !chosen) continue;
    for (const edge of graph.nodes.get(id)!.edges) failing.add(`${edge.to}\u0000${action.produces}`);
  }
  const isFailure = (id: string, action: Extract<Action, { kind: 'if' }>, index: number) => {
    const branch = action.branches[index];
    return (
      branch?.when.kind === 'found' &&
      branch.when.negate &&
      failing.has(`${id}\u0000${branch.when.left.fact ?? ''}`)
    );
  };
  // What a customer can reach: a loop bound met only after such a failure ("I could not find that
  // product", then back to step 3) is no customer's either.
  const customerReachable = new Set<string>();
  const stack = [graph.entry];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (customerReachable.has(id)) continue;
    customerReachable.add(id);
    const node = graph.nodes.get(id);
    for (const [index, edge] of (node?.edges ?? []).entries())
      if (!(node?.action?.kind === 'if' && isFailure(id, node.action, index))) stack.push(edge.to);
  }
  for (const id of live) {
    const node = graph.nodes.get(id)!;
    const action = node.action;
    if (!action) continue;
    const where = `${node.origin === aop.id ? '' : `${node.origin} `}${node.step ?? ''}`;
    if (action.kind === 'ask') for (const slot of action.slots) asked.add(slot.name);
    if (action.kind === 'confirm') confirms = true;
    if (action.kind === 'if') {
      const seen = new Set<string>();
      for (const [index, edge] of node.edges.entries()) {
        if (seen.has(edge.to)) continue;
        seen.add(edge.to);
        const branch = action.branches[index];
        targets.push({
          id: `${id}→${edge.to}`,
          kind: isFailure(id, action, index) ? 'tool-failure' : 'branch',
          label: `${where}: ${branch ? `if ${conditionText(branch.when)}` : action.otherwise ? 'otherwise' : 'none of the conditions'}`,
          source: sourceMap[id],
        });
      }
    }
    if (action.kind === 'goto' && action.max !== null)
      targets.push({
        id: `${id}.exhausted`,
        kind: customerReachable.has(id) ? 'loop-bound' : 'tool-failure',
        label: `${where}: back to step ${action.targetText} more than ${action.max} time${action.max === 1 ? '' : 's'}`,
        source: sourceMap[id],
      });
  }
  // A record the customer names is checked by the first call that takes it (the look-up); the calls
  // after it only ever see a record that passed.
  const checked = new Set<string>();
  for (const id of flowOrder(graph)) {
    const action = graph.nodes.get(id)!.action;
    const owns = action?.kind === 'call' ? catalogue.get(action.tool)?.guards.owns : undefined;
    if (action?.kind !== 'call' || !owns) continue;
    // Only the argument the guard checks (`order_id`), when the customer gave it.
    const arg = action.args[owns.arg];
    const facts =
      arg?.source === 'fact' && arg.ref.fact !== null && asked.has(arg.ref.fact) ? [arg.ref.fact] : [];
    const fresh = facts.filter((fact) => !checked.has(fact));
    for (const fact of facts) checked.add(fact);
    if (fresh.length > 0)
      targets.push({
        id: `guard:${action.tool}:owns`,
        kind: 'guard',
        label: `${action.tool} refused: the customer named a record that is not theirs (owns)`,
        source: sourceMap[id],
      });
  }
  // A procedure that asks nothing (a hand-over) has no question to repair at.
  for (const [pattern, at] of Object.entries(REPAIR_PATTERNS))
    if (at === 'ask' ? asked.size > 0 : confirms)
      targets.push({
        id: `repair:${pattern}`,
        kind: 'repair',
        label: `${pattern} at ${at === 'ask' ? 'a question' : 'the confirmation'}`,
        source: undefined,
      });
  return { aopId: aop.id, graph, targets: dedupe(targets) };
}

/** Nodes breadth first from the entry: the order a conversation meets them. */
function flowOrder(graph: FlowGraph): string[] {
  const order: string[] = [];
  const seen = new Set<string>([graph.entry]);
  const queue = [graph.entry];
  while (queue.length > 0) {
    const id = queue.shift()!;
    order.push(id);
    for (const edge of graph.nodes.get(id)?.edges ?? [])
      if (!seen.has(edge.to)) {
        seen.add(edge.to);
        queue.push(edge.to);
      }
  }
  return order;
}

function dedupe(targets: readonly Target[]): Target[] {
  const seen = new Set<string>();
  return targets.filter((target) => !seen.has(target.id) && seen.add(target.id));
}

/**
 * The branch and loop-bound targets one conversation took, from the states its executions entered:
 * after an `if` state, the first state entered that is a node of the graph is the branch taken.
 */
export function coveredBy(states: readonly string[], graph: FlowGraph): string[] {
  const covered: string[] = [];
  for (const [index, state] of states.entries()) {
    if (state.endsWith('.exhausted')) covered.push(state);
    const node = graph.nodes.get(state);
    if (node?.action?.kind !== 'if') continue;
    const next = states.slice(index + 1).find((later) => graph.nodes.has(later) || TERMINALS[later]);
    if (!next) continue;
    const to = graph.nodes.has(next) ? next : TERMINALS[next]!;
    if (node.edges.some((edge) => edge.to === to)) covered.push(`${state}→${to}`);
  }
  return covered;
}

/** The compiled machine's terminal states and the graph's terminal nodes. */
const TERMINALS: Readonly<Record<string, string>> = { Done: '#end', Escalated: '#escalate' };
