import { z } from 'zod';
import {
  type ConversationService,
  isPendingAnswer,
  type PendingAnswer,
  type TurnAnswer,
} from '../shared/engine/conversation.ts';
import { isConversationNotFoundError, isMessageNotFoundError } from '../shared/engine/errors.ts';
import { isConcurrencyConflictError } from '../shared/events/errors.ts';
import { isConversationErasedError } from '../shared/privacy/errors.ts';
import { headerOf, SESSION_HEADER, type SessionTokens } from './commons/credentials.ts';
import { badEncoding, type HttpEvent, type HttpResult, json, problem, readJsonBody } from './commons/http.ts';

const MESSAGE_ID_RULE = 'must be 1-128 letters, digits, ".", "_", ":" or "-"';
const MessageId = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, MESSAGE_ID_RULE);

/**
 * The chat channel: `POST /v1/chat/conversations` starts a conversation with its first message,
 * `POST /v1/chat/conversations/{id}/messages` continues it, with the session token the first answer
 * gave (commons/credentials.ts) in the `x-session-token` header. A message to a busy conversation that
 * is not answered within the service's wait is answered `202` with a `Location`, and
 * `GET /v1/chat/conversations/{id}/messages/{messageId}` (same token) fetches its answer. Input and credential are checked
 * before anything is appended, so a rejected request leaves no trace in the log.
 */
export function createChatIngress({
  conversations,
  maxMessageChars,
  sessions,
}: {
  conversations: ConversationService;
  maxMessageChars: number;
  sessions: SessionTokens;
}) {
  const Body = z.object({
    message: z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(maxMessageChars, `must be at most ${maxMessageChars} characters`),
    messageId: MessageId.optional(),
  });
  const ConversationId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);

  return async function handle(event: HttpEvent): Promise<HttpResult> {
    const encoding = badEncoding(event);
    if (encoding) return encoding;
    const method = event.requestContext.http.method;
    const path = event.rawPath.replace(/\/+$/, '');
    const start = path === '/v1/chat/conversations';
    const continued = /^\/v1\/chat\/conversations\/([^/]+)\/messages$/.exec(path);
    const fetched = /^\/v1\/chat\/conversations\/([^/]+)\/messages\/([^/]+)$/.exec(path);
    if (!start && !continued && !fetched)
      return problem(404, 'not_found', `No route for ${method} ${event.rawPath}.`);
    if (fetched && method !== 'GET') return problem(405, 'method_not_allowed', 'Use GET.');
    if (!fetched && method !== 'POST') return problem(405, 'method_not_allowed', 'Use POST.');
    let parsed: z.infer<typeof Body> | undefined;
    if (!fetched) {
      const body = readJsonBody(event);
      if (!body.ok) return body.result;
      const valid = Body.safeParse(body.value);
      if (!valid.success) {
        const tooLong = valid.error.issues.some((issue) => issue.code === 'too_big');
        const reason = valid.error.issues
          .map((issue) => `${issue.path.join('.') || 'body'} ${issue.message}`)
          .join('; ');
        return problem(tooLong ? 413 : 400, tooLong ? 'message_too_long' : 'invalid_request', reason);
      }
      parsed = valid.data;
    }
    const conversationId = continued?.[1] ?? fetched?.[1];
    if (conversationId !== undefined) {
      // Nothing about the conversation (not even whether it exists) is told to a caller without its
      // session token.
      const token = headerOf(event, SESSION_HEADER);
      if (!token)
        return problem(
          401,
          'session_required',
          `Send the sessionToken of the conversation's first answer in the ${SESSION_HEADER} header.`,
        );
      if (
        !ConversationId.safeParse(conversationId).success ||
        !(await sessions.verify(conversationId, token))
      )
        return problem(403, 'session_invalid', 'This session token does not belong to this conversation.');
    }
    try {
      if (fetched || !parsed) {
        const messageId = decodeURIComponent(fetched?.[2] ?? '');
        if (!MessageId.safeParse(messageId).success)
          return problem(400, 'invalid_request', `messageId ${MESSAGE_ID_RULE}`);
        return answered(await conversations.answer(conversationId!, messageId), 200);
      }
      const answer = await conversations.handle({
        text: parsed.message,
        channel: 'chat',
        ...(conversationId ? { conversationId } : {}),
        ...(parsed.messageId ? { messageId: parsed.messageId } : {}),
      });
      if (!start) return answered(answer, 200);
      const sessionToken = await sessions.issue(answer.conversationId);
      return answered(answer, 201, { conversationId: answer.conversationId, sessionToken });
    } catch (error) {
      if (isConversationNotFoundError(error)) return problem(404, 'conversation_not_found', error.message);
      if (isMessageNotFoundError(error)) return problem(404, 'message_not_found', error.message);
      if (isConversationErasedError(error)) return problem(410, 'conversation_erased', error.message);
      // The message could not be stored among the others within the time a request may take: nothing
      // was written, and a retry with the same messageId is safe.
      if (isConcurrencyConflictError(error))
        return {
          ...problem(
            503,
            'conversation_contended',
            'Too many messages are arriving in this conversation at once; retry with the same messageId.',
          ),
          headers: { 'content-type': 'application/json', 'retry-after': '1' },
        };
      throw error;
    }
  };
}

/**
 * The answer to a message, or, when the conversation was busy for longer than a request waits, 202
 * Accepted: the message is stored and will be answered in its turn, and `Location` is where its
 * answer is fetched (`GET`, with the session token; 202 again until it is answered).
 */
function answered(
  answer: TurnAnswer | PendingAnswer,
  statusCode: number,
  extra: Record<string, string> = {},
): HttpResult {
  if (isPendingAnswer(answer)) {
    const location = answerLocation(answer.conversationId, answer.messageId);
    return {
      statusCode: 202,
      headers: { 'content-type': 'application/json', location, 'retry-after': '1' },
      body: JSON.stringify({
        ...extra,
        accepted: true,
        messageId: answer.messageId,
        location,
        ...(answer.duplicate ? { duplicate: true } : {}),
      }),
    };
  }
  return json(statusCode, {
    ...extra,
    reply: answer.reply,
    status: answer.status,
    ...(answer.duplicate ? { duplicate: true } : {}),
  });
}

/** Where a message's answer is fetched: `GET /v1/chat/conversations/{id}/messages/{messageId}`. */
export function answerLocation(conversationId: string, messageId: string): string {
  return `/v1/chat/conversations/${conversationId}/messages/${encodeURIComponent(messageId)}`;
}
