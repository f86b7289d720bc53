import type { ToolCatalogue } from '../tools/define-tool.ts';
import type { Action, Aop, Condition, Expr, FactRef } from './ir.ts';

/**
 * The control-flow graph of a procedure at the IR level, with sub-procedures inlined, and a must-
 * dataflow over it: which facts are known, whether the customer is authenticated and whether the
 * current action was confirmed, on EVERY path into each node. Validation rules read it to prove
 * guards (DESIGN.md decision 3) instead of trusting the author's ordering.
 */

export type Terminal = 'end' | 'escalate' | 'fall-off';

export interface Edge {
  readonly to: string;
  /** Taking this edge means the customer said yes to the pending confirmation. */
  readonly confirms: boolean;
  /** Facts this edge proves known ("If the order was found, …" / the fall-through of "was not found"). */
  readonly gens?: readonly string[];
}

export interface GraphNode {
  readonly id: string;
  readonly action: Action | null;
  /** The AOP whose source this node came from (differs from the root for inlined sub-procedures). */
  readonly origin: string;
  readonly step: string | null;
  readonly edges: Edge[];
  readonly terminal: Terminal | null;
}

export interface FlowGraph {
  readonly entry: string;
  readonly nodes: Map<string, GraphNode>;
  /** Step id (of the root AOP) → its entry node. */
  readonly stepEntries: Map<string, string>;
}

export interface FlowState {
  readonly known: ReadonlySet<string>;
  readonly authenticated: boolean;
  readonly confirmed: boolean;
}

export type AopLibrary = ReadonlyMap<string, Aop>;

export function buildGraph(root: Aop, library: AopLibrary): FlowGraph {
  const nodes = new Map<string, GraphNode>();
  const stepEntries = new Map<string, string>();
  const add = (node: GraphNode) => {
    nodes.set(node.id, node);
    return node.id;
  };
  const terminals = {
    end: add({ id: '#end', action: null, origin: root.id, step: null, edges: [], terminal: 'end' }),
    escalate: add({
      id: '#escalate',
      action: null,
      origin: root.id,
      step: null,
      edges: [],
      terminal: 'escalate',
    }),
    fallOff: add({
      id: '#fall-off',
      action: null,
      origin: root.id,
      step: null,
      edges: [],
      terminal: 'fall-off',
    }),
  };

  const inline = (aop: Aop, prefix: string, after: string, stack: string[]): string => {
    const local = new Map<string, string>();
    const pendingGotos: { node: string; target: string }[] = [];
    const endTarget = aop === root ? terminals.end : after;
    const fallTarget = aop === root ? terminals.fallOff : after;

    const emit = (actions: Action[], next: string, step: string): string => {
      let entry = next;
      for (let index = actions.length - 1; index >= 0; index--)
        entry = emitAction(actions[index]!, entry, step);
      return entry;
    };
    const emitAction = (action: Action, next: string, step: string): string => {
      const id = prefix + action.id;
      switch (action.kind) {
        case 'end':
          return add({
            id,
            action,
            origin: aop.id,
            step,
            edges: [{ to: endTarget, confirms: false }],
            terminal: null,
          });
        case 'escalate':
          return add({
            id,
            action,
            origin: aop.id,
            step,
            edges: [{ to: terminals.escalate, confirms: false }],
            terminal: null,
          });
        case 'goto': {
          const node = add({ id, action, origin: aop.id, step, edges: [], terminal: null });
          pendingGotos.push({ node, target: action.target });
          return node;
        }
        case 'follow': {
          const sub = library.get(action.aop);
          if (!sub || stack.includes(sub.id))
            return add({
              id,
              action,
              origin: aop.id,
              step,
              edges: [{ to: next, confirms: false }],
              terminal: null,
            });
          const subEntry = inline(sub, `${prefix}${action.id}>`, next, [...stack, sub.id]);
          return add({
            id,
            action,
            origin: aop.id,
            step,
            edges: [{ to: subEntry, confirms: false }],
            terminal: null,
          });
        }
        case 'if': {
          const edges: Edge[] = [];
          let allDeclines = true;
          const negativeGens: string[] = [];
          for (const branch of action.branches) {
            edges.push({
              to: emit(branch.then, next, step),
              confirms: isConfirmation(branch.when, true),
              gens: foundFacts(branch.when, false),
            });
            negativeGens.push(...foundFacts(branch.when, true));
            if (!isConfirmation(branch.when, false)) allDeclines = false;
          }
          const fallthrough = action.otherwise ? emit(action.otherwise, next, step) : next;
          edges.push({
            to: fallthrough,
            confirms: allDeclines && action.branches.length > 0,
            gens: negativeGens,
          });
          return add({ id, action, origin: aop.id, step, edges, terminal: null });
        }
        default:
          return add({
            id,
            action,
            origin: aop.id,
            step,
            edges: [{ to: next, confirms: false }],
            terminal: null,
          });
      }
    };

    let next = fallTarget;
    for (let index = aop.steps.length - 1; index >= 0; index--) {
      const step = aop.steps[index]!;
      next = emit(step.actions, next, step.id);
      if (!local.has(step.id)) local.set(step.id, next);
      if (aop === root && !stepEntries.has(step.id)) stepEntries.set(step.id, next);
    }
    for (const pending of pendingGotos) {
      const target = local.get(pending.target);
      const node = nodes.get(pending.node)!;
      node.edges.push({ to: target ?? terminals.fallOff, confirms: false });
    }
    return next;
  };

  const entry = inline(root, '', terminals.fallOff, [root.id]);
  return { entry, nodes, stepEntries };
}

