import {
  type ExpressionSite,
  isJsonObject,
  type JsonObject,
  mapStateExpressions,
  type VisitedState,
  walkStates,
} from './asl-walk.ts';
import { IntrinsicSyntaxError, intrinsicPaths, isIntrinsicExpression, parseIntrinsic } from './intrinsics.ts';

/**
 * Rules for what the local executor (aws-local-stepfunctions 3.0.0) runs faithfully. A definition
 * that AWS accepts but the executor would silently run differently is refused here, with a
 * diagnostic that says why, instead of being executed wrongly. Every rule runs; all findings return.
 */

export interface DefinitionDiagnostic {
  /** Stable code: asl-validator's codes (e.g. `SCHEMA_VALIDATION_FAILED`) or `LOCAL_*` from these rules. */
  readonly code: string;
  readonly message: string;
  /** JSON pointer into the definition, e.g. `/States/Lookup/Resource`. */
  readonly pointer: string;
}

export type DefinitionRule = (definition: JsonObject) => DefinitionDiagnostic[];

const JSONATA_ONLY_FIELDS = ['Arguments', 'Output', 'Items'] as const;
const DISTRIBUTED_MAP_FIELDS = [
  'ItemReader',
  'ItemBatcher',
  'ResultWriter',
  'ToleratedFailureCount',
  'ToleratedFailureCountPath',
  'ToleratedFailurePercentage',
  'ToleratedFailurePercentagePath',
  'Label',
] as const;

/** JSONata expressions are not evaluated by the executor (DESIGN.md decision 2: JSONPath only). */
export function jsonataIsNotSupported(definition: JsonObject): DefinitionDiagnostic[] {
  const found: DefinitionDiagnostic[] = [];
  if (definition.QueryLanguage === 'JSONata') found.push(jsonata('/QueryLanguage'));
  for (const { state, pointer } of walkStates(definition)) {
    if (state.QueryLanguage === 'JSONata') found.push(jsonata(`${pointer}/QueryLanguage`));
    for (const field of JSONATA_ONLY_FIELDS) {
      if (field in state) {
        found.push({
          code: 'LOCAL_JSONATA_FIELD',
          message: `'${field}' belongs to JSONata mode, which the local executor does not run; use JSONPath fields (Parameters, OutputPath, ItemsPath)`,
          pointer: `${pointer}/${field}`,
        });
      }
    }
  }
  return found;
}

function jsonata(pointer: string): DefinitionDiagnostic {
  return {
    code: 'LOCAL_JSONATA',
    message:
      "QueryLanguage 'JSONata' is not run by the local executor; write the definition in JSONPath mode",
    pointer,
  };
}

/** `Assign` (workflow variables) is ignored by the executor, so `$name` reads would fail or mislead. */
export function variablesAreNotSupported(definition: JsonObject): DefinitionDiagnostic[] {
  const found: DefinitionDiagnostic[] = [];
  for (const { state, pointer } of walkStates(definition)) {
    if ('Assign' in state) found.push(assign(`${pointer}/Assign`));
    if (Array.isArray(state.Catch)) {
      state.Catch.forEach((catcher, index) => {
        if (isJsonObject(catcher) && 'Assign' in catcher)
          found.push(assign(`${pointer}/Catch/${index}/Assign`));
      });
    }
    if (Array.isArray(state.Choices)) {
      state.Choices.forEach((rule, index) => {
        if (isJsonObject(rule) && 'Assign' in rule) found.push(assign(`${pointer}/Choices/${index}/Assign`));
      });
    }
  }
  return found;
}

function assign(pointer: string): DefinitionDiagnostic {
  return {
    code: 'LOCAL_VARIABLES',
    message:
      "'Assign' (workflow variables) is ignored by the local executor; carry data in the state input with ResultPath",
    pointer,
  };
}

/** Distributed Map reads items from S3 and runs child executions; the executor only runs inline Map. */
export function distributedMapIsNotSupported(definition: JsonObject): DefinitionDiagnostic[] {
  const found: DefinitionDiagnostic[] = [];
  for (const { state, pointer } of walkStates(definition)) {
    if (state.Type !== 'Map') continue;
    for (const field of DISTRIBUTED_MAP_FIELDS) {
      if (field in state) {
        found.push({
          code: 'LOCAL_DISTRIBUTED_MAP',
          message: `'${field}' is a Distributed Map field; the local executor runs inline Map only`,
          pointer: `${pointer}/${field}`,
        });
      }
    }
    const processor = state.ItemProcessor;
    const config = isJsonObject(processor) ? processor.ProcessorConfig : undefined;
    if (isJsonObject(config) && config.Mode === 'DISTRIBUTED') {
      found.push({
        code: 'LOCAL_DISTRIBUTED_MAP',
        message: "ProcessorConfig.Mode 'DISTRIBUTED' is not run locally; use Mode 'INLINE'",
        pointer: `${pointer}/ItemProcessor/ProcessorConfig/Mode`,
      });
    }
  }
  return found;
}

