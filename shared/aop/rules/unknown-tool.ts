import { DiagnosticCodes, error, nearest } from '../diagnostics.ts';
import { aopActions } from '../graph.ts';
import type { Rule } from './rule.ts';

export const unknownTool: Rule = {
  name: 'unknown-tool',
  check({ aop, catalogue }) {
    const diagnostics = [];
    for (const tool of aop.tools) {
      if (!catalogue.has(tool)) {
        const suggestion = nearest(tool, catalogue.keys());
        diagnostics.push(
          error(
            DiagnosticCodes.unknownTool,
            aop.toolSpans[tool] ?? aop.span,
            `The front matter allows tool "${tool}", which is not in the tool catalogue.`,
            suggestion
              ? `Did you mean "${suggestion}"?`
              : `Declared tools: ${[...catalogue.keys()].join(', ')}.`,
          ),
        );
      }
    }
    for (const { action } of aopActions(aop)) {
      if (action.kind !== 'call' || catalogue.has(action.tool)) continue;
      const suggestion = nearest(action.tool, catalogue.keys());
      diagnostics.push(
        error(
          DiagnosticCodes.unknownTool,
          action.toolSpan,
          `Unknown tool "@${action.tool}".`,
          suggestion
            ? `Did you mean "@${suggestion}"?`
            : `Declared tools: ${[...catalogue.keys()].join(', ')}.`,
        ),
      );
    }
    return diagnostics;
  },
};
