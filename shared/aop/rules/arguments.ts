import { DiagnosticCodes, error } from '../diagnostics.ts';
import { jsonSchemaOf, schemaAt, toolParameters, typeOf } from '../facts.ts';
import { aopActions } from '../graph.ts';
import type { Rule } from './rule.ts';

/** Every required parameter is bound, and bound to a fact (or literal) of a compatible type. */
export const argumentsRule: Rule = {
  name: 'arguments',
  check({ aop, catalogue }) {
    const diagnostics = [];
    for (const { action } of aopActions(aop)) {
      if (action.kind !== 'call') continue;
      const tool = catalogue.get(action.tool);
      if (!tool) continue;
      const parameters = new Map(toolParameters(tool).map((p) => [p.name, p]));
      for (const [name, argument] of Object.entries(action.args)) {
        const parameter = parameters.get(name);
        if (!parameter) {
          diagnostics.push(
            error(
              DiagnosticCodes.mistypedArgument,
              action.toolSpan,
              `"@${tool.name}" has no parameter "${name}".`,
              `Its parameters are: ${[...parameters.keys()].join(', ')}.`,
            ),
          );
          continue;
        }
        if (argument.source === 'missing') {
          diagnostics.push(
            error(
              DiagnosticCodes.missingArgument,
              action.toolSpan,
              `"@${tool.name}" needs "${name}", and no fact of that name is known to this procedure.`,
              `Ask for it earlier ("Ask for the ${name.replaceAll('_', ' ')}."), or bind it explicitly: @${tool.name}(${name}: some.fact).`,
            ),
          );
          continue;
        }
        const expected = typeOf(parameter.schema);
        let found: string;
        if (argument.source === 'literal') found = argument.value === null ? 'null' : typeof argument.value;
        else {
          const factTool = argument.ref.fact
            ? [...catalogue.values()].find((t) => t.produces === argument.ref.fact)
            : undefined;
          const factSchema = factTool
            ? schemaAt(jsonSchemaOf(factTool.output), argument.ref.path)
            : undefined;
          const slotTool = argument.ref.fact
            ? [...catalogue.values()].find((t) => toolParameters(t).some((p) => p.name === argument.ref.fact))
            : undefined;
          const slotSchema =
            slotTool && argument.ref.path.length === 0
              ? toolParameters(slotTool).find((p) => p.name === argument.ref.fact)?.schema
              : undefined;
          if (!argument.explicit) continue; // bound by name: same name, the catalogue's own type
          found = typeOf(factSchema ?? slotSchema);
        }
        if (expected !== 'any' && found !== 'any' && expected !== found) {
          diagnostics.push(
            error(
              DiagnosticCodes.mistypedArgument,
              argument.source === 'fact' ? argument.ref.span : action.toolSpan,
              `"@${tool.name}" takes "${name}" as ${expected}, but it is given ${found}.`,
              `Bind "${name}" to a ${expected} fact.`,
            ),
          );
        }
      }
    }
    return diagnostics;
  },
};
