import { z } from 'zod';
import { catalogueOf, defineTool } from '../../../shared/tools/define-tool.ts';
import {
  CancelReasonSchema,
  ItemIdSchema,
  OrderIdSchema,
  OrderSchema,
  PaymentMethodIdSchema,
  ProductIdSchema,
  ProductSchema,
  UserIdSchema,
  UserSchema,
  VariantSchema,
  ZipSchema,
} from './schemas.ts';

/**
 * The retail reference tenant's 16 tools, declared for the compiler and the runtime. Names,
 * parameters and description texts are τ²-bench's (aops/retail/data/tools.json), so a model sees
 * the same tool specs it would see in τ²; test/retail-tools/declarations.test.ts holds them to it.
 */

const ORDER_ID =
  "The order id, such as '#W0000000'. Be careful there is a '#' symbol at the beginning of the order id.";
const PAYMENT_METHOD_ID =
  "The payment method id to pay or receive refund for the item price difference, such as 'gift_card_0000000' or 'credit_card_0000000'. These can be looked up from the user or order details.";
const USER_ID = "The user id, such as 'sara_doe_496'.";

/** Order and user write tools act on a resource the authenticated customer must own. */
const ownsOrder = { requires: ['authenticated'], owns: { arg: 'order_id', resource: 'order' } } as const;
const ownsUser = { requires: ['authenticated'], owns: { arg: 'user_id', resource: 'user' } } as const;

function addressFields() {
  return {
    address1: z.string().describe("The first line of the address, such as '123 Main St'."),
    address2: z.string().describe("The second line of the address, such as 'Apt 1' or ''."),
    city: z.string().describe("The city, such as 'San Francisco'."),
    state: z.string().describe("The state, such as 'CA'."),
    country: z.string().describe("The country, such as 'USA'."),
    zip: z.string().describe("The zip code, such as '12345'."),
  };
}

export const calculate = defineTool({
  name: 'calculate',
  description: 'Calculate the result of a mathematical expression.',
  effect: 'read',
  input: z.object({
    expression: z
      .string()
      .describe(
        "The mathematical expression to calculate, such as '2 + 2'. The expression can contain numbers, operators (+, -, *, /), parentheses, and spaces.",
      ),
  }),
  output: z.string().describe('The result rounded to 2 decimals, as Python prints a float (e.g. "5.0").'),
  produces: 'result',
});

export const cancelPendingOrder = defineTool({
  name: 'cancel_pending_order',
  description:
    "Cancel a pending order. If the order is already processed or delivered,\n\nit cannot be cancelled. The agent needs to explain the cancellation detail\nand ask for explicit user confirmation (yes/no) to proceed. If the user confirms,\nthe order status will be changed to 'cancelled' and the payment will be refunded.\nThe refund will be added to the user's gift card balance immediately if the payment\nwas made using a gift card, otherwise the refund would take 5-7 business days to process.\nThe function returns the order details after the cancellation.",
  effect: 'write',
  input: z.object({
    order_id: OrderIdSchema.describe(ORDER_ID),
    reason: CancelReasonSchema.describe(
      "The reason for cancellation, which should be either 'no longer needed' or 'ordered by mistake'.",
    ),
  }),
  output: OrderSchema,
  produces: 'order',
  guards: ownsOrder,
});

export const exchangeDeliveredOrderItems = defineTool({
  name: 'exchange_delivered_order_items',
  description:
    'Exchange items in a delivered order to new items of the same product type.\n\nFor a delivered order, return or exchange can be only done once by the agent.\nThe agent needs to explain the exchange detail and ask for explicit user confirmation (yes/no) to proceed.',
  effect: 'write',
  input: z.object({
    order_id: OrderIdSchema.describe(ORDER_ID),
    item_ids: z
      .array(ItemIdSchema)
      .describe(
        "The item ids to be exchanged, each such as '1008292230'. There could be duplicate items in the list.",
      ),
    new_item_ids: z
      .array(ItemIdSchema)
      .describe(
        "The item ids to be exchanged for, each such as '1008292230'.\nThere could be duplicate items in the list. Each new item id should match the item id\nin the same position and be of the same product.",
      ),
    payment_method_id: PaymentMethodIdSchema.describe(
      "The payment method id to pay or receive refund for the item price difference,\nsuch as 'gift_card_0000000' or 'credit_card_0000000'. These can be looked up\nfrom the user or order details.",
    ),
  }),
  output: OrderSchema,
  produces: 'order',
  guards: ownsOrder,
});

