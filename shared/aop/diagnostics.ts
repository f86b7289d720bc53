import { z } from 'zod';

/** A position range in an AOP source file. Lines and columns are 1-based; `end*` is exclusive. */
export const SpanSchema = z.object({
  file: z.string(),
  line: z.number().int().min(1),
  col: z.number().int().min(1),
  endLine: z.number().int().min(1),
  endCol: z.number().int().min(1),
});
export type Span = z.infer<typeof SpanSchema>;

export type Severity = 'error' | 'warning';

/**
 * AOP diagnostics are data, never thrown: every rule runs and all findings are reported together.
 * `code` is stable (tests and tooling key on it); `message` says what is wrong and the value found;
 * `hint` says what is allowed and how to fix it.
 */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span: Span;
  readonly hint?: string;
}

/** The stable codes. Never renumber; retire a code instead of reusing it. */
export const DiagnosticCodes = {
  sentenceNotUnderstood: 'AOP001',
  unknownTool: 'AOP002',
  toolNotAllowed: 'AOP003',
  unknownFact: 'AOP004',
  ambiguousFact: 'AOP005',
  missingArgument: 'AOP006',
  mistypedArgument: 'AOP007',
  factUsedBeforeKnown: 'AOP008',
  writeWithoutConfirmation: 'AOP009',
  guardNotSatisfied: 'AOP010',
  unreachableStep: 'AOP011',
  pathWithoutEnd: 'AOP012',
  unboundedLoop: 'AOP013',
  duplicateStepId: 'AOP014',
  unknownSubprocedure: 'AOP015',
  recursiveSubprocedure: 'AOP016',
  overLimits: 'AOP017',
  invalidFrontMatter: 'AOP018',
  valueNotAllowed: 'AOP019',
  unknownStep: 'AOP020',
  invalidDefinition: 'AOP021',
  choicesCannotBeShown: 'AOP023',
  routingOverlap: 'AOP024',
  variantsCannotBeShown: 'AOP025',
  sourceOverLimits: 'AOP026',
  /** A condition's test does not fit its operand's type (a date test on a non-date, …). */
  typeMismatch: 'AOP027',
  /** Free text the customer wrote is tested in a condition; it may only be said or passed on. */
  freeTextInCondition: 'AOP028',
  /** A computed fact's expression is not understood or does not fit its operands' types. */
  invalidComputation: 'AOP029',
  /** A decision table leaves a combination of values without a row (and has no "otherwise"). */
  incompleteTable: 'AOP030',
  /** Two rows of a decision table hold for the same values. */
  overlappingRows: 'AOP031',
  /** "For each" over a list without a bound, or with more calls than the limit. */
  unboundedForEach: 'AOP032',
} as const;
export type DiagnosticCode = (typeof DiagnosticCodes)[keyof typeof DiagnosticCodes];

export function error(code: DiagnosticCode, span: Span, message: string, hint?: string): Diagnostic {
  return hint === undefined
    ? { code, severity: 'error', message, span }
    : { code, severity: 'error', message, span, hint };
}

export function warning(code: DiagnosticCode, span: Span, message: string, hint?: string): Diagnostic {
  return hint === undefined
    ? { code, severity: 'warning', message, span }
    : { code, severity: 'warning', message, span, hint };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Deterministic order for output and tests: by file, line, column, then code. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.span.file.localeCompare(b.span.file) ||
      a.span.line - b.span.line ||
      a.span.col - b.span.col ||
      a.code.localeCompare(b.code),
  );
}

/** Levenshtein distance, for "did you mean" suggestions. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(3, Math.floor(name.length / 2)) ? best : undefined;
}
