import { compareCodePoints, pythonRound2 } from '../../../shared/tools/python-compat.ts';
import { refusal } from './errors.ts';
import type { Address, OrderRecord, PaymentMethod, Product, User, Variant } from './schemas.ts';

/**
 * τ²-bench's retail write semantics as pure functions: records in, changed records out, or a
 * refusal with τ²'s exact message. The checks run in τ²'s order, so the same bad call fails with the
 * same message; the arithmetic is τ²'s (IEEE doubles in the same order, Python rounding), so
 * balances and payment amounts are bit-identical. Nothing here knows about DynamoDB.
 *
 * One deliberate difference: τ² mutates as it goes, so a failure half-way (a payment method missing
 * from the profile) leaves earlier changes behind. Here a refusal changes nothing.
 */

export interface Change {
  readonly order: OrderRecord;
  /** The order owner's profile, when a gift-card balance changed. */
  readonly user?: User;
}

/** Products the order's affected items belong to, by product id. */
export type ProductsById = ReadonlyMap<string, Product>;

const CANCEL_REASONS: readonly string[] = ['no longer needed', 'ordered by mistake'];

function paymentMethodOf(tool: string, user: User | undefined, paymentMethodId: string): PaymentMethod {
  if (!user) throw refusal(tool, 'user_not_found', 'User not found');
  const method = user.payment_methods[paymentMethodId];
  if (!method) throw refusal(tool, 'payment_method_not_found', 'Payment method not found');
  return method;
}

function variantOf(tool: string, products: ProductsById, productId: string, itemId: string): Variant {
  const product = products.get(productId);
  if (!product) throw refusal(tool, 'product_not_found', 'Product not found');
  const variant = product.variants[itemId];
  if (!variant) throw refusal(tool, 'variant_not_found', 'Variant not found');
  return variant;
}

function count(ids: readonly string[], id: string): number {
  return ids.filter((candidate) => candidate === id).length;
}

/** The first item id asked for more often than the order holds it, if any. */
function overAskedItem(order: OrderRecord, itemIds: readonly string[]): string | undefined {
  const inOrder = order.items.map((item) => item.item_id);
  return itemIds.find((id) => count(itemIds, id) > count(inOrder, id));
}

function sorted(ids: readonly string[]): string[] {
  return [...ids].sort(compareCodePoints);
}

export function cancelPendingOrder(current: OrderRecord, owner: User | undefined, reason: string): Change {
  const tool = 'cancel_pending_order';
  if (current.status !== 'pending')
    throw refusal(tool, 'order_not_pending', 'Non-pending order cannot be cancelled');
  if (!CANCEL_REASONS.includes(reason)) throw refusal(tool, 'invalid_reason', 'Invalid reason');
  const order = structuredClone(current);
  const user = owner && structuredClone(owner);
  let balanceChanged = false;
  const refunds = order.payment_history.map((payment) => {
    const method = paymentMethodOf(tool, user, payment.payment_method_id);
    // Refunds to a gift card are immediate; other methods take days and need no change here.
    if (method.source === 'gift_card') {
      method.balance = pythonRound2(method.balance + payment.amount);
      balanceChanged = true;
    }
    return {
      transaction_type: 'refund' as const,
      amount: payment.amount,
      payment_method_id: payment.payment_method_id,
    };
  });
  order.status = 'cancelled';
  order.cancel_reason = reason as OrderRecord['cancel_reason'];
  order.payment_history.push(...refunds);
  return balanceChanged ? { order, user } : { order };
}

export interface ItemSwap {
  readonly itemIds: readonly string[];
  readonly newItemIds: readonly string[];
  readonly paymentMethodId: string;
}

