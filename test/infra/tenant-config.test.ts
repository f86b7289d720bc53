import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isTenantConfigError, type TenantConfigError } from '../../infra/aws/errors.ts';
import { listTenants, loadTenantConfig, REPO_ROOT } from '../../infra/aws/tenant-config.ts';

const dir = mkdtempSync(join(tmpdir(), 'tenants-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const valid = {
  name: 'shop',
  aopsDir: 'aops/retail',
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  limits: { refundCapUsd: 100, maxMessageChars: 500 },
  alarmEmail: 'ops@shop.example',
  allowedOrigins: ['https://shop.example'],
};

function write(name: string, value: unknown): void {
  writeFileSync(join(dir, `${name}.json`), typeof value === 'string' ? value : JSON.stringify(value));
}

function failure(run: () => unknown): TenantConfigError {
  try {
    run();
  } catch (error) {
    if (isTenantConfigError(error)) return error;
    throw error;
  }
  throw new Error('expected a TenantConfigError');
}

describe('the sample tenants', () => {
  it('are demo and acme, both valid, running the retail AOPs with different models and limits', () => {
    expect(listTenants()).toEqual(expect.arrayContaining(['acme', 'demo']));
    const demo = loadTenantConfig('demo');
    const acme = loadTenantConfig('acme');
    expect(demo.aopsDir).toBe('aops/retail');
    expect(acme.aopsDir).toBe('aops/retail');
    expect(acme.modelId).not.toBe(demo.modelId);
    expect(acme.limits).not.toEqual(demo.limits);
    expect(acme.jwt).toBeDefined();
    expect(demo.jwt).toBeUndefined();
  });
});

describe('loadTenantConfig', () => {
  it('fills the documented defaults', () => {
    write('shop', valid);
    const config = loadTenantConfig('shop', { dir });
    expect(config.api).toEqual({ throttleRatePerSecond: 50, throttleBurst: 100 });
    expect(config.limits.maxTurnsPerConversation).toBe(40);
    expect(config.logRetentionDays).toBe(90);
    expect(config.alarms.p95LatencyMs).toBe(10_000);
  });

  it('fails without a tenant and lists the available ones', () => {
    write('shop', valid);
    const error = failure(() => loadTenantConfig(undefined, { dir }));
    expect(error.available).toContain('shop');
    expect(error.message).toMatch(/-c tenant=NAME/);
    expect(error.message).toMatch(/available: .*shop/);
  });

  it('fails for an unknown tenant and lists the available ones', () => {
    const error = failure(() => loadTenantConfig('nobody'));
    expect(error.tenant).toBe('nobody');
    expect(error.message).toMatch(/Unknown tenant "nobody"/);
    expect(error.message).toMatch(/acme, demo/);
  });

  it('reports every zod issue of an invalid file at once, with its path', () => {
    write('broken', {
      ...valid,
      name: 'Broken_Name',
      modelId: 'gpt-4',
      limits: { refundCapUsd: -1, maxMessageChars: 0 },
      alarmEmail: 'not an email',
      allowedOrigins: [],
      jwt: { issuer: 'http://insecure.example', audience: [] },
      extra: true,
    });
    const error = failure(() => loadTenantConfig('broken', { dir }));
    const paths = error.issues.map((issue) => issue.split(':')[0]);
    expect(paths).toEqual(
      expect.arrayContaining([
        'name',
        'modelId',
        'limits.refundCapUsd',
        'limits.maxMessageChars',
        'alarmEmail',
        'allowedOrigins',
        'jwt.issuer',
        'jwt.audience',
        '(root)',
      ]),
    );
    expect(error.message).toMatch(/is invalid \(\d+ issues\)/);
  });

  it('fails when the name inside does not match the file name', () => {
    write('other', valid);
    const error = failure(() => loadTenantConfig('other', { dir }));
    expect(error.issues).toEqual([expect.stringMatching(/^name: is "shop" but the file is other\.json/)]);
  });

  it('fails when aopsDir has no tenant.ts', () => {
    write('lost', { ...valid, name: 'lost', aopsDir: 'aops/nowhere' });
    const error = failure(() => loadTenantConfig('lost', { dir, root: REPO_ROOT }));
    expect(error.issues).toEqual([expect.stringMatching(/^aopsDir: "aops\/nowhere" has no tenant\.ts/)]);
  });

  it('fails on a file that is not JSON', () => {
    write('garbled', '{ "name": ');
    const error = failure(() => loadTenantConfig('garbled', { dir }));
    expect(error.message).toMatch(/not valid JSON/);
  });

  it('lists no tenants for a missing folder', () => {
    mkdirSync(join(dir, 'empty'), { recursive: true });
    expect(listTenants(join(dir, 'empty'))).toEqual([]);
    expect(listTenants(join(dir, 'absent'))).toEqual([]);
  });
});
