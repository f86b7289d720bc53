import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson, GENESIS_HASH } from '../events/hash-chain.ts';

/**
 * Chain digests: the anchor a hash chain needs against someone who can write the events table. At
 * each turn's end the runtime seals the conversation's head (seq and hash) into a digest, signs it
 * with a key the table's writer does not hold, and writes it once to a store the runtime cannot
 * rewrite. Each digest carries the hash of the one before it (CloudTrail's digest files do the same),
 * so a digest cannot be dropped or replaced either. A log cut short, a forged turn or a rewrite with
 * recomputed hashes no longer ends at the heads the digests name (see `checkDigests`).
 */

export const DIGEST_FORMAT = 'aop-chain-digest/1';

/** The algorithms a digest can be signed with: Ed25519 locally, ECDSA P-256 (KMS `ECC_NIST_P256`) in AWS. */
export const DigestAlgorithmSchema = z.enum(['ED25519', 'ECDSA_SHA_256']);
export type DigestAlgorithm = z.infer<typeof DigestAlgorithmSchema>;

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** What is signed: the canonical JSON of these fields. */
export const DigestBodySchema = z.strictObject({
  format: z.literal(DIGEST_FORMAT),
  conversationId: z.string().min(1),
  /** 1 for the conversation's first digest, then one more each. */
  index: z.int().min(1),
  /** The head of the event chain when the digest was made. */
  seq: z.int().min(1),
  hash: Hex64,
  /** `digestHash` of digest `index - 1`; 64 zeros for the first. */
  previousDigestHash: Hex64,
  time: z.iso.datetime({ offset: true }),
  /** sha256 (hex) of the signing key's public key (SPKI DER): which published key verifies this. */
  keyFingerprint: Hex64,
  algorithm: DigestAlgorithmSchema,
});
export type DigestBody = z.infer<typeof DigestBodySchema>;

export const SignedDigestSchema = DigestBodySchema.extend({ signature: z.base64() });
export type SignedDigest = z.infer<typeof SignedDigestSchema>;

/** A public key as published beside the digests (and in an export). */
export const PublishedKeySchema = z.strictObject({
  fingerprint: Hex64,
  algorithm: DigestAlgorithmSchema,
  /** SPKI, PEM. */
  publicKeyPem: z.string().min(1),
  /** Where the private half lives (`local`, or the KMS key ARN), for the record. */
  keyId: z.string().min(1),
});
export type PublishedKey = z.infer<typeof PublishedKeySchema>;

/** sha256 hex of a digest's canonical JSON, signature included: what the next digest chains onto. */
export function digestHash(digest: SignedDigest): string {
  return createHash('sha256').update(canonicalJson(digest)).digest('hex');
}

/** The bytes a signer signs and a verifier checks. */
export function digestMessage(body: DigestBody): Buffer {
  return Buffer.from(canonicalJson(DigestBodySchema.parse(body)));
}

/** sha256 hex of a public key's SPKI DER. */
export function keyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}

export function signatureValid(digest: SignedDigest, key: PublishedKey): boolean {
  const { signature, ...body } = digest;
  try {
    const publicKey = createPublicKey(key.publicKeyPem);
    const message = digestMessage(body);
    const bytes = Buffer.from(signature, 'base64');
    // Ed25519 signs the message itself; KMS ECDSA_SHA_256 signs its sha256 (DER-encoded signature).
    return key.algorithm === 'ED25519'
      ? verifySignature(null, message, publicKey, bytes)
      : verifySignature('sha256', message, publicKey, bytes);
  } catch {
    return false;
  }
}

/** The next digest of a conversation after `previous` (undefined: its first), unsigned. */
export function nextDigestBody(
  previous: SignedDigest | undefined,
  head: { readonly conversationId: string; readonly seq: number; readonly hash: string },
  signer: { readonly fingerprint: string; readonly algorithm: DigestAlgorithm },
  time: Date,
): DigestBody {
  return {
    format: DIGEST_FORMAT,
    conversationId: head.conversationId,
    index: (previous?.index ?? 0) + 1,
    seq: head.seq,
    hash: head.hash,
    previousDigestHash: previous ? digestHash(previous) : GENESIS_HASH,
    time: time.toISOString(),
    keyFingerprint: signer.fingerprint,
    algorithm: signer.algorithm,
  };
}

/** Stable codes for why the digests do not vouch for a log. */
export type DigestBreakReason =
  | 'digest-malformed'
  | 'digest-signature'
  | 'digest-untrusted-key'
  | 'digest-chain'
  | 'digest-head-mismatch'
  | 'digest-truncated'
  | 'undigested-turn';

