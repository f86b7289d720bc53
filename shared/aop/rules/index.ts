import { argumentsRule } from './arguments.ts';
import { choicesCannotBeShown } from './choices-cannot-be-shown.ts';
import { conditionTypes } from './condition-types.ts';
import { duplicateStepId } from './duplicate-step-id.ts';
import { factUsedBeforeKnown } from './fact-used-before-known.ts';
import { guardNotSatisfied } from './guard-not-satisfied.ts';
import { offersDoNotFit } from './offers-do-not-fit.ts';
import { pathWithoutEnd } from './path-without-end.ts';
import { routingOverlap } from './routing-overlap.ts';
import type { Rule } from './rule.ts';
import { sentenceNotUnderstood } from './sentence-not-understood.ts';
import { subprocedures } from './subprocedures.ts';
import { toolNotAllowed } from './tool-not-allowed.ts';
import { unboundedLoop } from './unbounded-loop.ts';
import { unknownFact } from './unknown-fact.ts';
import { unknownStep } from './unknown-step.ts';
import { unknownTool } from './unknown-tool.ts';
import { unreachableStep } from './unreachable-step.ts';
import { valueNotAllowed } from './value-not-allowed.ts';
import { variantsCannotBeShown } from './variants-cannot-be-shown.ts';
import { writeWithoutConfirmation } from './write-without-confirmation.ts';

export type { Rule, RuleContext } from './rule.ts';
export { UNDERSTOOD_FORMS } from './sentence-not-understood.ts';

/** Every rule runs on every procedure; the limits rule runs on the generated ASL (see self-check.ts). */
export const RULES: readonly Rule[] = [
  sentenceNotUnderstood,
  unknownTool,
  toolNotAllowed,
  unknownFact,
  argumentsRule,
  factUsedBeforeKnown,
  writeWithoutConfirmation,
  guardNotSatisfied,
  unreachableStep,
  pathWithoutEnd,
  unboundedLoop,
  duplicateStepId,
  subprocedures,
  unknownStep,
  valueNotAllowed,
  conditionTypes,
  choicesCannotBeShown,
  offersDoNotFit,
  variantsCannotBeShown,
  routingOverlap,
];
