import { CreateStateMachineCommand, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definition, functionArn, type LocalSfn, namedError, ROLE_ARN, startLocalSfn } from './support.ts';

/** One conversation turn, shaped like the compiler's output: dispatch, tools, compose, fallback. */
const TURN = {
  Comment: 'A turn: route on intent, call tools, compose a reply',
  StartAt: 'Route',
  States: {
    Route: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.intent', StringEquals: 'lookup', Next: 'LookUpOrder' },
        { Variable: '$.intent', StringEquals: 'cancel', Next: 'CancelOrder' },
        { Variable: '$.intent', StringEquals: 'crash', Next: 'Crash' },
      ],
      Default: 'Refuse',
    },
    LookUpOrder: {
      Type: 'Task',
      Resource: functionArn('get-order'),
      Parameters: { 'orderId.$': '$.orderId' },
      ResultPath: '$.order',
      Retry: [{ ErrorEquals: ['ToolUnavailable'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2 }],
      Next: 'Compose',
    },
    Compose: {
      Type: 'Pass',
      Parameters: {
        'facts.$': 'States.JsonMerge($.defaults, $.order, false)',
        'defaults.$': '$.defaults',
        'turn.$': 'States.MathAdd($.turn, 1)',
        'reply.$': "States.Format('Order {} is {}.', $.order.orderId, $.order.status)",
        'conversationId.$': '$$.Execution.Input.conversationId',
      },
      End: true,
    },
    CancelOrder: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'cancel-order', Payload: { 'orderId.$': '$.orderId' } },
      ResultSelector: { 'cancelled.$': '$.Payload' },
      ResultPath: '$.result',
      Retry: [{ ErrorEquals: ['ToolUnavailable'], IntervalSeconds: 1, MaxAttempts: 1 }],
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'HandOff' }],
      Next: 'Done',
    },
    HandOff: {
      Type: 'Pass',
      Parameters: {
        handoff: true,
        'error.$': '$.failure.Error',
        'cause.$': 'States.StringToJson($.failure.Cause)',
      },
      End: true,
    },
    Done: { Type: 'Succeed' },
    Crash: { Type: 'Task', Resource: functionArn('crash'), End: true },
    Refuse: { Type: 'Fail', Error: 'UnknownIntent', Cause: 'No step handles this intent' },
  },
};

