import { describe, expect, it } from 'vitest';
import { type JsonObject, walkStates } from '../../infra/local/sfn-endpoint/asl-walk.ts';
import { isSfnServiceError } from '../../infra/local/sfn-endpoint/errors.ts';
import { EXECUTION_CONTEXT_KEY } from '../../infra/local/sfn-endpoint/local-rewrites.ts';
import { prepareDefinition, validateDefinition } from '../../infra/local/sfn-endpoint/prepare-definition.ts';
import { resolveFunction } from '../../infra/local/sfn-endpoint/task-bindings.ts';
import { functionArn } from './support.ts';

function machine(states: object, startAt = Object.keys(states)[0]): JsonObject {
  return { StartAt: startAt!, States: states } as JsonObject;
}

function codesAndPointers(definition: JsonObject) {
  return validateDefinition(definition).map(({ code, pointer }) => ({ code, pointer }));
}

function stateOf(definition: JsonObject, name: string): JsonObject {
  const found = [...walkStates(definition)].find((visited) => visited.name === name);
  if (!found) throw new Error(`no state ${name}`);
  return found.state;
}

describe('validateDefinition', () => {
  it('accepts a JSONPath machine with Parallel, Map and intrinsic functions', () => {
    const definition = machine({
      Fan: {
        Type: 'Parallel',
        Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }],
        Next: 'Each',
      },
      Each: {
        Type: 'Map',
        ItemsPath: '$.items',
        ItemSelector: { 'v.$': "States.Format('{}', $$.Map.Item.Value)" },
        ItemProcessor: { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } },
        End: true,
      },
    });

    expect(validateDefinition(definition)).toEqual([]);
  });

  it('reports distributed Map fields, $$.State reads, bracket ResultPaths, falsy Pass results and intrinsic Fail paths', () => {
    const definition = machine({
      Each: {
        Type: 'Map',
        ItemReader: { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'b', Key: 'k' } },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' },
          StartAt: 'Inner',
          States: { Inner: { Type: 'Pass', Parameters: { 'name.$': '$$.State.Name' }, End: true } },
        },
        ResultPath: "$['out']",
        Next: 'Nothing',
      },
      Nothing: { Type: 'Pass', Result: false, Next: 'Stop' },
      Stop: { Type: 'Fail', ErrorPath: "States.Format('E{}', $.code)" },
    });

    expect(codesAndPointers(definition)).toEqual([
      { code: 'LOCAL_DISTRIBUTED_MAP', pointer: '/States/Each/ItemReader' },
      { code: 'LOCAL_DISTRIBUTED_MAP', pointer: '/States/Each/ItemProcessor/ProcessorConfig/Mode' },
      { code: 'LOCAL_CONTEXT_FIELD', pointer: '/States/Each/ItemProcessor/States/Inner/Parameters/name.$' },
      { code: 'LOCAL_RESULT_PATH', pointer: '/States/Each/ResultPath' },
      { code: 'LOCAL_PASS_FALSY_RESULT', pointer: '/States/Nothing/Result' },
      { code: 'LOCAL_FAIL_INTRINSIC', pointer: '/States/Stop/ErrorPath' },
    ]);
  });

  it('reports an intrinsic function that does not parse, with where it is', () => {
    const definition = machine({
      Bad: { Type: 'Pass', Parameters: { 'x.$': "States.Format('open)" }, End: true },
    });

    expect(codesAndPointers(definition)).toContainEqual({
      code: 'SCHEMA_VALIDATION_FAILED',
      pointer: '/States/Bad/Parameters/x.$',
    });
  });

  it('reports only schema findings when the definition is structurally invalid', () => {
    const definition = machine({ Loose: { Type: 'Pass', Assign: { a: 1 }, End: 'yes' } });

    const codes = new Set(validateDefinition(definition).map(({ code }) => code));
    expect([...codes]).toEqual(['SCHEMA_VALIDATION_FAILED']);
  });
});

