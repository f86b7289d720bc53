import { DiagnosticCodes, error } from '../diagnostics.ts';
import { reachable } from '../graph.ts';
import type { Rule } from './rule.ts';

/** In a procedure, every path must end or escalate; running past the last step is a mistake. */
export const pathWithoutEnd: Rule = {
  name: 'path-without-end',
  check({ aop, graph }) {
    if (aop.kind === 'subprocedure') return []; // running past the last step returns to the caller
    const seen = reachable(graph);
    const diagnostics = [];
    for (const node of graph.nodes.values()) {
      if (!seen.has(node.id) || !node.action || node.origin !== aop.id) continue;
      if (!node.edges.some((edge) => edge.to === '#fall-off')) continue;
      const lastStep = aop.steps[aop.steps.length - 1];
      diagnostics.push(
        error(
          DiagnosticCodes.pathWithoutEnd,
          node.action.kind === 'if' ? node.action.span : node.action.span,
          node.action.kind === 'goto'
            ? `"Go back to step ${node.action.targetText}" does not lead to a step of this procedure.`
            : `After this, the procedure runs past its last step${lastStep ? ` (${lastStep.number})` : ''} without ending or escalating.`,
          'End this path explicitly with "Then end." or "Escalate to a human.".',
        ),
      );
    }
    return diagnostics;
  },
};
