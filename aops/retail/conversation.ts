import { conversationPolicy } from '../../shared/engine/repair.ts';

/**
 * How the retail assistant talks around its procedures: what it says it can help with, its hand-over
 * wording, and the policy FAQ it answers questions from mid-procedure (every answer is taken from
 * data/policy.md; nothing here is invented). The repair patterns' other sentences keep the platform's
 * defaults (shared/engine/repair.ts).
 */
export const conversation = conversationPolicy({
  capabilities:
    'cancelling or changing an order that has not shipped, returning or exchanging delivered items, order and product information, and your account address',
  wording: {
    // τ²'s policy wording, in sentence case: a customer should not be shouted at.
    handoff: 'You are being transferred to a human agent. Please hold on.',
  },
  faq: [
    {
      id: 'refund-timing',
      question: 'How long does a refund take? When will I get my money back?',
      answer:
        'A refund to a gift card is immediate; to any other payment method it takes 5 to 7 business days.',
    },
    {
      id: 'refund-destination',
      question: 'Where does the refund go? Can I get the refund on another card or payment method?',
      answer:
        'A cancellation is refunded to the original payment method. A return is refunded to the original payment method or to an existing gift card.',
    },
    {
      id: 'return-shipping',
      question: 'How do I send the items back? Do I get a return label or instructions?',
      answer:
        'Once the return or exchange is requested you will get an email explaining how to send the items back.',
    },
    {
      id: 'cancel-reasons',
      question: 'Why do you need a reason? What reasons can I give for cancelling?',
      answer: 'An order can be cancelled because it is no longer needed or was ordered by mistake.',
    },
    {
      id: 'which-orders',
      question: 'Which orders can be cancelled, changed, returned or exchanged?',
      answer:
        'Pending orders can be cancelled or changed (address, payment method, item options); delivered orders can be returned or exchanged.',
    },
    {
      id: 'modify-once',
      question: 'Can I change the items again later? Can I change the order more than once?',
      answer:
        'The items of a pending order can be changed only once, and after that the order can no longer be changed or cancelled.',
    },
    {
      id: 'exchange-rules',
      question: 'What can I exchange an item for? Can I swap it for a different product?',
      answer:
        'An item can be exchanged for another available option of the same product (another colour or size, say), not for a different product.',
    },
    {
      id: 'gift-card-balance',
      question: 'Can I pay with a gift card? What if my gift card balance is too low?',
      answer: 'A gift card can pay only if its balance covers the amount.',
    },
    {
      id: 'new-order-exchange',
      question: 'Do I need to place a new order for an exchange?',
      answer: 'No: an exchange needs no new order.',
    },
  ],
});
