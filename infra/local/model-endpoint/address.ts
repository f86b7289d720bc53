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

function fromStreet(text: string, start: number, streetText: string): PostalAddress | undefined {
  const suffixed = new RegExp(`(?:${SUFFIXES})\\.?$`, 'i').test(streetText);
  const address1 = streetText.replace(/\.$/, '').replace(/\s+/g, ' ');
  let end = start + streetText.length;
  const unit = UNIT.exec(text.slice(end));
  const address2 = unit?.[1]?.replace(/\s+/g, ' ');
  if (unit !== null) end += unit[0].length;
  const place = cityStateZip(text, end);
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
      ...(country !== null ? { country: country[1]! } : {}),
    },
    start: cityStart,
    end,
  };
}
