import { verifyChain } from '../shared/events/hash-chain.ts';
import type { EventStore } from '../shared/events/store.ts';
import { type HttpEvent, type HttpResult, json, problem } from './commons/http.ts';

/** Read-only audit routes: the event log of a conversation and the verification of its hash chain. */
export function createAuditApi({ events }: { events: EventStore }) {
  return async function handle(event: HttpEvent): Promise<HttpResult> {
    const match = /^\/v1\/conversations\/([A-Za-z0-9-]{1,64})\/(events|verify)\/?$/.exec(event.rawPath);
    if (!match)
      return problem(404, 'not_found', `No route for ${event.requestContext.http.method} ${event.rawPath}.`);
    if (event.requestContext.http.method !== 'GET') return problem(405, 'method_not_allowed', 'Use GET.');
    const conversationId = match[1]!;
    const log = await events.read(conversationId);
    if (log.length === 0)
      return problem(404, 'conversation_not_found', `No conversation "${conversationId}" exists.`);
    if (match[2] === 'events') return json(200, { events: log });
    const result = verifyChain(log, { conversationId });
    return json(200, { conversationId, ...result });
  };
}
