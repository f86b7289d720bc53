import { best, matchRoute, type Option, ROUTE_MIN_SCORE, scoreRoutes } from './phrase-match.ts';
import { termsOf, WEAK_TERMS } from './text.ts';

/**
 * An FAQ entry's question is often several ways to ask it ("How do I send the items back? Do I get a
 * return label or instructions?"). The entry as a whole is tried first; when no entry wins, each of
 * its questions is scored on its own, so a message asking one of them is not diluted by the others
 * ("how do i send the items back?" against "Which orders can be … returned …?"). A question won that
 * way must be said nearly whole, two thirds of its words of substance at least: "will i be charged
 * extra?" is not "Can I pay with a gift card?" for sharing "pay" alone.
 */
export function matchQuestion(
  message: string,
  entries: readonly Option[],
  context?: string,
): string | undefined {
  const whole = matchRoute(message, entries, context);
  if (whole !== undefined) return whole;
  const asked = entries.flatMap((entry) =>
    entry.label
      .split(/(?<=\?)\s+/)
      .filter((question) => question.trim() !== '')
      .map((question) => ({ value: entry.value, label: question })),
  );
  if (asked.length === entries.length) return undefined;
  const scored = scoreRoutes(message, asked);
  const top = new Map<string, { score: number; label: string }>();
  for (const [index, { value, score }] of scored.entries())
    if (score > (top.get(value)?.score ?? -1)) top.set(value, { score, label: asked[index]!.label });
  const chosen = best(
    [...top].map(([value, { score }]) => ({ value, score })),
    ROUTE_MIN_SCORE,
  );
  if (chosen === undefined) return undefined;
  const said = new Set(termsOf(message, { dropNegated: true }));
  const question = new Set(
    termsOf(top.get(chosen)!.label, { dropNegated: true }).filter((term) => !WEAK_TERMS.has(term)),
  );
  const shared = [...question].filter((term) => said.has(term));
  return question.size > 0 && shared.length * 3 >= question.size * 2 ? chosen : undefined;
}
