import { DiagnosticCodes, error } from '../diagnostics.ts';
import { jsonSchemaOf, schemaAt, toolParameters } from '../facts.ts';
import { aopActions } from '../graph.ts';
import type { Rule } from './rule.ts';

/**
 * A list offered as choices must be one the customer can recognise: records the agent can describe
 * (`the order items`), or bare ids that an allowed read tool looks up one by one (`the user's orders`
 * with @get_order_details). A list of bare ids nothing describes would put raw ids in front of the
 * customer, so it is refused.
 */
export const choicesCannotBeShown: Rule = {
  name: 'choices-cannot-be-shown',
  check({ aop, catalogue }) {
    const diagnostics = [];
    for (const { action } of aopActions(aop)) {
      if (action.kind !== 'ask') continue;
      for (const slot of action.slots) {
        const options = slot.options;
        if (!options?.fact || slot.describedBy) continue;
        const tool = [...catalogue.values()].find((candidate) => candidate.produces === options.fact);
        if (!tool) continue;
        const schema = schemaAt(jsonSchemaOf(tool.output), options.path);
        const items = schema?.type === 'array' ? (schema.items as Record<string, unknown>) : undefined;
        if (items?.type !== 'string') continue;
        const readers = [...catalogue.values()]
          .filter(
            (candidate) =>
              candidate.effect === 'read' &&
              toolParameters(candidate).some((parameter) => parameter.name === slot.name),
          )
          .map((candidate) => `@${candidate.name}`);
        diagnostics.push(
          error(
            DiagnosticCodes.choicesCannotBeShown,
            options.span,
            `"${options.phrase}" is a list of bare ids: the customer would be offered ids, not things they recognise.`,
            readers.length > 0
              ? `Allow a read tool that describes each one in the front matter's tools (${readers.join(', ')}), or offer a list of records.`
              : `Offer a list of records (with names) instead, or add a read tool that takes "${slot.name}".`,
          ),
        );
      }
    }
    return diagnostics;
  },
};
