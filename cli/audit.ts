import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { createTableDigestStore, type DigestStore } from '../shared/audit/digest-store.ts';
import {
  aopIdOf,
  buildExport,
  buildTimeline,
  compileProcedure,
  type DigestEvidence,
  decodeItems,
  formatIntegrity,
  formatTimeline,
  type IntegrityReport,
  manifestPathOf,
  type ProcedureResolver,
  type ProcedureVersion,
  parseManifest,
  type StoredStream,
  verifyExport,
  verifyStoredStream,
} from '../shared/audit/index.ts';
import { createS3DigestStore } from '../shared/audit/s3-digest-store.ts';
import { createStoredStreamReader } from '../shared/audit/stored-stream.ts';
import {
  digestEvidence,
  type VerificationSources,
  verifyConversation,
} from '../shared/audit/verify-conversation.ts';
import type { ConversationPolicy } from '../shared/engine/repair.ts';
import { type AopRef, type StoredEvent, StoredEventSchema } from '../shared/events/catalogue.ts';
import { createEventStore } from '../shared/events/store.ts';
import { isCiphertext } from '../shared/privacy/cipher.ts';
import { createDataKeyStore, type DataKeyState } from '../shared/privacy/key-store.ts';
import { createLocalKeyWrapper, loadOrCreateLocalMasterKey } from '../shared/privacy/key-wrapper.ts';
import { openEvents, PERSONAL_FIELDS } from '../shared/privacy/private-store.ts';
import { createContentStore } from '../shared/registry/content.ts';
import { createAopRegistry } from '../shared/registry/registry.ts';
import { isTenant } from '../shared/tenant/define-tenant.ts';
import type { ToolCatalogue } from '../shared/tools/define-tool.ts';
import { type CliIo, CliUsageError, processIo } from './io.ts';
import { type AuditFlags, runAop } from './program.ts';
import { loadProjects } from './project.ts';

export { type CliIo, CliUsageError, processIo };

/**
 * `aop audit show|verify|export`: a compliance reviewer's view of a conversation. Without flags it
 * reads the platform `npm start` runs (it leaves `.cache/platform.json`); `--tenant NAME` reads the
 * deployed tenant's `<NAME>-events` table with the usual AWS environment (profile, region, role).
 */

// Lambda runs Node 22; the SDK's notice about Node 20 is noise in a reviewer's terminal.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const PLATFORM_FILE = resolve(import.meta.dirname, '..', '.cache', 'platform.json');

/** The local platform's master key for customer data keys (infra/local/platform.ts). */
const MASTER_KEY_FILE = resolve(import.meta.dirname, '..', '.cache', 'local-master-key');

const PlatformFileSchema = z.object({
  url: z.string(),
  dynamodbEndpoint: z.string(),
  eventsTable: z.string(),
  dataTablePrefix: z.string(),
  tenant: z.string(),
  region: z.string(),
  /** Set when the platform stores customer data encrypted (shared/privacy). */
  keysTable: z.string().nullable().optional(),
  /** The master key the platform wraps the data keys with; absent: the default one. */
  masterKeyFile: z.string().nullable().optional(),
  /** The table of signed chain digests (absent: a platform from before digests; none are checked). */
  digestsTable: z.string().optional(),
});

/** Where the events are: the running local platform, or a deployed tenant's table. */
export interface AuditTarget {
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /** For the record (export manifests, headers). */
  readonly source: Record<string, string>;
  /** The table of per-conversation data keys, when customer data may be stored encrypted. */
  readonly keysTable: string | undefined;
  /** The master key that unwraps them, when it is on this machine (the local platform's). */
  readonly masterKeyFile: string | undefined;
  /** Where the signed chain digests are; undefined: none are checked. */
  readonly digests: DigestStore | undefined;
}

