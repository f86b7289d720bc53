import type { Condition, FactRef, Value } from './ir.ts';

/**
 * Conditions → native Choice rules (no intrinsics, no JSONata). Every comparison is guarded by
 * IsPresent/type tests, so a missing or differently typed fact takes the branch's "false" side
 * instead of failing the execution with States.Runtime. Time conditions compare against cut-offs
 * the runtime derives from the turn's recorded clock (`$.clock.cutoffs.d<N>`), so replay agrees.
 */
export function confirmationKey(actionId: string): string {
  return actionId.replace(/[^a-zA-Z0-9]/g, '_');
}

export function choiceRuleOf(
  condition: Condition,
  context: { prefix: string; cutoffs: Set<number> },
): Record<string, unknown> {
  const { prefix, cutoffs } = context;
  const choiceRule = (inner: Condition) => choiceRuleOf(inner, context);
  switch (condition.kind) {
    case 'and':
      return { And: condition.items.map(choiceRule) };
    case 'or':
      return { Or: condition.items.map(choiceRule) };
    case 'confirmed': {
      const path = `$.confirm.${confirmationKey(`${prefix}${condition.step}`)}`;
      return {
        And: [
          { Variable: path, IsPresent: true },
          { Variable: path, IsBoolean: true },
          { Variable: path, BooleanEquals: condition.value },
        ],
      };
    }
    case 'found': {
      const rule = known(factPath(condition.left));
      return condition.negate ? { Not: rule } : rule;
    }
    case 'compare': {
      const path = factPath(condition.left);
      if (condition.op === 'eq' || condition.op === 'ne') {
        const rule = equals(path, condition.right);
        return condition.op === 'ne' ? { Not: rule } : rule;
      }
      const operator = {
        gt: 'NumericGreaterThan',
        ge: 'NumericGreaterThanEquals',
        lt: 'NumericLessThan',
        le: 'NumericLessThanEquals',
      }[condition.op];
      return {
        And: [
          { Variable: path, IsPresent: true },
          { Variable: path, IsNumeric: true },
          { Variable: path, [operator]: condition.right },
        ],
      };
    }
    case 'compare-facts': {
      const left = factPath(condition.left);
      const right = factPath(condition.right);
      if (condition.op === 'eq' || condition.op === 'ne') {
        const rule = equalsPath(left, right);
        return condition.op === 'ne' ? { Not: rule } : rule;
      }
      const operator = {
        gt: 'NumericGreaterThanPath',
        ge: 'NumericGreaterThanEqualsPath',
        lt: 'NumericLessThanPath',
        le: 'NumericLessThanEqualsPath',
      }[condition.op];
      return { And: [...both(left, right, 'IsNumeric'), { Variable: left, [operator]: right }] };
    }
    case 'one-of': {
      const path = factPath(condition.left);
      const rule =
        condition.values.length === 1
          ? equals(path, condition.values[0]!)
          : { Or: condition.values.map((value) => equals(path, value)) };
      return condition.negate ? { Not: rule } : rule;
    }
    case 'contains': {
      const path = factPath(condition.left);
      const pattern = `*${String(condition.value).replace(/[\\*]/g, (c) => `\\${c}`)}*`;
      const rule = {
        And: [
          { Variable: path, IsPresent: true },
          { Variable: path, IsString: true },
          { Variable: path, StringMatches: pattern },
        ],
      };
      return condition.negate ? { Not: rule } : rule;
    }
    case 'empty': {
      const path = factPath(condition.left);
      const rule = {
        Or: [
          { Not: { Variable: path, IsPresent: true } },
          { Variable: path, IsNull: true },
          {
            And: [
              { Variable: path, IsString: true },
              { Variable: path, StringEquals: '' },
            ],
          },
          {
            And: [
              { Not: { Variable: path, IsString: true } },
              { Not: { Variable: `${path}[0]`, IsPresent: true } },
            ],
          },
        ],
      };
      return condition.negate ? { Not: rule } : rule;
    }
    case 'days-ago': {
      cutoffs.add(condition.days);
      const path = factPath(condition.left);
      const operator = condition.op === 'gt' ? 'TimestampLessThanPath' : 'TimestampGreaterThanPath';
      return {
        And: [
          { Variable: path, IsPresent: true },
          { Variable: path, IsTimestamp: true },
          { Variable: path, [operator]: `$.clock.cutoffs.d${condition.days}` },
        ],
      };
    }
  }
}

export function jsonPathKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `['${key.replace(/'/g, "\\'")}']`;
}

export function factPath(ref: FactRef): string {
  return `$.facts${jsonPathKey(ref.fact ?? ref.phrase)}${ref.path.map(jsonPathKey).join('')}`;
}

export function known(path: string) {
  return { And: [{ Variable: path, IsPresent: true }, { Not: { Variable: path, IsNull: true } }] };
}

/** Both facts present and of the type the comparison reads: otherwise the test is false, not a failure. */
function both(left: string, right: string, test: 'IsNumeric' | 'IsString' | 'IsBoolean') {
  return [
    { Variable: left, IsPresent: true },
    { Variable: left, [test]: true },
    { Variable: right, IsPresent: true },
    { Variable: right, [test]: true },
  ];
}

/** Two facts are equal when both are numbers, both strings or both yes/no, and the values agree. */
function equalsPath(left: string, right: string) {
  return {
    Or: [
      { And: [...both(left, right, 'IsNumeric'), { Variable: left, NumericEqualsPath: right }] },
      { And: [...both(left, right, 'IsString'), { Variable: left, StringEqualsPath: right }] },
      { And: [...both(left, right, 'IsBoolean'), { Variable: left, BooleanEqualsPath: right }] },
    ],
  };
}

function equals(path: string, value: Value) {
  if (value === null)
    return {
      And: [
        { Variable: path, IsPresent: true },
        { Variable: path, IsNull: true },
      ],
    };
  if (typeof value === 'number')
    return {
      And: [
        { Variable: path, IsPresent: true },
        { Variable: path, IsNumeric: true },
        { Variable: path, NumericEquals: value },
      ],
    };
  if (typeof value === 'boolean')
    return {
      And: [
        { Variable: path, IsPresent: true },
        { Variable: path, IsBoolean: true },
        { Variable: path, BooleanEquals: value },
      ],
    };
  return {
    And: [
      { Variable: path, IsPresent: true },
      { Variable: path, IsString: true },
      { Variable: path, StringEquals: value },
    ],
  };
}
