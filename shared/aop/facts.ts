import { z } from 'zod';
import type { ToolCatalogue, ToolDeclaration } from '../tools/define-tool.ts';

/**
 * The facts a procedure can talk about, derived from the tool catalogue: every tool parameter is a
 * slot the agent can ask for (typed by the parameter's schema), and every tool result is a fact named
 * by the tool's `produces` (typed by its output schema, so `order.status` is a path into it).
 */

export type JsonSchema = Record<string, unknown>;

export interface FactInfo {
  readonly name: string;
  readonly schema: JsonSchema;
  /** A slot can be asked for; a produced fact comes only from a tool. A name may be both. */
  readonly slot: boolean;
  readonly producedBy: string[];
  readonly consumedBy: string[];
  readonly description: string;
}

export type FactEnvironment = ReadonlyMap<string, FactInfo>;

const schemaCache = new WeakMap<z.ZodType, JsonSchema>();

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  const cached = schemaCache.get(schema);
  if (cached) return cached;
  const json = z.toJSONSchema(schema, { unrepresentable: 'any', io: 'input' }) as JsonSchema;
  delete json.$schema;
  schemaCache.set(schema, json);
  return json;
}

export function toolParameters(
  tool: ToolDeclaration,
): { name: string; schema: JsonSchema; required: boolean }[] {
  const json = jsonSchemaOf(tool.input);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, schema]) => ({ name, schema, required: required.has(name) }));
}

export function buildFactEnvironment(catalogue: ToolCatalogue, toolNames: Iterable<string>): FactEnvironment {
  const facts = new Map<
    string,
    { schema: JsonSchema; slot: boolean; producedBy: string[]; consumedBy: string[]; description: string }
  >();
  const entry = (name: string, schema: JsonSchema) => {
    let fact = facts.get(name);
    if (!fact) {
      fact = {
        schema,
        slot: false,
        producedBy: [],
        consumedBy: [],
        description: String(schema.description ?? name.replaceAll('_', ' ')),
      };
      facts.set(name, fact);
    }
    return fact;
  };
  for (const toolName of toolNames) {
    const tool = catalogue.get(toolName);
    if (!tool) continue;
    for (const parameter of toolParameters(tool)) {
      const fact = entry(parameter.name, parameter.schema);
      fact.slot = true;
      fact.consumedBy.push(tool.name);
    }
    const produced = entry(tool.produces, jsonSchemaOf(tool.output));
    produced.producedBy.push(tool.name);
  }
  return new Map([...facts].map(([name, fact]) => [name, { name, ...fact }]));
}

/** The JSON schema found at `path` inside a fact, or undefined when the path does not exist. */
export function schemaAt(schema: JsonSchema, path: readonly string[]): JsonSchema | undefined {
  let current: JsonSchema | undefined = schema;
  for (const key of path) {
    if (!current) return undefined;
    current = propertiesOf(current)[key];
  }
  return current;
}

export function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  if (schema.properties && typeof schema.properties === 'object')
    return schema.properties as Record<string, JsonSchema>;
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const variants = schema[key];
    if (Array.isArray(variants)) {
      const merged: Record<string, JsonSchema> = {};
      for (const variant of variants) Object.assign(merged, propertiesOf(variant as JsonSchema));
      if (Object.keys(merged).length > 0) return merged;
    }
  }
  return {};
}

/** A coarse type for compatibility checks: string, number, boolean, array, object or any. */
export function typeOf(schema: JsonSchema | undefined): string {
  if (!schema) return 'any';
  if (typeof schema.type === 'string') return schema.type === 'integer' ? 'number' : schema.type;
  if (Array.isArray(schema.type)) {
    const types = (schema.type as string[]).filter((t) => t !== 'null');
    return types.length === 1 ? (types[0] === 'integer' ? 'number' : types[0]!) : 'any';
  }
  if (Array.isArray(schema.enum)) return typeof schema.enum[0];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const variants = schema[key];
    if (Array.isArray(variants)) {
      const types = new Set(variants.map((v) => typeOf(v as JsonSchema)).filter((t) => t !== 'null'));
      if (types.size === 1) return [...types][0]!;
    }
  }
  return 'any';
}

/** Every `fact.path` reachable in the environment (two levels deep), for listing candidates. */
export function factPaths(environment: FactEnvironment): string[] {
  const paths: string[] = [];
  for (const fact of environment.values()) {
    paths.push(fact.name);
    for (const [key, schema] of Object.entries(propertiesOf(fact.schema))) {
      paths.push(`${fact.name}.${key}`);
      for (const inner of Object.keys(propertiesOf(schema))) paths.push(`${fact.name}.${key}.${inner}`);
    }
  }
  return paths;
}

