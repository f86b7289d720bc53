import type { SFNClient } from '@aws-sdk/client-sfn';
import {
  type LocalSfnEndpoint,
  type LocalSfnEndpointOptions,
  startLocalSfnEndpoint,
} from '../../infra/local/sfn-endpoint/server.ts';
import { createSfnClient } from '../../shared/aws/sfn-client.ts';

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/local-sfn';

export function functionArn(name: string): string {
  return `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
}

/** An error with a stable name, the way tool runners throw errors that ASL retries or catches. */
export function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

export interface LocalSfn {
  readonly endpoint: LocalSfnEndpoint;
  readonly client: SFNClient;
  close(): Promise<void>;
}

/** A local endpoint and the real SDK client pointed at it, as a handler's composition root builds it. */
export async function startLocalSfn(options: LocalSfnEndpointOptions): Promise<LocalSfn> {
  const endpoint = await startLocalSfnEndpoint(options);
  const client = createSfnClient({
    endpoint: endpoint.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    endpoint,
    client,
    async close() {
      client.destroy();
      await endpoint.stop();
    },
  };
}

export function definition(value: object): string {
  return JSON.stringify(value);
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`rejected with a non-Error: ${String(error)}`);
  }
  throw new Error('expected the promise to reject, but it resolved');
}
