import '../shared/polyfills.ts';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { z } from 'zod';
import {
  aopIdOf,
  formatIntegrity,
  formatReplay,
  formatWhatIf,
  type IntegrityReport,
  manifestPathOf,
  type ProcedureResolver,
  type ProcedureVersion,
  parseJsonl,
  parseManifest,
  replayConversation,
  verifyExport,
  whatIf,
  withReplacedFile,
} from '../shared/audit/index.ts';
import { type StoredEvent, StoredEventSchema } from '../shared/events/catalogue.ts';
import { createEventStore } from '../shared/events/store.ts';
import { createContentStore } from '../shared/registry/content.ts';
import { createAopRegistry } from '../shared/registry/registry.ts';
import {
  type AuditTarget,
  connect,
  eventsOfStream,
  holdsCiphertext,
  loadTenants,
  openConversation,
  readStream,
  registryResolver,
  type Tenants,
} from './audit.ts';
import { type CliIo, CliUsageError, processIo } from './io.ts';
import { type AuditFlags, runAop } from './program.ts';

/**
 * `aop replay`: re-run a recorded conversation exactly (OK, or the first difference), or run its
 * customer turns against another procedure text (`--aop-file`) or version (`--version N`) and show
 * where and how it would have behaved differently. Nothing is called for real either way.
 */

/** How a version's files are found; the registry by default, stubbed in tests. */
export type VersionLoader = (aopId: string, version: number) => Promise<ProcedureVersion>;

export interface ReplayCliDependencies {
  readonly io?: CliIo;
  /** Versions for `--version N` (and for pinned versions); default: the AOP registry of the target. */
  readonly loadVersion?: (target: AuditTarget | undefined) => VersionLoader;
}

function registryLoader(target: AuditTarget | undefined): VersionLoader {
  return async (aopId, version) => {
    if (!target)
      throw new CliUsageError(
        '--version needs the registry: replay a stored conversation, not an export file',
      );
    const registry = createAopRegistry({
      events: createEventStore({ client: target.client, tableName: target.tableName }),
      contents: createContentStore({ client: target.client, tableName: target.tableName }),
    });
    const content = await registry.content(aopId, version);
    return { aopId, files: content.files };
  };
}

/** `version.json` beside an export: the registry content of the version that made it. */
const PinnedVersionSchema = z.object({
  aopId: z.string(),
  version: z.int(),
  content: z.object({ files: z.array(z.object({ path: z.string(), text: z.string() })).min(1) }),
});

/** `aop replay …` with these arguments (as typed after `replay`). */
export function runReplay(argv: readonly string[], deps: ReplayCliDependencies = {}): Promise<number> {
  return runAop(['replay', ...argv], {
    ...(deps.io ? { io: deps.io } : {}),
    ...(deps.loadVersion ? { loadVersion: deps.loadVersion } : {}),
  });
}

