import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml';
import { z } from 'zod';

/**
 * Conversation tests as data (docs/conversation-tests.md): `aops/<tenant>/tests/*.yaml`, each a list of
 * scripted conversations with what the customer must see, which tools must (not) run and how the
 * tenant's data must (not) change. This module is the format (zod) and the loader; `run.ts` runs them.
 */

export const STATUSES = ['active', 'resolved', 'escalated'] as const;
export type ConversationStatus = (typeof STATUSES)[number];
const Status = z.enum(STATUSES);

/** What a reply must (or must not) hold: a text it contains (case-insensitive) or a `/regex/flags` it matches. */
export type ReplyPattern =
  | { readonly kind: 'text'; readonly source: string; readonly text: string }
  | { readonly kind: 'regex'; readonly source: string; readonly regex: RegExp };

const REGEX_LITERAL = /^\/(.+)\/([a-z]*)$/s;

const Pattern = z
  .string({ error: 'expected a text or a /regex/flags' })
  .min(1, 'an empty text matches everything; remove the expectation instead')
  .transform((source, ctx): ReplyPattern => {
    const literal = REGEX_LITERAL.exec(source);
    if (!literal) return { kind: 'text', source, text: source.toLowerCase() };
    try {
      // `g` and `y` make `test` stateful; a reply is matched once, so they mean nothing here.
      return { kind: 'regex', source, regex: new RegExp(literal[1]!, literal[2]!.replace(/[gy]/g, '')) };
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  });

/** One pattern or a list of them. */
const Patterns = z.preprocess(
  (value) => (typeof value === 'string' ? [value] : value),
  z.array(Pattern, { error: 'expected a text, a /regex/flags or a list of them' }).min(1),
);

export function matches(pattern: ReplyPattern, text: string): boolean {
  return pattern.kind === 'text' ? text.toLowerCase().includes(pattern.text) : pattern.regex.test(text);
}

const Turn = z.strictObject({
  customer: z.string({ error: 'expected the customer message (a text)' }).min(1),
  reply: Patterns.optional(),
  not_reply: Patterns.optional(),
  status: Status.optional(),
});

export interface ToolExpectation {
  readonly tool: string;
  /** A subset of the call's input (deep); `{}` accepts any input. */
  readonly input: Readonly<Record<string, unknown>>;
}

const JsonObject = z.record(z.string(), z.unknown());

/** `- tool_name` or `- tool_name: { field: value, … }` (a map with exactly one key). */
const ToolCall = z.unknown().transform((value, ctx): ToolExpectation => {
  if (typeof value === 'string' && value.length > 0) return { tool: value, input: {} };
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    const [entry] = entries;
    if (entries.length === 1 && entry) {
      const [tool, input] = entry;
      if (input === null || input === undefined) return { tool, input: {} };
      const parsed = JsonObject.safeParse(input);
      if (parsed.success) return { tool, input: parsed.data };
      ctx.addIssue({ code: 'custom', message: 'the input of a tool is a map of fields', path: [tool] });
      return z.NEVER;
    }
  }
  ctx.addIssue({
    code: 'custom',
    message:
      'expected a tool name, or a map with one key: the tool name, whose value is a subset of its input',
  });
  return z.NEVER;
});

/** Table suffix → item key → expected fields (a deep subset of the item after the test), or null: deleted. */
const Changes = z.record(z.string(), z.record(z.string(), JsonObject.nullable()), {
  error: 'expected a map: table suffix → item key → fields (or null for a deleted item)',
});

export const DEFAULT_MAX_REPEATS = 3;

export const ConversationTestSchema = z
  .strictObject({
    name: z.string({ error: 'every test needs a name' }).min(1),
    patterns: z.array(z.string().min(1)).default([]),
    turns: z.array(Turn, { error: 'expected a list of turns' }).min(1, 'a test needs at least one turn'),
    tools: z.array(ToolCall).optional(),
    no_tools: z.array(z.string().min(1)).optional(),
    changes: Changes.optional(),
    no_changes: z.boolean().optional(),
    status: Status.optional(),
    max_repeats: z.int().min(1).default(DEFAULT_MAX_REPEATS),
  })
  .superRefine((test, ctx) => {
    if (test.no_changes && test.changes)
      ctx.addIssue({
        code: 'custom',
        path: ['no_changes'],
        message: 'give either changes or no_changes, not both',
      });
    for (const tool of test.no_tools ?? [])
      if (test.tools?.some((expected) => expected.tool === tool))
        ctx.addIssue({ code: 'custom', path: ['no_tools'], message: `"${tool}" is also in tools` });
  });