/** Facts a condition proves present when it holds (negated = false) or when it fails (negated = true). */
function foundFacts(condition: Condition, negated: boolean): string[] {
  if (
    condition.kind === 'found' &&
    condition.negate === negated &&
    condition.left.fact &&
    condition.left.path.length === 0
  )
    return [condition.left.fact];
  if (condition.kind === 'and' && !negated) return condition.items.flatMap((item) => foundFacts(item, false));
  if (condition.kind === 'or' && negated) return condition.items.flatMap((item) => foundFacts(item, true));
  return [];
}

function isConfirmation(condition: Condition, value: boolean): boolean {
  return condition.kind === 'confirmed' && condition.value === value;
}

export function reachable(graph: FlowGraph): Set<string> {
  const seen = new Set<string>();
  const stack = [graph.entry];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const edge of graph.nodes.get(id)?.edges ?? []) stack.push(edge.to);
  }
  return seen;
}

/** Must-analysis to a fixpoint; returns the state on entry to each reachable node. */
export function analyse(graph: FlowGraph, catalogue: ToolCatalogue): Map<string, FlowState> {
  const states = new Map<string, FlowState>();
  states.set(graph.entry, { known: new Set(), authenticated: false, confirmed: false });
  const worklist = [graph.entry];
  while (worklist.length > 0) {
    const id = worklist.shift()!;
    const node = graph.nodes.get(id);
    const state = states.get(id);
    if (!node || !state) continue;
    const out = transfer(node, state, catalogue);
    for (const edge of node.edges) {
      let incoming = edge.confirms ? { ...out, confirmed: true } : out;
      if (edge.gens && edge.gens.length > 0)
        incoming = { ...incoming, known: new Set([...incoming.known, ...edge.gens]) };
      const previous = states.get(edge.to);
      const merged = previous ? meet(previous, incoming) : incoming;
      if (!previous || !sameState(previous, merged)) {
        states.set(edge.to, merged);
        worklist.push(edge.to);
      }
    }
  }
  return states;
}

