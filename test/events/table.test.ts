import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureEventTable, eventTableDefinition } from '../../shared/events/index.ts';

const client = new DynamoDBClient({});
const tableName = `events-table-${randomUUID().slice(0, 8)}`;

afterAll(async () => {
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  client.destroy();
});

describe('eventTableDefinition', () => {
  it('keys events by pk (stream id) and sk, on demand, with no DynamoDB stream locally (the CDK table has one)', () => {
    expect(eventTableDefinition('t')).toEqual({
      TableName: 't',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
  });
});

describe('ensureEventTable', () => {
  it('creates a missing table, waits until it is ACTIVE, and is a no-op the second time', async () => {
    await ensureEventTable(client, tableName);
    await ensureEventTable(client, tableName);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.KeySchema).toEqual(eventTableDefinition(tableName).KeySchema);
    expect(Table?.StreamSpecification?.StreamEnabled ?? false).toBe(false);
  });

  it('creates the table once when called concurrently', async () => {
    const name = `${tableName}-race`;
    await Promise.all([ensureEventTable(client, name), ensureEventTable(client, name)]);
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    await client.send(new DeleteTableCommand({ TableName: name }));
  });
});
