import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retailCatalogue } from '../../aops/retail/tools/declarations.ts';
import { type LocalSfnEndpoint, startLocalSfnEndpoint } from '../../infra/local/sfn-endpoint/server.ts';
import { createSfnClient } from '../../shared/aws/sfn-client.ts';
import { verifyChain } from '../../shared/events/hash-chain.ts';
import { createEventStore } from '../../shared/events/store.ts';
import { ensureEventTable } from '../../shared/events/table.ts';
import { tenantVersions } from '../../shared/registry/bundle.ts';
import { createContentStore, registryStreamId, type VersionContent } from '../../shared/registry/content.ts';
import { isRegistryOutOfSyncError, isUnknownVersionError } from '../../shared/registry/errors.ts';
import { createProcedureMachines } from '../../shared/registry/machines.ts';
import { createAopRegistry } from '../../shared/registry/registry.ts';
import {
  publishVersion,
  type ReleaseDependencies,
  rollback,
  syncProcedures,
} from '../../shared/registry/release.ts';

/**
 * Releases against a real local Step Functions endpoint: version numbers in the registry and in Step
 * Functions agree, `live` moves both places, and a restart (a fresh endpoint, the same table) rebuilds
 * every version under its number and keeps a rollback.
 */

const RETAIL = join(import.meta.dirname, '../../aops/retail');
const AOP = 'change-default-address';
const LAMBDAS = ['understand', 'run-tool', 'reply', 'handoff'].map(
  (name) => `arn:aws:lambda:us-east-1:000000000000:function:t-${name}`,
);
const SUBSTITUTIONS = {
  UnderstandFunctionArn: LAMBDAS[0]!,
  ToolFunctionArn: LAMBDAS[1]!,
  ReplyFunctionArn: LAMBDAS[2]!,
  HandoffFunctionArn: LAMBDAS[3]!,
};

const dynamodb = new DynamoDBClient({});
const tableName = `release-${randomUUID().slice(0, 8)}`;
const events = createEventStore({ client: dynamodb, tableName });
const registry = createAopRegistry({ events, contents: createContentStore({ client: dynamodb, tableName }) });

function content(doneText?: string): VersionContent {
  const sources = ['authenticate-customer.md', 'change-default-address.md'].map((file) => {
    const text = readFileSync(join(RETAIL, file), 'utf8');
    return {
      path: `retail/${file}`,
      text: doneText ? text.replace('Your default address is updated.', doneText) : text,
    };
  });
  return tenantVersions(sources, retailCatalogue).contents.get(AOP)!;
}

interface Deployment {
  readonly endpoint: LocalSfnEndpoint;
  readonly sfn: SFNClient;
  readonly deps: ReleaseDependencies;
  close(): Promise<void>;
}

/** A fresh local Step Functions endpoint: what a restarted platform has. */
async function deployment(): Promise<Deployment> {
  const endpoint = await startLocalSfnEndpoint({
    lambdas: Object.fromEntries(LAMBDAS.map((arn) => [arn, async (event: unknown) => event])),
  });
  const sfn = createSfnClient({
    endpoint: endpoint.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const machines = createProcedureMachines({
    sfn,
    substitutions: SUBSTITUTIONS,
    roleArn: 'arn:aws:iam::000000000000:role/t-states',
    machineName: (aopId) => `t-${aopId}`,
  });
  return {
    endpoint,
    sfn,
    deps: { registry, machines },
    async close() {
      sfn.destroy();
      await endpoint.stop();
    },
  };
}

async function aliasTarget(sfn: SFNClient, aliasArn: string): Promise<string | undefined> {
  const alias = await sfn.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: aliasArn }));
  return alias.routingConfiguration?.[0]?.stateMachineVersionArn;
}

let first: Deployment;

beforeAll(async () => {
  await ensureEventTable(dynamodb, tableName);
  first = await deployment();
});

afterAll(async () => {
  await first.close();
  await dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
  dynamodb.destroy();
});

