import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { listAcknowledgements } from '../../infra/aws/nag.ts';
import { loadTenantConfig } from '../../infra/aws/tenant-config.ts';
import {
  actionsOf,
  logicalIdOf,
  resourcesOf,
  type SynthesizedTenant,
  statementsOfRole,
  synthesesThisRun,
  synthTenant,
} from './synth.ts';

const TENANTS = ['demo', 'acme'] as const;
type Tenant = (typeof TENANTS)[number];
const synthesized = {} as Record<Tenant, SynthesizedTenant>;

beforeAll(async () => {
  // One after the other: each bundles six handlers, and the machine has two cores.
  for (const tenant of TENANTS) synthesized[tenant] = await synthTenant(tenant);
});

/** Properties that carry a physical name, by resource type. */
const NAME_PROPERTIES: Record<string, string> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::Logs::MetricFilter': 'FilterName',
  'AWS::StepFunctions::StateMachine': 'StateMachineName',
  'AWS::ApiGatewayV2::Api': 'Name',
  'AWS::ApiGatewayV2::Authorizer': 'Name',
  'AWS::SNS::Topic': 'TopicName',
  'AWS::CloudWatch::Alarm': 'AlarmName',
  'AWS::CloudWatch::Dashboard': 'DashboardName',
  'AWS::KMS::Alias': 'AliasName',
};

function physicalNames(tenant: Tenant): string[] {
  const { template } = synthesized[tenant];
  return Object.entries(NAME_PROPERTIES).flatMap(([type, property]) =>
    Object.values(template.findResources(type)).map((resource) => {
      const name = resource.Properties?.[property];
      expect(typeof name, `${type}.${property} must be a literal name`).toBe('string');
      return name as string;
    }),
  );
}

describe('synthesis', () => {
  it('gives every file that asks for a tenant the same stack', async () => {
    for (const tenant of TENANTS) expect(await synthTenant(tenant)).toBe(synthesized[tenant]);
  });

  it('happened once per tenant in this run, whichever infra files ran before this one', () => {
    expect(synthesesThisRun()).toEqual({ demo: 1, acme: 1 });
  });
});

