import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineAliasCommand,
  DescribeStateMachineCommand,
  ExecutionDoesNotExist,
  InvalidArn,
  InvalidDefinition,
  InvalidExecutionInput,
  InvalidName,
  ListStateMachinesCommand,
  ResourceNotFound,
  SFNServiceException,
  StartSyncExecutionCommand,
  StateMachineAlreadyExists,
  StateMachineDoesNotExist,
  StateMachineTypeNotSupported,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definition, functionArn, type LocalSfn, ROLE_ARN, rejection, startLocalSfn } from './support.ts';

const MISSING = 'arn:aws:states:us-east-1:123456789012:stateMachine:missing';
const HELLO = definition({
  StartAt: 'Hello',
  States: { Hello: { Type: 'Pass', Result: { hello: 'world' }, End: true } },
});

describe('local SFN endpoint: errors arrive as the SDK typed exceptions', () => {
  let sfn: LocalSfn;

  beforeAll(async () => {
    sfn = await startLocalSfn({ lambdas: { [functionArn('known')]: async () => ({}) } });
  });

  afterAll(async () => {
    await sfn.close();
  });

  function create(name: string, states: string, type: 'STANDARD' | 'EXPRESS' = 'EXPRESS') {
    return sfn.client.send(
      new CreateStateMachineCommand({ name, definition: states, roleArn: ROLE_ARN, type }),
    );
  }

  it('fails with StateMachineDoesNotExist for an unknown state machine', async () => {
    const describing = sfn.client.send(new DescribeStateMachineCommand({ stateMachineArn: MISSING }));
    const starting = sfn.client.send(
      new StartSyncExecutionCommand({ stateMachineArn: MISSING, input: '{}' }),
    );

    await expect(describing).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(describing).rejects.toMatchObject({ message: `State Machine Does Not Exist: '${MISSING}'` });
    await expect(starting).rejects.toBeInstanceOf(StateMachineDoesNotExist);
  });

  it('fails with InvalidArn for a malformed ARN', async () => {
    await expect(
      sfn.client.send(new DescribeStateMachineCommand({ stateMachineArn: 'not-an-arn' })),
    ).rejects.toBeInstanceOf(InvalidArn);
  });

  it('fails with ExecutionDoesNotExist for an unknown Standard execution', async () => {
    await expect(
      sfn.client.send(
        new DescribeExecutionCommand({
          executionArn: 'arn:aws:states:us-east-1:123456789012:execution:nope:nope',
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });

  it('fails with ResourceNotFound for an unknown alias', async () => {
    await expect(
      sfn.client.send(new DescribeStateMachineAliasCommand({ stateMachineAliasArn: `${MISSING}:live` })),
    ).rejects.toBeInstanceOf(ResourceNotFound);
  });

  it('fails with InvalidDefinition listing every asl-validator finding', async () => {
    const creating = create(
      'broken',
      definition({
        StartAt: 'First',
        States: {
          First: { Type: 'Pass', Next: 'Nowhere' },
          Second: { Type: 'Pass', Next: 'Elsewhere' },
        },
      }),
    );

    await expect(creating).rejects.toBeInstanceOf(InvalidDefinition);
    const error = await rejection(creating);
    expect(error.message).toMatch(/^Invalid State Machine Definition: /);
    expect(error.message).toContain(
      "MISSING_TRANSITION_TARGET: Missing 'StartAt'|'Next'|'Default' target: Nowhere",
    );
    expect(error.message).toContain(
      "MISSING_TRANSITION_TARGET: Missing 'StartAt'|'Next'|'Default' target: Elsewhere",
    );
    expect(error.message).toContain('MISSING_TRANSITION_TARGET: State Second is not reachable');
    expect(error.message).toContain('MISSING_TERMINAL_STATE');
  });

  it('fails with InvalidDefinition naming the state whose Lambda function has no local handler', async () => {
    const creating = create(
      'unknown-function',
      definition({
        StartAt: 'Call',
        States: { Call: { Type: 'Task', Resource: functionArn('not-registered'), End: true } },
      }),
    );

    await expect(creating).rejects.toBeInstanceOf(InvalidDefinition);
    await expect(creating).rejects.toThrow(
      `LOCAL_UNKNOWN_FUNCTION: No local handler for Lambda function '${functionArn('not-registered')}'`,
    );
    await expect(creating).rejects.toThrow('at /States/Call/Resource');
  });

  it('fails with InvalidDefinition for what the local executor would run wrongly (JSONata, Assign), all at once', async () => {
    const creating = create(
      'unsupported',
      definition({
        StartAt: 'Remember',
        States: {
          Remember: { Type: 'Pass', Assign: { seen: true }, Next: 'Compute' },
          Compute: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% 1 + 1 %}', End: true },
        },
      }),
    );

    await expect(creating).rejects.toBeInstanceOf(InvalidDefinition);
    const { message } = await rejection(creating);
    expect(message).toContain('LOCAL_VARIABLES');
    expect(message).toContain('LOCAL_JSONATA');
    expect(message).toContain('LOCAL_JSONATA_FIELD');
  });

  it('keeps the previous definition when an update is invalid', async () => {
    const { stateMachineArn } = await create('kept', HELLO);

    await expect(
      sfn.client.send(new UpdateStateMachineCommand({ stateMachineArn, definition: '{"StartAt": "Gone"}' })),
    ).rejects.toBeInstanceOf(InvalidDefinition);
    const described = await sfn.client.send(new DescribeStateMachineCommand({ stateMachineArn }));
    expect(described.definition).toBe(HELLO);
  });

  it('fails with StateMachineAlreadyExists for a different definition under a taken name, and is idempotent otherwise', async () => {
    const first = await create('taken', HELLO);

    const again = await create('taken', HELLO);
    const different = create('taken', HELLO.replace('world', 'there'));

    expect(again.stateMachineArn).toBe(first.stateMachineArn);
    await expect(different).rejects.toBeInstanceOf(StateMachineAlreadyExists);
  });

  it('fails with StateMachineTypeNotSupported when StartSyncExecution targets a Standard machine', async () => {
    const { stateMachineArn } = await create('standard', HELLO, 'STANDARD');

    await expect(
      sfn.client.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{}' })),
    ).rejects.toBeInstanceOf(StateMachineTypeNotSupported);
  });

  it('fails with InvalidExecutionInput when the input is not JSON', async () => {
    const { stateMachineArn } = await create('input', HELLO);

    await expect(
      sfn.client.send(new StartSyncExecutionCommand({ stateMachineArn, input: '{not json' })),
    ).rejects.toBeInstanceOf(InvalidExecutionInput);
  });

  it('fails with InvalidName for a name with a space', async () => {
    await expect(create('has space', HELLO)).rejects.toBeInstanceOf(InvalidName);
  });

  it('answers an action it does not implement with UnknownOperationException', async () => {
    const listing = sfn.client.send(new ListStateMachinesCommand({}));

    await expect(listing).rejects.toBeInstanceOf(SFNServiceException);
    await expect(listing).rejects.toMatchObject({
      name: 'UnknownOperationException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers a request missing a required member with ValidationException', async () => {
    const response = await fetch(sfn.endpoint.endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AWSStepFunctions.DescribeStateMachine',
      },
      body: '{}',
    });

    expect(response.status).toBe(400);
    const body = (await response.json()) as { __type: string; message: string };
    expect(body.__type).toBe('com.amazonaws.swf.service.v2.model#ValidationException');
    expect(body.message).toMatch(/^1 validation error detected: Value at 'stateMachineArn'/);
  });
});
