import { createRequire } from 'node:module';

/**
 * asl-validator@4's checks, with its JSON-schema validator compiled once per process.
 *
 * The library's default export builds a new Ajv instance and compiles its 15 schemas on every call:
 * 170–400 ms on a busy 2-core machine, for a validation that then takes well under a millisecond.
 * The compiler's self-check runs once per procedure and the local Step Functions endpoint once per
 * state machine it creates, so that compile was most of a procedure's compile time and of a local
 * platform's start. This module runs the same checks, in the same order, with the same findings
 * (test/asl/validator.test.ts compares it with the library on valid and broken definitions): the
 * schema check on a validator built from the library's own schemas and formats on first use, then the
 * library's own semantic checks, called as its `validator.js` calls them.
 *
 * It reaches into the library's `dist/` (no public export gives the compiled schema), so the version is
 * locked in package-lock.json and the comparison test fails loudly if an upgrade moves anything.
 */

export interface AslValidatorOptions {
  /** Check JSONPath / reference paths / payload templates. Default true. */
  readonly checkPaths?: boolean;
  /** Check that a Task's `Resource` is an ARN. Default true. */
  readonly checkArn?: boolean;
}

/** One finding, exactly as asl-validator reports it. */
export interface AslFinding {
  readonly 'Error code': string;
  readonly Message: string;
  readonly schemaError?: { readonly instancePath: string; readonly schemaPath: string };
}

export interface AslValidation {
  readonly isValid: boolean;
  readonly errors: readonly AslFinding[];
}

// The library's dependencies, resolved from the library itself so they are the copies it was built with.
const fromLibrary = createRequire(createRequire(import.meta.url).resolve('asl-validator'));

interface AjvError {
  readonly instancePath: string;
  readonly schemaPath: string;
  readonly keyword: string;
  readonly message?: string;
}
interface SchemaValidator {
  (data: unknown): boolean;
  errors?: AjvError[] | null;
}
interface Ajv {
  addFormat(name: string, format: (value: string) => boolean): unknown;
  getSchema(ref: string): SchemaValidator | undefined;
}
type AjvClass = new (options: { schemas: unknown[]; allowUnionTypes: boolean }) => Ajv;

interface StateEntry {
  readonly stateName: string;
  readonly state: Record<string, unknown>;
}
type Check = (definition: unknown, options: Required<AslValidatorOptions>) => AslFinding[];
type Checker = (entry: StateEntry) => AslFinding | null;
interface StateCheck {
  readonly filter: (entry: StateEntry) => boolean;
  readonly checker: Checker;
}
interface StateChecksModule {
  stateChecks(definition: unknown, options: unknown, checks: readonly StateCheck[]): AslFinding[];
  AtMostOne(spec: { props: string[]; errorCode: string; path?: string }): Checker;
  ExactlyOne(spec: { props: string[]; errorCode: string; path?: string }): Checker;
  IsTask: StateCheck['filter'];
  IsMap: StateCheck['filter'];
  IsWait: StateCheck['filter'];
  IsSucceed: StateCheck['filter'];
  IsFail: StateCheck['filter'];
  IsChoice: StateCheck['filter'];
}

const SCHEMA_NAMES = [
  'common',
  'paths',
  'jsonata',
  'choice',
  'fail',
  'parallel',
  'pass',
  'base-state-machine',
  'state-machine',
  'state',
  'succeed',
  'task',
  'wait',
  'map',
  'errors',
] as const;
const STATE_MACHINE_SCHEMA = 'http://asl-validator.cloud/state-machine.json#';
const SCHEMA_VALIDATION_FAILED = 'SCHEMA_VALIDATION_FAILED';

/** Counts the JSON-schema validators built in this process (what the "built once" test asserts). */
let built = 0;
const schemaValidators = new Map<string, SchemaValidator>();

export function schemaValidatorsBuilt(): number {
  return built;
}

/** A pure string format with its verdicts remembered (bounded: forgets all past 10,000 strings). */
function remembered(format: (value: string) => boolean): (value: string) => boolean {
  const verdicts = new Map<string, boolean>();
  return function rememberedFormat(value) {
    let verdict = verdicts.get(value);
    if (verdict === undefined) {
      if (verdicts.size >= 10_000) verdicts.clear();
      verdict = format(value);
      verdicts.set(value, verdict);
    }
    return verdict;
  };
}

