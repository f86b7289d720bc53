import { normaliseApostrophes } from './text.ts';

/**
 * Typed values the engine finds by shape: emails, zip codes, amounts and numbers, dates. Each finder
 * returns every occurrence with its span, so the engine can tell one value from several (and then ask
 * for a cue or give up) and keep an id's digits from being read as a number.
 */

export interface Found<T> {
  readonly value: T;
  readonly start: number;
  readonly end: number;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
/**
 * Spelled out, as people type it to dodge spam filters or as a voice channel transcribes it: "sara dot
 * doe at example dot com", "sara.doe at example.com", "sara.doe(at)example(dot)com", "sara.doe @ example.com".
 */
const SPOKEN_EMAIL =
  /(?<![\w.@])([a-z0-9_%+-]+(?:(?:\.| (?:dot|underscore|dash|hyphen) )[a-z0-9_%+-]+)*)\s*(?: at |\(at\)|\[at\]| @ ?|@ )\s*([a-z0-9-]+(?:(?:\.| dot |\s?[([]dot[)\]]\s?)[a-z0-9-]+)*(?:\.| dot |\s?[([]dot[)\]]\s?)[a-z]{2,})\b/gi;

export function findEmails(text: string): Found<string>[] {
  const found: Found<string>[] = [];
  for (const match of text.matchAll(EMAIL)) {
    const value = match[0].replace(/^[._%+-]+/, '');
    found.push({
      value,
      start: match.index + (match[0].length - value.length),
      end: match.index + match[0].length,
    });
  }
  if (found.length > 0) return found;
  for (const match of text.matchAll(SPOKEN_EMAIL)) {
    const local = spoken(match[1]!);
    const domain = spoken(match[2]!);
    found.push({
      value: `${local}@${domain}`.toLowerCase(),
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  return found;
}

function spoken(text: string): string {
  return text
    .replace(/ dot |\s?[([]dot[)\]]\s?/gi, '.')
    .replace(/ underscore /gi, '_')
    .replace(/ (?:dash|hyphen) /gi, '-');
}

const ZIP = /(?<![\d$.,#-])\b(\d{5})(?:-\d{4})?\b(?![\d.,]\d|-\d)/g;

/** Five-digit US zip codes (a zip+4 gives its first five digits). */
export function findZips(text: string): Found<string>[] {
  return [...text.matchAll(ZIP)].map((match) => ({
    value: match[1]!,
    start: match.index,
    end: match.index + match[0].length,
  }));
}

const AMOUNT = String.raw`(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?`;
const MONEY = new RegExp(
  String.raw`(?:\$ ?|\busd ?|\bus\$ ?)${AMOUNT}\b|\b${AMOUNT} ?(?:dollars?|bucks|usd)\b`,
  'gi',
);

/** Amounts of money: "$12.50", "$1,200", "12 dollars", "USD 40". */
export function findMoney(text: string): Found<number>[] {
  return [...text.matchAll(MONEY)].map((match) => {
    const whole = (match[1] ?? match[3])!.replace(/,/g, '');
    const cents = match[2] ?? match[4];
    return {
      value: Number(cents === undefined ? whole : `${whole}.${cents}`),
      start: match.index,
      end: match.index + match[0].length,
    };
  });
}

const NUMBER = /(?<![\w$#@.,/-])-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w@/-]|[.,]\d)/g;
const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  twenty: 20,
};
/** "this one", "the one", "which one": "one" is a pronoun there, not a count. */
const NUMBER_WORD =
  /(?<!\b(?:the|this|that|which|any|each|every|another|no|other|one|same|new|old|right|wrong) )\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty)\b(?! (?:more )?(?:thing|moment|sec|second|minute|day)s?\b)/gi;

const ARTICLE_COUNT = /\b(an?|a single|a couple(?: of)?)\s+(?=(?:month|week|year|day)s?\b)/gi;

/** Plain numbers written as digits, counts written as words (one to twelve, twenty), and "a month". */
export function findNumbers(text: string): Found<number>[] {
  const found: Found<number>[] = [];
  for (const match of text.matchAll(NUMBER)) {
    found.push({
      value: Number(match[0].replace(/,/g, '')),
      start: match.index,
      end: match.index + match[0].length,
    });
  }
  for (const match of normaliseApostrophes(text).matchAll(NUMBER_WORD)) {
    const value = NUMBER_WORDS[match[1]!.toLowerCase()];
    if (value !== undefined) found.push({ value, start: match.index, end: match.index + match[0].length });
  }
  // "for a month", "a couple of weeks": a count said with an article, before a unit of time.
  for (const match of text.matchAll(ARTICLE_COUNT)) {
    const value = /couple/i.test(match[1]!) ? 2 : 1;
    found.push({ value, start: match.index, end: match.index + match[1]!.length });
  }
  return found.sort((a, b) => a.start - b.start);
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH = String.raw`(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const ISO_DATE =
  /\b(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?(?![\w-])/g;
const US_DATE = /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g;
const MONTH_FIRST = new RegExp(String.raw`\b${MONTH} (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b`, 'gi');
const DAY_FIRST = new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)? (?:of )?${MONTH},? (\d{4})\b`, 'gi');

/** A calendar date the message states in full, as `YYYY-MM-DD`, and the time when one is given (ISO only). */
export interface FoundDate {
  readonly date: string;
  readonly dateTime?: string;
}

/**
 * Dates with a year: ISO ("2024-05-01", with or without a time), US numeric ("05/01/2024" is May 1)
 * and written ("May 1, 2024", "1st of May 2024"). Relative dates ("yesterday", "last Monday") need a
 * clock and a date without a year needs a guess: neither is read.
 */
export function findDates(text: string): Found<FoundDate>[] {
  const found: Found<FoundDate>[] = [];
  const add = (start: number, end: number, year: number, month: number, day: number, time?: string) => {
    const date = isoDate(year, month, day);
    if (date === undefined) return;
    if (found.some((other) => start < other.end && other.start < end)) return;
    found.push({ value: time === undefined ? { date } : { date, dateTime: `${date}${time}` }, start, end });
  };
  for (const m of text.matchAll(ISO_DATE)) {
    add(m.index, m.index + m[0].length, Number(m[1]), Number(m[2]), Number(m[3]), m[4]);
  }
  for (const m of text.matchAll(US_DATE))
    add(m.index, m.index + m[0].length, Number(m[3]), Number(m[1]), Number(m[2]));
  for (const m of text.matchAll(MONTH_FIRST)) {
    add(m.index, m.index + m[0].length, Number(m[3]), monthNumber(m[1]!), Number(m[2]));
  }
  for (const m of text.matchAll(DAY_FIRST)) {
    add(m.index, m.index + m[0].length, Number(m[3]), monthNumber(m[2]!), Number(m[1]));
  }
  return found.sort((a, b) => a.start - b.start);
}

function monthNumber(name: string): number {
  const prefix = name.toLowerCase().replace(/\.$/, '').slice(0, 3);
  return MONTHS.findIndex((month) => month.startsWith(prefix)) + 1;
}

function isoDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1) return undefined;
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
