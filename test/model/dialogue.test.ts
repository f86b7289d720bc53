import { describe, expect, it } from 'vitest';
import { classifyAct, classifyConsent, detectLanguage } from '../../infra/local/model-endpoint/dialogue.ts';
import type { Consent, DialogueAct } from '../../shared/model/understanding.ts';

/**
 * Replies as customers type them to "I will cancel order #W2378156 and refund it to your visa. Shall
 * I go ahead?": lowercase, typos, no punctuation, emoji, filler. Only an unconditional yes is `agree`.
 */
const CONSENT: Record<Consent, readonly string[]> = {
  agree: [
    'yes',
    'Yes.',
    'YES PLEASE',
    'yes!!',
    'y',
    'ya',
    'yse',
    'yess',
    'yesss please',
    'yeah go ahead',
    'yeah sure',
    'yep',
    "yep that's right",
    'yup do it',
    'sure',
    'sure thing',
    'ok',
    'okk',
    'k',
    'okay go ahead',
    'ok do it',
    'alright then',
    'go ahead',
    'go ahaed',
    'go for it',
    'please proceed',
    'proceed',
    'confirm',
    'i confirm',
    'confirmed',
    "that's correct",
    'correct',
    'absolutely',
    'of course',
    'definately',
    'sounds good',
    'perfect, go ahead',
    'no problem, go ahead',
    'not a problem',
    'why not',
    'sure why not',
    "I don't mind",
    'i dont mind, do it',
    "yes, I'm not using it anyway",
    'yes, I do not need it anymore',
    'yes i ordered it by mistake',
    'yes please, thanks',
    'yes thank you',
    'ok thx',
    'yes pls asap',
    'yes do it now',
    'um yeah ok',
    'uh yes',
    'well ok then',
    'lol yes',
    '👍',
    '👍👍',
    'yes 👍',
    'ok 🙏',
    'can you go ahead',
    'could you please do it',
    'can u just do it already',
    'would you mind going ahead',
    'yeah go ahead and cancel it',
    'yes cancel it',
    'fine',
    "that's fine",
    'works for me',
    'Yes, I\u2019m sure',
    'yes i want to cancel it',
  ],
  decline: [
    'no',
    'No.',
    'nope',
    'nah',
    'noooo',
    'no thanks',
    'no thank you',
    'nah leave it',
    'leave it',
    'leave it as is',
    "don't",
    'dont',
    'please dont',
    "don't do that",
    'do not cancel it',
    'I changed my mind',
    'changed my mind',
    'never mind',
    'nvm',
    'cancel that',
    'forget it',
    'not now',
    'not yet',
    "I'd rather not",
    'no way',
    "i'll keep it",
    'actually no',
    'ok no thanks',
    'stop',
    "that's not right",
    'nope, keep it',
    "it's fine, forget it",
    'no, I want to keep the order',
    '👎',
  ],
  question: [
    'yes, but how long does the refund take?',
    'yes but when do i get my money back',
    'ok but will it go back to my visa?',
    'how long does the refund take?',
    'how long will it take',
    'when will i get the money',
    'do i get an email?',
    'will i be charged anything?',
    'is there a fee',
    'sure, what happens to my points?',
    'wait, how long does it take?',
    'and the refund goes where?',
    'ok so what happens next?',
    'yes. do I need to do anything else?',
    'hmm how much will i get back?',
    'can I still use it until then?',
  ],
  conditional: [
    'ok if the refund goes to my visa',
    'yes as long as the refund goes to my visa',
    'yes as long as there is no fee',
    'sure, but only the lamp',
    'yes, but send it to my other address',
    'only if it has not shipped yet',
    'yes if its free',
    'go ahead provided i get the full amount',
    'yes but refund it to paypal instead',
    'yes just the keyboard',
    'ok but not the watch',
    'yes except the watch',
    'yes, but do it tomorrow',
    'ok, but use my other card',
    'could you refund it to my gift card instead?',
    'yes unless it already shipped',
  ],
  unclear: [
    'maybe',
    'hmm',
    'hmmm',
    'not sure',
    "i'm not sure",
    'let me think',
    'let me think about it',
    'wait',
    'hold on',
    'hang on a sec',
    'one sec',
    'idk',
    'i guess',
    'perhaps later',
    'the blue one',
    'my email is sara@example.com',
    '#W2378156',
    'asdfgh',
    'jjjjj',
    'yes no',
    'no wait yes',
    'yes... actually no',
    'yeah no',
    'ok wait',
    'what?',
    'hello?',
    'hi',
    'thanks',
    'yes?',
    '🤔',
    '',
    'the lamp',
    'yeah right',
    "that's ok",
  ],
};

