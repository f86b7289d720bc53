import type { z } from 'zod';
import type { Consent, FaqEntry, Understanding } from '../model/understanding.ts';
import { knownChoices, knownList } from './known-records.ts';
import { type ChoiceLabels, describedRecords, optionsFrom } from './options.ts';
import { lookup, render } from './render.ts';
import type { SlotSpecSchema } from './turn-state.ts';
import { variantQuestion } from './variants.ts';

/**
 * Conversation repair (DESIGN.md decision 8; docs/aop-language.md, "Conversation repair"): what the
 * runtime does, for every compiled procedure, when a message does something other than answer the
 * question asked: a greeting, a question, a correction, a request for a person, "never mind", "what?",
 * another language, or nothing usable. The author writes nothing for it; a tenant may reword it.
 * Rasa CALM's patterns are the reference. Everything here is pure: the same understanding, facts and
 * counters give the same decision, so replay reproduces it.
 */

/** Every sentence the repair patterns say. `{placeholders}` are filled by `fill`. */
export interface RepairWording {
  /** A greeting or small talk before any request. `{capabilities}`. */
  readonly greeting: string;
  /** A greeting in the middle of a procedure, before the pending question again. */
  readonly greetingAgain: string;
  /** Thanks in the middle of a procedure, before the pending question again. */
  readonly thanksAgain: string;
  /** A message no procedure fits. `{capabilities}`. */
  readonly outOfScope: string;
  /** An answer that gave nothing usable, before what is still needed. */
  readonly notUnderstood: string;
  /** Before the pending question in other words ("what?"). */
  readonly repeat: string;
  /** Part of a compound answer was understood. `{missing}`. */
  readonly stillNeed: string;
  /** "never mind": the procedure ends, nothing changed. */
  readonly cancelled: string;
  /** A corrected fact was taken. */
  readonly corrected: string;
  /** A question the FAQ does not answer. */
  readonly unknownAnswer: string;
  /** After an FAQ answer given before any request. */
  readonly anythingElse: string;
  /** A reply to a confirmation with a condition. */
  readonly conditional: string;
  /** A reply to a confirmation that neither agrees nor declines. */
  readonly unclearConsent: string;
  /**
   * Said instead of the pending question once it has been asked `maxReasks` times again (an answered
   * digression or a greeting after that does not ask it a fourth time).
   */
  readonly answerAbove: string;
  /** A description that fits several of the listed choices: only those are offered ({choices}). */
  readonly narrow: string;
  /** A language the tenant does not serve (English words; see `LANGUAGE_NOTICES` for others). */
  readonly unsupportedLanguage: string;
  /** Said on every hand-over to a person, before what happens next. */
  readonly handoff: string;
  /** What happens next after a hand-over. */
  readonly handoffNext: string;
  /** The first reply to a message with several requests (requests.ts). `{first}`, `{then}`. */
  readonly severalRequests: string;
  /** Before the first question of the next request, once one has ended (requests.ts). `{next}`. */
  readonly nextRequest: string;
  /**
   * Someone else's sign-in details given once the customer is signed in ("my brother's email is …"):
   * the conversation stays with the customer who signed in.
   */
  readonly otherCustomer: string;
  /**
   * "No, make it the blue one" at a confirmation, naming nothing the agent could take: the question
   * is asked again rather than the whole request called off.
   */
  readonly changeUnread: string;
}

