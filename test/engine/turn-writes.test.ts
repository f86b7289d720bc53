import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEnv } from '../../functions/commons/env.ts';
import { createRuntime } from '../../functions/commons/runtime.ts';
import { createStoredStreamReader } from '../../shared/audit/stored-stream.ts';
import { pendingOf, runTool } from '../../shared/engine/steps.ts';
import { buildTurnInput } from '../../shared/engine/turn-input.ts';
import type { TurnState } from '../../shared/engine/turn-state.ts';
import type { NewEvent, StoredEvent } from '../../shared/events/catalogue.ts';
import { CUSTOMERS, NEW_ADDRESS, startTestPlatform, type TestPlatform } from '../registry/platform.ts';

/**
 * When a turn writes (docs/runtime.md): step events wait in the turn state and go in with the turn's
 * end, except around a write tool; the ingress decides on the events it has cached and falls back
 * when they are stale. Everything runs on the local platform (DynamoDB Local, local Step Functions and
 * model endpoints); the append records (`i#` items) show how the log was written.
 */

let t: TestPlatform;

beforeAll(async () => {
  t = await startTestPlatform('turn-writes');
});

afterAll(async () => {
  await t?.stop();
});

/** The keys of the appends made with one (every message and every step flush), in seq order. */
async function appendKeys(
  conversationId: string,
): Promise<{ key: string; fromSeq: number; toSeq: number }[]> {
  const reader = createStoredStreamReader({ client: t.dynamodb, tableName: t.platform.eventsTable });
  const { anchors } = await reader.read(conversationId);
  return [...anchors].sort((a, b) => a.fromSeq - b.fromSeq);
}

const typesOf = (events: readonly StoredEvent[], from: number, to: number) =>
  events.filter((event) => event.seq >= from && event.seq <= to).map((event) => event.type);

describe('a turn that only reads', () => {
  it('writes its message with turn.started, and every step event with turn.completed', async () => {
    const { userId, email } = CUSTOMERS.ivan;
    const { id, answers } = await t.converse(['What is my gift card balance?', `my email is ${email}`]);
    expect(answers.at(-1)?.reply.text).toMatch(/payment methods/);
    const log = await t.log(id);
    const keys = await appendKeys(id);
    // Two appends with a key, both customer messages; no step needed its events written early.
    expect(keys.map((anchor) => anchor.key.replace(/^message-.*/, 'message'))).toEqual([
      'message',
      'message',
    ]);
    const [first, second] = keys;
    expect(typesOf(log, first!.fromSeq, first!.toSeq)).toEqual([
      'conversation.started',
      'message.received',
      'model.called',
      'aop.selected',
      'turn.started',
    ]);
    expect(typesOf(log, second!.fromSeq, second!.toSeq)).toEqual(['message.received', 'turn.started']);
    // The second turn's steps (model call, look-ups, reply) all follow, in the order they ran.
    const rest = typesOf(log, second!.toSeq + 1, log.length);
    expect(rest.slice(0, 2)).toEqual(['model.called', 'slot.filled']);
    expect(rest).toContain('customer.authenticated');
    expect(rest.at(-1)).toMatch(/^(turn\.completed|conversation\.(resolved|escalated))$/);
    expect(log.find((e) => e.type === 'customer.authenticated')).toMatchObject({
      data: { customerId: userId },
    });
    expect((await t.verify(id)).ok).toBe(true);
  });
});