describe('classifyConsent', () => {
  for (const kind of Object.keys(CONSENT) as Consent[]) {
    it.each(CONSENT[kind])(`reads %j as ${kind}`, (message) => {
      expect(classifyConsent(message)).toBe(kind);
    });
  }

  it('reads a curly apostrophe like a straight one', () => {
    expect(classifyConsent('don\u2019t')).toBe('decline');
    expect(classifyConsent('I don\u2019t mind')).toBe('agree');
  });

  it('reads a reply that names another action than the question as a change, when given the question', () => {
    const question = 'I will cancel order #W2378156. Shall I go ahead?';
    expect(classifyConsent('yes cancel it', question)).toBe('agree');
    expect(classifyConsent('yes, return it', question)).toBe('conditional');
    expect(classifyConsent('please exchange it', question)).toBe('conditional');
    expect(classifyConsent("yes, don't ship it", question)).toBe('unclear');
    expect(classifyConsent('yes, return it')).toBe('agree');
  });

  it('does not read "yes" or "no" inside another word', () => {
    expect(classifyConsent('yesterday it arrived')).toBe('unclear');
    expect(classifyConsent('a nominal fee')).toBe('unclear');
  });
});

/** Messages at any point of a conversation, with what they do. */
const ACTS: Record<Exclude<DialogueAct, 'other_language'>, readonly string[]> = {
  none: [
    'Hi, I want to cancel my order',
    'I want to cancel my order',
    'cancel order #W1234567',
    'i need to return the lamp',
    'my email is sara@example.com',
    'W2378156',
    'it is 80202',
    'yes',
    'no',
    'go ahead',
    'the blue one',
    'can you cancel my order?',
    'can I return the lamp?',
    'where is my order #W2378156?',
    "where's my package",
    'what is the status of my order',
    'I spoke to an agent yesterday and they said it would be refunded',
    'the person who delivered it was rude',
    "I don't need a human, just cancel it",
    'I want my dinero back',
    'hello I would like to exchange my keyboard',
    'i ordered it by mistake',
  ],
  greeting: [
    'hi',
    'hello!',
    'hey there',
    'good morning',
    'how are you?',
    'hi, anyone there?',
    'helloooo',
    'hey hey',
    'hiya :)',
    'hello? is anyone there',
    "hi how's it going",
    'yo',
    'good evening!',
    'hi there, how are you doing today?',
  ],
  thanks: [
    'thanks',
    'thank you, bye',
    "that's all",
    'bye',
    'thx',
    'ty!',
    'thanks a lot!',
    'great, thanks',
    'ok thank you so much',
    'cheers mate',
    'perfect thank you, have a nice day',
    "no that's all thanks",
    'appreciate it',
    'thanks for your help',
  ],
  human: [
    'can i talk to a human',
    'this is useless, get me a human',
    'representative',
    'agent please',
    'I want a real person',
    'let me speak to a supervisor',
    'get me your manager',
    'i need to talk to someone',
    'can I speak with a representitive please',
    'transfer me to an agent',
    'is there a human I can talk to?',
    'HUMAN',
    'I want to talk to a person, not a bot',
    'connect me with customer service',
  ],
  cancel: [
    'never mind',
    'forget it',
    'stop',
    'cancel that',
    "I don't want to do this anymore",
    "forget about it, I'll keep it",
    'nvm',
    'scratch that',
    'i changed my mind',
    "actually i don't want to return it anymore",
    'just stop',
    'no thanks',
    'leave it',
    'forget the whole thing',
    'actually no dont',
    'wait no, dont do anything',
  ],
  repeat: [
    'what?',
    'sorry?',
    'huh',
    'come again?',
    'can you repeat that',
    "I don't understand",
    'what do you mean?',
    'wat',
    'huh?',
    'say that again please',
    "sorry i didn't catch that",
    'im confused',
    'what does that mean',
    'pardon?',
  ],
  question: [
    'how long does a refund take?',
    'do you ship to canada?',
    'what is your return policy',
    'how long will the refund take',
    'when do i get my money back?',
    'is there a restocking fee?',
    'can I change the items again later?',
    'yes, but how long does the refund take?',
    'do I need to print a label?',
    'why do you need a reason?',
    'hi, how long does shipping take?',
    'can i pay with a gift card?',
  ],
  correction: [
    "actually it's #W2378156",
    'sorry, I meant the other order',
    'I mean 10002',
    'no wait, my zip is 80202',
    "wrong one, it's #W2378156",
    'my mistake, the email is sara.doe@example.com',
    'typo: sara@example.com',
    'oops, the zip is 80203',
    'sorry my email is actually noah@example.com',
    'no, it is #W7654321',
    'i meant W2378156',
    'actually the other one',
  ],
};

