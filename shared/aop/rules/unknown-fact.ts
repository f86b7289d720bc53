import { DiagnosticCodes, error } from '../diagnostics.ts';
import { aopActions, factReads } from '../graph.ts';
import type { FactRef } from '../ir.ts';
import type { Rule } from './rule.ts';

/** Facts the author named that resolve to nothing, or to more than one thing. */
export const unknownFact: Rule = {
  name: 'unknown-fact',
  check({ aop }) {
    const diagnostics = [];
    for (const { action } of aopActions(aop)) {
      const refs: FactRef[] = [
        ...factReads(action),
        ...(action.kind === 'ask' ? action.slots.map((slot) => slot.ref) : []),
      ];
      for (const ref of refs) {
        if (ref.problem === 'unknown') {
          diagnostics.push(
            error(
              DiagnosticCodes.unknownFact,
              ref.span,
              action.kind === 'ask'
                ? `"${ref.phrase}" is not something any allowed tool takes, so it cannot be asked for.`
                : `"${ref.phrase}" does not name a known fact.`,
              ref.candidates.length > 0
                ? `Known facts that come close: ${ref.candidates.join(', ')}.`
                : 'Facts come from the parameters and results of the tools in the front matter; allow the tool that provides it.',
            ),
          );
        } else if (ref.problem === 'ambiguous') {
          diagnostics.push(
            error(
              DiagnosticCodes.ambiguousFact,
              ref.span,
              `"${ref.phrase}" could mean any of: ${ref.candidates.join(', ')}.`,
              `Name it fully, e.g. "${ref.candidates[0] ?? ''}".`,
            ),
          );
        }
      }
    }
    return diagnostics;
  },
};
