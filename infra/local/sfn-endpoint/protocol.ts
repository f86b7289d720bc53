import type { z } from 'zod';
import {
  CreateStateMachineAliasInput,
  CreateStateMachineInput,
  DescribeExecutionInput,
  DescribeStateMachineAliasInput,
  DescribeStateMachineInput,
  ListStateMachineVersionsInput,
  PublishStateMachineVersionInput,
  StartExecutionInput,
  UpdateStateMachineAliasInput,
  UpdateStateMachineInput,
} from './api-schemas.ts';
import { isSfnServiceError, SfnServiceError } from './errors.ts';
import type { LocalSfnRegistry } from './registry.ts';

/**
 * The AWS JSON 1.0 protocol as Step Functions speaks it: `POST /`, the action in
 * `X-Amz-Target: AWSStepFunctions.<Action>`, a JSON request body, a JSON response body with
 * timestamps as epoch seconds, and errors as HTTP 400 with `{"__type": "<namespace>#<Exception>",
 * "message": ...}`, which the SDK turns into its typed exceptions.
 */

const TARGET_PREFIX = 'AWSStepFunctions.';

interface Action<S extends z.ZodType> {
  readonly input: S;
  readonly run: (registry: LocalSfnRegistry, input: z.infer<S>) => unknown;
}

function action<S extends z.ZodType>(
  input: S,
  run: (registry: LocalSfnRegistry, input: z.infer<S>) => unknown,
): Action<S> {
  return { input, run };
}

export const ACTIONS: Readonly<Record<string, Action<z.ZodType>>> = {
  CreateStateMachine: action(CreateStateMachineInput, (r, i) => r.machines.createStateMachine(i)),
  DescribeStateMachine: action(DescribeStateMachineInput, (r, i) => r.machines.describeStateMachine(i)),
  UpdateStateMachine: action(UpdateStateMachineInput, (r, i) => r.machines.updateStateMachine(i)),
  PublishStateMachineVersion: action(PublishStateMachineVersionInput, (r, i) =>
    r.machines.publishStateMachineVersion(i),
  ),
  ListStateMachineVersions: action(ListStateMachineVersionsInput, (r, i) =>
    r.machines.listStateMachineVersions(i),
  ),
  CreateStateMachineAlias: action(CreateStateMachineAliasInput, (r, i) =>
    r.machines.createStateMachineAlias(i),
  ),
  UpdateStateMachineAlias: action(UpdateStateMachineAliasInput, (r, i) =>
    r.machines.updateStateMachineAlias(i),
  ),
  DescribeStateMachineAlias: action(DescribeStateMachineAliasInput, (r, i) =>
    r.machines.describeStateMachineAlias(i),
  ),
  StartSyncExecution: action(StartExecutionInput, (r, i) => r.executions.startSyncExecution(i)),
  StartExecution: action(StartExecutionInput, (r, i) => r.executions.startExecution(i)),
  DescribeExecution: action(DescribeExecutionInput, (r, i) => r.executions.describeExecution(i)),
};

export interface ProtocolResponse {
  readonly status: number;
  readonly body: string;
}

/** Answers one request. Never throws: every failure becomes an error response. */
export async function answer(
  registry: LocalSfnRegistry,
  target: string | undefined,
  body: string,
): Promise<ProtocolResponse> {
  try {
    const name = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
    const handler = name === undefined ? undefined : ACTIONS[name];
    if (!handler) {
      throw new SfnServiceError(
        'UnknownOperationException',
        `Unknown operation: X-Amz-Target '${target ?? ''}'`,
      );
    }
    const output = await handler.run(registry, parseRequest(handler.input, body));
    return { status: 200, body: JSON.stringify(toWire(output)) };
  } catch (error) {
    if (isSfnServiceError(error)) {
      return {
        status: 400,
        body: JSON.stringify({ __type: error.wireType, message: error.message, ...error.members }),
      };
    }
    return {
      status: 500,
      body: JSON.stringify({
        __type: 'com.amazonaws.swf.service.v2.model#InternalError',
        message: `The local Step Functions endpoint failed: ${error instanceof Error ? error.message : String(error)}`,
      }),
    };
  }
}

function parseRequest<S extends z.ZodType>(schema: S, body: string): z.infer<S> {
  let json: unknown;
  try {
    json = body.trim() === '' ? {} : JSON.parse(body);
  } catch (error) {
    throw new SfnServiceError(
      'SerializationException',
      `The request body is not JSON: ${(error as Error).message}`,
    );
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(
    (issue) => `Value at '${issue.path.join('.')}' failed to satisfy constraint: ${issue.message}`,
  );
  const count = problems.length;
  throw new SfnServiceError(
    'ValidationException',
    `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
  );
}

/** JSON 1.0 sends timestamps as epoch seconds; undefined members are left out. */
export function toWire(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(toWire);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, member]) => member !== undefined)
        .map(([key, member]) => [key, toWire(member)]),
    );
  }
  return value;
}
