import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToolRuntime } from '../../aops/retail/tenant.ts';
import { createRetailStore } from '../../aops/retail/tools/store.ts';
import { runRewindCommand } from '../../cli/rewind.ts';
import { createConversationLock } from '../../shared/engine/lock.ts';
import { isInvalidRewindError } from '../../shared/rewind/errors.ts';
import { type RewindDependencies, rewindConversation } from '../../shared/rewind/rewind.ts';
import { CUSTOMERS, NEW_ADDRESS, startTestPlatform, type TestPlatform } from '../registry/platform.ts';

/**
 * Rewind on the retail tools, end to end: conversations run on the local platform, then are rewound;
 * the retail tables show what was undone, the event log shows how, and a second rewind does nothing.
 */

let t: TestPlatform;
let deps: RewindDependencies;

beforeAll(async () => {
  t = await startTestPlatform('rewind');
  deps = {
    events: t.events,
    tools: createToolRuntime({ client: t.dynamodb, tablePrefix: t.platform.dataTablePrefix }),
    lock: createConversationLock({ client: t.dynamodb, tableName: t.platform.eventsTable }),
  };
});

afterAll(async () => {
  await t?.stop();
});

/** Runs `aop rewind …` in-process against this file's platform. */
async function aopRewind(...args: string[]) {
  let out = '';
  let err = '';
  const code = await runRewindCommand(
    [
      ...args,
      '--platform',
      '/nonexistent/platform.json',
      '--tenant',
      t.platform.tenant,
      '--dynamodb',
      t.platform.dynamodbEndpoint,
      '--data-table-prefix',
      t.platform.dataTablePrefix,
      // The platform's deployment name is random here, so it cannot say which tenant folder it serves.
      '--aops',
      'aops/retail',
    ],
    { out: (text) => (out += text), err: (text) => (err += text), cwd: join(import.meta.dirname, '../..') },
  );
  return { code, out, err };
}

/** Seq of the message that started the request whose text is `text`. */
async function seqBefore(conversationId: string, text: string): Promise<number> {
  const message = (await t.log(conversationId)).find(
    (event) => event.type === 'message.received' && event.data.text === text,
  );
  if (!message) throw new Error(`no message "${text}" in ${conversationId}`);
  return message.seq - 1;
}

