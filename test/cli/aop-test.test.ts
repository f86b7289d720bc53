import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { catalogue } from '../../aops/retail/tenant.ts';
import {
  describeTables,
  diffSnapshots,
  type Snapshot,
  takeSnapshot,
} from '../../cli/conversation-tests/db-snapshot.ts';
import { loadTestFiles, parseTestFile, type TestFile } from '../../cli/conversation-tests/format.ts';
import { runConversationTests, selectTests } from '../../cli/conversation-tests/run.ts';
import { type RunningPlatform, startPlatform } from '../../infra/local/platform.ts';
import { RETAIL_AOPS } from '../support/retail.ts';

/**
 * `aop test` (cli/conversation-tests/): the format's errors, then the runner on the fixtures of
 * test/fixtures/conversation-tests/ against one platform on the suite's DynamoDB Local: the passing
 * file passes (twice: the restore puts the data back), the failing file fails exactly as it should.
 */

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/conversation-tests');
const TOOLS = new Set(catalogue.keys());

function load(name: string): TestFile {
  const { files, errors } = loadTestFiles([join(FIXTURES, name)], { cwd: ROOT, knownTools: () => TOOLS });
  expect(errors).toEqual([]);
  return files[0]!;
}

describe('the test file format', () => {
  it('reports schema errors with the file, line, test name and path', () => {
    const text = [
      'tests:',
      '  - name: first',
      '    turns:',
      '      - customer: 80202', // a number: read as the text written
      '        replies: hello',
      '      - customer: hi',
      '        reply: /a(/',
      '        status: done',
      '    tools: [cancel_order]',
      '    changes: { orders: { "#W1": { status: cancelled } } }',
      '    no_changes: true',
      '  - name: first',
      '    turns: []',
    ].join('\n');
    const parsed = parseTestFile(text, 'aops/retail/tests/x.yaml', TOOLS);
    expect(parsed).toEqual({
      errors: [
        'aops/retail/tests/x.yaml:4: test "first" turns[0]: Unrecognized key: "replies"',
        'aops/retail/tests/x.yaml:7: test "first" turns[1].reply[0]: Invalid regular expression: /a(/: Unterminated group',
        'aops/retail/tests/x.yaml:8: test "first" turns[1].status: Invalid option: expected one of "active"|"resolved"|"escalated"',
        'aops/retail/tests/x.yaml:12: test "first" name: the name is used twice in this file (also tests[0])',
        'aops/retail/tests/x.yaml:13: test "first" turns: a test needs at least one turn',
      ],
    });
  });

  it('checks what only a valid file can: tools of the catalogue, changes or no_changes', () => {
    const typo = [
      'tests:',
      '  - name: typo',
      '    turns: [{ customer: hi }]',
      '    tools: [get_order_details, { cancel_order: { order_id: "#W1" } }]',
      '    no_tools: [cancel_pending_ordr]',
    ];
    expect(parseTestFile(typo.join('\n'), 'x.yaml', TOOLS)).toEqual({
      errors: [
        'x.yaml:4: test "typo" tools[1]: no tool "cancel_order" in the tenant\'s catalogue',
        'x.yaml:5: test "typo" no_tools[0]: no tool "cancel_pending_ordr" in the tenant\'s catalogue',
      ],
    });
    const both = [
      'tests:',
      '  - name: both',
      '    turns: [{ customer: hi }]',
      '    changes: { orders: { "#W1": null } }',
      '    no_changes: true',
    ];
    expect(parseTestFile(both.join('\n'), 'x.yaml', TOOLS)).toEqual({
      errors: ['x.yaml:5: test "both" no_changes: give either changes or no_changes, not both'],
    });
  });

  it('reads the forms of an expectation and of a tool call', () => {
    const parsed = parseTestFile(
      [
        'tests:',
        '  - name: forms',
        '    patterns: [consent]',
        '    turns:',
        '      - customer: 80202',
        '        reply: [Email, /^could/i]',
        '        not_reply: cancelled',
        '    tools: [find_user_id_by_email, { cancel_pending_order: { reason: ordered by mistake } }]',
      ].join('\n'),
      'x.yaml',
      TOOLS,
    );
    if (!('tests' in parsed)) throw new Error(parsed.errors.join('\n'));
    const [test] = parsed.tests;
    expect(test?.turns[0]?.customer).toBe('80202');
    expect(test?.turns[0]?.reply?.map((pattern) => pattern.kind)).toEqual(['text', 'regex']);
    expect(test?.tools).toEqual([
      { tool: 'find_user_id_by_email', input: {} },
      { tool: 'cancel_pending_order', input: { reason: 'ordered by mistake' } },
    ]);
    expect(test?.max_repeats).toBe(3);
  });

  it('tells an unquoted " #" from a broken file', () => {
    const parsed = parseTestFile(
      'tests:\n  - name: x\n    turns:\n      - customer: a\n        reply: [/order #W5918442/, ok]\n',
      'x.yaml',
    );
    expect('errors' in parsed && parsed.errors[0]).toMatch(
      /^x\.yaml:\d+:\d+: invalid YAML: .*quote texts holding " #"/,
    );
  });

  it('selects tests by name or pattern', () => {
    const file = load('fail.yaml');
    expect(selectTests([file], 'WRONG').flatMap((f) => f.tests.map((test) => test.name))).toEqual([
      'a wrong expected reply',
      'a wrong change',
    ]);
    expect(selectTests([file], 'repair').flatMap((f) => f.tests.map((test) => test.name))).toEqual([
      'a violated invariant (the same question twice)',
    ]);
  });
});