export function exchangeDeliveredOrderItems(
  current: OrderRecord,
  owner: User | undefined,
  products: ProductsById,
  { itemIds, newItemIds, paymentMethodId }: ItemSwap,
): Change {
  const tool = 'exchange_delivered_order_items';
  if (current.status !== 'delivered') {
    throw refusal(tool, 'order_not_delivered', 'Non-delivered order cannot be exchanged');
  }
  const missing = overAskedItem(current, itemIds);
  if (missing !== undefined) throw refusal(tool, 'items_not_in_order', `Number of ${missing} not found.`);
  if (itemIds.length !== newItemIds.length) {
    throw refusal(tool, 'item_count_mismatch', 'The number of items to be exchanged should match.');
  }
  let difference = 0;
  itemIds.forEach((itemId, i) => {
    const newItemId = newItemIds[i] ?? '';
    const item = current.items.find((candidate) => candidate.item_id === itemId);
    if (!item) throw refusal(tool, 'item_not_found', `Item ${itemId} not found`);
    const variant = variantOf(tool, products, item.product_id, newItemId);
    if (!variant.available)
      throw refusal(tool, 'new_item_unavailable', `New item ${newItemId} not found or available`);
    difference += variant.price - item.price;
  });
  difference = pythonRound2(difference);
  const method = paymentMethodOf(tool, owner, paymentMethodId);
  if (method.source === 'gift_card' && method.balance < difference) {
    throw refusal(
      tool,
      'insufficient_gift_card_balance',
      'Insufficient gift card balance to pay for the price difference',
    );
  }
  const order = structuredClone(current);
  order.status = 'exchange requested';
  order.exchange_items = sorted(itemIds);
  order.exchange_new_items = sorted(newItemIds);
  order.exchange_payment_method_id = paymentMethodId;
  order.exchange_price_difference = difference;
  return { order };
}

export function returnDeliveredOrderItems(
  current: OrderRecord,
  owner: User | undefined,
  { itemIds, paymentMethodId }: { readonly itemIds: readonly string[]; readonly paymentMethodId: string },
): Change {
  const tool = 'return_delivered_order_items';
  if (current.status !== 'delivered')
    throw refusal(tool, 'order_not_delivered', 'Non-delivered order cannot be returned');
  const method = paymentMethodOf(tool, owner, paymentMethodId);
  if (method.source !== 'gift_card') {
    const original = current.payment_history[0];
    // τ² indexes the first payment without checking it exists; Python's IndexError text is what it shows.
    if (!original) throw refusal(tool, 'no_payment_history', 'list index out of range');
    if (paymentMethodId !== original.payment_method_id) {
      throw refusal(
        tool,
        'not_original_payment_method',
        'Payment method should be the original payment method',
      );
    }
  }
  if (overAskedItem(current, itemIds) !== undefined)
    throw refusal(tool, 'items_not_in_order', 'Some item not found');
  const order = structuredClone(current);
  order.status = 'return requested';
  order.return_items = sorted(itemIds);
  order.return_payment_method_id = paymentMethodId;
  return { order };
}

/** Any status containing "pending" (so also "pending (item modified)"), as in τ². */
function isPendingLike(order: OrderRecord): boolean {
  return order.status.includes('pending');
}

export function modifyPendingOrderAddress(current: OrderRecord, address: Address): Change {
  const tool = 'modify_pending_order_address';
  if (!isPendingLike(current))
    throw refusal(tool, 'order_not_pending', 'Non-pending order cannot be modified');
  const order = structuredClone(current);
  order.address = { ...address };
  return { order };
}

