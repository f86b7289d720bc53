import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileProject, type SourceFile } from '../../shared/aop/index.ts';
import { applyEdit, type Edit } from './edits.ts';
import { retailCatalogue, retailSources } from './support.ts';

/**
 * Random edits of the retail procedures, the kind an author makes by mistake (a deleted line, a stray
 * word, a lost quote, a half-written front matter): the compiler must never throw, and every result
 * must either carry a state machine or say why not, pointing inside the file.
 */

const RUNS = 3_000;
// Fixed so a run is reproducible; set AOP_FUZZ_SEED to explore other edits.
const SEED = Number(process.env.AOP_FUZZ_SEED ?? 20_240_501);

const WORDS = [
  'if',
  'otherwise',
  'then',
  'end',
  'and',
  'or',
  'not',
  'ask',
  'for',
  'the',
  'order',
  'status',
  'is',
  'was found',
  'more than',
  'days ago',
  'confirm',
  'escalate',
  'go back to step',
  '@get_order_details',
  '@authenticate-customer',
  '@nothing',
  '{order.status}',
  '{#x}',
  '`order.total >= 1`',
  '"',
  '---',
  '- ',
  '1.',
  '99.',
  ':',
  '(at most 2 times)',
];

const position = fc.nat({ max: 10_000 });

const editArbitrary: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('delete-line' as const), at: position }),
  fc.record({ kind: fc.constant('duplicate-line' as const), at: position }),
  fc.record({ kind: fc.constant('swap-lines' as const), at: position, with: position }),
  fc.record({ kind: fc.constant('insert-word' as const), at: position, word: fc.constantFrom(...WORDS) }),
  fc.record({
    kind: fc.constant('insert-chars' as const),
    at: position,
    chars: fc.string({ maxLength: 8, unit: 'binary' }),
  }),
  fc.record({
    kind: fc.constant('change-number' as const),
    at: position,
    value: fc.integer({ min: -5, max: 1_000_000 }),
  }),
  fc.record({
    kind: fc.constant('drop-char' as const),
    char: fc.constantFrom(
      '"' as const,
      '@' as const,
      '{' as const,
      '}' as const,
      '`' as const,
      '(' as const,
      ')' as const,
    ),
    at: position,
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({
    kind: fc.constant('front-matter' as const),
    how: fc.constantFrom(
      'drop-open' as const,
      'drop-close' as const,
      'blank-value' as const,
      'garbage' as const,
      'drop-field' as const,
    ),
    at: position,
  }),
);

const originals = retailSources();

const caseArbitrary = fc.record({
  file: fc.nat({ max: originals.length - 1 }),
  edits: fc.array(editArbitrary, { minLength: 1, maxLength: 3 }),
});

function lineLengths(text: string): number[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.length);
}

describe('compiler under random edits of the retail procedures', () => {
  it(`never throws, and always gives a state machine or an error pointing into the file (${RUNS} edits)`, () => {
    let compiledToAsl = 0;
    fc.assert(
      fc.property(caseArbitrary, ({ file, edits }) => {
        const target = originals[file]!;
        const text = edits.reduce(applyEdit, target.text);
        // The edited file with the sub-procedure every retail procedure follows (unless it is that one).
        const sources: SourceFile[] = [
          { path: target.path, text },
          ...originals.filter(
            (source) => source.path.endsWith('/authenticate-customer.md') && source !== target,
          ),
        ];
        const results = compileProject(sources, { catalogue: retailCatalogue });
        expect(results).toHaveLength(sources.length);
        const texts = new Map(sources.map((source) => [source.path, lineLengths(source.text)]));
        for (const result of results) {
          if (result.asl === null) {
            expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
          } else {
            compiledToAsl++;
            expect(result.manifest).not.toBeNull();
          }
          for (const diagnostic of result.diagnostics) {
            // An edit may break the source, never the compiler's own output.
            expect(diagnostic.code).not.toBe('AOP021');
            const lengths = texts.get(diagnostic.span.file);
            expect(lengths, diagnostic.span.file).toBeDefined();
            const { line, col } = diagnostic.span;
            expect(line).toBeGreaterThanOrEqual(1);
            expect(line).toBeLessThanOrEqual(lengths!.length);
            expect(col).toBeGreaterThanOrEqual(1);
            expect(col).toBeLessThanOrEqual(lengths![line - 1]! + 1);
          }
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The edits must not all be fatal: a fair share still compiles, so lowering is exercised too.
    expect(compiledToAsl).toBeGreaterThan(RUNS / 10);
  }, 120_000);
});
