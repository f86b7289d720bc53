import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { RunningPlatform } from '../../infra/local/platform.ts';
import { onlyTenantFolder } from '../../shared/tenant/load.ts';
import { type ChatClient, createChatClient, type LoggedEvent } from './chat-client.ts';
import {
  describeTables,
  diffSnapshots,
  type ItemChange,
  listTables,
  plain,
  restoreSnapshot,
  type Snapshot,
  type SnapshotDiff,
  takeSnapshot,
} from './db-snapshot.ts';
import {
  type ConversationStatus,
  type ConversationTest,
  formatPath,
  matches,
  type ReplyPattern,
  type TestFile,
} from './format.ts';

/**
 * Runs conversation tests against the local platform, in-process: one platform per run, the turns
 * over its HTTP API exactly as a channel sends them, the event log and hash chain through its audit
 * API, and the data tables read before and after each test, then put back as they were.
 */

export interface TranscriptTurn {
  readonly customer: string;
  readonly reply: string;
  readonly status: ConversationStatus;
  readonly ms: number;
}

export interface TestResult {
  readonly file: string;
  readonly name: string;
  readonly patterns: readonly string[];
  readonly ok: boolean;
  /** Every difference found, the first one first (turns, then tools, data, status, invariants). */
  readonly failures: readonly string[];
  readonly turns: number;
  readonly durationMs: number;
  readonly conversationId: string | undefined;
  /** The conversation's status after its last turn (undefined when no turn was answered). */
  readonly status: ConversationStatus | undefined;
  readonly transcript: readonly TranscriptTurn[];
}

export interface RunReport {
  readonly results: readonly TestResult[];
  readonly files: number;
  readonly durationMs: number;
  /** How long starting the platform took (0 when one was given). */
  readonly startMs: number;
  readonly tenant: string;
}

export interface RunOptions {
  /** The loaded files (already filtered): run in order, tests in file order. */
  readonly files: readonly TestFile[];
  /** A platform already running; default: start one (and stop it at the end). */
  readonly platform?: RunningPlatform;
  /** Reuse this DynamoDB (its tables for the run are deleted at the end); default: start DynamoDB Local. */
  readonly dynamodbEndpoint?: string;
  /** Tenant folder whose procedures run when no file lies in one (fixtures). Default: the only one under aops/. */
  readonly defaultTenantDir?: string;
  /** Called once the platform answers. */
  readonly onStart?: (info: {
    readonly url: string;
    readonly tenant: string;
    readonly startMs: number;
  }) => void;
  /** Called after each test, in order. */
  readonly onResult?: (result: TestResult) => void;
  /** How long one HTTP request may take. Default 60 s. */
  readonly requestTimeoutMs?: number;
}

/**
 * The tenant folder for test files outside any (fixtures): the only one under the repository's aops/;
 * with several, `aop test --aops <folder>` names it.
 */
