import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEraseCommand } from '../../cli/erase.ts';
import { runRewindCommand } from '../../cli/rewind.ts';
import { runVersionsCommand } from '../../cli/versions.ts';
import { CUSTOMERS, startTestPlatform, type TestPlatform } from '../registry/platform.ts';

/**
 * A conversation id prefix works everywhere or nowhere: `rewind` and `erase --conversation` take the
 * unique prefix the audit commands take, and an id that matches no conversation (or several) fails
 * with a clear line and a non-zero exit. An erasure never reports a success it did not achieve.
 */

let t: TestPlatform;

beforeAll(async () => {
  t = await startTestPlatform('cli-ids');
});

afterAll(async () => {
  await t?.stop();
});

const REPO_ROOT = join(import.meta.dirname, '../..');

function connection(): string[] {
  return [
    '--platform',
    '/nonexistent/platform.json',
    '--tenant',
    t.platform.tenant,
    '--dynamodb',
    t.platform.dynamodbEndpoint,
    '--keys-table',
    t.platform.keysTable!,
    '--data-table-prefix',
    t.platform.dataTablePrefix,
  ];
}

function capture() {
  let out = '';
  let err = '';
  return {
    io: { out: (text: string) => (out += text), err: (text: string) => (err += text), cwd: REPO_ROOT },
    out: () => out,
    err: () => err,
  };
}

async function erase(...args: string[]) {
  const run = capture();
  const code = await runEraseCommand([...args, ...connection()], run.io);
  return { code, out: run.out(), err: run.err() };
}

describe('conversation ids in the CLI', () => {
  let conversation = '';

  beforeAll(async () => {
    conversation = (
      await t.converse(['What is my gift card balance?', `my email is ${CUSTOMERS.noah.email}`])
    ).id;
  });

  it('erase --conversation with an id that matches nothing fails and erases nothing', async () => {
    const before = await t.log(conversation);
    const typo = `x${conversation.slice(1)}`;
    const run = await erase('--conversation', typo);
    expect(run.out).not.toContain('Erased');
    expect(run.err).toContain(`no conversation "${typo}"`);
    expect(run.code).not.toBe(0);
    expect(await t.log(conversation)).toEqual(before);
  });

  it('rewind takes the prefix its usage shows', async () => {
    const run = capture();
    // The deployment's name is random here: the tenant folder is named.
    const code = await runRewindCommand(
      [conversation.slice(0, 8), '--to', '1', '--aops', 'aops/retail', ...connection()],
      run.io,
    );
    expect(run.err()).toBe('');
    expect(run.out()).toContain(`${conversation} rewound to seq 1`);
    expect(code).toBe(0);
  });

  it('rewind with an id that matches nothing fails with one line', async () => {
    const run = capture();
    const code = await runRewindCommand(['zzzzzzzz', '--to', '1', ...connection()], run.io);
    expect(run.err()).toBe(`aop rewind: no conversation "zzzzzzzz" in ${t.platform.eventsTable}\n`);
    expect(code).toBe(2);
  });

  it('erase --conversation with a unique prefix erases that conversation, and says which', async () => {
    const run = await erase('--conversation', conversation.slice(0, 8));
    expect(run.err).toBe('');
    expect(run.out).toContain(`Erased conversation ${conversation}`);
    expect(run.code).toBe(0);
    const texts = (await t.log(conversation)).flatMap((event) =>
      event.type === 'message.received' ? [event.data.text] : [],
    );
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((text) => text === '[erased]')).toBe(true);
  });

  it('versions --json prints the history as JSON', async () => {
    const run = capture();
    const code = await runVersionsCommand(
      'versions',
      ['cancel-pending-order', '--json', ...connection(), '--sfn', t.platform.sfnEndpoint],
      run.io,
    );
    expect(run.err()).toBe('');
    const history = JSON.parse(run.out()) as { aopId: string; live: number; versions: { version: number }[] };
    expect(history.aopId).toBe('cancel-pending-order');
    expect(history.versions.map((v) => v.version)).toContain(history.live);
    expect(code).toBe(0);
  });
});
