import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeStateMachineAliasCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVersionsCommand } from '../../cli/versions.ts';
import { createSfnClient } from '../../shared/aws/sfn-client.ts';
import type { StoredEvent } from '../../shared/events/catalogue.ts';
import { verifyChain } from '../../shared/events/hash-chain.ts';
import { registryStreamId } from '../../shared/registry/content.ts';
import { CUSTOMERS, NEW_ADDRESS, startTestPlatform, type TestPlatform } from './platform.ts';

/**
 * Rollback end to end: the CLI publishes a second version of change-default-address and rolls back to
 * the first while a conversation is on the second. New conversations take what `live` names now; the
 * one in flight finishes on the version it started with (its events and its replies say so).
 */

const AOP = 'change-default-address';
const V1_DONE = 'Your default address is updated.';
const V2_DONE = 'Done: your new default address is saved.';

let t: TestPlatform;
let tenantDir: string;

/** Runs an `aop` registry command against this file's platform; returns exit code and output. */
async function aop(command: string, ...args: string[]) {
  let out = '';
  let err = '';
  const code = await runVersionsCommand(
    command,
    [
      ...args,
      '--platform',
      join(tenantDir, 'no-platform.json'),
      '--tenant',
      t.platform.tenant,
      '--dynamodb',
      t.platform.dynamodbEndpoint,
      '--sfn',
      t.platform.sfnEndpoint,
      '--state-machine',
      t.platform.stateMachines[AOP]!,
    ],
    { out: (text) => (out += text), err: (text) => (err += text), cwd: tenantDir },
  );
  return { code, out, err };
}

const versionsOf = (events: readonly StoredEvent[], type: 'aop.selected' | 'turn.started') =>
  events.filter((event) => event.type === type).map((event) => event.aop?.version);

beforeAll(async () => {
  t = await startTestPlatform('rollback');
  // A copy of the retail tenant whose change-default-address ends with other words: version 2.
  tenantDir = mkdtempSync(join(tmpdir(), 'aop-rollback-'));
  const retail = join(import.meta.dirname, '../../aops/retail');
  // Without its tests: the release gate's test check is then skipped (its regression check still runs).
  cpSync(retail, join(tenantDir, 'retail'), {
    recursive: true,
    filter: (src) => !src.includes('/data') && !src.includes('/tests'),
  });
  writeFileSync(
    join(tenantDir, 'retail', 'tenant.ts'),
    `export { catalogue, fallbackAop } from ${JSON.stringify(join(retail, 'tenant.ts'))};\n`,
  );
  const file = join(tenantDir, 'retail', `${AOP}.md`);
  writeFileSync(file, readFileSync(file, 'utf8').replace(V1_DONE, V2_DONE));
});

afterAll(async () => {
  await t?.stop();
  rmSync(tenantDir, { recursive: true, force: true });
});

