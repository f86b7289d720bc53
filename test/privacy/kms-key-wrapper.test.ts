import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/events/hash-chain.ts';
import { isDataKeyUnwrapError } from '../../shared/privacy/errors.ts';
import { createDataKeyStore, ensureKeysTable } from '../../shared/privacy/key-store.ts';
import { createKmsKeyWrapper } from '../../shared/privacy/kms-key-wrapper.ts';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/0b0b0b0b-1111-2222-3333-444455556666';

interface Call {
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
}

/**
 * A stand-in for KMS (TrentService, AWS JSON 1.1): the "ciphertext" is the plaintext sealed with the key
 * id and encryption context, and Decrypt refuses, as KMS does, when the context or the key differs.
 */
function fakeKms(): { server: Server; calls: Call[] } {
  const calls: Call[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      calls.push({ headers: request.headers, body });
      const reply = (status: number, payload: unknown) => {
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(payload));
      };
      const context = canonicalJson(body.EncryptionContext ?? {});
      switch (request.headers['x-amz-target']) {
        case 'TrentService.Encrypt': {
          const sealed = { keyId: body.KeyId, context, plaintext: body.Plaintext };
          return reply(200, {
            KeyId: body.KeyId,
            CiphertextBlob: Buffer.from(JSON.stringify(sealed)).toString('base64'),
          });
        }
        case 'TrentService.Decrypt': {
          const sealed = JSON.parse(Buffer.from(String(body.CiphertextBlob), 'base64').toString('utf8'));
          if (sealed.keyId !== body.KeyId)
            return reply(400, { __type: 'IncorrectKeyException', message: 'The key ID does not match' });
          if (sealed.context !== context)
            return reply(400, { __type: 'InvalidCiphertextException', message: '' });
          return reply(200, { KeyId: sealed.keyId, Plaintext: sealed.plaintext });
        }
        default:
          return reply(400, { __type: 'UnknownOperationException', message: 'not faked' });
      }
    });
  });
  return { server, calls };
}

const { server, calls } = fakeKms();
let client: KMSClient;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new KMSClient({
    region: 'eu-west-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  client.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('createKmsKeyWrapper', () => {
  const context = { conversation: 'c-1', table: 'demo-keys' };

  it('wraps with KMS Encrypt and unwraps with Decrypt, naming the key and the encryption context', async () => {
    calls.length = 0;
    const wrapper = createKmsKeyWrapper({ client, keyId: KEY_ARN });
    const dataKey = randomBytes(32);

    const wrapped = await wrapper.wrap(dataKey, context);
    expect(Buffer.from(wrapped, 'base64').length).toBeGreaterThan(0);
    expect(await wrapper.unwrap(wrapped, context)).toEqual(dataKey);

    expect(wrapper.id).toBe(KEY_ARN);
    expect(calls.map((call) => call.headers['x-amz-target'])).toEqual([
      'TrentService.Encrypt',
      'TrentService.Decrypt',
    ]);
    for (const call of calls) {
      expect(call.headers['content-type']).toBe('application/x-amz-json-1.1');
      expect(call.body.KeyId).toBe(KEY_ARN);
      expect(call.body.EncryptionContext).toEqual(context);
    }
    expect(calls[0]?.body.Plaintext).toBe(dataKey.toString('base64'));
  });

  it('fails when the encryption context differs, with the KMS error', async () => {
    const wrapper = createKmsKeyWrapper({ client, keyId: KEY_ARN });
    const wrapped = await wrapper.wrap(randomBytes(32), context);

    await expect(wrapper.unwrap(wrapped, { ...context, conversation: 'c-2' })).rejects.toMatchObject({
      name: 'InvalidCiphertextException',
    });
  });

  it('fails when the wrapped key was made with another KMS key', async () => {
    const wrapped = await createKmsKeyWrapper({ client, keyId: KEY_ARN }).wrap(randomBytes(32), context);
    const other = createKmsKeyWrapper({ client, keyId: `${KEY_ARN.slice(0, -1)}7` });

    await expect(other.unwrap(wrapped, context)).rejects.toMatchObject({ name: 'IncorrectKeyException' });
  });

  it('surfaces a refused unwrap through the key store as DataKeyUnwrapError, with the KMS error as cause', async () => {
    // A real keys table on DynamoDB Local (started by test/global-setup.ts).
    const dynamodb = new DynamoDBClient({});
    const tableName = `kms-keys-${randomUUID().slice(0, 8)}`;
    await ensureKeysTable(dynamodb, tableName);
    const written = createDataKeyStore({
      client: dynamodb,
      tableName,
      wrapper: createKmsKeyWrapper({ client, keyId: KEY_ARN }),
    });
    const created = await written.keyOf('c-1', { create: true });
    expect(created.state).toBe('active');
    expect(await written.keyOf('c-1')).toEqual(created);

    // The same item read with another KMS key (another account's, a rotated-away key): KMS refuses.
    const elsewhere = createDataKeyStore({
      client: dynamodb,
      tableName,
      wrapper: createKmsKeyWrapper({ client, keyId: `${KEY_ARN.slice(0, -1)}7` }),
    });
    const error = await elsewhere.keyOf('c-1').catch((caught: unknown) => caught);
    expect(isDataKeyUnwrapError(error)).toBe(true);
    expect(error).toMatchObject({
      conversationId: 'c-1',
      cause: { name: 'IncorrectKeyException' },
    });
    dynamodb.destroy();
  });
});
