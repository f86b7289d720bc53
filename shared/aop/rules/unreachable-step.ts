import { DiagnosticCodes, error } from '../diagnostics.ts';
import { reachable } from '../graph.ts';
import type { Rule } from './rule.ts';

export const unreachableStep: Rule = {
  name: 'unreachable-step',
  check({ aop, graph }) {
    const seen = reachable(graph);
    return aop.steps
      .filter((step) => step.actions.length > 0 && !seen.has(graph.stepEntries.get(step.id) ?? ''))
      .map((step) =>
        error(
          DiagnosticCodes.unreachableStep,
          step.span,
          `Step ${step.number} ("${step.id}") can never be reached: every path before it ends, escalates or jumps elsewhere.`,
          'Remove the step, or change an earlier step so that some path continues to it.',
        ),
      );
  },
};
