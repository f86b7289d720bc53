import type { Consent } from '../../shared/model/understanding.ts';

/**
 * Labelled replies to a confirmation question ("I will cancel order #W2378156 and refund it to your
 * visa. Shall I go ahead?"), built from parts the way customers type them: lowercase or not, with
 * fillers, thanks, typos, emoji, with or without punctuation.
 *
 * The labels are what a careful reader would say, and only an unconditional agreement is labelled
 * `agree`: a yes with a question is `question`, a yes with a condition or a change is `conditional`,
 * a yes and a no together, hesitation, an unrelated answer and gibberish are `unclear`. Ambiguous
 * shapes ("yes, the blue one", "it's fine") are left out rather than given a label one could argue
 * with.
 *
 * Deterministic for a seed; every reply is distinct (ignoring case). Used by the consent property
 * test and by end-to-end tests.
 */
export interface LabelledReply {
  readonly text: string;
  readonly expected: Consent;
}

/** Share of each label in the set. */
const SHARES: Readonly<Record<Consent, number>> = {
  agree: 0.34,
  decline: 0.16,
  question: 0.17,
  conditional: 0.17,
  unclear: 0.16,
};

export function consentReplies(count = 600, seed = 1): LabelledReply[] {
  const random = mulberry32(seed);
  const seen = new Set<string>();
  const replies: LabelledReply[] = [];
  const labels = Object.keys(SHARES) as Consent[];
  labels.forEach((label, index) => {
    const quota = index === labels.length - 1 ? count - replies.length : Math.round(count * SHARES[label]);
    let made = 0;
    for (let attempt = 0; made < quota; attempt += 1) {
      if (attempt > quota * 200) {
        throw new Error(`consentReplies: could not build ${quota} distinct "${label}" replies`);
      }
      const text = BUILDERS[label](random);
      const key = text.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      replies.push({ text, expected: label });
      made += 1;
    }
  });
  return shuffle(replies, random);
}

type Random = () => number;
type Builder = (random: Random) => string;

const AGREEMENTS = [
  'yes',
  'yes please',
  'yeah',
  'yeah sure',
  'yep',
  'yup',
  'ya',
  'y',
  'sure',
  'sure thing',
  'ok',
  'okay',
  'k',
  'okk',
  'alright',
  'alright then',
  'ok then',
  'fine',
  'go ahead',
  'go for it',
  'yes go ahead',
  'yeah go ahead',
  'ok go ahead',
  'sure go ahead',
  'please go ahead',
  'please proceed',
  'proceed',
  'yes proceed',
  'do it',
  'ok do it',
  'yes do it',
  'just do it',
  'please do',
  'confirm',
  'confirmed',
  'i confirm',
  'yes i confirm',
  'absolutely',
  'of course',
  'definitely',
  'sounds good',
  'that works',
  'works for me',
  "that's fine",
  "that's correct",
  "yep that's right",
  'correct',
  'no problem go ahead',
  'not a problem',
  'why not',
  'sure why not',
  "i don't mind",
  'no worries, go ahead',
  'yse',
  'yess',
  'yesss',
  'go ahaed',
  'okay sure',
  '👍',
  'yes 👍',
  'can you go ahead',
  'could you please do it',
  'can you do that please',
  'yes cancel it',
  'yeah go ahead and cancel it',
  'perfect, go ahead',
  'great, do it',
  'yes that is fine',
];
const FILLERS = ['', '', '', 'um', 'uh', 'well', 'so', 'oh', 'lol', 'honestly', 'hmm'];
const REASONS = [
  '',
  '',
  '',
  "i don't need it anymore",
  "i'm not using it anyway",
  'i ordered it by mistake',
  "i'm sure",
  'asap',
  'right away',
  'now please',
  'it was a mistake',
  'i no longer need it',
  "that's what i want",
  'no rush',
];
const THANKS = ['', '', '', 'thanks', 'thank you', 'thx', 'ty', 'cheers', 'thanks a lot', '🙏', 'thank u'];

