import { digestMessage, nextDigestBody, type SignedDigest } from './digest.ts';
import type { DigestSigner } from './digest-signer.ts';
import type { DigestStore } from './digest-store.ts';
import { isDigestExistsError } from './errors.ts';

/** The head of a conversation's chain after a turn's last append. */
export interface ChainHeadOf {
  readonly conversationId: string;
  readonly seq: number;
  readonly hash: string;
}

/**
 * Seals chain heads into signed digests (the engine calls it at each turn's end: conversation.ts).
 * It never throws: a turn must not fail because its digest could not be written. A missed digest
 * leaves that turn's end unsealed until the next turn's digest seals a later head (which covers every
 * event before it, the missed turn included); until then verify reports `undigested-turn`.
 */
export interface DigestWriter {
  seal(head: ChainHeadOf): Promise<SignedDigest | undefined>;
}

export interface DigestWriterOptions {
  readonly store: DigestStore;
  readonly signer: DigestSigner;
  readonly clock?: () => Date;
  /** Told of a digest that could not be written (log it); the turn goes on. */
  readonly onError?: (error: unknown, head: ChainHeadOf) => void;
}

/** Conversations whose newest digest the writer remembers, at most (oldest forgotten first). */
const REMEMBERED = 1_000;

export function createDigestWriter({
  store,
  signer,
  clock = () => new Date(),
  onError = () => {},
}: DigestWriterOptions): DigestWriter {
  let published: Promise<void> | undefined;
  // The digest this writer last put per conversation: the next turn chains onto it without reading
  // the store (a query per turn locally, an S3 listing in AWS). It may be stale when another container
  // sealed the conversation since; then the put finds its index taken and the retry reads the store.
  const newest = new Map<string, SignedDigest>();
  function remember(digest: SignedDigest): void {
    newest.delete(digest.conversationId);
    newest.set(digest.conversationId, digest);
    if (newest.size > REMEMBERED) newest.delete(newest.keys().next().value as string);
  }
  async function write(head: ChainHeadOf): Promise<SignedDigest | undefined> {
    const key = await signer.publicKey();
    published ??= store.publishKey(key).catch((error: unknown) => {
      published = undefined;
      throw error;
    });
    await published;
    // Two tries: a writer that lost the race for an index reads the winner's digest and chains onto it.
    for (let attempt = 0; ; attempt++) {
      const previous =
        (attempt === 0 ? newest.get(head.conversationId) : undefined) ??
        (await store.latest(head.conversationId));
      // A later head is sealed already (a retried turn end, a racing writer): nothing to add.
      if (previous && previous.seq >= head.seq) return undefined;
      const body = nextDigestBody(previous, head, key, clock());
      const digest: SignedDigest = { ...body, signature: await signer.sign(digestMessage(body)) };
      try {
        await store.put(digest);
        remember(digest);
        return digest;
      } catch (error) {
        newest.delete(head.conversationId);
        if (!isDigestExistsError(error) || attempt > 0) throw error;
      }
    }
  }
  return {
    async seal(head) {
      try {
        return await write(head);
      } catch (error) {
        onError(error, head);
        return undefined;
      }
    },
  };
}