export const DEFAULT_WORDING: RepairWording = {
  greeting: 'Hello! I can help with {capabilities}. What can I do for you?',
  greetingAgain: 'Hello again!',
  thanksAgain: 'You are welcome.',
  outOfScope:
    'Sorry, I cannot help with that here. I can help with {capabilities}. What would you like to do?',
  notUnderstood: 'Sorry, I did not catch that.',
  repeat: 'Let me put it another way.',
  stillNeed: 'Thanks. I still need {missing}.',
  cancelled:
    'All right, I have stopped there and nothing was changed. Is there anything else I can help with?',
  corrected: 'Thanks, I have updated that.',
  unknownAnswer: 'I am sorry, I do not have an answer to that here.',
  anythingElse: 'Is there anything else I can help with?',
  conditional:
    'I can only do this exactly as described; I cannot add conditions or changes to it. If you want something different, say no and tell me what you need.',
  unclearConsent: 'I need a clear yes or no before I change anything.',
  answerAbove: 'Whenever you are ready, please answer my question above.',
  narrow: 'More than one fits that:\n{choices}\nWhich one do you mean?',
  unsupportedLanguage: 'Sorry, I can only help in English.',
  handoff: 'I am handing this conversation to a colleague.',
  handoffNext:
    'They can see everything we discussed, so you will not need to repeat anything, and they will reply here.',
  otherCustomer:
    'I can only help with the account you signed in with in this conversation; anyone else needs to contact us themselves.',
  changeUnread:
    'Sorry, I could not tell what to change from that, so nothing is done yet. Say no to stop here, or yes to go ahead as it is.',
  severalRequests: "I'll help with {first} first, then with {then}.",
  nextRequest: 'Now for {next}.',
};

/** "I can only help in English", in the languages a customer is most likely to write in. */
export const LANGUAGE_NOTICES: Readonly<Record<string, string>> = {
  es: 'Lo siento, solo puedo ayudarle en inglés.',
  fr: 'Désolé, je ne peux vous aider qu’en anglais.',
  de: 'Entschuldigung, ich kann Ihnen nur auf Englisch helfen.',
  it: 'Mi dispiace, posso aiutarla solo in inglese.',
  pt: 'Desculpe, só posso ajudar em inglês.',
  nl: 'Sorry, ik kan u alleen in het Engels helpen.',
  zh: '抱歉，我只能用英语为您提供帮助。',
  ja: '申し訳ありませんが、英語でのみ対応できます。',
  ru: 'Извините, я могу помочь только на английском языке.',
};

/** A policy FAQ entry: what a customer may ask mid-procedure, and the tenant's answer. */
export interface FaqAnswer extends FaqEntry {
  readonly answer: string;
}

/** What a tenant says about its conversations; every field has a default. */
export interface ConversationPolicy {
  readonly wording: RepairWording;
  readonly faq: readonly FaqAnswer[];
  /** What the agent helps with, as a phrase ("cancelling an order, …"). */
  readonly capabilities: string;
  /** How many times a question is asked again after an unusable answer before a hand-over. */
  readonly maxReasks: number;
  /**
   * How a record offered as a choice is said, by the field holding the value the tool needs
   * (`subscription_id: (record) => 'Premium, monthly, renews 1 April'`). A record with a declared field
   * is offered by it; without one the platform describes the record from its fields (options.ts).
   */
  readonly labels: ChoiceLabels;
}

export const DEFAULT_MAX_REASKS = 2;

export function conversationPolicy(
  overrides: {
    readonly wording?: Partial<RepairWording>;
    readonly faq?: readonly FaqAnswer[];
    readonly capabilities?: string;
    readonly maxReasks?: number;
    readonly labels?: ChoiceLabels;
  } = {},
): ConversationPolicy {
  return {
    wording: { ...DEFAULT_WORDING, ...overrides.wording },
    faq: overrides.faq ?? [],
    capabilities: overrides.capabilities ?? 'questions about your orders and your account',
    maxReasks: overrides.maxReasks ?? DEFAULT_MAX_REASKS,
    labels: overrides.labels ?? {},
  };
}

/** What the model is offered of the FAQ: ids and questions, never the answers. */
export function faqEntries(policy: ConversationPolicy): FaqEntry[] {
  return policy.faq.map(({ id, question }) => ({ id, question }));
}

export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** The hand-over reply: the tenant's words, then what happens next. */
export function handoffText(policy: ConversationPolicy): string {
  return `${policy.wording.handoff} ${policy.wording.handoffNext}`;
}

export function languageNotice(policy: ConversationPolicy, language: string | null): string {
  const english = policy.wording.unsupportedLanguage;
  const local = language ? LANGUAGE_NOTICES[language] : undefined;
  return local ? `${local} ${english}` : english;
}

export function faqAnswer(policy: ConversationPolicy, id: string | null): string | undefined {
  return id === null ? undefined : policy.faq.find((entry) => entry.id === id)?.answer;
}

