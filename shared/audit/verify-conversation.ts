import type { DigestEvidence } from './digest.ts';
import type { DigestStore } from './digest-store.ts';
import { type IntegrityReport, verifyStoredStream } from './integrity.ts';
import type { StoredStreamReader } from './stored-stream.ts';

/**
 * The one live verification: `aop audit verify` and the audit API's `/verify` route both call this,
 * so they cannot disagree about a log (issue 15 found them diverging). It reads the stream as stored
 * and, when a digest store is configured, the conversation's digests and the published keys, then
 * runs the chain, item, protocol, append-record and digest checks (integrity.ts).
 */
export interface VerificationSources {
  readonly streams: StoredStreamReader;
  /** Absent where no digests are kept (a platform started without them): chain and protocol only. */
  readonly digests?: DigestStore | undefined;
  /** Fingerprints of the keys the reviewer trusts; default: every key published in the digest store. */
  readonly trustedKeys?: readonly string[] | undefined;
}

export async function verifyConversation(
  sources: VerificationSources,
  conversationId: string,
): Promise<IntegrityReport> {
  const [stream, evidence] = await Promise.all([
    sources.streams.read(conversationId),
    digestEvidence(sources, conversationId),
  ]);
  return verifyStoredStream(stream, evidence);
}

export async function digestEvidence(
  { digests, trustedKeys }: VerificationSources,
  conversationId: string,
): Promise<DigestEvidence | undefined> {
  if (!digests) return undefined;
  const [list, keys] = await Promise.all([digests.list(conversationId), digests.keys()]);
  return { digests: list, keys, ...(trustedKeys ? { trusted: trustedKeys } : {}) };
}
