import type { DynamoDBClient, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { CalculationError, calculate as evaluateExpression } from '../../../shared/tools/calculate.ts';
import {
  implementTool,
  type ToolContext,
  type ToolDeclaration,
  type ToolImplementation,
  type ToolInput,
} from '../../../shared/tools/define-tool.ts';
import { isToolError } from '../../../shared/tools/errors.ts';
import { createIdempotentWrite, createRecordedCalls } from '../../../shared/tools/idempotent-write.ts';
import { pythonJsonDumpsSorted } from '../../../shared/tools/python-compat.ts';
import type * as declared from './declarations.ts';
import {
  calculate,
  cancelPendingOrder,
  exchangeDeliveredOrderItems,
  findUserIdByEmail,
  findUserIdByNameZip,
  getItemDetails,
  getOrderDetails,
  getProductDetails,
  getUserDetails,
  listAllProductTypes,
  modifyPendingOrderAddress,
  modifyPendingOrderItems,
  modifyPendingOrderPayment,
  modifyUserAddress,
  returnDeliveredOrderItems,
  transferToHumanAgents,
} from './declarations.ts';
import * as domain from './domain.ts';
import { refusal } from './errors.ts';
import { type Address, type OrderRecord, type Product, toOrder, type User } from './schemas.ts';
import { createRetailStore, type Versioned } from './store.ts';

/** One implementation per declared tool, keyed by tool name. */
export interface RetailToolImplementations {
  readonly calculate: ToolImplementation<typeof declared.calculate>;
  readonly cancel_pending_order: ToolImplementation<typeof declared.cancelPendingOrder>;
  readonly exchange_delivered_order_items: ToolImplementation<typeof declared.exchangeDeliveredOrderItems>;
  readonly find_user_id_by_name_zip: ToolImplementation<typeof declared.findUserIdByNameZip>;
  readonly find_user_id_by_email: ToolImplementation<typeof declared.findUserIdByEmail>;
  readonly get_order_details: ToolImplementation<typeof declared.getOrderDetails>;
  readonly get_product_details: ToolImplementation<typeof declared.getProductDetails>;
  readonly get_item_details: ToolImplementation<typeof declared.getItemDetails>;
  readonly get_user_details: ToolImplementation<typeof declared.getUserDetails>;
  readonly list_all_product_types: ToolImplementation<typeof declared.listAllProductTypes>;
  readonly modify_pending_order_address: ToolImplementation<typeof declared.modifyPendingOrderAddress>;
  readonly modify_pending_order_items: ToolImplementation<typeof declared.modifyPendingOrderItems>;
  readonly modify_pending_order_payment: ToolImplementation<typeof declared.modifyPendingOrderPayment>;
  readonly modify_user_address: ToolImplementation<typeof declared.modifyUserAddress>;
  readonly return_delivered_order_items: ToolImplementation<typeof declared.returnDeliveredOrderItems>;
  readonly transfer_to_human_agents: ToolImplementation<typeof declared.transferToHumanAgents>;
}

/** The kinds of resource the declarations' `owns` guards name. */
export type RetailResource = 'order' | 'user';

export interface RetailTools extends RetailToolImplementations {
  /** Who owns the resource (a user id), or undefined when it does not exist: for the ownership guard. */
  readonly ownerOf: (resource: RetailResource, id: string) => Promise<string | undefined>;
  /**
   * What a call of an order write would give back to the customer (USD, refunds net of payments), by
   * deciding it on the order as it is now without writing: for the runner's refund cap. Undefined for
   * other tools, for input that does not parse, and for a call the tool would refuse anyway.
   */
  readonly refundOf: (tool: string, input: unknown) => Promise<number | undefined>;
  /** Whether a write call was made, from its tool-call item (crash recovery, `ToolRuntime.recordedCall`). */
  readonly recordedCall: ReturnType<typeof createRecordedCalls>;
}

/** What an order write decides, given the order and its owner as they are (pure; see domain.ts). */
type OrderDecision = (order: OrderRecord, owner: User | undefined) => Promise<domain.Change> | domain.Change;

export interface RetailToolsOptions {
  readonly client: DynamoDBClient;
  /** Prefix of the tenant's table names (see `retailTableNames`). */
  readonly tablePrefix: string;
  /** Plans tried when concurrent writes keep winning the race for the same records. Default: 5. */
  readonly maxWriteAttempts?: number;
}

/**
 * The retail tools on DynamoDB, behaving as τ²-bench's retail tools do (same outputs, same refusal
 * texts, same database changes), with writes that are atomic and idempotent per `context.idempotencyKey`.
 */
export function createRetailTools({
  client,
  tablePrefix,
  maxWriteAttempts = 5,
}: RetailToolsOptions): RetailTools {
  const store = createRetailStore(client, tablePrefix);
  const idempotentWrite = createIdempotentWrite({
    client,
    table: store.tables.toolCalls,
    maxAttempts: maxWriteAttempts,
  });

  async function orderOrRefuse(tool: string, orderId: string): Promise<Versioned<OrderRecord>> {
    const order = await store.getOrder(orderId);
    if (!order) throw refusal(tool, 'order_not_found', 'Order not found');
    return order;
  }

  /** The products of the order items the call names (to look their variants up). */
  async function productsOf(order: OrderRecord, itemIds: readonly string[]): Promise<Map<string, Product>> {
    const productIds = new Set(
      order.items.filter((item) => itemIds.includes(item.item_id)).map((item) => item.product_id),
    );
    const products = new Map<string, Product>();
    await Promise.all(
      [...productIds].map(async (productId) => {
        const product = await store.getProduct(productId);
        if (product) products.set(productId, product);
      }),
    );
    return products;
  }

  /** Order writes: read, decide (pure), and commit the order plus its owner when a balance moved. */
  function writeOrder<I extends { order_id: string }>(
    tool: string,
    input: I,
    context: ToolContext,
    decide: (order: OrderRecord, owner: User | undefined) => Promise<domain.Change> | domain.Change,
  ) {
    return idempotentWrite(tool, input, context, async () => {
      const order = await orderOrRefuse(tool, input.order_id);
      const owner = await store.getUser(order.record.user_id);
      const change = await decide(order.record, owner?.record);
      const writes: TransactWriteItem[] = [store.putOrder(change.order, order)];
      if (change.user && owner) writes.push(store.putUser(change.user, owner));
      return { output: toOrder(change.order), writes };
    });
  }

  /** Each order write's decision for its input: made by the call, and made without writing by `refundOf`. */
  const orderDecisions: Record<string, (input: never) => OrderDecision> = {
    [cancelPendingOrder.name]:
      (input: ToolInput<typeof cancelPendingOrder>): OrderDecision =>
      (order, owner) =>
        domain.cancelPendingOrder(order, owner, input.reason),
    [exchangeDeliveredOrderItems.name]:
      (input: ToolInput<typeof exchangeDeliveredOrderItems>): OrderDecision =>
      async (order, owner) =>
        domain.exchangeDeliveredOrderItems(order, owner, await productsOf(order, input.item_ids), {
          itemIds: input.item_ids,
          newItemIds: input.new_item_ids,
          paymentMethodId: input.payment_method_id,
        }),
    [modifyPendingOrderAddress.name]:
      (input: ToolInput<typeof modifyPendingOrderAddress>): OrderDecision =>
      (order) =>
        domain.modifyPendingOrderAddress(order, addressOf(input)),
    [modifyPendingOrderItems.name]:
      (input: ToolInput<typeof modifyPendingOrderItems>): OrderDecision =>
      async (order, owner) =>
        domain.modifyPendingOrderItems(order, owner, await productsOf(order, input.item_ids), {
          itemIds: input.item_ids,
          newItemIds: input.new_item_ids,
          paymentMethodId: input.payment_method_id,
        }),
    [modifyPendingOrderPayment.name]:
      (input: ToolInput<typeof modifyPendingOrderPayment>): OrderDecision =>
      (order, owner) =>
        domain.modifyPendingOrderPayment(order, owner, input.payment_method_id),
    [returnDeliveredOrderItems.name]:
      (input: ToolInput<typeof returnDeliveredOrderItems>): OrderDecision =>
      (order, owner) =>
        domain.returnDeliveredOrderItems(order, owner, {
          itemIds: input.item_ids,
          paymentMethodId: input.payment_method_id,
        }),
  };
  const orderWrites: Record<string, ToolDeclaration> = Object.fromEntries(
    [
      cancelPendingOrder,
      exchangeDeliveredOrderItems,
      modifyPendingOrderAddress,
      modifyPendingOrderItems,
      modifyPendingOrderPayment,
      returnDeliveredOrderItems,
    ].map((declaration) => [declaration.name, declaration as ToolDeclaration]),
  );
  const decide = (tool: string, input: unknown): OrderDecision => orderDecisions[tool]!(input as never);

  const tools: RetailToolImplementations = {
    calculate: implementTool(calculate, async ({ expression }) => {
      try {
        return evaluateExpression(expression);
      } catch (error) {
        if (error instanceof CalculationError)
          throw refusal(calculate.name, 'invalid_expression', error.message);
        throw error;
      }
    }),

    cancel_pending_order: implementTool(cancelPendingOrder, (input, context) =>
      writeOrder(cancelPendingOrder.name, input, context, decide(cancelPendingOrder.name, input)),
    ),

    exchange_delivered_order_items: implementTool(exchangeDeliveredOrderItems, (input, context) =>
      writeOrder(
        exchangeDeliveredOrderItems.name,
        input,
        context,
        decide(exchangeDeliveredOrderItems.name, input),
      ),
    ),

    find_user_id_by_name_zip: implementTool(findUserIdByNameZip, async ({ first_name, last_name, zip }) => {
      const [userId] = await store.userIdsByNameZip(first_name, last_name, zip);
      if (userId === undefined) throw refusal(findUserIdByNameZip.name, 'user_not_found', 'User not found');
      return userId;
    }),

    find_user_id_by_email: implementTool(findUserIdByEmail, async ({ email }) => {
      const [userId] = await store.userIdsByEmail(email);
      if (userId === undefined) throw refusal(findUserIdByEmail.name, 'user_not_found', 'User not found');
      return userId;
    }),

    get_order_details: implementTool(getOrderDetails, async ({ order_id }) =>
      toOrder((await orderOrRefuse(getOrderDetails.name, order_id)).record),
    ),

    get_product_details: implementTool(getProductDetails, async ({ product_id }) => {
      const product = await store.getProduct(product_id);
      if (!product) throw refusal(getProductDetails.name, 'product_not_found', 'Product not found');
      return product;
    }),

    get_item_details: implementTool(getItemDetails, async ({ item_id }) => {
      const variant = await store.findVariant(item_id);
      if (!variant) throw refusal(getItemDetails.name, 'item_not_found', 'Item not found');
      return variant;
    }),

    get_user_details: implementTool(getUserDetails, async ({ user_id }) => {
      const user = await store.getUser(user_id);
      if (!user) throw refusal(getUserDetails.name, 'user_not_found', 'User not found');
      return user.record;
    }),

    list_all_product_types: implementTool(listAllProductTypes, async () =>
      pythonJsonDumpsSorted(await store.productTypes()),
    ),

    modify_pending_order_address: implementTool(modifyPendingOrderAddress, (input, context) =>
      writeOrder(
        modifyPendingOrderAddress.name,
        input,
        context,
        decide(modifyPendingOrderAddress.name, input),
      ),
    ),

    modify_pending_order_items: implementTool(modifyPendingOrderItems, (input, context) =>
      writeOrder(modifyPendingOrderItems.name, input, context, decide(modifyPendingOrderItems.name, input)),
    ),

    modify_pending_order_payment: implementTool(modifyPendingOrderPayment, (input, context) =>
      writeOrder(
        modifyPendingOrderPayment.name,
        input,
        context,
        decide(modifyPendingOrderPayment.name, input),
      ),
    ),

    modify_user_address: implementTool(modifyUserAddress, (input, context) =>
      idempotentWrite(modifyUserAddress.name, input, context, async () => {
        const user = await store.getUser(input.user_id);
        if (!user) throw refusal(modifyUserAddress.name, 'user_not_found', 'User not found');
        const changed = domain.modifyUserAddress(user.record, addressOf(input));
        return { output: changed, writes: [store.putUser(changed, user)] };
      }),
    ),

    return_delivered_order_items: implementTool(returnDeliveredOrderItems, (input, context) =>
      writeOrder(
        returnDeliveredOrderItems.name,
        input,
        context,
        decide(returnDeliveredOrderItems.name, input),
      ),
    ),

    transfer_to_human_agents: implementTool(
      transferToHumanAgents,
      async () => 'Transfer successful' as const,
    ),
  };

  return {
    ...tools,
    recordedCall: createRecordedCalls({ client, table: store.tables.toolCalls }),
    async ownerOf(resource, id) {
      if (resource === 'order') return store.orderOwner(id);
      return (await store.userExists(id)) ? id : undefined;
    },
    async refundOf(tool, raw) {
      const declaration = orderWrites[tool];
      const parsed = declaration?.input.safeParse(raw);
      if (!parsed?.success) return undefined;
      const order = await store.getOrder((parsed.data as { order_id: string }).order_id);
      if (!order) return undefined;
      const owner = await store.getUser(order.record.user_id);
      let change: domain.Change;
      try {
        change = await decide(tool, parsed.data)(order.record, owner?.record);
      } catch (error) {
        // The call would be refused (wrong status, unknown item): it refunds nothing, and says why.
        if (isToolError(error)) return undefined;
        throw error;
      }
      const added = change.order.payment_history.slice(order.record.payment_history.length);
      const net = added.reduce(
        (sum, payment) => sum + (payment.transaction_type === 'refund' ? payment.amount : -payment.amount),
        0,
      );
      return net > 0 ? net : undefined;
    },
  };
}

function addressOf(input: Address): Address {
  const { address1, address2, city, country, state, zip } = input;
  return { address1, address2, city, country, state, zip };
}
