import { type Diagnostic, DiagnosticCodes, error } from '../diagnostics.ts';
import { toolParameters } from '../facts.ts';
import { aopActions } from '../graph.ts';
import type { Rule } from './rule.ts';

/**
 * `choosing from the available variants of the chosen items' products` offers, for each record the
 * customer chose earlier, the variants of its product by their attributes. It can only be shown when
 * every link holds: an earlier choice of those records, a field of theirs that an allowed read tool
 * takes, a list of variants in that tool's result carrying the value asked for, and, when the phrase
 * says "available", a yes/no field that says so. Otherwise the customer would be asked for ids.
 */
export const variantsCannotBeShown: Rule = {
  name: 'variants-cannot-be-shown',
  check({ aop, catalogue }) {
    const diagnostics: Diagnostic[] = [];
    for (const { action } of aopActions(aop)) {
      if (action.kind !== 'ask') continue;
      for (const slot of action.slots) {
        const variants = slot.variants;
        if (!variants) continue;
        const say = (message: string, hint: string) =>
          diagnostics.push(error(DiagnosticCodes.variantsCannotBeShown, variants.span, message, hint));
        const chosen = variants.per.replace(/_ids?$/, '').replaceAll('_', ' ');
        if (!variants.records) {
          say(
            `"${variants.phrase}" needs an earlier question that chooses the ${chosen}s from a list of records with a "${variants.key}", and there is none.`,
            `Ask for the ${chosen} ids first, choosing from a list of records (e.g. "Ask for the item ids, choosing from the order items.").`,
          );
          continue;
        }
        if (!variants.tool) {
          const readers = [...catalogue.values()]
            .filter(
              (tool) =>
                tool.effect === 'read' &&
                toolParameters(tool).some((parameter) => parameter.name === variants.key),
            )
            .map((tool) => `@${tool.name}`);
          say(
            `"${variants.phrase}": no allowed read tool takes "${variants.key}", so the variants cannot be looked up and shown.`,
            readers.length > 0
              ? `Allow ${readers.join(' or ')} in the front matter's tools.`
              : `Declare a read tool that takes "${variants.key}" and lists the variants.`,
          );
          continue;
        }
        if (!variants.list) {
          say(
            `"${variants.phrase}": the result of @${variants.tool} lists no records with a "${variants.value}", so there is nothing to choose from.`,
            `Use a read tool whose result lists the variants, each with its "${variants.value}".`,
          );
          continue;
        }
        if (variants.onlyAvailable && !variants.available)
          say(
            `"${variants.phrase}" says "available", but the variants in @${variants.tool}'s "${variants.list}" have no yes/no field that says so.`,
            'Drop "available" from the phrase, or have the tool say whether each variant is available.',
          );
      }
    }
    return diagnostics;
  },
};
