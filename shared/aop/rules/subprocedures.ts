import { DiagnosticCodes, error, nearest } from '../diagnostics.ts';
import { aopActions } from '../graph.ts';
import type { Rule } from './rule.ts';

/** `Follow @x` must name a sub-procedure of the project, and sub-procedures must not call themselves. */
export const subprocedures: Rule = {
  name: 'subprocedures',
  check({ aop, library }) {
    const diagnostics = [];
    for (const { action } of aopActions(aop)) {
      if (action.kind !== 'follow') continue;
      const target = library.get(action.aop);
      if (!target) {
        const suggestion = nearest(action.aop, library.keys());
        diagnostics.push(
          error(
            DiagnosticCodes.unknownSubprocedure,
            action.aopSpan,
            `There is no procedure "@${action.aop}" to follow.`,
            suggestion
              ? `Did you mean "@${suggestion}"?`
              : `Known procedures: ${[...library.keys()].join(', ')}.`,
          ),
        );
        continue;
      }
      const cycle = findCycle(action.aop, aop.id, library);
      if (cycle) {
        diagnostics.push(
          error(
            DiagnosticCodes.recursiveSubprocedure,
            action.aopSpan,
            `Following "@${action.aop}" here leads back to "${aop.id}": ${[aop.id, ...cycle].join(' → ')}.`,
            'A procedure cannot run itself, directly or through others; move the shared part into its own sub-procedure.',
          ),
        );
      }
    }
    return diagnostics;
  },
};

function findCycle(
  start: string,
  root: string,
  library: Parameters<Rule['check']>[0]['library'],
): string[] | null {
  const visit = (id: string, path: string[]): string[] | null => {
    if (id === root) return [...path, id];
    if (path.includes(id)) return null;
    const aop = library.get(id);
    if (!aop) return null;
    for (const { action } of aopActions(aop)) {
      if (action.kind !== 'follow') continue;
      const found = visit(action.aop, [...path, id]);
      if (found) return found;
    }
    return null;
  };
  return visit(start, []);
}