// ---------------------------------------------------------------------------------------------------
// Inside a procedure

/** The slot specs as the compiled procedure passes them (shared/aop/lower.ts SlotSpec). */
export type RepairSlot = z.infer<typeof SlotSpecSchema>;

/** What a paused turn waits for (the `.wait` states' `awaiting`). */
export type Awaiting =
  | { kind: 'slots'; slots: RepairSlot[]; groups: string[][] }
  | { kind: 'confirm'; key: string; question: string };

/** What the Understand step hands to the ASL's Repair states (shared/aop/lower.ts). */
export type Repair =
  | { then: 'pause' | 'end' | 'resume'; text: string; reason?: undefined }
  | { then: 'handoff'; reason: string; text?: undefined };

export interface RepairInput {
  readonly understanding: Understanding;
  readonly awaiting: Awaiting | null;
  /** Facts after this message's values were taken. */
  readonly facts: Record<string, unknown>;
  /** Awaited slots this message filled. */
  readonly filled: readonly string[];
  /** Known slots this message corrected. */
  readonly corrected: readonly string[];
  /** Slots not asked yet that this message gave (a reason said early): progress, not a miss. */
  readonly noted?: readonly string[];
  /** Unusable answers already given at this pause. */
  readonly misses: number;
  /** Times the pending question was already asked again at this pause (every repair that re-asks). */
  readonly reasks: number;
  /** "What?"s already said at this pause: with the unusable answers, what counts toward a hand-over. */
  readonly repeats?: number;
  readonly policy: ConversationPolicy;
  /** A choice the customer made that cannot be had, with the reason (an unavailable variant). */
  readonly refused?: string;
  /** The choices a description fits, as lines, when the runtime narrowed them (variants.ts). */
  readonly narrowed?: string;
}

export interface RepairDecision {
  readonly repair: Repair | null;
  /** How a reply to a confirmation was read; null when none was asked. */
  readonly consent: Consent | null;
  /** This message was an unusable answer (counts towards the hand-over). */
  readonly missed: boolean;
  /** The reply asks the pending question again (counts towards the bound on asks). */
  readonly reasked: boolean;
}

/**
 * Decides what the turn does with a message, before the procedure resumes. The order is the order of
 * precedence: a request for a person is honoured at once; another language is said plainly; a
 * correction wins over anything else the message does; then the confirmation protocol, then the
 * patterns of a pending question.
 */
