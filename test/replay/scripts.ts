/**
 * Customer scripts for recorded conversations: each is what a customer types, turn by turn, against
 * the retail tenant's seeded data (aops/retail/data/db.json). The goldens were recorded from these
 * (record-goldens.ts) and the e2e replay test runs them again. Each uses its own customer or order,
 * so they do not depend on each other's writes, except where the order is stated.
 */

export interface Script {
  /** File name of the golden (`<name>.jsonl`). */
  readonly name: string;
  /** The procedure the first message routes to. */
  readonly aopId: string;
  readonly lines: readonly string[];
}

/** Run in this order: `cancel-declined` leaves order #W5918442 pending for `cancel-happy-path`. */
export const SCRIPTS: readonly Script[] = [
  {
    name: 'cancel-declined',
    aopId: 'cancel-pending-order',
    lines: [
      'Hi, I want to cancel my order #W5918442',
      "sure, it's sofia.rossi2645@example.com",
      'I ordered it by mistake',
      'no, leave it',
    ],
  },
  {
    name: 'cancel-happy-path',
    aopId: 'cancel-pending-order',
    lines: [
      'Hi, I want to cancel my order #W5918442',
      "sure, it's sofia.rossi2645@example.com",
      "I don't need it anymore",
      'yes please',
    ],
  },
  {
    name: 'status-after-wrong-zip',
    aopId: 'order-information',
    lines: ["What's the status of my order #W1787190?", 'Yusuf Khan, zip 99999', "It's Yusuf Khan, 75313"],
  },
  {
    name: 'new-card',
    aopId: 'modify-order-payment',
    lines: [
      "I'd like to pay for my order #W5073920 with a different card",
      'lucas.johansson7741@example.com',
      'the visa ending in 9452',
      'yes, go ahead',
    ],
  },
  {
    name: 'new-default-address',
    aopId: 'change-default-address',
    lines: [
      "I'd like to update my account's default address",
      'omar.nguyen1923@example.com',
      '12 Pine Street, Suite 300, Denver, CO 80202, USA',
      'yes',
    ],
  },
  {
    name: 'asks-for-a-person',
    aopId: 'transfer-to-human',
    lines: ['Can I talk to a real person please', 'hello? is anyone there?'],
  },
  {
    name: 'return-one-item',
    aopId: 'return-delivered-items',
    lines: [
      'I want to return something from order #W2912153, it arrived last week',
      'olivia.brown9075@example.com',
      'just the desk lamp',
      'back to my visa card please',
      'yes',
    ],
  },
  // Conversation repair (docs/aop-language.md): every pattern's events are recorded and replayed.
  {
    name: 'repair-greeting-question-conditional',
    aopId: 'cancel-pending-order',
    lines: [
      'hi there',
      'I need to cancel an order',
      'hello again',
      'ivan.santos3158@example.com',
      '#W8770097',
      'no longer needed',
      'wait, how long does a refund take?',
      'yes if the refund is instant',
      'ok, go ahead',
    ],
  },
  {
    name: 'repair-correction-repeat-decline',
    aopId: 'cancel-pending-order',
    lines: [
      'cancel my order #W3168895 please',
      'olivia.jackson2465@example.com',
      'ordered by mistake',
      'sorry, I meant order #W5663445',
      'what?',
      'hmm',
      'no, leave it',
    ],
  },
  {
    name: 'repair-unusable-answers-hand-off',
    aopId: 'cancel-pending-order',
    lines: ['I want to cancel order #W5694685', 'asdf', 'no idea', 'blue'],
  },
  {
    name: 'repair-person-mid-way',
    aopId: 'return-delivered-items',
    lines: [
      'I want to return something from order #W5605613',
      'emma.smith3991@example.com',
      'can I talk to a human please',
    ],
  },
  {
    name: 'repair-never-mind-then-language',
    aopId: 'modify-order-address',
    lines: [
      'I need to change the shipping address of order #W2624389',
      'never mind',
      '¿Puedo hablar en español?',
    ],
  },
];

/**
 * One conversation, three requests (and so three procedures, two of them re-routed to), about 100
 * events: for the e2e replay and the audit bench. Not a golden: a golden folder holds one version.
 */
export const MULTI_REQUEST: Script = {
  name: 'three-requests',
  aopId: 'order-information',
  lines: [
    "What's the status of my order #W1787190?",
    'Yusuf Khan, zip 99999',
    "It's Yusuf Khan, 75313",
    'Please cancel order #W3579467 too',
    'I ordered it by mistake',
    'yes',
    'And what is the status of order #W1787190 now?',
  ],
};

/**
 * One message, two requests (shared/engine/requests.ts): the order's status first, said so at the
 * start, then the profile, taken up in a turn of its own that answers no message. Not a golden.
 */
export const SEVERAL_REQUESTS: Script = {
  name: 'two-requests-in-one-message',
  aopId: 'order-information',
  lines: ['whats the status of order #W1787190? also what cards do i have saved', 'Yusuf Khan, 75313'],
};
