import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createConversationLock } from '../shared/engine/lock.ts';
import type { ToolRuntime } from '../shared/engine/tenant.ts';
import { isInvalidRewindError, isRewindBusyError } from '../shared/rewind/errors.ts';
import { rewindConversation } from '../shared/rewind/rewind.ts';
import { isTenant } from '../shared/tenant/define-tenant.ts';
import { resolveConversationId } from './conversation-id.ts';
import { type CliIo, CliUsageError, processIo } from './io.ts';
import { type ConnectionFlags, runAop } from './program.ts';
import { loadProjects } from './project.ts';
import { connect, eventsOf } from './versions.ts';

/**
 * `aop rewind <conversation> --to SEQ [--reason "…"]`: undoes what the conversation did after SEQ with
 * each write's compensating tool, recording it in the log; hands the rest to a person with the reason.
 */

/**
 * The tenant's tools, from its `tenant.ts` (`export default defineTenant(...)`). With several tenants
 * under `aopsDir`, the one the connection serves (named after its folder).
 */
async function tenantTools(
  aopsDir: string,
  cwd: string,
  client: DynamoDBClient,
  tablePrefix: string,
  served: string,
): Promise<ToolRuntime> {
  const { projects } = await loadProjects([resolve(cwd, aopsDir)], cwd);
  const project =
    projects.find((candidate) => basename(candidate.dir) === served) ??
    (projects.length === 1 ? projects[0] : undefined);
  if (!project)
    throw new CliUsageError(
      projects.length === 0
        ? `No tenant (tenant.ts) under ${aopsDir}`
        : `${projects.length} tenants under ${aopsDir}: name the one "${served}" serves with --aops aops/<tenant>`,
    );
  const module = (await import(pathToFileURL(join(project.dir, 'tenant.ts')).href)) as {
    default?: unknown;
    createToolRuntime?: (options: { client: DynamoDBClient; tablePrefix: string }) => ToolRuntime;
  };
  if (isTenant(module.default)) {
    const tenant = module.default;
    return { ...tenant.createTools({ client, tablePrefix }), identity: tenant.identity };
  }
  if (!module.createToolRuntime)
    throw new Error(`${join(project.dir, 'tenant.ts')} has no \`export default defineTenant({...})\``);
  return module.createToolRuntime({ client, tablePrefix });
}

/** `aop rewind …` with these arguments (as typed after `rewind`). */
export function runRewindCommand(args: readonly string[], io: CliIo = processIo): Promise<number> {
  return runAop(['rewind', ...args], { io });
}

export async function rewind(
  idOrPrefix: string,
  flags: ConnectionFlags & {
    readonly to: string;
    readonly reason?: string | undefined;
    readonly aops: string;
  },
  io: CliIo,
): Promise<number> {
  const toSeq = Number(flags.to);
  if (!Number.isInteger(toSeq) || toSeq < 0)
    throw new CliUsageError(`--to must be the seq of an event (0, 1, 2, …), not "${flags.to}"`);
  const cwd = io.cwd ?? process.cwd();
  const connection = connect(flags, cwd);
  try {
    const events = eventsOf(connection);
    const conversationId = await resolveConversationId(events, idOrPrefix, connection.eventsTable);
    const report = await rewindConversation(
      {
        events,
        tools: await tenantTools(
          flags.aops,
          cwd,
          connection.dynamodb,
          connection.dataTablePrefix,
          connection.tenant,
        ),
        lock: createConversationLock({ client: connection.dynamodb, tableName: connection.eventsTable }),
      },
      { conversationId, toSeq, ...(flags.reason ? { reason: flags.reason } : {}) },
    );
    if (report.alreadyDone) {
      io.out(`${conversationId} was rewound to seq ${toSeq} already; nothing more to do.\n`);
      return 0;
    }
    io.out(`${conversationId} rewound to seq ${toSeq}.\n`);
    for (const item of report.compensated)
      io.out(`  undid seq ${item.forSeq} with ${item.tool} ${JSON.stringify(item.input)}\n`);
    for (const item of report.manual) io.out(`  left to a person: ${item.reason}\n`);
    if (report.manual.length > 0) io.out('  The conversation is escalated to a person.\n');
    if (report.compensated.length === 0 && report.manual.length === 0)
      io.out('  No action after that seq changed anything.\n');
    return 0;
  } catch (error) {
    if (isInvalidRewindError(error) || isRewindBusyError(error)) {
      io.err(`aop rewind: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    connection.close();
  }
}
