import { parseArgs } from 'node:util';
import { eraseCustomer } from '../shared/privacy/erase.ts';
import { createDataKeyStore } from '../shared/privacy/key-store.ts';
import type { KeyWrapper } from '../shared/privacy/key-wrapper.ts';
import { type CliIo, CONNECTION_OPTIONS, connect, processIo } from './versions.ts';

/**
 * `aop erase <customer>` / `aop erase --conversation ID`: destroys the data keys of the customer's
 * conversations (or of one conversation, e.g. one where nobody was authenticated). Their customer text
 * and personal fields read as `[erased]` from then on; events and hash chains are untouched.
 */

export const ERASE_USAGE = `  erase <customer-id>              destroy the data keys of the customer's conversations (crypto-shredding);
  erase --conversation ID          or of one conversation; the hash chains still verify
`;

/** Erasing only deletes wrapped keys: it never needs to unwrap one. */
const NO_WRAPPING: KeyWrapper = {
  id: 'none',
  wrap: () => Promise.reject(new Error('aop erase never creates a data key')),
  unwrap: () => Promise.reject(new Error('aop erase never reads a data key')),
};

export async function runEraseCommand(args: string[], io: CliIo = processIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { ...CONNECTION_OPTIONS, conversation: { type: 'string' } },
  });
  const [customerId] = positionals;
  if ((customerId === undefined) === (values.conversation === undefined) || positionals.length > 1) {
    io.err('aop erase: give one customer id (e.g. aop erase sara_doe_496) or --conversation ID\n');
    return 2;
  }
  const connection = connect(values, io.cwd);
  try {
    const keys = createDataKeyStore({
      client: connection.dynamodb,
      tableName: connection.keysTable,
      wrapper: NO_WRAPPING,
    });
    if (values.conversation) {
      await keys.eraseConversation(values.conversation);
      io.out(`Erased conversation ${values.conversation}: its customer data now reads as [erased].\n`);
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
