import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';

/**
 * One table for every stream: `pk` = stream id (conversation id, or `aop#<id>` for the registry),
 * `sk` = `e#<seq, 10 digits>` for events and `i#<key>` for idempotency records. This definition is
 * for local runs and tests and has no DynamoDB stream: nothing reads one locally, and DynamoDB Local's
 * stream bookkeeping made every write slower the longer a run went (about 1 s a PutItem late in a
 * full test run, against a few ms on a fresh instance). In AWS the table is the CDK's
 * (infra/aws/constructs/data-stores.ts), with a NEW_IMAGE stream for projections.
 */
export function eventTableDefinition(tableName: string): CreateTableCommandInput & { TableName: string } {
  return {
    TableName: tableName,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    BillingMode: 'PAY_PER_REQUEST',
  };
}

export interface EnsureEventTableOptions {
  /** Seconds to wait for the table to become ACTIVE. Default: 60. */
  readonly maxWaitSeconds?: number;
}

/** Creates the table if it is missing and waits until it is ACTIVE. For local runs and tests. */
export async function ensureEventTable(
  client: DynamoDBClient,
  tableName: string,
  options: EnsureEventTableOptions = {},
): Promise<void> {
  await ensureTable(client, eventTableDefinition(tableName), options);
}

/** Creates a table from its definition if it is missing, and waits until it is ACTIVE. Idempotent, race-safe. */
export async function ensureTable(
  client: DynamoDBClient,
  definition: CreateTableCommandInput & { TableName: string },
  { maxWaitSeconds = 60 }: EnsureEventTableOptions = {},
): Promise<void> {
  const tableName = definition.TableName;
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    try {
      await client.send(new CreateTableCommand(definition));
    } catch (createError) {
      // Someone else created it between our describe and create: fine, wait for it below.
      if ((createError as Error).name !== 'ResourceInUseException') throw createError;
    }
  }
  await waitUntilTableExists({ client, maxWaitTime: maxWaitSeconds }, { TableName: tableName });
}
