import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import aslValidator from 'asl-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, RETAIL_DIR, retailSources, substitutePlaceholders } from './support.ts';

/** The `aop` command as a CX author runs it: a child process, its exit code and its output. */

const BIN = join(REPO_ROOT, 'cli', 'bin', 'aop.mjs');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function aop(args: string[], cwd = REPO_ROOT): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const BROKEN = [
  '---',
  'id: broken',
  'title: A broken procedure',
  'when: Never.',
  'tools: [get_order_details]',
  '---',
  '',
  '1. Follow @authenticate-customer.',
  '2. Ask for the order id.',
  '3. Look up the order with @get_order_detail.',
  '4. End.',
].join('\n');

const retailIds = retailSources().map((source) => /\nid: ([a-z-]+)/.exec(source.text)![1]!);

describe('aop CLI', () => {
  let work: string;
  let brokenTenant: string;
  let check: Promise<Run>;
  let checkJson: Promise<Run>;
  let broken: Promise<Run>;
  let brokenJson: Promise<Run>;
  let compile: Promise<Run>;
  let explain: Promise<Run>;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'aop-cli-'));
    // A tenant of its own: the retail catalogue, the shared sub-procedure and one broken procedure.
    brokenTenant = join(work, 'aops', 'shop');
    mkdirSync(brokenTenant, { recursive: true });
    writeFileSync(join(work, 'package.json'), '{ "type": "module" }\n');
    writeFileSync(
      join(brokenTenant, 'tenant.ts'),
      `export { catalogue } from ${JSON.stringify(join(RETAIL_DIR, 'tenant.ts'))};\n`,
    );
    writeFileSync(
      join(brokenTenant, 'authenticate-customer.md'),
      readFileSync(join(RETAIL_DIR, 'authenticate-customer.md'), 'utf8'),
    );
    writeFileSync(join(brokenTenant, 'broken.md'), BROKEN);
    // Started together: each run loads the CLI and compiles every procedure (a few seconds each).
    check = aop(['check', 'aops/retail/']);
    checkJson = aop(['check', 'aops/retail/', '--json']);
    broken = aop(['check', 'aops/shop/broken.md'], work);
    brokenJson = aop(['check', 'aops/shop', '--json'], work);
    compile = aop(['compile', 'aops/retail/', '--out', join(work, 'out')]);
    explain = aop(['explain', 'cancel-pending-order']);
  });

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('check exits 0 on the retail procedures', async () => {
    const run = await check;
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`${retailIds.length} procedure(s) checked: 0 error(s), 0 warning(s).`);
    expect(run.code).toBe(0);
  });

  it('check --json prints parseable JSON with no diagnostics', async () => {
    const run = await checkJson;
    const report = JSON.parse(run.stdout) as { files: number; diagnostics: unknown[]; orphans: string[] };
    expect(report).toEqual({ files: retailIds.length, diagnostics: [], orphans: [] });
    expect(run.code).toBe(0);
  });

  it('fails with exit 1, file:line:col, the code and a code frame on a broken procedure', async () => {
    const run = await broken;
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('aops/shop/broken.md:10:27 - error AOP002: ');
    const lines = run.stdout.split('\n');
    const frame = lines.indexOf('10 3. Look up the order with @get_order_detail.');
    expect(frame).toBeGreaterThan(0);
    expect(lines[frame + 1]).toBe(`   ${' '.repeat(26)}${'~'.repeat('@get_order_detail'.length)}`);
    expect(run.stdout).toContain('hint: Did you mean "@get_order_details"?');
    expect(run.stdout).toContain('1 procedure(s) checked: 1 error(s), 0 warning(s).');
  });

  it('check --json reports the diagnostic with its code and span', async () => {
    const run = await brokenJson;
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as {
      files: number;
      diagnostics: { code: string; severity: string; span: { file: string; line: number; col: number } }[];
    };
    expect(report.files).toBe(2);
    expect(report.diagnostics.map((d) => [d.code, d.severity, d.span.file, d.span.line, d.span.col])).toEqual(
      [['AOP002', 'error', 'aops/shop/broken.md', 10, 27]],
    );
  });

  it('compile writes ir, asl and manifest for every retail procedure, and every asl passes asl-validator', async () => {
    const run = await compile;
    expect(run.code).toBe(0);
    const out = join(work, 'out');
    expect(readdirSync(out).sort()).toEqual([...retailIds].sort());
    for (const id of retailIds) {
      expect(readdirSync(join(out, id)).sort()).toEqual(['asl.json', 'ir.json', 'manifest.json']);
      const ir = JSON.parse(readFileSync(join(out, id, 'ir.json'), 'utf8')) as { id: string };
      const manifest = JSON.parse(readFileSync(join(out, id, 'manifest.json'), 'utf8')) as {
        aopId: string;
        stateCount: number;
        placeholders: string[];
        sourceMap: Record<string, string>;
      };
      const text = readFileSync(join(out, id, 'asl.json'), 'utf8');
      const asl = JSON.parse(text) as { States: Record<string, unknown> };
      expect(ir.id).toBe(id);
      expect(manifest.aopId).toBe(id);
      expect(manifest.stateCount).toBe(Object.keys(asl.States).length);
      expect(Object.keys(manifest.sourceMap).sort()).toEqual(Object.keys(asl.States).sort());
      for (const placeholder of manifest.placeholders)
        expect(placeholder).toMatch(/^\$\{[A-Za-z]+FunctionArn\}$/);
      const substituted = substitutePlaceholders(text);
      expect(substituted).not.toContain('${');
      const validation = aslValidator(JSON.parse(substituted), { checkPaths: true, checkArn: true });
      expect({ id, errors: validation.errors }).toEqual({ id, errors: [] });
      expect(validation.isValid).toBe(true);
    }
  });

  it('explain prints the flow as text and a mermaid flowchart', async () => {
    const run = await explain;
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Cancel a pending order (cancel-pending-order, procedure)');
    expect(run.stdout).toContain('Step 12 [cancel]');
    expect(run.stdout).toContain('call cancel_pending_order (write)');
    expect(run.stdout).toMatch(/```mermaid\nflowchart TD\n[\s\S]+\n```\n$/);
  });

  it('prints usage and exits 2 without a command', async () => {
    const run = await aop([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toContain('Usage: aop <command>');
  });
});
