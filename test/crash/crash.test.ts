import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { catalogue } from '../../aops/retail/tenant.ts';
import { loadRetailDb, seedRetail } from '../../aops/retail/tools/store.ts';
import { formatIntegrity, verifyEvents } from '../../shared/audit/index.ts';
import { buildTimeline, formatTimeline } from '../../shared/audit/timeline.ts';
import { type StoredEvent, StoredEventSchema } from '../../shared/events/catalogue.ts';
import { requestsWithoutOutcome } from '../../shared/events/tool-outcomes.ts';

/**
 * A crash must never repeat a write, nor tell the customer the opposite of what happened. The platform
 * runs in a process of its own behind a proxy to DynamoDB Local; the proxy kills it (SIGKILL) right
 * after a chosen request commits and before the platform hears back, at each boundary of each of the
 * tenant's seven write tools:
 *
 * - `requested`: the durable `tool.requested` (the call has not run);
 * - `committed`: the tool's own transaction (the change is made, nothing in the log says so);
 * - `succeeded`: the durable `tool.succeeded` (the outcome is logged, the turn has not ended).
 *
 * Another process then starts on the same tables and the customer retries, with the same message id
 * (what the API advises) or with a new "yes". Each time: exactly one change in the tool-call store,
 * exactly one successful write in the log, the customer told it was done, the log verifies, every
 * `tool.requested` has an outcome (the next turn closed the dead one with what the tool's idempotency
 * record says: `tool.succeeded` after `committed`, `tool.abandoned` after `requested`), and the closing
 * `turn.interrupted` lists the call that was pending. The figures (trials, verify failures, requests
 * without outcome, side effects made twice) are printed at the end; docs/runtime.md quotes them.
 */

const LEASE_MS = 1500;
const TENANT = `crash-${randomUUID().slice(0, 8)}`;
const SESSION_SECRET = randomBytes(32).toString('base64');
const OPERATOR_TOKEN = randomBytes(16).toString('hex');

interface WriteCase {
  readonly tool: string;
  readonly lines: readonly string[];
  readonly done: RegExp;
}

const CASES: readonly WriteCase[] = [
  {
    tool: 'cancel_pending_order',
    lines: [
      'Hi, I want to cancel my order #W5918442',
      'sofia.rossi2645@example.com',
      'I ordered it by mistake',
    ],
    done: /Order #W5918442 is cancelled/,
  },
  {
    tool: 'modify_user_address',
    lines: [
      "I'd like to update my account's default address",
      'omar.nguyen1923@example.com',
      '12 Pine Street, Suite 300, Denver, CO 80202, USA',
    ],
    done: /default address is updated/,
  },
  {
    tool: 'modify_pending_order_payment',
    lines: [
      "I'd like to pay for my order #W5073920 with a different card",
      'lucas.johansson7741@example.com',
      'the visa ending in 9452',
    ],
    done: /is now paid with/,
  },
  {
    tool: 'return_delivered_order_items',
    lines: [
      'I want to return something from order #W2912153, it arrived last week',
      'olivia.brown9075@example.com',
      'just the desk lamp',
      'back to my visa card please',
    ],
    done: /return for order #W2912153 is requested/,
  },
  {
    tool: 'modify_pending_order_address',
    lines: [
      'Hi! I moved, can you ship order #W8058304 to my new address?',
      'My name is Omar Moore and my zip is 10096',
      '445 Oak Avenue, Apt 12, Seattle, WA 98109, USA',
    ],
    done: /#W8058304 will ship to the new address/,
  },
  {
    tool: 'modify_pending_order_items',
    lines: [
      "I want to change the color of the water bottle in my order #W4183735, it hasn't shipped yet",
      'sophia.nguyen3545@example.com',
      'the water bottle',
      'I want the black one, item 3453331371',
      'use my gift card please',
    ],
    done: /items of order #W4183735 are changed/,
  },
  {
    tool: 'exchange_delivered_order_items',
    lines: [
      'I received order #W5697187 and want to swap the hiking boots for a different size',
      'Raj Kim 32145',
      'the hiking boots',
      'item 8106223139 please, size 9',
      'my mastercard',
    ],
    done: /exchange for order #W5697187 is requested/,
  },
];

const BOUNDARIES = ['requested', 'committed', 'succeeded'] as const;
type Boundary = (typeof BOUNDARIES)[number];