export function defaultTenantDir(): string {
  try {
    return onlyTenantFolder(resolve(import.meta.dirname, '../../aops'));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/e\.g\. --aops/, 'e.g. aop test --aops')}`);
  }
}

/** The tenant folder a run needs; the platform runs one tenant's procedures (its handlers are process-wide). */
export function tenantOf(files: readonly TestFile[], fallback: () => string = defaultTenantDir): string {
  const dirs = new Set(files.map((file) => file.tenantDir ?? fallback()));
  if (dirs.size > 1)
    throw new UsageError(`aop test runs one tenant at a time; these files span ${[...dirs].join(', ')}`);
  return [...dirs][0] ?? fallback();
}

export class UsageError extends Error {}

/** Keeps the tests whose name contains `filter` (case-insensitive) or that carry it as a pattern. */
export function selectTests(files: readonly TestFile[], filter: string | undefined): TestFile[] {
  if (!filter) return [...files];
  const wanted = filter.toLowerCase();
  return files
    .map((file) => ({
      ...file,
      tests: file.tests.filter(
        (test) =>
          test.name.toLowerCase().includes(wanted) ||
          test.patterns.some((pattern) => pattern.toLowerCase() === wanted),
      ),
    }))
    .filter((file) => file.tests.length > 0);
}

export async function runConversationTests(options: RunOptions): Promise<RunReport> {
  const started = Date.now();
  const fixed = options.defaultTenantDir;
  let platform = options.platform;
  const owned = !platform;
  if (!platform) {
    // A given platform serves its tenant already; only one started here needs to know which.
    const aopsDir = tenantOf(options.files, fixed === undefined ? defaultTenantDir : () => fixed);
    // Lambda runs Node 22; the SDK's notice about Node 20 is noise here.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const { startPlatform } = await import('../../infra/local/platform.ts');
    platform = await startPlatform({
      port: 0,
      tenant: `aoptest-${randomBytes(4).toString('hex')}`,
      aopsDir,
      ...(options.dynamodbEndpoint ? { dynamodbEndpoint: options.dynamodbEndpoint } : {}),
    });
  }
  const startMs = owned ? Date.now() - started : 0;
  options.onStart?.({ url: platform.url, tenant: platform.tenant, startMs });
  const dynamodb = new DynamoDBClient({ endpoint: platform.dynamodbEndpoint });
  const results: TestResult[] = [];
  try {
    // The tenant's own tables (its events, keys and digests share the prefix and are not data).
    const tables = await describeTables(dynamodb, platform.dataTablePrefix, platform.dataTables);
    const scan = () => takeSnapshot(dynamodb, platform.dataTablePrefix, tables);
    // Read once: every test puts back what it changed, so each starts from these very tables.
    const before = await scan();
    const chat = createChatClient(platform, options.requestTimeoutMs ?? 60_000);
    for (const file of options.files)
      for (const test of file.tests) {
        const result = await runTest(test, file.path, {
          chat,
          before,
          scan,
          restore: (diff) => restoreSnapshot(dynamodb, before, diff),
        });
        results.push(result);
        options.onResult?.(result);
      }
  } finally {
    if (owned) {
      await platform.stop();
      // A DynamoDB we did not start keeps its tables: drop this run's.
      if (options.dynamodbEndpoint) await dropTables(dynamodb, `${platform.tenant}-`).catch(() => {});
    }
    dynamodb.destroy();
  }
  return {
    results,
    files: options.files.length,
    durationMs: Date.now() - started,
    startMs,
    tenant: platform.tenant,
  };
}

interface TestContext {
  readonly chat: ChatClient;
  /** The data tables as every test finds them. */
  readonly before: Snapshot;
  scan(): Promise<Snapshot>;
  restore(diff: SnapshotDiff): Promise<void>;
}

async function runTest(test: ConversationTest, file: string, context: TestContext): Promise<TestResult> {
  const started = Date.now();
  // In the order they are reported: the first one is the test's "first difference".
  const found = { turns: [] as string[], tools: [] as string[], data: [] as string[], end: [] as string[] };
  const transcript: TranscriptTurn[] = [];
  const { before } = context;
  let conversationId: string | undefined;
  try {
    // 1. The turns, each checked as it is answered.
    for (const [index, turn] of test.turns.entries()) {
      const where = `turn ${index + 1} ${JSON.stringify(turn.customer)}`;
      const sent = Date.now();
      const answer = conversationId
        ? await context.chat.say(conversationId, turn.customer)
        : await context.chat.start(turn.customer);
      if ('error' in answer) {
        found.turns.push(`${where}: ${answer.error}`);
        break;
      }
      conversationId ??= answer.conversationId;
      transcript.push({
        customer: turn.customer,
        reply: answer.text,
        status: answer.status,
        ms: Date.now() - sent,
      });
      const got = `got ${JSON.stringify(answer.text)}`;
      for (const pattern of turn.reply ?? [])
        if (!matches(pattern, answer.text))
          found.turns.push(`${where}: expected the reply to ${describe(pattern)}, ${got}`);
      for (const pattern of turn.not_reply ?? [])
        if (matches(pattern, answer.text))
          found.turns.push(`${where}: expected the reply not to ${describe(pattern)}, ${got}`);
      if (turn.status && turn.status !== answer.status)
        found.turns.push(
          `${where}: expected status ${turn.status}, got ${answer.status} (reply ${JSON.stringify(answer.text)})`,
        );
    }
    if (conversationId) {
      // 2. What the event log says the agent did.
      const log = await context.chat.events(conversationId);
      if ('error' in log) found.tools.push(`events: ${log.error}`);
      const events = 'error' in log ? undefined : log.events;
      const calls = toolCalls(events ?? []);
      const missed = test.tools ? checkTools(test.tools, calls) : undefined;
      if (missed) found.tools.push(missed);
      for (const tool of test.no_tools ?? []) {
        const call = calls.find((candidate) => candidate.tool === tool);
        if (call)
          found.tools.push(`no_tools: ${tool} was requested (input ${short(call.input)}, ${call.outcome})`);
      }
      // 3. The final status, then 4. the invariants every conversation must keep.
      const last = transcript.at(-1);
      if (test.status && last && last.status !== test.status)
        found.end.push(
          `status: expected ${test.status}, got ${last.status} (last reply ${JSON.stringify(last.reply)})`,
        );
      found.end.push(
        ...(await invariants(test, transcript, events, () => context.chat.verify(conversationId!))),
      );
    }
  } catch (error) {
    found.end.push(`error: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    // The data: what changed, then put back so that the next test starts from the same tables.
    const diff = diffSnapshots(before, await context.scan());
    await context.restore(diff);
    found.data.push(...checkChanges(test, before, diff));
  }
  const failures = [...found.turns, ...found.tools, ...found.data, ...found.end];
  return {
    file,
    name: test.name,
    patterns: test.patterns,
    ok: failures.length === 0,
    failures,
    turns: test.turns.length,
    durationMs: Date.now() - started,
    conversationId,
    status: transcript.at(-1)?.status,
    transcript,
  };
}

