import type { Diagnostic } from './diagnostics.ts';

/** tsc-style: `file:line:col - error AOP002: message`, a code frame, then the hint. */
export function formatDiagnostic(
  diagnostic: Diagnostic,
  sourceText: string | undefined,
  options: { color?: boolean } = {},
): string {
  const paint = (code: string, text: string) => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const { span } = diagnostic;
  const severity = diagnostic.severity === 'error' ? paint('31', 'error') : paint('33', 'warning');
  const lines = [
    `${paint('36', span.file)}:${paint('33', String(span.line))}:${paint('33', String(span.col))} - ${severity} ${paint('90', diagnostic.code)}: ${diagnostic.message}`,
  ];
  const sourceLines = sourceText?.replace(/\r\n?/g, '\n').split('\n');
  const line = sourceLines?.[span.line - 1];
  if (line !== undefined) {
    const gutter = String(span.line);
    const width =
      span.endLine === span.line
        ? Math.max(1, span.endCol - span.col)
        : Math.max(1, line.length - span.col + 1);
    lines.push(
      '',
      `${paint('7', gutter)} ${line}`,
      `${paint('7', ' '.repeat(gutter.length))} ${' '.repeat(Math.max(0, span.col - 1))}${paint('31', '~'.repeat(width))}`,
    );
  }
  if (diagnostic.hint) lines.push(`  ${paint('32', 'hint')}: ${diagnostic.hint}`);
  return lines.join('\n');
}
