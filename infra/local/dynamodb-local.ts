import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { StartupError } from './errors.ts';

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
  /**
   * Keep the tables in this directory (`-dbPath`), so they outlive a restart; one DynamoDB Local at a
   * time may use it. Default: in memory (`-inMemory`), gone when the process stops — what tests want.
   */
  readonly dbPath?: string;
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

/** Starts DynamoDB Local (in memory unless `dbPath` is given) and resolves when it answers requests. */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<RunningDynamoDbLocal> {
  const dir = ensureDynamoDbLocal(options.cacheDir);
  const dbPath = options.dbPath === undefined ? undefined : resolve(options.dbPath);
  const releaseLock = dbPath === undefined ? () => {} : lockDataDir(dbPath);
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    'java',
    [
      `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(dir, 'DynamoDBLocal.jar'),
      ...(dbPath === undefined ? ['-inMemory'] : ['-dbPath', dbPath]),
      // One database whatever the caller's credentials: with `npm start -- --model bedrock:…` every
      // client signs with the developer's temporary credentials, whose key id differs per client and
      // per refresh, and DynamoDB Local would otherwise keep one set of tables per key id and region.
      '-sharedDb',
      '-port',
      String(port),
      '-disableTelemetry',
    ],
    // DynamoDB Local writes `dynamodb-local-metadata.json` (an installation id) into its working
    // directory: the jar's cache, not the caller's checkout.
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let spawnError: Error | undefined;
  const exited = new Promise<void>((done) => {
    child.once('exit', () => done());
    child.once('error', (error) => {
      spawnError = error;
      done();
    });
  });
  void exited.then(releaseLock);
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
    if (spawnError)
      throw new StartupError(
        `DynamoDB Local could not start: ${spawnError.message}. It needs Java 17 or later on the PATH (java -version).`,
        { cause: spawnError },
      );
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output}`);
    if (await answers(endpoint)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      throw new Error(`DynamoDB Local did not answer on ${endpoint} within 30 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    endpoint,
    port,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Two DynamoDB Local processes on one database file would each cache and overwrite the other's
 * writes, so a data directory belongs to one running platform: `<dbPath>/owner.pid` names it. A pid
 * that no longer runs (a platform killed without its stop) leaves a stale file, which is taken over.
 * Returns the release.
 */
function lockDataDir(dbPath: string): () => void {
  mkdirSync(dbPath, { recursive: true });
  const file = join(dbPath, 'owner.pid');
  for (;;) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(readFileSync(file, 'utf8').trim());
    if (Number.isInteger(owner) && owner > 0 && isRunning(owner))
      throw new StartupError(
        `The local data in ${dbPath} is in use by another platform (process ${owner}). Stop it first, or run a throw-away one beside it: npm start -- --in-memory (with another PORT).`,
      );
    rmSync(file, { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
