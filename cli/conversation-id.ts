import type { EventStore } from '../shared/events/store.ts';
import { CliUsageError } from './io.ts';

/**
 * The one rule every command that names a conversation follows: the full id, or a prefix that only
 * one conversation's id starts with (`aop rewind 3f17… --to 24`). Anything else is refused with what
 * was received and what to do, never guessed.
 */
export async function resolveConversationId(
  events: Pick<EventStore, 'version' | 'listConversations'>,
  idOrPrefix: string,
  tableName: string,
): Promise<string> {
  if (idOrPrefix.trim() === '') throw new CliUsageError('give a conversation id');
  if ((await events.version(idOrPrefix)) > 0) return idOrPrefix;
  const matches = (await events.listConversations()).filter((id) => id.startsWith(idOrPrefix));
  if (matches.length === 1) return matches[0]!;
  throw new CliUsageError(
    matches.length === 0
      ? `no conversation "${idOrPrefix}" in ${tableName}`
      : `"${idOrPrefix}" matches ${matches.length} conversations (${matches.slice(0, 3).join(', ')}${matches.length > 3 ? ', …' : ''}); give more of the id`,
  );
}
