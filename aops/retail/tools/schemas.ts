import { z } from 'zod';

/**
 * The retail tenant's records, as τ²-bench's db.json holds them and its tools return them. The zod
 * schemas are the single source of truth: tool declarations, the DynamoDB store and the tests all
 * derive from them. Key order in each object follows τ²'s pydantic models, so a parsed tool output
 * serialises exactly like τ²'s.
 */

/**
 * `#W` and seven digits in the data. The `W` is optional on purpose: a customer who forgets it
 * must reach the tool and hear "Order not found", as in τ² (tasks 46 and 47 replay such calls).
 */
export const OrderIdSchema = z.string().regex(/^#W?\d{7}$/);
/** Ten digits. Product ids and item ids share the shape but are unrelated numbers. */
export const ProductIdSchema = z.string().regex(/^\d{10}$/);
export const ItemIdSchema = z.string().regex(/^\d{10}$/);
export const PaymentMethodIdSchema = z.string().regex(/^(credit_card|gift_card|paypal)_\d{7}$/);
/** Four digits in the data; any count is accepted, as in the tool descriptions' example `sara_doe_496`. */
export const UserIdSchema = z.string().regex(/^[a-z]+_[a-z]+_\d+$/);
export const ZipSchema = z.string().regex(/^\d{5}$/);

export const AddressSchema = z.object({
  address1: z.string(),
  address2: z.string(),
  city: z.string(),
  country: z.string(),
  state: z.string(),
  zip: z.string(),
});
export type Address = z.infer<typeof AddressSchema>;

/** Item options, e.g. `{ color: 'blue', size: 'M' }`. */
export const OptionsSchema = z.record(z.string(), z.string());

export const OrderItemSchema = z.object({
  name: z.string(),
  product_id: ProductIdSchema,
  item_id: ItemIdSchema,
  price: z.number(),
  options: OptionsSchema,
});
export type OrderItem = z.infer<typeof OrderItemSchema>;

export const FulfillmentSchema = z.object({
  tracking_id: z.array(z.string()),
  item_ids: z.array(ItemIdSchema),
});

export const PaymentSchema = z.object({
  transaction_type: z.enum(['payment', 'refund']),
  amount: z.number(),
  payment_method_id: PaymentMethodIdSchema,
});
export type Payment = z.infer<typeof PaymentSchema>;

export const OrderStatusSchema = z.enum([
  'pending',
  'processed',
  'delivered',
  'cancelled',
  'pending (item modified)',
  'exchange requested',
  'return requested',
]);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;

export const CancelReasonSchema = z.enum(['no longer needed', 'ordered by mistake']);

const orderCore = {
  order_id: OrderIdSchema,
  user_id: UserIdSchema,
  address: AddressSchema,
  items: z.array(OrderItemSchema),
  status: OrderStatusSchema,
  fulfillments: z.array(FulfillmentSchema),
  payment_history: z.array(PaymentSchema),
};

/** Attributes an order gains from the actions taken on it (absent in db.json until then). */
const orderActionFields = {
  cancel_reason: CancelReasonSchema,
  exchange_items: z.array(ItemIdSchema),
  exchange_new_items: z.array(ItemIdSchema),
  exchange_payment_method_id: PaymentMethodIdSchema,
  exchange_price_difference: z.number(),
  return_items: z.array(ItemIdSchema),
  return_payment_method_id: PaymentMethodIdSchema,
};

/** An order as stored (db.json shape: action fields absent until set). */
export const OrderRecordSchema = z.object({
  ...orderCore,
  cancel_reason: orderActionFields.cancel_reason.optional(),
  exchange_items: orderActionFields.exchange_items.optional(),
  exchange_new_items: orderActionFields.exchange_new_items.optional(),
  exchange_payment_method_id: orderActionFields.exchange_payment_method_id.optional(),
  exchange_price_difference: orderActionFields.exchange_price_difference.optional(),
  return_items: orderActionFields.return_items.optional(),
  return_payment_method_id: orderActionFields.return_payment_method_id.optional(),
});
export type OrderRecord = z.infer<typeof OrderRecordSchema>;

/** An order as the tools return it (τ²'s model dump: action fields are `null` until set). */
export const OrderSchema = z.object({
  ...orderCore,
  cancel_reason: orderActionFields.cancel_reason.nullable(),
  exchange_items: orderActionFields.exchange_items.nullable(),
  exchange_new_items: orderActionFields.exchange_new_items.nullable(),
  exchange_payment_method_id: orderActionFields.exchange_payment_method_id.nullable(),
  exchange_price_difference: orderActionFields.exchange_price_difference.nullable(),
  return_items: orderActionFields.return_items.nullable(),
  return_payment_method_id: orderActionFields.return_payment_method_id.nullable(),
});
export type Order = z.infer<typeof OrderSchema>;

export const CreditCardSchema = z.object({
  source: z.literal('credit_card'),
  id: PaymentMethodIdSchema,
  brand: z.string(),
  last_four: z.string(),
});
export const PaypalSchema = z.object({ source: z.literal('paypal'), id: PaymentMethodIdSchema });
export const GiftCardSchema = z.object({
  source: z.literal('gift_card'),
  id: PaymentMethodIdSchema,
  balance: z.number(),
});
export const PaymentMethodSchema = z.discriminatedUnion('source', [
  CreditCardSchema,
  PaypalSchema,
  GiftCardSchema,
]);
export type PaymentMethod = z.infer<typeof PaymentMethodSchema>;

export const UserSchema = z.object({
  user_id: UserIdSchema,
  name: z.object({ first_name: z.string(), last_name: z.string() }),
  address: AddressSchema,
  email: z.string(),
  payment_methods: z.record(PaymentMethodIdSchema, PaymentMethodSchema),
  orders: z.array(OrderIdSchema),
});
/** Users are stored and returned in the same shape. */
export type User = z.infer<typeof UserSchema>;

export const VariantSchema = z.object({
  item_id: ItemIdSchema,
  options: OptionsSchema,
  available: z.boolean(),
  price: z.number(),
});
export type Variant = z.infer<typeof VariantSchema>;

export const ProductSchema = z.object({
  name: z.string(),
  product_id: ProductIdSchema,
  variants: z.record(ItemIdSchema, VariantSchema),
});
export type Product = z.infer<typeof ProductSchema>;

/** The whole store, in db.json's shape. */
export const RetailDbSchema = z.object({
  products: z.record(ProductIdSchema, ProductSchema),
  users: z.record(UserIdSchema, UserSchema),
  orders: z.record(OrderIdSchema, OrderRecordSchema),
});
export type RetailDb = z.infer<typeof RetailDbSchema>;

/** The tool-output view of a stored order. */
export function toOrder(record: OrderRecord): Order {
  return OrderSchema.parse({
    ...record,
    cancel_reason: record.cancel_reason ?? null,
    exchange_items: record.exchange_items ?? null,
    exchange_new_items: record.exchange_new_items ?? null,
    exchange_payment_method_id: record.exchange_payment_method_id ?? null,
    exchange_price_difference: record.exchange_price_difference ?? null,
    return_items: record.return_items ?? null,
    return_payment_method_id: record.return_payment_method_id ?? null,
  });
}
