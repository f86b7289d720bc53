import { DiagnosticCodes, error } from '../diagnostics.ts';
import type { Rule } from './rule.ts';

/** Every write tool that needs confirmation is reached only through a "yes" on every path. */
export const writeWithoutConfirmation: Rule = {
  name: 'write-without-confirmation',
  check({ aop, graph, states, catalogue }) {
    const diagnostics = [];
    for (const node of graph.nodes.values()) {
      const action = node.action;
      if (action?.kind !== 'call' || node.origin !== aop.id) continue;
      const tool = catalogue.get(action.tool);
      const state = states.get(node.id);
      if (!tool || !state || !tool.guards.confirm || state.confirmed) continue;
      diagnostics.push(
        error(
          DiagnosticCodes.writeWithoutConfirmation,
          action.toolSpan,
          `"@${tool.name}" changes data, and on at least one path it runs without the customer confirming it first.`,
          'Before it, add a step that explains the action and asks the customer to confirm, with a bullet "If they do not confirm, … Then end." (and no other write in between).',
        ),
      );
    }
    return diagnostics;
  },
};