/** Does this DynamoDB request, once committed, cross the boundary for this conversation? */
function crosses(boundary: Boundary, conversationId: string, target: string, body: string): boolean {
  if (!target.endsWith('TransactWriteItems') || !body.includes(conversationId)) return false;
  const has = (type: string) => body.includes(`{"S":"${type}"}`);
  switch (boundary) {
    case 'requested':
      return has('tool.requested');
    case 'committed':
      return body.includes('tool-calls') && body.includes(`"${conversationId}:`);
    case 'succeeded':
      return has('tool.succeeded') && !has('turn.completed');
  }
}

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<void>;
}

let upstream: string;
let proxy: Server;
let proxyUrl: string;
let armed: { boundary: Boundary; conversationId: string } | null = null;
let platform: Running;
let crashes = 0;
/** What the issue measures, over every trial run (printed after the last). */
const figures = { trials: 0, verifyFailures: 0, requestsWithoutOutcome: 0, doubleSideEffects: 0 };
/** What the closing `turn.interrupted` must list, by boundary: the call and what its record says. */
const PENDING: Record<Boundary, 'succeeded' | 'not-run' | undefined> = {
  requested: 'not-run',
  committed: 'succeeded',
  succeeded: undefined,
};
const dynamodb = () => new DynamoDBClient({ endpoint: upstream });

function startProxy(): Promise<void> {
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = String(req.headers['x-amz-target'] ?? '');
      const forward = httpRequest(
        `${upstream}${req.url ?? '/'}`,
        { method: req.method, headers: req.headers },
        (answer: IncomingMessage) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const trigger = armed;
            if (
              trigger &&
              (answer.statusCode ?? 500) < 300 &&
              crosses(trigger.boundary, trigger.conversationId, target, body.toString('utf8'))
            ) {
              // The change is committed; the platform dies before it hears so.
              armed = null;
              crashes++;
              platform.child.kill('SIGKILL');
              res.socket?.destroy();
              return;
            }
            res.writeHead(answer.statusCode ?? 500, answer.headers);
            res.end(Buffer.concat(parts));
          });
        },
      );
      forward.on('error', () => res.socket?.destroy());
      forward.end(body);
    });
  });
  return new Promise((done) =>
    proxy.listen(0, '127.0.0.1', () => {
      proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      done();
    }),
  );
}

function startPlatformProcess(seed: boolean): Promise<Running> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, 'platform-process.ts')],
    {
      env: {
        ...process.env,
        CRASH_TENANT: TENANT,
        CRASH_DYNAMODB_ENDPOINT: proxyUrl,
        CRASH_SESSION_SECRET: SESSION_SECRET,
        CRASH_OPERATOR_TOKEN: OPERATOR_TOKEN,
        CRASH_LEASE_MS: String(LEASE_MS),
        CRASH_SEED: String(seed),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  return new Promise((ready, fail) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = /READY (\{.*\})\n/.exec(out)?.[1];
      if (line) ready({ child, url: (JSON.parse(line) as { url: string }).url, exited });
    });
    child.once('exit', (code) =>
      fail(new Error(`platform process exited (${code}) before it was ready:\n${err}`)),
    );
  });
}

interface Answer {
  readonly conversationId: string;
  readonly sessionToken: string;
  readonly reply: { readonly text: string };
}