/** The library's `jsonSchemaErrors`, minus the rebuild: one compiled validator per options pair. */
function schemaValidator({ checkPaths, checkArn }: Required<AslValidatorOptions>): SchemaValidator {
  const key = `${checkPaths}/${checkArn}`;
  const cached = schemaValidators.get(key);
  if (cached) return cached;
  const Ajv = (fromLibrary('ajv') as { default: AjvClass }).default;
  const addFormats = (fromLibrary('ajv-formats') as { default: (ajv: Ajv) => void }).default;
  const jsonata = fromLibrary('jsonata') as (expression: string) => unknown;
  const { registerAll } = fromLibrary('asl-path-validator') as {
    registerAll(ajv: Pick<Ajv, 'addFormat'>): void;
  };
  const { isArnFormatValid } = fromLibrary('./checks/formats') as {
    isArnFormatValid(value: string): boolean;
  };
  const ajv = new Ajv({
    schemas: SCHEMA_NAMES.map((name) => fromLibrary(`./schemas/${name}.json`)),
    allowUnionTypes: true,
  });
  addFormats(ajv);
  const isJsonata = (value: string): boolean => {
    const trimmed = value.trim();
    let expression = trimmed.startsWith('{%') ? trimmed.slice(2) : trimmed;
    expression = expression.endsWith('%}') ? expression.slice(0, -2) : expression;
    try {
      jsonata(expression);
      return true;
    } catch {
      return false;
    }
  };
  ajv.addFormat('jsonata_string', isJsonata);
  ajv.addFormat('maybe_jsonata_string', (value) => {
    const trimmed = value.trim();
    return trimmed.startsWith('{%') || trimmed.endsWith('%}') ? isJsonata(trimmed) : true;
  });
  // The path formats parse every path with a PEG parser, about three quarters of a validation; a
  // compiled machine repeats the same few dozen paths, so each verdict is remembered (they are pure).
  if (checkPaths) registerAll({ addFormat: (name, format) => ajv.addFormat(name, remembered(format)) });
  else
    for (const format of ['asl_path', 'asl_ref_path', 'asl_payload_template', 'asl_result_path'])
      ajv.addFormat(format, () => true);
  ajv.addFormat('asl_arn', checkArn ? isArnFormatValid : () => true);
  const validate = ajv.getSchema(STATE_MACHINE_SCHEMA);
  if (!validate) throw new Error(`asl-validator no longer provides the schema ${STATE_MACHINE_SCHEMA}`);
  built++;
  schemaValidators.set(key, validate);
  return validate;
}

/**
 * The library's choice among Ajv's errors (a `oneOf` reports a failure for every branch): the deepest
 * instance paths only, the `oneOf` error alone where there is one, no duplicates.
 */
function schemaFindings(definition: unknown, options: Required<AslValidatorOptions>): AslFinding[] {
  const validate = schemaValidator(options);
  if (validate(definition) || !validate.errors) return [];
  let selected: AjvError[] = [];
  let deepest = 0;
  for (const error of validate.errors) {
    const depth = error.instancePath.split('/').length;
    if (depth === deepest) selected.push(error);
    else if (depth > deepest) selected = [error];
    deepest = Math.max(deepest, depth);
  }
  const withOneOf = new Set(selected.filter((e) => e.keyword === 'oneOf').map((e) => e.instancePath));
  const findings = selected
    .filter((error) => error.keyword === 'oneOf' || !withOneOf.has(error.instancePath))
    .map((error) => ({
      'Error code': SCHEMA_VALIDATION_FAILED,
      Message: `${error.instancePath} is invalid. ${error.message ?? ''}`,
      schemaError: { instancePath: error.instancePath, schemaPath: decodeURIComponent(error.schemaPath) },
    }));
  return findings.filter(
    (finding, index) =>
      findings.findIndex(
        (other) =>
          other.schemaError.schemaPath === finding.schemaError.schemaPath &&
          other.schemaError.instancePath === finding.schemaError.instancePath,
      ) === index,
  );
}

let semantic: readonly Check[] | undefined;

