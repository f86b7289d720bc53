import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { type PublishedKey, PublishedKeySchema, type SignedDigest, SignedDigestSchema } from './digest.ts';
import type { DigestStore } from './digest-store.ts';
import { DigestExistsError } from './errors.ts';

/**
 * The AWS digest store: an S3 bucket with Object Lock (the tenant stack's `DigestBucket`). Every
 * object is put with `If-None-Match: *` (S3 refuses to replace an existing key) and a COMPLIANCE
 * retention: until `retainUntil`, nobody, the account root included, can delete or overwrite that
 * version. The runtime role holds `s3:PutObject` (and reads), never `s3:DeleteObject*` nor
 * `s3:BypassGovernanceRetention`.
 *
 * Keys: `digests/<conversation id, URI-encoded>/<index, 10 digits>.json`, `keys/<fingerprint>.json`.
 */

/** Days a digest is kept under compliance-mode Object Lock; the bucket's default retention matches. */
export const DIGEST_RETENTION_DAYS = 2555;

export interface S3DigestStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Days of COMPLIANCE retention for each object. Default: `DIGEST_RETENTION_DAYS` (7 years). */
  readonly retentionDays?: number;
  readonly now?: () => Date;
}

const INDEX_DIGITS = 10;
const prefixOf = (conversationId: string) => `digests/${encodeURIComponent(conversationId)}/`;
export const digestObjectKey = (conversationId: string, index: number): string =>
  `${prefixOf(conversationId)}${String(index).padStart(INDEX_DIGITS, '0')}.json`;
const keyObjectKey = (fingerprint: string) => `keys/${fingerprint}.json`;

/** The PutObject request for one write-once, compliance-locked object (exported: the unit test reads it). */
export function lockedPutRequest(
  bucket: string,
  key: string,
  body: unknown,
  retainUntil: Date,
): PutObjectCommandInput {
  return {
    Bucket: bucket,
    Key: key,
    Body: JSON.stringify(body),
    ContentType: 'application/json',
    IfNoneMatch: '*',
    ObjectLockMode: 'COMPLIANCE',
    ObjectLockRetainUntilDate: retainUntil,
    // Object Lock puts need an integrity checksum.
    ChecksumAlgorithm: 'SHA256',
  };
}

export function createS3DigestStore({
  client,
  bucket,
  retentionDays = DIGEST_RETENTION_DAYS,
  now = () => new Date(),
}: S3DigestStoreOptions): DigestStore {
  const retainUntil = () => new Date(now().getTime() + retentionDays * 86_400_000);
  async function putOnce(key: string, body: unknown): Promise<boolean> {
    try {
      await client.send(new PutObjectCommand(lockedPutRequest(bucket, key, body, retainUntil())));
      return true;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 412 || (error as Error).name === 'PreconditionFailed') return false;
      throw error;
    }
  }
  async function listKeys(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
  async function read(key: string): Promise<unknown> {
    const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = (await answer.Body?.transformToString('utf8')) ?? '';
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return { unparsable: text };
    }
  }
  return {
    async put(digest: SignedDigest) {
      if (!(await putOnce(digestObjectKey(digest.conversationId, digest.index), digest)))
        throw new DigestExistsError(digest.conversationId, digest.index);
    },
    async list(conversationId) {
      return Promise.all((await listKeys(prefixOf(conversationId))).map(read));
    },
    async latest(conversationId) {
      const newest = (await listKeys(prefixOf(conversationId))).at(-1);
      return newest === undefined ? undefined : SignedDigestSchema.parse(await read(newest));
    },
    async publishKey(key: PublishedKey) {
      await putOnce(keyObjectKey(key.fingerprint), key);
    },
    async keys() {
      const all = await Promise.all((await listKeys('keys/')).map(read));
      return all.flatMap((value) => {
        const parsed = PublishedKeySchema.safeParse(value);
        return parsed.success ? [parsed.data] : [];
      });
    },
  };
}