describe('aop test against the local platform', () => {
  let platform: RunningPlatform;
  let dynamodb: DynamoDBClient;
  let seeded: Snapshot;
  const tables = () => describeTables(dynamodb, platform.dataTablePrefix, platform.dataTables);

  beforeAll(async () => {
    platform = await startPlatform({
      aopsDir: RETAIL_AOPS,
      port: 0,
      dynamodbEndpoint: inject('dynamodbEndpoint'),
      tenant: `aoptest-cli-${randomUUID().slice(0, 8)}`,
    });
    dynamodb = new DynamoDBClient({ endpoint: platform.dynamodbEndpoint });
    seeded = await takeSnapshot(dynamodb, platform.dataTablePrefix, await tables());
  });
  afterAll(async () => {
    dynamodb?.destroy();
    await platform?.stop();
  });

  it('passes the passing file twice: each run starts from the seeded data and puts it back', async () => {
    const pass = load('pass.yaml');
    const report = await runConversationTests({ files: [pass, pass], platform });
    expect(report.results.map((result) => [result.name, result.failures])).toEqual([
      ['cancel a pending order', []],
      ['cancel a pending order', []],
    ]);
    expect(report.results[1]?.transcript.at(-1)).toMatchObject({ status: 'resolved' });
    const now = await takeSnapshot(dynamodb, platform.dataTablePrefix, await tables());
    expect(diffSnapshots(seeded, now)).toEqual(new Map());
  }, 120_000);

  it('reports exactly the failures of the failing file, and leaves the data as it was', async () => {
    const report = await runConversationTests({ files: [load('fail.yaml')], platform });
    const failures = Object.fromEntries(report.results.map((result) => [result.name, result.failures]));
    expect(Object.keys(failures)).toEqual([
      'a wrong expected reply',
      'a wrong change',
      'a violated invariant (the same question twice)',
    ]);
    expect(failures['a wrong expected reply']).toEqual([
      expect.stringMatching(
        /^turn 1 "Hi, I want to cancel my order #W5918442": expected the reply to match \/tracking number\/i, got ".*email.*"$/,
      ),
    ]);
    expect(failures['a wrong change']).toEqual([
      'changes.orders["#W5918442"].cancel_reason: expected "no longer needed", got "ordered by mistake"',
    ]);
    expect(failures['a violated invariant (the same question twice)']).toEqual([
      expect.stringMatching(/^invariant: the agent sent ".+" 2 times \(max_repeats 1\)$/),
    ]);
    expect(report.results.every((result) => !result.ok)).toBe(true);
    const now = await takeSnapshot(dynamodb, platform.dataTablePrefix, await tables());
    expect(diffSnapshots(seeded, now)).toEqual(new Map());
  }, 120_000);

  it('npx aop test --json exits 1 on the failing file and prints the report', async () => {
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((done) => {
      execFile(
        'npx',
        ['aop', 'test', 'test/fixtures/conversation-tests/fail.yaml', '--json', '--aops', 'aops/retail'],
        {
          cwd: ROOT,
          env: { ...process.env, AOP_TEST_DYNAMODB_ENDPOINT: inject('dynamodbEndpoint'), NO_COLOR: '1' },
          maxBuffer: 10_000_000,
        },
        (error, out) => done({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout: out }),
      );
    });
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      ok: boolean;
      failed: number;
      tests: { name: string; status: string; failure: string | null; transcript: unknown[] }[];
    };
    expect(report).toMatchObject({ ok: false, passed: 0, failed: 3, files: 1 });
    expect(report.tests.map((test) => [test.status, test.failure?.split(':')[0]])).toEqual([
      ['failed', 'turn 1 "Hi, I want to cancel my order #W5918442"'],
      ['failed', 'changes.orders["#W5918442"].cancel_reason'],
      ['failed', 'invariant'],
    ]);
    expect(report.tests[1]?.transcript).toHaveLength(4);
  }, 180_000);
});

// Format errors exit 2 before anything starts (no platform, no DynamoDB).
it('exits 2 on a file with format errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'aop-test-'));
  writeFileSync(join(dir, 'bad.yaml'), 'tests:\n  - name: x\n    turns: [{ said: hi }]\n');
  const run = promisify(execFile);
  const failed = await run('npx', ['aop', 'test', join(dir, 'bad.yaml')], { cwd: ROOT }).catch(
    (error: { code: number; stderr: string }) => error,
  );
  expect(failed).toMatchObject({ code: 2 });
  expect((failed as { stderr: string }).stderr).toContain('bad.yaml:3: test "x" turns[0]');
}, 60_000);