describe('aop rewind', () => {
  it('puts the default address back after a change-default-address conversation, once', async () => {
    const { userId, email } = CUSTOMERS.noah;
    const before = await t.userAddress(userId);
    const change = 'I want to change my default address';
    const { id, answers } = await t.converse([
      'What is my gift card balance?',
      `my email is ${email}`,
      change,
      NEW_ADDRESS,
      'yes',
    ]);
    expect(answers.at(-1)?.reply.text).toBe('Your default address is updated.');
    expect(await t.userAddress(userId)).toMatchObject({ address1: '123 Main St', city: 'Austin' });
    const write = (await t.log(id)).find(
      (e) => e.type === 'tool.succeeded' && e.data.tool === 'modify_user_address',
    )!;

    const toSeq = await seqBefore(id, change);
    const report = await rewindConversation(deps, {
      conversationId: id,
      toSeq,
      reason: 'customer disputes the change',
    });
    expect(report).toMatchObject({ alreadyDone: false, manual: [] });
    expect(report.compensated).toEqual([
      {
        forSeq: write.seq,
        tool: 'modify_user_address',
        input: { user_id: userId, ...before },
        output: expect.objectContaining({ address: before }),
      },
    ]);
    expect(await t.userAddress(userId)).toEqual(before);

    const log = await t.log(id);
    const appended = log.slice(log.findIndex((e) => e.type === 'conversation.rewound')).map((e) => e.type);
    expect(appended).toEqual(['conversation.rewound', 'compensation.ran']);
    expect(log.find((e) => e.type === 'conversation.rewound')?.data).toEqual({
      toSeq,
      reason: 'customer disputes the change',
    });
    expect(log.find((e) => e.type === 'compensation.ran')).toMatchObject({
      actor: 'operator',
      data: { tool: 'modify_user_address', forSeq: write.seq },
    });
    expect(await t.verify(id)).toMatchObject({ ok: true });

    const again = await rewindConversation(deps, { conversationId: id, toSeq });
    expect(again).toMatchObject({ alreadyDone: true, compensated: [] });
    expect((await t.log(id)).length).toBe(log.length);
    expect(await t.userAddress(userId)).toEqual(before);
  });

  it('puts an order shipping address back from the order details the procedure read', async () => {
    const retail = createRetailStore(t.dynamodb, t.platform.dataTablePrefix);
    const orderId = '#W2974929';
    const before = (await retail.getOrder(orderId))?.record.address;
    const { id, answers } = await t.converse([
      `I want to change the shipping address of order ${orderId}`,
      'my email is fatima.anderson1447@example.com',
      NEW_ADDRESS,
      'yes',
    ]);
    expect(answers.at(-1)?.reply.text).toContain('will ship to the new address');
    expect((await retail.getOrder(orderId))?.record.address).toMatchObject({ city: 'Austin' });
    // Through the command an operator runs.
    const run = await aopRewind(id, '--to', '2', '--reason', 'wrong order');
    expect(run.code).toBe(0);
    expect(run.out).toMatch(
      new RegExp(`^${id} rewound to seq 2\\.\n  undid seq \\d+ with modify_pending_order_address `),
    );
    expect((await retail.getOrder(orderId))?.record.address).toEqual(before);
    expect(await aopRewind(id, '--to', '2')).toEqual({
      code: 0,
      out: `${id} was rewound to seq 2 already; nothing more to do.\n`,
      err: '',
    });
  });

  it('hands a cancellation to a person with the reason, since cancelling cannot be compensated', async () => {
    const orderId = '#W5918442';
    const { id } = await t.converse([
      `I want to cancel order ${orderId}`,
      'my email is sofia.rossi2645@example.com',
      'no longer needed',
      'yes',
    ]);
    const cancel = (await t.log(id)).find(
      (e) => e.type === 'tool.succeeded' && e.data.tool === 'cancel_pending_order',
    )!;
    const report = await rewindConversation(deps, { conversationId: id, toSeq: 2 });
    const reason = `cancel_pending_order (seq ${cancel.seq}) declares no compensating action, so it cannot be undone automatically.`;
    expect(report).toMatchObject({
      compensated: [],
      manual: [{ forSeq: cancel.seq, tool: 'cancel_pending_order', reason }],
    });
    const log = await t.log(id);
    const tail = log.slice(log.findIndex((e) => e.type === 'conversation.rewound'));
    expect(tail.map((event) => [event.type, event.data])).toEqual([
      ['conversation.rewound', { toSeq: 2, reason: 'Rewound by an operator.' }],
      [
        'handoff.requested',
        { reason, summary: 'Rewind to seq 2: 1 action(s) could not be undone automatically.' },
      ],
      ['conversation.escalated', { reason }],
    ]);
    const order = await createRetailStore(t.dynamodb, t.platform.dataTablePrefix).getOrder(orderId);
    expect(order?.record.status).toBe('cancelled');

    const again = await rewindConversation(deps, { conversationId: id, toSeq: 2 });
    expect(again.alreadyDone).toBe(true);
    expect((await t.log(id)).length).toBe(tail.at(-1)!.seq);

    // The customer now talks to a person, not to the procedure.
    expect((await t.say(id, 'hello?')).status).toBe('escalated');
  });

  it('restores the default address of a plain change-default-address conversation (it reads the profile first)', async () => {
    const { userId, email } = CUSTOMERS.anya;
    const before = await t.userAddress(userId);
    const { id } = await t.converse([
      'I want to change my default address',
      `my email is ${email}`,
      NEW_ADDRESS,
      'yes',
    ]);
    expect(await t.userAddress(userId)).not.toEqual(before);
    const report = await rewindConversation(deps, { conversationId: id, toSeq: 0 });
    expect(report.manual).toEqual([]);
    expect(report.compensated).toHaveLength(1);
    expect(await t.userAddress(userId)).toEqual(before);
  });

  it('fails for a SEQ past the end of the conversation', async () => {
    const { id } = await t.converse(['What is my gift card balance?']);
    const error = await rewindConversation(deps, { conversationId: id, toSeq: 999 }).catch((e: unknown) => e);
    expect(isInvalidRewindError(error)).toBe(true);
    expect((error as Error).message).toMatch(/SEQ must be a whole number from 0 to \d+/);
  });
});
