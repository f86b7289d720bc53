/** Runtime errors of conversation rewind; each says what was asked and what to do instead. */

/** The conversation does not exist, or SEQ is not a position in it. */
export class InvalidRewindError extends Error {
  override readonly name = 'InvalidRewindError';
  readonly conversationId: string;
  readonly toSeq: number;

  constructor(props: { readonly conversationId: string; readonly toSeq: number; readonly reason: string }) {
    super(`Cannot rewind conversation "${props.conversationId}" to seq ${props.toSeq}: ${props.reason}`);
    this.conversationId = props.conversationId;
    this.toSeq = props.toSeq;
  }
}

export const isInvalidRewindError = (error: unknown): error is InvalidRewindError =>
  error instanceof Error && error.name === 'InvalidRewindError';

/** A turn holds the conversation: undoing its actions under it would race the turn's own writes. */
export class RewindBusyError extends Error {
  override readonly name = 'RewindBusyError';
  readonly conversationId: string;

  constructor(conversationId: string) {
    super(
      `Conversation "${conversationId}" is running a turn; rewind it when the turn has ended (run the command again).`,
    );
    this.conversationId = conversationId;
  }
}

export const isRewindBusyError = (error: unknown): error is RewindBusyError =>
  error instanceof Error && error.name === 'RewindBusyError';