/** What `verifyConversation` reads for this target: the same sources the audit API's `/verify` reads. */
export function verificationOf(target: AuditTarget): VerificationSources {
  return {
    streams: createStoredStreamReader({ client: target.client, tableName: target.tableName }),
    digests: target.digests,
  };
}

/**
 * `masterKeyFile` (the `--master-key` flag) wins over the one the platform file names, which wins
 * over the default `.cache/local-master-key`.
 */
export function connect({
  tenant,
  platformFile = PLATFORM_FILE,
  masterKeyFile,
}: {
  tenant?: string | undefined;
  platformFile?: string;
  masterKeyFile?: string | undefined;
}): AuditTarget {
  if (tenant) {
    // The SDK's default chain: AWS_PROFILE / AWS_REGION / role credentials, as for any AWS CLI.
    // The tenant's data keys are wrapped by its KMS key, which no wrapper here can use yet.
    return {
      client: new DynamoDBClient({}),
      tableName: `${tenant}-events`,
      source: { tenant, table: `${tenant}-events` },
      keysTable: `${tenant}-keys`,
      masterKeyFile: undefined,
      // The stack's Object Lock bucket (its `DigestBucketName` output), when the reviewer names it.
      digests: process.env.AOP_DIGEST_BUCKET
        ? createS3DigestStore({ client: new S3Client({}), bucket: process.env.AOP_DIGEST_BUCKET })
        : undefined,
    };
  }
  let text: string;
  try {
    text = readFileSync(platformFile, 'utf8');
  } catch {
    throw new CliUsageError(
      `no running platform found (${platformFile} is missing): start one with \`npm start\`, or pass --tenant NAME for a deployed tenant`,
    );
  }
  const platform = PlatformFileSchema.parse(JSON.parse(text));
  const client = new DynamoDBClient({
    endpoint: platform.dynamodbEndpoint,
    region: platform.region,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    client,
    digests: platform.digestsTable
      ? createTableDigestStore({ client, tableName: platform.digestsTable })
      : undefined,
    tableName: platform.eventsTable,
    source: { tenant: platform.tenant, table: platform.eventsTable, platform: platform.url },
    keysTable: platform.keysTable ?? undefined,
    masterKeyFile: [masterKeyFile ?? platform.masterKeyFile ?? MASTER_KEY_FILE].find((file) =>
      existsSync(file),
    ),
  };
}

/** Whether any personal field of the events is stored encrypted (shared/privacy). */
export function holdsCiphertext(events: readonly StoredEvent[]): boolean {
  return events.some((event) =>
    (PERSONAL_FIELDS[event.type] ?? []).some((field) =>
      isCiphertext((event.data as Record<string, unknown>)[field]),
    ),
  );
}

/** How a conversation's customer data could be read. */
export type Readability =
  /** Stored in the clear, or decrypted with the conversation's key. */
  | 'clear'
  | 'decrypted'
  /** The customer was erased: the key is destroyed, the data reads as `[erased]`. */
  | 'erased'
  /** Encrypted, and no key is at hand here (a deployed tenant's KMS, another machine's master key). */
  | 'encrypted';

/**
 * The events with customer data decrypted where the key is at hand (as the platform's handlers read
 * them); `stored` is what the chain covers, and what verify and export use.
 */
export async function openConversation(
  target: AuditTarget,
  conversationId: string,
  stored: readonly StoredEvent[],
): Promise<{ events: StoredEvent[]; readability: Readability; note?: string }> {
  const encrypted = holdsCiphertext(stored);
  if (!encrypted) return { events: [...stored], readability: 'clear' };
  if (!target.keysTable || !target.masterKeyFile)
    return {
      events: [...stored],
      readability: 'encrypted',
      note: 'customer data is encrypted and no key is at hand here',
    };
  const keys = createDataKeyStore({
    client: target.client,
    tableName: target.keysTable,
    wrapper: createLocalKeyWrapper(loadOrCreateLocalMasterKey(target.masterKeyFile)),
  });
  let key: DataKeyState;
  try {
    key = await keys.keyOf(conversationId);
  } catch (error) {
    return {
      events: [...stored],
      readability: 'encrypted',
      note: `customer data is encrypted and its key cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const events = openEvents(conversationId, stored, key);
  if (key.state === 'erased')
    return { events, readability: 'erased', note: 'the customer was erased: their data reads as [erased]' };
  if (key.state === 'none')
    return {
      events,
      readability: 'encrypted',
      note: 'customer data is encrypted but the conversation has no key',
    };
  return { events, readability: 'decrypted' };
}

/** The stream of a conversation id, or of the one conversation whose id starts with it. */
export async function readStream(target: AuditTarget, idOrPrefix: string): Promise<StoredStream> {
  const reader = createStoredStreamReader({ client: target.client, tableName: target.tableName });
  const stream = await reader.read(idOrPrefix);
  if (stream.items.length > 0) return stream;
  const ids = await createEventStore({
    client: target.client,
    tableName: target.tableName,
  }).listConversations();
  const matches = ids.filter((id) => id.startsWith(idOrPrefix));
  if (matches.length === 1) return reader.read(matches[0]!);
  throw new CliUsageError(
    matches.length === 0
      ? `no conversation "${idOrPrefix}" in ${target.tableName}`
      : `"${idOrPrefix}" matches ${matches.length} conversations (${matches.slice(0, 3).join(', ')}…); give more of the id`,
  );
}

/** The catalogue events of a stream, and whether the stream verifies (a tampered item is left out, and reported). */
export function eventsOfStream(
  stream: StoredStream,
  digests?: DigestEvidence,
): { events: StoredEvent[]; integrity: IntegrityReport } {
  const integrity = verifyStoredStream(stream, digests);
  const { events } = decodeItems(stream.items);
  const parsed = events.flatMap((event) => {
    const result = StoredEventSchema.safeParse(event);
    return result.success ? [result.data] : [];
  });
  return { events: parsed, integrity };
}

/** The tenant projects under aops/ (catalogue and today's files), for compiling versions. */
export interface Tenants {
  readonly catalogueFor: (aopId: string) => ToolCatalogue;
  /** The tenant's conversation policy (`conversation` of its tenant.ts), which its step functions use. */
  readonly conversationFor: (aopId: string) => ConversationPolicy | undefined;
  readonly workingVersion: (aopId: string) => ProcedureVersion | undefined;
}

/**
 * The tenants under `paths`. Procedure ids repeat across tenants (each has its `transfer-to-human`), so
 * `served` (the tenant the connected platform serves, named after its folder) is looked in first.
 */
export async function loadTenants(paths: readonly string[] = ['aops'], served?: string): Promise<Tenants> {
  const { projects: found } = await loadProjects(paths);
  if (found.length === 0) throw new CliUsageError(`no tenant (tenant.ts) found under ${paths.join(', ')}`);
  const projects = [
    ...found.filter((project) => basename(project.dir) === served),
    ...found.filter((project) => basename(project.dir) !== served),
  ];
  const projectOf = (aopId: string) =>
    projects.find((project) => project.sources.some((source) => aopIdOf(source) === aopId)) ?? projects[0]!;
  const policies = new Map<string, ConversationPolicy | undefined>();
  for (const project of projects) {
    const tenant = (await import(pathToFileURL(join(project.dir, 'tenant.ts')).href)) as {
      default?: unknown;
      conversation?: ConversationPolicy;
    };
    policies.set(project.dir, isTenant(tenant.default) ? tenant.default.conversation : tenant.conversation);
  }
  return {
    catalogueFor: (aopId) => projectOf(aopId).catalogue,
    conversationFor: (aopId) => policies.get(projectOf(aopId).dir),
    workingVersion: (aopId) => {
      const project = projectOf(aopId);
      return project.sources.some((source) => aopIdOf(source) === aopId)
        ? { aopId, files: project.sources }
        : undefined;
    },
  };
}

/**
 * The files of a pinned version: from the AOP registry (what that version ran), else today's files
 * with a warning (a conversation recorded before the registry, or a tenant that publishes elsewhere).
 */
export function registryResolver(
  target: AuditTarget,
  tenants: Tenants,
  warn: (line: string) => void,
): ProcedureResolver {
  const registry = createAopRegistry({
    events: createEventStore({ client: target.client, tableName: target.tableName }),
    contents: createContentStore({ client: target.client, tableName: target.tableName }),
  });
  const cache = new Map<string, Promise<ProcedureVersion>>();
  return (aop: AopRef) => {
    const key = `${aop.id}@${aop.version}`;
    let found = cache.get(key);
    if (!found) {
      found = registry.content(aop.id, aop.version).then(
        (content) => ({ aopId: aop.id, files: content.files }),
        (error: unknown) => {
          const working = tenants.workingVersion(aop.id);
          if (!working) throw error;
          warn(
            `${key} is not in the registry (${error instanceof Error ? error.message : String(error)}); using today's files`,
          );
          return working;
        },
      );
      cache.set(key, found);
    }
    return found;
  };
}