describe('classifyAct', () => {
  for (const act of Object.keys(ACTS) as Exclude<DialogueAct, 'other_language'>[]) {
    it.each(ACTS[act])(`reads %j as ${act}`, (message) => {
      expect(classifyAct(message)).toEqual({ act });
    });
  }

  it.each([
    ['Hola, quiero cancelar mi pedido', 'es'],
    ['hola', 'es'],
    ['¿Dónde está mi paquete?', 'es'],
    ['gracias', 'es'],
    ['Bonjour, je voudrais annuler ma commande', 'fr'],
    ['merci beaucoup', 'fr'],
    ['Ich möchte meine Bestellung stornieren', 'de'],
    ['danke schön', 'de'],
    ['Vorrei annullare il mio ordine', 'it'],
    ['ciao, posso parlare con un operatore?', 'it'],
    ['Quero cancelar meu pedido, por favor', 'pt'],
    ['obrigado', 'pt'],
    ['Ik wil mijn bestelling annuleren', 'nl'],
    ['我想取消我的订单', 'zh'],
    ['注文をキャンセルしたいです', 'ja'],
    ['주문을 취소하고 싶어요', 'ko'],
    ['Я хочу отменить заказ #W2378156', 'ru'],
    ['Я хочу скасувати замовлення, будь ласка. Дякую і все', 'uk'],
    ['أريد إلغاء طلبي', 'ar'],
    ['אני רוצה לבטל את ההזמנה', 'he'],
    ['Θέλω να ακυρώσω την παραγγελία μου', 'el'],
    ['मैं अपना ऑर्डर रद्द करना चाहता हूं', 'hi'],
    ['ฉันต้องการยกเลิกคำสั่งซื้อ', 'th'],
  ])('reads %j as another language (%s)', (message, language) => {
    expect(classifyAct(message)).toEqual({ act: 'other_language', language });
    expect(detectLanguage(message)).toBe(language);
  });

  it('puts the more important act first when several fit', () => {
    expect(classifyAct('never mind, get me a human').act).toBe('human');
    expect(classifyAct('forget it, how long does a refund take?').act).toBe('cancel');
    expect(classifyAct('sorry what? actually my zip is 80202').act).toBe('correction');
    expect(classifyAct('hola, get me a human').act).toBe('human');
    expect(classifyAct('Hola, necesito hablar con una persona').act).toBe('other_language');
  });
});

describe('detectLanguage', () => {
  it.each([
    'I want to cancel my order',
    'I want to cancel my pedido please',
    'my name is José García and my zip is 80202',
    'the café table arrived broken',
    'sara@example.com',
    '#W2378156',
    'ok',
    'no',
    '',
    '👍',
  ])('reads %j as English (no code)', (message) => {
    expect(detectLanguage(message)).toBeUndefined();
  });
});
