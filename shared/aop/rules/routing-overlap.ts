import { type Diagnostic, DiagnosticCodes, type Span, warning } from '../diagnostics.ts';
import type { Aop } from '../ir.ts';
import type { Rule } from './rule.ts';

/**
 * AOP024: two procedures whose `when` or `examples` say nearly the same thing. The router reads a
 * first message against every procedure's description and examples; when two phrasings of different
 * procedures share most of their words, messages like them go to either one (or to a clarifying
 * question) depending on a word or two. The warning names both phrasings, at this procedure's one.
 *
 * Words are compared after lowercasing, dropping filler words and light stemming, so "Cancel my
 * orders" and "cancelling an order" are the same words; the measure is the share of the two phrasings'
 * words they have in common (Jaccard).
 */

/** Phrasings sharing at least this share of their words collide (and at least MIN_SHARED words). */
export const OVERLAP_THRESHOLD = 0.6;
const MIN_SHARED = 2;

interface Phrasing {
  readonly text: string;
  readonly span: Span;
  readonly words: ReadonlySet<string>;
}

export const routingOverlap: Rule = {
  name: 'routing-overlap',
  check({ aop, library }) {
    if (aop.kind !== 'procedure' || aop.when === '') return [];
    const mine = phrasingsOf(aop);
    const diagnostics: Diagnostic[] = [];
    for (const other of [...library.values()].sort((a, b) => a.id.localeCompare(b.id))) {
      if (other.id === aop.id || other.kind !== 'procedure' || other.when === '') continue;
      const theirs = phrasingsOf(other);
      for (const phrasing of mine) {
        const collision = theirs
          .map((candidate) => ({ candidate, share: overlap(phrasing.words, candidate.words) }))
          .filter(({ share }) => share.score >= OVERLAP_THRESHOLD && share.shared.length >= MIN_SHARED)
          .sort((a, b) => b.share.score - a.share.score)[0];
        if (collision === undefined) continue;
        diagnostics.push(
          warning(
            DiagnosticCodes.routingOverlap,
            phrasing.span,
            `"${phrasing.text}" and "${collision.candidate.text}" (${other.id}) share ${Math.round(collision.share.score * 100)}% of their words (${collision.share.shared.join(', ')}): a first message like them may be routed to either procedure.`,
            `Reword one of them with what tells "${aop.id}" and "${other.id}" apart (the order's state, the account, the action), or drop the example.`,
          ),
        );
      }
    }
    return diagnostics;
  },
};

function phrasingsOf(aop: Aop): Phrasing[] {
  const phrasings: Phrasing[] = [
    { text: aop.when, span: aop.whenSpan ?? aop.span, words: wordsOf(aop.when) },
  ];
  for (const example of aop.examples ?? [])
    phrasings.push({ text: example.text, span: example.span, words: wordsOf(example.text) });
  return phrasings.filter((phrasing) => phrasing.words.size > 0);
}

function overlap(a: ReadonlySet<string>, b: ReadonlySet<string>): { score: number; shared: string[] } {
  const shared = [...a].filter((word) => b.has(word)).sort();
  const union = new Set([...a, ...b]).size;
  return { score: union === 0 ? 0 : shared.length / union, shared };
}

const FILLER = new Set(
  `a an the i i'm me my mine we our us you your it its this that these those is am are was were be been do does
  did have has had to of in on at for with by from into about and or but so if then than as please would could
  should can will just like also there here some any all one them they their he she him her his customer
  customers wants want wanted need needs would like i'd i'd get got let can't don't not no yet`.split(/\s+/),
);

function wordsOf(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .match(/[a-z0-9]+(?:'[a-z]+)?/g);
  return new Set((words ?? []).filter((word) => !FILLER.has(word)).map(stem));
}

function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  for (const suffix of ['ing', 'ed']) {
    if (w.length - suffix.length >= 3 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w.replace(/(.)\1$/, '$1');
}
