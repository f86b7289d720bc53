import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { HttpEvent } from './http.ts';

/**
 * Who may act in a conversation, and who may read it (issue: a conversation id is not a credential).
 *
 * - A customer's channel session: the first answer of a conversation carries a session token, an
 *   HMAC of the tenant and the conversation id under the tenant's session secret; every later message
 *   must present it in the `x-session-token` header. Holding a conversation id, or a message id,
 *   gives nothing. (Not `Authorization`: that header carries the channel's own JWT or SigV4 in AWS.)
 * - An operator: the audit routes need `Authorization: Bearer <operator token>` locally (the token
 *   `npm start` prints; only its SHA-256 is configured), or IAM in AWS, where API Gateway checks the
 *   signature and the handler refuses a request that did not go through it.
 */

export const SESSION_HEADER = 'x-session-token';
const VERSION = 's1';

export interface SessionTokens {
  issue(conversationId: string): Promise<string>;
  verify(conversationId: string, token: string | undefined): Promise<boolean>;
}

/** `secret` is loaded once, lazily (from Secrets Manager in AWS, from the environment locally). */
export function createSessionTokens(tenant: string, secret: () => Promise<Buffer>): SessionTokens {
  let key: Promise<Buffer> | undefined;
  const mac = async (conversationId: string) => {
    key ??= secret();
    return createHmac('sha256', await key)
      .update(`${tenant}\n${conversationId}`)
      .digest('base64url');
  };
  return {
    async issue(conversationId) {
      return `${VERSION}.${await mac(conversationId)}`;
    },
    async verify(conversationId, token) {
      if (!token?.startsWith(`${VERSION}.`)) return false;
      const given = Buffer.from(token.slice(VERSION.length + 1));
      const expected = Buffer.from(await mac(conversationId));
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

export function headerOf(event: HttpEvent, name: string): string | undefined {
  const headers = event.headers ?? {};
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}

export type OperatorAuth =
  | { readonly kind: 'token'; readonly sha256: string }
  /** API Gateway's IAM authorizer checked the caller; the handler only insists that it did. */
  | { readonly kind: 'iam' };

export function operatorAllowed(event: HttpEvent, auth: OperatorAuth): boolean {
  if (auth.kind === 'iam') {
    const context = event.requestContext as { authorizer?: { iam?: unknown } };
    return context.authorizer?.iam !== undefined;
  }
  const header = headerOf(event, 'authorization');
  const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (!token) return false;
  const given = createHash('sha256').update(token).digest();
  const expected = Buffer.from(auth.sha256, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
