import { condition } from '../aop/explain.ts';
import type { Action, Aop, Argument, FactRef } from '../aop/ir.ts';

/**
 * What changed between two versions of a procedure, in words, at the IR level: steps are matched by
 * their stable ids (never by position), so an inserted step reads as one added step rather than as every
 * later step changed. Wording that compiles to the same IR is no change.
 */
export function diffAops(before: Aop, after: Aop): string[] {
  const lines: string[] = [];
  if (before.title !== after.title)
    lines.push(`title changed: ${quote(before.title)} → ${quote(after.title)}`);
  if (before.when !== after.when)
    lines.push(`routing (when) changed: ${quote(before.when)} → ${quote(after.when)}`);
  lines.push(...setChange('channels', before.channels, after.channels));
  lines.push(...setChange('tools', before.tools, after.tools));

  const afterIds = new Set(after.steps.map((step) => step.id));
  const beforeById = new Map(before.steps.map((step) => [step.id, step]));
  for (const step of before.steps) {
    if (!afterIds.has(step.id))
      lines.push(`step ${step.number} [${step.id}] removed (was: ${summary(step.actions)})`);
  }
  for (const step of after.steps) {
    const old = beforeById.get(step.id);
    if (!old) {
      lines.push(`step ${step.number} [${step.id}] added: ${summary(step.actions)}`);
      continue;
    }
    const label = old.number === step.number ? `step ${step.number}` : `step ${old.number}→${step.number}`;
    for (const change of actionsChange(old.actions, step.actions))
      lines.push(`${label} [${step.id}]: ${change}`);
  }
  const common = (steps: Aop['steps']) =>
    steps.map((step) => step.id).filter((id) => beforeById.has(id) && afterIds.has(id));
  const orderBefore = common(before.steps);
  const orderAfter = common(after.steps);
  if (orderBefore.join('\n') !== orderAfter.join('\n'))
    lines.push(`steps reordered: ${orderBefore.join(', ')} → ${orderAfter.join(', ')}`);
  return lines;
}

function setChange(what: string, before: readonly string[], after: readonly string[]): string[] {
  const added = after.filter((item) => !before.includes(item));
  const removed = before.filter((item) => !after.includes(item));
  if (added.length === 0 && removed.length === 0) return [];
  return [
    `${what}: ${[added.length > 0 ? `added ${added.join(', ')}` : '', removed.length > 0 ? `removed ${removed.join(', ')}` : ''].filter(Boolean).join('; ')}`,
  ];
}

/** Changes between two action lists, matched position by position within a step. */
function actionsChange(before: readonly Action[], after: readonly Action[], prefix = ''): string[] {
  const changes: string[] = [];
  const length = Math.max(before.length, after.length);
  for (let index = 0; index < length; index++) {
    const old = before[index];
    const now = after[index];
    if (!now) changes.push(`${prefix}no longer ${summary([old!])}`);
    else if (!old) changes.push(`${prefix}now also ${summary([now])}`);
    else changes.push(...actionChange(old, now, prefix));
  }
  return changes;
}