/** `aop audit show|verify|export …` with these arguments (as typed after `audit`). */
export function runAudit(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  return runAop(['audit', ...argv], { io });
}

function connectFlags(flags: CommonFlags): AuditTarget {
  return connect({
    tenant: flags.tenant,
    ...(flags.platform ? { platformFile: flags.platform } : {}),
    ...(flags.masterKey ? { masterKeyFile: flags.masterKey } : {}),
  });
}

type CommonFlags = AuditFlags;

export async function show(id: string, flags: CommonFlags, io: CliIo): Promise<number> {
  const target = connectFlags(flags);
  try {
    const stream = await readStream(target, id);
    const { events: stored, integrity } = eventsOfStream(
      stream,
      await digestEvidence(verificationOf(target), stream.conversationId),
    );
    const { events, readability, note } = await openConversation(target, stream.conversationId, stored);
    const tenants = await loadTenants(flags.aops ? [flags.aops] : ['aops'], target.source.tenant);
    const warnings: string[] = note ? [note] : [];
    const resolve = registryResolver(target, tenants, (line) => warnings.push(line));
    const maps = new Map<string, Readonly<Record<string, string>> | undefined>();
    for (const event of events) {
      if (!event.aop) continue;
      const key = `${event.aop.id}@${event.aop.version}`;
      if (maps.has(key)) continue;
      try {
        const version = await resolve(event.aop);
        maps.set(key, compileProcedure(version, tenants.catalogueFor(event.aop.id)).manifest.sourceMap);
      } catch (error) {
        warnings.push(
          `no source lines for ${key}: ${error instanceof Error ? error.message : String(error)}`,
        );
        maps.set(key, undefined);
      }
    }
    const entries = buildTimeline(events, (aop) => maps.get(`${aop.id}@${aop.version}`));
    if (flags.json) {
      io.out(
        `${JSON.stringify({ conversationId: stream.conversationId, integrity, readability, entries, warnings }, null, 2)}\n`,
      );
    } else {
      io.out(
        formatTimeline(entries, {
          conversationId: stream.conversationId,
          integrity: `${formatIntegrity(integrity)}${readability === 'clear' ? '' : `\n  customer data: ${readability}${readability === 'decrypted' ? ' (the chain covers the stored ciphertext)' : ''}`}`,
        }),
      );
      for (const warning of warnings) io.err(`warning: ${warning}\n`);
    }
    return integrity.ok ? 0 : 1;
  } finally {
    target.client.destroy();
  }
}

