import { verifyChain } from '../shared/events/hash-chain.ts';
import type { EventStore } from '../shared/events/store.ts';
import { type OperatorAuth, operatorAllowed } from './commons/credentials.ts';
import { badEncoding, type HttpEvent, type HttpResult, json, problem } from './commons/http.ts';

/**
 * Read-only audit routes: the event log of a conversation and the verification of its hash chain.
 * `events` is what a reviewer reads (customer data decrypted, or `[erased]`); `stored` is the log as
 * stored, which the chain covers (default: `events`, when nothing is encrypted). Only an operator may
 * read them (commons/credentials.ts): a conversation id alone opens nothing.
 */
export function createAuditApi({
  events,
  stored = events,
  auth,
}: {
  events: EventStore;
  stored?: EventStore;
  auth: OperatorAuth;
}) {
  return async function handle(event: HttpEvent): Promise<HttpResult> {
    const encoding = badEncoding(event);
    if (encoding) return encoding;
    if (!operatorAllowed(event, auth))
      return problem(
        401,
        'operator_required',
        auth.kind === 'token'
          ? 'The audit routes need "Authorization: Bearer <operator token>" (npm start prints it).'
          : 'The audit routes need an IAM-signed request.',
      );
    const match = /^\/v1\/conversations\/([A-Za-z0-9-]{1,64})\/(events|verify)\/?$/.exec(event.rawPath);
    if (!match)
      return problem(404, 'not_found', `No route for ${event.requestContext.http.method} ${event.rawPath}.`);
    if (event.requestContext.http.method !== 'GET') return problem(405, 'method_not_allowed', 'Use GET.');
    const conversationId = match[1]!;
    const log = await events.read(conversationId);
    if (log.length === 0)
      return problem(404, 'conversation_not_found', `No conversation "${conversationId}" exists.`);
    if (match[2] === 'events') return json(200, { events: log });
    const result = verifyChain(stored === events ? log : await stored.read(conversationId), {
      conversationId,
    });
    return json(200, { conversationId, ...result });
  };
}
