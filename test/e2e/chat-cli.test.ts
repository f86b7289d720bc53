import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type E2e, startE2e } from './support.ts';

/** `aop chat` as a person at a terminal uses it, here with its input piped in: a child process, stdin, stdout. */

const BIN = join(import.meta.dirname, '..', '..', 'cli', 'bin', 'aop.mjs');

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e('chat-cli');
});
afterAll(async () => {
  await e2e?.stop();
});

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function chat(lines: readonly string[], url = e2e.url): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'chat', '--url', url], {
      env: { ...process.env, NO_COLOR: '1', AOP_OPERATOR_TOKEN: e2e.platform.operatorToken },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // All lines at once, then end of input: the CLI must still answer them one by one, in order.
    child.stdin.end(lines.map((line) => `${line}\n`).join(''));
  });
}

const conversationsIn = (stdout: string) => [
  ...new Set([...stdout.matchAll(/· conversation ([0-9a-f-]{36})\]/g)].map((match) => match[1]!)),
];

describe('aop chat', () => {
  it('sends piped lines as one conversation and prints each reply with the status', async () => {
    const run = await chat(["Where is my order #W9360566? what's the status?", 'chen.lopez1681@example.com']);
    expect(run.code).toBe(0);
    const replies = run.stdout.split('\n').filter((line) => line.startsWith('agent> '));
    expect(replies).toEqual([
      'agent> Could you tell me your email, or your first name, last name and zip code?',
      'agent> The status of order #W9360566 is delivered. Its items are Jigsaw Puzzle (expert difficulty level, 500 pieces, animals theme) for $53.53, Cycling Helmet (blue, medium, low ventilation) for $200.24 and Backpack (black, camera compartment, nylon material, large) for $198.00. Its tracking number is 857108578448.',
    ]);
    expect(run.stdout).toMatch(/\[active · conversation [0-9a-f-]{36}\]/);
    expect(run.stdout).toMatch(/\[resolved · conversation [0-9a-f-]{36}\]/);
    const ids = conversationsIn(run.stdout);
    expect(ids).toHaveLength(1);
    expect(await e2e.conversationIds()).toContain(ids[0]);
    const log = await e2e.events(ids[0]!);
    expect(log.filter((event) => event.type === 'message.received')).toHaveLength(2);
  });

  it('prints the event log with /events, starts over with /new and reports refusals without stopping', async () => {
    const run = await chat([
      'Can I talk to a real person please',
      '/events',
      '/new',
      'x'.repeat(4001),
      "What's the status of my order #W9360566?",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('agent> You are being transferred to a human agent. Please hold on.');
    expect(run.stdout).toContain('[escalated · conversation');
    expect(run.stdout).toMatch(/^\s+1\s+conversation\.started\s+channel chat$/m);
    expect(run.stdout).toMatch(/aop\.selected\s+transfer-to-human v\d+ \(routed\)/);
    expect(run.stdout).toMatch(/handoff\.requested\s+\S/);
    expect(run.stdout).toMatch(/\d+ events; hash chain verified\./);
    expect(run.stdout).toContain('(new conversation: your next message starts it)');
    expect(run.stdout).toContain('! The platform refused the request (HTTP 413: message_too_long');
    expect(run.stdout).toContain(
      'agent> Could you tell me your email, or your first name, last name and zip code?',
    );
    const ids = conversationsIn(run.stdout);
    expect(ids).toHaveLength(2);
    const stored = await e2e.conversationIds();
    for (const id of ids) {
      expect(stored).toContain(id);
      expect(await e2e.verify(id)).toMatchObject({ ok: true });
    }
  });

  it('says so when the platform cannot be reached, and keeps reading', async () => {
    const run = await chat(['hello', '/events'], 'http://127.0.0.1:9');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('! Cannot reach the platform at http://127.0.0.1:9');
    expect(run.stdout).toContain('No conversation yet: type a message first.');
  });

  it('refuses a --url that is not an http URL', async () => {
    const run = await chat([], 'localhost:3000');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--url must be an http(s) URL');
  });
});