/** `aop audit verify`: one conversation, every one (--all), or an export offline (--file). */
export async function verify(
  id: string | undefined,
  flags: CommonFlags & { readonly all?: boolean | undefined; readonly file?: string | undefined },
  io: CliIo,
): Promise<number> {
  const given = [id !== undefined, flags.all === true, flags.file !== undefined].filter(Boolean).length;
  if (given !== 1) throw new CliUsageError('give one conversation id, --all or --file FILE');
  if (flags.file !== undefined) return verifyFile(flags.file, flags, io);
  if (flags.all) return verifyAll(flags, io);
  return verifyOne(id!, flags, io);
}

async function verifyOne(id: string, flags: CommonFlags, io: CliIo): Promise<number> {
  const target = connectFlags(flags);
  try {
    const { conversationId } = await readStream(target, id);
    const report = await verifyConversation(verificationOf(target), conversationId);
    io.out(flags.json ? `${JSON.stringify(report)}\n` : `${formatIntegrity(report)}\n`);
    return report.ok ? 0 : 1;
  } finally {
    target.client.destroy();
  }
}

async function verifyAll(flags: CommonFlags, io: CliIo): Promise<number> {
  const target = connectFlags(flags);
  try {
    const ids = await createEventStore({
      client: target.client,
      tableName: target.tableName,
    }).listConversations();
    const sources = verificationOf(target);
    let broken = 0;
    for (const id of ids) {
      const report = await verifyConversation(sources, id);
      if (!report.ok) broken++;
      io.out(flags.json ? `${JSON.stringify(report)}\n` : `${formatIntegrity(report)}\n`);
    }
    if (!flags.json) io.out(`${ids.length} stream(s) verified: ${broken} broken.\n`);
    return broken > 0 ? 1 : 0;
  } finally {
    target.client.destroy();
  }
}

