import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { loadTestFiles } from '../../cli/conversation-tests/format.ts';
import { simulate } from '../../cli/simulation/simulate.ts';
import { RETAIL_AOPS } from '../support/retail.ts';

/**
 * `aop simulate` catches a planted defect: a copy of the retail tenant whose cancellation records
 * another reason than the customer gave in every second call (a defect no reply shows). The
 * data change differs from the path's reference, pass^k falls below all, and each failure is an
 * `aop test` file that loads, expecting the reference's calls.
 */

const ROOT = join(import.meta.dirname, '..', '..');
// Two levels under the repository, like aops/<tenant>, so the copied tenant's imports resolve.
const FLAKY = join(ROOT, '.cache', `simtest-${randomBytes(3).toString('hex')}`);

afterAll(() => rmSync(FLAKY, { recursive: true, force: true }));

describe('aop simulate, a flaky write tool', () => {
  it('a write tool that records another reason in every second call is caught, with reproductions', async () => {
    cpSync(join(RETAIL_AOPS), FLAKY, { recursive: true });
    const tenantFile = join(FLAKY, 'tenant.ts');
    const text = readFileSync(tenantFile, 'utf8');
    expect(text).toContain('createTools: createToolRuntime,');
    writeFileSync(
      tenantFile,
      `${text.replace('createTools: createToolRuntime,', 'createTools: flaky,')}
/**
 * Planted by test/cli/simulate-flaky.test.ts: every second cancellation records the other reason than
 * the customer gave. The reply is the same; the data is not. (By call count, not by conversation id:
 * an id's first digit once left all six cancellations of a run untouched, and the test saw no defect.)
 */
let cancellations = 0;
function flaky(options: Parameters<typeof createToolRuntime>[0]): ToolRuntime {
  const runtime = createToolRuntime(options);
  const cancel = runtime.implementations.cancel_pending_order!;
  return {
    ...runtime,
    implementations: {
      ...runtime.implementations,
      cancel_pending_order: (async (input: Parameters<typeof cancel>[0], context: Parameters<typeof cancel>[1]) =>
        cancel(
          ++cancellations % 2 === 0
            ? { ...input, reason: input.reason === 'ordered by mistake' ? 'no longer needed' : 'ordered by mistake' }
            : input,
          context,
        )) as typeof cancel,
    },
  };
}
`,
    );
    const report = await simulate({
      aopsDir: FLAKY,
      aopIds: ['cancel-pending-order'],
      seed: 1,
      variants: 2,
      k: 3,
      budget: 12,
      concurrency: 4,
      dynamodbEndpoint: inject('dynamodbEndpoint'),
    });
    const [procedure] = report.procedures;
    expect(report.failures.length).toBeGreaterThan(0);
    expect(procedure!.passK.passed).toBeLessThan(procedure!.passK.of);
    expect(
      report.failures.some((failure) =>
        failure.problems.some((problem) => /the data changed otherwise/.test(problem)),
      ),
    ).toBe(true);
    // Each failure is an aop test file that loads, with the reference's outcome expected.
    const failure = report.failures.find((candidate) => candidate.variant >= 0)!;
    expect(failure).toBeDefined();
    const file = join(FLAKY, 'tests', 'simulated-failure.yaml');
    writeFileSync(file, failure.yaml);
    const { files, errors } = loadTestFiles([file], { knownTools: () => undefined });
    expect(errors).toEqual([]);
    expect(files[0]!.tests[0]!.turns.length).toBe(failure.transcript.length);
    expect(failure.yaml).toMatch(/cancel_pending_order/);
    expect(existsSync(file)).toBe(true);
  }, 300_000);
});
