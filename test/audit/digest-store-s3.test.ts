import { generateKeyPairSync } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { createDigestWriter, createLocalDigestSigner, type SignedDigest } from '../../shared/audit/index.ts';
import { createS3DigestStore, digestObjectKey } from '../../shared/audit/s3-digest-store.ts';

/** What the S3 digest store sends (no AWS here): each object put once, under COMPLIANCE Object Lock. */
describe('S3 digest store', () => {
  it('puts a digest write-once with a compliance retention, and treats a 412 as taken', async () => {
    const sent: unknown[] = [];
    const client = {
      send: async (command: unknown) => {
        sent.push(command);
        if (
          command instanceof PutObjectCommand &&
          sent.filter((c) => c instanceof PutObjectCommand).length > 2
        )
          throw Object.assign(new Error('At least one of the pre-conditions you specified did not hold'), {
            name: 'PreconditionFailed',
            $metadata: { httpStatusCode: 412 },
          });
        return { Contents: [] };
      },
    } as unknown as S3Client;
    const now = new Date('2026-01-01T00:00:00.000Z');
    const store = createS3DigestStore({ client, bucket: 'acme-digests', now: () => now });
    const writer = createDigestWriter({
      store,
      signer: createLocalDigestSigner(generateKeyPairSync('ed25519').privateKey),
      clock: () => now,
    });
    const digest = (await writer.seal({
      conversationId: 'c-1',
      seq: 7,
      hash: 'a'.repeat(64),
    })) as SignedDigest;
    expect(digest).toMatchObject({ index: 1, seq: 7 });
    const puts = sent.filter((command) => command instanceof PutObjectCommand) as PutObjectCommand[];
    expect(puts.map((put) => put.input.Key)).toEqual([
      expect.stringMatching(/^keys\/[0-9a-f]{64}\.json$/),
      digestObjectKey('c-1', 1),
    ]);
    for (const put of puts)
      expect(put.input).toMatchObject({
        Bucket: 'acme-digests',
        IfNoneMatch: '*',
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: new Date('2032-12-30T00:00:00.000Z'),
        ChecksumAlgorithm: 'SHA256',
      });
    expect(digestObjectKey('c-1', 1)).toBe('digests/c-1/0000000001.json');
    await expect(store.put(digest)).rejects.toMatchObject({ name: 'DigestExistsError', index: 1 });
  });
});
