import { SfnServiceError } from './errors.ts';

/** Where the local endpoint pretends to live; only used to build and check ARNs. */
export interface ArnScope {
  readonly region: string;
  readonly accountId: string;
}

export type StateMachineQualifier =
  | { readonly kind: 'version'; readonly version: number }
  | { readonly kind: 'alias'; readonly alias: string };

export interface ParsedStateMachineArn {
  readonly region: string;
  readonly accountId: string;
  readonly name: string;
  /** Absent for the state machine itself, set for `...:name:3` (version) and `...:name:live` (alias). */
  readonly qualifier?: StateMachineQualifier;
}

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):stateMachine:([^:]+)(?::([^:]+))?$/;
const EXECUTION_ARN =
  /^arn:aws[a-z-]*:states:([a-z0-9-]+):(\d{12}):(execution|express):([^:]+):([^:]+)(?::([^:]+))?$/;
/** Step Functions' rule for state machine and execution names (it lists the same characters). */
const FORBIDDEN_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;
const ALIAS_NAME = /^(?=.*[a-zA-Z_.-])[a-zA-Z0-9_.-]{1,80}$/;

export function stateMachineArn(scope: ArnScope, name: string): string {
  return `arn:aws:states:${scope.region}:${scope.accountId}:stateMachine:${name}`;
}

export function executionArn(
  scope: ArnScope,
  machineName: string,
  executionName: string,
  type: 'STANDARD' | 'EXPRESS',
): string {
  // Express execution ARNs carry a run id after the name; Standard ones are unique by name.
  return type === 'EXPRESS'
    ? `arn:aws:states:${scope.region}:${scope.accountId}:express:${machineName}:${executionName}:${crypto.randomUUID()}`
    : `arn:aws:states:${scope.region}:${scope.accountId}:execution:${machineName}:${executionName}`;
}

export function parseStateMachineArn(arn: string): ParsedStateMachineArn {
  const match = STATE_MACHINE_ARN.exec(arn);
  if (!match) throw invalidArn(arn);
  const [, region, accountId, name, qualifier] = match as unknown as [
    string,
    string,
    string,
    string,
    string?,
  ];
  if (qualifier === undefined) return { region, accountId, name };
  if (/^\d+$/.test(qualifier))
    return { region, accountId, name, qualifier: { kind: 'version', version: Number(qualifier) } };
  return { region, accountId, name, qualifier: { kind: 'alias', alias: qualifier } };
}

export function parseExecutionArn(arn: string): { readonly kind: 'execution' | 'express' } {
  const match = EXECUTION_ARN.exec(arn);
  if (!match) throw invalidArn(arn);
  return { kind: match[3] === 'express' ? 'express' : 'execution' };
}

export function invalidArn(arn: string, why?: string): SfnServiceError {
  return new SfnServiceError('InvalidArn', why ? `Invalid Arn: '${why}: ${arn}'` : `Invalid Arn: '${arn}'`);
}

/** Names of state machines and executions: 1 to 80 characters, none of the characters AWS forbids. */
export function assertValidName(name: string, what: 'state machine' | 'execution'): void {
  if (
    name.length === 0 ||
    name.length > 80 ||
    FORBIDDEN_NAME_CHARACTERS.test(name) ||
    hasControlCharacter(name)
  ) {
    throw new SfnServiceError(
      'InvalidName',
      `Invalid Name: '${name}' (a ${what} name has 1 to 80 characters, without white space, brackets, ` +
        'wildcards, control characters or any of " # % \\ ^ | ~ ` $ & , ; : /)',
    );
  }
}

/** U+0000 to U+001F and U+007F to U+009F. */
function hasControlCharacter(name: string): boolean {
  return [...name].some((char) => {
    const code = char.codePointAt(0) ?? 0;
    return code <= 0x1f || (code >= 0x7f && code <= 0x9f);
  });
}

/** Alias names must not look like version numbers, so `...:name:3` is always a version. */
export function assertValidAliasName(name: string): void {
  if (!ALIAS_NAME.test(name)) {
    throw new SfnServiceError(
      'ValidationException',
      `Invalid alias name '${name}': use 1 to 80 of a-z A-Z 0-9 _ . -, with at least one non-digit`,
    );
  }
}

const LAMBDA_FUNCTION_ARN =
  /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/;
const LAMBDA_PARTIAL_ARN = /^(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/;
const LAMBDA_NAME = /^([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/;

/** A way to name a Lambda function: full ARN, partial ARN (`123456789012:function:f`) or name. */
export type LambdaFunctionRef =
  | {
      readonly kind: 'arn';
      readonly unqualifiedArn: string;
      readonly name: string;
      readonly qualifier?: string;
    }
  | {
      readonly kind: 'name';
      readonly accountId?: string;
      readonly name: string;
      readonly qualifier?: string;
    };

export function parseLambdaFunctionRef(value: string): LambdaFunctionRef | undefined {
  const arn = LAMBDA_FUNCTION_ARN.exec(value);
  if (arn) {
    const [, partition, region, accountId, name, qualifier] = arn as unknown as [
      string,
      string,
      string,
      string,
      string,
      string?,
    ];
    const unqualifiedArn = `arn:${partition}:lambda:${region}:${accountId}:function:${name}`;
    return qualifier === undefined
      ? { kind: 'arn', unqualifiedArn, name }
      : { kind: 'arn', unqualifiedArn, name, qualifier };
  }
  const partial = LAMBDA_PARTIAL_ARN.exec(value);
  if (partial) {
    const [, accountId, name, qualifier] = partial as unknown as [string, string, string, string?];
    return qualifier === undefined
      ? { kind: 'name', accountId, name }
      : { kind: 'name', accountId, name, qualifier };
  }
  const bare = LAMBDA_NAME.exec(value);
  if (bare) {
    const [, name, qualifier] = bare as unknown as [string, string, string?];
    return qualifier === undefined ? { kind: 'name', name } : { kind: 'name', name, qualifier };
  }
  return undefined;
}
