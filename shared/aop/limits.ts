import { type Diagnostic, DiagnosticCodes, error, type Span } from './diagnostics.ts';
import type { SourceFile } from './source.ts';

/**
 * What a procedure source may be, checked before it is parsed: a hostile or broken file (a 1 MB line,
 * a thousand nested bullets, ten thousand steps) gets one diagnostic per excess, with its line, instead
 * of overflowing the parser's stack or holding `aop check` for seconds. The limits are far above what a
 * procedure a person writes needs (the retail procedures: at most 11 steps, 2 levels, 284-character lines).
 */
export const SOURCE_LIMITS = {
  /** Characters in the whole file. */
  maxChars: 200_000,
  /** Characters on one line. */
  maxLineChars: 4_000,
  /** Levels of bullets under a step. */
  maxDepth: 8,
  /** Numbered steps. */
  maxSteps: 1_500,
} as const;

const STEP = /^\d+[.)]\s/;
const BULLET = /^(\s+)[-*+]\s/;

/**
 * The limits' diagnostics and the text to compile: the source as it is when it is within them;
 * otherwise its front matter alone (so the procedure's id is still known), or nothing.
 */
export function checkSourceLimits(source: SourceFile): { diagnostics: Diagnostic[]; text: string } {
  const diagnostics: Diagnostic[] = [];
  const at = (line: number, endCol = 2): Span => ({ file: source.path, line, col: 1, endLine: line, endCol });
  if (source.text.length > SOURCE_LIMITS.maxChars)
    diagnostics.push(
      error(
        DiagnosticCodes.sourceOverLimits,
        at(1),
        `The file has ${source.text.length} characters; a procedure may have at most ${SOURCE_LIMITS.maxChars}.`,
        'Split it into procedures and sub-procedures (`Follow @other-procedure.`).',
      ),
    );
  const lines = source.text.split(/\r?\n/);
  let steps = 0;
  let reported = 0;
  for (const [index, line] of lines.entries()) {
    if (reported >= 10) break;
    const number = index + 1;
    if (line.length > SOURCE_LIMITS.maxLineChars) {
      reported++;
      diagnostics.push(
        error(
          DiagnosticCodes.sourceOverLimits,
          at(number, 2),
          `Line ${number} has ${line.length} characters; a line may have at most ${SOURCE_LIMITS.maxLineChars}.`,
          'Break the sentence up, or move long text into a tool or the tenant FAQ.',
        ),
      );
      continue;
    }
    if (STEP.test(line)) steps++;
    const indent = BULLET.exec(line)?.[1]?.replace(/\t/g, '  ').length ?? 0;
    const depth = Math.ceil(indent / 2);
    if (depth > SOURCE_LIMITS.maxDepth) {
      reported++;
      diagnostics.push(
        error(
          DiagnosticCodes.sourceOverLimits,
          at(number, indent + 2),
          `Line ${number} is a bullet ${depth} levels deep; bullets may nest at most ${SOURCE_LIMITS.maxDepth} levels.`,
          'Turn the deep branches into steps of their own, with "Then go to step N".',
        ),
      );
    }
  }
  if (steps > SOURCE_LIMITS.maxSteps)
    diagnostics.push(
      error(
        DiagnosticCodes.sourceOverLimits,
        at(1),
        `The procedure has ${steps} steps; a procedure may have at most ${SOURCE_LIMITS.maxSteps}.`,
        'Split it into sub-procedures (`Follow @other-procedure.`).',
      ),
    );
  if (diagnostics.length === 0) return { diagnostics, text: source.text };
  return { diagnostics, text: frontMatterOnly(lines) };
}

/** The front matter block, when it opens the file, is closed and is itself within the line limit. */
function frontMatterOnly(lines: readonly string[]): string {
  if (lines[0]?.trim() !== '---') return '';
  const close = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
  if (close === -1 || close > 200) return '';
  const block = lines.slice(0, close + 1);
  return block.every((line) => line.length <= SOURCE_LIMITS.maxLineChars) ? `${block.join('\n')}\n` : '';
}
