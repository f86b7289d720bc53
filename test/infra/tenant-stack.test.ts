import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../functions/commons/env.ts';
import { HANDLERS } from '../../infra/aws/constructs/handlers.ts';
import { TURN_METRICS } from '../../infra/aws/constructs/monitoring.ts';
import { type CompiledTenant, compileTenantProcedures } from '../../infra/aws/procedures.ts';
import { loadTenantConfig } from '../../infra/aws/tenant-config.ts';
import { DIGEST_RETENTION_DAYS } from '../../shared/audit/s3-digest-store.ts';
import {
  actionsOf,
  deployedEnvironment,
  logicalIdOf,
  type PolicyStatementJson,
  referencedId,
  resourcesOf,
  type SynthesizedTenant,
  statementsOfRole,
  synthTenant,
} from './synth.ts';

let demo: SynthesizedTenant;
let compiled: CompiledTenant;

beforeAll(async () => {
  [demo, compiled] = await Promise.all([
    synthTenant('demo'),
    compileTenantProcedures(loadTenantConfig('demo')),
  ]);
});

const functionId = (name: string) =>
  logicalIdOf(demo.template, 'AWS::Lambda::Function', { FunctionName: `demo-${name}` });
const roleOfFunction = (name: string): string =>
  referencedId(demo.template.toJSON().Resources[functionId(name)].Properties.Role)!;
const tableId = (name: string) =>
  logicalIdOf(demo.template, 'AWS::DynamoDB::Table', { TableName: `demo-${name}` });
const _statements = (name: string) => statementsOfRole(demo.template, roleOfFunction(name));

/** Every DynamoDB / KMS / Bedrock / Step Functions action a role is allowed, with the logical ids it names. */
function grants(list: PolicyStatementJson[], prefix: string): Map<string, Set<string>> {
  const byAction = new Map<string, Set<string>>();
  for (const statement of list) {
    for (const action of actionsOf(statement).filter((a) => a.startsWith(prefix))) {
      const targets = byAction.get(action) ?? new Set<string>();
      for (const resource of resourcesOf(statement))
        targets.add(referencedId(resource) ?? JSON.stringify(resource));
      byAction.set(action, targets);
    }
  }
  return byAction;
}

/** The tenant's symmetric data key (the other key signs chain digests). */
const dataKeyId = () =>
  Object.entries(demo.template.findResources('AWS::KMS::Key')).find(
    ([, resource]) =>
      (resource as { Properties: { KeyUsage?: string } }).Properties.KeyUsage !== 'SIGN_VERIFY',
  )![0];

describe('the demo stack: KMS and DynamoDB', () => {
  it('has one customer-managed key with rotation on, retained with the event log', () => {
    // Two keys: the tenant's data key, and the asymmetric key that signs chain digests.
    demo.template.resourceCountIs('AWS::KMS::Key', 2);
    demo.template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true },
      DeletionPolicy: 'Retain',
    });
  });

  it('anchors the log: a compliance-locked digest bucket and an asymmetric signing key, both retained', () => {
    demo.template.hasResource('AWS::KMS::Key', {
      Properties: { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' },
      DeletionPolicy: 'Retain',
    });
    demo.template.hasResource('AWS::S3::Bucket', {
      Properties: {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: DIGEST_RETENTION_DAYS } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      },
      DeletionPolicy: 'Retain',
    });
    // SSL only.
    demo.template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('keeps events in demo-events: pk/sk strings, PITR, NEW_IMAGE stream, KMS, deletion protection, retained', () => {
    const keyId = dataKeyId();
    demo.template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        TableName: 'demo-events',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ]),
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        },
        DeletionProtectionEnabled: true,
        BillingMode: 'PAY_PER_REQUEST',
      },
      DeletionPolicy: 'Retain',
    });
  });

  it('has the tool store tables in the layout of aops/retail/tools/store.ts, all with PITR and the same key', () => {
    const keyId = dataKeyId();
    const expected = {
      users: 'user_id',
      orders: 'order_id',
      products: 'product_id',
      'tool-calls': 'idempotency_key',
    };
    for (const [name, key] of Object.entries(expected)) {
      demo.template.hasResourceProperties('AWS::DynamoDB::Table', {
        TableName: `demo-${name}`,
        KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        },
      });
    }
    demo.template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'demo-users',
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'by-email',
          KeySchema: [{ AttributeName: 'email_key', KeyType: 'HASH' }],
        }),
        Match.objectLike({
          IndexName: 'by-name-zip',
          KeySchema: [{ AttributeName: 'name_zip_key', KeyType: 'HASH' }],
        }),
      ],
    });
    demo.template.resourceCountIs('AWS::DynamoDB::Table', 6);
  });

  it('keeps data keys in demo-keys in the layout of shared/privacy/key-store.ts: PITR, KMS, deletion protection, retained', () => {
    const keyId = dataKeyId();
    demo.template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        TableName: 'demo-keys',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        },
        DeletionProtectionEnabled: true,
        BillingMode: 'PAY_PER_REQUEST',
      },
      DeletionPolicy: 'Retain',
    });
  });
});

