import { DiagnosticCodes, error } from '../diagnostics.ts';
import { jsonSchemaOf, schemaAt } from '../facts.ts';
import { aopActions, type conditionRefs } from '../graph.ts';
import type { Condition, Value } from '../ir.ts';
import type { Rule } from './rule.ts';

/** Literal values must be among the values a fact can take, when its schema lists them (an enum). */
export const valueNotAllowed: Rule = {
  name: 'value-not-allowed',
  check({ aop, catalogue }) {
    const diagnostics = [];
    for (const { action } of aopActions(aop)) {
      if (action.kind === 'ask') {
        for (const slot of action.slots) {
          const allowed = enumOf(slot.schema);
          if (!allowed || !slot.allowed) continue;
          for (const value of slot.allowed) {
            if (!allowed.includes(value)) {
              diagnostics.push(
                error(
                  DiagnosticCodes.valueNotAllowed,
                  slot.allowedSpan ?? action.span,
                  `"${String(value)}" is not a value "${slot.name}" can take.`,
                  `Allowed values: ${allowed.map((v) => JSON.stringify(v)).join(', ')}.`,
                ),
              );
            }
          }
        }
      }
      if (action.kind === 'if') {
        for (const branch of action.branches) {
          for (const [ref, values] of comparedValues(branch.when)) {
            const tool = [...catalogue.values()].find((t) => t.produces === ref.fact);
            const allowed = tool ? enumOf(schemaAt(jsonSchemaOf(tool.output), ref.path)) : undefined;
            if (!allowed) continue;
            for (const value of values) {
              if (!allowed.includes(value)) {
                diagnostics.push(
                  error(
                    DiagnosticCodes.valueNotAllowed,
                    ref.span,
                    `"${ref.phrase}" is compared with ${JSON.stringify(value)}, which it can never be.`,
                    `Possible values: ${allowed.map((v) => JSON.stringify(v)).join(', ')}.`,
                  ),
                );
              }
            }
          }
        }
      }
    }
    return diagnostics;
  },
};

function enumOf(schema: Record<string, unknown> | undefined): Value[] | undefined {
  if (!schema) return undefined;
  if (Array.isArray(schema.enum)) return schema.enum as Value[];
  if (schema.type === 'array' && schema.items) return enumOf(schema.items as Record<string, unknown>);
  return undefined;
}

function comparedValues(condition: Condition): [ReturnType<typeof conditionRefs>[number], Value[]][] {
  switch (condition.kind) {
    case 'and':
    case 'or':
      return condition.items.flatMap(comparedValues);
    case 'compare':
      return condition.op === 'eq' || condition.op === 'ne' ? [[condition.left, [condition.right]]] : [];
    case 'one-of':
      return [[condition.left, condition.values]];
    default:
      return [];
  }
}
