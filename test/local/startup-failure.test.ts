import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startPlatform } from '../../infra/local/platform.ts';
import { processesMarked } from '../support/processes.ts';
import { RETAIL_AOPS } from '../support/retail.ts';

/**
 * Issue 12's bug: a procedure that failed to compile at `npm start` left DynamoDB Local running. The
 * platform stops whatever it started when any part of the start fails. The JVM is found by a marker in
 * its environment (it inherits the platform's).
 */

const dir = mkdtempSync(join(tmpdir(), 'broken-tenant-'));
const folder = join(dir, 'broken');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a procedure that does not compile stops the start, and leaves no DynamoDB Local running', async () => {
  // The retail tenant's procedures and one that cannot compile (a write nobody confirms: AOP009).
  cpSync(RETAIL_AOPS, folder, {
    recursive: true,
    filter: (src) => !src.includes('/tests') && !src.includes('/data'),
  });
  writeFileSync(
    join(folder, 'tenant.ts'),
    `export { default } from ${JSON.stringify(join(RETAIL_AOPS, 'tenant.ts'))};\n`,
  );
  writeFileSync(
    join(folder, 'cancel-at-once.md'),
    [
      '---',
      'id: cancel-at-once',
      'title: Cancel at once',
      'when: The customer wants an order cancelled without any question.',
      'tools: [cancel_pending_order]',
      '---',
      '',
      '1. Ask for the order id.',
      '2. Cancel the order with @cancel_pending_order.',
      '',
    ].join('\n'),
  );
  const marker = randomUUID();
  process.env.AOP_TEST_MARKER = marker;
  try {
    await expect(
      startPlatform({ port: 0, aopsDir: folder, tenant: `broken-${marker.slice(0, 6)}` }),
    ).rejects.toThrow(/Procedures do not compile: .*cancel-at-once\.md \(AOP0\d\d/);
  } finally {
    delete process.env.AOP_TEST_MARKER;
  }
  // Stopped, not just abandoned: nothing started for this platform outlives the failure.
  expect(processesMarked(marker)).toEqual([]);
}, 180_000);
