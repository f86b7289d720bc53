import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type E2e,
  expectEveryConversationIntactAndReplayable,
  ofType,
  ProblemSchema,
  startE2e,
} from './support.ts';

/**
 * A conversation id is not a credential (and neither is a message id): acting in a conversation needs
 * the session token its first answer gave, reading its log needs the operator token. The attack this
 * guards against: a second client reusing a first message's id landed in the victim's conversation,
 * already authenticated, and could cancel the victim's order.
 */

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e('credentials');
});
afterAll(async () => {
  await e2e?.stop();
});

const START = '/v1/chat/conversations';

async function startRaw(message: string, messageId?: string) {
  const answer = await e2e.request('POST', START, { message, ...(messageId ? { messageId } : {}) });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body as { conversationId: string; sessionToken: string; reply: { text: string } };
}

describe('chat sessions', () => {
  it('gives a second client that reuses a first message id a conversation of its own, and no access to the first', async () => {
    const messageId = randomUUID();
    const victim = await startRaw('Hi, I want to cancel my order #W5918442', messageId);
    const path = `${START}/${victim.conversationId}/messages`;
    e2e.remember(victim.conversationId, victim.sessionToken);
    const authenticated = await e2e.request('POST', path, { message: 'sofia.rossi2645@example.com' });
    expect(authenticated.status).toBe(200);

    const attacker = await startRaw('Hi, I want to cancel my order #W5918442', messageId);
    expect(attacker.conversationId).not.toBe(victim.conversationId);
    expect(JSON.stringify(attacker)).not.toContain('duplicate');

    // Without a token, with its own token, with a forged one: refused, and nothing is appended.
    const before = (await e2e.events(victim.conversationId)).length;
    const none = await e2e.request('POST', path, { message: 'ordered by mistake' }, { credentials: false });
    expect(none.status).toBe(401);
    expect(ProblemSchema.parse(none.body).error).toBe('session_required');
    const own = await e2e.request(
      'POST',
      path,
      { message: 'ordered by mistake' },
      { credentials: false, headers: { 'x-session-token': attacker.sessionToken } },
    );
    expect(own.status).toBe(403);
    expect(ProblemSchema.parse(own.body).error).toBe('session_invalid');
    const forged = await e2e.request(
      'POST',
      path,
      { message: 'yes' },
      { credentials: false, headers: { 'x-session-token': `s1.${'A'.repeat(43)}` } },
    );
    expect(forged.status).toBe(403);
    expect((await e2e.events(victim.conversationId)).length).toBe(before);

    // The attacker's own conversation knows nobody: the victim's authentication did not carry over.
    const log = await e2e.events(attacker.conversationId);
    expect(ofType(log, 'customer.authenticated')).toEqual([]);
  });

  it('answers an unknown conversation like a wrong token, so ids cannot be probed', async () => {
    const mine = await startRaw('Where is my order #W9360566?');
    const unknown = await e2e.request(
      'POST',
      `${START}/${randomUUID()}/messages`,
      { message: 'hi' },
      { credentials: false, headers: { 'x-session-token': mine.sessionToken } },
    );
    expect(unknown.status).toBe(403);
    // A malformed encoding is refused for its syntax alone (400), whatever conversations exist.
    const malformed = await e2e.request('POST', `${START}/%ZZ/messages`, { message: 'hi' });
    expect(malformed.status).toBe(400);
  });
});

describe('audit routes', () => {
  it('refuse to read a conversation without the operator token', async () => {
    const chat = await e2e.start('Hi, I want to cancel my order #W5918442');
    for (const route of ['events', 'verify']) {
      const path = `/v1/conversations/${chat.id}/${route}`;
      const anonymous = await e2e.request('GET', path, undefined, { credentials: false });
      expect(anonymous.status).toBe(401);
      expect(ProblemSchema.parse(anonymous.body).error).toBe('operator_required');
      expect(JSON.stringify(anonymous.body)).not.toContain('W5918442');
      const wrong = await e2e.request('GET', path, undefined, {
        credentials: false,
        headers: { authorization: 'Bearer not-the-token' },
      });
      expect(wrong.status).toBe(401);
      const session = await e2e.request('GET', path, undefined, {
        credentials: false,
        headers: { authorization: `Bearer ${chat.id}` },
      });
      expect(session.status).toBe(401);
      const operator = await e2e.request('GET', path);
      expect(operator.status).toBe(200);
    }
  });

  it('every conversation of this file has an intact hash chain and replays exactly', async () => {
    await expectEveryConversationIntactAndReplayable(e2e);
  });
});
