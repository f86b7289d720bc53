import { z } from 'zod';
import type { ConversationService } from '../shared/engine/conversation.ts';
import { isConversationBusyError, isConversationNotFoundError } from '../shared/engine/errors.ts';
import { isConversationErasedError } from '../shared/privacy/errors.ts';
import { headerOf, SESSION_HEADER, type SessionTokens } from './commons/credentials.ts';
import { badEncoding, type HttpEvent, type HttpResult, json, problem, readJsonBody } from './commons/http.ts';

/**
 * The chat channel: `POST /v1/chat/conversations` starts a conversation with its first message,
 * `POST /v1/chat/conversations/{id}/messages` continues it, with the session token the first answer
 * gave (commons/credentials.ts) in the `x-session-token` header. Input and credential are checked
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
    messageId: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 letters, digits, ".", "_", ":" or "-"')
      .optional(),
  });
  const ConversationId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/);

  return async function handle(event: HttpEvent): Promise<HttpResult> {
    const encoding = badEncoding(event);
    if (encoding) return encoding;
    const method = event.requestContext.http.method;
    const path = event.rawPath.replace(/\/+$/, '');
    const start = path === '/v1/chat/conversations';
    const continued = /^\/v1\/chat\/conversations\/([^/]+)\/messages$/.exec(path);
    if (!start && !continued) return problem(404, 'not_found', `No route for ${method} ${event.rawPath}.`);
    if (method !== 'POST') return problem(405, 'method_not_allowed', 'Use POST.');
    const body = readJsonBody(event);
    if (!body.ok) return body.result;
    const parsed = Body.safeParse(body.value);
    if (!parsed.success) {
      const tooLong = parsed.error.issues.some((issue) => issue.code === 'too_big');
      const reason = parsed.error.issues
        .map((issue) => `${issue.path.join('.') || 'body'} ${issue.message}`)
        .join('; ');
      return problem(tooLong ? 413 : 400, tooLong ? 'message_too_long' : 'invalid_request', reason);
    }
    const conversationId = continued ? continued[1]! : undefined;
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
      const answer = await conversations.handle({
        text: parsed.data.message,
        channel: 'chat',
        ...(conversationId ? { conversationId } : {}),
        ...(parsed.data.messageId ? { messageId: parsed.data.messageId } : {}),
      });
      return start
        ? json(201, {
            conversationId: answer.conversationId,
            sessionToken: await sessions.issue(answer.conversationId),
            reply: answer.reply,
            status: answer.status,
            ...(answer.duplicate ? { duplicate: true } : {}),
          })
        : json(200, {
            reply: answer.reply,
            status: answer.status,
            ...(answer.duplicate ? { duplicate: true } : {}),
          });
    } catch (error) {
      if (isConversationNotFoundError(error)) return problem(404, 'conversation_not_found', error.message);
      if (isConversationBusyError(error)) return problem(409, 'conversation_busy', error.message);
      if (isConversationErasedError(error)) return problem(410, 'conversation_erased', error.message);
      throw error;
    }
  };
}
