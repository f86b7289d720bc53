import type { FlowGraph } from '../../shared/aop/graph.ts';
import { canonicalJson } from '../../shared/model/canonical-json.ts';
import type { ConversationRun } from './drive.ts';
import { coveredBy } from './targets.ts';

/**
 * The verdict on one simulated conversation against its path's reference run (cli/simulation/simulate.ts):
 * what the customer meant taken as meant, the repair pattern kept, and otherwise the same branches,
 * write calls, data change and ending.
 */

/** Why a run does not do what its scenario's reference did (empty: it passes). */
export function judge(run: ConversationRun, reference: ConversationRun, graph: FlowGraph): string[] {
  const problems = [...run.problems];
  if (run.routedTo !== reference.plan.aopId)
    problems.push(`routed to ${run.routedTo ?? 'no procedure'}, not ${reference.plan.aopId}`);
  const pattern = run.plan.repair?.pattern;
  const stops = pattern === 'cancel' || pattern === 'human-please';
  const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);
  if (stops) {
    const extra = run.writes.filter((call) => !reference.writes.some((known) => same(known, call)));
    if (extra.length > 0)
      problems.push(`after "${pattern}" the agent still called ${extra.map((call) => call.tool).join(', ')}`);
    return problems;
  }
  const taken = (r: ConversationRun) => coveredBy(r.states, graph);
  if (!same(taken(run), taken(reference)))
    problems.push(`took other branches: ${diffList(taken(reference), taken(run))}`);
  if (!same(opaque(run.writes), opaque(reference.writes)))
    problems.push(`write calls differ: ${firstDifference(opaque(reference.writes), opaque(run.writes), '')}`);
  const changes = (r: ConversationRun) =>
    opaque(r.changes.map((change) => ({ table: change.table, key: change.key, after: change.after })));
  if (!same(changes(run), changes(reference)))
    problems.push(`the data changed otherwise: ${firstDifference(changes(reference), changes(run), '')}`);
  if (run.status !== reference.status)
    problems.push(`ended ${run.status}, the reference ${reference.status}`);
  if (pattern && !run.repaired && problems.length === 0)
    problems.push(`the ${pattern} pattern was never used (the conversation ended before its question)`);
  return problems;
}

/**
 * Ids another system mints anew for every call (a payment provider's `ch_BqFpUxqVppN9TUwD5iRS`) are
 * compared by their shape: the same path with a new charge is the same behaviour.
 */
function opaque<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_, inner: unknown) =>
      typeof inner === 'string' &&
      /^[a-z]{2,6}_[A-Za-z0-9]{12,}$/.test(inner) &&
      /[A-Z]/.test(inner) &&
      /[a-z]/.test(inner.slice(inner.indexOf('_') + 1))
        ? `${inner.slice(0, inner.indexOf('_'))}_<minted>`
        : inner,
    ),
  ) as T;
}

/** Where two values first differ: `[0].after.status: expected "cancelled", got "pending"`. */
function firstDifference(expected: unknown, got: unknown, path: string): string {
  const short = (value: unknown) => {
    const text = JSON.stringify(value) ?? 'nothing';
    return text.length > 120 ? `${text.slice(0, 119)}…` : text;
  };
  const here = `${path || 'the whole'}: expected ${short(expected)}, got ${short(got)}`;
  if (Array.isArray(expected) && Array.isArray(got)) {
    for (let index = 0; index < Math.max(expected.length, got.length); index++)
      if (canonicalJson(expected[index]) !== canonicalJson(got[index]))
        return firstDifference(expected[index], got[index], `${path}[${index}]`);
    return here;
  }
  if (expected && got && typeof expected === 'object' && typeof got === 'object') {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(got)])].sort();
    for (const key of keys) {
      const a = (expected as Record<string, unknown>)[key];
      const b = (got as Record<string, unknown>)[key];
      if (canonicalJson(a) !== canonicalJson(b)) return firstDifference(a, b, `${path}.${key}`);
    }
  }
  return here;
}

function diffList(expected: readonly string[], got: readonly string[]): string {
  const at = expected.findIndex((item, index) => got[index] !== item);
  const index = at < 0 ? expected.length : at;
  return `first at #${index + 1}: expected ${expected[index] ?? 'nothing more'}, got ${got[index] ?? 'nothing more'}`;
}
