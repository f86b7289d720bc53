/** Runtime errors of customer-data encryption and erasure. */

/**
 * The conversation's data key was destroyed (the customer was erased): nothing can be added to it,
 * because nothing added could ever be read. Start a new conversation instead.
 */
export class ConversationErasedError extends Error {
  override readonly name = 'ConversationErasedError';
  readonly conversationId: string;

  constructor(conversationId: string) {
    super(
      `Conversation "${conversationId}" was erased (its data key is destroyed); nothing more can be recorded in it. Start a new conversation.`,
    );
    this.conversationId = conversationId;
  }
}

export const isConversationErasedError = (error: unknown): error is ConversationErasedError =>
  error instanceof Error && error.name === 'ConversationErasedError';

/**
 * A data key exists but cannot be unwrapped: the master key is not the one it was wrapped with (another
 * machine's `.cache/local-master-key`, another KMS key). Nothing is shown as erased when it is not.
 */
export class DataKeyUnwrapError extends Error {
  override readonly name = 'DataKeyUnwrapError';
  readonly conversationId: string;

  constructor(conversationId: string, options?: { cause?: unknown }) {
    super(
      `The data key of conversation "${conversationId}" cannot be unwrapped with this master key; use the master key the platform that wrote it used.`,
      options,
    );
    this.conversationId = conversationId;
  }
}

export const isDataKeyUnwrapError = (error: unknown): error is DataKeyUnwrapError =>
  error instanceof Error && error.name === 'DataKeyUnwrapError';
