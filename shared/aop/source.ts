import { createHash } from 'node:crypto';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { type Diagnostic, DiagnosticCodes, error, type Span } from './diagnostics.ts';

/**
 * Step 1 of the pipeline: the Markdown structure of an AOP with exact source positions.
 * Front matter (YAML) → fields with spans; numbered list items → steps; nested bullets → branches.
 * Text is kept as `Located` pieces so every later diagnostic can point at a line and column.
 */

export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** A piece of text that knows where each of its characters came from. */
export interface Located {
  readonly text: string;
  /** Position of each character of `text` in the file (line, col, 1-based). */
  readonly positions: readonly (readonly [number, number])[];
  readonly file: string;
}

export interface FrontMatterField {
  readonly value: unknown;
  readonly span: Span;
  /** Span of the key itself, for diagnostics about the field rather than its value. */
  readonly keySpan: Span;
  /** For a list, the span of each item (so "unknown tool" points at the tool, not the whole list). */
  readonly itemSpans?: readonly Span[];
}

export interface RawBranch {
  readonly text: Located;
  readonly span: Span;
}

export interface RawStep {
  readonly number: number;
  readonly explicitId: string | null;
  readonly text: Located;
  readonly span: Span;
  readonly branches: RawBranch[];
  /** A Markdown table written under the step (a decision table), one entry per `|` line. */
  readonly table?: Located[];
}

export interface ParsedSource {
  readonly file: string;
  readonly sourceHash: string;
  readonly frontMatter: Map<string, FrontMatterField>;
  readonly frontMatterSpan: Span;
  readonly steps: RawStep[];
  readonly diagnostics: Diagnostic[];
}

export function spanOf(located: Located, start = 0, end = located.text.length): Span {
  const first = located.positions[Math.min(start, located.positions.length - 1)] ?? [1, 1];
  const lastIndex = Math.max(start, end - 1);
  const last = located.positions[Math.min(lastIndex, located.positions.length - 1)] ?? first;
  return { file: located.file, line: first[0], col: first[1], endLine: last[0], endCol: last[1] + 1 };
}

export function slice(located: Located, start: number, end = located.text.length): Located {
  return {
    text: located.text.slice(start, end),
    positions: located.positions.slice(start, end),
    file: located.file,
  };
}

/** Trims whitespace and trailing punctuation while keeping positions. */
export function trim(located: Located, trailing = /[\s]/): Located {
  let start = 0;
  let end = located.text.length;
  while (start < end && /\s/.test(located.text[start]!)) start++;
  while (end > start && (trailing.test(located.text[end - 1]!) || /\s/.test(located.text[end - 1]!))) end--;
  return slice(located, start, end);
}

function lineText(file: string, line: string, lineNumber: number, fromCol: number): Located {
  const text = line.slice(fromCol - 1);
  return { text, positions: Array.from(text, (_, i) => [lineNumber, fromCol + i] as const), file };
}

function join(parts: Located[]): Located {
  const first = parts[0];
  if (!first) return { text: '', positions: [], file: '' };
  let text = '';
  const positions: (readonly [number, number])[] = [];
  for (const [index, part] of parts.entries()) {
    if (index > 0) {
      text += ' ';
      const previous = positions[positions.length - 1] ?? [1, 1];
      positions.push([previous[0], previous[1] + 1]);
    }
    text += part.text;
    positions.push(...part.positions);
  }
  return { text, positions, file: first.file };
}

