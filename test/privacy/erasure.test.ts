import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEraseCommand } from '../../cli/erase.ts';
import type { StoredEvent } from '../../shared/events/catalogue.ts';
import { verifyChain } from '../../shared/events/hash-chain.ts';
import { CUSTOMERS, startTestPlatform, type TestPlatform } from '../registry/platform.ts';

/**
 * Erasure end to end: two customers talk to the platform; their words and details are stored encrypted
 * (the raw table holds no trace of them); `aop erase` destroys one customer's keys. Afterwards that
 * customer's text reads as [erased], the other customer's reads as before, and every chain verifies.
 */

let t: TestPlatform;

beforeAll(async () => {
  t = await startTestPlatform('erasure');
});

afterAll(async () => {
  await t?.stop();
});

async function erase(...args: string[]) {
  let out = '';
  let err = '';
  const code = await runEraseCommand(
    [
      ...args,
      '--platform',
      '/nonexistent/platform.json',
      '--tenant',
      t.platform.tenant,
      '--dynamodb',
      t.platform.dynamodbEndpoint,
      '--keys-table',
      t.platform.keysTable!,
    ],
    { out: (text) => (out += text), err: (text) => (err += text), cwd: join(import.meta.dirname, '../..') },
  );
  return { code, out, err };
}

const texts = (events: readonly StoredEvent[], type: 'message.received' | 'message.sent') =>
  events.flatMap((event) => (event.type === type ? [event.data.text] : []));

describe('aop erase', () => {
  let noah = '';
  let ivan = '';
  let noahLines: string[] = [];

  it('stores customer text and personal fields encrypted: the raw log holds none of it', async () => {
    noahLines = ['What is my gift card balance?', `my email is ${CUSTOMERS.noah.email}`];
    noah = (await t.converse(noahLines)).id;
    ivan = (await t.converse(['What is my gift card balance?', `my email is ${CUSTOMERS.ivan.email}`])).id;

    const raw = await t.stored.read(noah);
    const json = JSON.stringify(raw);
    for (const secret of [
      CUSTOMERS.noah.email,
      CUSTOMERS.noah.userId,
      'gift card balance',
      'Sunset Drive',
      'Noah',
    ])
      expect(json).not.toContain(secret);
    expect(texts(raw, 'message.received').every((text) => text.startsWith('enc:v1:'))).toBe(true);

    // The API decrypts for the reader.
    const shown = await t.log(noah);
    expect(texts(shown, 'message.received')).toEqual(noahLines);
    expect(shown.find((e) => e.type === 'customer.authenticated')?.data).toMatchObject({
      customerId: CUSTOMERS.noah.userId,
    });
  });

  it("destroys one customer's keys: their text reads as erased, the other's is intact, every chain verifies", async () => {
    const ivanBefore = await t.log(ivan);
    const noahStored = await t.stored.read(noah);
    const { code, out } = await erase(CUSTOMERS.noah.userId);
    expect(code).toBe(0);
    expect(out).toContain(
      `Erased ${CUSTOMERS.noah.userId}: the data keys of 1 conversation(s) are destroyed`,
    );
    expect(out).toContain(noah);

    const erased = await t.log(noah);
    expect(texts(erased, 'message.received')).toEqual(['[erased]', '[erased]']);
    expect(new Set(texts(erased, 'message.sent'))).toEqual(new Set(['[erased]']));
    expect(erased.find((e) => e.type === 'customer.authenticated')?.data).toMatchObject({
      customerId: '[erased]',
    });
    const user = erased.find((e) => e.type === 'tool.succeeded' && e.data.tool === 'get_user_details');
    expect(user?.type === 'tool.succeeded' && user.data.output).toBe('[erased]');
    // Nothing else changed: the same events, the same stored bytes, so the chain verifies.
    const raw = await t.stored.read(noah);
    expect(raw).toEqual(noahStored);
    expect(erased.map((e) => [e.seq, e.type, e.hash])).toEqual(raw.map((e) => [e.seq, e.type, e.hash]));
    expect(erased.find((e) => e.type === 'aop.selected')?.data).toMatchObject({
      aopId: 'profile-information',
    });
    expect(await t.verify(noah)).toMatchObject({ ok: true });
    expect(verifyChain(raw)).toMatchObject({ ok: true, count: erased.length });

    expect(await t.log(ivan)).toEqual(ivanBefore);
    expect(texts(await t.log(ivan), 'message.received')).toEqual([
      'What is my gift card balance?',
      `my email is ${CUSTOMERS.ivan.email}`,
    ]);
    expect(await t.verify(ivan)).toMatchObject({ ok: true });
  });

  it('erasing the same customer again finds nothing left to erase', async () => {
    const { code, out } = await erase(CUSTOMERS.noah.userId);
    expect(code).toBe(0);
    expect(out).toMatch(/^No conversation is linked to noah_brown_6181/);
  });

  it('leaves no trace of the customer in any store the platform wrote for a conversation with a write', async () => {
    const { email, userId } = CUSTOMERS.anya;
    const { id } = await t.converse([
      "I'd like to update my account's default address",
      email,
      '77 Quiet Harbor Lane, Unit 4, Boise, ID 83702, USA',
      'yes',
    ]);
    expect((await t.userAddress(userId))?.address1).toBe('77 Quiet Harbor Lane');
    /** Every item of the events table and the tool-call table that belongs to the conversation, as stored. */
    const rawOf = async () => {
      const items: unknown[] = [];
      for (const table of [t.platform.eventsTable, `${t.platform.dataTablePrefix}tool-calls`]) {
        const { Items = [] } = await t.dynamodb.send(
          new ScanCommand({ TableName: table, ConsistentRead: true }),
        );
        items.push(...Items.filter((item) => JSON.stringify(item).includes(id)));
      }
      return JSON.stringify(items);
    };
    // The tool-call record exists and holds the result sealed, like the events.
    const before = await rawOf();
    expect(before).toContain('"tool":{"S":"modify_user_address"}');
    expect(before).toContain('"output":{"S":"enc:v1:');
    expect(await erase(userId)).toMatchObject({ code: 0 });
    const after = await rawOf();
    for (const raw of [before, after])
      for (const secret of [email, userId, 'Anya', 'Garcia', 'Quiet Harbor', 'Boise', '83702'])
        expect(raw, secret).not.toContain(secret);
    expect(await t.verify(id)).toMatchObject({ ok: true });
  });

  it('erases one conversation by id, for a customer who never authenticated', async () => {
    const { id } = await t.converse(['What is my gift card balance?']);
    expect(texts(await t.log(id), 'message.received')).toEqual(['What is my gift card balance?']);
    expect(await erase('--conversation', id)).toMatchObject({ code: 0 });
    expect(texts(await t.log(id), 'message.received')).toEqual(['[erased]']);
    expect(await t.verify(id)).toMatchObject({ ok: true });
    // Nothing more can be recorded in an erased conversation: the channel says so, and appends nothing.
    const before = (await t.stored.read(id)).length;
    const answer = await fetch(`${t.platform.url}/v1/chat/conversations/${id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-session-token': t.sessionOf(id) ?? '' },
      body: JSON.stringify({ message: 'hello again' }),
    });
    expect(answer.status).toBe(410);
    expect(await answer.json()).toMatchObject({ error: 'conversation_erased' });
    expect((await t.stored.read(id)).length).toBe(before);
  });
});
