import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });

/**
 * What the README says about setting up: the Node versions that work, and a checkout that carries no
 * machine's DynamoDB Local installation id.
 */
describe('setup', () => {
  it.runIf(existsSync(resolve(ROOT, '.git')))(
    'does not track DynamoDB Local metadata, and ignores it',
    () => {
      // An installation id with telemetry on, written by DynamoDB Local into its working directory.
      expect(git('ls-files', '--error-unmatch', 'dynamodb-local-metadata.json').status).not.toBe(0);
      expect(git('check-ignore', '-q', '--no-index', 'dynamodb-local-metadata.json').status).toBe(0);
      expect(execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' })).not.toMatch(
        /dynamodb-local-metadata\.json/,
      );
    },
  );

  /**
   * `package.json` `engines` names the oldest Node the project supports. Every installed package must
   * accept it, except the ones listed here with the reason they work anyway (README, "Needs Node");
   * `npm ci` prints an EBADENGINE warning for each of them, and for nothing else.
   */
  const ACCEPTED_MISMATCHES: Record<string, string> = {
    'aws-local-stepfunctions':
      'declares >=22.0.0; of Node 22 it uses only Promise.withResolvers, polyfilled by shared/polyfills.ts',
  };

  it('declares a Node range every dependency accepts, apart from the documented exceptions', () => {
    const declared = (
      JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }
    ).engines.node;
    const oldest = /^>=\s*(\d+(?:\.\d+){0,2})$/.exec(declared)?.[1];
    expect(oldest, `engines.node "${declared}" should read ">=X.Y.Z"`).toBeDefined();
    const minimum = version(oldest ?? '0');
    expect(satisfies(version(process.versions.node), `>=${oldest}`)).toBe(true);

    const lock = JSON.parse(readFileSync(resolve(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }>;
    };
    const refusing = new Set<string>();
    for (const [path, entry] of Object.entries(lock.packages)) {
      const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined;
      if (path === '' || range === undefined) continue;
      if (!satisfies(minimum, range)) refusing.add(path.replace(/^.*node_modules\//, ''));
    }
    expect([...refusing].sort()).toEqual(Object.keys(ACCEPTED_MISMATCHES).sort());
  });
});

type Version = [number, number, number];

function version(text: string): Version {
  const [major = 0, minor = 0, patch = 0] = text.replace(/^v/, '').split('.').map(Number);
  return [major, minor, patch];
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** Enough of npm's range grammar for `engines` fields: `||`, `>=`, `>`, `<`, `^`, `~`, `x`, bare versions. */
function satisfies(v: Version, range: string): boolean {
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|\^|~|=)\s+/g, '$1')
      .split(/\s+/)
      .filter((part) => part !== '' && part !== '*')
      .every((part) => {
        const [, op = '', rest = ''] = /^(>=|<=|>|<|\^|~|=)?\s*v?(.*)$/.exec(part) ?? [];
        const parts = rest.split('.').filter((p) => p !== '' && p !== 'x' && p !== '*');
        const base = version(parts.join('.'));
        switch (op) {
          case '>=':
            return compare(v, base) >= 0;
          case '>':
            return compare(v, base) > 0;
          case '<=':
            return compare(v, base) <= 0;
          case '<':
            return compare(v, base) < 0;
          case '^':
            return compare(v, base) >= 0 && (base[0] > 0 ? v[0] === base[0] : v[0] === 0 && v[1] === base[1]);
          case '~':
            return compare(v, base) >= 0 && v[0] === base[0] && (parts.length < 2 || v[1] === base[1]);
          default:
            // `20`, `20.x`, `=20.1.0`: the listed parts must match.
            return parts.every((p, i) => v[i] === Number(p));
        }
      }),
  );
}
