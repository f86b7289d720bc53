import { type ConditionContext, parseCondition, parseValue } from './conditions.ts';
import { type Diagnostic, DiagnosticCodes, error } from './diagnostics.ts';
import type { JsonSchema } from './facts.ts';
import type { Condition, Expr, FactRef, Table, Value } from './ir.ts';
import { type Located, slice, spanOf, trim } from './source.ts';
import { isMoneyName } from './types.ts';

/**
 * Decision tables: a Markdown table under a "Work out …" step maps facts to a value, the way CX teams
 * write their SOPs.
 *
 *   5. {#fee} Work out the return fee from this table:
 *      | membership | order total   | return fee |
 *      | ---------- | ------------- | ---------- |
 *      | "gold"     | any           | 0          |
 *      | "silver"   | at least 100  | 0          |
 *      | otherwise  |               | 10         |
 *
 * Every column but the last names a fact; each cell tests it as a condition would after "is" ("gold",
 * "at least 100", "not "gold"", `"a" or "b"`; `any`, `-` or empty: any value). The last column is the
 * value. Hit policy: unique (DMN's default). At most one row may hold for any values (AOP031), and
 * some row must hold for every value the types allow, unless an "otherwise" row catches the rest (AOP030).
 */

export interface ParsedTable {
  readonly table: Table;
  readonly expr: Expr;
  readonly schema: JsonSchema;
  readonly diagnostics: Diagnostic[];
}

const ANY = /^(?:any|anything|-|–|—|\*|)$/i;

export function parseTable(
  lines: readonly Located[],
  context: ConditionContext,
  resultName: string,
): ParsedTable {
  const diagnostics: Diagnostic[] = [];
  const rows = lines.map(cellsOf).filter((cells) => !cells.every((cell) => /^:?-{3,}:?$/.test(cell.text)));
  const header = rows[0] ?? [];
  const columns = header.map((cell, index) => ({
    ref: index < header.length - 1 ? context.ref(cell) : null,
    text: cell.text,
    span: spanOf(cell),
  }));
  const table: Table = { columns, rows: [] };
  if (header.length < 2) {
    const at = lines[0]!;
    diagnostics.push(
      error(
        DiagnosticCodes.invalidComputation,
        spanOf(at),
        'A decision table needs at least one fact column and a value column.',
        `Write a header row such as "| membership | ${resultName.replaceAll('_', ' ')} |".`,
      ),
    );
    return { table, expr: { op: 'table', rows: [] }, schema: {}, diagnostics };
  }
  const exprRows: { when: Condition; value: Value }[] = [];
  for (const cells of rows.slice(1)) {
    const line = cells[0] ?? header[0]!;
    const span = rowSpan(cells);
    if (cells.length !== header.length) {
      diagnostics.push(
        error(
          DiagnosticCodes.invalidComputation,
          span,
          `This row has ${cells.length} cells; the header has ${header.length}.`,
          'Give every row one cell per column; leave a cell empty or write "any" for any value.',
        ),
      );
      continue;
    }
    const otherwise = /^(?:otherwise|else|anything else)$/i.test(line.text);
    const inputs = cells.slice(0, -1).map((cell, index) => {
      if (otherwise || ANY.test(cell.text)) return { text: cell.text, span: spanOf(cell), when: null };
      const when = parseCondition(isSentence(header[index]!, cell), context);
      if (!when) {
        diagnostics.push(
          error(
            DiagnosticCodes.invalidComputation,
            spanOf(cell),
            `The cell "${cell.text}" is not a value or a test of "${header[index]!.text}".`,
            'Write a quoted value ("gold"), several ("gold" or "silver"), a number, a test ("at least 100", "not "gold"") or "any".',
          ),
        );
      }
      return { text: cell.text, span: spanOf(cell), when };
    });
    const valueCell = cells[cells.length - 1]!;
    const value = resultValue(valueCell.text);
    if (value === undefined) {
      diagnostics.push(
        error(
          DiagnosticCodes.invalidComputation,
          spanOf(valueCell),
          `The row gives no ${header[header.length - 1]!.text}.`,
          'Write the value in the last column: a number, "quoted text", true or false.',
        ),
      );
      continue;
    }
    const tests = inputs.flatMap((input) => (input.when ? [input.when] : []));
    const always = otherwise || tests.length === 0;
    table.rows.push({ cells: inputs, value, otherwise: always, span });
    if (inputs.some((input) => input.when === null && !ANY.test(input.text) && !otherwise)) continue;
    exprRows.push({ when: always ? { kind: 'and', items: [] } : { kind: 'and', items: tests }, value });
  }
  const values = table.rows.map((row) => row.value);
  const schema: JsonSchema = values.every((value) => typeof value === 'number')
    ? isMoneyName(resultName)
      ? { type: 'number', format: 'money' }
      : { type: 'number' }
    : values.every((value) => typeof value === 'boolean')
      ? { type: 'boolean' }
      : { type: 'string', enum: [...new Set(values.map(String))] };
  return { table, expr: { op: 'table', rows: exprRows }, schema, diagnostics };
}