export const findUserIdByNameZip = defineTool({
  name: 'find_user_id_by_name_zip',
  description:
    'Find user id by first name, last name, and zip code. If the user is not found, the function\n\nwill return an error message. By default, find user id by email, and only call this function\nif the user is not found by email or cannot remember email.',
  effect: 'read',
  input: z.object({
    first_name: z.string().describe("The first name of the customer, such as 'John'."),
    last_name: z.string().describe("The last name of the customer, such as 'Doe'."),
    zip: ZipSchema.describe("The zip code of the customer, such as '12345'."),
  }),
  output: UserIdSchema,
  produces: 'user_id',
  establishes: ['authenticated'],
});

export const findUserIdByEmail = defineTool({
  name: 'find_user_id_by_email',
  description: 'Find user id by email. If the user is not found, the function will return an error message.',
  effect: 'read',
  input: z.object({
    email: z.email().describe("The email of the user, such as 'something@example.com'."),
  }),
  output: UserIdSchema,
  produces: 'user_id',
  establishes: ['authenticated'],
});

export const getOrderDetails = defineTool({
  name: 'get_order_details',
  description: 'Get the status and details of an order.',
  effect: 'read',
  input: z.object({ order_id: OrderIdSchema.describe(ORDER_ID) }),
  output: OrderSchema,
  produces: 'order',
  guards: ownsOrder,
});

export const getProductDetails = defineTool({
  name: 'get_product_details',
  description: 'Get the inventory details of a product.',
  effect: 'read',
  input: z.object({
    product_id: ProductIdSchema.describe(
      "The product id, such as '6086499569'. Be careful the product id is different from the item id.",
    ),
  }),
  output: ProductSchema,
  produces: 'product',
});

export const getItemDetails = defineTool({
  name: 'get_item_details',
  description: 'Get the inventory details of an item.',
  effect: 'read',
  input: z.object({
    item_id: ItemIdSchema.describe(
      "The item id, such as '6086499569'. Be careful the item id is different from the product id.",
    ),
  }),
  output: VariantSchema,
  produces: 'item',
});

export const getUserDetails = defineTool({
  name: 'get_user_details',
  description: 'Get the details of a user, including their orders.',
  effect: 'read',
  input: z.object({ user_id: UserIdSchema.describe(USER_ID) }),
  output: UserSchema,
  produces: 'user',
  guards: ownsUser,
});

export const listAllProductTypes = defineTool({
  name: 'list_all_product_types',
  description:
    'List the name and product id of all product types.\n\nEach product type has a variety of different items with unique item ids and options.\nThere are only 50 product types in the store.',
  effect: 'read',
  input: z.object({}),
  output: z
    .string()
    .describe('A JSON object, as text, mapping each product name to its product id; keys sorted.'),
  produces: 'product_types',
});

export const modifyPendingOrderAddress = defineTool({
  name: 'modify_pending_order_address',
  description:
    'Modify the shipping address of a pending order. The agent needs to explain the modification detail and ask for explicit user confirmation (yes/no) to proceed.',
  effect: 'write',
  input: z.object({ order_id: OrderIdSchema.describe(ORDER_ID), ...addressFields() }),
  output: OrderSchema,
  produces: 'order',
  guards: ownsOrder,
  // Undone by calling it again with the address the order had before.
  compensation: 'modify_pending_order_address',
});

