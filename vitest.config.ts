import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Three projects; `npm test` runs all of them, `npx vitest run --project unit` one.
 *
 * - **unit**: pure code and in-process servers, no DynamoDB (its endpoint points nowhere, so a test that
 *   needs one fails at once instead of waiting), files sharing their worker's modules. The files of
 *   `UNIT_DIRS` and `UNIT_FILES`, except those named `*.integration.test.ts` and those in `NOT_UNIT`.
 * - **infra**: `test/infra/`. Its files share one process (`isolate: false`, one worker), so
 *   `test/infra/synth.ts` builds each tenant's stack once per run however many files use it.
 * - **integration**: every other test file, including any new directory: DynamoDB Local is started once
 *   for the project (`test/global-setup.ts`), and the whole local platform runs in the test process.
 * - **e2e-property**: `test/e2e/*-property.test.ts`, end-to-end properties over hundreds of conversations
 *   (the 500-reply consent test), with a DynamoDB Local of their own.
 *
 * A new test file lands in a project by where it lives: in a unit directory it is a unit test (name it
 * `*.integration.test.ts` if it needs DynamoDB, a child process or more than a few seconds); anywhere
 * else under `test/` it is an integration test.
 */
const UNIT_DIRS = ['test/aop/', 'test/asl/', 'test/model/', 'test/sfn-endpoint/'];
/** Unit tests in directories whose other files need DynamoDB. */
const UNIT_FILES = [
  'test/audit/timeline.test.ts',
  'test/audit/verify.test.ts',
  'test/engine/repair.test.ts',
  'test/engine/choice-labels.test.ts',
  'test/engine/model-context.test.ts',
  'test/engine/render-readable.test.ts',
  'test/engine/variants.test.ts',
  'test/tenancy/tenant-plugins.test.ts',
  'test/tools/http-connector.test.ts',
  'test/tools/handoff-connector.test.ts',
  'test/events/hash-chain.test.ts',
  'test/events/hash-chain.property.test.ts',
  'test/replay/goldens.test.ts',
  'test/replay/what-if.test.ts',
  'test/tools/calculate.test.ts',
  'test/retail-tools/declarations.test.ts',
  'test/tools/python-compat.test.ts',
  'test/rewind/plan.test.ts',
  'test/privacy/card-numbers.test.ts',
];
/** In a unit directory, but not unit: they spawn the CLI, or compile thousands of procedures. */
const NOT_UNIT = ['test/aop/cli.test.ts', 'test/aop/fuzz.test.ts'];
/** Where test files are looked for (`*.test.ts`, at any depth). */
const ROOTS = ['test', 'shared', 'aops', 'infra', 'functions', 'cli'];

/** Where unit tests find "DynamoDB": nothing listens there, and the name says why. */
const NO_DYNAMODB = 'http://no-dynamodb-in-unit-tests.invalid';

const ROOT = import.meta.dirname;
const files = ROOTS.flatMap((root) => testFiles(join(ROOT, root)));
const isInfra = (file: string) => file.startsWith('test/infra/');
const isE2eProperty = (file: string) => /^test\/e2e\/[^/]+-property\.test\.ts$/.test(file);
const isUnit = (file: string) =>
  !file.endsWith('.integration.test.ts') &&
  !NOT_UNIT.includes(file) &&
  (UNIT_DIRS.some((dir) => file.startsWith(dir)) || UNIT_FILES.includes(file));

export default defineConfig({
  test: {
    setupFiles: ['shared/polyfills.ts'],
    pool: 'forks',
    // Lambda runs Node 22; this machine's Node 20 makes the SDK print a support notice in every worker.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // Timeouts catch a hang, not a slow machine: on two cores shared with other work a turn of the local
    // platform takes 5-10 times as long as on an idle one, so the limits sit far above the idle times.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: files.filter(isUnit),
          // The files share their worker's modules instead of importing the compiler, zod and the SDK
          // afresh each: half the project's time. So a unit test must not vi.mock a module others use.
          isolate: false,
          testTimeout: 60_000,
          // beforeAll hooks compile every retail procedure: 10 s (the default) fails under load.
          hookTimeout: 120_000,
          env: { AWS_ENDPOINT_URL_DYNAMODB: NO_DYNAMODB },
          provide: { dynamodbEndpoint: NO_DYNAMODB },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: files.filter((file) => !isUnit(file) && !isInfra(file) && !isE2eProperty(file)),
          // DynamoDB Local is started once for the project (one JVM, ~3.5 s) and shared by the files.
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e-property',
          include: files.filter(isE2eProperty),
          // A DynamoDB Local of its own: hundreds of conversations each, which should neither wait behind
          // nor slow down the other files, and a fresh one (an instance slows down as a long run ages it).
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 900_000,
          hookTimeout: 300_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: files.filter(isInfra),
          globalSetup: ['test/infra/synth-setup.ts'],
          // One process for every infra file, so the module cache of synth.ts is shared between them.
          isolate: false,
          maxWorkers: 1,
          // Vitest runs projects of one group with one worker limit; this one's differs, so it runs after.
          sequence: { groupOrder: 1 },
          testTimeout: 60_000,
          // A tenant's synthesis (compile, bundle six handlers, synth, cdk-nag) is 20-60 s.
          hookTimeout: 600_000,
        },
      },
    ],
  },
});

/** `*.test.ts` files under `dir`, relative to the repository root, skipping `node_modules` and dot dirs. */
function testFiles(dir: string): string[] {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [relative(ROOT, path)] : [];
  });
}