const REFUSALS = [
  'no',
  'nope',
  'nah',
  'no thanks',
  'no thank you',
  'not now',
  'not yet',
  'not today',
  "don't",
  "please don't",
  "don't do it",
  'do not do that',
  'leave it',
  'leave it as is',
  'i changed my mind',
  'changed my mind',
  'never mind',
  'nvm',
  'cancel that',
  'forget it',
  'forget about it',
  "i'd rather not",
  'no way',
  'absolutely not',
  "i'll keep it",
  'i want to keep it',
  'no, keep it',
  'stop',
  'no stop',
  "don't bother",
  'nooo',
  'no no no',
  "i don't want to",
  '👎',
  'no leave it',
  'nah forget it',
  'actually no',
  'on second thought no',
  'scratch that',
  'not really',
  "i don't think so",
];
const REFUSAL_OPENERS = ['', '', '', 'um', 'sorry', 'actually', 'oh', 'ok', 'well'];
const REFUSAL_ENDINGS = ['', '', '', 'thanks', 'sorry', "i'll keep it", 'i changed my mind', 'thank you'];

const ASKING_OPENERS = [
  '',
  '',
  'yes but',
  'ok but',
  'sure but',
  'yes',
  'ok',
  'yeah',
  'before that',
  'hmm',
  'um',
  'wait',
];
/** Questions that open with a question word, so they read as questions with or without a "?". */
const QUESTIONS = [
  'how long does the refund take',
  'how long will it take',
  'when do i get my money back',
  'when will i get the refund',
  'will it go back to my visa',
  'will the money go to my card',
  'do i get an email',
  'do i need to do anything else',
  'do i need to send anything back',
  'is there a fee',
  'is there a cancellation fee',
  'what happens to my points',
  'what happens next',
  'how much will i get back',
  'where does the money go',
  'can i still use my gift card',
  'will i get a confirmation',
  'does it cost anything',
  'how do i know it worked',
  'why does it take so long',
  'is the refund instant',
  'can i order it again later',
  'will you email me',
  'how will i know',
];

const CONDITION_OPENERS = [
  'yes',
  'ok',
  'sure',
  'yeah',
  'go ahead',
  'fine',
  'alright',
  'yep',
  'ok go ahead',
  '',
];
const CONDITIONS = [
  'if the refund goes to my visa',
  'as long as the refund goes to my visa',
  'as long as there is no fee',
  'but only the lamp',
  'but only the keyboard',
  'but send it to my other address',
  'but refund it to my paypal instead',
  'but use my other card',
  'only if it has not shipped',
  'provided i get the full refund',
  'but not the watch',
  'except the watch',
  'but just the lamp',
  'unless it already shipped',
  'if you can do it today',
  'but do it tomorrow',
  'but put the refund on my gift card',
  'if it is free',
  'but keep the lamp',
  'but without the restocking fee',
  'but change the address first',
  'but ship it to my work address',
  'assuming there are no fees',
  'on condition that i get the full amount',
  'but refund it to my mastercard instead',
];

const HESITATIONS = [
  'maybe',
  'hmm',
  'hmmm',
  'not sure',
  "i'm not sure",
  'let me think',
  'let me think about it',
  'wait',
  'hold on',
  'hang on',
  'one sec',
  'give me a minute',
  'idk',
  "i don't know",
  'i guess',
  'perhaps',
  'possibly',
  'maybe later',
  'let me check with my wife',
  '🤔',
  'not sure yet',
  'i need to think',
  'hmm let me see',
];
const UNRELATED = [
  'the blue one',
  'my email is sara.doe@example.com',
  'noah_smith@example.com',
  '#W2378156',
  'order 4983901',
  'my zip is 80202',
  'the lamp',
  'it is the keyboard',
  'Sara Doe',
  '123 Main St',
  'i bought it last week',
  'it was a gift',
  'the package arrived yesterday',
];
const MIXED = [
  'yes no',
  'no wait yes',
  'yes... actually no',
  'no yes',
  'yeah no',
  'ok wait',
  'yes, wait, no',
  'sure... no',
  'no, i mean yes',
  'yes and no',
  'yes. no. i mean no',
];
const ELSEWHERE = [
  'hi',
  'hello?',
  'thanks',
  'what?',
  'huh',
  'yes?',
  'ok?',
  'asdfgh',
  'qwerty',
  'zxcvb',
  'fdsa',
];
const UNCLEAR_OPENERS = ['', '', '', 'um', 'uh', 'sorry'];
/** Consonants that spell no slang word, however they are repeated (no "k", "n", "p", "y", "d", "h", "r"). */
const GIBBERISH_LETTERS = 'bcfgjlmqstvwxz';

