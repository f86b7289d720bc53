import { DiagnosticCodes, error } from '../diagnostics.ts';
import { aopActions } from '../graph.ts';
import type { Rule } from './rule.ts';

/** A jump back to an earlier (or the same) step must say how many times it may happen. */
export const unboundedLoop: Rule = {
  name: 'unbounded-loop',
  check({ aop }) {
    const order = new Map(aop.steps.map((step, index) => [step.id, index]));
    const diagnostics = [];
    for (const { action, step } of aopActions(aop)) {
      if (action.kind !== 'goto' || action.max !== null) continue;
      const from = order.get(step);
      const to = order.get(action.target);
      if (from === undefined || to === undefined || to > from) continue;
      diagnostics.push(
        error(
          DiagnosticCodes.unboundedLoop,
          action.span,
          `"Go back to step ${action.targetText}" can repeat forever: it has no limit.`,
          `Add a limit, e.g. "go back to step ${action.targetText} (at most 3 times)"; when it is used up the conversation goes to a human.`,
        ),
      );
    }
    return diagnostics;
  },
};