describe('aop publish, rollback and pinned conversations', () => {
  let inFlight = '';

  it('starts with version 1 live', async () => {
    const { code, out } = await aop('versions', AOP);
    expect(code).toBe(0);
    expect(out).toMatch(/1 version\(s\), live → v1/);
    expect(out).toMatch(/^\* v1 .* "published by the local platform at start"\s+\(live\)$/m);
  });

  it('publishes version 2 and sends new conversations to it', async () => {
    const published = await aop('publish', join('retail', `${AOP}.md`), '--note', 'warmer ending');
    expect(published).toMatchObject({ code: 0, out: `published ${AOP} v2; live → v2\n` });
    // The release gate ran first and its verdict is on the procedure's stream.
    expect(published.err).toMatch(/gate: tests skipped: no conversation tests/);
    // A catalogue-only folder (no defineTenant) is served by no platform: nothing to simulate.
    expect(published.err).toMatch(/gate: simulation skipped: .*does not export defineTenant/);
    expect(published.err).toMatch(/gate: regression passed: 0 conversation\(s\)/);
    const gated = (await t.stored.read(registryStreamId(AOP))).filter((e) => e.type === 'aop.gated');
    expect(gated.map((e) => e.type === 'aop.gated' && e.data.verdict)).toEqual(['passed']);
    const { id } = await t.converse([
      'I want to change my default address',
      `my email is ${CUSTOMERS.noah.email}`,
    ]);
    inFlight = id;
    expect(versionsOf(await t.log(id), 'aop.selected')).toEqual([2]);
  });

  it('publishing the same file again is a no-op that names the existing version', async () => {
    const again = await aop('publish', join('retail', `${AOP}.md`), '--note', 'again');
    expect(again).toMatchObject({
      code: 0,
      out: `${AOP} is unchanged: it is version 2 already; live → v2\n`,
    });
  });

  it('diffs the two versions in words', async () => {
    const { code, out } = await aop('diff', AOP, '1', '2', '--aops', 'retail');
    expect(code).toBe(0);
    expect(out).toBe(`${AOP} v1 → v2:\n  - step 7 [done]: text changed: "${V1_DONE}" → "${V2_DONE}"\n`);
  });

  it('rolls back: the alias moves to version 1 and alias.moved records it', async () => {
    const { code, out } = await aop('rollback', AOP, '--to', '1');
    expect(code).toBe(0);
    expect(out).toContain('live moved v2 → v1');
    const sfn = createSfnClient({ endpoint: t.platform.sfnEndpoint, region: 'us-east-1' });
    const alias = await sfn.send(
      new DescribeStateMachineAliasCommand({ stateMachineAliasArn: t.platform.stateMachines[AOP]! }),
    );
    sfn.destroy();
    expect(alias.routingConfiguration).toEqual([
      { stateMachineVersionArn: t.platform.stateMachines[AOP]!.replace(/live$/, '1'), weight: 100 },
    ]);
    const registry = await t.stored.read(registryStreamId(AOP));
    expect(registry.filter((e) => e.type === 'alias.moved').map((e) => e.data)).toEqual([
      { aopId: AOP, alias: 'live', fromVersion: null, toVersion: 1 },
      { aopId: AOP, alias: 'live', fromVersion: 1, toVersion: 2 },
      { aopId: AOP, alias: 'live', fromVersion: 2, toVersion: 1 },
    ]);
    expect(verifyChain(registry)).toMatchObject({ ok: true, count: 6 });
    const listed = await aop('versions', AOP);
    expect(listed.out).toMatch(/^\* v1 .*\(live\)$/m);
    expect(listed.out).toMatch(/^ {2}v2 .* "warmer ending"$/m);
  });

  it('fails to roll back to a version that does not exist, naming the ones that do', async () => {
    const { code, err } = await aop('rollback', AOP, '--to', '5');
    expect(code).toBe(1);
    expect(err).toContain('published versions are 1, 2');
  });

  it('runs a new conversation on version 1 after the rollback', async () => {
    const { id, answers } = await t.converse([
      'I want to change my default address',
      `my email is ${CUSTOMERS.ivan.email}`,
      NEW_ADDRESS,
      'yes',
    ]);
    expect(answers.at(-1)).toMatchObject({ reply: { text: V1_DONE }, status: 'resolved' });
    const events = await t.log(id);
    expect(versionsOf(events, 'aop.selected')).toEqual([1]);
    expect(new Set(versionsOf(events, 'turn.started'))).toEqual(new Set([1]));
  });

  it('finishes the conversation in flight on version 2, undisturbed', async () => {
    await t.say(inFlight, NEW_ADDRESS);
    const last = await t.say(inFlight, 'yes');
    expect(last).toMatchObject({ reply: { text: V2_DONE }, status: 'resolved' });
    const events = await t.log(inFlight);
    expect(versionsOf(events, 'aop.selected')).toEqual([2]);
    expect(new Set(versionsOf(events, 'turn.started'))).toEqual(new Set([2]));
    expect(await t.verify(inFlight)).toMatchObject({ ok: true });
  });
});
