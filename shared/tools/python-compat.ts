/**
 * τ²-bench's tools are Python. Where Python's number and JSON formatting differs from JavaScript's,
 * these functions reproduce Python's, so balances, price differences and tool outputs come out
 * bit-for-bit as τ² computes them.
 */

/**
 * Python's `round(x, 2)`: the double nearest to x correctly rounded to two decimals, ties (only
 * possible when x is an odd multiple of 1/8) to even. `toFixed` rounds the exact value too but
 * breaks ties away from zero, so only ties need their own branch.
 */
export function pythonRound2(x: number): number {
  if (!Number.isFinite(x)) return x;
  const eighths = x * 8; // exact: a power-of-two scaling
  if (Number.isInteger(eighths) && Math.abs(eighths % 2) === 1) {
    const hundredths = x * 100; // exact for such x: 12.5 × an odd integer
    const below = Math.floor(hundredths);
    const even = Math.abs(below % 2) === 0 ? below : below + 1;
    return even / 100;
  }
  return Number(x.toFixed(2));
}

/** Python's `repr(float)` / `str(float)`: shortest round-trip digits, `.0` on integers, `1e+16` style. */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // toExponential() without an argument gives the shortest round-trip digits, like Python's repr.
  const [mantissa = '', exponentText = '0'] = Math.abs(x).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
    const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const fraction = digits.slice(exponent + 1);
    return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
  }
  const scientific = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const magnitude = String(Math.abs(exponent)).padStart(2, '0');
  return `${sign}${scientific}e${exponent < 0 ? '-' : '+'}${magnitude}`;
}

/** Python's `json.dumps(mapping, sort_keys=True)` for a flat string-to-string mapping. */
export function pythonJsonDumpsSorted(mapping: Readonly<Record<string, string>>): string {
  const keys = Object.keys(mapping).sort(compareCodePoints);
  const body = keys.map((key) => `${pythonJsonString(key)}: ${pythonJsonString(mapping[key] ?? '')}`);
  return `{${body.join(', ')}}`;
}

/** Python sorts strings by code point; JavaScript's default sort compares UTF-16 code units. */
export function compareCodePoints(a: string, b: string): number {
  const left = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const right = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const difference = (left[i] ?? 0) - (right[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/** Python's `json.dumps(str)` with `ensure_ascii=True`: everything outside space..tilde is escaped. */
export function pythonJsonString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const char = value.charAt(i);
    const code = value.charCodeAt(i);
    const named = NAMED_ESCAPES[char];
    if (named !== undefined) out += named;
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += char;
  }
  return `${out}"`;
}
