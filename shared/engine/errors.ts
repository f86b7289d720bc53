import { ASL_ERRORS } from '../aop/error-names.ts';

/** The conversation id names no conversation of this tenant. Maps to HTTP 404. */
export class ConversationNotFoundError extends Error {
  override readonly name = 'ConversationNotFoundError';
  constructor(readonly conversationId: string) {
    super(`No conversation "${conversationId}" exists.`);
  }
}
export const isConversationNotFoundError = (error: unknown): error is ConversationNotFoundError =>
  error instanceof Error && error.name === 'ConversationNotFoundError';

/**
 * No message with this id was received in the conversation (the chat channel's `GET …/messages/{id}`).
 * Maps to HTTP 404.
 */
export class MessageNotFoundError extends Error {
  override readonly name = 'MessageNotFoundError';
  constructor(
    readonly conversationId: string,
    readonly messageId: string,
  ) {
    super(`Conversation "${conversationId}" received no message "${messageId}".`);
  }
}
export const isMessageNotFoundError = (error: unknown): error is MessageNotFoundError =>
  error instanceof Error && error.name === 'MessageNotFoundError';

/**
 * A run-time guard refused an action that a person may still approve: a write that would refund more
 * than the tenant's cap (`limits.refundCapUsd`). Thrown by `runTool` before anything is recorded and
 * named for the ASL (shared/aop/error-names.ts): no `Retry` names it, so `System.Failed` catches it
 * and the hand-off records the message as its reason.
 */
export class GuardRefusedError extends Error {
  override readonly name = ASL_ERRORS.guardRefused;
  constructor(
    readonly tool: string,
    readonly guard: string,
    reason: string,
  ) {
    super(reason);
  }
}
export const isGuardRefusedError = (error: unknown): error is GuardRefusedError =>
  error instanceof Error && error.name === ASL_ERRORS.guardRefused;

/** A tool's integration failed for no business reason (timeout, 5xx): retried by every step's `Retry`. */
export class ToolUnavailable extends Error {
  override readonly name = ASL_ERRORS.toolUnavailable;
}