function actionChange(old: Action, now: Action, prefix: string): string[] {
  if (old.kind !== now.kind) return [`${prefix}${summary([old])} → ${summary([now])}`];
  const out: string[] = [];
  switch (old.kind) {
    case 'say':
    case 'confirm': {
      const next = now as typeof old;
      if (old.text !== next.text || old.exact !== next.exact)
        out.push(
          `${prefix}${old.kind === 'say' ? 'text' : 'confirmation text'} changed: ${quote(old.text)} → ${quote(next.text)}`,
        );
      break;
    }
    case 'call': {
      const next = now as typeof old;
      if (old.tool !== next.tool) out.push(`${prefix}tool changed: @${old.tool} → @${next.tool}`);
      else if (argsText(old.args) !== argsText(next.args))
        out.push(
          `${prefix}arguments of @${old.tool} changed: (${argsText(old.args)}) → (${argsText(next.args)})`,
        );
      break;
    }
    case 'ask': {
      const next = now as typeof old;
      if (askText(old) !== askText(next)) out.push(`${prefix}${askText(old)} → ${askText(next)}`);
      break;
    }
    case 'escalate': {
      const next = now as typeof old;
      if (old.reason !== next.reason)
        out.push(`${prefix}escalation reason changed: ${quote(old.reason)} → ${quote(next.reason)}`);
      break;
    }
    case 'goto':
    case 'follow':
    case 'unknown':
    case 'end':
      if (summary([old]) !== summary([now])) out.push(`${prefix}${summary([old])} → ${summary([now])}`);
      break;
    case 'if': {
      const next = now as typeof old;
      const count = Math.max(old.branches.length, next.branches.length);
      for (let index = 0; index < count; index++) {
        const a = old.branches[index];
        const b = next.branches[index];
        if (!b) out.push(`${prefix}branch removed: if ${condition(a!.when)}`);
        else if (!a) out.push(`${prefix}branch added: if ${condition(b.when)}: ${summary(b.then)}`);
        else {
          const was = condition(a.when);
          const is = condition(b.when);
          if (was !== is) out.push(`${prefix}condition changed: ${was} → ${is}`);
          out.push(...actionsChange(a.then, b.then, `${prefix}if ${is}: `));
        }
      }
      if (old.otherwise && !next.otherwise) out.push(`${prefix}otherwise branch removed`);
      else if (!old.otherwise && next.otherwise)
        out.push(`${prefix}otherwise branch added: ${summary(next.otherwise)}`);
      else if (old.otherwise && next.otherwise)
        out.push(...actionsChange(old.otherwise, next.otherwise, `${prefix}otherwise: `));
      break;
    }
  }
  return out;
}

/** One line for a list of actions, e.g. `calls @get_order_details; if order was not found: says "…"`. */
export function summary(actions: readonly Action[]): string {
  return actions.map(actionText).join('; ') || 'nothing';
}

function actionText(action: Action): string {
  switch (action.kind) {
    case 'ask':
      return askText(action);
    case 'call':
      return `calls @${action.tool}(${argsText(action.args)})`;
    case 'say':
      return `says ${quote(action.text)}`;
    case 'confirm':
      return `asks to confirm ${quote(action.text)}`;
    case 'escalate':
      return `escalates (${action.reason})`;
    case 'end':
      return 'ends';
    case 'goto':
      return `goes back to step ${action.targetText}${action.max ? ` (at most ${action.max} times)` : ''}`;
    case 'follow':
      return `follows @${action.aop}`;
    case 'compute':
      return `works out ${action.name} as ${quote(action.phrase)}`;
    case 'if':
      return [
        ...action.branches.map((branch) => `if ${condition(branch.when)}: ${summary(branch.then)}`),
        ...(action.otherwise ? [`otherwise: ${summary(action.otherwise)}`] : []),
      ].join('; ');
    case 'unknown':
      return `(not understood) ${quote(action.text)}`;
  }
}

function askText(action: Extract<Action, { kind: 'ask' }>): string {
  const allowed = action.slots.flatMap((slot) => slot.allowed ?? []);
  return `asks for ${action.groups.map((group) => group.join(' + ')).join(' or ')}${
    allowed.length > 0 ? ` (allowed: ${allowed.map((value) => JSON.stringify(value)).join(', ')})` : ''
  }`;
}

function argsText(args: Record<string, Argument>): string {
  return Object.entries(args)
    .map(
      ([name, arg]) =>
        `${name} ← ${arg.source === 'fact' ? refText(arg.ref) : arg.source === 'literal' ? JSON.stringify(arg.value) : 'missing'}`,
    )
    .join(', ');
}

function refText(ref: FactRef): string {
  return [ref.fact ?? ref.phrase, ...ref.path].join('.');
}

function quote(text: string): string {
  return JSON.stringify(text.length > 160 ? `${text.slice(0, 157)}...` : text);
}
