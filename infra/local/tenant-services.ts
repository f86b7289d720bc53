import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Tenant } from '../../shared/tenant/define-tenant.ts';
import { secretVariable } from '../../shared/tools/http-connector.ts';
import { StartupError } from './errors.ts';

/** How long a tenant's service may take to say where it listens. */
const READY_TIMEOUT_MS = 20_000;

export interface StartedServices {
  /** What the tools read: each service's `urlVariable`, and the local secrets (`AOP_SECRET_<NAME>`). */
  readonly env: Readonly<Record<string, string>>;
  /** `name → base URL`, for logs. */
  readonly urls: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * Starts the processes a tenant declares (`services`: stand-ins of the APIs its tools call), each in a
 * child process of its own, and returns the environment that points the tools at them. Local secrets
 * the environment already sets are kept (a developer testing against a real sandbox key).
 */
export async function startTenantServices(
  tenant: Tenant,
  tenantDir: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<StartedServices> {
  const secrets: Record<string, string> = {};
  for (const service of tenant.services ?? [])
    for (const [name, value] of Object.entries(service.localSecrets ?? {}))
      secrets[secretVariable(name)] = env[secretVariable(name)] ?? value;
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopChild));
  };
  const urls: Record<string, string> = {};
  const urlEnv: Record<string, string> = {};
  try {
    for (const service of tenant.services ?? []) {
      const entry = resolve(tenantDir, service.entry);
      if (!existsSync(entry))
        throw new StartupError(
          `Tenant "${tenant.name}" declares the service "${service.name}" at ${service.entry}, which does not exist in ${tenantDir}.`,
        );
      const child = spawn(process.execPath, ['--import', 'tsx', entry], {
        cwd: tenantDir,
        env: { ...process.env, ...secrets, PORT: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      const url = await readyUrl(child, `${tenant.name}/${service.name}`);
      urls[service.name] = url;
      urlEnv[service.urlVariable] = url;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { env: { ...secrets, ...urlEnv }, urls, stop };
}

/** The URL the service prints once it listens; fails when it exits or stays silent first. */
function readyUrl(child: ChildProcess, label: string): Promise<string> {
  return new Promise((done, fail) => {
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = `${stderr}${chunk.toString('utf8')}`.slice(-2_000);
    });
    const timer = setTimeout(
      () =>
        fail(
          new StartupError(
            `The service ${label} did not print its URL within ${READY_TIMEOUT_MS / 1000} s.\n${stderr}`,
          ),
        ),
      READY_TIMEOUT_MS,
    );
    const exited = (code: number | null) => {
      clearTimeout(timer);
      fail(new StartupError(`The service ${label} exited (code ${code}) before it listened.\n${stderr}`));
    };
    child.once('exit', exited);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      let url: unknown;
      try {
        url = (JSON.parse(line) as { url?: unknown }).url;
      } catch {
        return; // Anything else it prints is its own log.
      }
      if (typeof url !== 'string') return;
      clearTimeout(timer);
      child.off('exit', exited);
      // Keep draining its output so a chatty service never blocks on a full pipe.
      child.stdout?.resume();
      done(url);
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}
