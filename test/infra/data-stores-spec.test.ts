import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { DataStores } from '../../infra/aws/constructs/data-stores.ts';

/**
 * The stack creates and grants exactly the tables a tenant declares (docs/tenants.md), whatever they are:
 * here a subscription business's, nothing like retail's.
 */
describe('DataStores from a tenant declaration', () => {
  const stack = new Stack(new App(), 'SpecStack');
  const data = new DataStores(stack, 'Data', {
    tenant: 'subs',
    tables: [
      { name: 'plans', partitionKey: 'plan_id', access: 'read', scans: true },
      {
        name: 'subscriptions',
        partitionKey: 'subscription_id',
        sortKey: 'version',
        indexes: [{ name: 'by-customer', partitionKey: 'customer_id', projection: 'all' }],
      },
    ],
  });
  const runner = new Role(stack, 'Runner', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
  data.grantToolStore(runner);
  const template = Template.fromStack(stack);

  it('creates each declared table with its keys and indexes, and no other data table', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'subs-subscriptions',
      KeySchema: [
        { AttributeName: 'subscription_id', KeyType: 'HASH' },
        { AttributeName: 'version', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({ IndexName: 'by-customer', Projection: { ProjectionType: 'ALL' } }),
      ],
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', { TableName: 'subs-plans' });
    // events, keys, and the two declared.
    template.resourceCountIs('AWS::DynamoDB::Table', 4);
    expect(Object.keys(data.dataTables).sort()).toEqual(['plans', 'subscriptions']);
  });

  it('grants reads, writes, scans and index queries as declared, and nothing on undeclared tables', () => {
    const policies = template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap(
      (policy) =>
        (policy as { Properties: { PolicyDocument: { Statement: { Sid: string; Action: unknown }[] } } })
          .Properties.PolicyDocument.Statement,
    );
    const bySid = new Map(statements.map((statement) => [statement.Sid, statement.Action]));
    expect(bySid.get('ToolStoreReadWrite')).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    expect(bySid.get('ToolStoreRead')).toBe('dynamodb:GetItem');
    expect(bySid.get('ToolStoreScan')).toBe('dynamodb:Scan');
    expect(bySid.get('ToolStoreIndexes')).toBe('dynamodb:Query');
    expect(JSON.stringify(statements)).not.toContain('index/*');
  });
});
