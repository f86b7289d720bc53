import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { catalogue, conversation } from '../../aops/retail/tenant.ts';
import {
  type ExportManifest,
  manifestPathOf,
  type ProcedureResolver,
  type ProcedureVersion,
  parseJsonl,
  parseManifest,
} from '../../shared/audit/index.ts';
import { type StoredEvent, StoredEventSchema } from '../../shared/events/catalogue.ts';
import type { Script } from './scripts.ts';

/**
 * Replay goldens: recorded conversations checked in under `goldens/<aop-id>@<hash>/`, named by the AOP
 * version that made them (the first 12 hex of its registry content hash). Each folder holds that
 * version's content (`version.json`: its files, as the registry stores them) and audit exports
 * (`<name>.jsonl` + manifest). A `*.corrupted.jsonl` is a deliberately corrupted recording that must
 * fail replay. Re-record with `npx tsx test/replay/record-goldens.ts` when behaviour changes on purpose.
 */

export const GOLDENS_DIR = join(import.meta.dirname, 'goldens');

export const retailReplay = { catalogue, conversation } as const;

export const GoldenVersionSchema = z.object({
  aopId: z.string(),
  version: z.int(),
  /** The registry content hash (`aop.published.data.sourceHash`). */
  sourceHash: z.string().regex(/^[0-9a-f]{64}$/),
  content: z.object({
    aopId: z.string(),
    title: z.string(),
    when: z.string(),
    files: z.array(z.object({ path: z.string(), text: z.string() })),
    definition: z.string(),
    cutoffDays: z.array(z.int()),
  }),
});
export type GoldenVersion = z.infer<typeof GoldenVersionSchema>;

export interface Golden {
  readonly dir: string;
  /** `<aop-id>@<hash>`. */
  readonly folder: string;
  readonly name: string;
  readonly file: string;
  readonly corrupted: boolean;
  readonly version: GoldenVersion;
  readonly jsonl: string;
  readonly manifest: ExportManifest;
  readonly events: StoredEvent[];
}

export function loadGoldens(): Golden[] {
  const goldens: Golden[] = [];
  for (const folder of readdirSync(GOLDENS_DIR).sort()) {
    const dir = join(GOLDENS_DIR, folder);
    const versionFile = join(dir, 'version.json');
    if (!existsSync(versionFile)) continue;
    const version = GoldenVersionSchema.parse(JSON.parse(readFileSync(versionFile, 'utf8')));
    for (const name of readdirSync(dir)
      .filter((entry) => entry.endsWith('.jsonl'))
      .sort()) {
      const file = join(dir, name);
      const jsonl = readFileSync(file, 'utf8');
      goldens.push({
        dir,
        folder,
        name: name.replace(/\.jsonl$/, ''),
        file,
        corrupted: name.endsWith('.corrupted.jsonl'),
        version,
        jsonl,
        manifest: parseManifest(manifestPathOf(file), readFileSync(manifestPathOf(file), 'utf8')),
        events: parseJsonl(jsonl).map((event) => StoredEventSchema.parse(event)),
      });
    }
  }
  return goldens;
}

export function versionOf(golden: Golden): ProcedureVersion {
  return { aopId: golden.version.aopId, files: golden.version.content.files };
}

/** A golden replays on its own version: the one that made it, whatever the files in aops/ say today. */
export function goldenResolver(golden: Golden): ProcedureResolver {
  return (aop) => {
    if (aop.id !== golden.version.aopId || aop.version !== golden.version.version)
      throw new Error(`${golden.name} ran ${aop.id}@${aop.version}, but its folder holds ${golden.folder}`);
    return versionOf(golden);
  };
}

/** Runs a script against a platform over HTTP; returns the conversation id. */
export async function runScript(url: string, script: Script): Promise<string> {
  let conversationId: string | undefined;
  let sessionToken: string | undefined;
  for (const line of script.lines) {
    const path = conversationId
      ? `/v1/chat/conversations/${conversationId}/messages`
      : '/v1/chat/conversations';
    const response = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(sessionToken ? { 'x-session-token': sessionToken } : {}),
      },
      body: JSON.stringify({ message: line }),
    });
    const body = (await response.json()) as {
      conversationId?: string;
      sessionToken?: string;
      error?: string;
      message?: string;
    };
    if (!response.ok) throw new Error(`${script.name}: "${line}" got ${response.status}: ${body.message}`);
    conversationId ??= body.conversationId;
    sessionToken ??= body.sessionToken;
  }
  if (!conversationId) throw new Error(`${script.name}: no conversation was started`);
  return conversationId;
}
