import type { Consent, DialogueAct } from '../../../shared/model/understanding.ts';
import { aboutAnotherPerson, normaliseApostrophes } from './text.ts';

/**
 * Dialogue reading for the local extraction engine: how a reply to a confirmation question reads as a
 * whole (`classifyConsent`), what a message does besides giving information (`classifyAct`), and which
 * language it is written in (`detectLanguage`). Pure, deterministic and table-driven, like the rest of
 * the engine: docs/local-model.md lists what is understood and what is not.
 *
 * The message is first *read*: lowercased, emoji turned into words (👍 → yes), ids, numbers and emails
 * masked, slang and common typos mended ("yse", "okk", "go ahaed", "pls", "nvm"), and cut into clauses
 * at punctuation and at "but", "and", "though". Every classifier works on that reading, with phrases
 * matched as whole words.
 */

// -------------------------------------------------------------------------------------------------
// Reading a message

interface Clause {
  /** The clause's words, single-spaced and padded with a space on each side: " how long does it take ". */
  readonly text: string;
  /** The clause ended with a question mark. */
  readonly asked: boolean;
}

interface Reading {
  /** Every word and separator ("," and "?"), single-spaced and padded: " yes , but how long ? ". */
  readonly text: string;
  readonly clauses: readonly Clause[];
}

