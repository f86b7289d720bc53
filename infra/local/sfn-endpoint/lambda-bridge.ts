import type { TaskBinding } from './task-bindings.ts';

/** An in-process stand-in for a deployed Lambda function: the handler, given the event. */
export type LambdaHandler = (event: unknown) => Promise<unknown>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * A function error as Step Functions sees it. The executor matches `Retry`/`Catch` `ErrorEquals`
 * against `error.name`, and reports `error.message` as the cause; AWS reports the Lambda runtime's
 * `errorType` (the thrown error's `name`) as the error and the runtime's JSON error document as the
 * cause. So a handler throwing an error named `ToolUnavailable` is caught by
 * `ErrorEquals: ["ToolUnavailable"]`, with the same Cause text a deployed function would give.
 */
export class LambdaFunctionError extends Error {
  override readonly name: string;
  constructor(errorType: string, causeDocument: string, options?: { cause?: unknown }) {
    super(causeDocument, options);
    this.name = errorType;
  }
}

/** The task handler the executor calls for one bound Task state. */
export function taskHandlerFor(
  binding: TaskBinding,
  lookup: (functionArn: string) => LambdaHandler,
): (input: Json) => Promise<Json> {
  return async function invokeLocalLambda(input) {
    const event = binding.integration === 'lambda-invoke' ? invokePayload(input) : input;
    const payload = await invoke(lookup(binding.functionArn), event);
    return binding.integration === 'lambda-invoke' ? invokeResponse(payload) : payload;
  };
}

async function invoke(handler: LambdaHandler, event: Json): Promise<Json> {
  try {
    // Events and results cross a serialisation boundary in AWS; copying keeps handlers from sharing
    // objects with the executor and drops what JSON cannot carry (undefined, functions, Date objects).
    const result = await handler(JSON.parse(JSON.stringify(event)));
    return result === undefined ? null : (JSON.parse(JSON.stringify(result)) as Json);
  } catch (error) {
    throw toFunctionError(error);
  }
}

function invokePayload(input: Json): Json {
  const payload =
    typeof input === 'object' && input !== null && !Array.isArray(input) ? input.Payload : undefined;
  // Invoke without a payload delivers an empty object.
  return payload === undefined ? {} : payload;
}

/** The shape `arn:aws:states:::lambda:invoke` returns: the function result sits under `Payload`. */
function invokeResponse(payload: Json): Json {
  const requestId = crypto.randomUUID();
  return {
    ExecutedVersion: '$LATEST',
    Payload: payload,
    SdkHttpMetadata: {
      HttpHeaders: {
        'Content-Type': 'application/json',
        'X-Amz-Executed-Version': '$LATEST',
        'x-amzn-RequestId': requestId,
      },
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/** Mirrors the Node.js Lambda runtime's error document: `{ errorType, errorMessage, trace }`. */
export function toFunctionError(thrown: unknown): LambdaFunctionError {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  const errorType = error.name || 'Error';
  const document = {
    errorType,
    errorMessage: error.message,
    trace: (error.stack ?? '').split('\n'),
  };
  return new LambdaFunctionError(errorType, JSON.stringify(document), { cause: thrown });
}
