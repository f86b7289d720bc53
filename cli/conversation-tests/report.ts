import type { RunReport, TestResult } from './run.ts';

/** How `aop test` prints: one line per test as it finishes, then a summary and the per-pattern counts. */

export interface Paint {
  readonly green: (text: string) => string;
  readonly red: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly bold: (text: string) => string;
}

/** Colours on a terminal, unless NO_COLOR is set (https://no-color.org). */
export function paintFor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): Paint {
  const on = stream.isTTY === true && !env.NO_COLOR;
  const code = (open: number, close: number) => (text: string) =>
    on ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return { green: code(32, 39), red: code(31, 39), dim: code(2, 22), bold: code(1, 22) };
}

/** `✓ file › name (N turns, T ms)` or `✗ file › name — first difference (+k more)`. */
export function formatResult(result: TestResult, paint: Paint): string {
  const title = `${result.file} › ${result.name}`;
  if (result.ok)
    return `${paint.green('✓')} ${title} ${paint.dim(`(${result.turns} turn${result.turns === 1 ? '' : 's'}, ${result.durationMs} ms)`)}`;
  const more = result.failures.length > 1 ? paint.dim(` (+${result.failures.length - 1} more)`) : '';
  return `${paint.red('✗')} ${title} — ${result.failures[0]}${more}`;
}

/** Pattern → how many tests carry it and how many of those failed; most frequent first. */
export function patternCounts(results: readonly TestResult[]): [string, { tests: number; failed: number }][] {
  const counts = new Map<string, { tests: number; failed: number }>();
  for (const result of results)
    for (const pattern of new Set(result.patterns)) {
      const count = counts.get(pattern) ?? { tests: 0, failed: 0 };
      count.tests += 1;
      if (!result.ok) count.failed += 1;
      counts.set(pattern, count);
    }
  return [...counts].sort(([a, x], [b, y]) => y.tests - x.tests || a.localeCompare(b));
}

/** `N passed, M failed (K files) in S s`, then `consent 12 · cancel 6 (1 failed) · …` when tests carry patterns. */
export function formatSummary(report: RunReport, paint: Paint): string {
  const passed = report.results.filter((result) => result.ok).length;
  const failed = report.results.length - passed;
  const line = [
    passed > 0 ? paint.green(`${passed} passed`) : `${passed} passed`,
    failed > 0 ? paint.red(`${failed} failed`) : `${failed} failed`,
  ].join(', ');
  const files = `${report.files} file${report.files === 1 ? '' : 's'}`;
  const seconds = (report.durationMs / 1000).toFixed(1);
  const start =
    report.startMs > 0 ? paint.dim(` (platform start ${(report.startMs / 1000).toFixed(1)} s)`) : '';
  const lines = [`${line} (${files}) in ${seconds} s${start}`];
  const patterns = patternCounts(report.results);
  if (patterns.length > 0)
    lines.push(
      patterns
        .map(([pattern, { tests, failed: broken }]) =>
          broken > 0 ? `${pattern} ${tests} ${paint.red(`(${broken} failed)`)}` : `${pattern} ${tests}`,
        )
        .join(' · '),
    );
  return `${lines.join('\n')}\n`;
}

/** The `--json` document. */
export function jsonReport(report: RunReport) {
  const passed = report.results.filter((result) => result.ok).length;
  return {
    ok: passed === report.results.length,
    passed,
    failed: report.results.length - passed,
    files: report.files,
    durationMs: report.durationMs,
    startMs: report.startMs,
    tenant: report.tenant,
    patterns: Object.fromEntries(patternCounts(report.results)),
    tests: report.results.map((result) => ({
      file: result.file,
      name: result.name,
      patterns: result.patterns,
      status: result.ok ? ('passed' as const) : ('failed' as const),
      failure: result.failures[0] ?? null,
      failures: result.failures,
      turns: result.turns,
      durationMs: result.durationMs,
      conversationId: result.conversationId ?? null,
      conversationStatus: result.status ?? null,
      transcript: result.transcript,
    })),
  };
}
