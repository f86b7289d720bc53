/**
 * τ²-bench retail train tasks without a script, each with what the procedures or the local engine
 * cannot do; docs/tau2-results.md reports them and the procedure changes that would help.
 */

/** Why a task has no script: what the procedures or the local engine cannot do. */
export type ExclusionCategory =
  /** The next step depends on a total, a saving or a comparison the agent must compute. */
  | 'agent-computation'
  /** The customer needs to know which variants are in stock; the listing does not say. */
  | 'stock-not-shown'
  /** The policy refuses an exchange for the identical item; the procedure accepts it. */
  | 'same-item-exchange'
  /** The customer names items the options cannot express (a product id, one item twice). */
  | 'item-choice'
  /** The instruction is relative to a proposal the agent never makes. */
  | 'agent-proposal'
  /** The request fits no procedure, but the router sends it to one that shares a word with it. */
  | 'misrouted-request';

export interface Exclusion {
  readonly category: ExclusionCategory;
  readonly reason: string;
}

export const excluded: Readonly<Record<string, Exclusion>> = {
  '50': {
    category: 'misrouted-request',
    reason:
      '"I need to undo the cancellation of my order" goes to cancel-pending-order (it shares "cancel"), which signs the customer in, lists the orders and ends with "Only pending orders can be cancelled; order #W8859225 is cancelled."; the insistent "No, I want you to undo the cancellation and send me everything in it as soon as possible." then gets "Glad I could help." τ²’s agent transfers to a human: no procedure can undo a cancellation, so the request should go to transfer-to-human.',
  },
  '19': {
    category: 'agent-computation',
    reason:
      'The customer picks the return or the exchange by which saves more ($54.04 vs $41.64); the agent cannot compute either saving.',
  },
  '20': {
    category: 'stock-not-shown',
    reason:
      'The three most expensive makeup kits are out of stock; the listing hides availability and a refused change does not say which of four items failed.',
  },
  '21': {
    category: 'item-choice',
    reason:
      'The customer names product id 1656367028 for an item; the agent must look the product up to find the keyboard. It instead keeps the one item it recognised and reads the product id as a new item id.',
  },
  '29': {
    category: 'item-choice',
    reason:
      'The new garden hose is the one in the pending order, and the customer must not give its id; the agent cannot look items up in another order.',
  },
  '37': {
    category: 'agent-computation',
    reason:
      'Needs the most expensive item, then whether the cheapest options of all items bring the total to $1,150; the agent has no arithmetic step.',
  },
  '91': {
    category: 'same-item-exchange',
    reason:
      'The customer first asks for the same e-reader; it is in stock, so the procedure exchanges it for itself where τ²’s policy requires a different option (and the 32GB one).',
  },
  '98': {
    category: 'agent-proposal',
    reason:
      'At the confirmation the customer prefers "the other card"; this agent asks for the payment method before it confirms (listing PayPal and two cards), so the customer has to pick one card with no instruction saying which, and "the other card" at the confirmation has nothing to refer to.',
  },
  '105': {
    category: 'item-choice',
    reason:
      'Both items are the same tea kettle (one item id twice): the two listed options are identical, so "both" or either one is ambiguous and the agent asks again forever. (τ² ends in a refusal, for the gift card balance.)',
  },
  '107': {
    category: 'same-item-exchange',
    reason:
      'The customer first asks for a new pair with the same specs; the procedure exchanges the boots for themselves where τ²’s policy refuses and the customer falls back to size 9 leather.',
  },
};
