import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  ExecutionAlreadyExists,
  InvalidArn,
  type SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definition, functionArn, type LocalSfn, namedError, ROLE_ARN, startLocalSfn } from './support.ts';

async function settled(client: SFNClient, executionArn: string): Promise<DescribeExecutionCommandOutput> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${executionArn} still RUNNING after 200 polls`);
}

describe('local SFN endpoint: StartExecution and DescribeExecution', () => {
  let sfn: LocalSfn;
  let standardArn: string;
  let expressArn: string;
  let release: () => void = () => {};

  beforeAll(async () => {
    sfn = await startLocalSfn({
      lambdas: {
        [functionArn('refund')]: async (event) => {
          const { amount, hold } = event as { amount: number; hold?: boolean };
          if (hold) await new Promise<void>((resolve) => (release = resolve));
          if (amount > 100) throw namedError('AmountOverLimit', `refund of ${amount} needs a human`);
          return { refunded: amount };
        },
      },
    });
    const states = {
      StartAt: 'Refund',
      States: { Refund: { Type: 'Task', Resource: functionArn('refund'), End: true } },
    };
    standardArn = (
      await sfn.client.send(
        new CreateStateMachineCommand({
          name: 'refund',
          definition: definition(states),
          roleArn: ROLE_ARN,
          type: 'STANDARD',
        }),
      )
    ).stateMachineArn!;
    expressArn = (
      await sfn.client.send(
        new CreateStateMachineCommand({
          name: 'refund-x',
          definition: definition(states),
          roleArn: ROLE_ARN,
          type: 'EXPRESS',
        }),
      )
    ).stateMachineArn!;
  });

  afterAll(async () => {
    await sfn.close();
  });

  it('runs in the background: RUNNING, then SUCCEEDED with the output', async () => {
    const input = JSON.stringify({ amount: 30, hold: true });
    const started = await sfn.client.send(
      new StartExecutionCommand({ stateMachineArn: standardArn, name: 'refund-1', input }),
    );
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:refund:refund-1');

    const running = await sfn.client.send(
      new DescribeExecutionCommand({ executionArn: started.executionArn! }),
    );
    expect(running).toMatchObject({
      status: 'RUNNING',
      name: 'refund-1',
      input,
      stateMachineArn: standardArn,
    });
    expect(running.stopDate).toBeUndefined();

    release();
    const done = await settled(sfn.client, started.executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ refunded: 30 });
    expect(done.stopDate).toBeInstanceOf(Date);
  });

  it('describes a failed execution with its error and cause', async () => {
    const started = await sfn.client.send(
      new StartExecutionCommand({ stateMachineArn: standardArn, input: JSON.stringify({ amount: 500 }) }),
    );

    const done = await settled(sfn.client, started.executionArn!);

    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('AmountOverLimit');
    expect(JSON.parse(done.cause!)).toMatchObject({ errorMessage: 'refund of 500 needs a human' });
  });

  it('is idempotent for a running execution with the same name and input, and refuses a different input', async () => {
    const input = JSON.stringify({ amount: 5, hold: true });
    const first = await sfn.client.send(
      new StartExecutionCommand({ stateMachineArn: standardArn, name: 'same', input }),
    );

    const second = await sfn.client.send(
      new StartExecutionCommand({ stateMachineArn: standardArn, name: 'same', input }),
    );
    const different = sfn.client.send(
      new StartExecutionCommand({
        stateMachineArn: standardArn,
        name: 'same',
        input: JSON.stringify({ amount: 6 }),
      }),
    );

    expect(second.executionArn).toBe(first.executionArn);
    await expect(different).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    release();
    await settled(sfn.client, first.executionArn!);
  });

  it('starts Express executions asynchronously but, as in AWS, cannot describe them', async () => {
    const started = await sfn.client.send(
      new StartExecutionCommand({ stateMachineArn: expressArn, input: JSON.stringify({ amount: 1 }) }),
    );

    expect(started.executionArn).toMatch(/:express:refund-x:/);
    await expect(
      sfn.client.send(new DescribeExecutionCommand({ executionArn: started.executionArn! })),
    ).rejects.toBeInstanceOf(InvalidArn);
  });
});