/** A regular expression over a reading's text: the body must match whole words. */
function words(body: string, flags = ''): RegExp {
  return new RegExp(`(?<= )(?:${body})(?= )`, flags);
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
/** Anything with a digit in it: an order id, a zip, an amount, a date. */
const NUMBERISH = /[#$€£]?[\p{L}_]*\d(?:[\p{L}\p{N}_/-]|[.,:](?=\d))*%?/gu;

const SYMBOLS: readonly (readonly [RegExp, string])[] = [
  [/[\u{1F3FB}-\u{1F3FF}\u{FE0F}\u{200D}]/gu, ''],
  [/[👍👌✅✔☑🆗🙆💯🤝🙌]/gu, ' yes , '],
  [/[👎❌🚫🙅✖⛔🛑]/gu, ' no , '],
  [/[🤔😕🤷😬]/gu, ' hmm , '],
  [/🙏/gu, ' thanks , '],
  [/\p{Extended_Pictographic}/gu, ' '],
  [/(?<=^|\s)[:;=8]-?[()dpo/\\|*3]+(?=\s|$)/gi, ' , '],
  [/(?<=^|\s)<3(?=\s|$)/g, ' '],
  [/[?？¿]+/g, ' ? '],
  [/[.!¡,;:…\n\r\t()[\]{}"“”«»|/*~]+/g, ' , '],
  [/\s[-–—]+\s|^[-–—]+|[-–—]+$/g, ' , '],
  [/[-–—_]+/g, ' '],
  [/[&+]/g, ' and '],
  [/[^\p{L}\p{N}' ,?]+/gu, ' '],
];

/** Phrases rewritten before the words are mended (they contain words that mean something else alone). */
const RAW_PHRASES: readonly (readonly [RegExp, string])[] = [
  [/\b(see|thank|love) ya\b/g, '$1 you'],
  [/\b(?:uh huh|uh-huh|mm+ hm+|m+hm+)\b/g, 'yes'],
  [/\b(?:okey|okie|oki) ?(?:dokey|dokie|doki)\b/g, 'ok'],
  [/\ball right\b/g, 'alright'],
];

/** Slang, abbreviations and frequent misspellings, word for word. */
const SLANG: ReadonlyMap<string, string> = new Map(
  Object.entries({
    y: 'yes',
    ya: 'yes',
    yah: 'yes',
    yea: 'yes',
    yeah: 'yes',
    yeh: 'yes',
    ye: 'yes',
    yep: 'yes',
    yepp: 'yes',
    yup: 'yes',
    yas: 'yes',
    yass: 'yes',
    yess: 'yes',
    yse: 'yes',
    eys: 'yes',
    yesh: 'yes',
    yus: 'yes',
    yeas: 'yes',
    yeppers: 'yes',
    yessir: 'yes',
    aye: 'yes',
    mhm: 'yes',
    k: 'ok',
    kk: 'ok',
    kay: 'ok',
    okk: 'ok',
    okie: 'ok',
    oki: 'ok',
    okey: 'ok',
    okay: 'ok',
    okays: 'ok',
    okayy: 'ok',
    oky: 'ok',
    oaky: 'ok',
    okya: 'ok',
    alr: 'alright',
    aight: 'alright',
    ight: 'alright',
    alrighty: 'alright',
    allright: 'alright',
    alrite: 'alright',
    nah: 'no',
    nope: 'no',
    naw: 'no',
    nay: 'no',
    nop: 'no',
    noo: 'no',
    noep: 'no',
    pls: 'please',
    plz: 'please',
    plse: 'please',
    pleas: 'please',
    pleez: 'please',
    pleeze: 'please',
    plis: 'please',
    pleaze: 'please',
    thx: 'thanks',
    thnx: 'thanks',
    thanx: 'thanks',
    thanq: 'thanks',
    tnx: 'thanks',
    thks: 'thanks',
    thnks: 'thanks',
    ty: 'thanks',
    tysm: 'thanks',
    tyvm: 'thanks',
    thankyou: 'thank you',
    thankz: 'thanks',
    u: 'you',
    r: 'are',
    ur: 'your',
    im: "i'm",
    dont: "don't",
    dnt: "don't",
    cant: "can't",
    wont: "won't",
    didnt: "didn't",
    doesnt: "doesn't",
    isnt: "isn't",
    wasnt: "wasn't",
    arent: "aren't",
    wouldnt: "wouldn't",
    couldnt: "couldn't",
    shouldnt: "shouldn't",
    havent: "haven't",
    thats: "that's",
    whats: "what's",
    wats: "what's",
    hows: "how's",
    wheres: "where's",
    whens: "when's",
    lets: "let's",
    ive: "i've",
    youre: "you're",
    theres: "there's",
    idk: "i don't know",
    dunno: "i don't know",
    nvm: 'never mind',
    nevermind: 'never mind',
    np: 'no problem',
    ofc: 'of course',
    brb: 'wait',
    sry: 'sorry',
    srry: 'sorry',
    soz: 'sorry',
    wat: 'what',
    wut: 'what',
    wht: 'what',
    def: 'definitely',
    defo: 'definitely',
    deffo: 'definitely',
    definately: 'definitely',
    rn: 'right now',
    tho: 'though',
    cuz: 'because',
    coz: 'because',
    cos: 'because',
    bc: 'because',
    wanna: 'want to',
    lemme: 'let me',
    gimme: 'give me',
    kinda: 'kind of',
    sorta: 'sort of',
    helo: 'hello',
    hii: 'hi',
    heyy: 'hey',
    procede: 'proceed',
    proced: 'proceed',
    confrim: 'confirm',
    comfirm: 'confirm',
    cofirm: 'confirm',
    humna: 'human',
    hooman: 'human',
    rep: 'representative',
    ppl: 'people',
    pers: 'person',
    gd: 'good',
    gr8: 'great',
    thnak: 'thank',
  }),
);

/**
 * Words the engine knows (English function words and every word of its phrase lists): a known word is
 * never "mended" into another one ("now" stays "now", not "no").
 */
const ENGLISH_WORDS = `a about above actually add address after again against ago agree agreed ahead all almost
  already alright also although always am an and anymore another any anybody anyone anything anyway anywhere
  are around as ask asked asking at away back bad be because been before being best better bit both bother
  bought box but buy by call called can can't cancel cancelled card care cash certain change changed charge
  charged check chat color come could couldn't day days deal did didn't different do does doesn't doing done
  don't down each either else email end enough even ever every everything exactly exchange fast few find
  fine first for forget forgot found friend from full get gets getting gift give given glad go goes going gone
  good got great had has hasn't have haven't having he help her here hers him his hold how however i i'd i'll
  i'm i've if in into is isn't it it's its itself just keep kind know last later least leave left less let let's
  like line little long look lost lot made make many may maybe me mean meant might mind mine money more most
  much must my myself name need needed never new next nice no none not nothing now number of off often ok old
  on once one only open or order ordered other our out over own package paid pass pay payment people person
  phone place please pleased plus point problem put question quick quickly quite rather real really reason
  refund return returned right said same say see seen send sent shall she ship shipped shipping short should
  shouldn't since size so some someone something soon sorry still stop such sure take taken tell than thank
  thanks that that's the their them then there there's these they thing things think thinks this those though
  through time to today together told too took try trying two under until up upon us use used using very wait
  want wanted was wasn't way we well went were what what's when where whether which while who whole why will
  with within without won't word work works would wouldn't wrong yes yet you you're your yours charged five
  fever lever newer sever proceeds forgot pleased plead night light might fight tight sight`;

function wordSet(...lists: string[]): Set<string> {
  return new Set(lists.join(' ').split(/\s+/).filter(Boolean));
}

/** Every word a phrase list below uses, so it is never mended. */
const LEXICON_WORDS = `yes ok alright sure fine confirm confirmed confirming correct right go ahead proceed
  absolutely definitely certainly course sounds agreed affirmative works perfect exactly indeed means bet
  totally approved approve accept accepted carry good great cool awesome lovely excellent roger precisely
  plan true nice wonderful fantastic brilliant sweet super amazing happy asap hurry rush worries biggie
  doubt pressure objection issue prob no nope negative decline declined refuse reject disagree abort quit
  exit skip never mind forget scratch keep leave alone interested necessary hmm hm hmmm um umm uh uhh er
  erm well oh ah lol haha hehe honestly basically literally seriously like so then also maybe perhaps
  possibly probably unsure uncertain guess suppose sec second moment minute hang second thought decide
  undecided torn hi hello hey heya hiya howdy yo sup greetings morning afternoon evening gm doing going
  anybody bye goodbye cheers appreciate appreciated grateful care helpful what huh eh pardon excuse come
  again repeat rephrase understand confused confusing sense catch caught missed human humans agent agents
  representative supervisor manager operator somebody staff employee associate support service live
  transfer connect escalate actual actually oops whoops bad mistake correction typo mean meant instead
  should if unless provided providing condition assuming except apart only just rather without later
  tomorrow week month monday tuesday wednesday thursday friday saturday sunday wonder wondering curious
  idea whose which will would can could does do did is are was were has have may shall might how when
  where why who xnum xemail nolonger anymore anyway use using used need needed want wanted`;

export const KNOWN: ReadonlySet<string> = wordSet(ENGLISH_WORDS, LEXICON_WORDS);

/** Words a typo is mended into: any one-letter slip for long words, a swapped pair for short ones. */
const LONG_TARGETS = [
  'ahead',
  'proceed',
  'please',
  'confirm',
  'confirmed',
  'absolutely',
  'definitely',
  'certainly',
  'alright',
  'perfect',
  'thanks',
  'correct',
  'exactly',
  'agreed',
  'understand',
  'repeat',
  'representative',
  'supervisor',
  'nevermind',
];
const SHORT_TARGETS = [
  'yes',
  'yeah',
  'okay',
  'sure',
  'fine',
  'nope',
  'wait',
  'stop',
  'hello',
  'human',
  'thank',
];

function mend(token: string): string {
  const word = token.replace(/^'+|'+$/g, '');
  if (word === '' || /[^a-z']/.test(word)) return word;
  const known = (candidate: string) => SLANG.get(candidate) ?? (KNOWN.has(candidate) ? candidate : undefined);
  const direct = known(word);
  if (direct !== undefined) return direct;
  for (const squeezed of [word.replace(/(.)\1{2,}/g, '$1$1'), word.replace(/(.)\1+/g, '$1')]) {
    const found = known(squeezed);
    if (found !== undefined) return found;
  }
  return nearest(word) ?? word;
}

/** The one target a word is a slip of (same first letter), or none when there is no single one. */
function nearest(word: string): string | undefined {
  if (word.length < 3) return undefined;
  const hits = [
    ...LONG_TARGETS.filter(
      (target) => word.length >= 5 && word[0] === target[0] && oneEditApart(word, target),
    ),
    ...SHORT_TARGETS.filter((target) => swappedPair(word, target)),
  ];
  const unique = [...new Set(hits)];
  return unique.length === 1 ? (SLANG.get(unique[0]!) ?? unique[0]) : undefined;
}

function swappedPair(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  const diff = [...a].flatMap((char, index) => (char === b[index] ? [] : [index]));
  return (
    diff.length === 2 &&
    diff[1] === diff[0]! + 1 &&
    a[diff[0]!] === b[diff[1]!] &&
    a[diff[1]!] === b[diff[0]!]
  );
}

/** One substitution, insertion, deletion or swap of neighbours apart. */
function oneEditApart(a: string, b: string): boolean {
  if (a === b) return false;
  if (a.length === b.length) {
    const diff = [...a].flatMap((char, index) => (char === b[index] ? [] : [index]));
    return diff.length === 1 || swappedPair(a, b);
  }
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  if (long.length - short.length !== 1) return false;
  for (let index = 0; index < long.length; index += 1) {
    if (long.slice(0, index) + long.slice(index + 1) === short) return true;
  }
  return false;
}

/** Multi-word phrases rewritten after mending: idioms that hold a negative word but mean yes, and so on. */
const PHRASES: readonly (readonly [RegExp, string])[] = [
  [words('no longer|not any ?more|no more', 'g'), 'nolonger'],
  [words('any more', 'g'), 'anymore'],
  // Idioms with a negative word that agree: "no problem", "why not", "I don't mind".
  [
    words(
      "no problems?|not a problem|no probs?|no issues?|not an issue|why not(?: \\?)?|(?:i )?(?:don't|do not) mind|i have no objections?|no objections?|no complaints",
      'g',
    ),
    'yes',
  ],
  // Idioms with a negative word that are neither yes nor no: "no rush", "no worries".
  [
    words(
      "all good|no worries|no worry|no rush|no hurry|no doubt|no biggie|no pressure|don't worry(?: about it)?|do not worry|don't hesitate|can't wait|no (?:other |more |further )?questions?|nothing else|no need to (?:reply|answer|respond)",
      'g',
    ),
    'nw',
  ],
  // "it's fine" / "it's ok" may wave something away ("it's fine, forget it"): not a yes by itself.
  [words("it's (?:fine|ok)|it is (?:fine|ok)|that's ok|that is ok", 'g'), 'itsfine'],
  [words('thank you', 'g'), 'thanks'],
  // "yeah right", alone, is as often sarcasm as a yes.
  [/^ yes (?:, )?right (?:, )?$/, ' yeahright '],
];

const SEPARATORS = new Set([',', '?']);
const CLAUSE_WORDS = new Set(['but', 'though', 'although', 'however', 'and', 'plus', 'because']);

function read(message: string): Reading {
  let text = normaliseApostrophes(message.normalize('NFKC')).toLowerCase();
  text = text.replace(EMAIL, ' xemail ').replace(NUMBERISH, ' xnum ');
  for (const [pattern, replacement] of SYMBOLS) text = text.replace(pattern, replacement);
  for (const [pattern, replacement] of RAW_PHRASES) text = text.replace(pattern, replacement);
  text = ` ${text.split(/\s+/).filter(Boolean).map(mend).join(' ')} `;
  for (const [pattern, replacement] of PHRASES) text = text.replace(pattern, replacement);
  const tokens = text.split(/\s+/).filter(Boolean);
  // Collapse runs of separators and trim them at the ends (a "?" is kept: it marks a question).
  const kept: string[] = [];
  for (const token of tokens) {
    const last = kept[kept.length - 1];
    if (token === ',' && (last === undefined || SEPARATORS.has(last))) continue;
    if (token === '?' && last === ',') kept.pop();
    if (token === '?' && kept[kept.length - 1] === '?') continue;
    kept.push(token);
  }
  while (kept[kept.length - 1] === ',') kept.pop();
  const clauses: Clause[] = [];
  let current: string[] = [];
  const close = (asked: boolean) => {
    if (current.length > 0) clauses.push({ text: ` ${current.join(' ')} `, asked });
    current = [];
  };
  for (const token of kept) {
    if (token === '?') close(true);
    else if (token === ',') close(false);
    else if (CLAUSE_WORDS.has(token)) {
      close(false);
      current.push(token);
    } else current.push(token);
  }
  close(false);
  return { text: ` ${kept.join(' ')} `, clauses };
}

// -------------------------------------------------------------------------------------------------
// Phrase lists

/** Unmistakable agreement. */
const AGREE = words(
  [
    'yes',
    'ok',
    'alright',
    'sure',
    'fine',
    'confirm(?:ed|ing)?',
    'i confirm',
    'correct',
    "that's right",
    'that is right',
    "you're right",
    'go (?:right )?ahead',
    'go for it',
    'go on',
    'proceed',
    'do it',
    'do that',
    'do so',
    'please do',
    'absolutely',
    'definitely',
    'certainly',
    'of course',
    'sounds (?:good|great|fine|right|perfect|like a plan)',
    'agreed?',
    'affirmative',
    '(?:that )?works(?: for me)?',
    'fine (?:by|with) me',
    'ok (?:by|with) me',
    'exactly',
    'precisely',
    'indeed',
    'by all means',
    'for sure',
    'you bet',
    'totally',
    'approved?',
    'accept(?:ed)?',
    "let's (?:do it|go|proceed|do that)",
    'make it so',
    'carry on',
    'roger',
    "i'm (?:ok|fine|good|happy|okay) with (?:it|that|this)",
    'happy with (?:it|that|this)',
    'good to go',
    "that's (?:fine|correct|perfect|good|great)",
    'that is (?:fine|correct|perfect|good|great)',
    'please (?:proceed|go ahead|continue)',
    'yes please',
    'i do',
    'true',
  ].join('|'),
);

/** Words that agree only when nothing in the reply says otherwise ("please", "great", "right"). */
const WEAK_AGREE = words(
  'please|good|great|cool|awesome|lovely|excellent|nice|perfect|right|wonderful|fantastic|brilliant|sweet|super|amazing|deal|done',
);

/** A polite request to go ahead, phrased as a question: "can you go ahead?", "could you please do it". */
const POLITE_AGREE = new RegExp(
  [
    '^ (?:please |so |ok |yes |then )*(?:can|could|would|will) (?:you|u|we) (?:please |kindly |just |maybe |now |then )*',
    '(?:go ahead|do it|do that|do so|proceed|go on|continue|carry on|go for it|take care of (?:it|that)|get (?:it|that) done',
    '|(?:process|cancel|return|refund|exchange|submit|complete|finish|confirm|handle|place|send) (?:it|that|this|them|the (?:order|return|refund|exchange|request|cancellation))',
    '|go ahead and (?:do|process|cancel|return|refund|exchange|submit|complete|confirm|send) (?:it|that|this|them|the (?:order|return|refund|exchange|request|cancellation)))',
    '(?= )',
  ].join(''),
);
const POLITE_MIND = /^ (?:please )?would you mind (?:going ahead|doing (?:it|that|so)|proceeding)(?= )/;

/** "can you go ahead", "could you please do it, I'm sure": a polite request and nothing more. */
function isPolite(text: string): boolean {
  const bare = text.replace(LEAD, ' ');
  const match = POLITE_AGREE.exec(bare) ?? POLITE_MIND.exec(bare);
  return match !== null && onlyBenign(bare.slice(match[0].length));
}

function onlyBenign(text: string): boolean {
  return text.split(' ').every((word) => word === '' || BENIGN.has(word) || THANKS_WORDS.has(word));
}

const DECLINE = words(
  [
    'no',
    '(?:absolutely|definitely|certainly|of course|hell|god|surely) not',
    'not(?= $| , | \\? )',
    'negative',
    'declined?',
    'i decline',
    'refuse',
    'i refuse',
    'reject',
    'disagree',
    'stop',
    'abort',
    'not (?:now|yet|today|tonight|this time|right now|at the moment|at all|really|interested|necessary|needed|for me)',
    "(?:i'd|i would) rather not",
    'rather not',
    "(?:i )?don't think so",
    '(?:i )?do not think so',
    'leave it(?: as it is| as is| alone| be)?',
    'let it be',
    "(?:i'll|i will|i want to|i'd like to|i'd rather|let me|i'm going to|gonna) (?:just )?keep (?:it|them|the \\w+)",
    'keep (?:it|them)',
    "(?:i've |i have |i )?change[ds]? (?:of )?my mind",
    'change of (?:mind|plans?)',
    'never mind',
    'forget (?:it|about it|that|this)',
    'cancel (?:that|this)',
    'scratch that',
    "don't bother",
    'skip (?:it|that)',
    "(?:i'll )?pass",
    "i won't",
    "i'm good(?: thanks)?(?= $)",
    'later',
  ].join('|'),
);

/** "don't" and its kin, when they refuse the action: alone, or before doing it ("don't cancel"). */
const DONT =
  /(?<= )(?:don't|do not)(?= $| (?:[,?]|thanks|sorry|please|do|cancel|proceed|go|continue|bother|touch|change|process|return|refund|exchange|send|ship|submit|it|that|this|yet|please|want (?:to|that|this)|want it (?:[,?]|$))(?: |$))/;

/** A negation just before a word of agreement: "not correct", "don't go ahead", "never agreed". */
const NEGATED_AGREE =
  /(?<= )(?:not|don't|do not|never|isn't|is not|wasn't|ain't|can't|cannot|won't|didn't|doesn't) (?:\w+ )?(?:ok|fine|right|correct|sure|good|agree|agreed|confirm|proceed|go ahead|do it|yes|want (?:to|that|this)|approve|accept|what i (?:want|wanted|asked))(?= )/;

const NEGATION_SCOPE =
  /(?<= )(?:(?:absolutely|definitely|certainly|of course|surely|totally|hell|god|please) )?(?:don't|do not|not|never|didn't|doesn't|isn't|wasn't|won't|can't|cannot)(?: [a-z']+){0,2}(?= )/g;

const NEVER_ALONE = /(?<=^ | , | \? )never(?: ever)?(?= , | \? | $)/;

const HESITATION = words(
  [
    'maybe',
    'perhaps',
    'possibly',
    'probably',
    'not (?:so |really |too |quite |100 )?sure',
    'unsure',
    'not certain',
    'uncertain',
    "(?:i )?(?:don't|do not) know",
    'no idea',
    'hmm+',
    'hm+',
    'wait',
    'hold on',
    'hang on',
    'hold up',
    'hold off',
    '(?:one|a|just a|give me a) (?:sec|second|moment|minute|min)',
    'let me (?:think|check|see|ask|get back)',
    '(?:need|have|want) to think',
    'think (?:about it|it over|about that)',
    "i'll think",
    'i guess',
    'i suppose',
    'i think so',
    'guess so',
    'suppose so',
    'kind of',
    'sort of',
    "we'll see",
    'undecided',
    "(?:can't|cannot) decide",
    'not decided',
    'ask my \\w+',
    'check with my \\w+',
  ].join('|'),
);

/** A condition or a change to the action as described. */
const CONDITION = words(
  [
    'if',
    'only if',
    'as long as',
    'so long as',
    'provided',
    'providing',
    'on condition',
    'assuming',
    'unless',
    'except',
    'apart from',
    'other than',
    'only',
    'just (?:the|for|one|that|this|these|those|half)',
    'instead',
    'rather than',
    'without',
    'not (?:the|my|that|this|those|these|all)',
    '(?:to|onto|into|on|with|via|using|use|through) (?:my|the|a|another|other|different|new) (?:other |different |new |second |work |home |old )?(?:address|card|visa|mastercard|amex|paypal|account|method|gift|bank|office|work|home|email|one)',
    '(?:to|onto|into|on) (?:my|the|a) (?:other|different|new|second)',
    '(?:other|another|different|new) (?:address|card|account|method|payment|item|order|size|color|colour|one)',
    'change(?! of (?:mind|plans?))|switch|swap|update|modify|add|remove|split|replace|upgrade|downgrade',
  ].join('|'),
);

/** A time other than now: with a yes it is a condition ("yes, but tomorrow"); "later" alone is a no. */
const TIMING = words(
  'later|tomorrow|tonight|next (?:week|month|time)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|in a (?:bit|while|few days|week)|(?:until|till|after) (?:monday|tomorrow|next|the)',
);

/** Words a reply may add to a yes without changing it: fillers, thanks, reasons, urgency, restating. */
const BENIGN = wordSet(
  `i me my it it's its itself this that that's those these them they the a an to for of and so just
  really very well oh ah um umm uh uhh er erm lol haha hehe honestly basically literally seriously like
  then also please thanks thank much so lot again cheers appreciate appreciated bye goodbye nw itsfine
  now right away today asap quickly quick fast soon immediately hurry already please go ahead do did does
  done not don't do need needed want wanted use using used wear anymore nolonger anyway anyways longer
  mistake accident accidentally error ordered order bought buy found got have had has cheaper elsewhere
  am i'm is was be been being sure certain positive absolutely definitely yes ok alright fine correct
  right good great perfect cool awesome nice lovely excellent happy glad understand understood know get
  got cancel cancelled return returned refund refunded exchange process processed proceed confirm
  confirmed with one thing item items stuff we us our you your can will would could
  there here what exactly as is wanted told said mentioned go on continue went way course sounds agreed
  true indeed totally by means bet carry roger plan deal works work make sir madam mate buddy man dude
  bro friend guys folks hi hello hey oops sorry ma'am boss chief cancellation refunds returns exchanges
  request mine ugh ughh meh k kk pause paused resume switch change upgrade downgrade update move ship`,
);

const STATUS_REQUEST =
  /^ (?:hi |hello |hey |so |ok |um |and )*(?:where(?:'s| is| are)|where did|what(?:'s| is) the status of|what is happening with|what's happening with|track) (?:my|the) (?:order|package|parcel|delivery|shipment|stuff|items?|purchase|orders)/;

/** Question words that open a question even without a "?" ("when do i get my money back"). */
const INTERROGATIVE =
  /^ (?:how|how's|when|when's|what|what's|where|where's|why|who|who's|which|whose|will|would|can|could|does|do (?:i|you|we|they|those|these|my)|did|is|are|am i|should|shall|may i|might|was|were|has|have (?:you|i|we|they)|any (?:idea|way|chance)|how come)(?= )/;
const NOT_A_QUESTION =
  /^ (?:will do|can do|would (?:be|love|like|appreciate)|what (?:a|an|lovely|nice|great|beautiful|wonderful|terrible|awful|horrible|luck)|how (?:nice|kind|great|lovely|wonderful|sweet|annoying|frustrating|awful|terrible|sad|funny|weird|strange|cool|rude)|who cares)(?= )/;
const ASKING_INSIDE = words(
  'i wonder|wondering|(?:want|wanna|like|need) to know|curious|(?:tell|let) me (?:know )?(?:how|when|what|where|why|if|whether|about)|any idea|how (?:long|much|many|soon|often)|what about|what if|what happens|is there (?:a|any) (?:fee|charge|cost|way)',
);
/** Words a clause may open with before its question word: "yes but how long", "ok so when". */
const LEAD =
  /^ (?:(?:yes|ok|alright|sure|so|well|um+|uh+|hm+|er+m?|oh|then|also|and|but|though|plus|thanks|actually|just|great|cool|perfect|fine|hi|hello|hey|hmm|wait|sorry|no|because|honestly|lol|before that|first|quick question|one more thing|btw|by the way|one question) )+/;

/**
 * A request phrased as a question, which a procedure answers by doing it: "can you cancel my order?",
 * "can I return the lamp?", "where is my order?". One that asks about rules in general ("again",
 * "another", "after 30 days") stays a question.
 */
const REQUEST_QUESTION =
  /^ (?:please )?(?:can|could|would|will|may) (?:you|i|we) (?:please |kindly |just |also )*(?:help (?:me )?(?:to |with )?)?(?:cancel|return|exchange|change|update|modify|refund|send back|swap|replace|track|check|look up|find|switch|edit|reorder|get a refund for|have a refund for|get my money back for|process|fix|help(?: me)?(?: out| please)?(?= $| with| to))(?= )/;
const GENERAL = words(
  'again|another|other|different|more than|after|before|ever|usually|normally|always|policy|any|an|items|orders|products',
);

/** Nothing but a request to hear the last message again, or a sign it was not understood. */
const REPEAT_WHOLE =
  /^ (?:(?:um+|uh+|oh|hm+|er+m?|sorry|wait|excuse me|pardon|huh) )*(?:what(?: \?)?|huh|eh|sorry \?|pardon(?: me)?|excuse me \?|come again|say (?:what|again|that again)|you what|what was that|what did you (?:just )?say|what now|again|repeat|one more time|hm+ \?|\?)(?: \?)*(?: please)?(?: \?)? $/;
const REPEAT_ANYWHERE = words(
  "(?:can|could|would) you (?:please )?(?:repeat|say that again|say it again|rephrase|explain)|please repeat|repeat (?:that|it|please|the question|yourself|what you said)|say (?:that|it) again|(?:i )?(?:don't|do not|didn't|did not) (?:understand|get (?:it|that|you)|catch (?:that|it)|follow)|what (?:do|did) you mean|what does (?:that|it|this) mean|what's that mean|not sure what you mean|(?:i'm|i am|im) (?:so |a bit |kind of |really )?(?:confused|lost)|^ confused|(?:makes|make) no sense|(?:doesn't|does not) make (?:any )?sense|come again|missed that|in other words|what are you (?:asking|talking about|saying)|what (?:was|is) the question|what question",
);

const GREETING_PARTS = words(
  [
    'hi',
    'hello',
    'hey',
    'heya',
    'hiya',
    'howdy',
    'yo',
    'sup',
    'greetings',
    'good (?:morning|afternoon|evening|day)',
    'morning',
    'evening',
    'afternoon',
    'gm',
    'how (?:are|r) (?:you|ya)(?: doing)?(?: today| this (?:morning|afternoon|evening))?',
    "how's it going",
    'how is it going',
    'how are things',
    'how do you do',
    'how you doing',
    "how's your day",
    "what's up",
    'wassup',
    '(?:is )?(?:any|some)(?:one|body) (?:there|here|around|available)',
    'are you there',
    'you there',
    'is this (?:thing )?(?:on|working)',
    'nice to meet you',
    "(?:i )?hope (?:you're|you are) (?:well|good|doing well|having a good day)",
    "i'm (?:good|fine|ok|well|great)",
    'and you',
    'how about you',
    'there',
    'all',
    'team',
    'guys',
    'folks',
    'everyone',
    'everybody',
    'friend',
    'support',
    'bot',
    'sir',
    'madam',
    'mate',
    'buddy',
    'um',
    'uh',
    'oh',
    'so',
    'well',
    'ok',
    'yes',
    'thanks',
    'please',
    'sorry',
    'excuse me',
    'again',
  ].join('|'),
  'g',
);
const GREETING_CORE = words(
  "hi|hello|hey|heya|hiya|howdy|yo|sup|greetings|good (?:morning|afternoon|evening|day)|morning|evening|gm|how (?:are|r) (?:you|ya)|how's it going|how is it going|how are things|how do you do|how you doing|what's up|wassup|(?:any|some)(?:one|body) (?:there|here|around|available)|are you there|you there|is this (?:thing )?(?:on|working)",
);

const THANKS_PARTS = words(
  [
    'thanks',
    'thank',
    'you',
    'so much',
    'very much',
    'a lot',
    'a bunch',
    'again',
    'for (?:your|the|all (?:your|the)) (?:help|time|support|assistance)',
    'for (?:helping|everything)',
    'cheers',
    '(?:i )?appreciate (?:it|that|your help)',
    '(?:much )?appreciated',
    "(?:i'm |i am )?(?:so |very )?grateful",
    'bye(?: bye)?',
    'goodbye',
    'good bye',
    'see you(?: later| soon)?',
    'take care',
    'have a (?:good|nice|great|lovely) (?:day|one|night|evening|weekend)',
    'you too',
    'good night',
    "that's (?:all|it|everything|all i needed)",
    'that is (?:all|it|everything)',
    "that'll be all",
    'that will be all',
    'nw',
    'all good',
    "you've been (?:very |so |really )?helpful",
    "you're (?:the best|great|awesome|a star)",
    'great',
    'perfect',
    'awesome',
    'cool',
    'ok',
    'alright',
    'got it',
    'sounds good',
    'wonderful',
    'excellent',
    'lovely',
    'nice',
    'no',
    'oh',
    'well',
    'so',
    'then',
    'and',
    'mate|buddy|man|dude|guys|folks|everyone|all|sir|madam|friend|again|very|really|much|you|for|that',
  ].join('|'),
  'g',
);
const THANKS_CORE = words(
  "thanks|thank|cheers|appreciate|appreciated|grateful|bye|goodbye|good bye|see you|take care|have a (?:good|nice|great|lovely)|that's (?:all|it|everything)|that is (?:all|it|everything)|that'll be all|that will be all|good night",
);

const HUMAN_NOUN =
  '(?:humans?|(?:a )?(?:real|live|actual) (?:person|human|agent|one|someone|people)|persons?|agents?|representatives?|supervisors?|managers?|operators?|someone|somebody|staff|employees?|associates?|customer (?:service|support|care)|live (?:chat|support)|people|team member|advisor)';
const HUMAN = [
  new RegExp(
    // "looks like someone wore them" compares; it asks for nobody.
    `(?<= )(?<!(?:looks?|looked|looking|seems?|seemed|feels?|felt|smells?|sounds?) )(?:talk|speak|chat|get|connect|transfer|put|pass|escalate|switch|hand|give|want|need|bring|call|contact|reach|have|like|prefer)(?: (?:to|with|me|a|an|the|some|your|one|of|please|now|just|through|over|on|directly|i|can|could|talk|speak|chat|right|away|immediately))* ${HUMAN_NOUN}(?= )`,
  ),
  new RegExp(
    `^ (?:(?:a|an|the|um|uh|ok|hi|hello|hey|please|just|now|real|live|actual) )*${HUMAN_NOUN}(?: (?:please|now|asap|pls|immediately|thanks))* $`,
  ),
  /(?<= )(?:is|are) there (?:a |an |any )?(?:real |live |actual )?(?:humans?|persons?|agents?|representatives?|people|someone|anyone)(?: (?:i|to) (?:can )?(?:talk|speak|chat))?(?= )/,
  words(
    'transfer me|escalate(?: (?:this|it|me))?|put me through|connect me|human please|talk to (?:a )?(?:human|person)',
  ),
  // Refusing the machine is asking for a person ("i dont want to talk to a machine", "not a bot").
  /(?<= )(?<!(?:i'm|i am|im) )(?:don't|do not|not|no more|stop|done|tired of|sick of|hate)(?: \w+){0,5} (?:machines?|bots?|robots?|chatbots?|computers?|ai|automated \w+)(?= )/,
];
const HUMAN_NOT = /(?:don't|do not|no need|not|never|without)(?: \w+){0,3} $/;

const ABANDON = [
  words(
    [
      'never mind',
      'forget (?:it|about it|that|this|the whole thing)',
      'scratch that',
      "don't bother",
      'drop it',
      'abort',
      'quit',
      'exit',
      'i give up',
      "i'm done with this",
      "(?:i've |i have |i )?change[ds]? (?:of )?my mind",
      'change of plans?',
      "(?:i )?(?:don't|do not) want to (?:do|continue|proceed with|go through with|go on with|keep going with) (?:this|it|that)(?: anymore| nolonger)?",
      "(?:i )?(?:don't|do not) want to (?:continue|proceed|go on)",
      "(?:i )?(?:don't|do not) want to (?:cancel|return|exchange|change|modify|do) (?:it |this |that |them |anything )?(?:anymore|nolonger)",
      '(?:i )?nolonger want to',
      "let's (?:stop|not)",
      "(?:i'll|i will|i want to|i'd rather|i'd like to|i'm going to) (?:just )?keep (?:it|them)",
      'leave it(?: as it is| as is| alone| be)?',
    ].join('|'),
  ),
  /(?<=^ | , )(?:please |just |ok |no )*(?:cancel|stop)(?: (?:that|this|here|now|please|right there|the request|my request|this request|this conversation|the conversation|this chat))*(?= , | \? | $)/,
  /(?<=^ | , )(?:please |just |ok |no )*stop (?:it|everything|all this)(?: (?:now|please))*(?= , | \? | $)/,
  /^ no (?:, )?thanks $/,
  // "actually no dont", "wait no, don't do anything": the request is called off, whatever was asked.
  /^ (?:(?:actually|wait|hmm|oh|um) (?:, )?)*no (?:, )?(?:don't|do not)(?: (?:do (?:it|that|anything)|bother))?(?: please)? $/,
];

const CORRECTION_CUE = words(
  "actually|sorry|oops|whoops|my (?:bad|mistake|error)|mistake|correction|typo|i meant?|meant|wrong(?: one)?|not that(?: one)?|no wait|wait no|no sorry|sorry no|should (?:be|have been)|instead of|i gave (?:you )?the wrong|that's wrong|that was wrong|not xnum|no",
);
const CORRECTION_VALUE = words(
  "xnum|xemail|(?:the |that )?other (?:one|order|item|address|card|email|number)|another (?:one|order|item|address|card|email|number)|the (?:other|different) one|(?:my|the) (?:email|e mail|zip|zip code|postcode|postal code|name|first name|last name|surname|order(?: number| id)?|address|id|number|card|item|phone|street|city|state|user ?name|username) (?:is|was|should be|=)|(?:it's|it is|its) (?:xnum|xemail|the \\w+|not)",
);
const MEANT_VALUE = words(
  'i meant? (?:xnum|xemail|the|my|a|an|order|email|zip|other|another|not)(?= )|i meant? (?!it |yes |no |that |well |ok |so )\\w+(?= $)',
);
const TYPO = words('typo|correction');

// -------------------------------------------------------------------------------------------------
// Consent

/**
 * How a reply to a confirmation question reads, as a whole. Only an unconditional agreement is
 * `agree`; when signs of several kinds are present the safer one wins, in this order:
 *
 * 1. a question (a "?" or a question word opening a clause, not a polite "can you go ahead?") → question;
 * 2. a condition or a change ("if", "as long as", "only", "but send it to …", "to my other card") → conditional;
 * 3. hesitation ("maybe", "wait", "let me think", "not sure") → unclear;
 * 4. both a yes and a no ("yes no", "no wait yes") → unclear;
 * 5. a no ("no", "leave it", "I changed my mind", "don't") → decline;
 * 6. a yes, with nothing else but fillers, thanks, urgency or a reason ("yes, I don't need it
 *    anymore") → agree; a yes with anything else ("yes, the blue one", "yes my email is …") → unclear;
 * 7. anything else → unclear.
 *
 * With the question that was asked, a reply that names an action the question does not ("yes, return
 * it" to "Shall I cancel …?") asks for a change: conditional. Without it, such restatements are read
 * as restating the action.
 */
/**
 * "That's everything", "that's all", "nothing else": the answer to "Is that everything, and shall I
 * go ahead?" that adds nothing. Only as a whole phrase: "all of them" is not it.
 */
const THATS_ALL =
  /\b(?:that'?s|thats|that is|it'?s|its) (?:everything|all|it)(?! of)\b|\bnothing (?:else|more)\b/gi;

export function classifyConsent(said: string, question?: string): Consent {
  const message = said.replace(THATS_ALL, ' ');
  // "hmm no", "um yes please": a sound of thinking before a clear answer is that answer (found by
  // aop simulate: "hmm no" was handed to a person after "I need a clear yes or no"). Alone, or before
  // anything but a plain yes or no ("hmm let me see", "hmm no, not yet"), it is still hesitation.
  // "hmm no, not yet" still hesitates: the answer after the sound must not put it off.
  const thinking = LEADING_SOUND.exec(message);
  const after = thinking ? message.slice(thinking[0].length) : '';
  if (thinking && !HESITATION.test(after) && !/\b(?:yet|later)\b/i.test(after)) {
    const rest = classifyConsent(after, question);
    if (rest === 'agree' || rest === 'decline') return rest;
  }
  const reading = read(message);
  const { text } = reading;
  if (text.trim() === '') return 'unclear';
  // A reply that opens with a refusal and agrees to nothing is a no, whatever follows it ("No, wait, I
  // changed my mind", "Not yet, wait: I also want…", "No. The refund would have to go to my gift card,
  // so do not cancel anything"): a no never writes, so reading it as one is the safe side.
  if (OPENS_WITH_REFUSAL.test(text) && !AGREE.test(text.replace(NEGATION_SCOPE, ' '))) return 'decline';

  let asks = false;
  let tentative = false;
  let politeAgree = false;
  for (const clause of reading.clauses) {
    const kind = questionKind(clause);
    if (kind === 'polite') politeAgree = true;
    else if (kind === 'tentative') tentative = true;
    else if (kind === 'question' || kind === 'request') asks = true;
  }
  const change = CONDITION.test(text) || butAddsSomething(reading) || namesAnotherAction(text, question);
  if (asks) return politeRequestForChange(reading) && change ? 'conditional' : 'question';
  if (change) return 'conditional';
  if (TIMING.test(text) && (AGREE.test(text) || politeAgree)) return 'conditional';
  if (HESITATION.test(text) || tentative) return 'unclear';

  const decline = DECLINE.test(text) || DONT.test(text) || NEGATED_AGREE.test(text) || NEVER_ALONE.test(text);
  // "ok, no thanks": a leading "ok" / "alright" / "well" only acknowledges what was said.
  const agreeText = decline ? text.replace(/^ (?:(?:ok|alright|well|right|so|oh) (?:, )?)+/, ' ') : text;
  // A word of agreement under a negation ("don't do that", "not correct") agrees with nothing.
  const strong = AGREE.test(agreeText.replace(NEGATION_SCOPE, ' ')) || politeAgree;
  if (strong && decline) return 'unclear';
  if (decline) return 'decline';
  if (!strong && !WEAK_AGREE.test(text)) return 'unclear';
  // "please cancel it", "can you cancel it": without the question, the action named may not be the
  // one asked about (a cancelled return is a no); only a word of agreement makes it a yes.
  const restates = ACTIONS.some((action) => action.test(text));
  if (restates && question === undefined && !AGREE.test(agreeText.replace(NEGATION_SCOPE, ' ')))
    return 'unclear';
  if (isRepeat(reading)) return 'unclear';
  return addsNothing(reading) ? 'agree' : 'unclear';
}

/** "no", "nope", "nah", "not yet", "no thanks" as the first words of the reply. */
const OPENS_WITH_REFUSAL = /^ (?:no|nope|nah|not yet|no thanks|no thank you)(?= |$)/;

/** The actions a reply may restate, each with the words that name it. */
const ACTIONS: readonly RegExp[] = [
  /(?<= )cancel\w*(?= )/,
  /(?<= )(?:return\w*|send (?:it|them|\w+) back)(?= )/,
  /(?<= )(?:refund\w*|money back)(?= )/,
  /(?<= )(?:exchang\w*)(?= )/,
  /(?<= )(?:ship\w*|deliver\w*)(?= )/,
];

function namesAnotherAction(text: string, question: string | undefined): boolean {
  if (question === undefined) return false;
  const asked = ` ${normaliseApostrophes(question)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')} `;
  return ACTIONS.some((action) => action.test(text.replace(NEGATION_SCOPE, ' ')) && !action.test(asked));
}

type QuestionKind = 'none' | 'question' | 'request' | 'polite' | 'tentative' | 'repeat' | 'greeting';

/** What a clause asks, if anything. */
function questionKind(clause: Clause): QuestionKind {
  const text = clause.text;
  if (isPolite(text)) return 'polite';
  if (REPEAT_WHOLE.test(clause.asked ? `${text}? ` : text) || REPEAT_ANYWHERE.test(text)) return 'repeat';
  if (isGreetingOnly(text)) return 'greeting';
  const bare = text.replace(LEAD, ' ');
  const opens = bare.trim() !== '' && INTERROGATIVE.test(bare) && !NOT_A_QUESTION.test(bare);
  const inside = ASKING_INSIDE.test(text);
  if (!clause.asked && !opens && !inside) return 'none';
  if (!opens && !inside && onlyAgreement(text)) return 'tentative';
  if (STATUS_REQUEST.test(bare) || (REQUEST_QUESTION.test(bare) && !GENERAL.test(bare))) return 'request';
  return 'question';
}

/** A clause of nothing but agreement words and fillers ("yes?", "ok?"): asked, it is not a clear yes. */
function onlyAgreement(text: string): boolean {
  const rest = text.replace(AGREE_ALL, ' ').replace(WEAK_AGREE_ALL, ' ');
  return rest.split(' ').every((word) => word === '' || BENIGN.has(word));
}
const AGREE_ALL = new RegExp(AGREE.source, 'g');
const WEAK_AGREE_ALL = new RegExp(WEAK_AGREE.source, 'g');
const DECLINE_ALL = new RegExp(DECLINE.source, 'g');
const HESITATION_ALL = new RegExp(HESITATION.source, 'g');
const LEADING_SOUND = /^\s*(?:h+m+|u+m+|u+h+|e+r+m*)[\s,.!…]+(?=\S)/i;

/** "yes, but send it to my other address": "but" followed by anything more than fillers. */
function butAddsSomething(reading: Reading): boolean {
  return reading.clauses.some((clause) => {
    if (!/^ (?:but|though|although|however) /.test(clause.text)) return false;
    if (['question', 'request', 'polite'].includes(questionKind(clause))) return false;
    // What a "but" clause declines or hesitates about is read by those rules ("yes but no" is mixed).
    const rest = clause.text
      .replace(/^ (?:but|though|although|however) /, ' ')
      .replace(DECLINE_ALL, ' ')
      .replace(HESITATION_ALL, ' ');
    return rest.split(' ').some((word) => word !== '' && !BENIGN.has(word) && !THANKS_WORDS.has(word));
  });
}
const THANKS_WORDS = wordSet('thanks thank cheers appreciate appreciated bye goodbye');

/** "could you send it to my visa instead?": a change asked for politely is a condition, not a question. */
function politeRequestForChange(reading: Reading): boolean {
  return reading.clauses.some((clause) =>
    /^ (?:please )?(?:can|could|would|will) you /.test(clause.text.replace(LEAD, ' ')),
  );
}

/** A yes adds nothing when every other word is a filler, thanks, urgency, a reason or a restatement. */
function addsNothing(reading: Reading): boolean {
  return reading.clauses
    .filter((clause) => questionKind(clause) !== 'polite')
    .every((clause) => onlyBenign(clause.text.replace(AGREE_ALL, ' ').replace(WEAK_AGREE_ALL, ' ')));
}

function isRepeat(reading: Reading): boolean {
  const whole = reading.text.replace(/ , /g, ' ');
  return REPEAT_WHOLE.test(whole) || REPEAT_ANYWHERE.test(whole);
}

function isGreetingOnly(text: string): boolean {
  return GREETING_CORE.test(text) && text.replace(GREETING_PARTS, ' ').replace(/[,?]/g, ' ').trim() === '';
}

function isThanksOnly(text: string): boolean {
  return THANKS_CORE.test(text) && text.replace(THANKS_PARTS, ' ').replace(/[,?]/g, ' ').trim() === '';
}

// -------------------------------------------------------------------------------------------------
// Dialogue acts

/**
 * What a message does besides giving information. When several acts fit, the first of this list
 * wins, so that what matters most to the customer is never lost:
 *
 *   other_language > human > cancel > correction > repeat > greeting / thanks > question > none
 *
 * - another language first: nothing else can be read reliably from it;
 * - a request for a person is honoured whatever else the message says ("this is useless, get me a human");
 * - abandoning the request ("never mind, forget it") wins over what the message goes on to say;
 * - a correction ("no wait, my zip is 80202") carries a value the runtime must not miss;
 * - a request to repeat, then a message that is only a greeting, small talk or thanks;
 * - a question about something ("how long does a refund take?"), unless it is a request phrased as a
 *   question ("can you cancel my order?", "where is my order?"), which is `none`.
 */
export function classifyAct(message: string): { act: DialogueAct; language?: string } {
  const script = scriptLanguage(message);
  const foreign = script ?? wordLanguage(message);
  if (foreign !== undefined) {
    return foreign.language === undefined
      ? { act: 'other_language' }
      : { act: 'other_language', language: foreign.language };
  }
  const reading = read(message);
  const { text } = reading;
  if (text.trim() === '') return { act: 'none' };
  if (asksForHuman(text)) return { act: 'human' };
  if (ABANDON.some((pattern) => pattern.test(text))) return { act: 'cancel' };
  if (corrects(text)) return { act: 'correction' };
  if (aboutAnotherPerson(message)) return { act: 'other_person' };
  if (isRepeat(reading)) return { act: 'repeat' };
  if (isGreetingOnly(text)) return { act: 'greeting' };
  if (isThanksOnly(text)) return { act: 'thanks' };
  if (reading.clauses.some((clause) => questionKind(clause) === 'question')) return { act: 'question' };
  return { act: 'none' };
}

/**
 * Whether a message asks anything at all (a question, or a request phrased as one): a FAQ entry is
 * only chosen for such a message.
 */
export function asksSomething(message: string): boolean {
  return read(message).clauses.some((clause) => {
    const kind = questionKind(clause);
    return kind === 'question' || kind === 'request';
  });
}

function asksForHuman(text: string): boolean {
  return HUMAN.some((pattern) => {
    const match = pattern.exec(text);
    if (match === null) return false;
    return !HUMAN_NOT.test(text.slice(0, match.index));
  });
}

/**
 * "No, make it the blue one", "no i said paypal", "no, change it to the XL": a refusal that says what
 * it should be instead changes a detail; it does not call the whole thing off.
 */
const NO_MAKE_IT = words(
  '(?:no|nope|nah|no no)(?: ,)? (?:make it|i said|i meant|i asked for|i wanted|i want|change it to|switch (?:it )?to|put it on|use|go with|it should be|should be) (?!it |that |this |to |a human|anything|nothing|no |yes |so )\\w+',
);

/** A cue ("actually", "sorry", "I meant", "no,") followed by a value or "the other one". */
function corrects(text: string): boolean {
  if (TYPO.test(text) || MEANT_VALUE.test(text) || NO_MAKE_IT.test(text)) return true;
  for (const cue of text.matchAll(CORRECTION_CUES)) {
    const after = text.slice(cue.index - 1);
    if (cue[0] === 'no' && !/^ no (?:, )?(?:it's|it is|its|my|the|xnum|xemail)(?= )/.test(after)) continue;
    if (CORRECTION_VALUE.test(after)) return true;
  }
  return false;
}
const CORRECTION_CUES = new RegExp(CORRECTION_CUE.source, 'g');

// -------------------------------------------------------------------------------------------------
// Language

/**
 * The ISO 639-1 code of the message's language when it is mostly not English; undefined for English
 * (or when there are no words to tell by). Non-Latin scripts are told by their letters; Spanish,
 * French, German, Italian, Portuguese and Dutch by lists of common words (and a few letters only they
 * use). A single foreign word in an English sentence ("my pedido") is English.
 */
export function detectLanguage(message: string): string | undefined {
  return (scriptLanguage(message) ?? wordLanguage(message))?.language;
}

const SCRIPTS: readonly (readonly [RegExp, (text: string) => string])[] = [
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, () => 'ja'],
  [/\p{Script=Hangul}/u, () => 'ko'],
  [/\p{Script=Han}/u, (text) => (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text) ? 'ja' : 'zh')],
  [/\p{Script=Cyrillic}/u, (text) => (/[іїєґ]/iu.test(text) ? 'uk' : 'ru')],
  [/\p{Script=Arabic}/u, (text) => (/[پچژگ]/u.test(text) ? 'fa' : 'ar')],
  [/\p{Script=Hebrew}/u, () => 'he'],
  [/\p{Script=Greek}/u, () => 'el'],
  [/\p{Script=Devanagari}/u, () => 'hi'],
  [/\p{Script=Thai}/u, () => 'th'],
  [/\p{Script=Bengali}/u, () => 'bn'],
  [/\p{Script=Tamil}/u, () => 'ta'],
  [/\p{Script=Georgian}/u, () => 'ka'],
  [/\p{Script=Armenian}/u, () => 'hy'],
];

/** A message whose letters are mostly of a non-Latin script. */
function scriptLanguage(message: string): { language: string | undefined } | undefined {
  const text = message.replace(EMAIL, ' ').replace(NUMBERISH, ' ');
  const letters = [...text].filter((char) => /\p{L}/u.test(char));
  const latin = letters.filter((char) => /\p{Script=Latin}/u.test(char)).length;
  if (letters.length === 0 || latin * 2 >= letters.length) return undefined;
  const script = SCRIPTS.find(([pattern]) => pattern.test(text));
  return { language: script?.[1](text) };
}

/**
 * Common words of each language, store words included. Words that are also English are left out
 * ("die", "met", "con", "favor"), here or, for the engine's own English words, at load.
 */
const LANGUAGE_WORDS: Readonly<Record<string, string>> = {
  es: `hola gracias por quiero quisiera necesito pedido orden cancelar devolver devolución devolucion
    reembolso mi mis el los las una uno que qué como cómo donde dónde cuando cuándo para pero muy bien buenos
    buenas días dias tardes noches sí señor señora ayuda ayudar puede puedo hablar está esta estoy tengo tiene
    del al lo es su sus nuestro adiós adios cambiar dirección direccion producto compra compré recibí llegó
    dinero tarjeta cuenta correo nombre hacer ahora todavía también porque cuál quién persona agente buen día
    hasta luego bueno esto eso este ese esa aquí mucho muchas usted ustedes mío favor necesita quiere envío
    paquete artículo gusto vale claro`,
  fr: `bonjour bonsoir salut merci beaucoup je j'ai voudrais veux commande annuler rembourser remboursement
    retourner mon mes le les des du une un est et avec pas oui non vous nous il elle c'est s'il plaît plait svp
    aide aider pouvez peux parler quelqu'un comment quand où pourquoi quoi qui que adresse changer numéro colis
    livraison reçu argent carte compte nom au revoir très bien mais avoir suis êtes sont dans sur ce cette ça
    aussi encore déjà toujours rien tout moi mon ma votre vos notre être fait faire d'accord`,
  de: `hallo guten tag morgen abend danke bitte schön ich möchte moechte meine mein bestellung stornieren
    zurückgeben rückerstattung erstattung geld zurück nicht und ist das der den dem ein eine einen mit für von
    zu auf bei wie wo wann warum wer kann können sie sprechen mensch mitarbeiter adresse ändern paket lieferung
    karte konto ja nein tschüss wiedersehen sehr gut noch schon auch aber oder bin habe haben wir mir mich dich
    du dass sich nur jetzt hier bitte möchten hilfe helfen ihr ihre meiner`,
  it: `ciao buongiorno buonasera salve grazie mille prego vorrei voglio ordine annullare cancellare
    restituire rimborso reso il gli mio mia miei un una è con non sì si che dove quando perché perche cosa chi
    posso può puo parlare persona operatore indirizzo cambiare pacco consegna soldi carta conto nome
    arrivederci molto bene sono ho ha abbiamo questo questa quello anche ancora già ma del della dei alla nel
    nella aiuto aiutare vostro grazie per favore`,
  pt: `olá ola oi bom dia boa tarde noite obrigado obrigada quero gostaria preciso pedido encomenda cancelar
    devolver devolução devolucao reembolso meu minha meus os um uma é para com não nao sim você voce vocês que
    como onde quando porque quem posso pode falar pessoa atendente endereço endereco mudar alterar pacote
    entrega dinheiro cartão cartao conta nome tchau muito bem sou estou tenho tem isso isto esse essa também
    ainda já mas ou do da dos das na nos nas ajuda ajudar favor`,
  nl: `hallo hoi goedemorgen goedemiddag goedenavond dag dank bedankt alstublieft alsjeblieft graag ik wil
    wilt mijn bestelling annuleren retourneren terugbetaling geld terug niet en het de een met voor op bij hoe
    waar wanneer waarom wat wie kan kunt kunnen spreken medewerker adres wijzigen veranderen pakket levering
    kaart rekening naam ja nee doei ziens zeer heel goed nog ook maar ben heb hebben wij jij je dit dat deze
    die iemand alsjeblieft hulp helpen uw`,
};

/** Foreign words that are also English words (or names, or abbreviations) a customer may write. */
const HOMOGRAPHS = wordSet(`favor vale persona al ma mon tout tag den die bin gut mit von con dove ho ha del
  salve per mia os da dos na nos oi boa com dag met op hoe ben dat heel dank wilt nog dit mille`);

const LANGUAGE_LISTS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(LANGUAGE_WORDS).map(([language, list]) => [
    language,
    new Set(
      [...wordSet(list)].filter((word) => !KNOWN.has(word) && !SLANG.has(word) && !HOMOGRAPHS.has(word)),
    ),
  ]),
);

/** Letters only some languages use, each a half vote. */
const LETTER_HINTS: readonly (readonly [RegExp, readonly string[]])[] = [
  [/[ñ¿¡]/u, ['es']],
  [/[ß]/u, ['de']],
  [/[äöü]/u, ['de', 'nl']],
  [/[ãõ]/u, ['pt']],
  [/[ç]/u, ['fr', 'pt']],
  [/[èêëîïûùœæâ]/u, ['fr']],
  [/[ìò]/u, ['it']],
];

/** A Latin-script message most of whose words belong to one of the listed languages. */
function wordLanguage(message: string): { language: string | undefined } | undefined {
  const text = normaliseApostrophes(message.normalize('NFC'))
    .toLowerCase()
    .replace(/\S*@\S*|\S+\.\S+/g, ' ')
    .replace(NUMBERISH, ' ');
  const tokens = text.match(/[\p{L}]+(?:'[\p{L}]+)?/gu) ?? [];
  if (tokens.length === 0) return undefined;
  let english = 0;
  let foreign = 0;
  const scores = new Map<string, number>();
  for (const token of tokens) {
    if (KNOWN.has(token) || SLANG.has(token)) {
      english += 1;
      continue;
    }
    const languages = [...LANGUAGE_LISTS].filter(([, list]) => list.has(token)).map(([language]) => language);
    const hints = LETTER_HINTS.filter(([pattern]) => pattern.test(token)).flatMap(([, langs]) => langs);
    if (languages.length === 0 && hints.length === 0 && !/[^a-z']/.test(token)) continue;
    foreign += 1;
    for (const language of languages)
      scores.set(language, (scores.get(language) ?? 0) + 1 / languages.length);
    for (const language of hints) scores.set(language, (scores.get(language) ?? 0) + 0.5 / hints.length);
  }
  if (foreign === 0 || foreign <= english || foreign * 2 < tokens.length) return undefined;
  const ranked = [...scores].sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (first === undefined) return { language: undefined };
  return { language: second !== undefined && second[1] === first[1] ? undefined : first[0] };
}
