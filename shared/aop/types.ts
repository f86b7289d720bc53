import { FREE_TEXT } from '../model/understanding.ts';
import type { ToolCatalogue } from '../tools/define-tool.ts';
import { buildFactEnvironment, type FactEnvironment, type JsonSchema, propertiesOf } from './facts.ts';
import { type AopLibrary, aopActions } from './graph.ts';
import type { Aop, FactRef, Value } from './ir.ts';

/**
 * The type of every fact, derived from the tool schemas (and from a computed fact's schema), so that
 * a condition can be checked against what its operand holds before anything runs: a time rule on a
 * fact that holds no date is a rule that never fires, and the author must hear so at compile time.
 */
export type FactType =
  | { readonly kind: 'string' }
  | { readonly kind: 'number' }
  /** A number that is an amount (a price, a total, a refund): compares with numbers. */
  | { readonly kind: 'money' }
  | { readonly kind: 'date' }
  | { readonly kind: 'enum'; readonly values: readonly Value[] }
  /** A string that identifies something (`order_id`, or a string with a pattern). */
  | { readonly kind: 'id' }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, FactType>> }
  | { readonly kind: 'list'; readonly of: FactType }
  /** Free text the customer wrote (a schema with `'x-free-text': true`): said or passed on, never tested. */
  | { readonly kind: 'text' }
  | { readonly kind: 'any' };

const ANY: FactType = { kind: 'any' };
const MONEY_NAME = /(?:^|_)(?:price|amount|balance|total|cost|fee|refund|difference)s?(?:$|_)/i;

/**
 * A field or fact whose number is an amount of money, by its name: `price`, `amount`, `total_refund`
 * (whole words, so `feet` is not a fee). One list for the compiler's money type, computed facts,
 * decision tables and the runtime's rendering (shared/engine/words.ts).
 */
export function isMoneyName(name: string): boolean {
  return MONEY_NAME.test(name);
}
const MAX_DEPTH = 12;