function verifyFile(file: string, flags: CommonFlags, io: CliIo): number {
  const manifestFile = manifestPathOf(file);
  let jsonl: string;
  let manifestText: string;
  try {
    jsonl = readFileSync(file, 'utf8');
    manifestText = readFileSync(manifestFile, 'utf8');
  } catch (error) {
    throw new CliUsageError(`cannot read ${file} and ${manifestFile}: ${(error as Error).message}`);
  }
  const report = verifyExport(jsonl, parseManifest(manifestFile, manifestText));
  io.out(flags.json ? `${JSON.stringify(report)}\n` : `${formatIntegrity(report)}\n`);
  return report.ok ? 0 : 1;
}

export async function exportConversation(
  id: string,
  flags: CommonFlags & { readonly out: string },
  io: CliIo,
): Promise<number> {
  const { out } = flags;
  const target = connectFlags(flags);
  try {
    const stream = await readStream(target, id);
    const evidence = await digestEvidence(verificationOf(target), stream.conversationId);
    const integrity = verifyStoredStream(stream, evidence);
    const exported = buildExport({
      conversationId: stream.conversationId,
      lines: stream.items.map((item) => item.json),
      ...(evidence ? { digests: evidence.digests, publicKeys: evidence.keys } : {}),
      exportedAt: new Date(),
      tool: `aop ${cliVersion()}`,
      source: target.source,
    });
    writeFileSync(out, exported.jsonl);
    writeFileSync(manifestPathOf(out), `${JSON.stringify(exported.manifest, null, 2)}\n`);
    io.out(
      flags.json
        ? `${JSON.stringify({ file: out, manifestFile: manifestPathOf(out), manifest: exported.manifest, integrity }, null, 2)}\n`
        : `${out}: ${exported.manifest.count} events, seqs ${exported.manifest.firstSeq}..${exported.manifest.lastSeq}, final hash ${exported.manifest.finalHash}\n${manifestPathOf(out)}: the manifest; keep a copy where the file's holder cannot change it\n`,
    );
    if (!integrity.ok) io.err(`warning: the stored log does not verify: ${formatIntegrity(integrity)}\n`);
    return 0;
  } finally {
    target.client.destroy();
  }
}

function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(resolve(import.meta.dirname, 'package.json'), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? '0.0.0';
}