async function post(path: string, body: unknown, token?: string): Promise<{ status: number; body: Answer }> {
  const response = await fetch(`${platform.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { 'x-session-token': token } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Answer };
}

async function events(conversationId: string): Promise<StoredEvent[]> {
  const response = await fetch(`${platform.url}/v1/conversations/${conversationId}/events`, {
    headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
  });
  const { events: log } = (await response.json()) as { events: unknown[] };
  return log.map((event) => StoredEventSchema.parse(event));
}

async function toolCallsOf(conversationId: string): Promise<number> {
  const { Items = [] } = await dynamodb().send(
    new ScanCommand({
      TableName: `${TENANT}-tool-calls`,
      FilterExpression: 'begins_with(idempotency_key, :conversation)',
      ExpressionAttributeValues: { ':conversation': { S: `${conversationId}:` } },
      ConsistentRead: true,
    }),
  );
  return Items.length;
}

beforeAll(async () => {
  upstream = inject('dynamodbEndpoint');
  await startProxy();
  platform = await startPlatformProcess(true);
}, 120_000);

afterAll(async () => {
  process.stdout.write(
    `crash figures: ${figures.trials} trials, ${figures.verifyFailures} verify failures, ${figures.requestsWithoutOutcome} requests without outcome, ${figures.doubleSideEffects} side effects made twice\n`,
  );
  platform?.child.kill('SIGKILL');
  await new Promise((done) => proxy?.close(done));
});

describe('a crash at every boundary of a write', () => {
  it('covers every write tool of the tenant', () => {
    const writes = [...catalogue.values()].filter((tool) => tool.effect === 'write').map((tool) => tool.name);
    expect(CASES.map((write) => write.tool).sort()).toEqual(writes.sort());
  });

  // Every write tool at every boundary; the two retries alternate over the tools, so each boundary is
  // retried both ways by some tool (21 trials). CRASH_FULL=1 runs every tool × boundary × retry (42),
  // as the figures in docs/runtime.md were measured: each trial restarts the platform, about 4 s.
  const full = process.env.CRASH_FULL === '1';
  const retries = ['same message id', 'a new yes'] as const;
  for (const [index, write] of CASES.entries())
    for (const [at, boundary] of BOUNDARIES.entries())
      for (const retry of full ? retries : [retries[(index + at) % 2]!])
        it(`${write.tool}: killed after ${boundary}, retried with ${retry}: one change, told it was done`, async () => {
          // Every trial starts from the seeded data (written straight to DynamoDB, not through the proxy).
          await seedRetail(dynamodb(), `${TENANT}-`, loadRetailDb());
          const [first, ...rest] = write.lines;
          const started = await post('/v1/chat/conversations', { message: first });
          expect(started.status).toBe(201);
          const { conversationId, sessionToken } = started.body as {
            conversationId: string;
            sessionToken: string;
          };
          let last = started.body.reply.text as string;
          for (const line of rest) {
            const answer = await post(
              `/v1/chat/conversations/${conversationId}/messages`,
              { message: line },
              sessionToken,
            );
            expect(answer.status).toBe(200);
            last = answer.body.reply.text;
          }
          expect(last, 'the conversation reached the confirmation').toMatch(/Shall I go ahead\?|confirm/i);

          armed = { boundary, conversationId };
          const before = crashes;
          const messageId = randomUUID();
          const crashed = await post(
            `/v1/chat/conversations/${conversationId}/messages`,
            { message: 'yes', messageId },
            sessionToken,
          ).catch((error: unknown) => error);
          expect(crashed).toBeInstanceOf(Error);
          expect(crashes).toBe(before + 1);
          await platform.exited;
          platform = await startPlatformProcess(false);

          const again = await post(
            `/v1/chat/conversations/${conversationId}/messages`,
            retry === 'same message id' ? { message: 'yes', messageId } : { message: 'yes, go ahead' },
            sessionToken,
          );
          expect(again.status, JSON.stringify(again.body)).toBe(200);
          expect(again.body.reply.text).toMatch(write.done);
          expect(again.body.reply.text).not.toMatch(/could not/i);

          const log = await events(conversationId);
          const changes = await toolCallsOf(conversationId);
          const writes = log.filter(
            (event) => event.type === 'tool.succeeded' && event.data.effect === 'write',
          );
          const report = verifyEvents(log, { conversationId });
          const unanswered = requestsWithoutOutcome(log);
          figures.trials++;
          if (!report.ok) figures.verifyFailures++;
          figures.requestsWithoutOutcome += unanswered.length;
          if (changes > 1) figures.doubleSideEffects++;

          expect(changes).toBe(1);
          expect(writes).toHaveLength(1);
          expect(report.ok, formatIntegrity(report)).toBe(true);
          expect(unanswered.map((event) => `${event.seq} ${event.data.tool}`)).toEqual([]);
          const interrupted = log.filter((event) => event.type === 'turn.interrupted');
          expect(interrupted).toHaveLength(1);
          const closed = interrupted[0]!;
          if (closed.type !== 'turn.interrupted') throw new Error('unreachable');
          expect(closed.data.messageId).toBe(messageId);
          const outcome = PENDING[boundary];
          expect(closed.data.pending?.map((call) => [call.tool, call.outcome])).toEqual(
            outcome ? [[write.tool, outcome]] : [],
          );
          // The reviewer reads a recovery, not a break.
          expect(formatIntegrity(report)).toMatch(/1 turn\(s\) recovered after an interruption/);
          const timeline = formatTimeline(
            buildTimeline(log, () => undefined),
            { conversationId, integrity: formatIntegrity(report) },
          );
          expect(timeline).toMatch(
            new RegExp(
              `Turn ${closed.data.turn + 1} .*recovered after an interruption of turn ${closed.data.turn}`,
            ),
          );
        }, 90_000);
});
