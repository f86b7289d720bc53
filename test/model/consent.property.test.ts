import { describe, expect, it } from 'vitest';
import { classifyConsent } from '../../infra/local/model-endpoint/dialogue.ts';
import { CONSENT_KINDS, type Consent } from '../../shared/model/understanding.ts';
import { consentReplies } from './consent-replies.ts';

/**
 * The safety property of consent: over hundreds of generated replies, a reply that is not an
 * unconditional agreement is never read as `agree`, and every plain agreement is.
 */
describe('classifyConsent over generated replies', () => {
  const seeds = [1, 2, 3];

  it('has at least 500 distinct labelled replies per seed, with every label, deterministically', () => {
    for (const seed of seeds) {
      const replies = consentReplies(600, seed);
      expect(replies).toHaveLength(600);
      expect(new Set(replies.map((reply) => reply.text.toLowerCase())).size).toBe(600);
      const counts = Object.fromEntries(CONSENT_KINDS.map((kind) => [kind, 0])) as Record<Consent, number>;
      for (const reply of replies) counts[reply.expected] += 1;
      expect(counts).toEqual({ agree: 204, decline: 96, question: 102, conditional: 102, unclear: 96 });
      expect(consentReplies(600, seed)).toEqual(replies);
    }
    expect(consentReplies(600, 1)).not.toEqual(consentReplies(600, 2));
  });

  it.each(seeds)('never reads a reply that does not agree as agree (seed %i)', (seed) => {
    const falseAgreements = consentReplies(600, seed).filter(
      (reply) => reply.expected !== 'agree' && classifyConsent(reply.text) === 'agree',
    );
    expect(falseAgreements).toEqual([]);
  });

  it.each(seeds)('reads every plain agreement as agree (seed %i)', (seed) => {
    const missed = consentReplies(600, seed).filter(
      (reply) => reply.expected === 'agree' && classifyConsent(reply.text) !== 'agree',
    );
    expect(missed).toEqual([]);
  });

  it.each(seeds)('reads every other reply with its label (seed %i)', (seed) => {
    const misread = consentReplies(600, seed)
      .map((reply) => ({ ...reply, read: classifyConsent(reply.text) }))
      .filter((reply) => reply.read !== reply.expected);
    expect(misread).toEqual([]);
  });
});