/**
 * Completeness (AOP030) and overlap (AOP031), checked on representative values of every column: each
 * value an enum or a yes/no fact can take, each number a cell names and the numbers around it, and for
 * free strings the values named plus "any other value". Tables with other tests are not checked.
 */
export function checkTable(
  table: Table,
  domainOf: (ref: FactRef) => JsonSchema | undefined,
  headerSpan: Diagnostic['span'],
): Diagnostic[] {
  const inputs = table.columns.slice(0, -1);
  const domains: Point[][] = [];
  for (const [index, column] of inputs.entries()) {
    const cells = table.rows.filter((row) => !row.otherwise).map((row) => row.cells[index]?.when ?? null);
    const domain = column.ref ? pointsOf(domainOf(column.ref), cells) : null;
    if (!domain) return [];
    domains.push(domain);
  }
  let combinations: Point[][] = [[]];
  for (const domain of domains) {
    combinations = combinations.flatMap((prefix) => domain.map((point) => [...prefix, point]));
    if (combinations.length > 5000) return [];
  }
  const diagnostics: Diagnostic[] = [];
  const hasOtherwise = table.rows.some((row) => row.otherwise);
  const missing: string[] = [];
  const reported = new Set<string>();
  for (const combination of combinations) {
    const matching = table.rows
      .map((row, index) => ({ row, index }))
      .filter(
        ({ row }) =>
          !row.otherwise &&
          row.cells.every(
            (cell, column) => cell.when === null || holds(cell.when, combination[column]!.value),
          ),
      );
    const described = combination
      .map((point, column) => `${inputs[column]!.text} ${point.label}`)
      .join(' and ');
    if (matching.length === 0 && !hasOtherwise) missing.push(described);
    for (const later of matching.slice(1)) {
      const key = `${matching[0]!.index}-${later.index}`;
      if (reported.has(key)) continue;
      reported.add(key);
      diagnostics.push(
        error(
          DiagnosticCodes.overlappingRows,
          later.row.span,
          `This row and row ${matching[0]!.index + 1} both hold when ${described}.`,
          'Exactly one row may hold for any values: narrow one of the two rows, or merge them.',
        ),
      );
    }
  }
  if (missing.length > 0) {
    diagnostics.push(
      error(
        DiagnosticCodes.incompleteTable,
        headerSpan,
        `No row holds when ${missing.slice(0, 3).join('; or when ')}${missing.length > 3 ? ` (and ${missing.length - 3} more cases)` : ''}.`,
        'Add rows for these cases, or a last row starting with "otherwise" for everything else.',
      ),
    );
  }
  return diagnostics;
}

interface Point {
  readonly value: Value | typeof OTHER;
  readonly label: string;
}

const OTHER = Symbol('any other value');

