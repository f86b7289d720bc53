/**
 * τ²-bench retail train tasks without a script, each with what the procedures or the local engine
 * cannot do; docs/tau2-results.md reports them and the procedure changes that would help.
 */

/** Why a task has no script: what the procedures or the local engine cannot do. */
export type ExclusionCategory =
  /** The next step depends on a total, a saving or a comparison the agent must compute. */
  | 'agent-computation'
  /** The customer names items the options cannot express (a product id, one item twice). */
  | 'item-choice'
  /** The instruction is relative to a proposal the agent never makes. */
  | 'agent-proposal';

export interface Exclusion {
  readonly category: ExclusionCategory;
  readonly reason: string;
}

export const excluded: Readonly<Record<string, Exclusion>> = {
  '19': {
    category: 'agent-computation',
    reason:
      'The customer picks the return or the exchange by which saves more ($54.04 vs $41.64); the agent cannot compute either saving.',
  },
  '21': {
    category: 'item-choice',
    reason:
      'The customer names product id 1656367028 for an item; the agent must look the product up to find the keyboard. It instead keeps the one item it recognised and reads the product id as a new item id.',
  },
  '37': {
    category: 'agent-computation',
    reason:
      'Needs the most expensive item, then whether the cheapest options of all items bring the total to $1,150; the agent has no arithmetic step.',
  },
  '98': {
    category: 'agent-proposal',
    reason:
      'At the confirmation the customer prefers "the other card"; this agent asks for the payment method before it confirms (listing PayPal and two cards), so the customer has to pick one card with no instruction saying which, and "the other card" at the confirmation has nothing to refer to.',
  },
};