export interface DigestViolation {
  readonly reason: DigestBreakReason;
  /** The first event seq the digests no longer vouch for (undefined: the fault is in a digest). */
  readonly seq: number | undefined;
  readonly message: string;
}

export interface DigestEvidence {
  /** The conversation's digests as the digest store holds them (unvalidated JSON), any order. */
  readonly digests: readonly unknown[];
  /** Published public keys. */
  readonly keys: readonly PublishedKey[];
  /**
   * Fingerprints the reviewer trusts. Default: every published key. Pin them when the digests and the
   * keys come from the same hands as the log (an export).
   */
  readonly trusted?: readonly string[];
}

/**
 * Event types of a turn's end append: the runtime writes a digest right after it (conversation.ts).
 * (`turn.interrupted` opens the next holder's turn, whose end seals it.)
 */
/** Events that end a turn: each append holding one is sealed (conversation.ts), and verify expects it. */
export const TURN_END_TYPES: ReadonlySet<string> = new Set([
  'turn.completed',
  'conversation.resolved',
  'conversation.escalated',
]);

/**
 * The digests against a log whose hash chain already verified (`events` in seq order from 1):
 * every signature by a trusted key, the digests chained 1, 2, 3… by hash, each head strictly after
 * the one before, and the log's hash at each digested seq equal to the digest's. Events after the
 * last digest are only allowed when they end no turn (a running turn, waiting messages): the end of
 * every turn is digested. Returns the first violation, or undefined.
 */
export function checkDigests(
  events: readonly { readonly seq: number; readonly hash: string; readonly type: string }[],
  evidence: DigestEvidence,
  conversationId: string,
): DigestViolation | undefined {
  const keys = new Map(evidence.keys.map((key) => [key.fingerprint, key]));
  const trusted = new Set(evidence.trusted ?? evidence.keys.map((key) => key.fingerprint));
  const parsed: SignedDigest[] = [];
  for (const raw of evidence.digests) {
    const result = SignedDigestSchema.safeParse(raw);
    if (!result.success || result.data.conversationId !== conversationId)
      return {
        reason: 'digest-malformed',
        seq: undefined,
        message: `a stored digest is not a digest of "${conversationId}"`,
      };
    parsed.push(result.data);
  }
  parsed.sort((a, b) => a.index - b.index);
  let previous: SignedDigest | undefined;
  for (const digest of parsed) {
    const key = keys.get(digest.keyFingerprint);
    if (!key || !trusted.has(key.fingerprint) || key.algorithm !== digest.algorithm)
      return {
        reason: 'digest-untrusted-key',
        seq: undefined,
        message: `digest ${digest.index} is signed by key ${digest.keyFingerprint.slice(0, 16)}…, which is not a trusted published key`,
      };
    if (keyFingerprint(key.publicKeyPem) !== key.fingerprint || !signatureValid(digest, key))
      return {
        reason: 'digest-signature',
        seq: undefined,
        message: `digest ${digest.index} does not carry a valid signature of its key`,
      };
    const expectedIndex = (previous?.index ?? 0) + 1;
    const expectedLink = previous ? digestHash(previous) : GENESIS_HASH;
    if (digest.index !== expectedIndex || digest.previousDigestHash !== expectedLink)
      return {
        reason: 'digest-chain',
        seq: undefined,
        message: `digest ${digest.index} does not follow digest ${expectedIndex - 1} (a digest is missing or was replaced)`,
      };
    if (previous && digest.seq <= previous.seq)
      return {
        reason: 'digest-chain',
        seq: undefined,
        message: `digest ${digest.index} seals seq ${digest.seq}, not after digest ${previous.index}'s seq ${previous.seq}`,
      };
    const event = events[digest.seq - 1];
    if (event === undefined)
      return {
        reason: 'digest-truncated',
        seq: events.length + 1,
        message: `digest ${digest.index} seals seq ${digest.seq}, but the log ends at seq ${events.length}: events were cut off`,
      };
    if (event.hash !== digest.hash) {
      const firstDiffering = (previous?.seq ?? 0) + 1;
      return {
        reason: 'digest-head-mismatch',
        seq: firstDiffering,
        message: `the log's hash at seq ${digest.seq} is not the one digest ${digest.index} sealed: events in seqs ${firstDiffering}..${digest.seq} were rewritten (hashes recomputed) or forged`,
      };
    }
    previous = digest;
  }
  const tail = events.slice(previous?.seq ?? 0);
  const ending = tail.find((event) => TURN_END_TYPES.has(event.type));
  if (ending)
    return {
      reason: 'undigested-turn',
      seq: (previous?.seq ?? 0) + 1,
      message: `seq ${ending.seq} (${ending.type}) ends a turn no digest seals: the turn was forged, or its digest could not be written (the next turn's digest would cover it)`,
    };
  return undefined;
}
