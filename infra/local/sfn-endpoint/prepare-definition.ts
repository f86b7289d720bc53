import { validateAsl } from '../../../shared/asl/validator.ts';
import { isJsonObject, type JsonObject, walkStates } from './asl-walk.ts';
import { SfnServiceError } from './errors.ts';
import { rewriteForLocalExecutor } from './local-rewrites.ts';
import { type DefinitionDiagnostic, LOCAL_SUPPORT_RULES } from './local-support-rules.ts';
import { bindTasks, type TaskBinding } from './task-bindings.ts';

/** How many diagnostics one InvalidDefinition message lists before it says how many more there are. */
const MAX_LISTED_DIAGNOSTICS = 50;

/** A definition that passed every check, ready to build an executor from. */
export interface PreparedDefinition {
  /** The definition exactly as the caller sent it (what DescribeStateMachine returns). */
  readonly source: string;
  /** The copy the local executor runs (see local-rewrites.ts). */
  readonly local: JsonObject;
  readonly tasks: readonly TaskBinding[];
  /** States with a `Retry` field and Wait states, by name: the executor's timing overrides use names. */
  readonly retryStateNames: readonly string[];
  readonly waitStateNames: readonly string[];
}

/**
 * Parse, validate (asl-validator, then the local-support rules, then Task bindings; every check runs
 * and all findings are reported), rewrite. Throws `InvalidDefinition` listing every diagnostic.
 */
export function prepareDefinition(source: string, functionArns: readonly string[]): PreparedDefinition {
  const definition = parseDefinition(source);
  const diagnostics = validateDefinition(definition);
  if (diagnostics.some(isSchemaFailure)) throw invalidDefinition(diagnostics);
  const { bindings, diagnostics: bindingDiagnostics } = bindTasks(definition, functionArns);
  diagnostics.push(...bindingDiagnostics);
  if (diagnostics.length > 0) throw invalidDefinition(diagnostics);
  const states = [...walkStates(definition)];
  return {
    source,
    local: rewriteForLocalExecutor(definition),
    tasks: bindings,
    retryStateNames: states.filter(({ state }) => Array.isArray(state.Retry)).map(({ name }) => name),
    waitStateNames: states.filter(({ state }) => state.Type === 'Wait').map(({ name }) => name),
  };
}

function parseDefinition(source: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    throw invalidDefinition([
      { code: 'INVALID_JSON_DESCRIPTION', message: (error as Error).message, pointer: '' },
    ]);
  }
  if (!isJsonObject(parsed)) {
    throw invalidDefinition([
      { code: 'INVALID_JSON_DESCRIPTION', message: 'The definition must be a JSON object', pointer: '' },
    ]);
  }
  return parsed;
}

/** asl-validator's findings, then the local-support rules' findings. */
export function validateDefinition(definition: JsonObject): DefinitionDiagnostic[] {
  // asl-validator's checks on a schema compiled once per process, not once per CreateStateMachine.
  const result = validateAsl(definition, { checkPaths: true, checkArn: true });
  const diagnostics: DefinitionDiagnostic[] = result.errors.map((error) => ({
    code: error['Error code'],
    message: error.Message,
    pointer: error.schemaError?.instancePath ?? '',
  }));
  // The local rules walk a structurally valid machine; on a schema failure their findings would be noise.
  if (diagnostics.some(isSchemaFailure)) return diagnostics;
  for (const rule of LOCAL_SUPPORT_RULES) diagnostics.push(...rule(definition));
  return diagnostics;
}

function isSchemaFailure({ code }: DefinitionDiagnostic): boolean {
  return code === 'SCHEMA_VALIDATION_FAILED';
}

export function invalidDefinition(diagnostics: readonly DefinitionDiagnostic[]): SfnServiceError {
  const listed = diagnostics
    .slice(0, MAX_LISTED_DIAGNOSTICS)
    .map(({ code, message, pointer }) => `'${code}: ${message}${pointer ? ` at ${pointer}` : ''}'`);
  const more = diagnostics.length - listed.length;
  return new SfnServiceError(
    'InvalidDefinition',
    `Invalid State Machine Definition: ${listed.join(', ')}${more > 0 ? ` (and ${more} more)` : ''}`,
  );
}
