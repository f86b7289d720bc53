import type { Action, Aop, Condition, FactRef } from './ir.ts';
import type { AslDefinition } from './lower.ts';

/** The compiled flow for review: readable text from the IR, and a Mermaid flowchart of the ASL. */
export function explainText(aop: Aop): string {
  const out = [
    `${aop.title} (${aop.id}, ${aop.kind})`,
    aop.when ? `Used when: ${aop.when}` : '',
    `Tools: ${aop.tools.join(', ') || 'none'}`,
    '',
  ];
  for (const step of aop.steps) {
    out.push(`Step ${step.number} [${step.id}]  (${step.span.file}:${step.span.line})`);
    for (const action of step.actions) out.push(...describe(action, '  '));
  }
  return out.filter((line, index) => line !== '' || index > 2).join('\n');
}

function describe(action: Action, indent: string): string[] {
  switch (action.kind) {
    case 'ask':
      return [
        `${indent}ask for ${action.groups.map((group) => group.join(' + ')).join('  OR  ')}${action.slots[0]?.options ? ` (choosing from ${ref(action.slots[0].options)})` : ''}${
          action.slots.some((s) => s.allowed)
            ? ` (allowed: ${action.slots
                .flatMap((s) => s.allowed ?? [])
                .map((v) => JSON.stringify(v))
                .join(', ')})`
            : ''
        }`,
      ];
    case 'call':
      return [
        `${indent}call ${action.tool} (${action.effect ?? '?'})(${Object.entries(action.args)
          .map(
            ([k, a]) =>
              `${k} ← ${a.source === 'fact' ? ref(a.ref) : a.source === 'literal' ? JSON.stringify(a.value) : 'MISSING'}`,
          )
          .join(', ')}) → ${action.produces ?? '?'}`,
      ];
    case 'say':
      return [`${indent}say ${action.exact ? JSON.stringify(action.text) : `(paraphrase) ${action.text}`}`];
    case 'confirm':
      return [`${indent}ask to confirm: ${JSON.stringify(action.text)} and wait`];
    case 'escalate':
      return [`${indent}escalate to a human: ${action.reason}`];
    case 'end':
      return [`${indent}end`];
    case 'goto':
      return [
        `${indent}go back to step ${action.targetText} [${action.target}]${action.max ? ` at most ${action.max} times, then escalate` : ''}`,
      ];
    case 'follow':
      return [`${indent}follow ${action.aop}`];
    case 'compute':
      return [
        `${indent}work out ${action.name} = ${action.table ? `(table of ${action.table.rows.length} rows)` : action.phrase}`,
      ];
    case 'if': {
      const lines: string[] = [];
      for (const [index, branch] of action.branches.entries()) {
        lines.push(`${indent}${index === 0 ? 'if' : 'else if'} ${condition(branch.when)}:`);
        for (const inner of branch.then) lines.push(...describe(inner, `${indent}  `));
      }
      if (action.otherwise) {
        lines.push(`${indent}otherwise:`);
        for (const inner of action.otherwise) lines.push(...describe(inner, `${indent}  `));
      }
      return lines;
    }
    case 'unknown':
      return [`${indent}?? not understood: ${action.text}`];
  }
}

function ref(r: FactRef): string {
  return [r.fact ?? r.phrase, ...r.path].join('.');
}

export function condition(c: Condition): string {
  switch (c.kind) {
    case 'and':
      return c.items.map(condition).join(' and ');
    case 'or':
      return `(${c.items.map(condition).join(' or ')})`;
    case 'compare':
      return `${ref(c.left)} ${{ eq: '=', ne: '≠', gt: '>', ge: '≥', lt: '<', le: '≤' }[c.op]} ${JSON.stringify(c.right)}`;
    case 'compare-facts':
      return `${ref(c.left)} ${{ eq: '=', ne: '≠', gt: '>', ge: '≥', lt: '<', le: '≤' }[c.op]} ${ref(c.right)}`;
    case 'one-of':
      return `${ref(c.left)} ${c.negate ? 'not ' : ''}in [${c.values.map((v) => JSON.stringify(v)).join(', ')}]`;
    case 'contains':
      return `${ref(c.left)} ${c.negate ? 'does not contain' : 'contains'} ${JSON.stringify(c.value)}`;
    case 'empty':
      return `${ref(c.left)} is ${c.negate ? 'not ' : ''}empty`;
    case 'found':
      return `${ref(c.left)} was ${c.negate ? 'not ' : ''}found`;
    case 'days-ago':
      return `${ref(c.left)} ${c.op === 'gt' ? 'more' : 'less'} than ${c.days} days ago`;
    case 'confirmed':
      return c.value ? 'the customer confirmed' : 'the customer did not confirm';
  }
}

export function explainMermaid(definition: AslDefinition): string {
  const ids = new Map(Object.keys(definition.States).map((name, index) => [name, `s${index}`]));
  const id = (name: string) => ids.get(name) ?? 'missing';
  const label = (text: string) => text.replace(/"/g, "'");
  const lines = ['flowchart TD'];
  for (const [name, state] of Object.entries(definition.States)) {
    const type = String(state.Type);
    const shape =
      type === 'Choice'
        ? `{"${label(name)}"}`
        : type === 'Succeed' || type === 'Fail'
          ? `(["${label(name)}"])`
          : `["${label(name)}"]`;
    lines.push(`  ${id(name)}${shape}`);
    if (typeof state.Next === 'string') lines.push(`  ${id(name)} --> ${id(state.Next)}`);
    for (const choice of (state.Choices as { Next: string }[] | undefined) ?? [])
      lines.push(`  ${id(name)} -->|when| ${id(choice.Next)}`);
    if (typeof state.Default === 'string') lines.push(`  ${id(name)} -->|otherwise| ${id(state.Default)}`);
    for (const handler of (state.Catch as { Next: string }[] | undefined) ?? [])
      lines.push(`  ${id(name)} -.->|error| ${id(handler.Next)}`);
  }
  return lines.join('\n');
}
