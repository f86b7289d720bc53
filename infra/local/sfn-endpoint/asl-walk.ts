/**
 * Generic walks over an ASL definition (JSONPath mode): every state at any depth, and every string
 * that the interpreter evaluates as a path or a payload template. Rules and rewrites build on these.
 */

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export interface VisitedState {
  readonly name: string;
  readonly state: JsonObject;
  /** JSON pointer of the state inside the definition, e.g. `/States/Fan/Branches/0/States/Lookup`. */
  readonly pointer: string;
  /** True inside a Parallel branch or a Map item processor. */
  readonly nested: boolean;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every state, depth first, including Parallel branches and Map `ItemProcessor`/`Iterator`. */
export function* walkStates(machine: JsonObject, pointer = '', nested = false): Generator<VisitedState> {
  const states = machine.States;
  if (!isJsonObject(states)) return;
  for (const [name, state] of Object.entries(states)) {
    if (!isJsonObject(state)) continue;
    const statePointer = `${pointer}/States/${escapePointer(name)}`;
    yield { name, state, pointer: statePointer, nested };
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      for (const [index, branch] of state.Branches.entries()) {
        if (isJsonObject(branch)) yield* walkStates(branch, `${statePointer}/Branches/${index}`, true);
      }
    }
    if (state.Type === 'Map') {
      for (const field of ['ItemProcessor', 'Iterator'] as const) {
        const processor = state[field];
        if (isJsonObject(processor)) yield* walkStates(processor, `${statePointer}/${field}`, true);
      }
    }
  }
}

/** What kind of string an expression is: a bare path, or a payload-template value (path or intrinsic). */
export type ExpressionKind = 'path' | 'template-value';

export interface ExpressionSite {
  /** JSON pointer of the string inside the definition. */
  readonly pointer: string;
  readonly kind: ExpressionKind;
}

/** Rewrites (or just inspects, when `map` returns its argument) a string expression in place. */
export type ExpressionMapper = (expression: string, site: ExpressionSite) => string;

const PATH_FIELDS_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  Task: ['InputPath', 'OutputPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath'],
  Parallel: ['InputPath', 'OutputPath'],
  Map: ['InputPath', 'OutputPath', 'ItemsPath', 'MaxConcurrencyPath'],
  Pass: ['InputPath', 'OutputPath'],
  Wait: ['InputPath', 'OutputPath', 'SecondsPath', 'TimestampPath'],
  Choice: ['InputPath', 'OutputPath'],
  Succeed: ['InputPath', 'OutputPath'],
  Fail: ['ErrorPath', 'CausePath'],
};
const TEMPLATE_FIELDS = ['Parameters', 'ResultSelector', 'ItemSelector'] as const;

/**
 * Applies `map` to every evaluated string of one state (not its nested branches): path fields,
 * Choice rule variables and `...Path` operands, and the `.$` values of payload templates.
 */
export function mapStateExpressions(visited: VisitedState, map: ExpressionMapper): void {
  const { state, pointer } = visited;
  const type = typeof state.Type === 'string' ? state.Type : '';
  for (const field of PATH_FIELDS_BY_TYPE[type] ?? []) {
    const value = state[field];
    if (typeof value === 'string')
      state[field] = map(value, { pointer: `${pointer}/${field}`, kind: 'path' });
  }
  for (const field of TEMPLATE_FIELDS) {
    if (field in state) state[field] = mapTemplate(state[field]!, `${pointer}/${field}`, map);
  }
  if (type === 'Choice' && Array.isArray(state.Choices)) {
    state.Choices.forEach((rule, index) => {
      mapChoiceRule(rule, `${pointer}/Choices/${index}`, map);
    });
  }
}

function mapTemplate(template: JsonValue, pointer: string, map: ExpressionMapper): JsonValue {
  if (Array.isArray(template))
    return template.map((item, index) => mapTemplate(item, `${pointer}/${index}`, map));
  if (!isJsonObject(template)) return template;
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(template)) {
    const keyPointer = `${pointer}/${escapePointer(key)}`;
    result[key] =
      key.endsWith('.$') && typeof value === 'string'
        ? map(value, { pointer: keyPointer, kind: 'template-value' })
        : mapTemplate(value, keyPointer, map);
  }
  return result;
}

function mapChoiceRule(rule: JsonValue, pointer: string, map: ExpressionMapper): void {
  if (!isJsonObject(rule)) return;
  for (const [key, value] of Object.entries(rule)) {
    if (typeof value === 'string' && (key === 'Variable' || key.endsWith('Path'))) {
      rule[key] = map(value, { pointer: `${pointer}/${key}`, kind: 'path' });
    }
  }
  for (const operator of ['And', 'Or'] as const) {
    const inner = rule[operator];
    if (Array.isArray(inner)) {
      for (const [index, nested] of inner.entries())
        mapChoiceRule(nested, `${pointer}/${operator}/${index}`, map);
    }
  }
  if (rule.Not !== undefined) mapChoiceRule(rule.Not, `${pointer}/Not`, map);
}

export function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}