describe('two tenants', () => {
  it('synthesize as separate stacks named after the tenant', () => {
    expect(synthesized.demo.stack.stackName).toBe('demo-aop-platform');
    expect(synthesized.acme.stack.stackName).toBe('acme-aop-platform');
  });

  it('prefix every physical name with the tenant, so the two sets are disjoint', () => {
    const demo = physicalNames('demo');
    const acme = physicalNames('acme');
    expect(demo.length).toBeGreaterThan(40);
    const prefixed = (tenant: Tenant) => new RegExp(`(^|/)${tenant}-`);
    for (const name of demo) expect(name).toMatch(prefixed('demo'));
    for (const name of acme) expect(name).toMatch(prefixed('acme'));
    expect(demo.filter((name) => acme.includes(name))).toEqual([]);
  });

  it('never let an IAM statement of one tenant name the other tenant or reach outside its own stack', () => {
    for (const [own, other] of [
      ['demo', 'acme'],
      ['acme', 'demo'],
    ] as const) {
      const { template } = synthesized[own];
      const ownResources = new Set(Object.keys(template.toJSON().Resources));
      const documents = [
        ...Object.values(template.findResources('AWS::IAM::Policy')).map((p) => p.Properties.PolicyDocument),
        ...Object.values(template.findResources('AWS::IAM::Role')).map(
          (r) => r.Properties.AssumeRolePolicyDocument,
        ),
        ...Object.values(template.findResources('AWS::KMS::Key')).map((k) => k.Properties.KeyPolicy),
        ...Object.values(template.findResources('AWS::SNS::TopicPolicy')).map(
          (p) => p.Properties.PolicyDocument,
        ),
      ];
      expect(documents.length).toBeGreaterThan(10);
      for (const document of documents) {
        const text = JSON.stringify(document);
        expect(text).not.toMatch(new RegExp(`\\b${other}\\b`));
        expect(text).not.toContain('Fn::ImportValue');
        for (const match of text.matchAll(/"(?:Ref|Fn::GetAtt)":\s*\[?"([A-Za-z0-9]+)"/g)) {
          const id = match[1]!;
          if (!id.startsWith('AWS')) expect(ownResources.has(id), `${own} references ${id}`).toBe(true);
        }
      }
    }
  });

  it('give each tenant its own model and limits', () => {
    for (const tenant of TENANTS) {
      const config = loadTenantConfig(tenant);
      synthesized[tenant].template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `${tenant}-understand`,
        Environment: {
          Variables: Match.objectLike({ MODEL_ID: config.modelId, LIMITS: JSON.stringify(config.limits) }),
        },
      });
    }
    // acme's plain model id is a single foundation-model ARN in the stack's region (no region wildcard).
    const { template } = synthesized.acme;
    const understandRole = logicalIdOf(template, 'AWS::IAM::Role', { RoleName: 'acme-understand' });
    const bedrock = statementsOfRole(template, understandRole).filter((s) =>
      actionsOf(s).includes('bedrock:InvokeModel'),
    );
    expect(bedrock.flatMap(resourcesOf)).toEqual([
      {
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':bedrock:',
            { Ref: 'AWS::Region' },
            '::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
          ],
        ],
      },
    ]);
  });

  it('protect acme chat routes with its JWT issuer and keep the audit routes on IAM', () => {
    const { template } = synthesized.acme;
    const jwt = loadTenantConfig('acme').jwt!;
    const authorizerId = logicalIdOf(template, 'AWS::ApiGatewayV2::Authorizer', { AuthorizerType: 'JWT' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      Name: 'acme-chat-jwt',
      JwtConfiguration: { Issuer: jwt.issuer, Audience: jwt.audience },
      IdentitySource: ['$request.header.Authorization'],
    });
    for (const route of Object.values(template.findResources('AWS::ApiGatewayV2::Route'))) {
      const { RouteKey, AuthorizationType, AuthorizerId } = route.Properties;
      if (String(RouteKey).includes('/v1/chat/')) {
        expect(AuthorizationType).toBe('JWT');
        expect(AuthorizerId).toEqual({ Ref: authorizerId });
      } else {
        expect(AuthorizationType).toBe('AWS_IAM');
      }
    }
    // Without IAM chat routes there is no channel role.
    expect(
      Object.keys(template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'acme-channel' } })),
    ).toEqual([]);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
  });
});

describe('cdk-nag AwsSolutions', () => {
  it.each(TENANTS)('reports no unacknowledged finding for %s', (tenant) => {
    const report = new AwsSolutionsChecks().validateScope(synthesized[tenant].stack);
    const findings = report.violations.map(
      (violation) =>
        `${violation.ruleName}: ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
    expect(report.success).toBe(true);
  });

  it.each(TENANTS)('leaves no error or warning annotation on %s', (tenant) => {
    const annotations = Annotations.fromStack(synthesized[tenant].stack);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
  });

  it('acknowledges each finding on the construct it concerns, with a specific reason', () => {
    const acknowledgements = listAcknowledgements(synthesized.demo.stack);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { id, reason, path } of acknowledgements) {
      expect(id).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(reason.length, `${path} ${id}`).toBeGreaterThan(80);
      // Never on the stack or app as a whole.
      expect(path.split('/').length, `${id} on ${path}`).toBeGreaterThan(1);
    }
    const rules = new Set(acknowledgements.map((a) => a.id.replace(/\[.*$/, '')));
    // SMG4: the session secret is not rotated automatically (rotation would end every open session).
    // S1: the chain digest bucket has no server access logs (write-once, Object Lock; CloudTrail records reads).
    expect([...rules].sort()).toEqual([
      'AwsSolutions-IAM5',
      'AwsSolutions-L1',
      'AwsSolutions-S1',
      'AwsSolutions-SMG4',
    ]);
  });
});