function transfer(node: GraphNode, state: FlowState, catalogue: ToolCatalogue): FlowState {
  const action = node.action;
  if (!action) return state;
  switch (action.kind) {
    case 'ask': {
      // With alternatives ("the email, or the name and zip code") the procedure is expected to branch on
      // which one was given ("If the email is known, …"); the analysis treats every asked slot as known.
      const known = new Set(state.known);
      for (const slot of action.slots) if (slot.ref.fact) known.add(slot.ref.fact);
      return { ...state, known };
    }
    case 'call': {
      const tool = catalogue.get(action.tool);
      if (!tool) return state;
      const known = new Set(state.known);
      known.add(action.each ? action.each.into : tool.produces);
      return {
        known,
        authenticated: state.authenticated || (tool.establishes ?? []).includes('authenticated'),
        confirmed: tool.effect === 'write' ? false : state.confirmed,
      };
    }
    case 'confirm':
      return { ...state, confirmed: false };
    case 'compute':
      return { ...state, known: new Set([...state.known, action.name]) };
    default:
      return state;
  }
}

function meet(a: FlowState, b: FlowState): FlowState {
  return {
    known: new Set([...a.known].filter((fact) => b.known.has(fact))),
    authenticated: a.authenticated && b.authenticated,
    confirmed: a.confirmed && b.confirmed,
  };
}

function sameState(a: FlowState, b: FlowState): boolean {
  return (
    a.authenticated === b.authenticated &&
    a.confirmed === b.confirmed &&
    a.known.size === b.known.size &&
    [...a.known].every((f) => b.known.has(f))
  );
}

/** Every fact reference an action reads (conditions, arguments, placeholders, options). */
export function factReads(action: Action): FactRef[] {
  switch (action.kind) {
    case 'ask':
      return [
        ...action.slots.flatMap((slot) => (slot.options ? [slot.options] : [])),
        ...(action.slots[0]?.offers ?? []).map((offer) => offer.ref),
        ...(action.question?.refs ?? []),
      ];
    case 'call':
      return [
        ...Object.values(action.args).flatMap((arg) => (arg.source === 'fact' ? [arg.ref] : [])),
        ...(action.each ? [action.each.list] : []),
      ];
    case 'say':
    case 'confirm':
      return action.refs;
    case 'if':
      return action.branches.flatMap((branch) => conditionRefs(branch.when));
    case 'compute':
      return exprRefs(action.expr);
    default:
      return [];
  }
}

/** The fact references an expression reads (a decision table's: its columns). */
export function exprRefs(expr: Expr | null): FactRef[] {
  if (!expr) return [];
  switch (expr.op) {
    case 'fact':
      return [expr.ref];
    case 'literal':
      return [];
    case 'arith':
      return [...exprRefs(expr.left), ...exprRefs(expr.right)];
    case 'aggregate':
      return exprRefs(expr.list);
    case 'filter':
      return [...exprRefs(expr.list), ...exprRefs(expr.value)];
    case 'table':
      return expr.rows.flatMap((row) => conditionRefs(row.when, true));
  }
}

/** Fact references whose value is needed (a presence test such as "was found" needs none). */
export function factValueReads(action: Action): FactRef[] {
  if (action.kind !== 'if') return factReads(action);
  return action.branches.flatMap((branch) => conditionRefs(branch.when, true));
}

export function conditionRefs(condition: Condition, valuesOnly = false): FactRef[] {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return condition.items.flatMap((item) => conditionRefs(item, valuesOnly));
    case 'confirmed':
      return [];
    case 'found':
    case 'empty':
      return valuesOnly ? [] : [condition.left];
    case 'compare-facts':
      return [condition.left, condition.right];
    default:
      return [condition.left];
  }
}

/** All actions of an AOP, depth-first, with branch bodies. */
export function* walkActions(actions: readonly Action[]): Generator<Action> {
  for (const action of actions) {
    yield action;
    if (action.kind === 'if') {
      for (const branch of action.branches) yield* walkActions(branch.then);
      if (action.otherwise) yield* walkActions(action.otherwise);
    }
  }
}

export function* aopActions(aop: Aop): Generator<{ action: Action; step: string }> {
  for (const step of aop.steps)
    for (const action of walkActions(step.actions)) yield { action, step: step.id };
}
