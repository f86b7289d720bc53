import { join } from 'node:path';
import { CfnOutput, Fn, Stack, type StackProps, Tags } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { Tenant } from '../../shared/tenant/define-tenant.ts';
import { ChainDigests } from './constructs/chain-digests.ts';
import { DataStores } from './constructs/data-stores.ts';
import { HANDLERS, type HandlerKey, Handlers } from './constructs/handlers.ts';
import { Monitoring, metricNamespace } from './constructs/monitoring.ts';
import { type ProcedureMachine, ProcedureMachines } from './constructs/procedure-machines.ts';
import { TenantApi } from './constructs/tenant-api.ts';
import { TenantConfigError } from './errors.ts';
import { grantModel } from './model-access.ts';
import { acknowledge, wildcardResourceFinding } from './nag.ts';
import type { CompiledTenant } from './procedures.ts';
import type { TenantConfig } from './tenant-config.ts';

export interface TenantStackProps extends StackProps {
  readonly config: TenantConfig;
  /** The tenant's AOPs, compiled at synth time (`compileTenantProcedures`). */
  readonly compiled: CompiledTenant;
  /** Repository root (lock file, `functions/`). */
  readonly root: string;
  /** Default: `<root>/functions`. */
  readonly functionsDir?: string;
  /** The tenant's plug-in (`aops/<tenant>/tenant.ts`): the stack creates and grants its declared tables. */
  readonly plugin: Pick<Tenant, 'name' | 'tables' | 'secrets' | 'services'>;
}

/**
 * `AOP_ROUTES` for the ingress: `[{id, version, when, cutoffDays}]`. `version` is the Step Functions version
 * number CloudFormation published for this deployment (the last segment of the version ARN), spliced into
 * the JSON as a number at deploy time, so the events of a turn name the exact version that ran it.
 */
export function aopRoutes(machines: readonly ProcedureMachine[]): string {
  const routes = machines.map(({ procedure, version }) => {
    const number = Fn.select(7, Fn.split(':', version.attrArn));
    return `{"id":${JSON.stringify(procedure.id)},"version":${number},"when":${JSON.stringify(procedure.when)},"cutoffDays":${JSON.stringify(procedure.cutoffDays)}}`;
  });
  return `[${routes.join(',')}]`;
}

/** `<tenant>-aop-platform`. */
export function tenantStackName(tenant: string): string {
  return `${tenant}-aop-platform`;
}

/**
 * Everything one tenant runs on: key and tables, the handlers, one Express state machine per procedure
 * with a `live` alias, the HTTP API, alarms and a dashboard. Each function gets only what it uses; every cdk-nag
 * acknowledgement sits in the construct that owns the resource and says why.
 */