const BUILDERS: Readonly<Record<Consent, Builder>> = {
  agree: (random) =>
    style(
      random,
      join(random, [
        pick(random, FILLERS),
        pick(random, AGREEMENTS),
        pick(random, REASONS),
        pick(random, THANKS),
      ]),
    ),
  decline: (random) =>
    style(
      random,
      join(random, [pick(random, REFUSAL_OPENERS), pick(random, REFUSALS), pick(random, REFUSAL_ENDINGS)]),
    ),
  question: (random) => {
    const question = join(random, [pick(random, ASKING_OPENERS), pick(random, QUESTIONS)]);
    return style(random, question, random() < 0.7 ? '?' : '');
  },
  conditional: (random) => {
    const opener = pick(random, CONDITION_OPENERS);
    const condition = pick(random, CONDITIONS);
    // Alone, a condition must not start with "but" ("keep the lamp" alone is not clearly a condition).
    const alone = CONDITIONS.filter((part) => !part.startsWith('but '));
    return style(random, join(random, [opener, opener === '' ? pick(random, alone) : condition]));
  },
  unclear: (random) => {
    const roll = random();
    if (roll < 0.12) return gibberish(random);
    const part =
      roll < 0.45
        ? pick(random, HESITATIONS)
        : roll < 0.7
          ? pick(random, UNRELATED)
          : roll < 0.88
            ? pick(random, MIXED)
            : pick(random, ELSEWHERE);
    const opener = pick(random, UNCLEAR_OPENERS);
    // "uh" + "huh" would make "uh huh", which means yes.
    return style(random, join(random, [opener === 'uh' && part === 'huh' ? '' : opener, part]), '');
  },
};

function gibberish(random: Random): string {
  const length = 4 + Math.floor(random() * 5);
  let text = '';
  for (let index = 0; index < length; index += 1) text += pick(random, [...GIBBERISH_LETTERS]);
  return text;
}

/** Parts joined as a customer would: with a comma, or just a space. */
function join(random: Random, parts: readonly string[]): string {
  return parts
    .filter((part) => part !== '')
    .reduce((text, part) => (text === '' ? part : `${text}${random() < 0.5 ? ', ' : ' '}${part}`), '');
}

/** Words whose last letter a customer may stretch ("yesss", "nooo", "okkk"). */
const STRETCHABLE = new Set([
  'yes',
  'yeah',
  'no',
  'nope',
  'ok',
  'okay',
  'sure',
  'please',
  'so',
  'um',
  'hmm',
  'wait',
  'maybe',
  'thanks',
]);

/** Case, a stretched first word and end punctuation; `end` forces the last mark ("?" or none). */
function style(random: Random, text: string, end?: string): string {
  let styled = text;
  const [first, ...rest] = styled.split(' ');
  if (first !== undefined && STRETCHABLE.has(first) && random() < 0.15) {
    styled = [first + first.slice(-1).repeat(1 + Math.floor(random() * 3)), ...rest].join(' ');
  }
  const casing = random();
  if (casing < 0.3) styled = styled.charAt(0).toUpperCase() + styled.slice(1);
  else if (casing < 0.36) styled = styled.toUpperCase();
  const mark = end ?? pick(random, ['', '', '', '.', '!', '!!']);
  return `${styled}${mark}`;
}

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function shuffle<T>(items: T[], random: Random): T[] {
  for (let index = items.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [items[index], items[other]] = [items[other]!, items[index]!];
  }
  return items;
}

/** A small, fast, seedable PRNG (mulberry32). */
function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