describe('releases', () => {
  let aliasArn = '';
  const v1 = content();
  const v2 = content('Done: your default address is updated.');

  it('publishes version 1 at the first start, as state machine version 1 with live on it', async () => {
    const synced = await syncProcedures(first.deps, { contents: [v1], note: 'start', actor: 'system' });
    aliasArn = synced.stateMachines[AOP]!;
    expect(aliasArn).toMatch(/:stateMachine:t-change-default-address:live$/);
    expect(await aliasTarget(first.sfn, aliasArn)).toMatch(/:t-change-default-address:1$/);
    expect(synced.routes).toEqual([
      {
        id: AOP,
        version: 1,
        when: v1.when,
        cutoffDays: v1.cutoffDays,
        // Read from the stored source's front matter, for the router.
        examples: expect.arrayContaining(['Update the address saved in my profile']),
      },
    ]);
    expect((await registry.history(AOP)).aliases).toEqual({ live: 1 });
  });

  it('publishes a changed procedure as version 2 and makes it live; the same start again changes nothing', async () => {
    const published = await publishVersion(first.deps, {
      content: v2,
      note: 'friendlier ending',
      actor: 'operator',
      machineArn: aliasArn,
    });
    expect(published).toMatchObject({ version: 2, created: true, live: 2 });
    expect(await aliasTarget(first.sfn, aliasArn)).toMatch(/:2$/);
    const description = await first.sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: aliasArn.replace(/live$/, '2') }),
    );
    expect(description.description).toContain((await registry.history(AOP)).versions[1]!.sourceHash);
    expect(JSON.parse(description.definition!).Comment).toMatch(/v2, content [0-9a-f]{12}$/);

    const before = await events.version(registryStreamId(AOP));
    const again = await publishVersion(first.deps, {
      content: v2,
      note: 'again',
      actor: 'operator',
      machineArn: aliasArn,
    });
    expect(again).toMatchObject({ version: 2, created: false, live: 2 });
    expect(await events.version(registryStreamId(AOP))).toBe(before);
  });

  it('rolls back: live names version 1 in Step Functions and in the registry', async () => {
    const result = await rollback(first.deps, {
      aopId: AOP,
      toVersion: 1,
      machineArn: aliasArn,
      actor: 'operator',
    });
    expect(result).toMatchObject({ fromVersion: 2, toVersion: 1, moved: true });
    expect(await aliasTarget(first.sfn, aliasArn)).toMatch(/:1$/);
    const moves = (await registry.history(AOP)).moves.map((move) => [move.fromVersion, move.toVersion]);
    expect(moves).toEqual([
      [null, 1],
      [1, 2],
      [2, 1],
    ]);
  });

  it('fails to roll back to a version that was never published', async () => {
    const error = await rollback(first.deps, {
      aopId: AOP,
      toVersion: 9,
      machineArn: aliasArn,
      actor: 'operator',
    }).catch((e: unknown) => e);
    expect(isUnknownVersionError(error)).toBe(true);
  });

  it('rebuilds every version under its own number after a restart, and the rollback outlives it', async () => {
    const restarted = await deployment();
    try {
      const synced = await syncProcedures(restarted.deps, { contents: [v2], note: 'start', actor: 'system' });
      expect(synced.published).toEqual([{ aopId: AOP, version: 2, created: false, live: 1 }]);
      const alias = synced.stateMachines[AOP]!;
      expect(await aliasTarget(restarted.sfn, alias)).toMatch(/:1$/);
      const history = await registry.history(AOP);
      for (const version of history.versions) {
        const described = await restarted.sfn.send(
          new DescribeStateMachineCommand({
            stateMachineArn: alias.replace(/live$/, String(version.version)),
          }),
        );
        expect(described.description).toContain(version.sourceHash);
      }
      expect(synced.routes.map((route) => route.version)).toEqual([1, 2]);
    } finally {
      await restarted.close();
    }
  });

  it('refuses to roll back to a state machine version that runs other content', async () => {
    // A machine published outside the registry: its version 1 is not registry version 1.
    const stray = await deployment();
    try {
      const { machines } = stray.deps;
      const arn = await machines.ensureVersions(
        'stray',
        undefined,
        [{ version: 1, sourceHash: 'f'.repeat(64) }],
        async () => v2,
      );
      const error = await rollback(
        { registry, machines },
        { aopId: AOP, toVersion: 1, machineArn: arn, actor: 'operator' },
      ).catch((e: unknown) => e);
      expect(isRegistryOutOfSyncError(error)).toBe(true);
      expect((await registry.history(AOP)).aliases).toEqual({ live: 1 });
    } finally {
      await stray.close();
    }
  });

  it('keeps the registry stream a verifiable hash chain', async () => {
    expect(verifyChain(await events.read(registryStreamId(AOP)))).toMatchObject({ ok: true });
  });
});