export function decideRepair(input: RepairInput): RepairDecision {
  const { understanding, awaiting, policy, facts } = input;
  const { act } = understanding;
  const wording = policy.wording;
  const none = (consent: Consent | null = null): RepairDecision => ({
    repair: null,
    consent,
    missed: false,
    reasked: false,
  });
  const handoff = (reason: string, consent: Consent | null, missed: boolean): RepairDecision => ({
    repair: { then: 'handoff', reason },
    consent,
    missed,
    reasked: false,
  });
  /**
   * The pending question asked again after `lead`. Bounded asks: a question is asked at most
   * `maxReasks` times again. Past that, another "what?" goes to a person with the reason, and a
   * message the agent can still answer (a digression, a greeting) is answered with a pointer to the
   * question instead of the question a fourth time. Unusable answers have their own bound (`misses`):
   * a digression the agent answered is not one, so a customer who asked how long a refund takes and
   * then gave one wrong id is asked again, not handed over (found by `aop simulate`).
   */
  const again = (lead: string, separator: ' ' | '\n\n', missed: boolean, consent: Consent | null = null) => {
    const question = awaiting ? reask(awaiting, facts, policy.labels) : '';
    const asked = input.reasks + 1;
    const tries = input.misses + (input.repeats ?? 0);
    if (missed && tries >= policy.maxReasks)
      return handoff(
        `The customer gave no usable answer to "${questionOf(awaiting, facts)}" after ${tries + 1} tries.`,
        consent,
        missed,
      );
    if (input.reasks >= policy.maxReasks && !missed) {
      if (act === 'repeat')
        return handoff(
          `The customer gave no usable answer to "${questionOf(awaiting, facts)}"; it was asked ${asked} times.`,
          consent,
          missed,
        );
      return {
        repair: { then: 'pause', text: `${lead}${separator}${wording.answerAbove}` },
        consent,
        missed,
        reasked: false,
      } as const;
    }
    return {
      repair: { then: 'pause', text: `${lead}${separator}${question}` },
      consent,
      missed,
      reasked: true,
    } as const;
  };

  // The first turn of a procedure: the message was routed here (a question, or a request for a
  // person that routing sent to the hand-over procedure, included), and what it gave is used.
  if (awaiting === null) return none();
  if (act === 'human') return handoff('The customer asked for a person.', null, false);

  if (act === 'other_language') return again(languageNotice(policy, understanding.language), '\n\n', true);
  if (input.corrected.length > 0)
    return {
      repair: { then: 'resume', text: wording.corrected },
      consent: null,
      missed: false,
      reasked: false,
    };

  if (awaiting.kind === 'confirm') {
    // "Never mind, let me check the other one first": calling the request off is a no, whatever
    // else the reply says (an unclear reading would ask for a yes or no the customer already gave).
    const consent: Consent =
      act === 'cancel' && understanding.consent !== 'agree'
        ? 'decline'
        : (understanding.consent ?? 'unclear');
    if (consent === 'agree' || consent === 'decline') return none(consent);
    if (consent === 'question' || act === 'question') {
      const answer = faqAnswer(policy, understanding.faq);
      return answer
        ? again(answer, '\n\n', false, 'question')
        : again(wording.unknownAnswer, '\n\n', true, 'question');
    }
    if (consent === 'conditional') return again(wording.conditional, '\n\n', true, consent);
    if (act === 'repeat') return again(wording.repeat, ' ', false, consent);
    if (act === 'greeting') return again(wording.greetingAgain, ' ', false, consent);
    return again(wording.unclearConsent, ' ', true, consent);
  }

  // A pending question for information.
  if (act === 'cancel')
    return { repair: { then: 'end', text: wording.cancelled }, consent: null, missed: false, reasked: false };
  const answer = act === 'question' ? faqAnswer(policy, understanding.faq) : undefined;
  // "Same but in black" when black is sold out: the reason, and the question again.
  if (input.refused) return again(input.refused, '\n\n', false);
  if (input.filled.length > 0 || (input.noted?.length ?? 0) > 0) {
    // Part of the answer, or a fact for later: progress, so it does not count as asking the same
    // question again.
    const missing = missingOf(awaiting, facts);
    const nextVariant = missing.some((slot) => slot.variants)
      ? variantQuestion(missing[0]!, facts)
      : undefined;
    if (nextVariant)
      return {
        repair: { then: 'pause', text: [answer, `Thanks.\n\n${nextVariant}`].filter(Boolean).join('\n\n') },
        consent: null,
        missed: false,
        reasked: false,
      };
    if (missing.length > 0)
      return {
        repair: {
          then: 'pause',
          text: [
            answer,
            fill(wording.stillNeed, { missing: describeSlots(missing, facts, { labels: policy.labels }) }),
          ]
            .filter(Boolean)
            .join('\n\n'),
        },
        consent: null,
        missed: false,
        reasked: false,
      };
    return answer
      ? { repair: { then: 'resume', text: answer }, consent: null, missed: false, reasked: false }
      : none();
  }
  // "The one with the makeup kit" when two orders hold one: asked between those two only (a re-ask),
  // also when it was asked as a question ("can i get the black one?").
  const narrowed = input.narrowed ?? narrowing(awaiting, facts, understanding.couldBe, policy.labels);
  if (act === 'question' && !(narrowed && answer === undefined))
    return answer ? again(answer, '\n\n', false) : again(wording.unknownAnswer, '\n\n', true);
  if (narrowed && input.reasks < policy.maxReasks)
    return {
      repair: { then: 'pause', text: fill(wording.narrow, { choices: narrowed }) },
      consent: null,
      missed: false,
      reasked: true,
    };
  if (act === 'repeat') return again(wording.repeat, ' ', false);
  if (act === 'greeting') return again(wording.greetingAgain, ' ', false);
  if (act === 'thanks') return again(wording.thanksAgain, ' ', false);
  return again(wording.notUnderstood, ' ', true);
}

