import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { run as runAudit } from '../../bench/audit.bench.ts';

/**
 * `npm run bench` must run end to end (CI runs `npm run bench -- --short`). The audit part records a
 * conversation on a platform with its defaults, where customer data is stored encrypted, and replays
 * it: it must read the events decrypted, as `aop replay` does, and every turn must reproduce.
 */

const ROOT = join(import.meta.dirname, '..', '..');

function captureStdout(): { text: () => string } {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  return { text: () => chunks.join('') };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('npm run bench', () => {
  it('audit, short: replays the conversation it recorded on an encrypting platform, every turn the same', async () => {
    const stdout = captureStdout();
    await runAudit({ short: true, dynamodbEndpoint: inject('dynamodbEndpoint') });
    const text = stdout.text();
    for (const figure of ['chain', 'live', 'offline'])
      expect(text).toMatch(new RegExp(`${figure} +[\\d,]+ events/s`));
    expect(text).toMatch(
      /replay of a \d+-event conversation \(\d+ turns, 3 requests, customer data decrypted first\): every turn reproduced; median [\d.]+ ms/,
    );
  }, 240_000);

  it('--short compile: exits 0 with a row for every retail procedure', () => {
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'bench', 'run.ts'), '--short', 'compile'],
      { cwd: ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout).toContain('compile.bench.ts (short)');
    const procedures = readdirSync(join(ROOT, 'aops', 'retail')).filter((name) => name.endsWith('.md'));
    for (const name of procedures)
      expect(child.stdout).toMatch(new RegExp(`^${name.replace(/\.md$/, '')} +\\d+ .* (ok|OVER 50)$`, 'm'));
    expect(child.stdout).toMatch(/^per procedure: median [\d.]+ ms, max [\d.]+ ms;/m);
  }, 150_000);

  it('exits 2 on an option it does not know, and runs nothing', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'run.ts'), '--shrot'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.status).toBe(2);
    expect(child.stderr).toContain('unknown option --shrot');
    expect(child.stdout).not.toContain('==');
  }, 90_000);
});
