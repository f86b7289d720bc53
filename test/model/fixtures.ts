import { z } from 'zod';
import type { Route, SlotRequest } from '../../shared/model/understanding.ts';

/** Slot schemas as the retail tools declare them (tau2 retail), converted the way the compiler does. */
export const schemaOf = (schema: z.ZodType): Record<string, unknown> => {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema) as Record<string, unknown>;
  return json;
};

export const ORDER_ID = schemaOf(z.string().regex(/^#W\d{7}$/));
export const USER_ID = schemaOf(z.string().regex(/^[a-z]+_[a-z]+_\d+$/));
export const ITEM_ID = schemaOf(z.string().regex(/^\d{10}$/));
export const PAYMENT_METHOD_ID = schemaOf(z.string().regex(/^(credit_card|gift_card|paypal)_\d+$/));
export const EMAIL = schemaOf(z.email());
export const ZIP = schemaOf(z.string().regex(/^\d{5}$/));
export const REASON = schemaOf(z.enum(['no longer needed', 'ordered by mistake']));

export const slot = (
  name: string,
  schema: Record<string, unknown>,
  description = name.replace(/_/g, ' '),
): SlotRequest => ({
  name,
  description,
  schema,
});

/** Items of order #W2378156 (tau2 task 0), as the platform lists them for the customer to choose from. */
export const ORDER_ITEMS = [
  {
    value: '1151293680',
    label: 'Mechanical Keyboard (switch type: linear, backlight: RGB, size: full size)',
  },
  { value: '4983901480', label: 'Smart Thermostat (compatibility: Apple HomeKit, color: black)' },
  { value: '9408160950', label: 'Smart Watch (color: gold, band material: leather, display: LCD)' },
];

export const PAYMENT_METHODS = [
  { value: 'credit_card_9513926', label: 'Credit card (visa ending in 7891)' },
  { value: 'gift_card_3291374', label: 'Gift card (balance $46.00)' },
  { value: 'paypal_2192303', label: 'PayPal account' },
];

/** The retail tenant's procedures, each with its `when`. */
export const RETAIL_ROUTES: Route[] = [
  { id: 'cancel-pending-order', when: 'The customer wants to cancel an order that has not shipped yet.' },
  {
    id: 'return-delivered-items',
    when: 'The customer wants to return items from a delivered order for a refund.',
  },
  {
    id: 'exchange-delivered-items',
    when: 'The customer wants to exchange delivered items for another variant of the same product.',
  },
  {
    id: 'modify-pending-order-address',
    when: 'The customer wants to change the shipping address of a pending order.',
  },
  {
    id: 'modify-pending-order-payment',
    when: 'The customer wants to change the payment method of a pending order.',
  },
  { id: 'order-status', when: 'The customer asks where an order is or what its status is.' },
  { id: 'transfer-to-human', when: 'The customer asks to talk to a human agent or a representative.' },
];
