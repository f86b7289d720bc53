import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * DynamoDB Local is AWS's own implementation (a Java jar). It is not on the npm registry as a
 * package of its own, so we take it from the tarball of `amplify-dynamodb-simulator`, which ships
 * the jar, without installing that package (its tree is 347 MB). The jar is cached, never committed.
 */
const SIMULATOR_PACKAGE = 'amplify-dynamodb-simulator@2.9.30';

export interface DynamoDbLocalOptions {
  /** Where the jar is cached. Default: `<repo>/.cache/dynamodb-local`. */
  readonly cacheDir?: string;
  /** Port to listen on. Default: a free port. */
  readonly port?: number;
}

export interface RunningDynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

export function defaultCacheDir(): string {
  return resolve(import.meta.dirname, '../../.cache/dynamodb-local');
}

/** Makes sure the jar is in the cache; returns the directory holding `DynamoDBLocal.jar`. */
export function ensureDynamoDbLocal(cacheDir = defaultCacheDir()): string {
  if (existsSync(join(cacheDir, 'DynamoDBLocal.jar'))) return cacheDir;
  const work = mkdtempSync(join(tmpdir(), 'ddb-local-'));
  try {
    const tarball = execFileSync('npm', ['pack', SIMULATOR_PACKAGE, '--silent', '--pack-destination', work], {
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .pop();
    if (!tarball) throw new Error(`npm pack ${SIMULATOR_PACKAGE} printed no file name`);
    execFileSync('tar', ['xzf', join(work, tarball), '-C', work, 'package/emulator']);
    mkdirSync(resolve(cacheDir, '..'), { recursive: true });
    rmSync(cacheDir, { recursive: true, force: true });
    renameSync(join(work, 'package', 'emulator'), cacheDir);
    return cacheDir;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Starts an in-memory DynamoDB Local and resolves when it answers requests. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningDynamoDbLocal> {
  const dir = ensureDynamoDbLocal(options.cacheDir);
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      '-inMemory',
      // One database whatever the caller's credentials: with `npm start -- --model bedrock:…` every
      // client signs with the developer's temporary credentials, whose key id differs per client and
      // per refresh, and DynamoDB Local would otherwise keep one set of tables per key id and region.
      '-sharedDb',
      '-port',
      String(port),
      '-disableTelemetry',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output}`);
    if (await answers(endpoint)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'DynamoDB_20120810.ListTables',
        authorization:
          'AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
      body: '{}',
    });
    return response.status < 500;
  } catch {
    return false;
  }
}
