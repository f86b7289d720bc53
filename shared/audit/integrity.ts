import type { StoredEvent } from '../events/catalogue.ts';
import { type ChainBreakReason, verifyChain } from '../events/hash-chain.ts';
import { checkDigests, type DigestBreakReason, type DigestEvidence } from './digest.ts';
import { checkProtocol } from './protocol.ts';
import { decodeItems, type StoredStream } from './stored-stream.ts';

/**
 * `aop audit verify`: is this log exactly what the runtime wrote? The hash chain finds any edited,
 * dropped, reordered or inserted event; the turn protocol and the append records (protocol.ts) find
 * the newest events cut off or added; an export's manifest pins the head and the count.
 */

export type IntegrityReason =
  | ChainBreakReason
  | DigestBreakReason
  | 'empty'
  | 'item-mismatch'
  | 'protocol'
  | 'count-mismatch'
  | 'range-mismatch'
  | 'file-hash-mismatch';

export type IntegrityReport =
  | {
      readonly ok: true;
      readonly conversationId: string;
      readonly count: number;
      readonly lastSeq: number;
      readonly lastHash: string;
      /** How many signed digests vouch for the log (absent: verified without digests). */
      readonly digests?: number;
      /** Turns whose process died, closed by the next turn with what was known (absent: none). */
      readonly interrupted?: number;
    }
  | {
      readonly ok: false;
      readonly conversationId: string;
      /** Every event before this seq is verified; undefined when the fault is not at an event. */
      readonly firstBadSeq: number | undefined;
      readonly reason: IntegrityReason;
      readonly message: string;
    };

export interface VerifyEventsOptions {
  readonly conversationId: string;
  readonly anchors?: StoredStream['anchors'];
  readonly locked?: boolean;
  /** Head recorded elsewhere (an export manifest). */
  readonly expectedLastHash?: string;
  /**
   * Signed digests of the chain's heads (digest.ts): with them, a rewrite with recomputed hashes, a
   * forged turn or a cut tail is found even when events and records agree. Without them the report
   * is the chain and protocol check alone.
   */
  readonly digests?: DigestEvidence;
}

/** Chain, then protocol. `events` are unvalidated JSON values: a tampered event must be reported, not thrown. */
export function verifyEvents(events: readonly unknown[], options: VerifyEventsOptions): IntegrityReport {
  const { conversationId } = options;
  if (events.length === 0)
    return {
      ok: false,
      conversationId,
      firstBadSeq: 1,
      reason: 'empty',
      message: `no events stored for "${conversationId}"`,
    };
  const chain = verifyChain(events as StoredEvent[], {
    conversationId,
    ...(options.expectedLastHash ? { expectedLastHash: options.expectedLastHash } : {}),
  });
  if (!chain.ok) return { ...chain, conversationId };
  // The chain holds, so every event is exactly what the store sealed, and the store only seals catalogue events.
  const violation = checkProtocol(events as StoredEvent[], {
    ...(options.anchors ? { anchors: options.anchors } : {}),
    locked: options.locked ?? false,
  });
  if (violation)
    return {
      ok: false,
      conversationId,
      firstBadSeq: violation.seq,
      reason: 'protocol',
      message: violation.message,
    };
  if (options.digests) {
    const broken = checkDigests(events as StoredEvent[], options.digests, conversationId);
    if (broken)
      return {
        ok: false,
        conversationId,
        firstBadSeq: broken.seq,
        reason: broken.reason,
        message: broken.message,
      };
  }
  const interrupted = (events as StoredEvent[]).filter((event) => event.type === 'turn.interrupted').length;
  return {
    ok: true,
    conversationId,
    count: chain.count,
    lastSeq: chain.lastSeq,
    lastHash: chain.lastHash,
    ...(options.digests ? { digests: options.digests.digests.length } : {}),
    ...(interrupted > 0 ? { interrupted } : {}),
  };
}

/** Live verify: the items as DynamoDB holds them, the append records, the lease, and the digests when given. */
export function verifyStoredStream(stream: StoredStream, digests?: DigestEvidence): IntegrityReport {
  const { events, problem } = decodeItems(stream.items);
  if (problem) {
    // Everything before the bad item is still checked, so a break earlier in the chain is named first.
    const before = verifyEvents(events, { conversationId: stream.conversationId, locked: true });
    if (!before.ok && before.reason !== 'empty' && before.reason !== 'protocol') return before;
    return {
      ok: false,
      conversationId: stream.conversationId,
      firstBadSeq: problem.index + 1,
      reason: 'item-mismatch',
      message: problem.message,
    };
  }
  return verifyEvents(events, {
    conversationId: stream.conversationId,
    anchors: stream.anchors,
    locked: stream.locked,
    ...(digests ? { digests } : {}),
  });
}

export function formatIntegrity(report: IntegrityReport): string {
  if (report.ok) {
    const sealed =
      report.digests === undefined
        ? ', no digests checked'
        : `, sealed by ${report.digests} signed digest(s)`;
    const recovered =
      report.interrupted === undefined
        ? ''
        : `; ${report.interrupted} turn(s) recovered after an interruption`;
    return `${report.conversationId}: OK, ${report.count} events, chain intact to seq ${report.lastSeq} (head ${report.lastHash.slice(0, 16)}…)${sealed}${recovered}`;
  }
  const at = report.firstBadSeq === undefined ? '' : ` at seq ${report.firstBadSeq}`;
  return `${report.conversationId}: BROKEN${at} (${report.reason}): ${report.message}`;
}