/** The listed choices a description fits ("- #W1: …" lines), when it fits two or more of one slot's. */
function narrowing(
  awaiting: Awaiting,
  facts: Record<string, unknown>,
  couldBe: readonly string[] | undefined,
  labels: ChoiceLabels,
): string | undefined {
  if (awaiting.kind !== 'slots' || !couldBe || couldBe.length < 2) return undefined;
  for (const slot of awaiting.slots) {
    if (!slot.options) continue;
    const source =
      describedRecords(slot, facts) ?? lookup({ facts }, slot.options.replace(/^\$\./, '').split('.'));
    const fitting = optionsFrom(source, slot.name, labels, { facts }).filter((option) =>
      couldBe.includes(option.value),
    );
    if (fitting.length >= 2) return fitting.map((option) => `- ${option.label}`).join('\n');
  }
  return undefined;
}

/** The pending question, in other words: what is missing and the forms it can take. */
export function reask(awaiting: Awaiting, facts: Record<string, unknown>, labels: ChoiceLabels = {}): string {
  if (awaiting.kind === 'confirm') return render(awaiting.question, facts);
  const missing = missingOf(awaiting, facts);
  const variants = missing.find((slot) => slot.variants);
  if (variants)
    return variantQuestion(variants, facts) ?? `I need ${describeSlots(missing, facts, { labels })}.`;
  const groups = awaiting.groups.length > 0 ? awaiting.groups : [awaiting.slots.map((slot) => slot.name)];
  if (groups.length > 1 && missing.length === (groups[0]?.length ?? 0)) {
    // Nothing of any alternative was given: say every alternative.
    const alternatives = groups.map((group) =>
      describeSlots(
        group.flatMap((name) => awaiting.slots.filter((slot) => slot.name === name)),
        facts,
        { labels },
      ),
    );
    return `I need ${alternatives.join(', or ')}.`;
  }
  // A re-ask lists the records already known again (`offering …`).
  const known = missing.find((slot) => slot.known)?.known;
  const listed = known ? knownList(known, knownChoices(known, facts)) : undefined;
  return `I need ${describeSlots(missing, facts, { labels })}.${listed ? `\n${listed}` : ''}`;
}

function questionOf(awaiting: Awaiting | null, facts: Record<string, unknown>): string {
  if (awaiting === null) return 'the last question';
  if (awaiting.kind === 'confirm') return render(awaiting.question, facts).replace(/\s+/g, ' ');
  return describeSlots(awaiting.slots, facts, { hints: false });
}

/** The slots still missing from the alternative closest to complete. */
export function missingOf(awaiting: Extract<Awaiting, { kind: 'slots' }>, facts: Record<string, unknown>) {
  const groups = awaiting.groups.length > 0 ? awaiting.groups : [awaiting.slots.map((slot) => slot.name)];
  const known = (name: string) => facts[name] !== undefined && facts[name] !== null;
  let best = groups[0] ?? [];
  for (const group of groups) if (group.filter(known).length > best.filter(known).length) best = group;
  return best
    .filter((name) => !known(name))
    .flatMap((name) => awaiting.slots.filter((slot) => slot.name === name));
}

