import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { TenantTable } from './define-tenant.ts';

/** The CreateTable input of a declared table (string keys, on-demand billing). */
export function tableDefinition(tablePrefix: string, table: TenantTable): CreateTableCommandInput {
  const keys = (partition: string, sort?: string) => [
    { AttributeName: partition, KeyType: 'HASH' as const },
    ...(sort ? [{ AttributeName: sort, KeyType: 'RANGE' as const }] : []),
  ];
  const attributes = new Set([table.partitionKey, ...(table.sortKey ? [table.sortKey] : [])]);
  for (const index of table.indexes ?? []) {
    attributes.add(index.partitionKey);
    if (index.sortKey) attributes.add(index.sortKey);
  }
  return {
    TableName: `${tablePrefix}${table.name}`,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
    KeySchema: keys(table.partitionKey, table.sortKey),
    ...(table.indexes && table.indexes.length > 0
      ? {
          GlobalSecondaryIndexes: table.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keys(index.partitionKey, index.sortKey),
            Projection: {
              ProjectionType: index.projection === 'all' ? ('ALL' as const) : ('KEYS_ONLY' as const),
            },
          })),
        }
      : {}),
  };
}

/** Creates the declared tables that do not exist yet; resolves when every one is active. */
export async function ensureTenantTables(
  client: DynamoDBClient,
  tablePrefix: string,
  tables: readonly TenantTable[],
): Promise<string[]> {
  await Promise.all(
    tables.map(async function ensureTable(table) {
      const definition = tableDefinition(tablePrefix, table);
      const name = definition.TableName!;
      if (!(await tableStatus(client, name))) {
        try {
          await client.send(new CreateTableCommand(definition));
        } catch (error) {
          if (!(error instanceof Error && error.name === 'ResourceInUseException')) throw error;
        }
      }
      for (let waited = 0; (await tableStatus(client, name)) !== 'ACTIVE'; waited += 500) {
        if (waited > 120_000) throw new Error(`Table ${name} did not become ACTIVE within 120 s`);
        await new Promise((done) => setTimeout(done, 500));
      }
    }),
  );
  return tables.map((table) => `${tablePrefix}${table.name}`);
}

async function tableStatus(client: DynamoDBClient, TableName: string): Promise<string | undefined> {
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName }));
    return Table?.TableStatus;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}
