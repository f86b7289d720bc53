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

/**
 * The JSON schema found at `path` inside a fact, or undefined when the path does not exist. With
 * `throughLists`, a key after a list names a field of its elements (`order.fulfillments.tracking_id`):
 * a placeholder says such a value as the list of them all, which a condition or an argument could not.
 */
export function schemaAt(
  schema: JsonSchema,
  path: readonly string[],
  options: { throughLists?: boolean } = {},
): JsonSchema | undefined {
  let current: JsonSchema | undefined = schema;
  for (const key of path) {
    if (!current) return undefined;
    current = propertiesOf(options.throughLists ? elementOf(current) : current)[key];
  }
  return current;
}

/** What a list holds (the schema of its elements, through lists of lists); anything else as it is. */
export function elementOf(schema: JsonSchema): JsonSchema {
  let current = schema;
  for (let items = itemsOf(current); items; items = itemsOf(current)) current = items;
  return current;
}

/** The element schema of a list, also of a nullable one (`anyOf: [array, null]`). */
function itemsOf(schema: JsonSchema): JsonSchema | undefined {
  if (schema.type === 'array' || (Array.isArray(schema.type) && schema.type.includes('array')))
    return typeof schema.items === 'object' && schema.items !== null
      ? (schema.items as JsonSchema)
      : undefined;
  const variants = schema.anyOf ?? schema.oneOf;
  if (!Array.isArray(variants)) return undefined;
  const lists = variants.map((variant) => itemsOf(variant as JsonSchema)).filter((items) => items);
  return lists.length === 1 ? lists[0] : undefined;
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

export interface ResolveOptions {
  /** In an ask: only facts a tool takes as a parameter can be asked for. */
  readonly slotsOnly?: boolean;
  /**
   * In a placeholder: a path may go through lists (`order.fulfillments.tracking_id`), and a field one
   * level down may be named without the level ("the order tracking number").
   */
  readonly throughLists?: boolean;
}

/**
 * Resolves what an author wrote ("the order status", "order.status", "zip code") to a fact and a path.
 * Rules, in order: a dotted path is taken literally; otherwise the longest run of leading words that
 * names a fact wins, and the remaining words must name a property path inside it; a lone property
 * name that exists in exactly one fact resolves to it, in several is ambiguous. A phrase that names
 * nothing is read again with its "of" parts turned round: "the status of the order" is "the order status".
 */
export function resolveFact(
  phrase: string,
  environment: FactEnvironment,
  options: ResolveOptions = {},
): Resolution {
  const resolution = resolveWords(phrase, environment, options);
  if (resolution.problem !== 'unknown' || !/\sof\s/i.test(phrase)) return resolution;
  const turned = resolveWords(
    phrase
      .split(/\s+of\s+/i)
      .reverse()
      .join(' '),
    environment,
    options,
  );
  return turned.problem === 'unknown' ? resolution : turned;
}

function resolveWords(phrase: string, environment: FactEnvironment, options: ResolveOptions): Resolution {
  const lists = options.throughLists === true;
  const usable = (name: string) => {
    const fact = environment.get(name);
    return fact !== undefined && (!options.slotsOnly || fact.slot);
  };
  const trimmed = phrase.trim();
  if (/^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*$/i.test(trimmed) && trimmed.includes('.')) {
    const [fact, ...path] = trimmed.split('.');
    if (fact && usable(fact) && schemaAt(environment.get(fact)!.schema, path, { throughLists: lists })) {
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
      const path = matchPath(environment.get(candidate)!.schema, rest, lists);
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
    const owned = bareProperty(effective, environment, lists);
    if (owned) return owned;
  }
  return unknown(effective.join('_'), environment, options.slotsOnly);
}

/**
 * A bare property name ("status") that only one fact has; through lists, also a path inside one fact
 * ("tracking number": `order.fulfillments.tracking_id`) when no fact has it at the top.
 */
function bareProperty(words: string[], environment: FactEnvironment, lists: boolean): Resolution | null {
  const name = words.join('_');
  let owners = [...environment.values()]
    .filter((fact) => propertiesOf(fact.schema)[name] !== undefined)
    .map((fact) => ({ fact: fact.name, path: [name] }));
  if (owners.length === 0 && lists)
    owners = [...environment.values()].flatMap((fact) => {
      const path = matchPath(fact.schema, words, true);
      return path && path.length > 0 ? [{ fact: fact.name, path }] : [];
    });
  if (owners.length === 1) return { ...owners[0]!, candidates: [], problem: null };
  if (owners.length === 0) return null;
  return {
    fact: null,
    path: [],
    candidates: owners.map((owner) => [owner.fact, ...owner.path].join('.')),
    problem: 'ambiguous',
  };
}

/**
 * The property path the words name inside a schema, longest words first. Through lists, a field of a
 * list's elements counts, and so does a field one level down when it is the only one there that fits.
 */
function matchPath(schema: JsonSchema, words: string[], lists = false, skip = lists): string[] | null {
  if (words.length === 0) return [];
  const properties = propertiesOf(lists ? elementOf(schema) : schema);
  for (let length = words.length; length >= 1; length--) {
    const key = propertyKey(properties, words.slice(0, length));
    const rest = key ? matchPath(properties[key]!, words.slice(length), lists, skip) : null;
    if (key && rest) return [key, ...rest];
  }
  if (!skip) return null;
  const below = Object.entries(properties).flatMap(([key, field]) => {
    const rest = matchPath(field, words, lists, false);
    return rest ? [[key, ...rest]] : [];
  });
  return below.length === 1 ? below[0]! : null;
}

/**
 * The property the words name: as written, with a plural `s` (or `es`: "addresses") added or dropped;
 * "tracking number" also names `tracking_id`.
 */
function propertyKey(properties: Record<string, JsonSchema>, words: string[]): string | undefined {
  const key = words.join('_');
  const singular = key.replace(/s$/, '');
  return [
    key,
    `${key}s`,
    singular,
    singular.replace(/_number$/, '_id'),
    key.replace(/(?<=(?:s|x|z|ch|sh))es$/, ''),
  ].find((candidate) => properties[candidate] !== undefined);
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