/**
 * What every conversation must keep, whatever the test says: (a) no agent message sent more than
 * `max_repeats` times; (b) an escalated conversation told the customer so, after a hand-off on record;
 * (c) its event log verifies.
 */
async function invariants(
  test: ConversationTest,
  transcript: readonly TranscriptTurn[],
  events: readonly LoggedEvent[] | undefined,
  verify: () => Promise<true | string>,
): Promise<string[]> {
  const broken: string[] = [];
  // The messages as the agent sent them (a reply can join several); the replies if the log is missing.
  const sent = (events ?? [])
    .filter((event) => event.type === 'message.sent')
    .map((event) => event.data.text);
  const texts = events ? sent.filter((text): text is string => typeof text === 'string') : [];
  // Counted per message: the whole message, and each question in it (a sentence ending in "?" or
  // saying what is still needed), so a question asked again after different words still counts.
  const counts = new Map<string, number>();
  for (const text of texts.length > 0 ? texts : transcript.map((turn) => turn.reply))
    for (const unit of new Set([text.trim(), ...questionsIn(text)]))
      if (unit) counts.set(unit, (counts.get(unit) ?? 0) + 1);
  const repeated = [...counts].find(([, count]) => count > test.max_repeats);
  if (repeated)
    broken.push(
      `invariant: the agent sent ${JSON.stringify(repeated[0])} ${repeated[1]} times (max_repeats ${test.max_repeats})`,
    );
  const last = transcript.at(-1);
  if (last?.status === 'escalated') {
    if (!last.reply.trim())
      broken.push(
        'invariant: the conversation ended escalated, but the last reply tells the customer nothing',
      );
    else if (events && !events.some((event) => event.type === 'handoff.requested'))
      broken.push(
        'invariant: the conversation ended escalated, but the event log holds no handoff.requested',
      );
  }
  const verified = await verify();
  if (verified !== true) broken.push(`invariant: the event log does not verify: ${verified}`);
  return broken;
}

