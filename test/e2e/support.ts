import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { expect, inject } from 'vitest';
import { z } from 'zod';
import { catalogue, conversation as retailConversation } from '../../aops/retail/tenant.ts';
import type { OrderRecord, User } from '../../aops/retail/tools/schemas.ts';
import { createRetailStore, type Versioned } from '../../aops/retail/tools/store.ts';
import { type PlatformOptions, type RunningPlatform, startPlatform } from '../../infra/local/platform.ts';
import { type ReplayReport, replayConversation, verifyEvents } from '../../shared/audit/index.ts';
import {
  type EventType,
  type StoredEvent,
  type StoredEventOf,
  StoredEventSchema,
} from '../../shared/events/catalogue.ts';
import { createEventStore } from '../../shared/events/store.ts';
import { createContentStore } from '../../shared/registry/content.ts';
import { createAopRegistry } from '../../shared/registry/registry.ts';
import { RETAIL_AOPS } from '../support/retail.ts';

/**
 * End-to-end harness: one whole platform per test file (HTTP server → local Step Functions →
 * handlers → DynamoDB Local → local model endpoint), talked to with real `fetch`. Assertions read
 * what a customer sees (the HTTP answers), what the audit API shows (the event log, its hash chain)
 * and what the store holds (the retail tables, read directly).
 */

const Status = z.enum(['active', 'resolved', 'escalated']);
export type ConversationStatus = z.infer<typeof Status>;
const Reply = z.object({ text: z.string() });
const StartedSchema = z.object({
  conversationId: z.string().min(1),
  sessionToken: z.string().min(1),
  reply: Reply,
  status: Status,
});
const AnsweredSchema = z.object({ reply: Reply, status: Status, duplicate: z.literal(true).optional() });
export const ProblemSchema = z.object({ error: z.string().min(1), message: z.string().min(1) });
const EventsSchema = z.object({ events: z.array(StoredEventSchema) });
const VerifySchema = z.object({ ok: z.boolean() }).loose();

