import { describe, expect, it } from 'vitest';
import { readYesNo } from '../../infra/local/model-endpoint/yes-no.ts';

describe('readYesNo', () => {
  it.each([
    'yes',
    'Yes.',
    'YES PLEASE',
    'yeah go ahead',
    'yep',
    'yup, do it',
    'sure',
    'ok',
    'Okay, proceed.',
    'confirm',
    'I confirm',
    'confirmed',
    "that's correct",
    'right',
    'go for it',
    'please do',
    'absolutely',
    'of course',
    'sounds good',
    'Sure, no problem',
    'no worries, go ahead',
    "I don't mind, do it",
    'that works',
    '👍',
  ])('reads "%s" as yes', (message) => {
    expect(readYesNo(message)).toBe(true);
  });

  it.each([
    'no',
    'No.',
    'nope',
    'nah',
    "don't",
    'do not do that',
    'not now',
    'not yet',
    'wait',
    'yes, but wait',
    'hold on',
    'stop',
    'never mind',
    'I changed my mind',
    'let me think about it',
    "I'd rather not",
    'later',
    'That is not right',
    'no, that is the wrong order',
  ])('reads "%s" as no', (message) => {
    expect(readYesNo(message)).toBe(false);
  });

  // Hesitation wins over everything else: the agent asks again rather than act or give up.
  it.each([
    'maybe',
    'maybe later',
    "I'm not sure",
    "I don't know",
    'perhaps',
    'hmm',
    'what do you mean?',
    'my order is #W1234567',
    '',
  ])('reads "%s" as no answer', (message) => {
    expect(readYesNo(message)).toBeNull();
  });

  it('reads a curly apostrophe like a straight one', () => {
    expect(readYesNo('don\u2019t')).toBe(false);
  });

  it('does not read "yes" inside another word', () => {
    expect(readYesNo('yesterday it arrived')).toBeNull();
    expect(readYesNo('a nominal fee')).toBeNull();
  });
});
