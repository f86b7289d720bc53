import { beforeAll, describe, expect, it } from 'vitest';
import { HANDLERS } from '../../infra/aws/constructs/handlers.ts';
import { loadTenantConfig } from '../../infra/aws/tenant-config.ts';
import {
  actionsOf,
  logicalIdOf,
  type PolicyStatementJson,
  referencedId,
  resourcesOf,
  type SynthesizedTenant,
  statementsOfRole,
  synthTenant,
} from './synth.ts';

let demo: SynthesizedTenant;

beforeAll(async () => {
  demo = await synthTenant('demo');
});

const functionId = (name: string) =>
  logicalIdOf(demo.template, 'AWS::Lambda::Function', { FunctionName: `demo-${name}` });
const roleOfFunction = (name: string): string =>
  referencedId(demo.template.toJSON().Resources[functionId(name)].Properties.Role)!;
const tableId = (name: string) =>
  logicalIdOf(demo.template, 'AWS::DynamoDB::Table', { TableName: `demo-${name}` });
const statements = (name: string) => statementsOfRole(demo.template, roleOfFunction(name));

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

describe('the demo stack: least-privilege IAM', () => {
  const events = () => tableId('events');
  const keys = () => tableId('keys');
  const appendActions = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'];
  /** Appending events also gets or creates the conversation's data key and links it to the customer. */
  const appendTargets = (dynamo: Map<string, Set<string>>) => {
    expect(dynamo.get('dynamodb:GetItem')).toEqual(new Set([events(), keys()]));
    expect(dynamo.get('dynamodb:Query')).toEqual(new Set([events()]));
  };

  it('lets understand, reply and handoff append to the event log only (no update, no delete, no data tables)', () => {
    // Only the ingress may delete (its lock lease); nobody may update.
    for (const { name } of Object.values(HANDLERS)) {
      const dynamo = grants(statements(name), 'dynamodb:');
      expect(dynamo.has('dynamodb:UpdateItem')).toBe(false);
      expect(dynamo.has('dynamodb:BatchWriteItem')).toBe(false);
      expect(dynamo.has('dynamodb:DeleteItem')).toBe(name === 'chat-ingress');
    }
    for (const name of ['understand', 'reply', 'handoff']) {
      const dynamo = grants(statements(name), 'dynamodb:');
      expect([...dynamo.keys()].sort()).toEqual(appendActions);
      appendTargets(dynamo);
      expect(dynamo.get('dynamodb:PutItem')).toEqual(new Set([events(), keys()]));
    }
  });

  it('lets the tool runner use the data tables as the tool store does, and append events', () => {
    const dynamo = grants(statements('run-tool'), 'dynamodb:');
    expect([...dynamo.keys()].sort()).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:Query',
      'dynamodb:Scan',
    ]);
    expect(dynamo.get('dynamodb:PutItem')).toEqual(
      new Set([events(), keys(), tableId('users'), tableId('orders'), tableId('tool-calls')]),
    );
    expect(dynamo.get('dynamodb:Scan')).toEqual(new Set([tableId('products')]));
    const queries = statements('run-tool').filter((s) => actionsOf(s).includes('dynamodb:Query'));
    const indexArns = queries.flatMap(resourcesOf).map((r) => JSON.stringify(r));
    expect(indexArns.filter((arn) => arn.includes('/index/'))).toHaveLength(2);
    expect(indexArns.some((arn) => arn.includes('/index/*'))).toBe(false);
  });

  it('gives the audit API read-only access to events and their data keys', () => {
    const dynamo = grants(statements('audit-api'), 'dynamodb:');
    expect([...dynamo.keys()].sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    expect(dynamo.get('dynamodb:GetItem')).toEqual(new Set([events(), keys()]));
    expect(dynamo.get('dynamodb:Query')).toEqual(new Set([events()]));
    expect(grants(statements('audit-api'), 'kms:').has('kms:Encrypt')).toBe(false);
  });

  it('lets the ingress append events, hold the conversation lock, read the live alias and start turns on its own machines only', () => {
    const list = statements('chat-ingress');
    const dynamo = grants(list, 'dynamodb:');
    expect([...dynamo.keys()].sort()).toEqual(
      [...appendActions, 'dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem'].sort(),
    );
    appendTargets(dynamo);
    expect(dynamo.get('dynamodb:PutItem')).toEqual(new Set([events(), keys()]));
    // The lock lease is in the event table; data keys are never deleted by a function (`aop erase` does).
    expect(dynamo.get('dynamodb:DeleteItem')).toEqual(new Set([events()]));
    // A customer message's append checks, in its transaction, that the conversation was not erased.
    expect(dynamo.get('dynamodb:ConditionCheckItem')).toEqual(new Set([keys()]));
    const states = list.filter((s) => actionsOf(s).some((a) => a.startsWith('states:')));
    expect(states.flatMap(actionsOf).sort()).toEqual([
      'states:DescribeStateMachineAlias',
      'states:StartSyncExecution',
    ]);
    const machines = new Set(Object.keys(demo.template.findResources('AWS::StepFunctions::StateMachine')));
    const aliases = new Set(
      Object.keys(demo.template.findResources('AWS::StepFunctions::StateMachineAlias')),
    );
    const start = states.find((s) => actionsOf(s).includes('states:StartSyncExecution'))!;
    // The machine itself and its qualified ARNs (`:N` versions, `:live`), nothing of anyone else's.
    const startTargets = resourcesOf(start).map((r) => /"Ref":"([^"]+)"/.exec(JSON.stringify(r))?.[1]);
    expect(new Set(startTargets)).toEqual(machines);
    const describe = states.find((s) => actionsOf(s).includes('states:DescribeStateMachineAlias'))!;
    expect(new Set(resourcesOf(describe).map(referencedId))).toEqual(aliases);
  });

  it('uses the tenant key only through DynamoDB, or directly to wrap data keys of demo-keys', () => {
    const keys_ = Object.entries(demo.template.findResources('AWS::KMS::Key'));
    const keyId = keys_.find(
      ([, r]) => (r as { Properties: { KeyUsage?: string } }).Properties.KeyUsage !== 'SIGN_VERIFY',
    )![0];
    const signingKeyId = keys_.find(([id]) => id !== keyId)![0];
    const viaDynamoDb = {
      StringEquals: {
        'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] },
      },
    };
    const forKeysTable = { StringEquals: { 'kms:EncryptionContext:table': { Ref: keys() } } };
    for (const { name } of Object.values(HANDLERS)) {
      const kms = statements(name).filter(
        (s) =>
          actionsOf(s).some((a) => a.startsWith('kms:')) &&
          !resourcesOf(s).map(referencedId).includes(signingKeyId),
      );
      // The digest signing key: Sign for the ingress (it seals turn ends), the public key for the audit API.
      const signing = statements(name)
        .filter((s) => resourcesOf(s).map(referencedId).includes(signingKeyId))
        .flatMap(actionsOf)
        .sort();
      expect(signing, name).toEqual(
        name === 'chat-ingress'
          ? ['kms:GetPublicKey', 'kms:Sign']
          : name === 'audit-api'
            ? ['kms:GetPublicKey']
            : [],
      );
      const s3 = statements(name)
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('s3:'));
      expect(
        s3.some((a) => a.includes('Delete') || a.includes('Bypass') || a.includes('*')),
        name,
      ).toBe(false);
      if (name === 'chat-ingress') expect(s3).toContain('s3:PutObject');
      if (name !== 'chat-ingress') expect(s3, name).not.toContain('s3:PutObject');
      for (const statement of kms) {
        expect(resourcesOf(statement).map(referencedId), name).toEqual([keyId]);
        expect(actionsOf(statement).some((a) => a.includes('*'))).toBe(false);
        expect([viaDynamoDb, forKeysTable], name).toContainEqual(statement.Condition);
      }
      // Called directly (not through DynamoDB): Decrypt for every handler, Encrypt only for appenders.
      const direct = kms.filter((s) => JSON.stringify(s.Condition) === JSON.stringify(forKeysTable));
      expect(direct.flatMap(actionsOf).sort(), name).toEqual(
        name === 'audit-api' ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:Encrypt'],
      );
    }
  });

  it('limits bedrock:InvokeModel to the configured model, for understand, reply (an early choice) and the routing ingress only', () => {
    const modelId = loadTenantConfig('demo').modelId;
    for (const { name } of Object.values(HANDLERS)) {
      const bedrock = statements(name).filter((s) => actionsOf(s).some((a) => a.startsWith('bedrock:')));
      if (name !== 'understand' && name !== 'reply' && name !== 'chat-ingress') {
        expect(bedrock).toEqual([]);
        continue;
      }
      expect(bedrock.flatMap(actionsOf)).toEqual(['bedrock:InvokeModel']);
      for (const resource of bedrock.flatMap(resourcesOf)) {
        expect(JSON.stringify(resource)).toContain(modelId.replace(/^us\./, ''));
      }
    }
  });

  it('writes logs only to each function its own log group and attaches no managed policy', () => {
    for (const { name } of Object.values(HANDLERS)) {
      const logGroupId = logicalIdOf(demo.template, 'AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/demo-${name}`,
      });
      const logs = grants(statements(name), 'logs:');
      expect(logs).toEqual(
        new Map([
          ['logs:CreateLogStream', new Set([logGroupId])],
          ['logs:PutLogEvents', new Set([logGroupId])],
        ]),
      );
    }
    for (const role of Object.values(demo.template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });
});
