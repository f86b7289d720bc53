/**
 * The error names that cross from a step's Lambda into the compiled ASL. Step Functions matches a
 * `Retry` or `Catch` on the thrown error's `name` (the Lambda runtime's `errorType`), so the thrower
 * and the lowering must agree letter for letter: both import these constants, never a string literal
 * (shared/model/errors.ts, shared/engine/errors.ts and steps.ts throw them; lower.ts retries on them).
 * A name here is public contract: renaming one changes every compiled state machine.
 */
export const ASL_ERRORS = {
  /**
   * A tool's integration failed for no business reason (timeout, 5xx, unreachable). Retried; once
   * the retries are spent the turn hands over with the error as its reason. Thrown by `runTool`.
   */
  toolUnavailable: 'ToolUnavailable',
  /**
   * The model was throttled, timed out or could not be reached: a retry can cure it. Retried; once
   * the retries are spent the turn hands over. Thrown by the model client (`ModelError`, retryable).
   */
  modelUnavailable: 'ModelUnavailable',
  /**
   * A model call that a retry cannot cure (a malformed request, an answer without the understanding
   * tool call, a model id the service refuses). Not retried: the turn hands over with its reason.
   */
  modelFailed: 'ModelError',
  /**
   * A run-time guard refused an action that a person may still approve (a refund over the tenant's
   * cap). Not retried: the turn hands over with the guard's reason. Thrown by `runTool`.
   */
  guardRefused: 'GuardRefused',
  /** The `Fail` state's error when the turn failed and the hand-off to a human failed too. */
  turnFailed: 'TurnFailed',
} as const;

export type AslErrorName = (typeof ASL_ERRORS)[keyof typeof ASL_ERRORS];

/** Errors the Lambda service itself reports for an invocation that may succeed when tried again. */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
] as const;

/** What every step's `Retry` retries: outages of our integrations and of the Lambda service. */
export const RETRYABLE_ERRORS: readonly string[] = [
  ASL_ERRORS.toolUnavailable,
  ASL_ERRORS.modelUnavailable,
  ...LAMBDA_SERVICE_ERRORS,
];

/** A step error as a `Catch` with `ResultPath: '$.error'` leaves it in the state. */
export interface CaughtError {
  readonly Error?: string;
  readonly Cause?: string;
}

/**
 * The message of a caught error: a Lambda's `Cause` is the runtime's JSON error document
 * (`{ errorType, errorMessage, trace }`); anything else is taken as it is.
 */
export function caughtMessage(error: CaughtError): string {
  const cause = error.Cause ?? '';
  try {
    const document: unknown = JSON.parse(cause);
    if (document && typeof document === 'object' && 'errorMessage' in document)
      return String((document as { errorMessage: unknown }).errorMessage);
  } catch {
    // Not a JSON error document: the cause is the message.
  }
  return cause;
}
