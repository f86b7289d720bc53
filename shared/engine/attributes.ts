/**
 * A thing's attributes in words, as a shop assistant says them: `{ size: 'M', color: 'red',
 * ventilation: 'high' }` is "medium, red, high ventilation". Used wherever the runtime names a record
 * that has attributes (variants offered, items in a confirmation).
 */

export const LETTER_SIZES = ['XXS', 'XS', 'S', 'M', 'L', 'XL', 'XXL', 'XXXL'];
/** Letter sizes in words; XXS, XXL and beyond stay letters ("extra extra large" would also read as XL). */
const SIZE_WORDS: Readonly<Record<string, string>> = {
  XXS: 'XXS',
  XS: 'extra small',
  S: 'small',
  M: 'medium',
  L: 'large',
  XL: 'extra large',
  XXL: 'XXL',
  XXXL: 'XXXL',
};
export const WORD_SIZES = ['extra small', 'small', 'medium', 'large', 'extra large'];

/** One attribute in words: "medium", "red", "high ventilation", "waterproof", "size 10". */
export function attributeWords(key: string, value: string): string {
  const lowerKey = key.toLowerCase();
  if (lowerKey === 'size' && SIZE_WORDS[value.toUpperCase()]) return SIZE_WORDS[value.toUpperCase()]!;
  if (lowerKey === 'size' && /^\d/.test(value)) return `size ${value}`;
  if (lowerKey === 'color' || lowerKey === 'colour' || lowerKey === 'size') return value;
  if (/^yes$/i.test(value)) return key;
  if (/^no$/i.test(value)) return `not ${key}`;
  if (namesItself(value, lowerKey)) return value;
  return `${value} ${key}`;
}

/** "Brand A" (brand), "hard cover" (cover type), "auto tilt" (tilt mechanism): the value says what it is. */
function namesItself(value: string, key: string): boolean {
  const keyWords = new Set(key.split(/\s+/));
  return value
    .toLowerCase()
    .split(/\s+/)
    .some((word) => keyWords.has(word));
}

/** "red, medium, high ventilation": by attribute name, so the words do not depend on how a store orders keys. */
export function attributesWords(options: Record<string, string>): string {
  return sortedAttributes(options)
    .map(([key, value]) => attributeWords(key, value))
    .join(', ');
}

export function sortedAttributes(options: Record<string, string>): [string, string][] {
  return Object.entries(options).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
