import { DiagnosticCodes, error } from '../diagnostics.ts';
import { aopActions } from '../graph.ts';
import type { Rule } from './rule.ts';

/**
 * Records offered for an ask (`offering the user address and the addresses of the orders`) must each
 * answer every fact the ask collects: a pick fills them all at once, so a record without a city would
 * leave the customer asked for it anyway, or worse, fill the slot from nothing. Same code as the other
 * offer the customer cannot use (AOP023).
 */
export const offersDoNotFit: Rule = {
  name: 'offers-do-not-fit',
  check({ aop }) {
    const diagnostics = [];
    for (const { action } of aopActions(aop)) {
      if (action.kind !== 'ask') continue;
      const offers = action.slots[0]?.offers ?? [];
      const asked = action.slots.map((slot) => slot.name);
      for (const offer of offers) {
        // An unknown phrase is AOP004's (unknown-fact).
        if (!offer.ref.fact || offer.ref.problem) continue;
        const missing = offer.fields === null ? asked : asked.filter((name) => !offer.fields!.includes(name));
        if (missing.length === 0) continue;
        diagnostics.push(
          error(
            DiagnosticCodes.choicesCannotBeShown,
            offer.ref.span,
            `"${offer.ref.phrase}" cannot answer this question: ${offer.fields === null || offer.fields.length === 0 ? 'it is not a record' : `its records have no ${missing.join(', ')}`} (the question asks for ${asked.join(', ')}).`,
            'Offer a record (or a list of records holding one) with a text field for every fact asked, e.g. "offering the user address and the addresses of the orders" for an address.',
          ),
        );
      }
    }
    return diagnostics;
  },
};
