import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesMarked } from '../support/processes.ts';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * A second `npm start` while the first holds the port (here, any listener) must fail before it
 * starts anything, with one line saying so, and leave no DynamoDB Local JVM behind. The child
 * processes are found by an environment marker they inherit, whoever their parent is by then.
 */
describe.runIf(process.platform === 'linux')('npm start on a busy port', () => {
  let busy: Server;
  let port: number;
  const marker = randomUUID();
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(async () => {
    // Whatever the outcome, nothing this test started stays: a leftover is killed by its own pid.
    for (const { pid } of processesMarked(marker)) process.kill(pid, 'SIGKILL');
    await new Promise((done) => busy.close(done));
  });

  it('fails with one line before starting anything, leaving no process behind', async () => {
    const child = spawn(
      process.execPath,
      [resolve(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'infra/local/start.ts'],
      {
        cwd: ROOT,
        env: { ...process.env, PORT: String(port), AOP_TEST_MARKER: marker },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((done) => child.once('exit', done));

    expect(code).toBe(1);
    const message = stderr.trim().split('\n');
    expect(message).toHaveLength(1);
    expect(message[0]).toMatch(new RegExp(`Port ${port} .*already in use.*PORT=`));
    expect(stdout).not.toMatch(/DynamoDB Local on/);
    // Give an orphan a moment to show itself before looking.
    await new Promise((done) => setTimeout(done, 500));
    expect(processesMarked(marker)).toEqual([]);
  }, 120_000);
});