/** The type a JSON schema describes; `name` (the field or fact name) tells money and ids apart. */
export function typeOfSchema(schema: JsonSchema | undefined, name = '', depth = 0): FactType {
  if (!schema || depth > MAX_DEPTH) return ANY;
  if (schema[FREE_TEXT] === true) return { kind: 'text' };
  if (Array.isArray(schema.enum)) return { kind: 'enum', values: schema.enum as Value[] };
  if ('const' in schema) return { kind: 'enum', values: [schema.const as Value] };
  const variants = [schema.anyOf, schema.oneOf].find(Array.isArray) as JsonSchema[] | undefined;
  if (variants) return typeOfVariants(variants, name, depth);
  const type = Array.isArray(schema.type)
    ? (schema.type as string[]).filter((t) => t !== 'null')
    : typeof schema.type === 'string'
      ? [schema.type]
      : [];
  if (type.length !== 1) {
    if (schema.properties) return typeOfSchema({ ...schema, type: 'object' }, name, depth);
    return ANY;
  }
  switch (type[0]) {
    case 'string':
      if (schema.format === 'date-time' || schema.format === 'date') return { kind: 'date' };
      if (/(?:^|_)ids?$/.test(name) || (schema.pattern !== undefined && schema.format === undefined))
        return { kind: 'id' };
      return { kind: 'string' };
    case 'number':
    case 'integer':
      return schema.format === 'money' || MONEY_NAME.test(name) ? { kind: 'money' } : { kind: 'number' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'array':
      // `item_ids` holds item ids: each element is named by the singular.
      return {
        kind: 'list',
        of: typeOfSchema(schema.items as JsonSchema | undefined, name.replace(/s$/, ''), depth + 1),
      };
    case 'object': {
      const fields: Record<string, FactType> = {};
      for (const [key, field] of Object.entries(propertiesOf(schema)))
        fields[key] = typeOfSchema(field, key, depth + 1);
      return { kind: 'object', fields };
    }
    default:
      return ANY;
  }
}

/** `anyOf`/`oneOf`: a nullable value is its non-null variant; a union of records has all their fields. */
function typeOfVariants(variants: readonly JsonSchema[], name: string, depth: number): FactType {
  const types = variants
    .filter((variant) => variant.type !== 'null')
    .map((variant) => typeOfSchema(variant, name, depth));
  if (types.length === 0) return ANY;
  if (types.length === 1) return types[0]!;
  if (types.every((t) => t.kind === 'object')) {
    const fields: Record<string, FactType> = {};
    for (const t of types) Object.assign(fields, t.fields);
    return { kind: 'object', fields };
  }
  if (types.every((t) => t.kind === 'enum'))
    return { kind: 'enum', values: [...new Set(types.flatMap((t) => t.values))] };
  const [first] = types;
  return types.every((t) => sameType(t, first!)) ? first! : ANY;
}

/** Two types that hold the same kind of scalar (an enum of strings is a string; money is a number). */
export function sameScalar(a: FactType, b: FactType): boolean {
  const family = scalarFamily(a);
  return family !== null && family === scalarFamily(b);
}

function scalarFamily(type: FactType): string | null {
  switch (type.kind) {
    case 'string':
    case 'id':
    case 'text':
      return 'string';
    case 'number':
    case 'money':
      return 'number';
    case 'date':
    case 'boolean':
      return type.kind;
    case 'enum': {
      const kinds = new Set(type.values.filter((value) => value !== null).map((value) => typeof value));
      return kinds.size === 1 ? [...kinds][0]! : null;
    }
    default:
      return null;
  }
}

function sameType(a: FactType, b: FactType): boolean {
  return a.kind === b.kind && (a.kind !== 'list' || sameType(a.of, (b as typeof a).of));
}

/** A number, or an amount of money: what numeric comparisons take. */
export function isNumeric(type: FactType): boolean {
  return type.kind === 'number' || type.kind === 'money';
}

/** Text of some kind: a string, an id, or an enum of strings. */
export function isStringLike(type: FactType): boolean {
  return (
    type.kind === 'string' ||
    type.kind === 'id' ||
    (type.kind === 'enum' && type.values.every((value) => typeof value === 'string'))
  );
}

/** "an enum (one of "pending", "delivered")", "a list of strings": for messages. */
export function describeType(type: FactType): string {
  switch (type.kind) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'money':
      return 'an amount of money';
    case 'date':
      return 'a date';
    case 'enum':
      return `an enum (${valuesOf(type.values)})`;
    case 'id':
      return 'an id';
    case 'boolean':
      return 'a yes/no value';
    case 'object':
      return `an object (${fieldsOf(type.fields)})`;
    case 'list':
      return `a list of ${plural(type.of)}`;
    case 'text':
      return 'free text the customer wrote';
    case 'any':
      return 'a value of any type';
  }
}

function plural(type: FactType): string {
  switch (type.kind) {
    case 'string':
      return 'strings';
    case 'number':
      return 'numbers';
    case 'money':
      return 'amounts of money';
    case 'date':
      return 'dates';
    case 'enum':
      return `enums (${valuesOf(type.values)})`;
    case 'id':
      return 'ids';
    case 'boolean':
      return 'yes/no values';
    case 'object':
      return `objects (${fieldsOf(type.fields)})`;
    case 'list':
      return `lists of ${plural(type.of)}`;
    case 'text':
      return 'free texts the customer wrote';
    case 'any':
      return 'values of any type';
  }
}

function valuesOf(values: readonly Value[]): string {
  const shown = values.slice(0, 8).map((value) => JSON.stringify(value));
  return `one of ${shown.join(', ')}${values.length > shown.length ? ', …' : ''}`;
}

function fieldsOf(fields: Readonly<Record<string, FactType>>): string {
  const names = Object.keys(fields);
  if (names.length === 0) return 'with no fixed fields';
  const shown = names.slice(0, 8);
  return `with fields ${shown.join(', ')}${names.length > shown.length ? ', …' : ''}`;
}

/**
 * The type at `path` inside `type`. A path may go through lists (`order.fulfillments.tracking_id`):
 * a segment that meets a list goes into its elements, and the result is a list of what it finds.
 * Undefined when the path does not exist.
 */
