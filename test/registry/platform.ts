import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { inject } from 'vitest';
import { z } from 'zod';
import { createRetailStore } from '../../aops/retail/tools/store.ts';
import { type RunningPlatform, startPlatform } from '../../infra/local/platform.ts';
import { type StoredEvent, StoredEventSchema } from '../../shared/events/catalogue.ts';
import { createEventStore, type EventStore } from '../../shared/events/store.ts';
import { createDataKeyStore } from '../../shared/privacy/key-store.ts';
import { createLocalKeyWrapper } from '../../shared/privacy/key-wrapper.ts';
import { createPrivateEventStore } from '../../shared/privacy/private-store.ts';
import { RETAIL_AOPS } from '../support/retail.ts';

/**
 * One local platform per test file, on the shared DynamoDB Local, talked to over HTTP like a chat
 * widget and an auditor would. The tenant name makes every table unique to the file.
 */

const AnswerSchema = z.object({
  conversationId: z.string().optional(),
  sessionToken: z.string().optional(),
  reply: z.object({ text: z.string() }),
  status: z.enum(['active', 'resolved', 'escalated']),
});
export type Answer = z.infer<typeof AnswerSchema>;

export interface TestPlatform {
  readonly platform: RunningPlatform;
  readonly dynamodb: DynamoDBClient;
  /** The events as the handlers see them: customer data decrypted. */
  readonly events: EventStore;
  /** The events as stored: customer data encrypted. */
  readonly stored: EventStore;
  /** Starts a conversation and says the remaining lines in it; returns its id and every answer. */
  converse(lines: readonly string[]): Promise<{ id: string; answers: Answer[] }>;
  say(conversationId: string, line: string): Promise<Answer>;
  /** The session token of a conversation this harness started (the `x-session-token` header). */
  sessionOf(conversationId: string): string | undefined;
  /** The event log through the audit API. */
  log(conversationId: string): Promise<StoredEvent[]>;
  verify(conversationId: string): Promise<{ ok: boolean; [key: string]: unknown }>;
  userAddress(userId: string): Promise<Record<string, string> | undefined>;
  stop(): Promise<void>;
}

export async function startTestPlatform(name: string): Promise<TestPlatform> {
  const dynamodbEndpoint = inject('dynamodbEndpoint');
  const platform = await startPlatform({
    aopsDir: RETAIL_AOPS,
    port: 0,
    dynamodbEndpoint,
    tenant: `${name}-${randomUUID().slice(0, 8)}`,
    encryptCustomerData: true,
  });
  const dynamodb = new DynamoDBClient({ endpoint: dynamodbEndpoint });
  const retail = createRetailStore(dynamodb, platform.dataTablePrefix);
  const stored = createEventStore({ client: dynamodb, tableName: platform.eventsTable });
  // The platform hands its handlers the master key through the environment, as a Lambda gets its config.
  const masterKey = process.env.LOCAL_MASTER_KEY;
  const events =
    platform.keysTable && masterKey
      ? createPrivateEventStore({
          store: stored,
          keys: createDataKeyStore({
            client: dynamodb,
            tableName: platform.keysTable,
            wrapper: createLocalKeyWrapper(Buffer.from(masterKey, 'base64')),
          }),
        })
      : stored;

  const sessions = new Map<string, string>();
  const operator = { authorization: `Bearer ${platform.operatorToken}` };
  async function post(path: string, message: string, token?: string): Promise<Answer> {
    const response = await fetch(`${platform.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { 'x-session-token': token } : {}) },
      body: JSON.stringify({ message }),
    });
    const body: unknown = await response.json();
    if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${JSON.stringify(body)}`);
    return AnswerSchema.parse(body);
  }
  const say = (conversationId: string, line: string) =>
    post(`/v1/chat/conversations/${conversationId}/messages`, line, sessions.get(conversationId));

  return {
    platform,
    dynamodb,
    events,
    stored,
    async converse([first, ...rest]) {
      const started = await post('/v1/chat/conversations', first ?? '');
      const id = started.conversationId!;
      sessions.set(id, started.sessionToken!);
      const answers = [started];
      for (const line of rest) answers.push(await say(id, line));
      return { id, answers };
    },
    say,
    sessionOf: (conversationId) => sessions.get(conversationId),
    async log(conversationId) {
      const response = await fetch(`${platform.url}/v1/conversations/${conversationId}/events`, {
        headers: operator,
      });
      return z.object({ events: z.array(StoredEventSchema) }).parse(await response.json()).events;
    },
    async verify(conversationId) {
      const response = await fetch(`${platform.url}/v1/conversations/${conversationId}/verify`, {
        headers: operator,
      });
      return z
        .object({ ok: z.boolean() })
        .loose()
        .parse(await response.json());
    },
    async userAddress(userId) {
      return (await retail.getUser(userId))?.record.address as Record<string, string> | undefined;
    },
    async stop() {
      dynamodb.destroy();
      await platform.stop();
    },
  };
}

/** A customer of the retail seed, with the lines that authenticate them and change their address. */
export const CUSTOMERS = {
  noah: { userId: 'noah_brown_6181', email: 'noah.brown7922@example.com' },
  ivan: { userId: 'ivan_santos_6635', email: 'ivan.santos3158@example.com' },
  anya: { userId: 'anya_garcia_3271', email: 'anya.garcia2061@example.com' },
} as const;

export const NEW_ADDRESS = '123 Main St, Apt 1, Austin, TX, USA, 78701';
