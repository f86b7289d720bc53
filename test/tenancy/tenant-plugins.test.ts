import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import retail from '../../aops/retail/tenant.ts';
import { defineTenant, namedAfter, TenantDefinitionError } from '../../shared/tenant/define-tenant.ts';
import { onlyTenantFolder, tenantFolders } from '../../shared/tenant/load.ts';
import { tableDefinition } from '../../shared/tenant/tables.ts';

/**
 * Tenants are plug-ins (docs/tenants.md): the platform's code names no tenant, and a tenant declares
 * what the platform used to guess.
 */

const ROOT = join(import.meta.dirname, '../..');
const PLATFORM_DIRS = ['shared', 'functions', 'infra', 'cli'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'cdk.out') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(?:ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** An import of, or a path into, a tenant folder: `from '../../aops/retail/…'`, `resolve(…, 'aops/retail')`. */
const NAMES_A_TENANT = /(?:from\s+|import\(\s*)['"][^'"]*\baops\/[a-z]|['"][^'"]*\baops\/[a-z][a-z0-9-]*\b/;

describe('the platform names no tenant', () => {
  it('no file of shared/, functions/, infra/ or cli/ imports or points into aops/<tenant>', () => {
    const offenders = PLATFORM_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, index) => ({ file, line, index }))
          // Comments may mention the reference tenant; code may not use it.
          .filter(({ line }) => !/^\s*(?:\/\/|\*|\/\*)/.test(line) && NAMES_A_TENANT.test(line)),
      )
      .map(({ file, line, index }) => `${relative(ROOT, file)}:${index + 1}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });

  it('the check itself catches an import of a tenant module', () => {
    expect(NAMES_A_TENANT.test("import { x } from '../../aops/retail/tenant.ts';")).toBe(true);
    expect(NAMES_A_TENANT.test("const dir = resolve(import.meta.dirname, '../../aops/retail');")).toBe(true);
    expect(NAMES_A_TENANT.test("const root = resolve(import.meta.dirname, '../../aops');")).toBe(false);
  });
});

describe('defineTenant', () => {
  it('finds both reference tenants under aops/, and asks which when a command needs one', () => {
    expect(tenantFolders(join(ROOT, 'aops')).map((dir) => relative(ROOT, dir))).toEqual([
      'aops/retail',
      'aops/subscriptions',
    ]);
    expect(() => onlyTenantFolder(join(ROOT, 'aops'))).toThrow(/2 tenant folders .*name the one to use/);
    const alone = mkdtempSync(join(tmpdir(), 'one-tenant-'));
    mkdirSync(join(alone, 'shop'));
    writeFileSync(join(alone, 'shop', 'tenant.ts'), '');
    expect(onlyTenantFolder(alone)).toBe(join(alone, 'shop'));
  });

  it('loads the retail tenant with its declarations', () => {
    // Named after its folder when loaded, so a copy under another name needs no edit.
    expect(retail.name).toBe('');
    expect(namedAfter(retail, 'retail').name).toBe('retail');
    expect(() => namedAfter(retail, 'Retail Copy')).toThrow(TenantDefinitionError);
    expect(retail.identity).toEqual({ fact: 'user_id' });
    expect(retail.tables.map((table) => table.name)).toEqual(['users', 'orders', 'products', 'tool-calls']);
  });

  it('creates declared tables with their indexes, string keys and on-demand billing', () => {
    expect(tableDefinition('demo-', retail.tables[0]!)).toEqual({
      TableName: 'demo-users',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'user_id', AttributeType: 'S' },
        { AttributeName: 'email_key', AttributeType: 'S' },
        { AttributeName: 'name_zip_key', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'user_id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-email',
          KeySchema: [{ AttributeName: 'email_key', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: 'by-name-zip',
          KeySchema: [{ AttributeName: 'name_zip_key', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
  });

  it('refuses a definition that cannot work, with every reason at once', () => {
    const bad = () =>
      defineTenant({
        ...retail,
        name: 'Retail Store',
        fallbackAop: ' ',
        identity: { fact: '' },
        tables: [
          { name: 'users', partitionKey: 'id' },
          { name: 'users', partitionKey: 'id' },
        ],
      });
    expect(bad).toThrow(TenantDefinitionError);
    try {
      bad();
    } catch (error) {
      expect((error as TenantDefinitionError).problems).toHaveLength(4);
    }
  });

  it('refuses services and secrets that cannot work: a path out of the folder, a bad variable, an undeclared secret', () => {
    const bad = () =>
      defineTenant({
        ...retail,
        name: 'retail',
        secrets: ['payments-key', 'Bad Name'],
        services: [
          { name: 'payments', entry: '../elsewhere/server.ts', urlVariable: 'payments_url' },
          {
            name: 'payments',
            entry: 'payments/server.ts',
            urlVariable: 'PAYMENTS_URL',
            localSecrets: { other: 'x' },
          },
        ],
      });
    let problems: readonly string[] = [];
    try {
      bad();
    } catch (error) {
      problems = (error as TenantDefinitionError).problems;
    }
    expect(problems).toEqual([
      expect.stringMatching(/^secrets: "Bad Name"/),
      expect.stringMatching(/urlVariable "payments_url"/),
      expect.stringMatching(/entry "..\/elsewhere\/server.ts" must be a path inside the tenant folder/),
      expect.stringMatching(/"payments" is declared twice/),
      expect.stringMatching(/local secret "other", which `secrets` does not declare/),
    ]);
    expect(
      defineTenant({
        ...retail,
        name: 'retail',
        secrets: ['payments-key'],
        services: [
          {
            name: 'payments',
            entry: 'payments/server.ts',
            urlVariable: 'PAYMENTS_URL',
            localSecrets: { 'payments-key': 'sk_local' },
          },
        ],
      }).services,
    ).toHaveLength(1);
  });

  it('refuses tools that require a signed-in customer when no tool signs one in', () => {
    const catalogue = new Map(
      [...retail.catalogue].map(([name, tool]) => [name, { ...tool, establishes: [] }] as const),
    );
    expect(() => defineTenant({ ...retail, catalogue })).toThrow(/no tool establishes it/);
  });
});
