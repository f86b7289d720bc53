import {
  ConflictException,
  CreateStateMachineAliasCommand,
  CreateStateMachineCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  ListStateMachineVersionsCommand,
  PublishStateMachineVersionCommand,
  ResourceNotFound,
  StartSyncExecutionCommand,
  UpdateStateMachineAliasCommand,
  UpdateStateMachineCommand,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definition, type LocalSfn, ROLE_ARN, startLocalSfn } from './support.ts';

function answering(version: number): string {
  return definition({
    StartAt: 'Answer',
    States: { Answer: { Type: 'Pass', Result: { version }, End: true } },
  });
}

describe('local SFN endpoint: versions and aliases', () => {
  let sfn: LocalSfn;
  let draws: number[];

  beforeAll(async () => {
    draws = [];
    sfn = await startLocalSfn({ lambdas: {}, random: () => draws.shift() ?? 0 });
  });

  afterAll(async () => {
    await sfn.close();
  });

  async function versionRun(stateMachineArn: string): Promise<number> {
    const result = await sfn.client.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{}' }));
    expect(result.status).toBe('SUCCEEDED');
    return JSON.parse(result.output!).version;
  }

  it('publishes versions, routes an alias to one, and moves the alias to another', async () => {
    const created = await sfn.client.send(
      new CreateStateMachineCommand({
        name: 'cancel-order',
        definition: answering(1),
        roleArn: ROLE_ARN,
        type: 'EXPRESS',
        publish: true,
        versionDescription: 'first',
      }),
    );
    const machineArn = created.stateMachineArn!;
    const v1 = created.stateMachineVersionArn!;
    expect(v1).toBe(`${machineArn}:1`);

    const updated = await sfn.client.send(
      new UpdateStateMachineCommand({ stateMachineArn: machineArn, definition: answering(2), publish: true }),
    );
    const v2 = updated.stateMachineVersionArn!;
    expect(v2).toBe(`${machineArn}:2`);

    const listed = await sfn.client.send(
      new ListStateMachineVersionsCommand({ stateMachineArn: machineArn }),
    );
    expect(listed.stateMachineVersions?.map((version) => version.stateMachineVersionArn)).toEqual([v2, v1]);

    const alias = await sfn.client.send(
      new CreateStateMachineAliasCommand({
        name: 'live',
        routingConfiguration: [{ stateMachineVersionArn: v1, weight: 100 }],
      }),
    );
    const liveArn = alias.stateMachineAliasArn!;
    expect(liveArn).toBe(`${machineArn}:live`);

    expect(await versionRun(liveArn)).toBe(1);
    expect(await versionRun(v1)).toBe(1);
    expect(await versionRun(v2)).toBe(2);
    expect(await versionRun(machineArn)).toBe(2);

    await sfn.client.send(
      new UpdateStateMachineAliasCommand({
        stateMachineAliasArn: liveArn,
        routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }],
      }),
    );
    expect(await versionRun(liveArn)).toBe(2);

    const described = await sfn.client.send(
      new DescribeStateMachineAliasCommand({ stateMachineAliasArn: liveArn }),
    );
    expect(described).toMatchObject({
      name: 'live',
      routingConfiguration: [{ stateMachineVersionArn: v2, weight: 100 }],
    });
    expect(described.updateDate!.getTime()).toBeGreaterThanOrEqual(described.creationDate!.getTime());
  });

  it('describes a version with the definition it was published with', async () => {
    const machineArn = (
      await sfn.client.send(
        new CreateStateMachineCommand({
          name: 'described',
          definition: answering(1),
          roleArn: ROLE_ARN,
          type: 'EXPRESS',
          publish: true,
          versionDescription: 'the first one',
        }),
      )
    ).stateMachineArn!;
    await sfn.client.send(
      new UpdateStateMachineCommand({ stateMachineArn: machineArn, definition: answering(2) }),
    );

    const version = await sfn.client.send(
      new DescribeStateMachineCommand({ stateMachineArn: `${machineArn}:1` }),
    );
    const machine = await sfn.client.send(new DescribeStateMachineCommand({ stateMachineArn: machineArn }));

    expect(version).toMatchObject({
      stateMachineArn: `${machineArn}:1`,
      definition: answering(1),
      description: 'the first one',
      type: 'EXPRESS',
      status: 'ACTIVE',
    });
    expect(machine).toMatchObject({
      stateMachineArn: machineArn,
      definition: answering(2),
      roleArn: ROLE_ARN,
    });
    expect(machine.revisionId).not.toBe(version.revisionId);
  });

  it('returns the existing version when the current revision is already published', async () => {
    const created = await sfn.client.send(
      new CreateStateMachineCommand({
        name: 'republished',
        definition: answering(1),
        roleArn: ROLE_ARN,
        publish: true,
      }),
    );

    const again = await sfn.client.send(
      new PublishStateMachineVersionCommand({ stateMachineArn: created.stateMachineArn! }),
    );

    expect(again.stateMachineVersionArn).toBe(created.stateMachineVersionArn);
  });

  it('fails with ConflictException when publishing a revision that is no longer current', async () => {
    const machineArn = (
      await sfn.client.send(
        new CreateStateMachineCommand({ name: 'stale', definition: answering(1), roleArn: ROLE_ARN }),
      )
    ).stateMachineArn!;
    const { revisionId } = await sfn.client.send(
      new DescribeStateMachineCommand({ stateMachineArn: machineArn }),
    );
    await sfn.client.send(
      new UpdateStateMachineCommand({ stateMachineArn: machineArn, definition: answering(2) }),
    );

    await expect(
      sfn.client.send(new PublishStateMachineVersionCommand({ stateMachineArn: machineArn, revisionId })),
    ).rejects.toBeInstanceOf(ConflictException);
  });

  it('splits traffic between two versions by weight', async () => {
    const machineArn = (
      await sfn.client.send(
        new CreateStateMachineCommand({
          name: 'canary',
          definition: answering(1),
          roleArn: ROLE_ARN,
          type: 'EXPRESS',
          publish: true,
        }),
      )
    ).stateMachineArn!;
    await sfn.client.send(
      new UpdateStateMachineCommand({ stateMachineArn: machineArn, definition: answering(2), publish: true }),
    );
    const { stateMachineAliasArn } = await sfn.client.send(
      new CreateStateMachineAliasCommand({
        name: 'live',
        routingConfiguration: [
          { stateMachineVersionArn: `${machineArn}:1`, weight: 90 },
          { stateMachineVersionArn: `${machineArn}:2`, weight: 10 },
        ],
      }),
    );

    draws.push(0.5, 0.95);
    expect(await versionRun(stateMachineAliasArn!)).toBe(1);
    expect(await versionRun(stateMachineAliasArn!)).toBe(2);
  });

  it('fails with ResourceNotFound when an alias routes to a version that does not exist', async () => {
    const machineArn = (
      await sfn.client.send(
        new CreateStateMachineCommand({ name: 'unpublished', definition: answering(1), roleArn: ROLE_ARN }),
      )
    ).stateMachineArn!;

    const creating = sfn.client.send(
      new CreateStateMachineAliasCommand({
        name: 'live',
        routingConfiguration: [{ stateMachineVersionArn: `${machineArn}:7`, weight: 100 }],
      }),
    );

    await expect(creating).rejects.toBeInstanceOf(ResourceNotFound);
    await expect(creating).rejects.toMatchObject({ resourceName: `${machineArn}:7` });
  });

  it('fails with ValidationException when routing weights do not add up to 100', async () => {
    const { stateMachineVersionArn } = await sfn.client.send(
      new CreateStateMachineCommand({
        name: 'weights',
        definition: answering(1),
        roleArn: ROLE_ARN,
        publish: true,
      }),
    );

    await expect(
      sfn.client.send(
        new CreateStateMachineAliasCommand({
          name: 'live',
          routingConfiguration: [{ stateMachineVersionArn: stateMachineVersionArn!, weight: 60 }],
        }),
      ),
    ).rejects.toBeInstanceOf(ValidationException);
  });

  it('fails with ValidationException (API_DOES_NOT_SUPPORT_LABELED_ARNS) when updating through a version ARN', async () => {
    const { stateMachineVersionArn } = await sfn.client.send(
      new CreateStateMachineCommand({
        name: 'labeled',
        definition: answering(1),
        roleArn: ROLE_ARN,
        publish: true,
      }),
    );

    const updating = sfn.client.send(
      new UpdateStateMachineCommand({ stateMachineArn: stateMachineVersionArn!, definition: answering(2) }),
    );

    await expect(updating).rejects.toBeInstanceOf(ValidationException);
    await expect(updating).rejects.toMatchObject({ reason: 'API_DOES_NOT_SUPPORT_LABELED_ARNS' });
  });
});
