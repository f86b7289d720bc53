/**
 * Errors the local endpoint answers with. They carry the exception names of the real Step Functions
 * API so that `@aws-sdk/client-sfn` rebuilds its own typed exceptions (`StateMachineDoesNotExist`,
 * `InvalidDefinition`, ...) from our responses, exactly as it does against AWS.
 */

/** Exception names of the Step Functions API that this endpoint can answer with. */
export type SfnExceptionName =
  | 'ConflictException'
  | 'ExecutionAlreadyExists'
  | 'ExecutionDoesNotExist'
  | 'InvalidArn'
  | 'InvalidDefinition'
  | 'InvalidExecutionInput'
  | 'InvalidName'
  | 'MissingRequiredParameter'
  | 'ResourceNotFound'
  | 'StateMachineAlreadyExists'
  | 'StateMachineDoesNotExist'
  | 'StateMachineTypeNotSupported'
  | 'ValidationException';

/** Protocol-level errors are answered by the service framework, not by Step Functions itself. */
export type ProtocolExceptionName = 'UnknownOperationException' | 'SerializationException';

export class SfnServiceError extends Error {
  override readonly name = 'SfnServiceError';
  constructor(
    /** The exception name the SDK maps to its typed exception class. */
    readonly type: SfnExceptionName | ProtocolExceptionName,
    message: string,
    /** Extra members of the exception shape, e.g. `reason` or `resourceName`. */
    readonly members: Readonly<Record<string, string>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The JSON 1.0 `__type`: the namespace real responses use, then `#`, then the exception name. */
  get wireType(): string {
    const namespace =
      this.type === 'UnknownOperationException' || this.type === 'SerializationException'
        ? 'com.amazon.coral.service'
        : 'com.amazonaws.swf.service.v2.model';
    return `${namespace}#${this.type}`;
  }
}

export function isSfnServiceError(error: unknown): error is SfnServiceError {
  return error instanceof Error && error.name === 'SfnServiceError';
}