function describe(pattern: ReplyPattern): string {
  return pattern.kind === 'text' ? `contain ${JSON.stringify(pattern.source)}` : `match ${pattern.source}`;
}

// ---------------------------------------------------------------------------------------------- tools

export interface ToolCall {
  readonly seq: number;
  readonly tool: string;
  readonly input: unknown;
  readonly outcome: 'succeeded' | 'failed' | 'no outcome';
  readonly error?: string;
}

/** Each `tool.requested` with its outcome: the next `tool.succeeded` / `tool.failed` of the same tool. */
export function toolCalls(events: readonly LoggedEvent[]): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const event of events) {
    const tool = String(event.data.tool ?? '');
    if (event.type === 'tool.requested')
      calls.push({ seq: event.seq, tool, input: event.data.input, outcome: 'no outcome' });
    else if (event.type === 'tool.succeeded' || event.type === 'tool.failed') {
      const index = calls.findLastIndex((call) => call.tool === tool && call.outcome === 'no outcome');
      if (index < 0) continue;
      const error = event.data.error as { code?: string; message?: string } | undefined;
      calls[index] = {
        ...calls[index]!,
        outcome: event.type === 'tool.succeeded' ? 'succeeded' : 'failed',
        ...(error ? { error: `${error.code ?? ''} ${error.message ?? ''}`.trim() } : {}),
      };
    }
  }
  return calls;
}

/** The expected calls must have succeeded in this order (others may come between); the first miss, described. */
function checkTools(
  expected: ConversationTest['tools'] & {},
  calls: readonly ToolCall[],
): string | undefined {
  let from = 0;
  for (const [index, want] of expected.entries()) {
    const fits = (call: ToolCall) =>
      call.tool === want.tool &&
      call.outcome === 'succeeded' &&
      firstMismatch(want.input, call.input, []) === undefined;
    const at = calls.findIndex((call, position) => position >= from && fits(call));
    if (at >= 0) {
      from = at + 1;
      continue;
    }
    const label = `tools[${index}] ${want.tool}${Object.keys(want.input).length > 0 ? ` ${short(want.input)}` : ''}`;
    const previous = index > 0 ? ` after ${expected[index - 1]!.tool}` : '';
    const same = calls.filter((call) => call.tool === want.tool);
    const made = calls.map((call) => `${call.tool} (${call.outcome})`).join(', ') || 'none';
    if (same.length === 0) return `${label}: expected it to succeed, it was never requested (calls: ${made})`;
    const earlier = calls.findIndex(fits);
    if (earlier >= 0) return `${label}: it succeeded, but not${previous} (calls: ${made})`;
    const succeeded = same.filter((call) => call.outcome === 'succeeded');
    if (succeeded.length === 0) {
      const failed = same.find((call) => call.outcome === 'failed');
      return failed
        ? `${label}: expected it to succeed, it failed: ${failed.error ?? 'no error given'} (input ${short(failed.input)})`
        : `${label}: expected it to succeed, it was requested but has no outcome (input ${short(same[0]!.input)})`;
    }
    const mismatch = firstMismatch(want.input, succeeded[0]!.input, ['input']);
    return `${label}: ${mismatch ?? 'no matching call'} (the call's input: ${short(succeeded[0]!.input)})`;
  }
  return undefined;
}

// ----------------------------------------------------------------------------------------------- data

