import { validateAsl } from '../asl/validator.ts';
import { type Diagnostic, DiagnosticCodes, error, type Span } from './diagnostics.ts';
import type { AslDefinition, AslState } from './lower.ts';

/**
 * Step 5 of the pipeline: never hand out a definition that was not checked. The generated ASL must
 * pass asl-validator (its checks, on a schema compiled once per process: shared/asl/validator.ts),
 * every `Next`/`Default` must name a state, every state must be reachable from `StartAt`, every state
 * must be able to reach a terminal state, and the machine must fit the Step Functions quotas. A
 * failure here is a compiler bug or a quota problem, reported as a diagnostic.
 */

/** Step Functions quotas: 1 MB definition (UTF-8), 80-character state names. */
export const LIMITS = {
  definitionBytes: 1_048_576,
  stateNameLength: 80,
  /** Not an AWS quota: a platform cap that keeps a procedure reviewable and well under the size quota. */
  states: 2_000,
} as const;

export function selfCheck(
  definition: AslDefinition,
  span: Span,
  limits: Partial<Record<keyof typeof LIMITS, number>> = {},
): Diagnostic[] {
  const limit = { ...LIMITS, ...limits };
  const diagnostics: Diagnostic[] = [];
  const json = JSON.stringify(definition);
  const bytes = Buffer.byteLength(json, 'utf8');
  const stateCount = Object.keys(definition.States).length;
  if (bytes > limit.definitionBytes) {
    diagnostics.push(
      error(
        DiagnosticCodes.overLimits,
        span,
        `The compiled state machine is ${bytes} bytes; Step Functions accepts at most ${limit.definitionBytes}.`,
        'Split the procedure into sub-procedures or shorten its texts.',
      ),
    );
  }
  if (stateCount > limit.states) {
    diagnostics.push(
      error(
        DiagnosticCodes.overLimits,
        span,
        `The compiled state machine has ${stateCount} states; the platform allows at most ${limit.states}.`,
        'Split the procedure into smaller procedures.',
      ),
    );
  }
  for (const name of Object.keys(definition.States)) {
    if (name.length > limit.stateNameLength) {
      diagnostics.push(
        error(
          DiagnosticCodes.overLimits,
          span,
          `State name "${name}" is ${name.length} characters; Step Functions allows ${limit.stateNameLength}.`,
          'Give the step a shorter explicit id with {#id}.',
        ),
      );
    }
  }
  // Validate what Step Functions will receive: the definition after CloudFormation substitutes
  // `${XxxFunctionArn}` with real ARNs (asl-validator rejects a placeholder as a Resource).
  const substituted = JSON.parse(
    json.replace(/\$\{([A-Za-z]+)FunctionArn\}/g, 'arn:aws:lambda:us-east-1:123456789012:function:$1'),
  );
  const validation = validateAsl(substituted, { checkPaths: true, checkArn: true });
  if (!validation.isValid) {
    for (const problem of validation.errors.slice(0, 10)) {
      diagnostics.push(
        error(
          DiagnosticCodes.invalidDefinition,
          span,
          `Generated ASL is invalid: ${problem.Message}`,
          'This is a compiler defect; please report it with the procedure.',
        ),
      );
    }
  }
  diagnostics.push(...graphChecks(definition, span));
  return diagnostics;
}

function successors(state: AslState): string[] {
  const next: string[] = [];
  if (typeof state.Next === 'string') next.push(state.Next);
  if (typeof state.Default === 'string') next.push(state.Default);
  for (const choice of (state.Choices as { Next?: string }[] | undefined) ?? [])
    if (choice.Next) next.push(choice.Next);
  for (const handler of (state.Catch as { Next?: string }[] | undefined) ?? [])
    if (handler.Next) next.push(handler.Next);
  return next;
}

function isTerminal(state: AslState): boolean {
  return state.Type === 'Succeed' || state.Type === 'Fail' || state.End === true;
}

export function graphChecks(definition: AslDefinition, span: Span): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const names = new Set(Object.keys(definition.States));
  const defect = (message: string) =>
    error(
      DiagnosticCodes.invalidDefinition,
      span,
      message,
      'This is a compiler defect; please report it with the procedure.',
    );
  if (!names.has(definition.StartAt))
    diagnostics.push(defect(`StartAt "${definition.StartAt}" is not a state.`));
  for (const [name, state] of Object.entries(definition.States)) {
    for (const next of successors(state))
      if (!names.has(next))
        diagnostics.push(defect(`State "${name}" goes to "${next}", which does not exist.`));
    if (!isTerminal(state) && successors(state).length === 0)
      diagnostics.push(defect(`State "${name}" has no next state and is not terminal.`));
  }
  const seen = new Set<string>();
  const stack = [definition.StartAt];
  while (stack.length > 0) {
    const name = stack.pop()!;
    if (seen.has(name) || !names.has(name)) continue;
    seen.add(name);
    stack.push(...successors(definition.States[name]!));
  }
  for (const name of names)
    if (!seen.has(name))
      diagnostics.push(defect(`State "${name}" is unreachable from "${definition.StartAt}".`));
  // Backwards from terminals: every state must be able to finish.
  const finishes = new Set(
    Object.entries(definition.States)
      .filter(([, s]) => isTerminal(s))
      .map(([n]) => n),
  );
  let changed = true;
  while (changed) {
    changed = false;
    for (const [name, state] of Object.entries(definition.States)) {
      if (!finishes.has(name) && successors(state).some((next) => finishes.has(next))) {
        finishes.add(name);
        changed = true;
      }
    }
  }
  for (const name of names)
    if (!finishes.has(name)) diagnostics.push(defect(`State "${name}" can never reach a terminal state.`));
  return diagnostics;
}
