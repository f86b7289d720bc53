import { randomUUID } from 'node:crypto';
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRetailTools, type RetailTools } from '../../aops/retail/tools/implementations.ts';
import type { OrderRecord, RetailDb } from '../../aops/retail/tools/schemas.ts';
import {
  dumpRetail,
  ensureRetailTables,
  loadRetailDb,
  retailTableNames,
  seedRetail,
} from '../../aops/retail/tools/store.ts';
import { isIdempotencyKeyReusedError, isToolError } from '../../shared/tools/errors.ts';
import { pythonRound2 } from '../../shared/tools/python-compat.ts';
import { diffJson } from './db-diff.ts';

const run = randomUUID().slice(0, 8);
const tablePrefix = `retail-writes-${run}-`;
let client: DynamoDBClient;
let tools: RetailTools;
let seed: RetailDb;

beforeAll(async () => {
  client = new DynamoDBClient({});
  seed = loadRetailDb();
  await ensureRetailTables(client, tablePrefix);
  await seedRetail(client, tablePrefix, seed);
  tools = createRetailTools({ client, tablePrefix });
});

afterAll(async () => {
  await Promise.all(
    Object.values(retailTableNames(tablePrefix)).map((TableName) =>
      client.send(new DeleteTableCommand({ TableName })),
    ),
  );
  client.destroy();
});

/**
 * Holds the first `parties` transactions until all of them are ready to commit, so concurrent calls
 * have certainly all read the records before any of them writes: the race is lost every time,
 * not only when the scheduler happens to interleave the calls.
 */
function toolsRacingAt(parties: number): { tools: RetailTools; lostRaces: () => number } {
  const racing = new DynamoDBClient({});
  let arrived = 0;
  let lost = 0;
  let release: () => void = () => {};
  const allArrived = new Promise<void>((resolve) => {
    release = resolve;
  });
  racing.middlewareStack.add(
    (next, handlerContext) => async (args) => {
      if (handlerContext.commandName === 'TransactWriteItemsCommand' && arrived < parties) {
        if (++arrived === parties) release();
        await allArrived;
      }
      try {
        return await next(args);
      } catch (error) {
        if (error instanceof Error && error.name === 'TransactionCanceledException') lost++;
        throw error;
      }
    },
    { step: 'initialize', name: 'commitBarrier' },
  );
  return { tools: createRetailTools({ client: racing, tablePrefix }), lostRaces: () => lost };
}

const context = (key: string) => ({ idempotencyKey: `${run}/${key}`, conversationId: `conversation-${key}` });

/** Pending orders paid once with a gift card, grouped by owner; each test takes its own. */
function giftCardOrdersByUser(): Map<string, OrderRecord[]> {
  const byUser = new Map<string, OrderRecord[]>();
  for (const order of Object.values(seed.orders)) {
    const [payment, ...others] = order.payment_history;
    if (
      order.status !== 'pending' ||
      others.length > 0 ||
      !payment?.payment_method_id.startsWith('gift_card_')
    )
      continue;
    byUser.set(order.user_id, [...(byUser.get(order.user_id) ?? []), order]);
  }
  return byUser;
}
const usedUsers = new Set<string>();
/** `count` pending gift-card orders of one user no other test has used. */
function takeOrders(count: number): OrderRecord[] {
  for (const [userId, orders] of giftCardOrdersByUser()) {
    if (usedUsers.has(userId) || orders.length < count) continue;
    usedUsers.add(userId);
    return orders.slice(0, count);
  }
  throw new Error(`db.json has no more users with ${count} pending gift-card orders`);
}

function balanceOf(db: RetailDb, userId: string, paymentMethodId: string): number {
  const method = db.users[userId]?.payment_methods[paymentMethodId];
  if (method?.source !== 'gift_card') throw new Error(`${paymentMethodId} of ${userId} is not a gift card`);
  return method.balance;
}