describe('a turn with a write tool', () => {
  it('makes the request durable before the call and the outcome right after it', async () => {
    const { email } = CUSTOMERS.noah;
    const { id, answers } = await t.converse([
      'I want to change my default address',
      `my email is ${email}`,
      NEW_ADDRESS,
      'yes',
    ]);
    expect(answers.at(-1)?.reply.text).toBe('Your default address is updated.');
    const log = await t.log(id);
    const keys = await appendKeys(id);
    const requested = keys.find((anchor) => anchor.key.endsWith('-requested'));
    const result = keys.find((anchor) => anchor.key.endsWith('-result'));
    expect(requested && result).toBeTruthy();
    // Before the call: what the turn had recorded, the guards, and the request, ending with it.
    const before = typesOf(log, requested!.fromSeq, requested!.toSeq);
    expect(before.slice(-4)).toEqual(['guard.checked', 'guard.checked', 'guard.checked', 'tool.requested']);
    expect(before).toContain('confirmation.recorded');
    // Right after: the outcome, in an append of its own that starts where the request's ended.
    expect(result!.fromSeq).toBe(requested!.toSeq + 1);
    expect(typesOf(log, result!.fromSeq, result!.toSeq)[0]).toBe('tool.succeeded');
    expect((await t.verify(id)).ok).toBe(true);
  });

  it('does not act twice when Step Functions retries the step with the same input', async () => {
    // The tool step as a retried Lambda would see it: the same turn state, twice.
    const { userId } = CUSTOMERS.anya;
    const runtime = createRuntime(loadEnv());
    const conversationId = `retry-${Date.now()}`;
    const time = new Date().toISOString();
    const base = (type: NewEvent['type'], data: unknown, extra: Partial<NewEvent> = {}) =>
      ({ type, time, actor: 'system', data, ...extra }) as NewEvent;
    const { events: written } = await runtime.events.append(
      conversationId,
      [
        base('conversation.started', { tenant: t.platform.tenant, channel: 'chat' }),
        base('message.received', { messageId: 'm1', text: 'yes', channel: 'chat' }, { actor: 'customer' }),
        base('customer.authenticated', { customerId: userId, tool: 'find_user_id_by_email' }, { turn: 1 }),
        base('confirmation.requested', { stepId: 'confirm', text: 'Change it?' }, { turn: 1 }),
        base('turn.started', { turn: 2, now: time, resume: '' }, { turn: 2 }),
      ],
      { expectedVersion: 0 },
    );
    const head = written.at(-1)!;
    const state: TurnState = {
      ...buildTurnInput({
        conversationId,
        tenant: t.platform.tenant,
        turn: 2,
        aop: { id: 'change-default-address', version: 1 },
        head: { seq: head.seq, hash: head.hash },
        message: 'yes',
        now: new Date(time),
        resume: '',
        cutoffDays: [],
        carried: { facts: {}, confirm: {}, counters: {}, awaiting: null },
      }),
      // This turn's "yes", recorded by its understand step and not written yet: the guard must see it.
      pending: [
        {
          type: 'confirmation.recorded',
          actor: 'customer',
          time,
          turn: 2,
          data: { stepId: 'confirm', confirmed: true },
        },
      ],
    };
    const input = {
      state,
      call: {
        tool: 'modify_user_address',
        produces: null,
        step: 'change',
        action: 'change.call',
        args: {
          user_id: userId,
          address1: '9 Retry Road',
          address2: '',
          city: 'Austin',
          state: 'TX',
          country: 'USA',
          zip: '78701',
        },
      },
    };
    const first = await runTool(runtime.steps, input);
    const again = await runTool(runtime.steps, JSON.parse(JSON.stringify(input)));
    expect(pendingOf(first)).toEqual([]);
    expect(again.ctx).toEqual(first.ctx);
    expect(again.facts.user).toEqual(first.facts.user);
    const log = await runtime.events.read(conversationId);
    expect(log.filter((e) => e.type === 'tool.requested')).toHaveLength(1);
    expect(log.filter((e) => e.type === 'tool.succeeded')).toHaveLength(1);
    expect(log.filter((e) => e.type === 'guard.checked').map((e) => e.data)).toEqual([
      { tool: 'modify_user_address', guard: 'authenticated', passed: true },
      { tool: 'modify_user_address', guard: 'owns', passed: true },
      { tool: 'modify_user_address', guard: 'confirmed', passed: true },
    ]);
    expect(await t.userAddress(userId)).toMatchObject({ address1: '9 Retry Road' });
  });
});

describe('a yes to a question that could not name the action', () => {
  it('writes nothing: the confirmed guard refuses a confirmation recorded as incomplete', async () => {
    const { userId } = CUSTOMERS.anya;
    const runtime = createRuntime(loadEnv());
    const conversationId = `incomplete-${Date.now()}`;
    const time = new Date().toISOString();
    const base = (type: NewEvent['type'], data: unknown, extra: Partial<NewEvent> = {}) =>
      ({ type, time, actor: 'system', data, ...extra }) as NewEvent;
    const before = await t.userAddress(userId);
    const { events: written } = await runtime.events.append(
      conversationId,
      [
        base('conversation.started', { tenant: t.platform.tenant, channel: 'chat' }),
        base('message.received', { messageId: 'm1', text: 'yes', channel: 'chat' }, { actor: 'customer' }),
        base('customer.authenticated', { customerId: userId, tool: 'find_user_id_by_email' }, { turn: 1 }),
        // The question rendered a fact it did not have ("I will change it to unknown"): recorded incomplete.
        base(
          'confirmation.requested',
          {
            stepId: 'confirm',
            text: 'I will change it to unknown. Shall I go ahead?',
            missing: ['address1'],
          },
          { turn: 1 },
        ),
        base('turn.started', { turn: 2, now: time, resume: '' }, { turn: 2 }),
      ],
      { expectedVersion: 0 },
    );
    const head = written.at(-1)!;
    const state: TurnState = {
      ...buildTurnInput({
        conversationId,
        tenant: t.platform.tenant,
        turn: 2,
        aop: { id: 'change-default-address', version: 1 },
        head: { seq: head.seq, hash: head.hash },
        message: 'yes',
        now: new Date(time),
        resume: '',
        cutoffDays: [],
        carried: { facts: {}, confirm: {}, counters: {}, awaiting: null },
      }),
      pending: [
        {
          type: 'confirmation.recorded',
          actor: 'customer',
          time,
          turn: 2,
          data: { stepId: 'confirm', confirmed: true },
        },
      ],
    };
    const call = {
      tool: 'modify_user_address',
      produces: null,
      step: 'change',
      action: 'change.call',
      args: {
        user_id: userId,
        address1: '1 Nowhere St',
        address2: '',
        city: 'Austin',
        state: 'TX',
        country: 'USA',
        zip: '78701',
      },
    };
    const after = await runTool(runtime.steps, { state, call });
    const events = [...(await runtime.events.read(conversationId)), ...pendingOf(after)];
    // The refusal is recorded (guard and tool outcome), and the address is unchanged.
    expect(
      events
        .filter((e) => e.type === 'guard.checked')
        .map((e) => (e.type === 'guard.checked' ? e.data : null)),
    ).toContainEqual({
      tool: 'modify_user_address',
      guard: 'confirmed',
      passed: false,
      reason: 'The confirmation question could not name every detail of the action.',
    });
    expect(events.filter((e) => e.type === 'tool.succeeded')).toHaveLength(0);
    expect(events.filter((e) => e.type === 'tool.failed')).toHaveLength(1);
    expect(await t.userAddress(userId)).toEqual(before);
  });
});

