import { parseLambdaFunctionRef } from './arns.ts';
import { isJsonObject, type JsonObject, walkStates } from './asl-walk.ts';
import type { DefinitionDiagnostic } from './local-support-rules.ts';

/**
 * Which in-process handler runs each Task state. aws-local-stepfunctions looks handlers up by state
 * name (`overrides.taskResourceLocalHandlers`), and calls real AWS Lambda for any Task without one,
 * so every Task must bind here or the definition is refused.
 */
export interface TaskBinding {
  readonly stateName: string;
  /** Key of the handler in the endpoint's `lambdas` map. */
  readonly functionArn: string;
  /**
   * `lambda-function`: `Resource` is the function ARN; the handler gets the state input and its
   * return value is the task result. `lambda-invoke`: `arn:aws:states:::lambda:invoke`; the handler
   * gets `Parameters.Payload` and the result is wrapped like the Invoke API response (`.Payload`).
   */
  readonly integration: 'lambda-function' | 'lambda-invoke';
}

const LAMBDA_INVOKE = /^arn:aws[a-z-]*:states:::lambda:invoke$/;
const LAMBDA_INVOKE_CALLBACK = /^arn:aws[a-z-]*:states:::lambda:invoke\.waitForTaskToken$/;
const LAMBDA_FUNCTION = /^arn:aws[a-z-]*:lambda:/;

export function bindTasks(
  definition: JsonObject,
  functionArns: readonly string[],
): { readonly bindings: TaskBinding[]; readonly diagnostics: DefinitionDiagnostic[] } {
  const bindings: TaskBinding[] = [];
  const diagnostics: DefinitionDiagnostic[] = [];
  for (const { name, state, pointer } of walkStates(definition)) {
    if (state.Type !== 'Task') continue;
    const resource = typeof state.Resource === 'string' ? state.Resource : '';
    if ('Credentials' in state) {
      diagnostics.push({
        code: 'LOCAL_TASK_CREDENTIALS',
        message: "Task 'Credentials' (cross-account role) is not supported by the local endpoint",
        pointer: `${pointer}/Credentials`,
      });
    }
    if (LAMBDA_FUNCTION.test(resource)) {
      const resolved = resolveFunction(resource, functionArns);
      if (typeof resolved === 'string')
        bindings.push({ stateName: name, functionArn: resolved, integration: 'lambda-function' });
      else diagnostics.push({ ...resolved, pointer: `${pointer}/Resource` });
    } else if (LAMBDA_INVOKE.test(resource)) {
      const binding = bindInvoke(name, state, pointer, functionArns, diagnostics);
      if (binding) bindings.push(binding);
    } else if (LAMBDA_INVOKE_CALLBACK.test(resource)) {
      diagnostics.push({
        code: 'LOCAL_TASK_CALLBACK',
        message: `'${resource}' waits for a task token (SendTaskSuccess), which the local endpoint does not implement`,
        pointer: `${pointer}/Resource`,
      });
    } else {
      diagnostics.push({
        code: 'LOCAL_TASK_RESOURCE',
        message: `Task resource '${resource}' is not supported locally: use a Lambda function ARN or arn:aws:states:::lambda:invoke`,
        pointer: `${pointer}/Resource`,
      });
    }
  }
  return { bindings, diagnostics };
}

function bindInvoke(
  stateName: string,
  state: JsonObject,
  pointer: string,
  functionArns: readonly string[],
  diagnostics: DefinitionDiagnostic[],
): TaskBinding | undefined {
  const parameters = isJsonObject(state.Parameters) ? state.Parameters : {};
  const invocationType = parameters.InvocationType;
  if (invocationType !== undefined && invocationType !== 'RequestResponse') {
    diagnostics.push({
      code: 'LOCAL_INVOCATION_TYPE',
      message: `InvocationType ${JSON.stringify(invocationType)} is not supported locally; only 'RequestResponse' is`,
      pointer: `${pointer}/Parameters/InvocationType`,
    });
  }
  if ('FunctionName.$' in parameters) {
    diagnostics.push({
      code: 'LOCAL_DYNAMIC_FUNCTION',
      message:
        "'FunctionName.$' is resolved at run time in AWS; the local endpoint binds handlers when the state machine is created, so name the function statically",
      pointer: `${pointer}/Parameters/FunctionName.$`,
    });
    return undefined;
  }
  const functionName = parameters.FunctionName;
  if (typeof functionName !== 'string') {
    diagnostics.push({
      code: 'LOCAL_FUNCTION_NAME_MISSING',
      message: 'arn:aws:states:::lambda:invoke needs Parameters.FunctionName',
      pointer: `${pointer}/Parameters`,
    });
    return undefined;
  }
  const resolved = resolveFunction(functionName, functionArns);
  if (typeof resolved === 'string') return { stateName, functionArn: resolved, integration: 'lambda-invoke' };
  diagnostics.push({ ...resolved, pointer: `${pointer}/Parameters/FunctionName` });
  return undefined;
}

/**
 * Finds the handler for a function reference: the exact ARN first (a qualified ARN may be registered
 * on its own), then the unqualified ARN; a bare or partial name must match exactly one registered ARN.
 */
export function resolveFunction(
  reference: string,
  functionArns: readonly string[],
): string | Omit<DefinitionDiagnostic, 'pointer'> {
  if (functionArns.includes(reference)) return reference;
  const parsed = parseLambdaFunctionRef(reference);
  if (!parsed) {
    return {
      code: 'LOCAL_FUNCTION_REFERENCE',
      message: `'${reference}' is not a Lambda function name or ARN`,
    };
  }
  if (parsed.kind === 'arn') {
    if (functionArns.includes(parsed.unqualifiedArn)) return parsed.unqualifiedArn;
    return unknownFunction(reference, functionArns);
  }
  const matches = functionArns.filter((arn) => {
    const candidate = parseLambdaFunctionRef(arn);
    return (
      candidate?.kind === 'arn' &&
      candidate.name === parsed.name &&
      (parsed.accountId === undefined || candidate.unqualifiedArn.split(':')[4] === parsed.accountId)
    );
  });
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    return {
      code: 'LOCAL_FUNCTION_AMBIGUOUS',
      message: `Function name '${reference}' matches ${matches.length} registered functions (${matches.join(', ')}); use the full ARN`,
    };
  }
  return unknownFunction(reference, functionArns);
}

function unknownFunction(
  reference: string,
  functionArns: readonly string[],
): Omit<DefinitionDiagnostic, 'pointer'> {
  const known = functionArns.length > 0 ? functionArns.join(', ') : 'none';
  return {
    code: 'LOCAL_UNKNOWN_FUNCTION',
    message: `No local handler for Lambda function '${reference}'; registered functions: ${known}`,
  };
}