/** The library's checks that run once the schema passes, its per-state checks last, as validator.js lists them. */
function semanticChecks() {
  if (semantic) return semantic;
  const check = (file: string, name: string) =>
    (fromLibrary(`./checks/${file}`) as Record<string, Check>)[name] as Check;
  const s = fromLibrary('./checks/state-checks') as StateChecksModule;
  const { StateMachineErrorCode: code } = fromLibrary('./types') as {
    StateMachineErrorCode: Record<string, string>;
  };
  const atMostOne = (props: string[], errorCode: string | undefined, path?: string) =>
    s.AtMostOne({ props, errorCode: errorCode as string, ...(path ? { path } : {}) });
  const exactlyOne = (props: string[], errorCode: string | undefined) =>
    s.ExactlyOne({ props, errorCode: errorCode as string });
  const notSucceedFailOrChoice = (entry: StateEntry) =>
    !(s.IsSucceed(entry) || s.IsFail(entry) || s.IsChoice(entry));
  const perState: readonly StateCheck[] = [
    { filter: s.IsTask, checker: atMostOne(['TimeoutSeconds', 'TimeoutSecondsPath'], code.TaskTimeoutError) },
    {
      filter: s.IsTask,
      checker: atMostOne(['HeartbeatSeconds', 'HeartbeatSecondsPath'], code.TaskHeartbeatError),
    },
    { filter: s.IsMap, checker: exactlyOne(['ItemProcessor', 'Iterator'], code.MapItemProcessorError) },
    { filter: s.IsMap, checker: atMostOne(['ItemSelector', 'Parameters'], code.MapItemSelectorError) },
    {
      filter: s.IsWait,
      checker: exactlyOne(['Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath'], code.WaitDurationError),
    },
    { filter: notSucceedFailOrChoice, checker: exactlyOne(['End', 'Next'], code.TerminalStateWithNextError) },
    {
      filter: s.IsMap,
      checker: atMostOne(
        ['ToleratedFailureCount', 'ToleratedFailureCountPath'],
        code.MapToleratedFailureError,
      ),
    },
    {
      filter: s.IsMap,
      checker: atMostOne(
        ['ToleratedFailurePercentage', 'ToleratedFailurePercentagePath'],
        code.MapToleratedFailureError,
      ),
    },
    {
      filter: s.IsMap,
      checker: atMostOne(['MaxConcurrency', 'MaxConcurrencyPath'], code.MapMaxConcurrencyError),
    },
    { filter: s.IsMap, checker: atMostOne(['Items', 'ItemsPath'], code.MapItemsError) },
    {
      filter: s.IsMap,
      checker: atMostOne(
        ['MaxItems', 'MaxItemsPath'],
        code.MapItemReaderMaxItemsError,
        '$.ItemReader.ReaderConfig',
      ),
    },
    {
      filter: s.IsMap,
      checker: atMostOne(
        ['MaxItemsPerBatch', 'MaxItemsPerBatchPath'],
        code.MapItemBatcherError,
        '$.ItemBatcher',
      ),
    },
    {
      filter: s.IsMap,
      checker: atMostOne(
        ['MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath'],
        code.MapItemBatcherError,
        '$.ItemBatcher',
      ),
    },
    { filter: s.IsFail, checker: atMostOne(['Cause', 'CausePath'], code.FailCauseProperty) },
    { filter: s.IsFail, checker: atMostOne(['Error', 'ErrorPath'], code.FailErrorProperty) },
  ];
  const checks = [
    check('missing-transition-target-errors', 'missingTransitionTargetErrors'),
    check('state-transitions-errors', 'stateTransitionsErrors'),
    check('duplicate-state-names-errors', 'duplicateStateNames'),
    check('missing-terminal-state-errors', 'missingTerminalStateErrors'),
    check('duplicate-payload-template-fields', 'mustNotHaveDuplicateFieldNamesAfterEvaluation'),
  ];
  if (checks.some((run) => typeof run !== 'function') || perState.some(({ checker }) => !checker))
    throw new Error('asl-validator no longer provides the checks this module calls; see its header');
  semantic = [...checks, (definition, options) => s.stateChecks(definition, options, perState)];
  return semantic;
}

/** Every state of every (nested) state machine: objects under a `States` key. */
function* statesObjects(value: unknown, underStates = false): Generator<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null) return;
  if (underStates) yield value as Record<string, unknown>;
  for (const [key, child] of Object.entries(value)) yield* statesObjects(child, key === 'States');
}

/**
 * What `asl-validator`'s default export returns, for a definition given as a JSON value. The
 * definition is not changed (the library writes a default `QueryLanguage` into every state; this
 * does so on a copy).
 */
export function validateAsl(definition: unknown, options: AslValidatorOptions = {}): AslValidation {
  const resolved = { checkPaths: options.checkPaths ?? true, checkArn: options.checkArn ?? true };
  const copy = structuredClone(definition) as { QueryLanguage?: string } | null;
  // A state machine's query language defaults to JSONPath; the schemas branch on each state's.
  const queryLanguage = copy?.QueryLanguage ?? 'JSONPath';
  for (const states of statesObjects(copy))
    for (const state of Object.values(states))
      if (
        typeof state === 'object' &&
        state !== null &&
        !(state as { QueryLanguage?: unknown }).QueryLanguage
      )
        (state as { QueryLanguage?: string }).QueryLanguage = queryLanguage;
  const errors = schemaFindings(copy, resolved);
  if (errors.length === 0) {
    for (const run of semanticChecks()) errors.push(...run(copy, resolved));
  }
  return { isValid: errors.length === 0, errors };
}
