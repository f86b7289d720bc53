import { describe, expect, inject, it } from 'vitest';
import { simulate } from '../../cli/simulation/simulate.ts';
import { RETAIL_AOPS } from '../support/retail.ts';

/**
 * `aop simulate` on the local platform: the paths it finds through a procedure's compiled graph, the
 * same retelling run k times giving the same conversation (pass^k = pass^1 for the deterministic
 * runtime). The planted defect (a flaky write tool) is in simulate-flaky.test.ts: a process serves one
 * tenant.
 */

describe('aop simulate', () => {
  it('covers the cancellation graph, each retelling the same in all k runs', async () => {
    const report = await simulate({
      aopsDir: RETAIL_AOPS,
      aopIds: ['cancel-pending-order'],
      seed: 1,
      variants: 2,
      k: 3,
      budget: 12,
      concurrency: 4,
      dynamodbEndpoint: inject('dynamodbEndpoint'),
    });
    const [procedure] = report.procedures;
    expect(procedure?.aopId).toBe('cancel-pending-order');
    // Paths found: at least the pending order cancelled, an order that is not pending, a "no".
    expect(procedure!.scenarios).toBeGreaterThanOrEqual(3);
    const uncovered = new Set(procedure!.uncovered.map((target) => target.id));
    for (const branch of [
      'check-status.if→check-status.1',
      'check-status.if→ask-reason.1',
      'confirm.branches→confirm.b1.2',
    ])
      expect(uncovered.has(branch), branch).toBe(false);
    // The write call's failure branch is listed apart: no customer can cause it.
    expect(procedure!.uncovered.some((target) => target.kind === 'tool-failure')).toBe(true);
    expect(procedure!.conversations).toBe(procedure!.explored + procedure!.scenarios * 2 * 3);
    // The deterministic runtime's promise: the same words give the same conversation, every time.
    expect(procedure!.unstable).toBe(0);
    expect(procedure!.passK.passed).toBe(procedure!.pass1.passed);
    expect(report.conversationsPerSecond).toBeGreaterThan(0);
  }, 300_000);
});
