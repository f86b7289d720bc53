import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeOrder, loadRetailDb, retailTableNames } from '../../aops/retail/tools/store.ts';
import { consentReplies, type LabelledReply } from '../model/consent-replies.ts';
import { type E2e, ofType, startE2e } from './support.ts';

/**
 * Consent as a protocol, end to end (DESIGN.md decision 8): 500 generated replies to the real
 * confirmation question of cancel-pending-order, each in a conversation of its own on the whole local
 * platform (model endpoint, compiled state machine, guards, DynamoDB Local). Not one reply that is not
 * an unconditional agreement may lead to a write; every plain agreement must.
 */

let e2e: E2e;
beforeAll(async () => {
  e2e = await startE2e('consent-property');
});
afterAll(async () => {
  await e2e?.stop();
});

const REPLIES = 500;
const db = loadRetailDb();
/** Pending orders of distinct customers: one lane each, run side by side. */
const LANES = Object.values(db.users)
  .flatMap((user) => {
    const pending = user.orders.find((id) => db.orders[id]?.status === 'pending');
    return pending ? [{ email: user.email, orderId: pending }] : [];
  })
  .slice(0, 8);

interface Outcome {
  readonly reply: LabelledReply;
  readonly wrote: boolean;
  readonly text: string;
}

async function run(lane: (typeof LANES)[number], reply: LabelledReply): Promise<Outcome> {
  // The order and the email in the first message: two turns to the question instead of three (the
  // reason is only taken once asked). Each reply is still the answer to a fresh confirmation.
  const chat = await e2e.start(`I want to cancel my order ${lane.orderId}, my email is ${lane.email}`);
  const question = await chat.say('I ordered it by mistake');
  expect(question.text, `${lane.orderId}: the confirmation is asked`).toMatch(/Shall I go ahead\?/);
  const answer = await chat.say(reply.text);
  const log = await chat.events();
  const wrote = ofType(log, 'tool.requested').some((event) => event.data.tool === 'cancel_pending_order');
  if (wrote) {
    // Put the order back as seeded, so the lane's next conversation finds it pending again.
    const current = await e2e.order(lane.orderId);
    const seeded = db.orders[lane.orderId]!;
    await restoreClient.send(
      new PutItemCommand({
        TableName: retailTableNames(e2e.platform.dataTablePrefix).orders,
        Item: encodeOrder(seeded, current.version + 1),
      }),
    );
  }
  return { reply, wrote, text: answer.text };
}

let restoreClient: DynamoDBClient;

describe('consent, end to end', () => {
  it(`writes on every plain agreement and on nothing else (${REPLIES} generated replies)`, async () => {
    restoreClient = new DynamoDBClient({ endpoint: e2e.platform.dynamodbEndpoint });
    const replies = consentReplies(REPLIES, 11);
    const outcomes: Outcome[] = [];
    await Promise.all(
      LANES.map(async (lane, index) => {
        for (let next = index; next < replies.length; next += LANES.length)
          outcomes.push(await run(lane, replies[next]!));
      }),
    );
    expect(outcomes).toHaveLength(REPLIES);
    const falseWrites = outcomes.filter((o) => o.reply.expected !== 'agree' && o.wrote);
    const missedAgreements = outcomes.filter((o) => o.reply.expected === 'agree' && !o.wrote);
    expect(falseWrites.map((o) => `${o.reply.expected}: ${o.reply.text}`)).toEqual([]);
    expect(missedAgreements.map((o) => `${o.reply.text} → ${o.text}`)).toEqual([]);
    // Every label is represented, so the property covers each kind of reply.
    const byLabel = new Map<string, number>();
    for (const o of outcomes) byLabel.set(o.reply.expected, (byLabel.get(o.reply.expected) ?? 0) + 1);
    expect([...byLabel.keys()].sort()).toEqual(['agree', 'conditional', 'decline', 'question', 'unclear']);
    expect(outcomes.filter((o) => o.wrote).every((o) => /is cancelled/.test(o.text))).toBe(true);
    restoreClient.destroy();
  }, 900_000);
});
