import { createHash } from 'node:crypto';
import { z } from 'zod';
import { COMPILER_VERSION } from '../aop/compile.ts';
import { type DigestEvidence, type PublishedKey, PublishedKeySchema } from './digest.ts';
import { ExportFormatError } from './errors.ts';
import { type IntegrityReport, verifyEvents } from './integrity.ts';

/**
 * The audit export: a conversation's events as JSON Lines, each line the event exactly as stored (the
 * JSON the hash covers), and a manifest beside it (`FILE.manifest.json`) that pins what the file must
 * hold: the count, the seq range and the final hash. Keep the manifest (or just its final hash)
 * somewhere the file's holder cannot write, and the file proves itself offline.
 */

export const EXPORT_FORMAT = 'aop-audit-export/1';

export const ExportManifestSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  conversationId: z.string().min(1),
  count: z.int().nonnegative(),
  firstSeq: z.int().nonnegative(),
  lastSeq: z.int().nonnegative(),
  /** `hash` of the last event: the head of the chain. */
  finalHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** sha256 of the JSON Lines file's bytes. */
  fileSha256: z.string().regex(/^[0-9a-f]{64}$/),
  exportedAt: z.iso.datetime({ offset: true }),
  exportedBy: z.object({ tool: z.string(), compilerVersion: z.string() }),
  /** Where the events were read from (tenant, table), for the record. */
  source: z.record(z.string(), z.string()).optional(),
  /**
   * The conversation's signed chain digests as the digest store held them, and the public keys that
   * verify them (docs/audit.md, Digests). Absent in exports made without digests.
   */
  digests: z.array(z.unknown()).optional(),
  publicKeys: z.array(PublishedKeySchema).optional(),
});
export type ExportManifest = z.infer<typeof ExportManifestSchema>;

export interface ConversationExport {
  readonly jsonl: string;
  readonly manifest: ExportManifest;
}

export interface ExportOptions {
  readonly conversationId: string;
  /** The `event` JSON of each stored item, in seq order, verbatim. */
  readonly lines: readonly string[];
  readonly exportedAt: Date;
  readonly tool: string;
  readonly source?: Record<string, string>;
  readonly digests?: readonly unknown[];
  readonly publicKeys?: readonly PublishedKey[];
}

export function buildExport({
  conversationId,
  lines,
  exportedAt,
  tool,
  source,
  digests,
  publicKeys,
}: ExportOptions): ConversationExport {
  const jsonl = lines.map((line) => `${line}\n`).join('');
  const first = lines[0] === undefined ? undefined : (JSON.parse(lines[0]) as { seq: number });
  const last =
    lines.at(-1) === undefined ? undefined : (JSON.parse(lines.at(-1)!) as { seq: number; hash: string });
  return {
    jsonl,
    manifest: {
      format: EXPORT_FORMAT,
      conversationId,
      count: lines.length,
      firstSeq: first?.seq ?? 0,
      lastSeq: last?.seq ?? 0,
      finalHash: last?.hash ?? '0'.repeat(64),
      fileSha256: sha256(jsonl),
      exportedAt: exportedAt.toISOString(),
      exportedBy: { tool, compilerVersion: COMPILER_VERSION },
      ...(source ? { source } : {}),
      ...(digests ? { digests: [...digests], publicKeys: [...(publicKeys ?? [])] } : {}),
    },
  };
}

export function manifestPathOf(file: string): string {
  return `${file}.manifest.json`;
}

export function parseManifest(file: string, text: string): ExportManifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ExportFormatError(file, 'the manifest is not JSON', { cause: error });
  }
  const parsed = ExportManifestSchema.safeParse(json);
  if (!parsed.success)
    throw new ExportFormatError(file, `not an export manifest: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The events of a JSON Lines export; a line that is not JSON is kept as a marker the chain check rejects. */
export function parseJsonl(jsonl: string): unknown[] {
  const lines = jsonl.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => {
    try {
      return JSON.parse(line) as unknown;
    } catch {
      return { unparsable: line };
    }
  });
}

/**
 * Offline verify: the chain (up to the manifest's final hash), the turn protocol, the digests the
 * manifest carries (signatures, their chain, the heads they seal), the count and seq range, then the
 * file's bytes. Needs nothing but the two files. The digests travel with the export, so pin the key
 * (`trustedKeys`: fingerprints published by the platform) when the export's holder is not trusted:
 * otherwise a holder who re-signs everything with a key of their own is believed.
 */
export function verifyExport(
  jsonl: string,
  manifest: ExportManifest,
  { trustedKeys }: { readonly trustedKeys?: readonly string[] } = {},
): IntegrityReport {
  const { conversationId } = manifest;
  const events = parseJsonl(jsonl);
  const evidence: DigestEvidence | undefined =
    manifest.digests !== undefined
      ? {
          digests: manifest.digests,
          keys: manifest.publicKeys ?? [],
          ...(trustedKeys ? { trusted: trustedKeys } : {}),
        }
      : trustedKeys
        ? { digests: [], keys: [], trusted: trustedKeys }
        : undefined;
  const report = verifyEvents(events, {
    conversationId,
    expectedLastHash: manifest.finalHash,
    ...(evidence ? { digests: evidence } : {}),
  });
  if (!report.ok) return report;
  if (report.count !== manifest.count)
    return {
      ok: false,
      conversationId,
      firstBadSeq: Math.min(report.count, manifest.count) + 1,
      reason: 'count-mismatch',
      message: `the file holds ${report.count} events, the manifest says ${manifest.count}`,
    };
  const firstSeq = (events[0] as { seq: number }).seq;
  if (firstSeq !== manifest.firstSeq || report.lastSeq !== manifest.lastSeq)
    return {
      ok: false,
      conversationId,
      firstBadSeq: 1,
      reason: 'range-mismatch',
      message: `the file holds seqs ${firstSeq}..${report.lastSeq}, the manifest says ${manifest.firstSeq}..${manifest.lastSeq}`,
    };
  if (sha256(jsonl) !== manifest.fileSha256)
    return {
      ok: false,
      conversationId,
      firstBadSeq: undefined,
      reason: 'file-hash-mismatch',
      message:
        'every event verifies, but the file bytes differ from the export (reformatted or re-encoded); re-export to compare',
    };
  return report;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