const STEP_LINE = /^(\d+)[.)]\s+(.*)$/;
const BULLET_LINE = /^(\s+)[-*+]\s+(.*)$/;
const EXPLICIT_ID = /\{#([a-z0-9][a-z0-9-]*)\}/;

export function parseSource(source: SourceFile): ParsedSource {
  const diagnostics: Diagnostic[] = [];
  const lines = source.text.replace(/\r\n?/g, '\n').split('\n');
  const sourceHash = createHash('sha256').update(source.text).digest('hex');
  const frontMatter = new Map<string, FrontMatterField>();
  let frontMatterSpan: Span = { file: source.path, line: 1, col: 1, endLine: 1, endCol: 2 };
  let bodyStart = 0;

  if (lines[0]?.trim() === '---') {
    const close = lines.findIndex((line, index) => index > 0 && line.trim() === '---');
    if (close === -1) {
      diagnostics.push(
        error(
          DiagnosticCodes.invalidFrontMatter,
          frontMatterSpan,
          'The front matter opened with "---" on line 1 is never closed.',
          'Add a line with only "---" after the last front matter field.',
        ),
      );
      bodyStart = lines.length;
    } else {
      frontMatterSpan = { file: source.path, line: 1, col: 1, endLine: close + 1, endCol: 4 };
      readFrontMatter(source.path, lines.slice(1, close).join('\n'), frontMatter, diagnostics);
      bodyStart = close + 1;
    }
  } else {
    diagnostics.push(
      error(
        DiagnosticCodes.invalidFrontMatter,
        frontMatterSpan,
        'The procedure has no front matter.',
        'Start the file with a "---" block holding id, title, when, channels and tools.',
      ),
    );
  }

  const steps: RawStep[] = [];
  let current: {
    number: number;
    parts: Located[];
    branches: { parts: Located[]; indent: number }[];
    table: Located[];
    line: number;
    endLine: number;
    endCol: number;
  } | null = null;
  let inFence = false;
  const flush = () => {
    if (!current) return;
    let text = join(current.parts);
    const explicit = EXPLICIT_ID.exec(text.text);
    let explicitId: string | null = null;
    if (explicit) {
      explicitId = explicit[1]!;
      text = joinAround(text, explicit.index, explicit.index + explicit[0].length);
    }
    steps.push({
      number: current.number,
      explicitId,
      text: trim(text),
      span: {
        file: source.path,
        line: current.line,
        col: 1,
        endLine: current.endLine,
        endCol: current.endCol,
      },
      branches: current.branches.map((branch) => {
        const located = trim(join(branch.parts));
        return { text: located, span: spanOf(located) };
      }),
      ...(current.table.length > 0 ? { table: current.table } : {}),
    });
    current = null;
  };

  for (let index = bodyStart; index < lines.length; index++) {
    const line = lines[index]!;
    const lineNumber = index + 1;
    if (/^\s*```/.test(line)) inFence = !inFence;
    if (inFence || line.trim() === '' || /^\s*#/.test(line) || /^\s*<!--/.test(line)) {
      if (line.trim() !== '' && current && !/^\s/.test(line)) flush();
      continue;
    }
    const step = STEP_LINE.exec(line);
    if (step) {
      flush();
      const col = line.length - step[2]!.length + 1;
      current = {
        number: Number(step[1]),
        parts: [lineText(source.path, line, lineNumber, col)],
        branches: [],
        table: [],
        line: lineNumber,
        endLine: lineNumber,
        endCol: line.length + 1,
      };
      continue;
    }
    if (!current) continue; // prose before the first step is description, not procedure
    const bullet = BULLET_LINE.exec(line);
    if (/^\s+\|/.test(line) && current.branches.length === 0) {
      // A decision table under the step: kept line by line, not joined into the step's sentence.
      const col = line.length - line.trimStart().length + 1;
      current.table.push(lineText(source.path, line.trimEnd(), lineNumber, col));
    } else if (bullet) {
      const col = line.length - bullet[2]!.length + 1;
      current.branches.push({
        parts: [lineText(source.path, line, lineNumber, col)],
        indent: bullet[1]!.length,
      });
    } else if (/^\s/.test(line)) {
      const col = line.length - line.trimStart().length + 1;
      const continuation = lineText(source.path, line.trimEnd(), lineNumber, col);
      const branch = current.branches[current.branches.length - 1];
      if (branch) branch.parts.push(continuation);
      else current.parts.push(continuation);
    } else {
      flush();
      continue;
    }
    current.endLine = lineNumber;
    current.endCol = line.length + 1;
  }
  flush();
  return { file: source.path, sourceHash, frontMatter, frontMatterSpan, steps, diagnostics };
}

function joinAround(located: Located, cutStart: number, cutEnd: number): Located {
  return {
    text: located.text.slice(0, cutStart) + located.text.slice(cutEnd),
    positions: [...located.positions.slice(0, cutStart), ...located.positions.slice(cutEnd)],
    file: located.file,
  };
}

/**
 * The front matter's fields with spans. YAML that does not parse as a whole is read again one field at
 * a time (a line that starts a key, with the indented or "- " lines under it), so one malformed line
 * is one diagnostic at that line and every other field still counts: a broken "channels" line must
 * not also lose "tools" and turn every tool of the procedure into a follow-on error.
 */
function readFrontMatter(
  file: string,
  yamlText: string,
  out: Map<string, FrontMatterField>,
  diagnostics: Diagnostic[],
) {
  const whole = readYaml(file, yamlText, 0);
  if (whole.errors.length === 0) {
    diagnostics.push(...whole.problems);
    for (const [key, field] of whole.fields) out.set(key, field);
    return;
  }
  const before = diagnostics.length;
  const lines = yamlText.split('\n');
  let offset = 0;
  let chunk: { line: number; offset: number; text: string[] } | null = null;
  const chunks: { line: number; offset: number; text: string }[] = [];
  for (const [index, line] of lines.entries()) {
    const startsField = line.trim() !== '' && !/^[\s#-]/.test(line);
    if (!chunk || startsField) {
      if (chunk) chunks.push({ ...chunk, text: chunk.text.join('\n') });
      chunk = { line: index, offset, text: [] };
    }
    chunk.text.push(line);
    offset += line.length + 1;
  }
  if (chunk) chunks.push({ ...chunk, text: chunk.text.join('\n') });
  for (const piece of chunks) {
    if (piece.text.trim() === '') continue;
    const read = readYaml(file, piece.text, piece.line);
    const first = read.errors[0] ?? read.problems[0];
    if (first) {
      diagnostics.push(first);
      continue;
    }
    for (const [key, field] of read.fields) {
      if (out.has(key)) {
        diagnostics.push(
          error(
            DiagnosticCodes.invalidFrontMatter,
            field.keySpan,
            `The front matter field "${key}" is given twice.`,
            'Keep one of them.',
          ),
        );
        continue;
      }
      out.set(key, field);
    }
  }
  if (diagnostics.length === before) diagnostics.push(whole.errors[0]!);
}

/** One piece of YAML: its fields with file spans (`firstLine`: its line within the front matter, 0-based). */
function readYaml(
  file: string,
  yamlText: string,
  firstLine: number,
): { fields: Map<string, FrontMatterField>; errors: Diagnostic[]; problems: Diagnostic[] } {
  const fields = new Map<string, FrontMatterField>();
  const errors: Diagnostic[] = [];
  const problems: Diagnostic[] = [];
  const document = parseDocument(yamlText, { prettyErrors: false });
  // yaml's LineCounter skips newlines inside some malformed input, so lines are counted from the text.
  const lineStarts = [0];
  for (let index = 0; index < yamlText.length; index++)
    if (yamlText[index] === '\n') lineStarts.push(index + 1);
  const linePos = (offset: number) => {
    const at = Math.max(0, Math.min(offset, yamlText.length));
    let line = lineStarts.length - 1;
    while (line > 0 && lineStarts[line]! > at) line--;
    return { line: line + 1, col: at - lineStarts[line]! + 1 };
  };
  const toSpan = (range: readonly number[] | null | undefined): Span => {
    const start = linePos(range?.[0] ?? 0);
    const end = linePos(range?.[1] ?? range?.[0] ?? 0);
    // +1: the front matter starts on line 2 of the file (line 1 is "---").
    return {
      file,
      line: firstLine + start.line + 1,
      col: start.col,
      endLine: firstLine + end.line + 1,
      endCol: Math.max(end.col, start.col + 1),
    };
  };
  // An error found only at the end of the text (an unclosed "[") is about the value that opened it.
  const valueStart = /^[^:\n]*:\s*/.exec(yamlText)?.[0].length ?? yamlText.search(/\S|$/);
  for (const problem of document.errors) {
    const at = problem.pos[0] >= yamlText.trimEnd().length ? [valueStart, valueStart + 1] : problem.pos;
    errors.push(
      error(
        DiagnosticCodes.invalidFrontMatter,
        toSpan(at),
        `The front matter is not valid YAML: ${problem.message.split('\n')[0]}`,
        'Write one "key: value" per line; lists as [a, b] or as "- item" lines.',
      ),
    );
  }
  if (errors.length > 0) return { fields, errors, problems };
  const contents = document.contents;
  if (!isMap(contents)) {
    if (contents !== null) {
      problems.push(
        error(
          DiagnosticCodes.invalidFrontMatter,
          toSpan(contents.range),
          'The front matter must be a set of "key: value" fields.',
          'Write one "key: value" per line.',
        ),
      );
    }
    return { fields, errors, problems };
  }
  for (const pair of contents.items) {
    if (!isScalar(pair.key)) continue;
    const key = String(pair.key.value);
    const node = pair.value;
    const value = isSeq(node) || isMap(node) || isScalar(node) ? node.toJSON() : null;
    const range = (node as { range?: number[] } | null)?.range ?? pair.key.range;
    const field: FrontMatterField = { value, span: toSpan(range), keySpan: toSpan(pair.key.range) };
    fields.set(
      key,
      isSeq(node)
        ? { ...field, itemSpans: node.items.map((item) => toSpan((item as { range?: number[] }).range)) }
        : field,
    );
  }
  return { fields, errors, problems };
}
