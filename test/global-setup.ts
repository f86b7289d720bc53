import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.ts';

/**
 * One DynamoDB Local for each project that lists this setup (vitest.config.ts), shared by that project's
 * files; each file creates its own uniquely named tables. The endpoint reaches the files two ways, both
 * scoped to the project: `inject('dynamodbEndpoint')`, and `AWS_ENDPOINT_URL_DYNAMODB` in their environment
 * (so SDK clients built without an endpoint reach the same instance).
 */
export default async function setup(project: TestProject) {
  const ddb = await startDynamoDbLocal();
  process.env.AWS_REGION ??= 'us-east-1';
  process.env.AWS_ACCESS_KEY_ID ??= 'local';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
  project.config.env.AWS_ENDPOINT_URL_DYNAMODB = ddb.endpoint;
  project.provide('dynamodbEndpoint', ddb.endpoint);
  return async () => {
    await ddb.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
  }
}
