import { createEventStore } from '../shared/events/store.ts';
import { eraseCustomer } from '../shared/privacy/erase.ts';
import { createDataKeyStore } from '../shared/privacy/key-store.ts';
import type { KeyWrapper } from '../shared/privacy/key-wrapper.ts';
import { resolveConversationId } from './conversation-id.ts';
import { type CliIo, CliUsageError, processIo } from './io.ts';
import { type ConnectionFlags, runAop } from './program.ts';
import { connect } from './versions.ts';

/**
 * `aop erase <customer>` / `aop erase --conversation ID`: destroys the data keys of the customer's
 * conversations (or of one conversation, e.g. one where nobody was authenticated). Their customer text
 * and personal fields read as `[erased]` from then on; events and hash chains are untouched. It never
 * says "Erased" about a key it did not destroy: an unknown or ambiguous id fails (exit 2), and so does
 * a conversation with no data key (its data is stored in the clear: nothing can be shredded).
 */

/** Erasing only deletes wrapped keys: it never needs to unwrap one. */
const NO_WRAPPING: KeyWrapper = {
  id: 'none',
  wrap: () => Promise.reject(new Error('aop erase never creates a data key')),
  unwrap: () => Promise.reject(new Error('aop erase never reads a data key')),
};

/** `aop erase …` with these arguments (as typed after `erase`). */
export function runEraseCommand(args: readonly string[], io: CliIo = processIo): Promise<number> {
  return runAop(['erase', ...args], { io });
}

export async function erase(
  customerId: string | undefined,
  flags: ConnectionFlags & { readonly conversation?: string | undefined },
  io: CliIo,
): Promise<number> {
  if ((customerId === undefined) === (flags.conversation === undefined))
    throw new CliUsageError('give one customer id (e.g. aop erase sara_doe_496) or --conversation ID');
  const connection = connect(flags, io.cwd ?? process.cwd());
  try {
    const keys = createDataKeyStore({
      client: connection.dynamodb,
      tableName: connection.keysTable,
      wrapper: NO_WRAPPING,
    });
    if (flags.conversation !== undefined) {
      const conversationId = await resolveConversationId(
        createEventStore({ client: connection.dynamodb, tableName: connection.eventsTable }),
        flags.conversation,
        connection.eventsTable,
      );
      // A live key cannot be unwrapped without the master key (NO_WRAPPING): that refusal means "active".
      const before = await keys.keyOf(conversationId).catch(() => undefined);
      if (before?.state === 'none')
        throw new CliUsageError(
          `${conversationId} has no data key in ${connection.keysTable}: its customer data is not stored encrypted, so there is nothing to shred; nothing was erased`,
        );
      if (before?.state === 'erased') {
        io.out(`${conversationId} was erased already: its customer data reads as [erased].\n`);
        return 0;
      }
      await keys.eraseConversation(conversationId);
      io.out(`Erased conversation ${conversationId}: its customer data now reads as [erased].\n`);
      return 0;
    }
    const report = await eraseCustomer(keys, customerId!);
    if (report.conversations.length === 0) {
      io.out(
        `No conversation is linked to ${customerId} in ${connection.keysTable} (none, or erased already).\n`,
      );
      return 0;
    }
    io.out(
      `Erased ${customerId}: the data keys of ${report.conversations.length} conversation(s) are destroyed; their customer data now reads as [erased], and their hash chains still verify.\n`,
    );
    for (const conversationId of report.conversations) io.out(`  ${conversationId}\n`);
    return 0;
  } finally {
    connection.close();
  }
}