export interface RequestOptions {
  /** Send the conversation's session token and the operator token where they apply (default true). */
  readonly credentials?: boolean;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HttpAnswer {
  readonly status: number;
  /** Parsed JSON, or the raw text when the body is not JSON. */
  readonly body: unknown;
}

export interface Answer {
  readonly http: number;
  readonly text: string;
  readonly status: ConversationStatus;
  readonly duplicate: boolean;
}

/** What a customer line is expected to get back: a text it contains, or a pattern it matches. */
export type Expected = string | RegExp;

export interface Conversation {
  readonly id: string;
  readonly answers: readonly Answer[];
  /** The status after the last answer. */
  readonly status: ConversationStatus;
  say(message: string, options?: { readonly messageId?: string }): Promise<Answer>;
  events(): Promise<StoredEvent[]>;
}

export interface E2e {
  readonly platform: RunningPlatform;
  readonly url: string;
  /** Any request; `body` is sent as is when a string, as JSON otherwise. */
  request(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<HttpAnswer>;
  /** Remember a session token (a conversation started by a raw `request`). */
  remember(conversationId: string, sessionToken: string): void;
  start(message: string): Promise<Conversation>;
  /** A conversation as a transcript: each customer line with what its reply must contain or match. */
  converse(script: readonly (readonly [message: string, expected: Expected])[]): Promise<Conversation>;
  /** The event log through the audit API. */
  events(conversationId: string): Promise<StoredEvent[]>;
  /** `/verify` of the audit API. */
  verify(conversationId: string): Promise<{ ok: boolean }>;
  /** Every conversation of this file's tenant, read from its events table (not the registry streams). */
  conversationIds(): Promise<string[]>;
  /** Deterministic replay of a recorded conversation on the versions it ran (no model call, no side effect). */
  replay(conversationId: string): Promise<ReplayReport>;
  /** A record as the retail tables hold it now, with its optimistic-concurrency version. */
  order(orderId: string): Promise<Versioned<OrderRecord>>;
  user(userId: string): Promise<Versioned<User>>;
  stop(): Promise<void>;
}

/** Starts the platform for one test file; `name` makes the tenant (and so every table) unique. */
export async function startE2e(
  name: string,
  options: Pick<PlatformOptions, 'answerWaitMs'> = {},
): Promise<E2e> {
  const tenant = `e2e-${name}-${randomUUID().slice(0, 8)}`;
  const platform = await startPlatform({
    aopsDir: RETAIL_AOPS,
    ...options,
    port: 0,
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    tenant,
  });
  const dynamodb = new DynamoDBClient({ endpoint: platform.dynamodbEndpoint });
  const store = createEventStore({ client: dynamodb, tableName: platform.eventsTable });
  const registry = createAopRegistry({
    events: store,
    contents: createContentStore({ client: dynamodb, tableName: platform.eventsTable }),
  });
  const retail = createRetailStore(dynamodb, platform.dataTablePrefix);

  // What a well-behaved client holds: each conversation's session token, and the operator token.
  const sessions = new Map<string, string>();
  async function request(
    method: string,
    path: string,
    body?: unknown,
    { credentials = true, headers = {} }: RequestOptions = {},
  ): Promise<HttpAnswer> {
    const sent: Record<string, string> = { ...headers };
    if (body !== undefined) sent['content-type'] ??= 'application/json';
    if (credentials) {
      const chat = /^\/v1\/chat\/conversations\/([^/]+)\//.exec(path)?.[1];
      const token = chat ? sessions.get(chat) : undefined;
      if (token) sent['x-session-token'] ??= token;
      if (path.startsWith('/v1/conversations/')) sent.authorization ??= `Bearer ${platform.operatorToken}`;
    }
    const response = await fetch(`${platform.url}${path}`, {
      method,
      headers: sent,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    try {
      return { status: response.status, body: JSON.parse(text) };
    } catch {
      return { status: response.status, body: text };
    }
  }

  async function events(conversationId: string): Promise<StoredEvent[]> {
    const answer = await request('GET', `/v1/conversations/${conversationId}/events`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return EventsSchema.parse(answer.body).events;
  }

  function conversation(id: string, first: Answer): Conversation {
    const answers: Answer[] = [first];
    return {
      id,
      answers,
      get status() {
        return answers[answers.length - 1]!.status;
      },
      async say(message, options = {}) {
        const { status, body } = await request('POST', `/v1/chat/conversations/${id}/messages`, {
          message,
          ...options,
        });
        expect(status, JSON.stringify(body)).toBe(200);
        const parsed = AnsweredSchema.parse(body);
        const answer = {
          http: status,
          text: parsed.reply.text,
          status: parsed.status,
          duplicate: parsed.duplicate === true,
        };
        answers.push(answer);
        return answer;
      },
      events: () => events(id),
    };
  }

  async function start(message: string): Promise<Conversation> {
    const { status, body } = await request('POST', '/v1/chat/conversations', { message });
    expect(status, JSON.stringify(body)).toBe(201);
    const parsed = StartedSchema.parse(body);
    sessions.set(parsed.conversationId, parsed.sessionToken);
    return conversation(parsed.conversationId, {
      http: status,
      text: parsed.reply.text,
      status: parsed.status,
      duplicate: false,
    });
  }

  return {
    platform,
    url: platform.url,
    request,
    remember: (conversationId, sessionToken) => sessions.set(conversationId, sessionToken),
    start,
    async converse(script) {
      const [opening, ...rest] = script;
      if (!opening) throw new Error('A conversation needs at least one customer message.');
      const chat = await start(opening[0]);
      expectReply(chat.answers[0]!, opening[1], opening[0]);
      for (const [message, expected] of rest) expectReply(await chat.say(message), expected, message);
      return chat;
    },
    events,
    async verify(conversationId) {
      const answer = await request('GET', `/v1/conversations/${conversationId}/verify`);
      expect(answer.status).toBe(200);
      return VerifySchema.parse(answer.body);
    },
    async replay(conversationId) {
      // The audit API serves customer data decrypted when the platform encrypts it; replay then
      // compares everything but the hashes (they cover the ciphertext, which /verify checks).
      const encrypted = Boolean(platform.keysTable);
      return replayConversation(encrypted ? await events(conversationId) : await store.read(conversationId), {
        catalogue,
        conversation: retailConversation,
        decrypted: encrypted,
        integrity: verifyEvents(await store.read(conversationId), { conversationId, locked: true }),
        resolve: async (aop) => ({
          aopId: aop.id,
          files: (await registry.content(aop.id, aop.version)).files,
        }),
      });
    },
    async conversationIds() {
      // The events table also holds other streams (the procedure registry's `aop#…`): keep conversations.
      const ids = await store.listConversations();
      const firsts = await Promise.all(ids.map((id) => store.read(id, { toSeq: 1 })));
      return ids.filter((_, index) => firsts[index]?.[0]?.type === 'conversation.started');
    },
    async order(orderId) {
      const found = await retail.getOrder(orderId);
      if (!found) throw new Error(`Order ${orderId} is not in the tables`);
      return found;
    },
    async user(userId) {
      const found = await retail.getUser(userId);
      if (!found) throw new Error(`User ${userId} is not in the tables`);
      return found;
    },
    async stop() {
      dynamodb.destroy();
      await platform.stop();
    },
  };
}

function expectReply(answer: Answer, expected: Expected, message: string) {
  const context = `reply to "${message}"`;
  if (typeof expected === 'string') expect(answer.text, context).toContain(expected);
  else expect(answer.text, context).toMatch(expected);
}

export function ofType<T extends EventType>(log: readonly StoredEvent[], type: T): StoredEventOf<T>[] {
  return log.filter((event): event is StoredEventOf<T> => event.type === type);
}

/** The guards checked before calls of `tool`, as `guard → passed`, in order. */
export function guardsOf(log: readonly StoredEvent[], tool: string): [string, boolean][] {
  return ofType(log, 'guard.checked')
    .filter((event) => event.data.tool === tool)
    .map((event) => [event.data.guard, event.data.passed]);
}

/** Calls of tools that change the store. */
export function writesOf(log: readonly StoredEvent[]): string[] {
  return ofType(log, 'tool.succeeded')
    .filter((event) => event.data.effect === 'write')
    .map((event) => event.data.tool);
}

export function toolsRequested(log: readonly StoredEvent[]): string[] {
  return ofType(log, 'tool.requested').map((event) => event.data.tool);
}

export const ASKS_IDENTITY = 'Could you tell me your email, or your first name, last name and zip code?';

/** Every conversation of a file's tenant verifies its hash chain and replays exactly. */
export async function expectEveryConversationIntactAndReplayable(e2e: E2e): Promise<void> {
  const ids = await e2e.conversationIds();
  expect(ids.length).toBeGreaterThan(0);
  for (const id of ids) {
    expect(await e2e.verify(id), id).toMatchObject({ ok: true });
    // Replaying the recorded turns (recorded model outputs and tool results) reproduces every event.
    const replay = await e2e.replay(id);
    expect(replay.first, id).toBeUndefined();
    expect(replay.ok, id).toBe(true);
  }
}
