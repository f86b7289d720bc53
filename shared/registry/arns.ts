/**
 * Step Functions ARNs of an AOP's state machine: the machine `…:stateMachine:NAME`, a version
 * `…:stateMachine:NAME:N` and an alias `…:stateMachine:NAME:live`. Registry version N runs as state
 * machine version N (see machines.ts), so a pinned conversation's ARN is computed, not looked up.
 */
const STATE_MACHINE_ARN = /^(arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+)(?::([^:]+))?$/;

export interface StateMachineArnParts {
  /** The unqualified machine ARN. */
  readonly machineArn: string;
  readonly qualifier:
    | { readonly kind: 'version'; readonly version: number }
    | { readonly kind: 'alias'; readonly alias: string }
    | null;
}

/** Undefined for anything that is not a state machine ARN. */
export function parseStateMachineArn(arn: string): StateMachineArnParts | undefined {
  const match = STATE_MACHINE_ARN.exec(arn);
  if (!match) return undefined;
  const machineArn = match[1]!;
  const qualifier = match[2];
  if (qualifier === undefined) return { machineArn, qualifier: null };
  return /^\d+$/.test(qualifier)
    ? { machineArn, qualifier: { kind: 'version', version: Number(qualifier) } }
    : { machineArn, qualifier: { kind: 'alias', alias: qualifier } };
}

/** The version ARN of `version` of the machine `arn` (machine, version or alias ARN) belongs to. */
export function versionArnOf(arn: string, version: number): string {
  const parts = parseStateMachineArn(arn);
  if (!parts)
    throw new TypeError(
      `'${arn}' is not a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME[:QUALIFIER])`,
    );
  return `${parts.machineArn}:${version}`;
}

export function aliasArnOf(arn: string, alias: string): string {
  const parts = parseStateMachineArn(arn);
  if (!parts)
    throw new TypeError(
      `'${arn}' is not a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME[:QUALIFIER])`,
    );
  return `${parts.machineArn}:${alias}`;
}

/** The version number of a version ARN; undefined for other ARNs. */
export function versionOfArn(arn: string): number | undefined {
  const qualifier = parseStateMachineArn(arn)?.qualifier;
  return qualifier?.kind === 'version' ? qualifier.version : undefined;
}

/** The unqualified machine ARN of a machine, version or alias ARN. */
export function machineArnOf(arn: string): string {
  const parts = parseStateMachineArn(arn);
  if (!parts)
    throw new TypeError(
      `'${arn}' is not a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME[:QUALIFIER])`,
    );
  return parts.machineArn;
}
