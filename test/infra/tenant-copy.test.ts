import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantApp } from '../../infra/aws/tenant-app.ts';
import { REPO_ROOT } from '../../infra/aws/tenant-config.ts';

/**
 * A tenant is added with no edit outside its folder (docs/tenants.md): each reference tenant's folder
 * copied under a new name is a tenant of its own. It checks clean, serves a conversation on the local
 * platform from its own tables (the subscription business with its own payment and helpdesk stand-ins,
 * a hand-off opening a ticket there), and synthesizes a stack that cdk-nag passes, named after the folder
 * and built from the folder alone.
 *
 * In the infra project, which runs after every other project: the copy sits under aops/ for the length
 * of this file, where commands that serve "the only tenant folder" would otherwise see two.
 */

interface Reply {
  readonly conversationId: string;
  readonly sessionToken: string;
  readonly reply: { readonly text: string };
  readonly status: string;
}

interface Served {
  readonly url: string;
  readonly tables: string[];
  readonly services: Record<string, string>;
  readonly operatorToken: string;
  readonly platformFile: string;
}

/** What each reference tenant's copy must do: its tables, and a conversation of its own. */
const CASES = [
  {
    source: 'retail',
    tables: ['users', 'orders', 'products', 'tool-calls'],
    async converse(say: Say) {
      const first = await say('Hi, I want to cancel my order #W5918442');
      expect(first.reply.text).toMatch(/email/i);
      const second = await say('sofia.rossi2645@example.com', first);
      // Signed in from its own users table; the order was given first, so its reason is asked next.
      expect(second.reply.text).toMatch(/reason/i);
      return second.conversationId;
    },
  },
  {
    source: 'subscriptions',
    tables: ['customers', 'subscriptions', 'invoices', 'plans', 'tool-calls'],
    async converse(say: Say, served: Served) {
      const first = await say('i want to cancel my subscription');
      expect(first.reply.text).toMatch(/your email/i);
      // Signed in from its own customers table, the refund quoted from its own invoices.
      const second = await say('aaron.cole@example.com', first);
      expect(second.reply.text).toMatch(/\$79\.31 goes back to the Mastercard ending 2580/);
      const third = await say('ugh just get me an agent', first);
      expect(third.status).toBe('escalated');
      // The hand-off opened a ticket in the copy's own helpdesk stand-in, linking the audit timeline.
      const events = (await (
        await fetch(`${served.url}/v1/conversations/${first.conversationId}/events`, {
          headers: { authorization: `Bearer ${served.operatorToken}` },
        })
      ).json()) as { events: { type: string; data: { ticketId?: string | null; system?: string } }[] };
      const ticket = events.events.find((event) => event.type === 'handoff.ticket');
      expect(ticket?.data).toMatchObject({ system: 'zendesk', ticketId: expect.stringMatching(/^\d+$/) });
      const opened = (await (
        await fetch(`${served.services.helpdesk}/api/v2/tickets/${ticket!.data.ticketId}.json`, {
          headers: {
            authorization: `Basic ${Buffer.from('support@tidewave.example/token:local-development-token').toString('base64')}`,
          },
        })
      ).json()) as { ticket: { external_id: string; description: string } };
      expect(opened.ticket.external_id).toBe(first.conversationId);
      expect(opened.ticket.description).toContain(
        `${served.url}/v1/conversations/${first.conversationId}/events`,
      );
      return first.conversationId;
    },
  },
] as const;

type Say = (message: string, after?: Reply) => Promise<Reply>;

describe.each(CASES)('the $source folder copied under a new name', (tenant) => {
  const NAME = `${tenant.source.slice(0, 4)}copy${randomBytes(3).toString('hex')}`;
  const FOLDER = join(REPO_ROOT, 'aops', NAME);
  const WORK = mkdtempSync(join(tmpdir(), `${NAME}-`));
  let server: ChildProcess | undefined;

  beforeAll(() => {
    cpSync(join(REPO_ROOT, 'aops', tenant.source), FOLDER, { recursive: true });
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((done) => server!.once('exit', done));
      server.kill('SIGTERM');
      await exited;
    }
    rmSync(FOLDER, { recursive: true, force: true });
    rmSync(WORK, { recursive: true, force: true });
    rmSync(join(REPO_ROOT, '.cache', 'lambda-entries', NAME), { recursive: true, force: true });
  });

  it('checks clean with aop check', () => {
    const check = spawnSync('npx', ['aop', 'check', join('aops', NAME)], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    expect(check.stdout + check.stderr).toMatch(/0 error\(s\), 0 warning\(s\)/);
    expect(check.status).toBe(0);
  }, 120_000);

  it('serves a conversation on the local platform, from its own tables, and replays it exactly', async () => {
    // In a process of its own: a process serves one tenant (docs/tenants.md), and this one builds stacks.
    // Node itself, not npx: the SIGTERM of afterAll must reach the platform, which then stops its JVM.
    server = spawn(
      process.execPath,
      ['--import', 'tsx', join('test', 'infra', 'serve-tenant.ts'), FOLDER, NAME, WORK],
      {
        cwd: REPO_ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    const ready = await new Promise<string>((done, fail) => {
      server!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const line = /READY (\S+ .*)\n/.exec(output);
        if (line) done(line[1]!);
      });
      server!.stderr!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      server!.on('exit', (code) => fail(new Error(`the platform stopped (${code}): ${output}`)));
    });
    const served: Served = {
      url: ready.slice(0, ready.indexOf(' ')),
      ...(JSON.parse(ready.slice(ready.indexOf(' ') + 1)) as Omit<Served, 'url'>),
    };
    expect(served.tables).toEqual(tenant.tables.map((table) => `${NAME}-${table}`));
    const say: Say = async (message, after) => {
      const response = await fetch(
        after
          ? `${served.url}/v1/chat/conversations/${after.conversationId}/messages`
          : `${served.url}/v1/chat/conversations`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(after ? { 'x-session-token': after.sessionToken } : {}),
          },
          body: JSON.stringify({ message }),
        },
      );
      expect(response.status).toBe(after ? 200 : 201);
      const body = (await response.json()) as Reply;
      return after
        ? { ...body, conversationId: after.conversationId, sessionToken: after.sessionToken }
        : body;
    };
    const conversationId = await tenant.converse(say, served);
    // Every turn re-runs exactly from the recording (the helpdesk answered from it: no second ticket).
    const replay = spawnSync(
      'npx',
      ['aop', 'replay', conversationId, '--platform', served.platformFile, '--aops', FOLDER],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(replay.stdout + replay.stderr).not.toMatch(/differ/i);
    expect(replay.status).toBe(0);
  }, 240_000);

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
