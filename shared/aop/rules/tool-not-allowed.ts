import { DiagnosticCodes, error } from '../diagnostics.ts';
import { aopActions } from '../graph.ts';
import type { Rule } from './rule.ts';

export const toolNotAllowed: Rule = {
  name: 'tool-not-allowed',
  check({ aop, catalogue }) {
    return [...aopActions(aop)].flatMap(({ action }) =>
      action.kind === 'call' && catalogue.has(action.tool) && !aop.tools.includes(action.tool)
        ? [
            error(
              DiagnosticCodes.toolNotAllowed,
              action.toolSpan,
              `"@${action.tool}" is used but not allowed by this procedure's front matter (tools: [${aop.tools.join(', ')}]).`,
              `Add ${action.tool} to the "tools" list in the front matter, or use an allowed tool.`,
            ),
          ]
        : [],
    );
  },
};
