import type { DescribeExecutionInput, StartExecutionInput } from './api-schemas.ts';
import { type ArnScope, assertValidName, executionArn, invalidArn, parseExecutionArn } from './arns.ts';
import { SfnServiceError } from './errors.ts';
import type { ExecutionOutcome, RunningExecution } from './executor.ts';
import type { ExecutionTarget, StateMachines } from './state-machines.ts';

/** Express executions may run 5 minutes; the service stops them after that. */
const EXPRESS_MAX_DURATION_MS = 5 * 60 * 1000;

type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface ExecutionRecord {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: Date;
  readonly stateMachineVersionArn: string | undefined;
  readonly stateMachineAliasArn: string | undefined;
  status: ExecutionStatus;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
}

export interface ExecutionsOptions {
  readonly scope: ArnScope;
  readonly machines: StateMachines;
  readonly now?: () => Date;
}

/**
 * Starting and describing executions: the data-plane half of the local endpoint. Standard executions
 * are kept (in memory, until the endpoint stops) so DescribeExecution can answer; Express ones are
 * not kept, as in AWS, where DescribeExecution does not accept Express execution ARNs.
 */
export class Executions {
  readonly #records = new Map<string, ExecutionRecord>();
  readonly #running = new Set<RunningExecution>();
  readonly #options: ExecutionsOptions;

  constructor(options: ExecutionsOptions) {
    this.#options = options;
  }

  async startSyncExecution(input: StartExecutionInput) {
    const target = this.#options.machines.resolveExecutionTarget(input.stateMachineArn);
    if (target.machine.type !== 'EXPRESS') {
      throw new SfnServiceError(
        'StateMachineTypeNotSupported',
        `StartSyncExecution runs EXPRESS state machines only; '${target.machine.arn}' is ${target.machine.type}`,
      );
    }
    const record = this.#newRecord(target, input);
    const outcome = await this.#run(target, record, parseInput(record.input), EXPRESS_MAX_DURATION_MS);
    this.#settle(record, outcome);
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      startDate: record.startDate,
      stopDate: record.stopDate,
      // StartSyncExecution reports SUCCEEDED, FAILED or TIMED_OUT; an endpoint shutdown is a failure.
      status: record.status === 'ABORTED' ? ('FAILED' as const) : record.status,
      output: record.output,
      outputDetails: record.output === undefined ? undefined : { included: true },
      error: record.status === 'ABORTED' ? 'States.Runtime' : record.error,
      cause: record.status === 'ABORTED' ? 'The local endpoint stopped during the execution' : record.cause,
      input: record.input,
      inputDetails: { included: true },
    };
  }

  startExecution(input: StartExecutionInput) {
    const target = this.#options.machines.resolveExecutionTarget(input.stateMachineArn);
    if (target.machine.type === 'STANDARD' && input.name !== undefined) {
      const arn = executionArn(this.#options.scope, target.machine.name, input.name, 'STANDARD');
      const existing = this.#records.get(arn);
      if (existing) {
        // Standard StartExecution is idempotent for a running execution with the same name and input.
        if (existing.status === 'RUNNING' && existing.input === (input.input ?? '{}')) {
          return { executionArn: existing.executionArn, startDate: existing.startDate };
        }
        throw new SfnServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
      }
    }
    const record = this.#newRecord(target, input);
    const parsed = parseInput(record.input);
    if (target.machine.type === 'STANDARD') this.#records.set(record.executionArn, record);
    const maxDuration = target.machine.type === 'EXPRESS' ? EXPRESS_MAX_DURATION_MS : undefined;
    // The outcome promise never rejects: the executor turns every failure into an outcome.
    void this.#run(target, record, parsed, maxDuration).then((outcome) => this.#settle(record, outcome));
    return { executionArn: record.executionArn, startDate: record.startDate };
  }

  describeExecution(input: DescribeExecutionInput) {
    if (parseExecutionArn(input.executionArn).kind === 'express') {
      throw invalidArn(input.executionArn, 'Resource type not valid in this context: express');
    }
    const record = this.#records.get(input.executionArn);
    if (!record) {
      throw new SfnServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${input.executionArn}'`);
    }
    return {
      executionArn: record.executionArn,
      stateMachineArn: record.stateMachineArn,
      name: record.name,
      status: record.status,
      startDate: record.startDate,
      stopDate: record.stopDate,
      input: record.input,
      inputDetails: { included: true },
      output: record.output,
      outputDetails: record.output === undefined ? undefined : { included: true },
      error: record.error,
      cause: record.cause,
      stateMachineVersionArn: record.stateMachineVersionArn,
      stateMachineAliasArn: record.stateMachineAliasArn,
      redriveCount: 0,
    };
  }

  /** Aborts every running execution and waits for them to settle. */
  async stop(): Promise<void> {
    const running = [...this.#running];
    for (const execution of running) execution.abort();
    await Promise.all(running.map((execution) => execution.outcome));
  }

  #newRecord(target: ExecutionTarget, input: StartExecutionInput): ExecutionRecord {
    const name = input.name ?? crypto.randomUUID();
    assertValidName(name, 'execution');
    const text = input.input ?? '{}';
    return {
      executionArn: executionArn(this.#options.scope, target.machine.name, name, target.machine.type),
      stateMachineArn: target.machine.arn,
      name,
      input: text,
      startDate: this.#now(),
      stateMachineVersionArn: target.versionArn,
      stateMachineAliasArn: target.aliasArn,
      status: 'RUNNING',
    };
  }

  async #run(
    target: ExecutionTarget,
    record: ExecutionRecord,
    input: unknown,
    maxDurationMs?: number,
  ): Promise<ExecutionOutcome> {
    const running = target.revision.executor.start(
      input,
      {
        executionArn: record.executionArn,
        executionName: record.name,
        roleArn: target.revision.roleArn,
        stateMachineArn: target.machine.arn,
        stateMachineName: target.machine.name,
        startDate: record.startDate,
      },
      maxDurationMs,
    );
    this.#running.add(running);
    try {
      return await running.outcome;
    } finally {
      this.#running.delete(running);
    }
  }

  #settle(record: ExecutionRecord, outcome: ExecutionOutcome): void {
    record.status = outcome.status;
    record.stopDate = this.#now();
    if (outcome.status === 'SUCCEEDED') {
      record.output = outcome.output;
      return;
    }
    if (outcome.error !== undefined) record.error = outcome.error;
    if (outcome.cause !== undefined) record.cause = outcome.cause;
  }

  #now(): Date {
    return this.#options.now?.() ?? new Date();
  }
}

function parseInput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SfnServiceError(
      'InvalidExecutionInput',
      `Invalid State Machine Execution Input: '${(error as Error).message}'`,
    );
  }
}
