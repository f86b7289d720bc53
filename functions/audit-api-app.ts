import { type VerificationSources, verifyConversation } from '../shared/audit/verify-conversation.ts';
import type { EventStore } from '../shared/events/store.ts';
import { type OperatorAuth, operatorAllowed } from './commons/credentials.ts';
import { badEncoding, type HttpEvent, type HttpResult, json, problem } from './commons/http.ts';

/**
 * Read-only audit routes: the event log of a conversation and its verification. `events` is what a
 * reviewer reads (customer data decrypted, or `[erased]`); `verification` is where the log as stored
 * and its signed digests are read, and `/verify` runs exactly what `aop audit verify` runs
 * (shared/audit/verify-conversation.ts). Only an operator may read them (commons/credentials.ts): a
 * conversation id alone opens nothing.
 */
export function createAuditApi({
  events,
  verification,
  auth,
}: {
  events: EventStore;
  verification: VerificationSources;
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
    const missing = () =>
      problem(404, 'conversation_not_found', `No conversation "${conversationId}" exists.`);
    if (match[2] === 'verify') {
      // The items as stored, undecoded: a tampered item is a finding in the report, never a 500.
      const report = await verifyConversation(verification, conversationId);
      return !report.ok && report.reason === 'empty' ? missing() : json(200, report);
    }
    const log = await events.read(conversationId);
    return log.length === 0 ? missing() : json(200, { events: log });
  };
}