function pointsOf(schema: JsonSchema | undefined, cells: readonly (Condition | null)[]): Point[] | null {
  const tests = cells.filter((cell): cell is Condition => cell !== null);
  if (!tests.every((test) => test.kind === 'compare' || test.kind === 'one-of')) return null;
  const named = tests.flatMap((test) =>
    test.kind === 'compare' ? [test.right] : test.kind === 'one-of' ? test.values : [],
  );
  if (Array.isArray(schema?.enum))
    return (schema.enum as Value[]).map((value) => ({ value, label: `is ${JSON.stringify(value)}` }));
  if (schema?.type === 'boolean')
    return [true, false].map((value) => ({ value, label: `is ${String(value)}` }));
  if (schema?.type === 'number' || schema?.type === 'integer') {
    const thresholds = [...new Set(named.filter((v): v is number => typeof v === 'number'))].sort(
      (a, b) => a - b,
    );
    if (thresholds.length === 0) return [{ value: 0, label: 'is any number' }];
    const points: Point[] = [{ value: thresholds[0]! - 1, label: `is below ${thresholds[0]}` }];
    for (const [index, threshold] of thresholds.entries()) {
      points.push({ value: threshold, label: `is ${threshold}` });
      const next = thresholds[index + 1];
      points.push(
        next === undefined
          ? { value: threshold + 1, label: `is above ${threshold}` }
          : { value: (threshold + next) / 2, label: `is between ${threshold} and ${next}` },
      );
    }
    return points;
  }
  if (schema?.type === 'string' || schema === undefined || Object.keys(schema).length === 0) {
    const strings = [...new Set(named.filter((v): v is string => typeof v === 'string'))];
    return [
      ...strings.map((value) => ({ value, label: `is ${JSON.stringify(value)}` })),
      { value: OTHER, label: 'is any other value' },
    ];
  }
  return null;
}

function holds(condition: Condition, value: Value | typeof OTHER): boolean {
  if (condition.kind === 'one-of') {
    const found = value !== OTHER && condition.values.includes(value);
    return condition.negate ? !found : found;
  }
  if (condition.kind !== 'compare') return false;
  const right = condition.right;
  if (condition.op === 'eq') return value === right;
  if (condition.op === 'ne') return value !== right;
  if (typeof value !== 'number' || typeof right !== 'number') return false;
  return { gt: value > right, ge: value >= right, lt: value < right, le: value <= right }[condition.op];
}

/** The cells of a `| a | b |` line, outside quotes, each trimmed with its positions. */
function cellsOf(line: Located): Located[] {
  const cells: Located[] = [];
  let start = 0;
  let quote: string | null = null;
  for (let index = 0; index <= line.text.length; index++) {
    const char = line.text[index];
    if (quote) {
      if (char === quote || (quote === '“' && char === '”')) quote = null;
      continue;
    }
    if (char === '"' || char === '“') quote = char;
    if (char === '|' || index === line.text.length) {
      cells.push(trim(slice(line, start, index)));
      start = index + 1;
    }
  }
  // `| a | b |`: the text before the first bar and after the last is not a cell.
  if (line.text.trimStart().startsWith('|')) cells.shift();
  if (line.text.trimEnd().endsWith('|')) cells.pop();
  return cells;
}

/** `<column> is <cell>`, positioned so a diagnostic about the fact points at the header. */
function isSentence(column: Located, cell: Located): Located {
  const joiner = ' is ';
  const at = cell.positions[0] ?? column.positions[column.positions.length - 1] ?? [1, 1];
  return {
    text: `${column.text}${joiner}${cell.text}`,
    positions: [...column.positions, ...Array.from({ length: joiner.length }, () => at), ...cell.positions],
    file: column.file,
  };
}

function rowSpan(cells: readonly Located[]): Diagnostic['span'] {
  const first = spanOf(cells[0]!);
  const last = spanOf(cells[cells.length - 1]!);
  return { ...first, endLine: last.endLine, endCol: last.endCol };
}

function resultValue(text: string): Value | undefined {
  if (text.trim() === '') return undefined;
  const parsed = parseValue(text);
  return parsed === undefined ? text.trim() : parsed;
}
