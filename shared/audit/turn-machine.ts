import type { ExecutionOutcome } from '../../infra/local/sfn-endpoint/executor.ts';
import { LocalExecutor } from '../../infra/local/sfn-endpoint/executor.ts';
import type { LambdaHandler } from '../../infra/local/sfn-endpoint/lambda-bridge.ts';
import {
  type PreparedDefinition,
  prepareDefinition,
} from '../../infra/local/sfn-endpoint/prepare-definition.ts';
import type { CompiledProcedure } from './procedures.ts';

/**
 * Runs a compiled procedure's ASL in-process, one turn per execution, with the local Step Functions
 * executor the platform itself runs locally (same validation, same rewrites, same Lambda error
 * mapping): the Task states call the step functions given, with the Lambda event boundary (JSON copy)
 * in between. Retry and Wait delays are skipped: they change when things happen, never what.
 */

export interface StepHandlers {
  readonly understand: LambdaHandler;
  readonly runTool: LambdaHandler;
  readonly reply: LambdaHandler;
  readonly handoff: LambdaHandler;
}

const FUNCTION_ARNS = {
  UnderstandFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:replay-understand',
  ToolFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:replay-run-tool',
  ReplyFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:replay-reply',
  HandoffFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:replay-handoff',
} as const;

// Validating and binding a definition costs tens of milliseconds; a compiled version never changes.
const prepared = new Map<string, PreparedDefinition>();

function prepare(procedure: CompiledProcedure): PreparedDefinition {
  const cached = prepared.get(procedure.key);
  if (cached) return cached;
  const definition = JSON.stringify(procedure.asl).replace(
    /\$\{([A-Za-z]+)\}/g,
    (whole, key: string) => (FUNCTION_ARNS as Record<string, string>)[key] ?? whole,
  );
  const ready = prepareDefinition(definition, Object.values(FUNCTION_ARNS));
  prepared.set(procedure.key, ready);
  return ready;
}

export interface TurnMachine {
  /** Runs one turn; `stop()` from inside a step ends the execution as ABORTED. */
  run(input: unknown, name: string): { outcome: Promise<ExecutionOutcome>; stop(): void };
}

export function createTurnMachine(procedure: CompiledProcedure, handlers: StepHandlers): TurnMachine {
  const byArn: Record<string, LambdaHandler> = {
    [FUNCTION_ARNS.UnderstandFunctionArn]: handlers.understand,
    [FUNCTION_ARNS.ToolFunctionArn]: handlers.runTool,
    [FUNCTION_ARNS.ReplyFunctionArn]: handlers.reply,
    [FUNCTION_ARNS.HandoffFunctionArn]: handlers.handoff,
  };
  const executor = new LocalExecutor(
    prepare(procedure),
    (arn) => {
      const handler = byArn[arn];
      if (!handler) throw new Error(`No replay handler for ${arn}`);
      return handler;
    },
    { retryDelayMs: 0, waitDelayMs: 0 },
  );
  return {
    run(input, name) {
      const started = new Date(0);
      const running = executor.start(input, {
        executionArn: `arn:aws:states:us-east-1:000000000000:execution:replay-${procedure.aopId}:${name}`,
        executionName: name,
        roleArn: 'arn:aws:iam::000000000000:role/replay',
        stateMachineArn: `arn:aws:states:us-east-1:000000000000:stateMachine:replay-${procedure.aopId}`,
        stateMachineName: `replay-${procedure.aopId}`,
        startDate: started,
      });
      return { outcome: running.outcome, stop: () => running.abort() };
    },
  };
}