function checkChanges(test: ConversationTest, before: Snapshot, diff: SnapshotDiff): string[] {
  const failures: string[] = [];
  if (test.no_changes && diff.size > 0) {
    const all = [...diff].flatMap(([suffix, changes]) => changes.map((change) => ({ suffix, change })));
    const first = all[0]!;
    const more = all.length > 1 ? ` and ${all.length - 1} more` : '';
    failures.push(
      `no_changes: ${formatPath([first.suffix, first.change.key])} ${describeChange(first.change)}${more}`,
    );
  }
  for (const [suffix, items] of Object.entries(test.changes ?? {})) {
    const table = before.get(suffix);
    if (!table) {
      failures.push(
        `changes.${suffix}: no data table "${suffix}" (tables: ${[...before.keys()].join(', ')})`,
      );
      continue;
    }
    const changed = diff.get(suffix) ?? [];
    for (const [key, expected] of Object.entries(items)) {
      const where = `changes.${formatPath([suffix, key])}`;
      const change = changed.find((candidate) => candidate.key === key);
      if (!change) {
        failures.push(
          `${where}: expected a change, the item is ${table.items.has(key) ? 'unchanged' : 'not in the table'}`,
        );
        continue;
      }
      if (expected === null) {
        if (change.after)
          failures.push(`${where}: expected the item to be deleted, it ${describeChange(change)}`);
        continue;
      }
      if (!change.after) {
        failures.push(`${where}: expected ${short(expected)}, the item was deleted`);
        continue;
      }
      const mismatch = firstMismatch(expected, plain(change.after), []);
      if (mismatch) failures.push(`${where}${/^[:[]/.test(mismatch) ? '' : '.'}${mismatch}`);
    }
    const unexpected = changed.filter((change) => !(change.key in items));
    if (unexpected.length > 0) {
      const more = unexpected.length > 1 ? ` and ${unexpected.length - 1} more` : '';
      failures.push(
        `changes.${suffix}: ${JSON.stringify(unexpected[0]!.key)} ${describeChange(unexpected[0]!)} too, not expected${more}`,
      );
    }
  }
  return failures;
}

/** `changed (status: "pending" → "cancelled", …)`, `was added`, `was deleted`. */
function describeChange(change: ItemChange): string {
  if (!change.before) return `was added ${short(plain(change.after))}`;
  if (!change.after) return 'was deleted';
  const was = plain(change.before)!;
  const is = plain(change.after)!;
  const fields = [...new Set([...Object.keys(was), ...Object.keys(is)])].filter(
    (field) => JSON.stringify(was[field]) !== JSON.stringify(is[field]),
  );
  const shown = fields.slice(0, 3).map((field) => `${field}: ${short(was[field])} → ${short(is[field])}`);
  return `changed (${shown.join(', ')}${fields.length > 3 ? ', …' : ''})`;
}

/**
 * Where `actual` does not hold `expected` (deep subset: maps need only the fields given, lists the same
 * length with each element a subset; a number matches the same digits as text), or undefined.
 * The answer starts with the path: `status: expected "a", got "b"`.
 */
export function firstMismatch(
  expected: unknown,
  actual: unknown,
  path: readonly PropertyKey[],
): string | undefined {
  const at = path.length > 0 ? `${formatPath(path)}: ` : ': ';
  const miss = () =>
    `${at}expected ${short(expected)}, got ${actual === undefined ? 'nothing' : short(actual)}`;
  if (expected === null || typeof expected !== 'object')
    return expected === actual ||
      (typeof expected !== typeof actual &&
        ['number', 'string'].includes(typeof expected) &&
        ['number', 'string'].includes(typeof actual) &&
        String(expected) === String(actual))
      ? undefined
      : miss();
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return miss();
    for (const [index, item] of expected.entries()) {
      const inner = firstMismatch(item, actual[index], [...path, index]);
      if (inner) return inner;
    }
    return undefined;
  }
  if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return miss();
  for (const [key, value] of Object.entries(expected)) {
    const inner = firstMismatch(value, (actual as Record<string, unknown>)[key], [...path, key]);
    if (inner) return inner;
  }
  return undefined;
}

function short(value: unknown, max = 160): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

async function dropTables(client: DynamoDBClient, prefix: string): Promise<void> {
  const names = await listTables(client, prefix);
  await Promise.all(names.map((name) => client.send(new DeleteTableCommand({ TableName: name }))));
}

/** The questions a message asks: sentences ending in "?", and "I need …" sentences. */
function questionsIn(text: string): string[] {
  return text
    .split(/\n+|(?<=[.?!])\s+(?=[A-Z])/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence.endsWith('?') || /^I (?:still )?need /.test(sentence));
}