/**
 * `$$.State.*` is empty in the executor and `$$.Task.Token` only exists for callback tasks, which the
 * endpoint does not run. Intrinsic expressions are parsed here too, so syntax errors surface at create.
 */
export function contextFieldsAreProvided(definition: JsonObject): DefinitionDiagnostic[] {
  const found: DefinitionDiagnostic[] = [];
  const inspect = (expression: string, site: ExpressionSite): string => {
    for (const path of pathsOf(expression, site, found)) {
      const missing = /^\$\$\.(State|Task)(?=$|[.[])/.exec(path)?.[1];
      if (missing) {
        found.push({
          code: 'LOCAL_CONTEXT_FIELD',
          message: `'${path}' reads $$.${missing}, which the local executor does not provide`,
          pointer: site.pointer,
        });
      }
    }
    return expression;
  };
  for (const visited of walkStates(definition)) mapStateExpressions(copyOf(visited), inspect);
  return found;
}

function pathsOf(expression: string, site: ExpressionSite, found: DefinitionDiagnostic[]): string[] {
  if (site.kind === 'path' || !isIntrinsicExpression(expression)) return [expression];
  try {
    return intrinsicPaths(parseIntrinsic(expression));
  } catch (error) {
    if (!(error instanceof IntrinsicSyntaxError)) throw error;
    found.push({ code: 'LOCAL_INTRINSIC_SYNTAX', message: error.message, pointer: site.pointer });
    return [];
  }
}

/** Inspection must not change the definition it reads. */
function copyOf(visited: VisitedState): VisitedState {
  return { ...visited, state: structuredClone(visited.state) };
}

/**
 * The executor writes `ResultPath` by splitting it on dots after stripping a leading `$.`; a path
 * that starts with a bracket (`$['a']`) would be written under a key named `$`.
 */
export function resultPathsAreDotted(definition: JsonObject): DefinitionDiagnostic[] {
  const found: DefinitionDiagnostic[] = [];
  const check = (value: unknown, pointer: string) => {
    if (typeof value === 'string' && value.startsWith('$[')) {
      found.push({
        code: 'LOCAL_RESULT_PATH',
        message: `ResultPath '${value}' starts with a bracket, which the local executor writes wrongly; write it as $.field`,
        pointer,
      });
    }
  };
  for (const { state, pointer } of walkStates(definition)) {
    check(state.ResultPath, `${pointer}/ResultPath`);
    if (Array.isArray(state.Catch)) {
      state.Catch.forEach((catcher, index) => {
        if (isJsonObject(catcher)) check(catcher.ResultPath, `${pointer}/Catch/${index}/ResultPath`);
      });
    }
  }
  return found;
}

/** The executor treats a falsy Pass `Result` (false, 0, "", null) as absent and passes the input on. */
export function passResultsAreTruthy(definition: JsonObject): DefinitionDiagnostic[] {
  const found: DefinitionDiagnostic[] = [];
  for (const { state, pointer } of walkStates(definition)) {
    if (state.Type === 'Pass' && 'Result' in state && !state.Result) {
      found.push({
        code: 'LOCAL_PASS_FALSY_RESULT',
        message: `Pass Result ${JSON.stringify(state.Result)} would be ignored by the local executor (it passes the input on); wrap it in an object`,
        pointer: `${pointer}/Result`,
      });
    }
  }
  return found;
}

/** `ErrorPath`/`CausePath` may hold intrinsic functions in AWS; the executor evaluates them as paths only. */
export function failPathsArePaths(definition: JsonObject): DefinitionDiagnostic[] {
  const found: DefinitionDiagnostic[] = [];
  for (const { state, pointer } of walkStates(definition)) {
    if (state.Type !== 'Fail') continue;
    for (const field of ['ErrorPath', 'CausePath'] as const) {
      const value = state[field];
      if (typeof value === 'string' && isIntrinsicExpression(value)) {
        found.push({
          code: 'LOCAL_FAIL_INTRINSIC',
          message: `${field} with an intrinsic function is not evaluated by the local executor; compute the value in a Pass state first`,
          pointer: `${pointer}/${field}`,
        });
      }
    }
  }
  return found;
}

export const LOCAL_SUPPORT_RULES: readonly DefinitionRule[] = [
  jsonataIsNotSupported,
  variablesAreNotSupported,
  distributedMapIsNotSupported,
  contextFieldsAreProvided,
  resultPathsAreDotted,
  passResultsAreTruthy,
  failPathsArePaths,
];