describe('local SFN endpoint: StartSyncExecution', () => {
  let sfn: LocalSfn;
  let machineArn: string;
  const calls = { getOrder: 0, cancelOrder: 0 };

  beforeAll(async () => {
    sfn = await startLocalSfn({
      timing: { retryDelayMs: 0 },
      lambdas: {
        [functionArn('get-order')]: async (event) => {
          calls.getOrder++;
          // Fails once, as a flaky integration does; the Retry must absorb it.
          if (calls.getOrder === 1) throw namedError('ToolUnavailable', 'orders API timed out');
          const { orderId } = event as { orderId: string };
          return { orderId, status: 'pending' };
        },
        [functionArn('cancel-order')]: async () => {
          calls.cancelOrder++;
          throw namedError('ToolUnavailable', 'cancellations are down');
        },
        [functionArn('crash')]: async () => {
          throw new TypeError("Cannot read properties of undefined (reading 'id')");
        },
      },
    });
    const created = await sfn.client.send(
      new CreateStateMachineCommand({
        name: 'turn',
        definition: definition(TURN),
        roleArn: ROLE_ARN,
        type: 'EXPRESS',
      }),
    );
    machineArn = created.stateMachineArn!;
  });

  afterAll(async () => {
    await sfn.close();
  });

  it('runs Choice, a retried Task and intrinsic functions, and returns the output', async () => {
    const input = {
      intent: 'lookup',
      orderId: '#W100',
      turn: 2,
      conversationId: 'c-1',
      defaults: { channel: 'chat' },
    };
    const result = await sfn.client.send(
      new StartSyncExecutionCommand({
        stateMachineArn: machineArn,
        name: 'turn-1',
        input: JSON.stringify(input),
      }),
    );

    expect(result.status).toBe('SUCCEEDED');
    expect(JSON.parse(result.output!)).toEqual({
      facts: { channel: 'chat', orderId: '#W100', status: 'pending' },
      // JsonMerge must not change the object its first argument points at.
      defaults: { channel: 'chat' },
      turn: 3,
      reply: 'Order #W100 is pending.',
      conversationId: 'c-1',
    });
    expect(calls.getOrder).toBe(2);
    expect(result.name).toBe('turn-1');
    expect(result.stateMachineArn).toBe(machineArn);
    expect(result.executionArn).toMatch(
      /^arn:aws:states:us-east-1:123456789012:express:turn:turn-1:[0-9a-f-]{36}$/,
    );
    expect(result.input).toBe(JSON.stringify(input));
    expect(result.startDate).toBeInstanceOf(Date);
    expect(result.stopDate!.getTime()).toBeGreaterThanOrEqual(result.startDate!.getTime());
  });

  it('retries a custom error, then catches it with States.ALL and goes to the fallback state', async () => {
    const result = await sfn.client.send(
      new StartSyncExecutionCommand({
        stateMachineArn: machineArn,
        input: JSON.stringify({ intent: 'cancel', orderId: '#W1' }),
      }),
    );

    expect(result.status).toBe('SUCCEEDED');
    const output = JSON.parse(result.output!);
    expect(output).toMatchObject({ handoff: true, error: 'ToolUnavailable' });
    // The Cause is the Lambda runtime's error document, as AWS reports it.
    expect(output.cause).toMatchObject({
      errorType: 'ToolUnavailable',
      errorMessage: 'cancellations are down',
    });
    expect(output.cause.trace[0]).toBe('ToolUnavailable: cancellations are down');
    expect(calls.cancelOrder).toBe(2);
  });

  it('returns FAILED with the handler error name and the runtime error document', async () => {
    const result = await sfn.client.send(
      new StartSyncExecutionCommand({
        stateMachineArn: machineArn,
        input: JSON.stringify({ intent: 'crash' }),
      }),
    );

    expect(result.status).toBe('FAILED');
    expect(result.output).toBeUndefined();
    expect(result.error).toBe('TypeError');
    expect(JSON.parse(result.cause!)).toMatchObject({
      errorType: 'TypeError',
      errorMessage: "Cannot read properties of undefined (reading 'id')",
    });
  });

  it('returns FAILED with the Error and Cause of a Fail state', async () => {
    const result = await sfn.client.send(
      new StartSyncExecutionCommand({
        stateMachineArn: machineArn,
        input: JSON.stringify({ intent: 'chat' }),
      }),
    );

    expect(result).toMatchObject({
      status: 'FAILED',
      error: 'UnknownIntent',
      cause: 'No step handles this intent',
    });
  });
});