describe('retail write tools', () => {
  it('applies a retried write once and answers the retry with the first result', async () => {
    const [order] = takeOrders(1);
    if (!order) throw new Error('no order');
    const payment = order.payment_history[0];
    if (!payment) throw new Error('no payment');
    const input = { order_id: order.order_id, reason: 'no longer needed' } as const;

    const first = await tools.cancel_pending_order(input, context('retry'));
    const retry = await tools.cancel_pending_order(input, context('retry'));

    expect(retry).toEqual(first);
    const after = await dumpRetail(client, tablePrefix);
    expect(after.orders[order.order_id]?.payment_history).toHaveLength(2);
    expect(balanceOf(after, order.user_id, payment.payment_method_id)).toBe(
      pythonRound2(balanceOf(seed, order.user_id, payment.payment_method_id) + payment.amount),
    );
  });

  it('applies concurrent retries of one call once', async () => {
    const [order] = takeOrders(1);
    if (!order) throw new Error('no order');
    const input = { order_id: order.order_id, reason: 'ordered by mistake' } as const;

    const racing = toolsRacingAt(4);

    const results = await Promise.all(
      Array.from({ length: 4 }, () => racing.tools.cancel_pending_order(input, context('same-key-race'))),
    );

    expect(racing.lostRaces()).toBeGreaterThanOrEqual(3);
    for (const result of results) expect(result).toEqual(results[0]);
    const after = await dumpRetail(client, tablePrefix);
    expect(after.orders[order.order_id]?.payment_history).toHaveLength(2);
  });

  it('lets exactly one of two concurrent cancellations of an order through', async () => {
    for (const [round, order] of takeOrders(2).entries()) {
      const payment = order.payment_history[0];
      if (!payment) throw new Error('no payment');
      const input = { order_id: order.order_id, reason: 'no longer needed' } as const;
      const racing = toolsRacingAt(2);

      const outcomes = await Promise.allSettled([
        racing.tools.cancel_pending_order(input, context(`race-${round}-a`)),
        racing.tools.cancel_pending_order(input, context(`race-${round}-b`)),
      ]);

      expect(racing.lostRaces()).toBeGreaterThanOrEqual(1);
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      const [refused] = outcomes.filter((outcome) => outcome.status === 'rejected');
      const reason: unknown = refused?.reason;
      expect(isToolError(reason)).toBe(true);
      expect(isToolError(reason) ? reason.message : reason).toBe(
        'Error: Non-pending order cannot be cancelled',
      );
      const after = await dumpRetail(client, tablePrefix);
      expect(after.orders[order.order_id]?.payment_history).toHaveLength(2);
    }
  });

  it('loses no gift-card refund when two orders of one customer are cancelled at once', async () => {
    const orders = takeOrders(2);
    const userId = orders[0]?.user_id ?? '';
    const before = await dumpRetail(client, tablePrefix);
    const racing = toolsRacingAt(orders.length);

    await Promise.all(
      orders.map((order, i) =>
        racing.tools.cancel_pending_order(
          { order_id: order.order_id, reason: 'no longer needed' },
          context(`same-owner-${i}`),
        ),
      ),
    );

    expect(racing.lostRaces()).toBeGreaterThanOrEqual(1);
    const after = await dumpRetail(client, tablePrefix);
    const changes = diffJson(before.users[userId], after.users[userId]);
    const refunded = new Map<string, number>();
    for (const order of orders) {
      for (const payment of order.payment_history) {
        refunded.set(
          payment.payment_method_id,
          (refunded.get(payment.payment_method_id) ?? 0) + payment.amount,
        );
      }
    }
    expect(changes.map((change) => change.path).sort()).toEqual(
      [...refunded.keys()].map((id) => `/payment_methods/${id}/balance`).sort(),
    );
    for (const [paymentMethodId, amount] of refunded) {
      expect(balanceOf(after, userId, paymentMethodId)).toBeCloseTo(
        balanceOf(before, userId, paymentMethodId) + amount,
        2,
      );
    }
  });

  it('fails when an idempotency key is reused for a different call', async () => {
    const [first, second] = takeOrders(2);
    if (!first || !second) throw new Error('no orders');
    await tools.cancel_pending_order(
      { order_id: first.order_id, reason: 'no longer needed' },
      context('reused'),
    );

    const reuse = tools.cancel_pending_order(
      { order_id: second.order_id, reason: 'no longer needed' },
      context('reused'),
    );

    await expect(reuse).rejects.toSatisfy(isIdempotencyKeyReusedError);
    const after = await dumpRetail(client, tablePrefix);
    expect(after.orders[second.order_id]).toEqual(seed.orders[second.order_id]);
  });

  it('changes nothing when a write is refused', async () => {
    const before = await dumpRetail(client, tablePrefix);
    const delivered = Object.values(seed.orders).find((order) => order.status === 'delivered');
    if (!delivered) throw new Error('no delivered order');

    const refusal = tools.cancel_pending_order(
      { order_id: delivered.order_id, reason: 'no longer needed' },
      context('refused'),
    );

    await expect(refusal).rejects.toThrow('Error: Non-pending order cannot be cancelled');
    expect(diffJson(before, await dumpRetail(client, tablePrefix))).toEqual([]);
  });

  it('tells the ownership guard who owns an order or a user', async () => {
    const order = Object.values(seed.orders)[0];
    const user = Object.values(seed.users)[0];
    if (!order || !user) throw new Error('empty seed');

    expect(await tools.ownerOf('order', order.order_id)).toBe(order.user_id);
    expect(await tools.ownerOf('order', '#W0000000')).toBeUndefined();
    expect(await tools.ownerOf('user', user.user_id)).toBe(user.user_id);
    expect(await tools.ownerOf('user', 'nobody_here_0000')).toBeUndefined();
  });
});
