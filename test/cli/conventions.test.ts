import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The `aop` command follows the conventions of command-line tools: every command answers `--help`,
 * the program answers `--help`, `-h` and `--version`, a wrong flag is one line and exit 2 (never a
 * stack trace), NO_COLOR is honoured, `--json` is JSON wherever it is documented.
 */

const REPO_ROOT = join(import.meta.dirname, '../..');
const BIN = join(REPO_ROOT, 'cli', 'bin', 'aop.mjs');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function aop(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: REPO_ROOT, env: { ...process.env, NO_COLOR: '1', ...env } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Every command the README and `aop help` document, as it is typed. */
const COMMANDS = [
  ['check'],
  ['compile'],
  ['explain'],
  ['chat'],
  ['test'],
  ['audit'],
  ['audit', 'show'],
  ['audit', 'verify'],
  ['audit', 'export'],
  ['replay'],
  ['regress'],
  ['versions'],
  ['diff'],
  ['publish'],
  ['rollback'],
  ['rewind'],
  ['erase'],
] as const;

describe('aop conventions', () => {
  it.each(COMMANDS.map((command) => [command.join(' ')]))(
    'aop %s --help prints its usage and exits 0',
    async (name) => {
      const command = name.split(' ');
      const run = await aop([...command, '--help']);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^Usage: aop /m);
      expect(run.stdout).toContain(command.join(' '));
      expect(run.code).toBe(0);
    },
  );

  it.each([['--help'], ['-h'], ['help']])(
    'aop %s prints the usage of every command and exits 0',
    async (flag) => {
      const run = await aop([flag]);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain('Usage: aop');
      for (const [command] of COMMANDS) expect(run.stdout).toContain(`  ${command}`);
    },
  );

  it('aop --version prints the version of the CLI package', async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'cli', 'package.json'), 'utf8')) as {
      version: string;
    };
    const run = await aop(['--version']);
    expect(run).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it.each([
    ['check', '--bogus'],
    ['versions', 'cancel-pending-order', '--bogus'],
    ['rewind', 'abc', '--to', '3', '--bogus'],
    ['erase', 'someone', '--bogus'],
    ['audit', 'show', 'abc', '--bogus'],
    ['replay', 'abc', '--bogus'],
    ['test', '--bogus'],
  ])('an unknown flag is one line on stderr and exit 2: aop %s …', async (...args) => {
    const run = await aop(args);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('--bogus');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.code).toBe(2);
  });

  it('an unknown command is one line and exit 2', async () => {
    const run = await aop(['frobnicate']);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('frobnicate');
    expect(run.code).toBe(2);
  });

  it('a path that does not exist is one line and exit 2, not a stack trace', async () => {
    const run = await aop(['check', 'no/such/dir']);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('no/such/dir');
    expect(run.code).toBe(2);
  });

  describe('--json', () => {
    let dir: string;
    let exportFile: string;

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'aop-json-'));
      // An export of a recorded conversation (a replay golden) is a valid input for verify --file.
      // The goldens' folder is named by the procedure's compiled version, which changes with it.
      const goldens = join(REPO_ROOT, 'test/replay/goldens');
      const folder = readdirSync(goldens).find((name) => name.startsWith('cancel-pending-order@'));
      const jsonl = join(goldens, folder ?? 'cancel-pending-order@missing', 'cancel-happy-path.jsonl');
      exportFile = join(dir, 'conversation.jsonl');
      writeFileSync(exportFile, readFileSync(jsonl, 'utf8'));
      writeFileSync(`${exportFile}.manifest.json`, readFileSync(`${jsonl}.manifest.json`, 'utf8'));
    });

    afterAll(() => {
      rmSync(dir, { recursive: true, force: true });
    });

    it('audit verify --file FILE --json prints the report as JSON', async () => {
      const run = await aop(['audit', 'verify', '--file', exportFile, '--json']);
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: true });
      expect(run.code).toBe(0);
    });
  });

  // A terminal is needed to see colour at all: `script` gives the command a pseudo-terminal.
  const hasScript = (() => {
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.runIf(hasScript)('NO_COLOR turns colour off on a terminal', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aop-color-'));
    try {
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
      writeFileSync(
        join(dir, 'tenant.ts'),
        `export { catalogue } from ${JSON.stringify(join(REPO_ROOT, 'aops', 'retail', 'tenant.ts'))};\n`,
      );
      writeFileSync(
        join(dir, 'broken.md'),
        '---\nid: broken\ntitle: Broken\nwhen: Never.\ntools: [get_order_details]\n---\n\n1. Look up the order with @get_order_detail.\n2. End.\n',
      );
      const onTerminal = (noColor: boolean) =>
        new Promise<string>((resolve) => {
          const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm' };
          delete env.NO_COLOR;
          delete env.FORCE_COLOR;
          if (noColor) env.NO_COLOR = '1';
          execFile(
            'script',
            ['-qec', `${process.execPath} ${BIN} check ${join(dir, 'broken.md')}`, '/dev/null'],
            { cwd: REPO_ROOT, env },
            (_error, stdout) => resolve(stdout),
          );
        });
      const [coloured, plain] = await Promise.all([onTerminal(false), onTerminal(true)]);
      expect(coloured).toContain('AOP002');
      // Colour is an SGR sequence (ESC [ … m); the progress line's cursor control is not colour.
      const sgr = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`);
      expect(coloured).toMatch(sgr);
      expect(plain).toContain('AOP002');
      expect(plain).not.toMatch(sgr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