export const modifyPendingOrderItems = defineTool({
  name: 'modify_pending_order_items',
  description:
    'Modify items in a pending order to new items of the same product type. For a pending order, this function can only be called once. The agent needs to explain the exchange detail and ask for explicit user confirmation (yes/no) to proceed.',
  effect: 'write',
  input: z.object({
    order_id: OrderIdSchema.describe(ORDER_ID),
    item_ids: z
      .array(ItemIdSchema)
      .describe(
        "The item ids to be modified, each such as '1008292230'. There could be duplicate items in the list.",
      ),
    new_item_ids: z
      .array(ItemIdSchema)
      .describe(
        "The item ids to be modified for, each such as '1008292230'. There could be duplicate items in the list. Each new item id should match the item id in the same position and be of the same product.",
      ),
    payment_method_id: PaymentMethodIdSchema.describe(PAYMENT_METHOD_ID),
  }),
  output: OrderSchema,
  produces: 'order',
  guards: ownsOrder,
});

export const modifyPendingOrderPayment = defineTool({
  name: 'modify_pending_order_payment',
  description:
    'Modify the payment method of a pending order. The agent needs to explain the modification detail and ask for explicit user confirmation (yes/no) to proceed.',
  effect: 'write',
  input: z.object({
    order_id: OrderIdSchema.describe(ORDER_ID),
    payment_method_id: PaymentMethodIdSchema.describe(PAYMENT_METHOD_ID),
  }),
  output: OrderSchema,
  produces: 'order',
  guards: ownsOrder,
});

export const modifyUserAddress = defineTool({
  name: 'modify_user_address',
  description:
    'Modify the default address of a user. The agent needs to explain the modification detail and ask for explicit user confirmation (yes/no) to proceed.',
  effect: 'write',
  input: z.object({ user_id: UserIdSchema.describe(USER_ID), ...addressFields() }),
  output: UserSchema,
  produces: 'user',
  guards: ownsUser,
  // Undone by calling it again with the user's previous default address.
  compensation: 'modify_user_address',
});

export const returnDeliveredOrderItems = defineTool({
  name: 'return_delivered_order_items',
  description:
    "Return some items of a delivered order.\n\nThe order status will be changed to 'return requested'.\nThe agent needs to explain the return detail and ask for explicit user confirmation (yes/no) to proceed.\nThe user will receive follow-up email for how and where to return the item.",
  effect: 'write',
  input: z.object({
    order_id: OrderIdSchema.describe(ORDER_ID),
    item_ids: z
      .array(ItemIdSchema)
      .describe(
        "The item ids to be returned, each such as '1008292230'. There could be duplicate items in the list.",
      ),
    payment_method_id: PaymentMethodIdSchema.describe(
      "The payment method id to pay or receive refund for the item price difference, such as 'gift_card_0000000' or 'credit_card_0000000'.\nThese can be looked up from the user or order details.",
    ),
  }),
  output: OrderSchema,
  produces: 'order',
  guards: ownsOrder,
});

/** Changes no data: the runtime escalates the conversation on `handoff`; no guard may stand in the way. */
export const transferToHumanAgents = defineTool({
  name: 'transfer_to_human_agents',
  description:
    "Transfer the user to a human agent, with a summary of the user's issue.\n\nOnly transfer if\n -  the user explicitly asks for a human agent\n -  given the policy and the available tools, you cannot solve the user's issue.",
  effect: 'read',
  input: z.object({ summary: z.string().describe("A summary of the user's issue.") }),
  output: z.literal('Transfer successful'),
  produces: 'handoff',
});

export const retailTools = [
  calculate,
  cancelPendingOrder,
  exchangeDeliveredOrderItems,
  findUserIdByNameZip,
  findUserIdByEmail,
  getOrderDetails,
  getProductDetails,
  getItemDetails,
  getUserDetails,
  listAllProductTypes,
  modifyPendingOrderAddress,
  modifyPendingOrderItems,
  modifyPendingOrderPayment,
  modifyUserAddress,
  returnDeliveredOrderItems,
  transferToHumanAgents,
] as const;

export const retailCatalogue = catalogueOf(retailTools);
