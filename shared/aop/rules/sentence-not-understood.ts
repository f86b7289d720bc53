import { DiagnosticCodes, error } from '../diagnostics.ts';
import { aopActions } from '../graph.ts';
import type { Rule } from './rule.ts';

export const UNDERSTOOD_FORMS = [
  'Ask for the <fact>[, <fact> and <fact>][, choosing from <fact>].',
  'Look up / do … with @tool_name[(arg: fact.path, arg2: "literal")].',
  'Follow @other-procedure.',
  'Tell the customer "exact words" / Say <paraphrase>.',
  'Explain … and ask the customer to confirm. / Confirm with the customer: "…".',
  'If <condition>, <actions>. / Otherwise, <actions>.',
  'Go back to step N (at most K times).',
  'Escalate to a human [because …].',
  'End.',
];

export const sentenceNotUnderstood: Rule = {
  name: 'sentence-not-understood',
  check({ aop }) {
    return [...aopActions(aop)].flatMap(({ action }) =>
      action.kind === 'unknown'
        ? [
            error(
              DiagnosticCodes.sentenceNotUnderstood,
              action.span,
              `This sentence is not one the compiler understands: "${action.text}".`,
              `Rewrite it as one of: ${UNDERSTOOD_FORMS.join(' | ')} (see docs/aop-language.md).`,
            ),
          ]
        : [],
    );
  },
};
