import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Conversation,
  type E2e,
  expectEveryConversationIntactAndReplayable,
  ProblemSchema,
  startE2e,
} from './support.ts';

/**
 * Requests the API must refuse: each gets a 4xx with a machine-readable `error` and a `message` a
 * client can act on, and leaves no trace: the existing conversation has as many events as before
 * and no conversation was created.
 */

let e2e: E2e;
let existing: Conversation;
beforeAll(async () => {
  e2e = await startE2e('bad-input');
  existing = await e2e.start('Where is my order #W9360566?');
});
afterAll(async () => {
  await e2e?.stop();
});

const MAX_MESSAGE_CHARS = 4000; // LIMITS.maxMessageChars by default
const START = '/v1/chat/conversations';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

interface BadRequest {
  readonly case: string;
  readonly method: string;
  /** `{id}` is the existing conversation. */
  readonly path: string;
  readonly body?: unknown;
  readonly status: number;
  readonly error: string;
}

/** The same body faults on both chat routes. */
const bodyFaults = (path: string): BadRequest[] => [
  {
    case: 'malformed JSON',
    method: 'POST',
    path,
    body: '{"message": "hi"',
    status: 400,
    error: 'malformed_json',
  },
  { case: 'no body at all', method: 'POST', path, status: 400, error: 'missing_body' },
  {
    case: 'no message field',
    method: 'POST',
    path,
    body: { text: 'hi' },
    status: 400,
    error: 'invalid_request',
  },
  {
    case: 'a message that is not text',
    method: 'POST',
    path,
    body: { message: 42 },
    status: 400,
    error: 'invalid_request',
  },
  {
    case: 'an empty message',
    method: 'POST',
    path,
    body: { message: '' },
    status: 400,
    error: 'invalid_request',
  },
  {
    case: 'a message of blanks only',
    method: 'POST',
    path,
    body: { message: ' \n\t ' },
    status: 400,
    error: 'invalid_request',
  },
  {
    case: 'a message one character over the limit',
    method: 'POST',
    path,
    body: { message: 'a'.repeat(MAX_MESSAGE_CHARS + 1) },
    status: 413,
    error: 'message_too_long',
  },
  {
    case: 'a body over 1 MB',
    method: 'POST',
    path,
    body: { message: 'a'.repeat(1_100_000) },
    status: 413,
    error: 'body_too_large',
  },
  { case: 'a JSON array', method: 'POST', path, body: '[]', status: 400, error: 'invalid_request' },
  {
    case: 'a malformed messageId',
    method: 'POST',
    path,
    body: { message: 'hi', messageId: 'has spaces/and slashes' },
    status: 400,
    error: 'invalid_request',
  },
];

const BAD_REQUESTS: BadRequest[] = [
  ...bodyFaults(START).map((fault) => ({ ...fault, case: `start: ${fault.case}` })),
  ...bodyFaults(`${START}/{id}/messages`).map((fault) => ({ ...fault, case: `continue: ${fault.case}` })),
  {
    case: 'a message to an unknown conversation (no session token)',
    method: 'POST',
    path: `${START}/${UNKNOWN_ID}/messages`,
    body: { message: 'hello?' },
    status: 401,
    error: 'session_required',
  },
  {
    case: 'a message to a conversation id that cannot exist (no session token)',
    method: 'POST',
    path: `${START}/not%20an%20id!/messages`,
    body: { message: 'hello?' },
    status: 401,
    error: 'session_required',
  },
  {
    case: 'a conversation id with a malformed percent-encoding (%ZZ)',
    method: 'POST',
    path: `${START}/%ZZ/messages`,
    body: { message: 'hello?' },
    status: 400,
    error: 'bad_encoding',
  },
  {
    case: 'a lone % in the path',
    method: 'GET',
    path: '/v1/conversations/%/events',
    status: 400,
    error: 'bad_encoding',
  },
  { case: 'GET on the start route', method: 'GET', path: START, status: 405, error: 'method_not_allowed' },
  {
    case: 'PUT on the message route',
    method: 'PUT',
    path: `${START}/{id}/messages`,
    body: { message: 'hi' },
    status: 405,
    error: 'method_not_allowed',
  },
  {
    case: 'DELETE on a conversation',
    method: 'DELETE',
    path: `${START}/{id}`,
    status: 404,
    error: 'not_found',
  },
  {
    case: 'an unknown chat route',
    method: 'POST',
    path: '/v1/chat/threads',
    body: { message: 'hi' },
    status: 404,
    error: 'not_found',
  },
  {
    case: 'an unknown API version',
    method: 'POST',
    path: '/v2/chat/conversations',
    body: { message: 'hi' },
    status: 404,
    error: 'not_found',
  },
  {
    case: 'POST on the audit log',
    method: 'POST',
    path: '/v1/conversations/{id}/events',
    body: {},
    status: 405,
    error: 'method_not_allowed',
  },
  {
    case: 'the log of an unknown conversation',
    method: 'GET',
    path: `/v1/conversations/${UNKNOWN_ID}/events`,
    status: 404,
    error: 'conversation_not_found',
  },
  {
    case: 'the verification of an unknown conversation',
    method: 'GET',
    path: `/v1/conversations/${UNKNOWN_ID}/verify`,
    status: 404,
    error: 'conversation_not_found',
  },
];

describe('chat API: bad input', () => {
  it.each(BAD_REQUESTS)('refuses $case with $status and appends nothing', async (bad) => {
    const before = { events: (await existing.events()).length, conversations: await e2e.conversationIds() };
    const answer = await e2e.request(bad.method, bad.path.replace('{id}', existing.id), bad.body);
    expect(answer.status).toBe(bad.status);
    const problem = ProblemSchema.parse(answer.body);
    expect(problem.error).toBe(bad.error);
    expect(problem.message.length).toBeGreaterThan(5);
    expect((await existing.events()).length).toBe(before.events);
    expect(await e2e.conversationIds()).toEqual(before.conversations);
  });

  it('says what is wrong and what is allowed', async () => {
    const tooLong = await e2e.request('POST', START, { message: 'a'.repeat(MAX_MESSAGE_CHARS + 1) });
    expect(ProblemSchema.parse(tooLong.body).message).toBe('message must be at most 4000 characters');
    const missing = await e2e.request('POST', START, { text: 'hi' });
    expect(ProblemSchema.parse(missing.body).message).toContain('message');
    const unknown = await e2e.request('POST', `${START}/${UNKNOWN_ID}/messages`, { message: 'hi' });
    expect(ProblemSchema.parse(unknown.body).message).toBe(
      "Send the sessionToken of the conversation's first answer in the x-session-token header.",
    );
  });

  it('accepts a message of exactly the limit', async () => {
    const before = (await e2e.conversationIds()).length;
    const answer = await e2e.request('POST', START, { message: 'a'.repeat(MAX_MESSAGE_CHARS) });
    expect(answer.status).toBe(201);
    expect(await e2e.conversationIds()).toHaveLength(before + 1);
  });

  it('every conversation of this file has an intact hash chain and replays exactly', async () => {
    expect(await e2e.conversationIds()).toContain(existing.id);
    await expectEveryConversationIntactAndReplayable(e2e);
  });
});
