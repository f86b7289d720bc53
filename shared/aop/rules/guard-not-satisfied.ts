import { DiagnosticCodes, error } from '../diagnostics.ts';
import type { Rule } from './rule.ts';

/** A tool guarded by `requires: authenticated` is reachable before authentication on some path. */
export const guardNotSatisfied: Rule = {
  name: 'guard-not-satisfied',
  check({ aop, graph, states, catalogue }) {
    const diagnostics = [];
    const establishers = [...catalogue.values()]
      .filter((t) => t.establishes?.includes('authenticated'))
      .map((t) => `@${t.name}`);
    for (const node of graph.nodes.values()) {
      const action = node.action;
      if (action?.kind !== 'call' || node.origin !== aop.id) continue;
      const tool = catalogue.get(action.tool);
      const state = states.get(node.id);
      if (!tool || !state) continue;
      for (const guard of tool.guards.requires ?? []) {
        if (guard === 'authenticated' && !state.authenticated) {
          diagnostics.push(
            error(
              DiagnosticCodes.guardNotSatisfied,
              action.toolSpan,
              `"@${tool.name}" requires an authenticated customer, and on at least one path it is reached before authentication.`,
              `Authenticate first on every path (e.g. "Follow @authenticate-customer." as step 1, or call ${establishers.join(' / ') || 'an authenticating tool'}).`,
            ),
          );
        }
      }
    }
    return diagnostics;
  },
};