describe('the demo stack: Lambda handlers', () => {
  it('has one Node 22 arm64 function per handler with X-Ray, JSON logs into its own retained-for-30-days log group', () => {
    demo.template.resourceCountIs('AWS::Lambda::Function', Object.keys(HANDLERS).length);
    for (const { name } of Object.values(HANDLERS)) {
      const logGroupId = logicalIdOf(demo.template, 'AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/demo-${name}`,
      });
      demo.template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `demo-${name}`,
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON', LogGroup: { Ref: logGroupId } },
        Environment: {
          Variables: Match.objectLike({
            TENANT: 'demo',
            EVENTS_TABLE: { Ref: tableId('events') },
            POWERTOOLS_SERVICE_NAME: `demo-${name}`,
            POWERTOOLS_METRICS_NAMESPACE: 'AopPlatform/demo',
            LIMITS: JSON.stringify(loadTenantConfig('demo').limits),
            NODE_OPTIONS: '--enable-source-maps',
          }),
        },
      });
      demo.template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/demo-${name}`,
        RetentionInDays: 30,
        KmsKeyId: Match.anyValue(),
      });
    }
  });

  it('gives every handler an environment its own schema (functions/commons/env.ts) accepts', () => {
    const config = loadTenantConfig('demo');
    for (const { name } of Object.values(HANDLERS)) {
      const env = loadEnv(deployedEnvironment(demo.template, functionId(name)));
      expect(env).toMatchObject({
        TENANT: 'demo',
        EVENTS_TABLE: 'demo-events',
        DATA_TABLE_PREFIX: 'demo-',
        MODEL_ID: config.modelId,
        FALLBACK_AOP: compiled.fallbackAop,
        LIMITS: { maxMessageChars: config.limits.maxMessageChars },
        KEYS_TABLE: 'demo-keys',
      });
      // The tenant key's ARN: the handlers wrap data keys with KMS, never with a local master key.
      const keyId = dataKeyId();
      const variables = demo.template.toJSON().Resources[functionId(name)].Properties.Environment.Variables;
      expect(variables.KEYS_KMS_KEY_ID).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
      expect(variables.LOCAL_MASTER_KEY).toBeUndefined();
      if (name !== 'chat-ingress') {
        expect(env.STATE_MACHINES).toEqual({});
        expect(env.AOP_ROUTES).toEqual([]);
      }
    }
  });

  it('routes the ingress to every procedure: its live alias, deployed version, when and cut-offs', () => {
    const env = loadEnv(deployedEnvironment(demo.template, functionId('chat-ingress')));
    expect(env.AOP_ROUTES).toEqual(
      compiled.procedures.map(({ id, when, cutoffDays }) => ({ id, version: 9999, when, cutoffDays })),
    );
    expect(Object.keys(env.STATE_MACHINES).sort()).toEqual(compiled.procedures.map((p) => p.id).sort());
    for (const [id, arn] of Object.entries(env.STATE_MACHINES)) {
      expect(arn).toMatch(new RegExp(`:stateMachine:demo-${id}:live$`));
    }
    // The version number is read from the version resource each route's alias points at.
    const variables =
      demo.template.toJSON().Resources[functionId('chat-ingress')].Properties.Environment.Variables;
    const selects = JSON.stringify(variables.AOP_ROUTES).match(
      /"Fn::Select":\[7,\{"Fn::Split":\[":",\{"Fn::GetAtt":\["(\w+)","Arn"\]/g,
    );
    expect(selects).toHaveLength(compiled.procedures.length);
  });

  it('keeps every Lambda environment under the 4 KB limit in the longest region and partition', () => {
    for (const { name } of Object.values(HANDLERS)) {
      const env = deployedEnvironment(demo.template, functionId(name));
      const bytes = Object.entries(env).reduce(
        (sum, [key, value]) => sum + Buffer.byteLength(key + value),
        0,
      );
      expect(bytes, name).toBeLessThan(4096);
    }
  });

  it('bundles each handler as minified ESM with the createRequire banner and a source map', () => {
    const outdir = demo.app.outdir;
    for (const { name } of Object.values(HANDLERS)) {
      const code = demo.template.toJSON().Resources[functionId(name)].Properties.Code as { S3Key: string };
      const assetDir = join(outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
      const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
      expect(bundle.startsWith("import { createRequire as __createRequire } from 'node:module';")).toBe(true);
      expect(bundle).toMatch(/\/\/# sourceMappingURL=index\.mjs\.map\s*$/);
      expect(JSON.parse(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8')).version).toBe(3);
      // Minified: long lines (what newlines remain are inside string literals of dependencies).
      expect(bundle.length / bundle.split('\n').length).toBeGreaterThan(500);
    }
  });
});

describe('the demo stack: one Express state machine per procedure AOP', () => {
  it('has one state machine, version and live alias per procedure, and none for sub-procedures', () => {
    const count = compiled.procedures.length;
    expect(count).toBeGreaterThan(5);
    expect(compiled.procedures.map((p) => p.id)).not.toContain('authenticate-customer');
    demo.template.resourceCountIs('AWS::StepFunctions::StateMachine', count);
    demo.template.resourceCountIs('AWS::StepFunctions::StateMachineVersion', count);
    demo.template.resourceCountIs('AWS::StepFunctions::StateMachineAlias', count);
  });

  it('compiles the ASL at synth time with the four placeholders substituted by the step functions', () => {
    const substitutions = {
      UnderstandFunctionArn: { 'Fn::GetAtt': [functionId('understand'), 'Arn'] },
      ToolFunctionArn: { 'Fn::GetAtt': [functionId('run-tool'), 'Arn'] },
      ReplyFunctionArn: { 'Fn::GetAtt': [functionId('reply'), 'Arn'] },
      HandoffFunctionArn: { 'Fn::GetAtt': [functionId('handoff'), 'Arn'] },
    };
    const logGroupId = logicalIdOf(demo.template, 'AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/demo-procedures',
    });
    for (const procedure of compiled.procedures) {
      demo.template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: `demo-${procedure.id}`,
        StateMachineType: 'EXPRESS',
        DefinitionString: JSON.stringify(procedure.asl),
        DefinitionSubstitutions: substitutions,
        LoggingConfiguration: {
          Level: 'ALL',
          IncludeExecutionData: true,
          Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }],
        },
        TracingConfiguration: { Enabled: true },
      });
    }
  });

  it('publishes a version of each machine (retained on replacement) and points the live alias at it', () => {
    const template = demo.template.toJSON();
    for (const procedure of compiled.procedures) {
      const machineId = logicalIdOf(demo.template, 'AWS::StepFunctions::StateMachine', {
        StateMachineName: `demo-${procedure.id}`,
      });
      const versionId = logicalIdOf(demo.template, 'AWS::StepFunctions::StateMachineVersion', {
        StateMachineArn: { Ref: machineId },
        StateMachineRevisionId: { 'Fn::GetAtt': [machineId, 'StateMachineRevisionId'] },
      });
      expect(template.Resources[versionId].UpdateReplacePolicy).toBe('Retain');
      demo.template.hasResourceProperties('AWS::StepFunctions::StateMachineAlias', {
        Name: 'live',
        RoutingConfiguration: [{ StateMachineVersionArn: { 'Fn::GetAtt': [versionId, 'Arn'] }, Weight: 100 }],
      });
    }
  });

  it('lets the state machines invoke their four functions and nothing else', () => {
    const machines = Object.values(demo.template.findResources('AWS::StepFunctions::StateMachine'));
    const roleIds = new Set(machines.map((machine) => referencedId(machine.Properties.RoleArn)));
    expect(roleIds.size).toBe(1);
    const list = statementsOfRole(demo.template, [...roleIds][0]!);
    const invoke = grants(list, 'lambda:');
    expect([...invoke.keys()]).toEqual(['lambda:InvokeFunction']);
    expect(invoke.get('lambda:InvokeFunction')).toEqual(
      new Set(['understand', 'run-tool', 'reply', 'handoff'].map(functionId)),
    );
    expect(list.flatMap(actionsOf).filter((a) => !/^(lambda|logs|xray):/.test(a))).toEqual([]);
  });
});

describe('the demo stack: HTTP API', () => {
  it('routes chat to the ingress with IAM auth (demo has no JWT issuer) and audit to the audit function with IAM', () => {
    demo.template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    demo.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Name: 'demo-api',
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({ AllowOrigins: loadTenantConfig('demo').allowedOrigins }),
    });
    const routes = Object.values(demo.template.findResources('AWS::ApiGatewayV2::Route'));
    expect(routes.map((route) => route.Properties.RouteKey).sort()).toEqual([
      'GET /v1/chat/conversations/{id}/messages/{messageId}',
      'GET /v1/conversations/{id}/events',
      'GET /v1/conversations/{id}/verify',
      'POST /v1/chat/conversations',
      'POST /v1/chat/conversations/{id}/messages',
    ]);
    for (const route of routes) expect(route.Properties.AuthorizationType).toBe('AWS_IAM');
    demo.template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    const integrations = demo.template.findResources('AWS::ApiGatewayV2::Integration');
    const target = (routeKey: string) => {
      const route = routes.find((r) => r.Properties.RouteKey === routeKey)!;
      const integrationId = (route.Properties.Target['Fn::Join'][1] as unknown[])
        .map(referencedId)
        .find(Boolean)!;
      return referencedId(integrations[integrationId]!.Properties.IntegrationUri);
    };
    expect(target('POST /v1/chat/conversations')).toBe(functionId('chat-ingress'));
    expect(target('POST /v1/chat/conversations/{id}/messages')).toBe(functionId('chat-ingress'));
    expect(target('GET /v1/chat/conversations/{id}/messages/{messageId}')).toBe(functionId('chat-ingress'));
    expect(target('GET /v1/conversations/{id}/events')).toBe(functionId('audit-api'));
    expect(target('GET /v1/conversations/{id}/verify')).toBe(functionId('audit-api'));
  });

  it('throttles the $default stage and writes JSON access logs to an encrypted log group', () => {
    const accessLogs = logicalIdOf(demo.template, 'AWS::Logs::LogGroup', {
      LogGroupName: '/aws/apigateway/demo-api-access',
    });
    demo.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [accessLogs, 'Arn'] },
        Format: Match.stringLikeRegexp('"routeKey":"\\$context.routeKey"'),
      },
    });
  });

  it('has a compliance role allowed to invoke the two audit routes only, and a channel role for the chat routes', () => {
    const complianceId = logicalIdOf(demo.template, 'AWS::IAM::Role', { RoleName: 'demo-compliance' });
    const compliance = statementsOfRole(demo.template, complianceId);
    expect(compliance.flatMap(actionsOf)).toEqual(['execute-api:Invoke']);
    const arns = compliance.flatMap(resourcesOf).map((r) => JSON.stringify(r));
    expect(arns).toHaveLength(2);
    expect(arns.every((arn) => arn.includes('$default/GET/v1/conversations/*/'))).toBe(true);
    expect(arns.some((arn) => arn.endsWith('/events"]]}'))).toBe(true);
    expect(arns.some((arn) => arn.endsWith('/verify"]]}'))).toBe(true);

    const channelId = logicalIdOf(demo.template, 'AWS::IAM::Role', { RoleName: 'demo-channel' });
    const channel = statementsOfRole(demo.template, channelId)
      .flatMap(resourcesOf)
      .map((r) => JSON.stringify(r));
    expect(channel).toHaveLength(3);
    expect(channel.filter((arn) => arn.includes('$default/POST/v1/chat/conversations'))).toHaveLength(2);
    // A message answered 202 is fetched by its id.
    expect(
      channel.filter((arn) => arn.includes('$default/GET/v1/chat/conversations/*/messages/*')),
    ).toHaveLength(1);
  });

  it('outputs the API URL', () => {
    demo.template.hasOutput('ApiUrl', { Value: Match.anyValue() });
  });
});

describe('the demo stack: alarms and dashboard', () => {
  it('sends every alarm (and its recovery) to an encrypted SSL-only SNS topic with the tenant e-mail', () => {
    const topicId = logicalIdOf(demo.template, 'AWS::SNS::Topic', { TopicName: 'demo-alarms' });
    demo.template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'demo-alarms',
      KmsMasterKeyId: Match.anyValue(),
    });
    demo.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: loadTenantConfig('demo').alarmEmail,
      TopicArn: { Ref: topicId },
    });
    demo.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    const alarms = demo.template.findResources('AWS::CloudWatch::Alarm');
    expect(
      Object.values(alarms)
        .map((a) => a.Properties.AlarmName)
        .sort(),
    ).toEqual([
      'demo-api-5xx',
      'demo-api-latency-p95',
      'demo-escalation-rate',
      'demo-failed-turns',
      'demo-tool-failure-rate',
    ]);
    for (const alarm of Object.values(alarms)) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
    }
  });

  it('alarms on API 5xx and p95 latency of this API', () => {
    demo.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'demo-api-5xx',
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Threshold: 5,
    });
    demo.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'demo-api-latency-p95',
      MetricName: 'Latency',
      ExtendedStatistic: 'p95',
      Threshold: 10_000,
    });
  });

  it('derives turns, failed turns and escalations from the execution logs with metric filters', () => {
    const logGroupId = logicalIdOf(demo.template, 'AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/demo-procedures',
    });
    for (const spec of Object.values(TURN_METRICS)) {
      demo.template.hasResourceProperties('AWS::Logs::MetricFilter', {
        LogGroupName: { Ref: logGroupId },
        FilterPattern: spec.pattern,
        MetricTransformations: [
          Match.objectLike({
            MetricNamespace: 'AopPlatform/demo',
            MetricName: spec.metricName,
            MetricValue: '1',
          }),
        ],
      });
    }
    demo.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'demo-failed-turns',
      Namespace: 'AopPlatform/demo',
      MetricName: 'FailedTurns',
    });
  });

  it('computes the tool failure rate from the run-tool function and the escalation rate from the turn metrics', () => {
    const metricsOf = (name: string) =>
      Object.values(
        demo.template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: name } }),
      )[0]!.Properties.Metrics as {
        Id: string;
        Expression?: string;
        MetricStat?: { Metric: Record<string, unknown> };
      }[];
    const tool = metricsOf('demo-tool-failure-rate');
    expect(tool.find((m) => m.Expression)?.Expression).toBe(
      'IF(invocations > 0, 100 * errors / invocations, 0)',
    );
    for (const metric of tool.filter((m) => m.MetricStat)) {
      expect(metric.MetricStat!.Metric).toMatchObject({
        Namespace: 'AWS/Lambda',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: functionId('run-tool') } }],
      });
    }
    const escalation = metricsOf('demo-escalation-rate');
    expect(
      escalation
        .filter((m) => m.MetricStat)
        .map((m) => m.MetricStat!.Metric.MetricName)
        .sort(),
    ).toEqual(['Escalations', 'Turns']);
  });

  it('has a dashboard', () => {
    demo.template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    demo.template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'demo-aop-platform' });
  });
});