export async function replay(
  id: string | undefined,
  values: AuditFlags & {
    readonly aopFile?: string | undefined;
    readonly version?: string | undefined;
    readonly file?: string | undefined;
  },
  deps: ReplayCliDependencies = {},
): Promise<number> {
  const io = deps.io ?? processIo;
  const positionals = id === undefined ? [] : [id];
  let target: AuditTarget | undefined;
  try {
    if (values.aopFile && values.version) throw new CliUsageError('give --aop-file or --version, not both');
    const version = values.version === undefined ? undefined : Number(values.version);
    if (version !== undefined && (!Number.isInteger(version) || version < 1))
      throw new CliUsageError(`--version must be a version number (1, 2, …), not "${values.version}"`);
    const warnings: string[] = [];
    let events: StoredEvent[];
    let resolve: ProcedureResolver;
    let tenants: Tenants;
    // Decrypted events: compare what they say; the chain (verified as stored) covers the ciphertext.
    let decrypted: { integrity: IntegrityReport } | undefined;
    if (values.file) {
      if (positionals.length > 0) throw new CliUsageError('give a conversation id or --file, not both');
      events = readExport(values.file, io);
      tenants = await loadTenants(values.aops ? [values.aops] : ['aops']);
      resolve = exportResolver(values.file, tenants, (line) => warnings.push(line));
    } else {
      if (positionals.length !== 1)
        throw new CliUsageError('give one conversation id, or --file EXPORT.jsonl (aop replay --help)');
      target = connect({
        tenant: values.tenant,
        ...(values.platform ? { platformFile: values.platform } : {}),
        ...(values.masterKey ? { masterKeyFile: values.masterKey } : {}),
      });
      const stream = await readStream(target, positionals[0]!);
      const stored = eventsOfStream(stream);
      if (!stored.integrity.ok) io.err(`warning: ${formatIntegrity(stored.integrity)}\n`);
      const opened = await openConversation(target, stream.conversationId, stored.events);
      if (opened.readability === 'erased' || opened.readability === 'encrypted')
        throw new CliUsageError(
          `${stream.conversationId} cannot be replayed: ${opened.note}. \`aop audit verify\` still proves its log is intact.`,
        );
      events = opened.events;
      if (opened.readability === 'decrypted') decrypted = { integrity: stored.integrity };
      tenants = await loadTenants(values.aops ? [values.aops] : ['aops'], target.source.tenant);
      resolve = registryResolver(target, tenants, (line) => warnings.push(line));
    }
    const routed = events.find((event) => event.type === 'aop.selected');
    const aopId = routed?.type === 'aop.selected' ? routed.data.aopId : undefined;
    if (!aopId) throw new CliUsageError('the conversation never ran a procedure: nothing to replay');

    if (values.aopFile || version !== undefined) {
      let procedure: ProcedureVersion;
      let label: string;
      if (values.aopFile) {
        const path = values.aopFile;
        const text = readFileSync(path, 'utf8');
        const fileAop = aopIdOf({ path, text });
        if (!fileAop) throw new CliUsageError(`${path} has no \`id:\` in its front matter`);
        const pinned = events.find(
          (event) => event.type === 'turn.started' && event.aop?.id === fileAop,
        )?.aop;
        if (!pinned)
          throw new CliUsageError(`the conversation never ran ${fileAop}, the procedure ${path} defines`);
        procedure = withReplacedFile(
          await resolve(pinned),
          { path: relative(process.cwd(), path), text },
          fileAop,
        );
        label = path;
      } else {
        procedure = await (deps.loadVersion ?? registryLoader)(target)(aopId, version!);
        label = `version ${version}`;
      }
      const conversation = tenants.conversationFor(procedure.aopId);
      const report = await whatIf(events, {
        catalogue: tenants.catalogueFor(procedure.aopId),
        procedure,
        resolve,
        ...(conversation === undefined ? {} : { conversation }),
      });
      io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatWhatIf(report, label));
      for (const warning of warnings) io.err(`warning: ${warning}\n`);
      return report.divergence ? 1 : 0;
    }

    const conversation = tenants.conversationFor(aopId);
    const report = await replayConversation(events, {
      catalogue: tenants.catalogueFor(aopId),
      resolve,
      ...(conversation === undefined ? {} : { conversation }),
      ...(decrypted ? { decrypted: true, integrity: decrypted.integrity } : {}),
    });
    io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReplay(report));
    for (const warning of warnings) io.err(`warning: ${warning}\n`);
    return report.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.err(`aop replay: ${error.message}\n`);
      return 2;
    }
    throw error;
  } finally {
    target?.client.destroy();
  }
}

/** An export's events, verified against its manifest first (a broken export is replayed, with a warning). */
function readExport(file: string, io: CliIo): StoredEvent[] {
  const jsonl = readFileSync(file, 'utf8');
  const manifestFile = manifestPathOf(file);
  if (existsSync(manifestFile)) {
    const report = verifyExport(jsonl, parseManifest(manifestFile, readFileSync(manifestFile, 'utf8')));
    if (!report.ok) io.err(`warning: ${formatIntegrity(report)}\n`);
  } else io.err(`warning: ${manifestFile} is missing; the export's head and count are not checked\n`);
  const events = parseJsonl(jsonl).map((event, index) => {
    const parsed = StoredEventSchema.safeParse(event);
    if (!parsed.success) throw new CliUsageError(`${file}:${index + 1} is not a stored event`);
    return parsed.data;
  });
  if (holdsCiphertext(events))
    throw new CliUsageError(
      `${file} holds customer data encrypted, as stored: replay the conversation itself where its key is (aop replay <conversation>)`,
    );
  return events;
}

/** An export replays on the `version.json` beside it (how goldens are kept), else on today's files. */
function exportResolver(file: string, tenants: Tenants, warn: (line: string) => void): ProcedureResolver {
  const beside = join(dirname(file), 'version.json');
  const pinned = existsSync(beside)
    ? PinnedVersionSchema.parse(JSON.parse(readFileSync(beside, 'utf8')))
    : undefined;
  return (aop) => {
    if (pinned && pinned.aopId === aop.id && pinned.version === aop.version)
      return { aopId: pinned.aopId, files: pinned.content.files };
    const working = tenants.workingVersion(aop.id);
    if (!working) throw new CliUsageError(`no files for ${aop.id}@${aop.version}`);
    warn(`${aop.id}@${aop.version}: no version.json beside the export; using today's files`);
    return working;
  };
}
