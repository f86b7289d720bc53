import { spawn } from 'node:child_process';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isTenant } from '../../shared/tenant/define-tenant.ts';
import type { ToolCatalogue } from '../../shared/tools/define-tool.ts';
import { runAop } from '../program.ts';
import { collectTestFiles, loadTestFiles, type TestFile, tenantDirOf } from './format.ts';
import { formatResult, formatSummary, jsonReport, paintFor } from './report.ts';
import { defaultTenantDir, runConversationTests, selectTests, tenantOf, UsageError } from './run.ts';

/** `aop test …` with these arguments (as typed after `test`). */
export function runTestCommand(args: readonly string[]): Promise<number> {
  return runAop(['test', ...args]);
}

export interface TestFlags {
  readonly json?: boolean | undefined;
  readonly filter?: string | undefined;
  readonly dynamodbEndpoint?: string | undefined;
  /** The tenant folder for test files outside any (fixtures); default: the only one under aops/. */
  readonly aops?: string | undefined;
}

/** `aop test`: exit 0 when every test passes, 1 when one fails, 2 on usage or format errors. */
export async function testCommand(positionals: readonly string[], values: TestFlags): Promise<number> {
  const paths = positionals.length > 0 ? positionals : ['aops'];
  const fallbackDir = values.aops === undefined ? defaultTenantDir : () => resolve(values.aops!);
  // Files outside a tenant folder need the fallback tenant to run, not to be checked: a file's format
  // errors come first, the question of which tenant only when it runs.
  const fallbackIfKnown = () => {
    try {
      return fallbackDir();
    } catch (error) {
      if (error instanceof UsageError) return undefined;
      throw error;
    }
  };
  const catalogues = await loadCatalogues(paths, fallbackIfKnown);
  const { files, errors } = loadTestFiles(paths, {
    knownTools: (tenantDir) => {
      const dir = tenantDir ?? fallbackIfKnown();
      return dir === undefined ? undefined : catalogues.get(dir);
    },
  });
  if (errors.length > 0) {
    process.stderr.write(`${errors.join('\n')}\n`);
    return 2;
  }
  const selected = selectTests(files, values.filter);
  if (selected.length === 0) {
    process.stderr.write(
      values.filter
        ? `aop test: no test matches --filter ${JSON.stringify(values.filter)}\n`
        : 'aop test: no tests\n',
    );
    return 2;
  }
  // One platform serves one tenant (its handlers are configured through the process environment):
  // files of several tenants run tenant by tenant, each in a process of its own.
  const byTenant = new Map<string, TestFile[]>();
  let homeless = false;
  for (const file of selected) {
    const dir = file.tenantDir ?? fallbackIfKnown();
    if (dir === undefined) homeless = true;
    else byTenant.set(dir, [...(byTenant.get(dir) ?? []), file]);
  }
  // A file in no tenant folder with no tenant to run it on: tenantOf below says which folders there are.
  if (!homeless && byTenant.size > 1) return runEachTenant(byTenant, values);
  try {
    tenantOf(selected, fallbackDir);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`aop test: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const json = values.json === true;
  const paint = paintFor(process.stdout);
  const endpoint = values.dynamodbEndpoint ?? (process.env.AOP_TEST_DYNAMODB_ENDPOINT || undefined);
  const count = selected.reduce((sum, file) => sum + file.tests.length, 0);
  const report = await runConversationTests({
    files: selected,
    ...(values.aops === undefined ? {} : { defaultTenantDir: resolve(values.aops) }),
    ...(endpoint ? { dynamodbEndpoint: endpoint } : {}),
    onStart: ({ url, tenant, startMs }) => {
      if (!json)
        process.stdout.write(
          paint.dim(
            `${count} test${count === 1 ? '' : 's'} in ${selected.length} file${selected.length === 1 ? '' : 's'}; platform ${tenant} on ${url} (started in ${(startMs / 1000).toFixed(1)} s)\n`,
          ),
        );
    },
    onResult: (result) => {
      if (!json) process.stdout.write(`${formatResult(result, paint)}\n`);
    },
  });
  if (json) process.stdout.write(`${JSON.stringify(jsonReport(report), null, 2)}\n`);
  else process.stdout.write(formatSummary(report, paint));
  return report.results.every((result) => result.ok) ? 0 : 1;
}

/** The tool names of each tenant the files belong to, so that a misspelt tool is an error, not a pass. */
async function loadCatalogues(
  paths: readonly string[],
  fallbackDir: () => string | undefined,
): Promise<Map<string, ReadonlySet<string>>> {
  const dirs = new Set(
    collectTestFiles(paths).files.flatMap((file) => {
      const dir = tenantDirOf(file) ?? fallbackDir();
      return dir === undefined ? [] : [dir];
    }),
  );
  const catalogues = new Map<string, ReadonlySet<string>>();
  for (const dir of dirs) {
    const module = (await import(pathToFileURL(join(dir, 'tenant.ts')).href)) as {
      default?: unknown;
      catalogue?: ToolCatalogue;
    };
    const catalogue = isTenant(module.default) ? module.default.catalogue : (module.catalogue ?? new Map());
    catalogues.set(dir, new Set(catalogue.keys()));
  }
  return catalogues;
}

/**
 * Runs each tenant's files with `aop test` in a child process, one tenant after another, its output as
 * it comes; exits with the worst code. `--json` would print one report per tenant, so it wants one.
 */
async function runEachTenant(
  byTenant: ReadonlyMap<string, readonly TestFile[]>,
  values: TestFlags,
): Promise<number> {
  if (values.json === true) {
    process.stderr.write(
      `aop test: --json reports one tenant; these files span ${[...byTenant.keys()].map((dir) => relative(process.cwd(), dir) || '.').join(', ')}: name one folder\n`,
    );
    return 2;
  }
  let worst = 0;
  for (const [tenantDir, files] of byTenant) {
    process.stdout.write(`\n── ${relative(process.cwd(), tenantDir) || tenantDir} ──\n`);
    const args = [
      '--import',
      'tsx',
      resolve(import.meta.dirname, '../main.ts'),
      'test',
      ...files.map((file) => file.absolutePath),
      ...(values.filter === undefined ? [] : ['--filter', values.filter]),
      ...(values.dynamodbEndpoint === undefined ? [] : ['--dynamodb-endpoint', values.dynamodbEndpoint]),
    ];
    const code = await new Promise<number>((done) =>
      spawn(process.execPath, args, { stdio: 'inherit' }).once('exit', (exit) => done(exit ?? 1)),
    );
    worst = Math.max(worst, code);
  }
  return worst;
}
