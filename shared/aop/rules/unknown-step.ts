import { DiagnosticCodes, error } from '../diagnostics.ts';
import { aopActions } from '../graph.ts';
import type { Rule } from './rule.ts';

export const unknownStep: Rule = {
  name: 'unknown-step',
  check({ aop }) {
    const ids = new Set(aop.steps.map((step) => step.id));
    const numbers = aop.steps.map((step) => `${step.number} (${step.id})`);
    return [...aopActions(aop)].flatMap(({ action }) =>
      action.kind === 'goto' && !ids.has(action.target)
        ? [
            error(
              DiagnosticCodes.unknownStep,
              action.span,
              `There is no step "${action.targetText}" to go to.`,
              `Steps of this procedure: ${numbers.join(', ')}.`,
            ),
          ]
        : [],
    );
  },
};
