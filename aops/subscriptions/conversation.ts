import { conversationPolicy } from '../../shared/engine/repair.ts';

/**
 * How the Tidewave assistant talks around its procedures: what it says it can help with, and the FAQ it
 * answers questions from mid-procedure. Every answer is taken from data/policy.md; nothing here is
 * invented. The repair patterns' other sentences keep the platform's defaults (shared/engine/repair.ts).
 */
export const conversation = conversationPolicy({
  capabilities:
    'your Tidewave subscription and invoices, cancelling, pausing or resuming it, switching plan, the card it is charged to, and refunds of duplicate charges',
  // How the account's records are said when offered as choices (the id follows, for typing).
  labels: {
    // "Premium monthly, active"
    subscription_id: (record) => `${record.plan_name} ${record.billing_period}, ${record.status}`,
    // "$15.49 on 5 March 2026 for Standard monthly, paid"; a billing error says what is wrong with it.
    invoice_id: (record) => `${record.description}, ${record.problem ?? record.status}`,
  },
  faq: [
    {
      id: 'refund-timing',
      question: 'How long does a refund take? When will I see my money back?',
      answer:
        'A refund goes back to the card or PayPal account that paid the charge and reaches you within 5 to 10 business days.',
    },
    {
      id: 'annual-refund',
      question: 'How is the refund worked out when I cancel an annual plan? Do I get money back?',
      answer:
        'Cancelling an annual plan ends it today and refunds the unused part of the year: what you paid for the period times the days of the period after today, divided by the days in the period, to the cent.',
    },
    {
      id: 'monthly-refund',
      question: 'Do I get a refund if I cancel a monthly plan? Is the current month refunded?',
      answer:
        'A monthly plan is cancelled at the end of the current month: you keep watching until then and are not charged again, and the current month is not refunded.',
    },
    {
      id: 'watch-after-cancel',
      question: 'Can I still watch after cancelling? What happens to my account when I cancel?',
      answer:
        'With a monthly plan you keep watching until the end of the period you paid for; an annual plan ends the day you cancel it.',
    },
    {
      id: 'pause-rules',
      question: 'Can I pause an annual plan? How long can I pause for, and how often?',
      answer:
        'Only monthly plans can be paused, for 1, 2 or 3 months, at most once in any 12 months. The days you have already paid for are kept.',
    },
    {
      id: 'paused-billing',
      question: 'Am I charged while paused? What happens when the pause ends?',
      answer:
        'Nothing is charged while your subscription is paused. It resumes by itself when the pause ends, and you can resume it earlier at any time.',
    },
    {
      id: 'plan-prices',
      question: 'What plans are there? What do Basic, Standard and Premium cost and include?',
      answer:
        'Basic is $8.99 a month (1 screen, HD), Standard $15.49 (2 screens, Full HD, downloads), Premium $22.99 (4 screens, 4K Ultra HD, downloads). An annual plan costs ten months: $89.90, $154.90 and $229.90.',
    },
    {
      id: 'plan-change-timing',
      question:
        'When does an upgrade or a downgrade start? Am I charged when I upgrade or downgrade my plan?',
      answer:
        'An upgrade starts at once and you pay the price difference for the days left in the period; a downgrade starts at your next renewal and nothing is charged now.',
    },
    {
      id: 'new-card',
      question: 'How do I add a new card? Can I give you my card number?',
      answer:
        'Please never type a card number in the chat. Add the card on the website or in the app, under Account, then Payment methods; then I can switch your subscription to it.',
    },
    {
      id: 'yearly-switch',
      question: 'Can I switch my subscription to annual (yearly), or from annual to monthly?',
      answer:
        'Moving between monthly and annual billing is done by a colleague; ask me for a person and I will hand you over.',
    },
  ],
});