describe('local SFN endpoint: execution semantics the local executor gets wrong unaided', () => {
  let sfn: LocalSfn;
  const echo = async (event: unknown) => ({ received: event });

  beforeAll(async () => {
    sfn = await startLocalSfn({ lambdas: { [functionArn('echo')]: echo } });
  });

  afterAll(async () => {
    await sfn.close();
  });

  async function run(states: object, input: object) {
    const created = await sfn.client.send(
      new CreateStateMachineCommand({
        name: `m-${crypto.randomUUID()}`,
        definition: definition(states),
        roleArn: ROLE_ARN,
        type: 'EXPRESS',
      }),
    );
    return sfn.client.send(
      new StartSyncExecutionCommand({
        stateMachineArn: created.stateMachineArn!,
        input: JSON.stringify(input),
      }),
    );
  }

  it('gives Parallel branches and Map iterations the execution input and id in $$.Execution', async () => {
    const result = await run(
      {
        StartAt: 'Fan',
        States: {
          Fan: {
            Type: 'Parallel',
            InputPath: '$.items',
            Branches: [
              {
                StartAt: 'Look',
                States: {
                  Look: {
                    Type: 'Pass',
                    Parameters: {
                      'conversationId.$': '$$.Execution.Input.conversationId',
                      'executionId.$': '$$.Execution.Id',
                      'startTime.$': '$$.Execution.StartTime',
                      'machine.$': '$$.StateMachine.Name',
                    },
                    End: true,
                  },
                },
              },
            ],
            ResultPath: '$.fan',
            Next: 'Each',
          },
          Each: {
            Type: 'Map',
            ItemsPath: '$.items',
            ItemSelector: { 'item.$': '$$.Map.Item.Value', 'index.$': '$$.Map.Item.Index' },
            ItemProcessor: {
              StartAt: 'Echo',
              States: {
                Echo: {
                  Type: 'Task',
                  Resource: 'arn:aws:states:::lambda:invoke',
                  Parameters: {
                    FunctionName: functionArn('echo'),
                    Payload: { 'item.$': '$.item', 'conversationId.$': '$$.Execution.Input.conversationId' },
                  },
                  OutputPath: '$.Payload.received',
                  End: true,
                },
              },
            },
            ResultPath: '$.each',
            End: true,
          },
        },
      },
      { conversationId: 'c-9', items: [{ sku: 'a' }, { sku: 'b' }] },
    );

    expect(result.status).toBe('SUCCEEDED');
    const output = JSON.parse(result.output!);
    expect(output.fan).toEqual([
      {
        conversationId: 'c-9',
        executionId: result.executionArn,
        startTime: expect.any(String),
        machine: expect.any(String),
      },
    ]);
    // The context's StartTime is the execution's start, not the branch's.
    expect(Math.abs(Date.parse(output.fan[0].startTime) - result.startDate!.getTime())).toBeLessThanOrEqual(
      1,
    );
    expect(output.each).toEqual([
      { item: { sku: 'a' }, conversationId: 'c-9' },
      { item: { sku: 'b' }, conversationId: 'c-9' },
    ]);
  });

  it('merges with States.JsonMerge in a Map ItemSelector without sharing one object across items', async () => {
    const result = await run(
      {
        StartAt: 'Each',
        States: {
          Each: {
            Type: 'Map',
            ItemsPath: '$.items',
            ItemSelector: { 'line.$': 'States.JsonMerge($.defaults, $$.Map.Item.Value, false)' },
            ItemProcessor: {
              StartAt: 'Keep',
              States: { Keep: { Type: 'Pass', OutputPath: '$.line', End: true } },
            },
            End: true,
          },
        },
      },
      {
        defaults: { qty: 1 },
        items: [
          { sku: 'a', gift: true },
          { sku: 'b', qty: 2 },
        ],
      },
    );

    // Unaided, the executor merges into `$.defaults` itself, so item b would inherit `gift: true`.
    expect(JSON.parse(result.output!)).toEqual([
      { qty: 1, sku: 'a', gift: true },
      { qty: 2, sku: 'b' },
    ]);
  });

  it('reports no error and no cause for a Fail state that names neither', async () => {
    const result = await run({ StartAt: 'Stop', States: { Stop: { Type: 'Fail' } } }, {});

    expect(result.status).toBe('FAILED');
    expect(result.error).toBeUndefined();
    expect(result.cause).toBeUndefined();
  });

  it('returns TIMED_OUT with States.Timeout when the execution outlives TimeoutSeconds', async () => {
    const result = await run(
      { TimeoutSeconds: 1, StartAt: 'Linger', States: { Linger: { Type: 'Wait', Seconds: 30, End: true } } },
      {},
    );

    expect(result).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  });

  it('replaces the input with the result for ResultPath "$"', async () => {
    const result = await run(
      { StartAt: 'Set', States: { Set: { Type: 'Pass', Result: { a: 1 }, ResultPath: '$', End: true } } },
      { x: 1 },
    );

    expect(JSON.parse(result.output!)).toEqual({ a: 1 });
  });

  it('keeps the real Retry backoff unless told otherwise', async () => {
    let attempts = 0;
    sfn.endpoint.registry.setLambda(functionArn('flaky'), async () => {
      attempts++;
      if (attempts === 1) throw namedError('ToolUnavailable', 'try again');
      return { ok: true };
    });
    const started = Date.now();
    const result = await run(
      {
        StartAt: 'Call',
        States: {
          Call: {
            Type: 'Task',
            Resource: functionArn('flaky'),
            Retry: [{ ErrorEquals: ['ToolUnavailable'], IntervalSeconds: 1, MaxAttempts: 1 }],
            End: true,
          },
        },
      },
      {},
    );

    expect(JSON.parse(result.output!)).toEqual({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });
});