export type ConversationTest = z.infer<typeof ConversationTestSchema>;
export type Turn = z.infer<typeof Turn>;

const TestFileSchema = z.strictObject({
  tests: z.array(ConversationTestSchema, { error: 'expected a list of tests' }).min(1, 'no tests'),
});

export interface TestFile {
  /** As given or found, relative to the working directory (what reports show). */
  readonly path: string;
  readonly absolutePath: string;
  /** The tenant folder (the nearest with a `tenant.ts`), or undefined: the default tenant. */
  readonly tenantDir: string | undefined;
  readonly tests: readonly ConversationTest[];
}

export interface LoadResult {
  readonly files: TestFile[];
  /** Usage and format errors, each one line: `file:line: test "name" path: message`. */
  readonly errors: string[];
}

/**
 * The test files of `paths`: a file is taken as it is, a directory means every `tests/*.yaml` (or
 * `.yml`) below it. `knownTools` (tenant folder → tool names) turns a misspelt tool into an error.
 */
export function loadTestFiles(
  paths: readonly string[],
  options: {
    readonly cwd?: string;
    readonly knownTools?: (tenantDir: string | undefined) => ReadonlySet<string> | undefined;
  } = {},
): LoadResult {
  const cwd = options.cwd ?? process.cwd();
  const collected = collectTestFiles(paths, cwd);
  const errors = [...collected.errors];
  const files: TestFile[] = [];
  for (const absolutePath of collected.files) {
    const path = relative(cwd, absolutePath) || absolutePath;
    const tenantDir = tenantDirOf(absolutePath);
    const parsed = parseTestFile(readFileSync(absolutePath, 'utf8'), path, options.knownTools?.(tenantDir));
    if ('errors' in parsed) errors.push(...parsed.errors);
    else files.push({ path, absolutePath, tenantDir, tests: parsed.tests });
  }
  return { files, errors };
}

/** The absolute paths of the test files `paths` name, sorted, each once. */
export function collectTestFiles(
  paths: readonly string[],
  cwd = process.cwd(),
): { readonly files: string[]; readonly errors: string[] } {
  const errors: string[] = [];
  const found = new Set<string>();
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    if (!existsSync(absolute)) errors.push(`${path}: no such file or directory`);
    else if (statSync(absolute).isFile()) found.add(absolute);
    else {
      const inside = findTestFiles(absolute);
      if (inside.length === 0) errors.push(`${path}: no tests/*.yaml below it`);
      for (const file of inside) found.add(file);
    }
  }
  return { files: [...found].sort(), errors };
}

/** Every `tests/*.yaml` below `dir` (not in `node_modules`, `data` or hidden folders). */
export function findTestFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.name !== 'node_modules' && entry.name !== 'data' && !entry.name.startsWith('.'))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return findTestFiles(path);
      return entry.name.endsWith('.yaml') || entry.name.endsWith('.yml')
        ? dir.split(/[\\/]/).at(-1) === 'tests'
          ? [path]
          : []
        : [];
    })
    .sort();
}

/** The nearest folder at or above the file's that holds a `tenant.ts`. */
export function tenantDirOf(file: string): string | undefined {
  for (let dir = dirname(realpathSync(file)); dir !== dirname(dir); dir = dirname(dir))
    if (existsSync(join(dir, 'tenant.ts'))) return dir;
  return undefined;
}

/** Keys whose values are texts even when YAML reads a number or a boolean (`customer: 80202`). */
const TEXT_KEYS = new Set(['name', 'customer', 'reply', 'not_reply']);