describe('the ingress deciding on what it has cached', () => {
  it('falls back to reading the log when another ingress answered in between', async () => {
    const { orderId, email } = { orderId: '#W2378156', email: CUSTOMERS.ivan.email };
    // Ingress A is the platform's (over HTTP); ingress B is a second container with caches of its own.
    const b = createRuntime(loadEnv()).conversations;
    const started = await t.converse([`Hi, what is the status of my order ${orderId}?`]);
    const id = started.id;
    const second = await b.handle({ conversationId: id, text: `my email is ${email}` });
    // A's cache ends before B's turn: its conditional append fails, and it answers from the log.
    const third = await t.say(id, 'thanks, bye');
    const log = await t.log(id);
    const turns = log.filter((e) => e.type === 'turn.completed');
    expect(turns).toHaveLength(3);
    expect(log.filter((e) => e.type === 'message.received')).toHaveLength(3);
    expect('reply' in second && second.reply.text).not.toBe('');
    expect(third.reply.text).toBe(
      log
        .filter((e) => e.type === 'message.sent' && e.turn === 3)
        .map((e) => (e.type === 'message.sent' ? e.data.text : ''))
        .join('\n\n'),
    );
    // B read the log and took the fast path (message with turn.started); A's went in alone, the careful way.
    const messages = (await appendKeys(id)).filter((anchor) => anchor.key.startsWith('message-'));
    expect(messages.map((anchor) => typesOf(log, anchor.fromSeq, anchor.toSeq).at(-1))).toEqual([
      'turn.started',
      'turn.started',
      'message.received',
    ]);
    // The chain and the turn protocol hold over the log as stored.
    expect((await t.verify(id)).ok).toBe(true);
  });
});

describe('a retried first message', () => {
  const start = async (message: string, messageId: string) => {
    const response = await fetch(`${t.platform.url}/v1/chat/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message, messageId }),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as {
      conversationId: string;
      reply: { text: string };
      duplicate?: boolean;
    };
  };
  const starts = (log: readonly StoredEvent[]) => ({
    started: log.filter((e) => e.type === 'conversation.started').length,
    received: log.filter((e) => e.type === 'message.received').length,
  });

  it('with the same message id, starts a conversation of its own each time, in sequence or at once: an id reveals nothing', async () => {
    const again = randomUUID();
    const first = await start('Hi, what is the status of my order #W2378156?', again);
    const second = await start('Hi, what is the status of my order #W2378156?', again);
    expect(second.conversationId).not.toBe(first.conversationId);
    expect(second.duplicate).toBeUndefined();
    expect(starts(await t.log(first.conversationId))).toEqual({ started: 1, received: 1 });
    expect(starts(await t.log(second.conversationId))).toEqual({ started: 1, received: 1 });

    const together = randomUUID();
    const [a, b] = await Promise.all([
      start('I want to change my default address', together),
      start('I want to change my default address', together),
    ]);
    expect(a.conversationId).not.toBe(b.conversationId);
    expect((await t.verify(a.conversationId)).ok).toBe(true);
    expect((await t.verify(b.conversationId)).ok).toBe(true);
  });

  it('with a guessable message id, starts a conversation each time (one customer must not land in another’s)', async () => {
    const a = await start('What is my gift card balance?', '1');
    const b = await start('What is my gift card balance?', '1');
    expect(a.conversationId).not.toBe(b.conversationId);
  });
});
