/**
 * A light JSON-schema check for values a model proposes. It covers the keywords slot schemas use
 * (what `z.toJSONSchema` emits for strings, numbers, enums, arrays and small objects) and ignores the
 * rest: it guards against a wrong-shaped value reaching a tool, it is not a full validator.
 */

import { canonicalJson } from './canonical-json.ts';

export type JsonSchema = { readonly [keyword: string]: unknown };

const FORMATS: Readonly<Record<string, RegExp>> = {
  email: /^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/,
  date: /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/,
  'date-time': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/,
};

export function conformsTo(value: unknown, schema: JsonSchema): boolean {
  if (!matchesType(value, schema.type)) return false;
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => sameJson(allowed, value))) return false;
  if ('const' in schema && !sameJson(schema.const, value)) return false;
  if (typeof value === 'string' && !conformsString(value, schema)) return false;
  if (typeof value === 'number' && !conformsNumber(value, schema)) return false;
  if (Array.isArray(value) && !conformsArray(value, schema)) return false;
  if (isPlainObject(value) && !conformsObject(value, schema)) return false;
  if (Array.isArray(schema.allOf) && !schema.allOf.every((sub) => conformsTo(value, asSchema(sub))))
    return false;
  if (Array.isArray(schema.anyOf) && !schema.anyOf.some((sub) => conformsTo(value, asSchema(sub))))
    return false;
  if (Array.isArray(schema.oneOf)) {
    const matching = schema.oneOf.filter((sub) => conformsTo(value, asSchema(sub))).length;
    if (matching !== 1) return false;
  }
  return true;
}

function matchesType(value: unknown, type: unknown): boolean {
  if (type === undefined) return true;
  if (Array.isArray(type)) return type.some((one) => matchesType(value, one));
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isPlainObject(value);
    default:
      return false;
  }
}

function conformsString(value: string, schema: JsonSchema): boolean {
  const length = [...value].length;
  if (typeof schema.minLength === 'number' && length < schema.minLength) return false;
  if (typeof schema.maxLength === 'number' && length > schema.maxLength) return false;
  if (typeof schema.pattern === 'string' && !safeRegExp(schema.pattern)?.test(value)) return false;
  const format = typeof schema.format === 'string' ? FORMATS[schema.format] : undefined;
  return format === undefined || format.test(value);
}

function conformsNumber(value: number, schema: JsonSchema): boolean {
  if (typeof schema.minimum === 'number' && value < schema.minimum) return false;
  if (typeof schema.maximum === 'number' && value > schema.maximum) return false;
  if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum) return false;
  if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum) return false;
  return true;
}

function conformsArray(value: readonly unknown[], schema: JsonSchema): boolean {
  if (typeof schema.minItems === 'number' && value.length < schema.minItems) return false;
  if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return false;
  if (isPlainObject(schema.items)) {
    const items = schema.items;
    if (!value.every((item) => conformsTo(item, items))) return false;
  }
  return true;
}

function conformsObject(value: Readonly<Record<string, unknown>>, schema: JsonSchema): boolean {
  const properties = isPlainObject(schema.properties) ? schema.properties : {};
  if (Array.isArray(schema.required) && !schema.required.every((key) => value[String(key)] !== undefined)) {
    return false;
  }
  for (const [key, item] of Object.entries(value)) {
    const sub = properties[key];
    if (sub === undefined) {
      if (schema.additionalProperties === false) return false;
      continue;
    }
    if (item !== undefined && !conformsTo(item, asSchema(sub))) return false;
  }
  return true;
}

const regExpCache = new Map<string, RegExp | null>();

/** Compiles a schema pattern once; an invalid pattern compiles to null and matches nothing. */
export function safeRegExp(pattern: string): RegExp | null {
  let compiled = regExpCache.get(pattern);
  if (compiled === undefined) {
    compiled = compile(pattern, 'u') ?? compile(pattern, '');
    regExpCache.set(pattern, compiled);
  }
  return compiled;
}

function compile(pattern: string, flags: string): RegExp | null {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return null;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asSchema(value: unknown): JsonSchema {
  return isPlainObject(value) ? value : {};
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return canonicalJson(a) === canonicalJson(b);
}
