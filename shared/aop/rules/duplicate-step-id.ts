import { DiagnosticCodes, error } from '../diagnostics.ts';
import type { Rule } from './rule.ts';

export const duplicateStepId: Rule = {
  name: 'duplicate-step-id',
  check({ aop }) {
    const first = new Map<string, number>();
    const diagnostics = [];
    for (const step of aop.steps) {
      const previous = first.get(step.id);
      if (previous === undefined) {
        first.set(step.id, step.number);
        continue;
      }
      diagnostics.push(
        error(
          DiagnosticCodes.duplicateStepId,
          step.span,
          `Step ${step.number} has the id "${step.id}", which step ${previous} already has.`,
          step.explicitId
            ? 'Give one of them another {#id}.'
            : `Step ids come from the first words of a step; give this one an explicit id, e.g. {#${step.id}-again}, or reword it.`,
        ),
      );
    }
    return diagnostics;
  },
};
