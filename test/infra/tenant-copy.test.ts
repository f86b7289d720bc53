import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantApp } from '../../infra/aws/tenant-app.ts';
import { REPO_ROOT } from '../../infra/aws/tenant-config.ts';

/**
 * A tenant is added with no edit outside its folder (docs/tenants.md): the retail folder copied under a
 * new name is a tenant of its own. It checks clean, serves a conversation on the local platform, and
 * synthesizes a stack that cdk-nag passes, named after the folder and built from the folder alone.
 *
 * In the infra project, which runs after every other project: the copy sits under aops/ for the length
 * of this file, where commands that serve "the only tenant folder" would otherwise see two.
 */

const NAME = `copy${randomBytes(3).toString('hex')}`;
const FOLDER = join(REPO_ROOT, 'aops', NAME);
let server: ChildProcess | undefined;

interface Reply {
  readonly conversationId: string;
  readonly sessionToken: string;
  readonly reply: { readonly text: string };
}

beforeAll(() => {
  cpSync(join(REPO_ROOT, 'aops', 'retail'), FOLDER, { recursive: true });
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((done) => server!.once('exit', done));
    server.kill('SIGTERM');
    await exited;
  }
  rmSync(FOLDER, { recursive: true, force: true });
  rmSync(join(REPO_ROOT, '.cache', 'lambda-entries', NAME), { recursive: true, force: true });
});

describe('a tenant folder copied under a new name', () => {
  it('checks clean with aop check', () => {
    const check = spawnSync('npx', ['aop', 'check', join('aops', NAME)], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(check.stdout + check.stderr).toMatch(/0 error\(s\), 0 warning\(s\)/);
    expect(check.status).toBe(0);
  }, 120_000);

  it('serves a conversation on the local platform, from its own tables', async () => {
    // In a process of its own: a process serves one tenant (docs/tenants.md), and this one builds stacks.
    server = spawn('npx', ['tsx', join('test', 'infra', 'serve-tenant.ts'), FOLDER, NAME], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const ready = await new Promise<string>((done, fail) => {
      server!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const line = /READY (\S+) (.*)/.exec(output);
        if (line) done(`${line[1]} ${line[2]}`);
      });
      server!.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      server!.on('exit', (code) => fail(new Error(`the platform stopped (${code}): ${output}`)));
    });
    const [url, tables] = [
      ready.slice(0, ready.indexOf(' ')),
      JSON.parse(ready.slice(ready.indexOf(' ') + 1)),
    ];
    expect(tables).toEqual([`${NAME}-users`, `${NAME}-orders`, `${NAME}-products`, `${NAME}-tool-calls`]);
    const post = async (path: string, body: unknown, token?: string) => {
      const response = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { 'x-session-token': token } : {}) },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Reply };
    };
    const first = await post('/v1/chat/conversations', {
      message: 'Hi, I want to cancel my order #W5918442',
    });
    expect(first.status).toBe(201);
    expect(first.body.reply.text).toMatch(/email/i);
    const second = await post(
      `/v1/chat/conversations/${first.body.conversationId}/messages`,
      { message: 'sofia.rossi2645@example.com' },
      first.body.sessionToken,
    );
    expect(second.status).toBe(200);
    // Signed in from its own users table; the order was given first, so its reason is asked next.
    expect(second.body.reply.text).toMatch(/reason/i);
  }, 180_000);

  it('synthesizes a stack named after the folder that cdk-nag passes', async () => {
    expect(existsSync(join(FOLDER, 'deploy.json'))).toBe(true);
    const { stack } = await createTenantApp({ tenant: NAME });
    expect(stack.stackName).toBe(`${NAME}-aop-platform`);
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((violation) => violation.ruleName)).toEqual([]);
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    const entry = join(REPO_ROOT, '.cache', 'lambda-entries', NAME, 'load-tenant.ts');
    expect(existsSync(entry)).toBe(true);
  }, 300_000);
});
