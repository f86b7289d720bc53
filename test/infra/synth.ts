import { appendFileSync, readFileSync } from 'node:fs';
import type { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { inject } from 'vitest';
import { createTenantApp } from '../../infra/aws/tenant-app.ts';
import type { TenantStack } from '../../infra/aws/tenant-stack.ts';

export interface SynthesizedTenant {
  readonly app: App;
  readonly stack: TenantStack;
  readonly template: Template;
  /** Wall time of compile + bundle + synth, for the record. */
  readonly milliseconds: number;
}

const synthesized = new Map<string, Promise<SynthesizedTenant>>();

/**
 * A tenant's stack built exactly as `cdk synth -c tenant=NAME` builds it (cdk.json context, AwsSolutions
 * checks registered, real handlers bundled by esbuild), once per test run: 20-60 s each, mostly bundling.
 * The infra test files share one process (vitest.config.ts, project `infra`), so every file that asks for
 * a tenant gets the same stack; treat it as read-only.
 */
export function synthTenant(tenant: string): Promise<SynthesizedTenant> {
  let pending = synthesized.get(tenant);
  if (pending === undefined) {
    pending = synthesize(tenant);
    synthesized.set(tenant, pending);
  }
  return pending;
}

async function synthesize(tenant: string): Promise<SynthesizedTenant> {
  noteSynthesis(tenant);
  const started = performance.now();
  const { app, stack } = await createTenantApp({ tenant });
  const template = Template.fromStack(stack);
  const milliseconds = performance.now() - started;
  console.log(`${tenant} synthesized in ${Math.round(milliseconds)} ms (process ${process.pid})`);
  return { app, stack, template, milliseconds };
}

/** How many times each tenant was synthesized in this run, in any process (from the run's log). */
export function synthesesThisRun(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { tenant } of readLog()) counts[tenant] = (counts[tenant] ?? 0) + 1;
  return counts;
}

/** Records a synthesis in the run's log, refusing a second one of the same tenant. */
function noteSynthesis(tenant: string): void {
  const log = runLog();
  if (log === undefined) return;
  const earlier = readLog().find((entry) => entry.tenant === tenant);
  if (earlier) {
    throw new Error(
      `${tenant} was already synthesized in this run, by process ${earlier.pid} (this is ${process.pid}). ` +
        'The infra test files share one process so that each tenant is built once: keep them in the ' +
        "vitest project 'infra' (isolate: false, one worker) and get stacks from synthTenant().",
    );
  }
  appendFileSync(log, `${JSON.stringify({ tenant, pid: process.pid })}\n`);
}

/** The run's log, made by test/infra/synth-setup.ts; undefined outside the infra project. */
function runLog(): string | undefined {
  return inject('infraSynthLog');
}

function readLog(): { tenant: string; pid: number }[] {
  const log = runLog();
  if (log === undefined) return [];
  let text: string;
  try {
    text = readFileSync(log, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { tenant: string; pid: number });
}

/** `{ Ref: X }` / `{ 'Fn::GetAtt': [X, …] }` → X, for following references inside a template. */
export function referencedId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const ref = (value as { Ref?: unknown }).Ref;
  if (typeof ref === 'string') return ref;
  const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/** The logical id of the single resource of `type` whose properties contain `properties`. */
export function logicalIdOf(template: Template, type: string, properties: Record<string, unknown>): string {
  const found = Object.keys(template.findResources(type, { Properties: properties }));
  if (found.length !== 1) {
    throw new Error(
      `Expected one ${type} with ${JSON.stringify(properties)}, found ${found.length}: ${found.join(', ')}`,
    );
  }
  return found[0]!;
}

export interface PolicyStatementJson {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, unknown>;
}

/** Every statement of the policies attached to the role with this logical id. */
export function statementsOfRole(template: Template, roleId: string): PolicyStatementJson[] {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((policy) =>
      ((policy.Properties?.Roles ?? []) as unknown[]).some((role) => referencedId(role) === roleId),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as PolicyStatementJson[]);
}

export function actionsOf(statement: PolicyStatementJson): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: PolicyStatementJson): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** The longest values the pseudo parameters take in a commercial or GovCloud region, for size checks. */
const WORST_CASE_PSEUDO: Record<string, string> = {
  'AWS::Partition': 'aws-us-gov',
  'AWS::Region': 'ap-southeast-5',
  'AWS::AccountId': '123456789012',
  'AWS::URLSuffix': 'amazonaws.com',
};

/**
 * What CloudFormation would deploy for a template value, with worst-case pseudo parameters: literal names
 * for the resources that have one, alias ARNs spelled out, and a four-digit version number. Used to check
 * the Lambda environment against the handlers' own schema and against Lambda's 4 KB limit.
 */
export function deployedValue(template: Template, value: unknown): string {
  const resources = template.toJSON().Resources as Record<string, TemplateResource>;
  const arn = (service: string, resource: string) =>
    `arn:${WORST_CASE_PSEUDO['AWS::Partition']}:${service}:${WORST_CASE_PSEUDO['AWS::Region']}:${WORST_CASE_PSEUDO['AWS::AccountId']}:${resource}`;
  const property = (id: string | undefined, name: string): unknown =>
    id === undefined ? undefined : resources[id]?.Properties?.[name];
  const visit = (node: unknown): string => {
    if (typeof node === 'string') return node;
    if (typeof node !== 'object' || node === null) return JSON.stringify(node);
    const intrinsic = node as Intrinsic;
    if (intrinsic['Fn::Join']) return intrinsic['Fn::Join'][1].map(visit).join(intrinsic['Fn::Join'][0]);
    if (intrinsic['Fn::Select']) return '9999';
    if (typeof intrinsic.Ref === 'string') {
      const pseudo = WORST_CASE_PSEUDO[intrinsic.Ref];
      if (pseudo) return pseudo;
      return String(
        property(intrinsic.Ref, 'TableName') ?? property(intrinsic.Ref, 'FunctionName') ?? intrinsic.Ref,
      );
    }
    if (intrinsic['Fn::GetAtt']) {
      const [id] = intrinsic['Fn::GetAtt'];
      if (resources[id]?.Type === 'AWS::StepFunctions::StateMachineAlias') {
        const [route] = property(id, 'RoutingConfiguration') as { StateMachineVersionArn: unknown }[];
        const versionId = referencedId(route?.StateMachineVersionArn);
        const machineId = referencedId(property(versionId, 'StateMachineArn'));
        return arn(
          'states',
          `stateMachine:${property(machineId, 'StateMachineName')}:${property(id, 'Name')}`,
        );
      }
      return arn('unknown', intrinsic['Fn::GetAtt'].join('.'));
    }
    throw new Error(`deployedValue: cannot render ${JSON.stringify(node)}`);
  };
  return visit(value);
}

interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

interface Intrinsic {
  readonly 'Fn::Join'?: [string, unknown[]];
  readonly 'Fn::Select'?: unknown;
  readonly 'Fn::GetAtt'?: [string, string];
  readonly Ref?: string;
}

/** A function's environment as deployed (see `deployedValue`). */
export function deployedEnvironment(template: Template, functionId: string): Record<string, string> {
  const variables = template.toJSON().Resources[functionId].Properties.Environment.Variables as Record<
    string,
    unknown
  >;
  return Object.fromEntries(
    Object.entries(variables).map(([key, value]) => [key, deployedValue(template, value)]),
  );
}
