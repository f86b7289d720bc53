import { createHash } from 'node:crypto';
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { z } from 'zod';
import { canonicalJson } from '../events/hash-chain.ts';
import { CorruptContentError } from './errors.ts';

/**
 * What one AOP version is: the sources it was compiled from and the definition compiled from them.
 * A version is identified by the sha256 of this object's canonical JSON (`sourceHash` of its
 * `aop.published` event): the same sources and the same definition are the same version, and a change
 * to a followed sub-procedure or to the compiler's output is a new one.
 */
export const VersionContentSchema = z.object({
  aopId: z.string().min(1),
  title: z.string(),
  /** Routing description of this version. */
  when: z.string(),
  /** The procedure's file first, then every sub-procedure it follows, paths relative to the tenant folder's parent. */
  files: z.array(z.object({ path: z.string().min(1), text: z.string() })).min(1),
  /** The ASL as the compiler emitted it, `${…FunctionArn}` placeholders left in (JSON text). */
  definition: z.string().min(2),
  /** "More than N days ago" cut-offs the ingress must put in each turn's clock. */
  cutoffDays: z.array(z.int().nonnegative()),
});
export type VersionContent = z.infer<typeof VersionContentSchema>;

export function contentHash(content: VersionContent): string {
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

/** Sort key of a content item in its AOP's stream partition (`aop#<id>`); events use `e#…`. */
export const contentSortKey = (hash: string): string => `content#${hash}`;
export const registryStreamId = (aopId: string): string => `aop#${aopId}`;

export interface ContentStore {
  /** Stores the content under its hash (idempotent) and returns the hash. */
  put(content: VersionContent): Promise<string>;
  /** The content stored under `hash`, checked against it; undefined when there is none. */
  get(aopId: string, hash: string): Promise<VersionContent | undefined>;
}

/**
 * Contents live next to the registry events, in the events table, under the AOP's stream partition.
 * They are not events (a source can be larger than an event should be, and the chain need not carry it
 * twice): the chained `aop.published` event carries the hash, and every read recomputes it, so the chain
 * still vouches for what a version ran.
 */
export function createContentStore({
  client,
  tableName,
}: {
  readonly client: DynamoDBClient;
  readonly tableName: string;
}): ContentStore {
  return {
    async put(content) {
      const parsed = VersionContentSchema.parse(content);
      const hash = contentHash(parsed);
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pk: { S: registryStreamId(parsed.aopId) },
              sk: { S: contentSortKey(hash) },
              content: { S: JSON.stringify(parsed) },
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        // Content-addressed: an item under this hash already holds exactly this content.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
      return hash;
    },
    async get(aopId, hash) {
      const { Item } = await client.send(
        new GetItemCommand({
          TableName: tableName,
          Key: { pk: { S: registryStreamId(aopId) }, sk: { S: contentSortKey(hash) } },
          ConsistentRead: true,
        }),
      );
      if (!Item) return undefined;
      let content: VersionContent;
      try {
        content = VersionContentSchema.parse(JSON.parse(Item.content?.S ?? ''));
      } catch {
        throw new CorruptContentError({ aopId, hash, reason: 'is not a version content' });
      }
      if (contentHash(content) !== hash)
        throw new CorruptContentError({
          aopId,
          hash,
          reason: 'does not hash to the hash it is stored under',
        });
      return content;
    },
  };
}