/** Parses and validates one file's text; `path` is what the errors name; `knownTools` the tenant's tools. */
export function parseTestFile(
  text: string,
  path: string,
  knownTools?: ReadonlySet<string>,
): { readonly tests: ConversationTest[] } | { readonly errors: string[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true });
  if (document.errors.length > 0) {
    const lines = text.split('\n');
    return {
      errors: document.errors.map((error, index) => {
        const position = error.linePos?.[0];
        const where = position ? `:${position.line}:${position.col}` : '';
        const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        // The usual cause: an unquoted text with " #" (a comment starts there) or ": " (a key) in it.
        const near = position ? lines.slice(Math.max(0, position.line - 3), position.line).join('\n') : '';
        const hint =
          index === 0 && /[^'"\n]\s#|:\s[^'"\n]*:\s/.test(near)
            ? ' (quote texts holding " #" or ": ", which YAML reads as a comment or a key)'
            : '';
        return `${path}${where}: invalid YAML: ${message}${hint}`;
      }),
    };
  }
  // A customer line such as 80202 or 00123 stays the text written, not a number.
  visit(document, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || !TEXT_KEYS.has(String(pair.key.value))) return;
      const scalars = isSeq(pair.value) ? pair.value.items : [pair.value];
      for (const node of scalars)
        if (
          isScalar(node) &&
          node.value !== null &&
          typeof node.value !== 'string' &&
          node.source !== undefined
        )
          node.value = node.source;
    },
  });
  const raw = document.toJS() as { tests?: unknown } | null;
  const parsed = TestFileSchema.safeParse(raw);
  const names = Array.isArray(raw?.tests)
    ? raw.tests.map((test: unknown) =>
        test && typeof test === 'object' && typeof (test as { name?: unknown }).name === 'string'
          ? (test as { name: string }).name
          : undefined,
      )
    : [];
  const errors: string[] = [];
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      errors.push(formatIssue(path, issue.path, issue.message, names, document, lineCounter));
  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    if (name === undefined) return;
    if (seen.has(name))
      errors.push(
        formatIssue(
          path,
          ['tests', index, 'name'],
          `the name is used twice in this file (also tests[${seen.get(name)}])`,
          names,
          document,
          lineCounter,
        ),
      );
    else seen.set(name, index);
  });
  if (parsed.success && knownTools)
    parsed.data.tests.forEach((test, index) => {
      const named = [
        ...(test.tools ?? []).map((expected, at) => [['tools', at], expected.tool] as const),
        ...(test.no_tools ?? []).map((tool, at) => [['no_tools', at], tool] as const),
      ];
      for (const [where, tool] of named)
        if (!knownTools.has(tool))
          errors.push(
            formatIssue(
              path,
              ['tests', index, ...where],
              `no tool "${tool}" in the tenant's catalogue`,
              names,
              document,
              lineCounter,
            ),
          );
    });
  if (errors.length > 0 || !parsed.success) return { errors: byLine(errors) };
  return { tests: parsed.data.tests };
}

/** In the order of the file (errors start with `path:line:`). */
function byLine(errors: readonly string[]): string[] {
  const line = (error: string) => Number(/^[^:]*:(\d+):/.exec(error)?.[1] ?? 0);
  return [...errors].sort((a, b) => line(a) - line(b));
}

function formatIssue(
  file: string,
  path: readonly PropertyKey[],
  message: string,
  names: readonly (string | undefined)[],
  document: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
): string {
  const line = lineOf(path, document, lineCounter);
  const where = `${file}${line === undefined ? '' : `:${line}`}`;
  const [first, index, ...rest] = path;
  if (first === 'tests' && typeof index === 'number') {
    const name = names[index];
    const test = name === undefined ? `tests[${index}]` : `test ${JSON.stringify(name)}`;
    return `${where}: ${test}${rest.length > 0 ? ` ${formatPath(rest)}` : ''}: ${message}`;
  }
  return `${where}: ${path.length > 0 ? `${formatPath(path)}: ` : ''}${message}`;
}

/** `turns[2].reply`, `changes.orders["#W1"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number'
        ? `[${part}]`
        : /^[A-Za-z_][\w-]*$/.test(String(part))
          ? `${index === 0 ? '' : '.'}${String(part)}`
          : `[${JSON.stringify(String(part))}]`,
    )
    .join('');
}

/** The line of the deepest node of `path` the document has. */
function lineOf(
  path: readonly PropertyKey[],
  document: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
): number | undefined {
  for (let length = path.length; length >= 0; length--) {
    const node = length === 0 ? document.contents : document.getIn(path.slice(0, length), true);
    if (node && (isScalar(node) || isMap(node) || isSeq(node)) && node.range)
      return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}
