import { type ArnScope, parseLambdaFunctionRef } from './arns.ts';
import { Executions } from './executions.ts';
import { type ExecutorTiming, LocalExecutor } from './executor.ts';
import type { LambdaHandler } from './lambda-bridge.ts';
import { prepareDefinition } from './prepare-definition.ts';
import { type Revision, StateMachines } from './state-machines.ts';

export interface LocalSfnRegistryOptions {
  /** In-process handlers by Lambda function ARN; Task states bind to them when a definition is stored. */
  readonly lambdas: Readonly<Record<string, LambdaHandler>>;
  /** Region in the ARNs the endpoint hands out. Default: `us-east-1`. */
  readonly region?: string;
  /** Account in the ARNs the endpoint hands out. Default: `123456789012`. */
  readonly accountId?: string;
  /** Opt-in shortcuts for Retry and Wait delays (tests). Default: the definition's real timing. */
  readonly timing?: ExecutorTiming;
  /** Picks among an alias's weighted versions. Default: `Math.random`. */
  readonly random?: () => number;
}

/**
 * Everything the local endpoint holds, usable in-process without HTTP: `machines` (state machines,
 * versions, aliases) and `executions`. Each method takes the action's request shape and returns its
 * response shape with `Date` values; the HTTP layer only adds the wire protocol.
 */
export class LocalSfnRegistry {
  readonly scope: ArnScope;
  readonly machines: StateMachines;
  readonly executions: Executions;
  readonly #lambdas: Map<string, LambdaHandler>;

  constructor(options: LocalSfnRegistryOptions) {
    this.scope = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '123456789012' };
    this.#lambdas = new Map();
    for (const [functionArn, handler] of Object.entries(options.lambdas))
      this.setLambda(functionArn, handler);
    const timing = options.timing ?? {};
    const lookup = (functionArn: string): LambdaHandler => {
      const handler = this.#lambdas.get(functionArn);
      // Bindings are checked when a definition is stored and handlers are never removed.
      if (!handler)
        throw new Error(`No local handler for ${functionArn}; it was bound when the definition was stored`);
      return handler;
    };
    const buildRevision = (definition: string, roleArn: string): Revision => {
      const prepared = prepareDefinition(definition, [...this.#lambdas.keys()]);
      return {
        id: crypto.randomUUID(),
        definition,
        roleArn,
        executor: new LocalExecutor(prepared, lookup, timing),
      };
    };
    this.machines = new StateMachines({
      scope: this.scope,
      buildRevision,
      ...(options.random ? { random: options.random } : {}),
    });
    this.executions = new Executions({ scope: this.scope, machines: this.machines });
  }

  /**
   * Adds or replaces the handler for a function ARN (for example after a dev server reloads a module).
   * Definitions stored earlier keep their bindings and call the new handler from now on.
   */
  setLambda(functionArn: string, handler: LambdaHandler): void {
    if (parseLambdaFunctionRef(functionArn)?.kind !== 'arn') {
      throw new Error(
        `Local Lambda handlers are keyed by function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME); got '${functionArn}'`,
      );
    }
    this.#lambdas.set(functionArn, handler);
  }

  get functionArns(): readonly string[] {
    return [...this.#lambdas.keys()];
  }
}
