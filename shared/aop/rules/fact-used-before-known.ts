import { DiagnosticCodes, error } from '../diagnostics.ts';
import { factValueReads } from '../graph.ts';
import type { Rule } from './rule.ts';

/** A fact read on some path before anything (an ask or a tool) provided it. */
export const factUsedBeforeKnown: Rule = {
  name: 'fact-used-before-known',
  check({ aop, graph, states }) {
    const diagnostics = [];
    const reported = new Set<string>();
    for (const node of graph.nodes.values()) {
      if (!node.action || node.origin !== aop.id) continue;
      const state = states.get(node.id);
      if (!state) continue;
      for (const ref of factValueReads(node.action)) {
        if (!ref.fact || state.known.has(ref.fact)) continue;
        const key = `${node.action.id}:${ref.phrase}`;
        if (reported.has(key)) continue;
        reported.add(key);
        diagnostics.push(
          error(
            DiagnosticCodes.factUsedBeforeKnown,
            ref.span,
            `"${ref.phrase}" is used here, but on at least one path to this point nothing has provided "${ref.fact}" yet.`,
            `Ask for it or call the tool that produces it on every path before this step.`,
          ),
        );
      }
    }
    return diagnostics;
  },
};