const FILLER = new Set([
  'the',
  'a',
  'an',
  'their',
  'his',
  'her',
  'its',
  'this',
  'that',
  'customer',
  'customers',
  'users',
  "user's",
  'of',
  'your',
  'my',
  'current',
]);

export function phraseWords(phrase: string): string[] {
  return phrase
    .toLowerCase()
    .replace(/['’]s\b/g, '')
    .replace(/[^a-z0-9_.\s-]/g, ' ')
    .split(/[\s_.-]+/)
    .filter((word) => word.length > 0);
}

export interface Resolution {
  readonly fact: string | null;
  readonly path: string[];
  readonly candidates: string[];
  readonly problem: 'unknown' | 'ambiguous' | null;
}

/**
 * Resolves what an author wrote ("the order status", "order.status", "zip code") to a fact and a path.
 * Rules, in order: a dotted path is taken literally; otherwise the longest run of leading words that
 * names a fact wins, and the remaining words must name a property path inside it; a lone property
 * name that exists in exactly one fact resolves to it, in several is ambiguous.
 */
export function resolveFact(
  phrase: string,
  environment: FactEnvironment,
  options: { slotsOnly?: boolean } = {},
): Resolution {
  const usable = (name: string) => {
    const fact = environment.get(name);
    return fact !== undefined && (!options.slotsOnly || fact.slot);
  };
  const trimmed = phrase.trim();
  if (/^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$/i.test(trimmed) && trimmed.includes('.')) {
    const [fact, ...path] = trimmed.split('.');
    if (fact && usable(fact) && schemaAt(environment.get(fact)!.schema, path)) {
      return { fact, path, candidates: [], problem: null };
    }
    return unknown(trimmed, environment);
  }
  const all = phraseWords(trimmed);
  const words = all.filter((word) => !FILLER.has(word));
  const effective = words.length > 0 ? words : all;
  for (let length = effective.length; length >= 1; length--) {
    const name = effective.slice(0, length).join('_');
    const candidatesForName = [name, `${name}_id`].filter(usable);
    for (const candidate of candidatesForName) {
      const rest = effective.slice(length);
      const path = matchPath(environment.get(candidate)!.schema, rest);
      if (path) return { fact: candidate, path, candidates: [], problem: null };
    }
  }
  // "address line 1" → address1, "zip code" → zip: compare without separators and filler words.
  const compact = effective.filter((word) => !['line', 'code', 'number'].includes(word)).join('');
  const compactMatches = [...environment.values()].filter(
    (fact) => (!options.slotsOnly || fact.slot) && fact.name.replaceAll('_', '') === compact,
  );
  if (compactMatches.length === 1)
    return { fact: compactMatches[0]!.name, path: [], candidates: [], problem: null };
  if (!options.slotsOnly) {
    // A bare property name ("status") that only one fact has.
    const name = effective.join('_');
    const owners = [...environment.values()].filter((fact) => propertiesOf(fact.schema)[name] !== undefined);
    if (owners.length === 1) return { fact: owners[0]!.name, path: [name], candidates: [], problem: null };
    if (owners.length > 1) {
      return {
        fact: null,
        path: [],
        candidates: owners.map((owner) => `${owner.name}.${name}`),
        problem: 'ambiguous',
      };
    }
  }
  return unknown(effective.join('_'), environment, options.slotsOnly);
}

function matchPath(schema: JsonSchema, words: string[]): string[] | null {
  if (words.length === 0) return [];
  const properties = propertiesOf(schema);
  for (let length = words.length; length >= 1; length--) {
    const key = words.slice(0, length).join('_');
    const property = properties[key] ?? properties[`${key}s`] ?? properties[key.replace(/s$/, '')];
    if (property) {
      const actualKey = properties[key] ? key : properties[`${key}s`] ? `${key}s` : key.replace(/s$/, '');
      const rest = matchPath(property, words.slice(length));
      if (rest) return [actualKey, ...rest];
    }
  }
  return null;
}

function unknown(name: string, environment: FactEnvironment, slotsOnly = false): Resolution {
  const pool = slotsOnly
    ? [...environment.values()].filter((f) => f.slot).map((f) => f.name)
    : factPaths(environment);
  const words = name.split(/[_.]/);
  const scored = pool
    .map((candidate) => ({
      candidate,
      score: words.filter((w) => w.length > 1 && candidate.includes(w)).length,
    }))
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score || a.candidate.length - b.candidate.length)
    .slice(0, 6)
    .map((entry) => entry.candidate);
  return { fact: null, path: [], candidates: scored, problem: 'unknown' };
}