export function modifyPendingOrderItems(
  current: OrderRecord,
  owner: User | undefined,
  products: ProductsById,
  { itemIds, newItemIds, paymentMethodId }: ItemSwap,
): Change {
  const tool = 'modify_pending_order_items';
  if (current.status !== 'pending')
    throw refusal(tool, 'order_not_pending', 'Non-pending order cannot be modified');
  const missing = overAskedItem(current, itemIds);
  if (missing !== undefined) throw refusal(tool, 'items_not_in_order', `${missing} not found`);
  if (itemIds.length !== newItemIds.length) {
    throw refusal(tool, 'item_count_mismatch', 'The number of items to be exchanged should match');
  }
  let difference = 0;
  let lastVariant: Variant | undefined;
  itemIds.forEach((itemId, i) => {
    const newItemId = newItemIds[i] ?? '';
    if (itemId === newItemId) {
      throw refusal(tool, 'same_item', 'The new item id should be different from the old item id');
    }
    const item = current.items.find((candidate) => candidate.item_id === itemId);
    if (!item) throw refusal(tool, 'item_not_found', `Item ${itemId} not found`);
    const variant = variantOf(tool, products, item.product_id, newItemId);
    if (!variant.available)
      throw refusal(tool, 'new_item_unavailable', `New item ${newItemId} not found or available`);
    difference += variant.price - item.price;
    lastVariant = variant;
  });
  const user = owner && structuredClone(owner);
  const method = paymentMethodOf(tool, user, paymentMethodId);
  // τ² leaves this difference unrounded (amounts like 0.04999999999999716 are recorded as such).
  if (method.source === 'gift_card' && method.balance < difference) {
    throw refusal(
      tool,
      'insufficient_gift_card_balance',
      'Insufficient gift card balance to pay for the new item',
    );
  }
  const order = structuredClone(current);
  order.payment_history.push({
    transaction_type: difference > 0 ? 'payment' : 'refund',
    amount: Math.abs(difference),
    payment_method_id: paymentMethodId,
  });
  if (method.source === 'gift_card') method.balance = pythonRound2(method.balance - difference);
  itemIds.forEach((itemId, i) => {
    const newItemId = newItemIds[i] ?? '';
    // Looked up again in the order being changed: with duplicate ids, each pass takes the next one.
    const item = order.items.find((candidate) => candidate.item_id === itemId);
    if (!item) throw refusal(tool, 'item_not_found', `Item ${itemId} not found`);
    item.item_id = newItemId;
    // τ² quirk, kept because its recorded outcomes depend on it (tasks 20, 21, 36, 37, 100): every
    // modified item takes the price and options of the LAST new item checked above, not its own.
    // The payment adjustment above still uses each item's own new price.
    if (lastVariant) {
      item.price = lastVariant.price;
      item.options = { ...lastVariant.options };
    }
  });
  order.status = 'pending (item modified)';
  return method.source === 'gift_card' ? { order, user } : { order };
}

export function modifyPendingOrderPayment(
  current: OrderRecord,
  owner: User | undefined,
  paymentMethodId: string,
): Change {
  const tool = 'modify_pending_order_payment';
  if (!isPendingLike(current))
    throw refusal(tool, 'order_not_pending', 'Non-pending order cannot be modified');
  const user = owner && structuredClone(owner);
  const method = paymentMethodOf(tool, user, paymentMethodId);
  const original = current.payment_history[0];
  if (current.payment_history.length !== 1 || !original || original.transaction_type !== 'payment') {
    throw refusal(tool, 'not_single_payment', 'There should be exactly one payment for a pending order');
  }
  if (original.payment_method_id === paymentMethodId) {
    throw refusal(
      tool,
      'same_payment_method',
      'The new payment method should be different from the current one',
    );
  }
  const amount = original.amount;
  if (method.source === 'gift_card' && method.balance < amount) {
    throw refusal(
      tool,
      'insufficient_gift_card_balance',
      'Insufficient gift card balance to pay for the order',
    );
  }
  const order = structuredClone(current);
  order.payment_history.push(
    { transaction_type: 'payment', amount, payment_method_id: paymentMethodId },
    { transaction_type: 'refund', amount, payment_method_id: original.payment_method_id },
  );
  let balanceChanged = false;
  if (method.source === 'gift_card') {
    method.balance = pythonRound2(method.balance - amount);
    balanceChanged = true;
  }
  const previous = paymentMethodOf(tool, user, original.payment_method_id);
  if (previous.source === 'gift_card') {
    previous.balance = pythonRound2(previous.balance + amount);
    balanceChanged = true;
  }
  return balanceChanged ? { order, user } : { order };
}

export function modifyUserAddress(current: User, address: Address): User {
  const user = structuredClone(current);
  user.address = { ...address };
  return user;
}