export class TenantStack extends Stack {
  readonly config: TenantConfig;
  readonly data: DataStores;
  readonly handlers: Handlers;
  readonly procedures: ProcedureMachines;
  readonly api: TenantApi;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: TenantStackProps) {
    super(scope, id, {
      ...props,
      stackName: props.stackName ?? tenantStackName(props.config.name),
      description: `AOP platform for tenant ${props.config.name}: ${props.compiled.procedures.length} procedures from ${props.config.aopsDir}`,
    });
    const { config, compiled } = props;
    const tenant = config.name;
    this.config = config;
    Tags.of(this).add('aop:tenant', tenant);

    const logRetention = config.logRetentionDays as RetentionDays;
    this.data = new DataStores(this, 'Data', { tenant, tables: props.plugin.tables });

    // The contract of functions/commons/env.ts: one schema for every handler, so each gets the common
    // variables (MODEL_ID and DATA_TABLE_PREFIX too: IAM, not the environment, decides what it may call).
    // The ingress also gets STATE_MACHINES and AOP_ROUTES, below, once the aliases exist.
    const environment = (key: HandlerKey): Record<string, string> => ({
      TENANT: tenant,
      EVENTS_TABLE: this.data.events.tableName,
      // Every handler builds the event store (functions/commons/runtime.ts), so every one encrypts
      // customer data with per-conversation keys wrapped by the tenant key.
      KEYS_TABLE: this.data.keys.tableName,
      KEYS_KMS_KEY_ID: this.data.key.keyArn,
      DATA_TABLE_PREFIX: this.data.dataTablePrefix,
      MODEL_ID: config.modelId,
      LIMITS: JSON.stringify(config.limits),
      ...(compiled.fallbackAop === undefined ? {} : { FALLBACK_AOP: compiled.fallbackAop }),
      POWERTOOLS_SERVICE_NAME: `${tenant}-${HANDLERS[key].name}`,
      POWERTOOLS_METRICS_NAMESPACE: metricNamespace(tenant),
    });
    this.handlers = new Handlers(this, 'Handlers', {
      tenant,
      root: props.root,
      tenantDir: join(props.root, config.aopsDir),
      functionsDir: props.functionsDir,
      key: this.data.key,
      logRetention,
      environment,
    });
    const fn = this.handlers.functions;

    // Least privilege, function by function (what each one's code in shared/engine does).
    this.data.grantEvents(fn.chatIngress, 'append-and-lock');
    this.data.grantEvents(fn.understand, 'append');
    this.data.grantEvents(fn.runTool, 'append');
    this.data.grantEvents(fn.reply, 'append');
    this.data.grantEvents(fn.handoff, 'append');
    this.data.grantEvents(fn.auditApi, 'read');
    this.data.grantToolStore(fn.runTool);
    this.grantTenantIntegrations(props.plugin, fn.runTool);
    // Chain digests (docs/audit.md): the ingress runs turns and seals each turn's end; the audit API verifies.
    const digests = new ChainDigests(this, 'ChainDigests', { tenant });
    new CfnOutput(this, 'DigestBucketName', {
      value: digests.bucket.bucketName,
      description:
        'Signed chain digests (docs/audit.md, Digests): what an auditor verifies the event log against',
    });
    digests.grantWrite(fn.chatIngress);
    digests.grantRead(fn.auditApi);
    for (const handler of [fn.chatIngress, fn.auditApi]) {
      handler.addEnvironment('DIGEST_BUCKET', digests.bucket.bucketName);
      handler.addEnvironment('DIGEST_KMS_KEY_ID', digests.signingKey.keyArn);
    }
    for (const handler of [fn.chatIngress, fn.auditApi])
      for (const prefix of ['digests/*', 'keys/*'])
        acknowledge(
          handler.role ?? handler,
          wildcardResourceFinding(handler, digests.bucket.arnForObjects(prefix)),
          'One object per conversation turn end (digests/<conversation>/<index>.json) or published key (keys/<fingerprint>.json): the * is the object key in the digest bucket, nothing wider.',
        );
    // The turn's model call, the reply step's reading of a request's first words for a choice it is
    // about to ask (steps.ts earlyChoice), and the ingress's routing of a first message by its `when`.
    grantModel(fn.understand, config.modelId);
    grantModel(fn.reply, config.modelId);
    grantModel(fn.chatIngress, config.modelId);

    this.procedures = new ProcedureMachines(this, 'Procedures', {
      tenant,
      procedures: compiled.procedures,
      steps: { understand: fn.understand, tool: fn.runTool, reply: fn.reply, handoff: fn.handoff },
      key: this.data.key,
      logRetention,
    });
    // The ingress starts each turn on a procedure's `live` alias and records the version it points at.
    fn.chatIngress.addEnvironment(
      'STATE_MACHINES',
      this.toJsonString(
        Object.fromEntries(
          this.procedures.machines.map((machine) => [machine.procedure.id, machine.aliasArn]),
        ),
      ),
    );
    fn.chatIngress.addEnvironment('AOP_ROUTES', aopRoutes(this.procedures.machines));
    // The channel sessions' HMAC secret (functions/commons/credentials.ts): generated here, encrypted
    // with the tenant key, readable by the ingress only. The audit routes are IAM-authorised at the API.
    const sessionSecret = new Secret(this, 'SessionSecret', {
      secretName: `${tenant}-session-secret`,
      description: `${tenant}: HMAC secret of the chat session tokens (a conversation id is not a credential)`,
      encryptionKey: this.data.key,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    sessionSecret.grantRead(fn.chatIngress);
    fn.chatIngress.addEnvironment('SESSION_SECRET_ARN', sessionSecret.secretArn);
    fn.auditApi.addEnvironment('AUDIT_AUTH', 'iam');
    acknowledge(
      sessionSecret,
      'AwsSolutions-SMG4',
      'The session secret signs chat session tokens; rotating it would end every open conversation session. Rotate it by hand (a new deployment) when needed.',
    );
    // A new conversation starts on what `live` points to (read with DescribeStateMachineAlias at
    // routing time); every later turn starts the version it began on (`…:NAME:N`), so a rollback never
    // moves a conversation in flight. Both are qualified starts of this tenant's machines only.
    fn.chatIngress.addToRolePolicy(
      new PolicyStatement({
        sid: 'StartTurnsOnVersionsAndLiveAlias',
        actions: ['states:StartSyncExecution'],
        resources: this.procedures.machines.flatMap((machine) => [
          machine.stateMachine.stateMachineArn,
          `${machine.stateMachine.stateMachineArn}:*`,
        ]),
      }),
    );
    for (const machine of this.procedures.machines) {
      acknowledge(
        fn.chatIngress.role ?? fn.chatIngress,
        wildcardResourceFinding(fn.chatIngress, `${machine.stateMachine.stateMachineArn}:*`),
        `The * is the version number of ${machine.procedure.id}'s own state machine: conversations stay on the version they started on, and versions are published on every deploy.`,
      );
    }
    fn.chatIngress.addToRolePolicy(
      new PolicyStatement({
        sid: 'ReadLiveAlias',
        actions: ['states:DescribeStateMachineAlias'],
        resources: this.procedures.machines.map((machine) => machine.aliasArn),
      }),
    );

    this.api = new TenantApi(this, 'Api', {
      config,
      ingress: fn.chatIngress,
      audit: fn.auditApi,
      key: this.data.key,
      logRetention,
    });

    this.monitoring = new Monitoring(this, 'Monitoring', {
      config,
      key: this.data.key,
      api: this.api.api,
      executionLogs: this.procedures.logGroup,
      functions: Object.fromEntries(
        Object.entries(fn).map(([key, value]) => [HANDLERS[key as HandlerKey].name, value]),
      ),
      tool: fn.runTool,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Base URL of the chat and audit API' });
    // What a helpdesk ticket links to (the tenant's `helpdesk`): the conversation's audit timeline.
    fn.handoff.addEnvironment(
      'AUDIT_TIMELINE_URL',
      `${this.api.url}v1/conversations/{conversationId}/events`,
    );
    new CfnOutput(this, 'EventsTableName', { value: this.data.events.tableName });
    new CfnOutput(this, 'KeysTableName', { value: this.data.keys.tableName });
    new CfnOutput(this, 'ComplianceRoleArn', {
      value: this.api.complianceRole.roleArn,
      description: 'Assume to call GET /v1/conversations/{id}/events and /verify (SigV4)',
    });
    if (this.api.channelRole) {
      new CfnOutput(this, 'ChannelRoleArn', {
        value: this.api.channelRole.roleArn,
        description: 'Assume to call the chat routes (SigV4); the tenant has no JWT issuer configured',
      });
    }
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'DashboardName', { value: `${tenant}-aop-platform` });
    new CfnOutput(this, 'ProcedureIds', {
      value: compiled.procedures.map((procedure) => procedure.id).join(','),
    });
  }

  /**
   * What the tenant's tools need to call its APIs: the settings of its deployment (`environment`, e.g.
   * the payment provider's URL) and read access to exactly its declared secrets, `<tenant>/<name>` in
   * Secrets Manager (created by the operator with the real credentials; never in the template).
   */
  private grantTenantIntegrations(
    plugin: Pick<Tenant, 'name' | 'secrets' | 'services'>,
    runTool: NodejsFunction,
  ): void {
    const { config } = this;
    const missing = (plugin.services ?? []).filter(
      (service) => config.environment[service.urlVariable] === undefined,
    );
    if (missing.length > 0)
      throw new TenantConfigError(
        `Tenant "${config.name}": ${missing.map((service) => `the service "${service.name}" is a local stand-in; set environment.${service.urlVariable} to the real API's base URL`).join('; ')} in its deployment file (deploy.json or infra/aws/tenants/${config.name}.json).`,
        { tenant: config.name, available: [] },
      );
    for (const [name, value] of Object.entries(config.environment)) runTool.addEnvironment(name, value);
    const secrets = plugin.secrets ?? [];
    if (secrets.length === 0) return;
    runTool.addEnvironment('AOP_SECRETS_PREFIX', `${config.name}/`);
    for (const name of secrets)
      Secret.fromSecretNameV2(this, `TenantSecret-${name}`, `${config.name}/${name}`).grantRead(runTool);
  }
}
