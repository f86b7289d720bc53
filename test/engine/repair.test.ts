import { describe, expect, it } from 'vitest';
import {
  type Awaiting,
  conversationPolicy,
  decideRepair,
  type RepairInput,
} from '../../shared/engine/repair.ts';
import { NOTHING_UNDERSTOOD, type Understanding } from '../../shared/model/understanding.ts';

/**
 * Bounded asks (issue 9): a pending question is asked at most N+1 times (N = maxReasks, default 2),
 * whatever made the agent ask it again. Past the bound an unusable answer goes to a person, and a
 * message the agent can still answer gets its answer and a pointer to the question, not the question.
 */
const policy = conversationPolicy({
  faq: [{ id: 'refund-time', question: 'How long does a refund take?', answer: 'Five to seven days.' }],
});
const confirm: Awaiting = {
  kind: 'confirm',
  key: 'confirm-1',
  question: 'I will cancel it. Shall I go ahead?',
};
const slots: Awaiting = {
  kind: 'slots',
  slots: [
    {
      name: 'order_id',
      description: "The order id, such as '#W0000000'.",
      schema: { type: 'string' },
      options: null,
      allowed: null,
    },
  ],
  groups: [],
};

function decide(understanding: Partial<Understanding>, input: Partial<RepairInput> = {}) {
  return decideRepair({
    understanding: { ...NOTHING_UNDERSTOOD, ...understanding },
    awaiting: confirm,
    facts: {},
    filled: [],
    corrected: [],
    misses: 0,
    reasks: 0,
    policy,
    ...input,
  });
}

describe('bounded asks', () => {
  it('asks a confirmation again after an answered question, and counts it', () => {
    const decision = decide({ act: 'question', consent: 'question', faq: 'refund-time' });
    expect(decision.repair).toEqual({
      then: 'pause',
      text: 'Five to seven days.\n\nI will cancel it. Shall I go ahead?',
    });
    expect(decision.reasked).toBe(true);
    expect(decision.missed).toBe(false);
  });

  it('points to the question instead of asking it a fourth time after an answered question', () => {
    const decision = decide({ act: 'question', consent: 'question', faq: 'refund-time' }, { reasks: 2 });
    expect(decision.repair?.text).toBe(`Five to seven days.\n\n${policy.wording.answerAbove}`);
    expect(decision.repair?.text).not.toContain('Shall I go ahead?');
    expect(decision.reasked).toBe(false);
  });

  it('asks again on an unusable reply after answered digressions, until the unusable replies reach the bound', () => {
    // Asked twice again, once for a digression the agent answered: one miss so far is not the bound.
    const again = decide({ act: 'none', consent: 'unclear' }, { reasks: 2, misses: 1 });
    expect(again.repair?.then).toBe('pause');
    expect(again.repair?.text).toContain('Shall I go ahead?');
    expect(again.missed).toBe(true);
    const bound = decide({ act: 'none', consent: 'unclear' }, { reasks: 3, misses: 2 });
    expect(bound.repair?.then).toBe('handoff');
    expect(bound.repair?.reason).toMatch(/after 3 tries/);
  });

  it('hands over on a third "what?" rather than repeating the question a fourth time', () => {
    const decision = decide({ act: 'repeat', consent: 'unclear' }, { reasks: 2 });
    expect(decision.repair?.then).toBe('handoff');
  });

  it('still asks again below the bound', () => {
    expect(decide({ act: 'repeat', consent: 'unclear' }, { reasks: 1 }).repair?.then).toBe('pause');
    expect(decide({ act: 'greeting' }, { awaiting: slots, reasks: 1 }).repair).toEqual({
      then: 'pause',
      text: `${policy.wording.greetingAgain} I need your order id (for example #W0000000).`,
    });
  });

  it('does not count a partial answer as asking again', () => {
    const address: Awaiting = {
      kind: 'slots',
      slots: ['street', 'city'].map((name) => ({
        name,
        description: name,
        schema: { type: 'string' },
        options: null,
        allowed: null,
      })),
      groups: [],
    };
    const decision = decide(
      { slots: { street: '1 Main St' } },
      { awaiting: address, facts: { street: '1 Main St' }, filled: ['street'], reasks: 2 },
    );
    expect(decision.repair).toEqual({ then: 'pause', text: 'Thanks. I still need your city.' });
    expect(decision.reasked).toBe(false);
  });

  it('honours a request for a person at once, whatever the counts', () => {
    expect(decide({ act: 'human' }, { reasks: 0 }).repair).toEqual({
      then: 'handoff',
      reason: 'The customer asked for a person.',
    });
  });
});
