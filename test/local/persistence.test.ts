import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient, GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { isStartupError } from '../../infra/local/errors.ts';
import { startPlatform } from '../../infra/local/platform.ts';
import { DEFAULT_DATA_DIR, startOptionsFrom } from '../../infra/local/start-options.ts';
import { createEventStore } from '../../shared/events/store.ts';
import { createContentStore } from '../../shared/registry/content.ts';
import { createAopRegistry } from '../../shared/registry/registry.ts';
import { processesMarked } from '../support/processes.ts';
import { RETAIL_AOPS } from '../support/retail.ts';

const OPERATOR_TOKEN = 'operator-token-of-the-persistence-test';
const ORDER_KEY = { order_id: { S: '#W5918442' } };

interface Running {
  readonly child: ChildProcess;
  readonly url: string;
  readonly dynamodbEndpoint: string;
  readonly dataTablePrefix: string;
  readonly log: readonly string[];
  readonly exited: Promise<void>;
}

/**
 * `npm start` keeps its DynamoDB Local tables on disk (docs/versions-and-rollback.md, "Locally"): a
 * restart — a new process, as a developer gets — must find every conversation and its audit trail as
 * they were, and the retail records that conversations changed rather than the seed's.
 */
describe('local platform data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aop-persist-'));
  const dataDir = join(dir, 'dynamodb-data');
  const marker = randomUUID();
  const running = new Set<Running>();

  function start(): Promise<Running> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(import.meta.dirname, 'platform-process.ts')],
      {
        env: {
          ...process.env,
          PLATFORM_TENANT: 'persist',
          PLATFORM_DATA_DIR: dataDir,
          PLATFORM_MASTER_KEY_FILE: join(dir, 'master-key'),
          PLATFORM_OPERATOR_TOKEN: OPERATOR_TOKEN,
          AOP_TEST_MARKER: marker,
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
        if (!line) return;
        const log = [...out.matchAll(/^LOG (.*)$/gm)].map((match) => match[1] ?? '');
        const platform: Running = {
          child,
          exited,
          log,
          ...(JSON.parse(line) as Omit<Running, 'child' | 'exited' | 'log'>),
        };
        running.add(platform);
        ready(platform);
      });
      child.once('exit', (code) =>
        fail(new Error(`platform process exited (${code}) before it was ready:\n${err}`)),
      );
    });
  }
  async function stop(platform: Running) {
    running.delete(platform);
    platform.child.kill('SIGTERM');
    await platform.exited;
  }
  afterAll(async () => {
    for (const platform of running) await stop(platform);
    // Anything still marked (a JVM a stop failed to end) is killed by its own pid.
    for (const { pid } of processesMarked(marker)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  async function audit(platform: Running, path: string): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${platform.url}/v1/conversations/${path}`, {
      headers: { authorization: `Bearer ${OPERATOR_TOKEN}` },
    });
    return { status: response.status, body: await response.json() };
  }
  async function withClient<T>(platform: Running, use: (client: DynamoDBClient) => Promise<T>): Promise<T> {
    const client = new DynamoDBClient({ endpoint: platform.dynamodbEndpoint });
    try {
      return await use(client);
    } finally {
      client.destroy();
    }
  }
  const orderStatus = (platform: Running) =>
    withClient(platform, async (client) => {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: `${platform.dataTablePrefix}orders`, Key: ORDER_KEY }),
      );
      return Item?.status?.S;
    });

  const firstVersion = (platform: Running) =>
    withClient(platform, async (client) => {
      const tableName = `${platform.dataTablePrefix.replace(/-$/, '')}-events`;
      const registry = createAopRegistry({
        events: createEventStore({ client, tableName }),
        contents: createContentStore({ client, tableName }),
      });
      return (await registry.history('cancel-pending-order')).versions[0];
    });

  it('keeps conversations, their audit trail and changed retail records across a restart', async () => {
    const first = await start();
    const opened = await fetch(`${first.url}/v1/chat/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Hi, I want to cancel my order #W5918442' }),
    });
    expect(opened.status).toBe(201);
    const { conversationId, sessionToken } = (await opened.json()) as {
      conversationId: string;
      sessionToken: string;
    };
    const before = await audit(first, `${conversationId}/events`);
    expect(before.status).toBe(200);
    expect((before.body as { events: unknown[] }).events.length).toBeGreaterThan(0);
    // A record a conversation changed (what cancel_pending_order leaves behind).
    expect(await orderStatus(first)).toBe('pending');
    await withClient(first, (client) =>
      client.send(
        new UpdateItemCommand({
          TableName: `${first.dataTablePrefix}orders`,
          Key: ORDER_KEY,
          UpdateExpression: 'SET #status = :cancelled',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':cancelled': { S: 'cancelled' } },
        }),
      ),
    );
    const publishedFirst = await firstVersion(first);
    expect(publishedFirst).toMatchObject({ version: 1 });
    await stop(first);
    // The stop ended its DynamoDB Local too.
    expect(processesMarked(marker)).toEqual([]);

    const second = await start();
    const after = await audit(second, `${conversationId}/events`);
    expect(after).toEqual(before);
    const verified = await audit(second, `${conversationId}/verify`);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ ok: true });
    // The retail data is the one the conversations left, not the seed again.
    expect(await orderStatus(second)).toBe('cancelled');
    expect(second.log).toContainEqual(expect.stringMatching(/ 0 retail records seeded/));
    // The conversation goes on where it paused, with the session token it was given, and reads the
    // order as the first run left it (cancel-pending-order then ends: only pending orders qualify).
    const next = await fetch(`${second.url}/v1/chat/conversations/${conversationId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-token': sessionToken },
      body: JSON.stringify({ message: 'sure, it is sofia.rossi2645@example.com' }),
    });
    expect({ status: next.status, body: await next.json() }).toMatchObject({
      status: 200,
      body: { reply: { text: expect.stringMatching(/cancelled/) }, status: 'resolved' },
    });
    // The AOP versions too: v1 is the record the first run published, not a new one.
    expect(await firstVersion(second)).toEqual(publishedFirst);
    await stop(second);
  }, 240_000);

  it('refuses a second platform on the same data directory while the first runs, starting nothing', async () => {
    const first = await start();
    const refusal = await startPlatform({
      aopsDir: RETAIL_AOPS,
      port: 0,
      tenant: 'persist',
      dataDir,
      masterKeyFile: join(dir, 'master-key'),
    }).then(
      // Had it started, it must not outlive the test.
      async (second) => {
        await second.stop();
        return undefined;
      },
      (error: unknown) => error,
    );
    expect(isStartupError(refusal)).toBe(true);
    expect((refusal as Error).message).toMatch(/in use by another platform/);
    // The first is unharmed.
    expect(await orderStatus(first)).toBeDefined();
    await stop(first);
  }, 240_000);
});

describe('npm start options', () => {
  it('keeps the data in .cache/dynamodb-data unless --in-memory asks for a throw-away database', () => {
    expect(startOptionsFrom({ args: [], env: {} })).toEqual({
      model: { kind: 'local' },
      dataDir: DEFAULT_DATA_DIR,
      aopsDirs: [],
    });
    expect(DEFAULT_DATA_DIR).toMatch(/[/\\]\.cache[/\\]dynamodb-data$/);
    expect(startOptionsFrom({ args: ['--in-memory'], env: {} }).dataDir).toBeNull();
    expect(startOptionsFrom({ args: ['--in-memory', '--model', 'bedrock:m'], env: {} })).toEqual({
      model: { kind: 'bedrock', modelId: 'm' },
      dataDir: null,
      aopsDirs: [],
    });
  });

  it('takes several tenant folders and the DynamoDB a supervisor started', () => {
    const options = startOptionsFrom({
      args: ['--aops', 'aops/a', '--aops', 'aops/b', '--dynamodb-endpoint', 'http://127.0.0.1:8000'],
      env: {},
    });
    expect(options.aopsDirs.map((dir) => dir.split(/[/\\]/).slice(-2).join('/'))).toEqual([
      'aops/a',
      'aops/b',
    ]);
    expect(options.dynamodbEndpoint).toBe('http://127.0.0.1:8000');
  });

  it('fails on an unknown option with a message naming both options', () => {
    expect(() => startOptionsFrom({ args: ['--in-memroy'], env: {} })).toThrow(/--model .*--in-memory/);
  });
});
