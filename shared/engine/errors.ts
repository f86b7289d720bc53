/** The conversation id names no conversation of this tenant. Maps to HTTP 404. */
export class ConversationNotFoundError extends Error {
  override readonly name = 'ConversationNotFoundError';
  constructor(readonly conversationId: string) {
    super(`No conversation "${conversationId}" exists.`);
  }
}
export const isConversationNotFoundError = (error: unknown): error is ConversationNotFoundError =>
  error instanceof Error && error.name === 'ConversationNotFoundError';

/** The conversation stayed locked by another turn for longer than a turn may take. Maps to HTTP 409/503. */
export class ConversationBusyError extends Error {
  override readonly name = 'ConversationBusyError';
  constructor(
    readonly conversationId: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Conversation "${conversationId}" is busy with another turn; retry with the same messageId.`,
      options,
    );
  }
}
export const isConversationBusyError = (error: unknown): error is ConversationBusyError =>
  error instanceof Error && error.name === 'ConversationBusyError';
