import { z } from 'zod';
import type { RunningPlatform } from '../../infra/local/platform.ts';
import { type ConversationStatus, STATUSES } from './format.ts';

/**
 * The local platform over HTTP as a channel and an auditor use it: conversations started and answered
 * with their session tokens, the event log and its verification through the audit API (operator token).
 * `aop test` and `aop simulate` talk to the platform only through this.
 */

const Status = z.enum(STATUSES);
const Started = z.object({
  conversationId: z.string().min(1),
  sessionToken: z.string().optional(),
  reply: z.object({ text: z.string() }),
  status: Status,
});
const Answered = z.object({ reply: z.object({ text: z.string() }), status: Status });
// Loose: the event as the audit API gives it (turn, step, aop, actor, time …), for those who fold it.
const LoggedEventSchema = z
  .object({
    seq: z.number(),
    type: z.string(),
    data: z.record(z.string(), z.unknown()).default({}),
  })
  .loose();
export type LoggedEvent = z.infer<typeof LoggedEventSchema>;
const Events = z.object({ events: z.array(LoggedEventSchema) });
const Verified = z.object({ ok: z.boolean() }).loose();

export type Answer =
  | { readonly conversationId: string; readonly text: string; readonly status: ConversationStatus }
  | { readonly error: string };

export interface ChatClient {
  start(message: string): Promise<Answer>;
  say(conversationId: string, message: string): Promise<Answer>;
  events(conversationId: string): Promise<{ readonly events: LoggedEvent[] } | { readonly error: string }>;
  /** true, or why not. */
  verify(conversationId: string): Promise<true | string>;
}

/** What a well-behaved channel holds: each conversation's session token; and the operator token for the audit API. */
export function createChatClient(platform: RunningPlatform, timeoutMs: number): ChatClient {
  const sessions = new Map<string, string>();
  async function request(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    conversationId?: string,
  ): Promise<{ status: number; body: unknown } | { error: string }> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const session = conversationId ? sessions.get(conversationId) : undefined;
    if (session) headers['x-session-token'] = session;
    if (path.startsWith('/v1/conversations/') && platform.operatorToken)
      headers.authorization = `Bearer ${platform.operatorToken}`;
    try {
      const response = await fetch(`${platform.url}${path}`, {
        method,
        headers,
        signal: AbortSignal.timeout(timeoutMs),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {}
      return { status: response.status, body: parsed };
    } catch (error) {
      return {
        error:
          error instanceof Error && error.name === 'TimeoutError'
            ? `no answer within ${timeoutMs / 1000} s`
            : `request failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }
  const unexpected = (answer: { status: number; body: unknown }) =>
    `HTTP ${answer.status} ${short(answer.body, 300)}`;

  return {
    async start(message) {
      const answer = await request('POST', '/v1/chat/conversations', { message });
      if ('error' in answer) return answer;
      const parsed = Started.safeParse(answer.body);
      if (answer.status !== 201 || !parsed.success) return { error: unexpected(answer) };
      if (parsed.data.sessionToken) sessions.set(parsed.data.conversationId, parsed.data.sessionToken);
      return {
        conversationId: parsed.data.conversationId,
        text: parsed.data.reply.text,
        status: parsed.data.status,
      };
    },
    async say(conversationId, message) {
      const answer = await request(
        'POST',
        `/v1/chat/conversations/${conversationId}/messages`,
        { message },
        conversationId,
      );
      if ('error' in answer) return answer;
      const parsed = Answered.safeParse(answer.body);
      if (answer.status !== 200 || !parsed.success) return { error: unexpected(answer) };
      return { conversationId, text: parsed.data.reply.text, status: parsed.data.status };
    },
    async events(conversationId) {
      const answer = await request('GET', `/v1/conversations/${conversationId}/events`);
      if ('error' in answer) return answer;
      const parsed = Events.safeParse(answer.body);
      if (answer.status !== 200 || !parsed.success) return { error: unexpected(answer) };
      return { events: parsed.data.events };
    },
    async verify(conversationId) {
      const answer = await request('GET', `/v1/conversations/${conversationId}/verify`);
      if ('error' in answer) return answer.error;
      const parsed = Verified.safeParse(answer.body);
      if (answer.status !== 200 || !parsed.success) return unexpected(answer);
      return parsed.data.ok ? true : short(answer.body, 300);
    },
  };
}

function short(value: unknown, max = 160): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