export function typeAt(type: FactType, path: readonly string[]): FactType | undefined {
  if (path.length === 0) return type;
  if (type.kind === 'any') return ANY;
  if (type.kind === 'list') {
    const inner = typeAt(type.of, path);
    return inner && { kind: 'list', of: inner };
  }
  if (type.kind !== 'object') return undefined;
  const [key, ...rest] = path;
  const field = type.fields[key!];
  return field && typeAt(field, rest);
}

/** Where facts come from for one procedure: its tools, its sub-procedures' tools, what it computes. */
export interface TypeScope {
  readonly environment: FactEnvironment;
  /** Computed fact name → its JSON schema (this procedure's and its library's `Work out …`). */
  readonly computed: ReadonlyMap<string, JsonSchema>;
  /** Slots that take free text the customer wrote. */
  readonly freeText: ReadonlySet<string>;
}

/** The facts this procedure can name: the same tools build-ir resolves phrases against. */
export function typeScopeOf(aop: Aop, catalogue: ToolCatalogue, library: AopLibrary = new Map()): TypeScope {
  const tools = new Set(aop.tools);
  const computed = new Map<string, JsonSchema>();
  const freeText = new Set<string>();
  const read = (source: Aop) => {
    for (const { action } of aopActions(source)) {
      if (action.kind === 'compute' && !computed.has(action.name)) computed.set(action.name, action.schema);
      if (action.kind === 'ask')
        for (const slot of action.slots) if (slot.schema[FREE_TEXT] === true) freeText.add(slot.name);
    }
  };
  read(aop);
  for (const other of library.values()) {
    if (other.id === aop.id) continue;
    if (other.kind === 'subprocedure') for (const tool of other.tools) tools.add(tool);
    read(other);
  }
  return { environment: buildFactEnvironment(catalogue, tools), computed, freeText };
}

/**
 * The type of what a reference names: a tool parameter or result (and a path into it), a computed
 * fact, or a free-text slot. Undefined when the reference did not resolve (AOP004/AOP005 say so).
 */
export function typeOfRef(
  ref: FactRef,
  aop: Aop,
  catalogue: ToolCatalogue,
  library?: AopLibrary,
): FactType | undefined {
  return typeInScope(ref, typeScopeOf(aop, catalogue, library));
}

export function typeInScope(ref: FactRef, scope: TypeScope): FactType | undefined {
  if (ref.problem !== null || ref.fact === null) return undefined;
  if (scope.freeText.has(ref.fact) && ref.path.length === 0) return { kind: 'text' };
  const computed = scope.computed.get(ref.fact);
  if (computed) return typeAt(typeOfSchema(computed, ref.fact), ref.path);
  const fact = scope.environment.get(ref.fact);
  if (!fact) return undefined;
  return typeAt(typeOfSchema(fact.schema, ref.fact), ref.path);
}

/**
 * Every path in the scope's facts whose type passes `test` (`order.placed_at` for dates), not through
 * lists, for "the facts you can use" in hints.
 */
export function pathsOfType(scope: TypeScope, test: (type: FactType) => boolean): string[] {
  const found: string[] = [];
  const visit = (type: FactType, path: string, depth: number) => {
    if (test(type)) found.push(path);
    else if (type.kind === 'object' && depth < 4)
      for (const [key, field] of Object.entries(type.fields)) visit(field, `${path}.${key}`, depth + 1);
  };
  for (const fact of scope.environment.values()) visit(typeOfSchema(fact.schema, fact.name), fact.name, 0);
  for (const [name, schema] of scope.computed) visit(typeOfSchema(schema, name), name, 0);
  return [...new Set(found)].sort();
}

/** The fields of an object that hold dates (not through lists): what "was placed … ago" can test. */
export function dateFields(type: FactType): string[] {
  return type.kind === 'object'
    ? Object.entries(type.fields)
        .filter(([, field]) => field.kind === 'date')
        .map(([key]) => key)
    : [];
}
