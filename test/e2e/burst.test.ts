import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBurstLog, runMessageBurst, summarizeBurst } from '../../bench/burst-driver.ts';
import { answerLocation } from '../../functions/chat-ingress-app.ts';
import { ASKS_IDENTITY, type E2e, startE2e } from './support.ts';

/**
 * Bursts are served, not failed (issue 15, item 4): many clients writing to one conversation at once
 * each get an acknowledgement within the wait (200 with the answer, or 202 with where to fetch it),
 * never a 5xx nor a "busy"; every message is then answered exactly once, in arrival order, and the
 * answer fetched is what its turn said. The wait is 1 ms here, so the 202 path is taken (0.2 s let a fast run answer every message in time).
 * `npm run bench burst` measures the scale (50 × 2).
 */

const ANSWER_WAIT_MS = 1;
const CLIENTS = 15;

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e('burst', { answerWaitMs: ANSWER_WAIT_MS });
});
afterAll(async () => {
  await e2e?.stop();
});

describe('chat channel: a burst on one conversation', () => {
  it(`acknowledges ${CLIENTS} clients × 2 messages within the wait and answers each once, in order`, async () => {
    const opened = await e2e.request('POST', '/v1/chat/conversations', {
      message: 'Hi, I want to cancel my order #W5918442',
    });
    expect(opened.status).toBe(201);
    const { conversationId, sessionToken, reply } = opened.body as {
      conversationId: string;
      sessionToken: string;
      reply: { text: string };
    };
    expect(reply.text).toBe(ASKS_IDENTITY);
    e2e.remember(conversationId, sessionToken);

    const messages = await runMessageBurst({
      url: e2e.url,
      conversationId,
      sessionToken,
      clients: CLIENTS,
      messagesPerClient: 2,
      answerTimeoutMs: 120_000,
    });
    const summary = summarizeBurst(messages);
    expect(messages).toHaveLength(CLIENTS * 2);
    expect(summary.serverErrors, JSON.stringify(summary.byStatus)).toBe(0);
    for (const message of messages) expect([200, 202], message.messageId).toContain(message.status);
    // Acknowledged within the wait (and the turn running when it ran out), not after the whole queue.
    expect(summary.ackP99).toBeLessThan(ANSWER_WAIT_MS + 10_000);
    const accepted = messages.filter((message) => message.status === 202);
    expect(
      accepted.length,
      'the burst outlasted the wait, so some messages were accepted for later',
    ).toBeGreaterThan(0);
    for (const message of accepted) {
      expect(message.location).toBe(answerLocation(conversationId, message.messageId));
      expect(message.fetchErrors).toEqual([]);
    }
    expect(summary.answered).toBe(messages.length);

    const log = await e2e.events(conversationId);
    expect(checkBurstLog(log, messages)).toEqual([]);
    expect((await e2e.verify(conversationId)).ok).toBe(true);
  }, 300_000);

  it('answers a fetch of a message it never received with 404, and a fetch without the token with 401', async () => {
    const opened = await e2e.request('POST', '/v1/chat/conversations', { message: 'Hi there' });
    const { conversationId, sessionToken } = opened.body as { conversationId: string; sessionToken: string };
    e2e.remember(conversationId, sessionToken);
    const unknown = await e2e.request('GET', answerLocation(conversationId, 'no-such-message'));
    expect(unknown.status).toBe(404);
    expect((unknown.body as { error: string }).error).toBe('message_not_found');
    const anonymous = await e2e.request('GET', answerLocation(conversationId, 'no-such-message'), undefined, {
      credentials: false,
    });
    expect(anonymous.status).toBe(401);
    // A message answered at once can be fetched again by its id: the same answer.
    const said = await e2e.request('POST', `/v1/chat/conversations/${conversationId}/messages`, {
      message: 'my email is sofia.rossi2645@example.com',
      messageId: 'fetch-me',
    });
    expect(said.status).toBe(200);
    const fetched = await e2e.request('GET', answerLocation(conversationId, 'fetch-me'));
    expect(fetched.status).toBe(200);
    expect((fetched.body as { reply: unknown }).reply).toEqual((said.body as { reply: unknown }).reply);
  }, 120_000);
});