describe('prepareDefinition', () => {
  const lambdas = [functionArn('lookup'), functionArn('reply')];

  it('binds Lambda ARN and lambda:invoke Tasks by state name, in branches too', () => {
    const prepared = prepareDefinition(
      JSON.stringify(
        machine({
          Lookup: { Type: 'Task', Resource: `${functionArn('lookup')}:live`, Next: 'Fan' },
          Fan: {
            Type: 'Parallel',
            Branches: [
              {
                StartAt: 'Reply',
                States: {
                  Reply: {
                    Type: 'Task',
                    Resource: 'arn:aws:states:::lambda:invoke',
                    Parameters: { FunctionName: 'reply', 'Payload.$': '$' },
                    End: true,
                  },
                },
              },
            ],
            End: true,
          },
        }),
      ),
      lambdas,
    );

    expect(prepared.tasks).toEqual([
      { stateName: 'Lookup', functionArn: functionArn('lookup'), integration: 'lambda-function' },
      { stateName: 'Reply', functionArn: functionArn('reply'), integration: 'lambda-invoke' },
    ]);
  });

  it('fails with InvalidDefinition for non-Lambda resources, callbacks and dynamic function names, all at once', () => {
    const preparing = () =>
      prepareDefinition(
        JSON.stringify(
          machine({
            Put: {
              Type: 'Task',
              Resource: 'arn:aws:states:::dynamodb:putItem',
              Parameters: {},
              Next: 'Wait',
            },
            Wait: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Parameters: { FunctionName: 'reply', Payload: { 'token.$': '$$.Task.Token' } },
              Next: 'Dynamic',
            },
            Dynamic: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { 'FunctionName.$': '$.fn' },
              End: true,
            },
          }),
        ),
        lambdas,
      );

    let thrown: unknown;
    try {
      preparing();
    } catch (error) {
      thrown = error;
    }
    expect(isSfnServiceError(thrown) && thrown.type).toBe('InvalidDefinition');
    const message = (thrown as Error).message;
    expect(message).toContain("LOCAL_CONTEXT_FIELD: '$$.Task.Token' reads $$.Task");
    expect(message).toContain('LOCAL_TASK_RESOURCE');
    expect(message).toContain('at /States/Put/Resource');
    expect(message).toContain('LOCAL_TASK_CALLBACK');
    expect(message).toContain('LOCAL_DYNAMIC_FUNCTION');
  });

  it('points $$.Execution paths at the context the endpoint fills, everywhere they are read', () => {
    const prepared = prepareDefinition(
      JSON.stringify(
        machine({
          Route: {
            Type: 'Choice',
            Choices: [{ Not: { Variable: '$$.Execution.Input.intent', IsPresent: true }, Next: 'Each' }],
            Default: 'Each',
          },
          Each: {
            Type: 'Map',
            ItemProcessor: {
              StartAt: 'Inner',
              States: {
                Inner: {
                  Type: 'Pass',
                  Parameters: {
                    'id.$': '$$.Execution.Id',
                    'greeting.$': "States.Format('Hi {}', $$.Execution.Input.name)",
                    literal: '$$.Execution.Input',
                  },
                  End: true,
                },
              },
            },
            End: true,
          },
        }),
      ),
      [],
    );

    const route = stateOf(prepared.local, 'Route') as { Choices: [{ Not: { Variable: string } }] };
    expect(route.Choices[0].Not.Variable).toBe(`$$.${EXECUTION_CONTEXT_KEY}.Input.intent`);
    expect(stateOf(prepared.local, 'Inner').Parameters).toEqual({
      'id.$': `$$.${EXECUTION_CONTEXT_KEY}.Id`,
      'greeting.$': `States.Format('Hi {}', $$.${EXECUTION_CONTEXT_KEY}.Input.name)`,
      // Not a `.$` key: a literal string, left alone.
      literal: '$$.Execution.Input',
    });
  });

  it('hands States.JsonMerge a copy of its first path argument and drops ResultPath "$"', () => {
    const source = JSON.stringify(
      machine({
        Merge: {
          Type: 'Pass',
          Parameters: { 'm.$': 'States.JsonMerge($.a, $.b, false)' },
          ResultPath: '$',
          End: true,
        },
      }),
    );

    const prepared = prepareDefinition(source, []);

    expect(stateOf(prepared.local, 'Merge')).toEqual({
      Type: 'Pass',
      Parameters: {
        'm.$': "States.JsonMerge(States.JsonMerge($.a, States.StringToJson('{}'), false), $.b, false)",
      },
      End: true,
    });
    expect(prepared.source).toBe(source);
  });
});

describe('resolveFunction', () => {
  const registered = [
    functionArn('reply'),
    'arn:aws:lambda:eu-west-1:123456789012:function:reply',
    functionArn('lookup'),
  ];

  it('resolves a qualified ARN to its function', () => {
    expect(resolveFunction(`${functionArn('lookup')}:live`, registered)).toBe(functionArn('lookup'));
  });

  it('resolves a bare name that matches one registered function', () => {
    expect(resolveFunction('lookup:3', registered)).toBe(functionArn('lookup'));
  });

  it('fails when a bare name matches functions in two regions', () => {
    expect(resolveFunction('reply', registered)).toMatchObject({ code: 'LOCAL_FUNCTION_AMBIGUOUS' });
  });

  it('fails for a function that is not registered', () => {
    expect(resolveFunction(functionArn('gone'), registered)).toMatchObject({
      code: 'LOCAL_UNKNOWN_FUNCTION',
    });
  });
});
