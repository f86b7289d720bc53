import { DiagnosticCodes, error } from '../diagnostics.ts';
import { reachable } from '../graph.ts';
import type { Rule } from './rule.ts';

export const unreachableStep: Rule = {
  name: 'unreachable-step',
  check({ aop, graph }) {
    const seen = reachable(graph);
    const deadSteps = new Set(
      aop.steps
        .filter((step) => step.actions.length > 0 && !seen.has(graph.stepEntries.get(step.id) ?? ''))
        .map((step) => step.id),
    );
    const diagnostics = aop.steps
      .filter((step) => deadSteps.has(step.id))
      .map((step) =>
        error(
          DiagnosticCodes.unreachableStep,
          step.span,
          `Step ${step.number} ("${step.id}") can never be reached: every path before it ends, escalates or jumps elsewhere.`,
          'Remove the step, or change an earlier step so that some path continues to it.',
        ),
      );
    // Inside a reachable step, what follows "Then end." or a jump never runs (e.g. a branch bullet
    // under a step that already ended). Report where the dead part starts, not each action in it.
    const dead = [...graph.nodes.values()].filter(
      (node) =>
        node.action &&
        node.origin === aop.id &&
        node.step !== null &&
        !deadSteps.has(node.step) &&
        !seen.has(node.id),
    );
    const targeted = new Set(dead.flatMap((node) => node.edges.map((edge) => edge.to)));
    for (const node of dead) {
      if (targeted.has(node.id)) continue;
      diagnostics.push(
        error(
          DiagnosticCodes.unreachableStep,
          node.action!.span,
          'This can never run: earlier in the same step the procedure ends, escalates or jumps elsewhere.',
          'Move it before "Then end." (or the jump), or remove it.',
        ),
      );
    }
    return diagnostics;
  },
};
