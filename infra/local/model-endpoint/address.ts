/**
 * US postal addresses as customers type them: "123 Main St, Apt 4, Austin, TX 78701, USA", with or
 * without commas, any part after the street optional. Only the parts present are returned.
 */

export interface PostalAddress {
  readonly address1?: string;
  readonly address2?: string;
  readonly city?: string;
  readonly state?: string;
  readonly zip?: string;
  readonly country?: string;
  /** The span of the message the address covers (its numbers are not amounts or ids). */
  readonly start: number;
  readonly end: number;
}

const SUFFIXES = [
  'street',
  'st',
  'avenue',
  'ave',
  'road',
  'rd',
  'boulevard',
  'blvd',
  'lane',
  'ln',
  'drive',
  'dr',
  'court',
  'ct',
  'way',
  'place',
  'pl',
  'terrace',
  'ter',
  'parkway',
  'pkwy',
  'circle',
  'cir',
  'highway',
  'hwy',
  'square',
  'sq',
  'trail',
  'trl',
  'plaza',
  'alley',
  'loop',
  'row',
].join('|');

const STREET_WORD = String.raw`(?!(?:to|the|for|of|my|and|in|on|at|is|it|a|an|with|from|items?|orders?)\b)[A-Za-z0-9.'-]+`;
const STREET = new RegExp(
  String.raw`\b\d{1,6}[A-Za-z]?(?:\s+${STREET_WORD}){1,5}?\s+(?:${SUFFIXES})\b\.?`,
  'gi',
);
/** A street without a suffix counts only when a city and state follow it ("12 Elm, Austin, TX"). */
const BARE_STREET = /\b\d{1,6}[A-Za-z]?(?:\s+[A-Z][A-Za-z0-9.'-]*){1,4}(?=\s*,)/g;
const UNIT =
  /^\s*,?\s*((?:apt|apartment|suite|ste|unit|floor|fl|room|rm|building|bldg)\.?\s*#?\s*[A-Za-z0-9-]+|#\s*[A-Za-z0-9-]+)/i;

const STATES: Readonly<Record<string, string>> = {
  Alabama: 'AL',
  Alaska: 'AK',
  Arizona: 'AZ',
  Arkansas: 'AR',
  California: 'CA',
  Colorado: 'CO',
  Connecticut: 'CT',
  Delaware: 'DE',
  Florida: 'FL',
  Georgia: 'GA',
  Hawaii: 'HI',
  Idaho: 'ID',
  Illinois: 'IL',
  Indiana: 'IN',
  Iowa: 'IA',
  Kansas: 'KS',
  Kentucky: 'KY',
  Louisiana: 'LA',
  Maine: 'ME',
  Maryland: 'MD',
  Massachusetts: 'MA',
  Michigan: 'MI',
  Minnesota: 'MN',
  Mississippi: 'MS',
  Missouri: 'MO',
  Montana: 'MT',
  Nebraska: 'NE',
  Nevada: 'NV',
  'New Hampshire': 'NH',
  'New Jersey': 'NJ',
  'New Mexico': 'NM',
  'New York': 'NY',
  'North Carolina': 'NC',
  'North Dakota': 'ND',
  Ohio: 'OH',
  Oklahoma: 'OK',
  Oregon: 'OR',
  Pennsylvania: 'PA',
  'Rhode Island': 'RI',
  'South Carolina': 'SC',
  'South Dakota': 'SD',
  Tennessee: 'TN',
  Texas: 'TX',
  Utah: 'UT',
  Vermont: 'VT',
  Virginia: 'VA',
  Washington: 'WA',
  'West Virginia': 'WV',
  Wisconsin: 'WI',
  Wyoming: 'WY',
  'District of Columbia': 'DC',
};
const STATE_CODES = [...new Set(Object.values(STATES))];
const STATE = `(?:${[...Object.keys(STATES), ...STATE_CODES].sort((a, b) => b.length - a.length).join('|')})`;
/** Case-sensitive on purpose: "IN" and "OR" are states, "in" and "or" are not. */
const CITY_STATE_ZIP = new RegExp(
  String.raw`(?:^|[\s,])([A-Z][a-zA-Z.'-]*(?:\s+[A-Z][a-zA-Z.'-]*){0,3})\s*,?\s+(${STATE})\b\.?(?:\s*,?\s*(\d{5}(?:-\d{4})?)\b)?`,
);
const COUNTRY = /^\s*,?\s*(USA|U\.S\.A\.?|US|U\.S\.|United States(?: of America)?|America)(?![\w])/;
/** After a street line, a city and state in any case ("45 elm st, austin tx 78701"). */
const CITY_STATE_ZIP_ANY_CASE = new RegExp(
  String.raw`^[\s,]*(?:in\s+)?([a-zA-Z][a-zA-Z.'-]*(?:\s+[a-zA-Z][a-zA-Z.'-]*){0,3}?)\s*,?\s+(${STATE})\b\.?(?:\s*,?\s*(\d{5}(?:-\d{4})?)\b)?`,
  'i',
);
/** A country on its own, in any case, in a reply to a question for it ("78701 usa"). */
const COUNTRY_ANYWHERE =
  /(?:^|[\s,])([uU][sS][aA]|[uU]\.[sS]\.[aA]\.?|[uU]nited [sS]tates(?: of [aA]merica)?|[aA]merica|US|U\.S\.)(?=$|[\s,.!])/;
const ZIP_ANYWHERE = /(?:^|[\s,])(\d{5})(?:-\d{4})?(?=$|[\s,.!])/;

/** The first address in a message, or undefined when there is neither a street line nor city + state + zip. */
export function findAddress(text: string): PostalAddress | undefined {
  for (const street of streets(text)) {
    const address = fromStreet(text, street.index, street[0]);
    if (address !== undefined) return address;
  }
  // Without a street, "Yes OK" would be a city in Oklahoma: a zip code must confirm it is a place.
  const place = cityStateZip(text, 0);
  if (place?.parts.zip === undefined) return undefined;
  return { ...place.parts, start: place.start, end: place.end };
}

function streets(text: string): RegExpExecArray[] {
  const found = [...text.matchAll(STREET), ...text.matchAll(BARE_STREET)];
  return found.sort((a, b) => a.index - b.index);
}

/**
 * An address's second line said on its own ("actually it's apt 5", "suite 300 not 200"): the first unit
 * with a number, as the address reader writes it ("Apt 5"); none when there is none or several.
 */
export function findUnit(text: string): string | undefined {
  const units = [
    ...text.matchAll(
      /(?<![\w#])((?:apt|apartment|suite|ste|unit|floor|fl|room|rm|building|bldg)\.?\s*#?\s*[A-Za-z0-9-]*\d[A-Za-z0-9-]*|#\s*\d[A-Za-z0-9-]*)(?![\w-])/gi,
    ),
  ].map((match) => titled(match[1]!.replace(/\s+/g, ' ')));
  return units[0];
}

function fromStreet(text: string, start: number, streetText: string): PostalAddress | undefined {
  const suffixed = new RegExp(`(?:${SUFFIXES})\\.?$`, 'i').test(streetText);
  const address1 = titled(streetText.replace(/\.$/, '').replace(/\s+/g, ' '));
  let end = start + streetText.length;
  const unit = UNIT.exec(text.slice(end));
  const address2 = unit?.[1] === undefined ? undefined : titled(unit[1].replace(/\s+/g, ' '));
  if (unit !== null) end += unit[0].length;
  const place = cityStateZip(text, end) ?? lowercasePlace(text, end);
  const adjacent = place !== undefined && /^[\s,]*$/.test(text.slice(end, place.start));
  if (!suffixed && !adjacent) return undefined;
  return {
    address1,
    ...(address2 !== undefined ? { address2 } : {}),
    ...(adjacent ? place.parts : {}),
    start,
    end: adjacent ? place.end : end,
  };
}

interface Place {
  readonly parts: { city: string; state: string; zip?: string; country?: string };
  readonly start: number;
  readonly end: number;
}

function cityStateZip(text: string, from: number): Place | undefined {
  const rest = text.slice(from);
  const match = CITY_STATE_ZIP.exec(rest);
  if (match === null) return undefined;
  const city = match[1]!;
  const state = match[2]!;
  const zip = match[3]?.slice(0, 5);
  let end = from + match.index + match[0].length;
  const country = COUNTRY.exec(text.slice(end));
  if (country !== null) end += country[0].length;
  const cityStart = from + match.index + match[0].indexOf(city);
  return {
    parts: {
      city,
      state: STATES[state] ?? state,
      ...(zip !== undefined ? { zip } : {}),
      ...(country !== null
        ? { country: country[1]! }
        : zip !== undefined
          ? // A US state and a US zip code say the country ("Austin, TX 78701").
            { country: 'USA' }
          : {}),
    },
    start: cityStart,
    end,
  };
}

/** A city and state right after a street line, typed in lowercase ("austin tx", "seattle wa 98101"). */
function lowercasePlace(text: string, from: number): Place | undefined {
  const match = CITY_STATE_ZIP_ANY_CASE.exec(text.slice(from));
  if (match === null) return undefined;
  const city = match[1]!;
  const state = match[2]!;
  let end = from + match.index + match[0].length;
  const country =
    COUNTRY.exec(text.slice(end)) ?? /^\s*,?\s*(usa|united states)(?![\w])/i.exec(text.slice(end));
  if (country !== null) end += country[0].length;
  return {
    parts: {
      city: city.split(/\s+/).map(capitalise).join(' '),
      state: stateCode(state),
      ...(match[3] !== undefined ? { zip: match[3].slice(0, 5) } : {}),
      ...(country !== null
        ? { country: countryOf(country[1]!) }
        : match[3] !== undefined
          ? // A US state and a US zip code say the country ("austin tx 78701").
            { country: 'USA' }
          : {}),
    },
    // From where the search began: "in" before the city is part of the place, not a gap.
    start: from,
    end,
  };
}

/**
 * The parts of an address a reply gives without a street line, when parts of it were asked for:
 * "austin tx", "78701 usa", "Austin, Texas". Only for a question about the address: "in" or "ok"
 * elsewhere is not a state.
 */
export function findAddressParts(text: string): Omit<PostalAddress, 'start' | 'end'> | undefined {
  const found = findAddress(text);
  if (found !== undefined) {
    const { start: _start, end: _end, ...parts } = found;
    return parts;
  }
  const parts: { city?: string; state?: string; zip?: string; country?: string } = {};
  // The whole reply, or one sentence of it, must be the place (and perhaps zip and country): "ok
  // thanks" is not Oklahoma; "there's no apt number. dallas, TX 75201" ends with one.
  for (const sentence of text.split(/(?<=[.!?;])\s+/).reverse()) {
    const place = plausible(lowercasePlace(sentence, 0), sentence);
    if (
      place !== undefined &&
      /^[\s,.!]*(?:\d{5}(?:-\d{4})?)?[\s,.!]*(?:usa|us|united states)?[\s,.!]*$/i.test(
        sentence.slice(place.end),
      )
    ) {
      Object.assign(parts, place.parts);
      break;
    }
  }
  // A US state names the country (the addresses found whole say USA the same way).
  if (parts.state !== undefined && parts.country === undefined && STATE_CODES.includes(parts.state))
    parts.country = 'USA';
  const zip = ZIP_ANYWHERE.exec(text)?.[1];
  if (zip !== undefined && parts.zip === undefined) parts.zip = zip;
  const country = COUNTRY_ANYWHERE.exec(text)?.[1];
  if (country !== undefined && parts.country === undefined) parts.country = countryOf(country);
  return Object.keys(parts).length > 0 ? parts : undefined;
}

function capitalise(word: string): string {
  return /[A-Z]/.test(word) ? word : word.charAt(0).toUpperCase() + word.slice(1);
}

function stateCode(state: string): string {
  const named = Object.entries(STATES).find(([name]) => name.toLowerCase() === state.toLowerCase());
  return named?.[1] ?? state.toUpperCase();
}

/** "usa", "U.S.", "united states" → "USA"; the stores keep "USA". */
function countryOf(typed: string): string {
  return /^(?:usa|u\.?s\.?a?\.?|united states(?: of america)?|america)$/i.test(typed) ? 'USA' : typed;
}

/** "77 king st" → "77 King St" (typed all in lowercase); "12 McAllister St" is kept as typed. */
function titled(line: string): string {
  return line === line.toLowerCase() ? line.split(' ').map(capitalise).join(' ') : line;
}

/** Words of a short reply that are never a city ("yes ok" is not Oklahoma). */
const NOT_PLACE = new Set(
  'yes no ok okay sure yeah yep yup nope hi hello hey thanks thank you it its i im my the a and but so well um hmm please pls what why how'.split(
    ' ',
  ),
);
/** State codes that are also English words count only as typed in capitals ("IN", "OR"). */
const WORD_STATES = new Set(['in', 'or', 'ok', 'me', 'hi', 'oh', 'de', 'pa', 'la', 'ma', 'al', 'id']);

function plausible(place: Place | undefined, text: string): Place | undefined {
  if (place === undefined) return undefined;
  const words = text
    .slice(place.start, place.end)
    .toLowerCase()
    .split(/[\s,.]+/)
    .filter(Boolean);
  if (words.some((word) => NOT_PLACE.has(word))) return undefined;
  const typedState = new RegExp(`\\b(${place.parts.state})\\b`, 'i').exec(
    text.slice(place.start, place.end),
  )?.[1];
  const ambiguous =
    typedState !== undefined && WORD_STATES.has(typedState) && typedState !== typedState.toUpperCase();
  if (ambiguous && place.parts.zip === undefined) return undefined;
  return place;
}
