import '../../../shared/polyfills.ts';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  type RunOptions,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { type LambdaHandler, taskHandlerFor } from './lambda-bridge.ts';
import { EXECUTION_CONTEXT_KEY } from './local-rewrites.ts';
import type { PreparedDefinition } from './prepare-definition.ts';

export interface ExecutorTiming {
  /**
   * When set, every `Retry` waits this many milliseconds instead of `IntervalSeconds` ×
   * `BackoffRate`^attempt (capped by `MaxDelaySeconds`, with jitter). Default: the real backoff.
   */
  readonly retryDelayMs?: number;
  /** When set, every Wait state waits this many milliseconds instead of its own duration. Default: real. */
  readonly waitDelayMs?: number;
}

/** What the execution's context object (`$$`) says about it. */
export interface ExecutionIdentity {
  readonly executionArn: string;
  readonly executionName: string;
  readonly roleArn: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly startDate: Date;
}

export type ExecutionOutcome =
  | { readonly status: 'SUCCEEDED'; readonly output: string }
  | { readonly status: 'FAILED' | 'TIMED_OUT' | 'ABORTED'; readonly error?: string; readonly cause?: string };

export interface RunningExecution {
  readonly outcome: Promise<ExecutionOutcome>;
  abort(): void;
}

/**
 * Who is told each state an execution enters (`aop simulate` measures branch coverage with it): the
 * execution's name with `'started'` when it starts, each state's name as it is entered, and `'ended'`
 * once its log of states has been read to the end (the log is read as the execution runs and may trail
 * its answer). No compiled state is named `started` or `ended`. Process-wide, because the local
 * endpoint's executors are built where no caller can reach them; nothing listens in production.
 */
export type StateListener = (executionName: string, state: string | 'started' | 'ended') => void;
const stateListeners = new Set<StateListener>();

/** Listens to every state entered by every local execution in this process until the returned stop. */
export function observeStates(listener: StateListener): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}

/** What the executor uses when a Fail state names no Error or no Cause (AWS then reports none). */
const FAIL_STATE_DEFAULT_ERROR = 'FailStateError';
const FAIL_STATE_DEFAULT_CAUSE = 'Execution failed because of a Fail state';

/**
 * One aws-local-stepfunctions `StateMachine` for one prepared definition, built once and run many
 * times. The definition was validated by `prepareDefinition`, so the executor's own validation (about
 * 65 ms a build) is skipped; every Task state has a local handler, so it never calls AWS.
 */
export class LocalExecutor {
  readonly #machine: StateMachine;
  readonly #overrides: NonNullable<RunOptions['overrides']>;

  constructor(
    prepared: PreparedDefinition,
    lookup: (functionArn: string) => LambdaHandler,
    timing: ExecutorTiming = {},
  ) {
    this.#machine = new StateMachine(prepared.local as unknown as StateMachineDefinition, {
      validationOptions: { noValidate: true },
    });
    this.#overrides = {
      taskResourceLocalHandlers: Object.fromEntries(
        prepared.tasks.map((binding) => [binding.stateName, taskHandlerFor(binding, lookup)]),
      ) as NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers'],
      ...(timing.retryDelayMs === undefined
        ? {}
        : { retryIntervalOverrides: byName(prepared.retryStateNames, timing.retryDelayMs) }),
      ...(timing.waitDelayMs === undefined
        ? {}
        : { waitTimeOverrides: byName(prepared.waitStateNames, timing.waitDelayMs) }),
    };
  }

  /**
   * Starts an execution. `maxDurationMs` is the service's own limit (5 minutes for Express); the
   * definition's `TimeoutSeconds` is enforced by the executor. Both end as TIMED_OUT.
   */
  start(input: unknown, identity: ExecutionIdentity, maxDurationMs?: number): RunningExecution {
    const execution = {
      Id: identity.executionArn,
      Input: input,
      Name: identity.executionName,
      RoleArn: identity.roleArn,
      StartTime: identity.startDate.toISOString(),
      RedriveCount: 0,
    };
    const run = this.#machine.run(input as never, {
      overrides: this.#overrides,
      context: {
        [EXECUTION_CONTEXT_KEY]: execution,
        Execution: execution,
        StateMachine: { Id: identity.stateMachineArn, Name: identity.stateMachineName },
      } as RunOptions['context'],
    });
    if (stateListeners.size > 0) {
      for (const listener of stateListeners) listener(identity.executionName, 'started');
      void reportStates(run.eventLogs, identity.executionName);
    }
    let overran = false;
    const limit =
      maxDurationMs === undefined
        ? undefined
        : setTimeout(() => {
            overran = true;
            run.abort();
          }, maxDurationMs).unref();
    const outcome = run.result.then(
      (output): ExecutionOutcome => ({ status: 'SUCCEEDED', output: JSON.stringify(output ?? null) }),
      (error: unknown): ExecutionOutcome => failureOf(error, overran),
    );
    return {
      outcome: outcome.finally(() => clearTimeout(limit)),
      abort: () => run.abort(),
    };
  }
}

async function reportStates(
  logs: ReturnType<StateMachine['run']>['eventLogs'],
  executionName: string,
): Promise<void> {
  try {
    for await (const event of logs)
      if (event.type === 'StateEntered')
        for (const listener of stateListeners) listener(executionName, event.state.name);
  } catch {
    // The execution's own outcome reports its failure; the log of states only stops.
  }
  for (const listener of stateListeners) listener(executionName, 'ended');
}

function byName(names: readonly string[], value: number): Record<string, number> {
  return Object.fromEntries(names.map((name) => [name, value]));
}

function failureOf(error: unknown, overran: boolean): ExecutionOutcome {
  if (error instanceof ExecutionTimeoutError) {
    return {
      status: 'TIMED_OUT',
      error: 'States.Timeout',
      cause: 'The execution ran longer than its TimeoutSeconds',
    };
  }
  if (error instanceof ExecutionAbortedError) {
    return overran
      ? {
          status: 'TIMED_OUT',
          error: 'States.Timeout',
          cause: 'The execution ran longer than the service allows',
        }
      : { status: 'ABORTED' };
  }
  if (error instanceof ExecutionError && error.cause instanceof Error) {
    const failure = error.cause;
    const fromFailState = failure.constructor.name === 'FailStateError';
    const name = fromFailState && failure.name === FAIL_STATE_DEFAULT_ERROR ? undefined : failure.name;
    const cause = fromFailState && failure.message === FAIL_STATE_DEFAULT_CAUSE ? undefined : failure.message;
    return {
      status: 'FAILED',
      ...(name === undefined ? {} : { error: name }),
      ...(cause === undefined ? {} : { cause }),
    };
  }
  // Not an execution failure: a defect in the executor or the endpoint. Report it, do not hide it.
  return {
    status: 'FAILED',
    error: 'States.Runtime',
    cause: error instanceof Error ? error.message : String(error),
  };
}
