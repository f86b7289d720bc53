import { RemovalPolicy } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  CfnStateMachineAlias,
  CfnStateMachineVersion,
  DefinitionBody,
  LogLevel,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { acknowledge } from '../nag.ts';
import { PLACEHOLDER_KEYS, type TenantProcedure } from '../procedures.ts';

/** The alias the ingress starts executions on. Moving it to an earlier version is how an AOP is rolled back. */
export const LIVE_ALIAS = 'live';

/** The four step tasks every compiled definition calls. */
export interface StepFunctions {
  readonly understand: IFunction;
  readonly tool: IFunction;
  readonly reply: IFunction;
  readonly handoff: IFunction;
}

export interface ProcedureMachinesProps {
  readonly tenant: string;
  readonly procedures: readonly TenantProcedure[];
  readonly steps: StepFunctions;
  readonly key: IKey;
  readonly logRetention: RetentionDays;
}

export interface ProcedureMachine {
  readonly procedure: TenantProcedure;
  readonly stateMachine: StateMachine;
  readonly version: CfnStateMachineVersion;
  readonly alias: CfnStateMachineAlias;
  /** `arn:…:stateMachine:<tenant>-<aop>:live`. */
  readonly aliasArn: string;
}

/**
 * One Express state machine per procedure AOP (one execution per customer turn), its definition the
 * compiler's ASL with the four function placeholders substituted by CDK. Each definition change publishes
 * a new version (the version is replaced when the revision id changes; replaced versions are retained, so
 * the `live` alias can be moved back to one), and `live` points at the newest.
 */
export class ProcedureMachines extends Construct {
  readonly machines: readonly ProcedureMachine[];
  /** Shared execution-history log group (`/aws/vendedlogs/…` keeps the logs resource policy small). */
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ProcedureMachinesProps) {
    super(scope, id);
    const { tenant, steps } = props;

    this.logGroup = new LogGroup(this, 'ExecutionLogs', {
      logGroupName: `/aws/vendedlogs/states/${tenant}-procedures`,
      retention: props.logRetention,
      encryptionKey: props.key,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // One role for the tenant's state machines: they all call the same four tasks and nothing else.
    this.role = new Role(this, 'Role', {
      roleName: `${tenant}-procedures`,
      assumedBy: new ServicePrincipal('states.amazonaws.com'),
      description: `${tenant}: state machines invoke the understand, run-tool, reply and handoff functions only`,
    });
    this.role.addToPolicy(
      new PolicyStatement({
        sid: 'InvokeStepTasks',
        actions: ['lambda:InvokeFunction'],
        // The ASL names the unqualified function ARNs, so nothing else (no versions, no other function).
        resources: [steps.understand, steps.tool, steps.reply, steps.handoff].map((fn) => fn.functionArn),
      }),
    );

    acknowledge(
      this.role,
      'AwsSolutions-IAM5[Resource::*]',
      'Only for execution logging and X-Ray: logs:CreateLogDelivery/GetLogDelivery/UpdateLogDelivery/DeleteLogDelivery/ListLogDeliveries/PutResourcePolicy/DescribeResourcePolicies/DescribeLogGroups and xray:PutTraceSegments/PutTelemetryRecords/GetSamplingRules/GetSamplingTargets have no resource-level permissions; Lambda invocation names the four functions.',
    );

    const substitutions = {
      [PLACEHOLDER_KEYS.understand]: steps.understand.functionArn,
      [PLACEHOLDER_KEYS.tool]: steps.tool.functionArn,
      [PLACEHOLDER_KEYS.reply]: steps.reply.functionArn,
      [PLACEHOLDER_KEYS.handoff]: steps.handoff.functionArn,
    };

    this.machines = props.procedures.map((procedure) => {
      // The construct id is the AOP id: stable across edits and reorderings of the AOP folder.
      const scope = new Construct(this, procedure.id);
      const stateMachine = new StateMachine(scope, 'StateMachine', {
        stateMachineName: `${tenant}-${procedure.id}`,
        stateMachineType: StateMachineType.EXPRESS,
        definitionBody: DefinitionBody.fromString(JSON.stringify(procedure.asl)),
        definitionSubstitutions: substitutions,
        role: this.role,
        tracingEnabled: true,
        logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const version = new CfnStateMachineVersion(scope, 'Version', {
        stateMachineArn: stateMachine.stateMachineArn,
        stateMachineRevisionId: stateMachine.stateMachineRevisionId,
        description: `${procedure.id} source ${procedure.sourceHash.slice(0, 12)}, compiler ${procedure.compilerVersion}`,
      });
      // A new revision replaces this resource (a new version is published); the old one is kept so the alias
      // can be moved back to it. Retained versions go when the state machine is deleted (Step Functions
      // deletes a machine's versions and aliases with it).
      version.applyRemovalPolicy(RemovalPolicy.RETAIN);
      const alias = new CfnStateMachineAlias(scope, 'LiveAlias', {
        name: LIVE_ALIAS,
        description: `${procedure.id}: the version customers talk to`,
        routingConfiguration: [{ stateMachineVersionArn: version.attrArn, weight: 100 }],
      });
      return { procedure, stateMachine, version, alias, aliasArn: alias.attrArn };
    });
  }
}