/** "your order id (for example #W0000000)", joined with commas and "and". */
export function describeSlots(
  slots: readonly RepairSlot[],
  facts: Record<string, unknown>,
  { hints = true, labels = {} }: { hints?: boolean; labels?: ChoiceLabels } = {},
): string {
  const names = slots.map((slot) => {
    // Choices offered by description are asked as "which order", not as an id to type.
    // So are ids picked from a list (a product by its name): nobody knows a product id.
    const phrase =
      describedRecords(slot, facts) || (slot.options && /^(?:order|user|product)_id$/.test(slot.name))
        ? `to know which ${slot.name.replace(/_ids?$/, '').replaceAll('_', ' ')} it is`
        : `your ${humanise(slot.name)}`;
    if (!hints) return phrase;
    const hint = hintOf(slot, facts, labels);
    return hint ? `${phrase} (${hint})` : phrase;
  });
  if (names.length <= 1) return names[0] ?? 'an answer';
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** `payment_method_id` → "payment method", `item_ids` → "items"; an order id stays an "order id". */
function humanise(name: string): string {
  const keepsId = /^(?:order|user|product)_id$/.test(name);
  return (keepsId ? name : name.replace(/_ids?$/, (suffix) => (suffix === '_ids' ? 's' : '')))
    .replace(/_/g, ' ')
    .replace(/\bzip\b/, 'zip code')
    .replace(/^address ?(\d)$/, 'address line $1');
}

/** At most this many choices are listed again in a re-ask. */
const HINT_CHOICES = 8;

/** The forms an answer can take: the choices, the allowed values, or the example in the description. */
function hintOf(slot: RepairSlot, facts: Record<string, unknown>, labels: ChoiceLabels): string | undefined {
  if (slot.options) {
    const source =
      describedRecords(slot, facts) ?? lookup({ facts }, slot.options.replace(/^\$\./, '').split('.'));
    const options = optionsFrom(source, slot.name, labels, { facts });
    // A long list is not said again in part, as if its first few were all there is.
    if (options.length > HINT_CHOICES)
      return `say its name, for example ${options
        .slice(0, 2)
        .map((option) => `"${option.label}"`)
        .join(' or ')}`;
    if (options.length > 0) return `one of: ${options.map((option) => option.label).join('; ')}`;
  }
  const allowed = slot.allowed ?? (Array.isArray(slot.schema.enum) ? slot.schema.enum : null);
  if (allowed && allowed.length > 0) return allowed.map((value) => `"${String(value)}"`).join(' or ');
  if (slot.schema.format === 'email') return 'like name@example.com';
  // "4 months" when a pause lasts 1 to 3: the bounds the value must keep.
  const { minimum, maximum } = slot.schema as { minimum?: unknown; maximum?: unknown };
  if (typeof minimum === 'number' && typeof maximum === 'number') return `from ${minimum} to ${maximum}`;
  const example = /such as '([^']+)'/.exec(slot.description)?.[1];
  return example ? `for example ${example}` : undefined;
}

// ---------------------------------------------------------------------------------------------------
// Before any procedure runs

/** What a message that no procedure fits gets, before any procedure runs. */
export type UnroutedReply =
  | { kind: 'route-fallback'; reason: string }
  | { kind: 'reply'; text: string; missed: boolean };

/**
 * A first message (or one after a finished request) that no procedure's `when` fits: a greeting gets a
 * greeting, a question the FAQ answers gets its answer, another language is said so, a request for a
 * person goes to the hand-over procedure; anything else says what the agent can help with, and after
 * `maxReasks` such misses in a row the conversation goes to a person with the reason.
 */
export function unroutedReply(
  understanding: Understanding,
  { misses, policy }: { misses: number; policy: ConversationPolicy },
): UnroutedReply {
  const wording = policy.wording;
  const capabilities = { capabilities: policy.capabilities };
  switch (understanding.act) {
    case 'human':
      return { kind: 'route-fallback', reason: 'The customer asked for a person.' };
    case 'greeting':
      return { kind: 'reply', text: fill(wording.greeting, capabilities), missed: false };
    case 'other_language':
      return { kind: 'reply', text: languageNotice(policy, understanding.language), missed: false };
    case 'question': {
      const answer = faqAnswer(policy, understanding.faq);
      if (answer) return { kind: 'reply', text: `${answer}\n\n${wording.anythingElse}`, missed: false };
      break;
    }
    case 'cancel':
    case 'thanks':
      return { kind: 'reply', text: wording.anythingElse, missed: false };
    case 'other_person':
      return { kind: 'reply', text: `${wording.otherCustomer}\n\n${wording.anythingElse}`, missed: false };
    default:
      break;
  }
  if (misses >= policy.maxReasks)
    return {
      kind: 'route-fallback',
      reason: `No procedure fits what the customer asked, ${misses + 1} times in a row.`,
    };
  return { kind: 'reply', text: fill(wording.outOfScope, capabilities), missed: true };
}
