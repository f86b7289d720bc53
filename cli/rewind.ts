import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createConversationLock } from '../shared/engine/lock.ts';
import type { ToolRuntime } from '../shared/engine/tenant.ts';
import { isInvalidRewindError, isRewindBusyError } from '../shared/rewind/errors.ts';
import { rewindConversation } from '../shared/rewind/rewind.ts';
import { loadProjects } from './project.ts';
import { type CliIo, CONNECTION_OPTIONS, connect, eventsOf, processIo } from './versions.ts';

/**
 * `aop rewind <conversation> --to SEQ [--reason "…"]`: undoes what the conversation did after SEQ with
 * each write's compensating tool, recording it in the log; hands the rest to a person with the reason.
 */

export const REWIND_USAGE = `  rewind <conversation> --to SEQ   undo the conversation's actions after SEQ (compensating tools); what
                                   cannot be undone goes to a person; running it again does nothing more
`;

/** The tenant's tools, from its `tenant.ts` (which exports `createToolRuntime`). */
async function tenantTools(
  aopsDir: string,
  cwd: string,
  client: DynamoDBClient,
  tablePrefix: string,
): Promise<ToolRuntime> {
  const { projects } = await loadProjects([resolve(cwd, aopsDir)], cwd);
  const project = projects[0];
  if (!project) throw new Error(`No tenant (tenant.ts) under ${aopsDir}`);
  const module = (await import(pathToFileURL(join(project.dir, 'tenant.ts')).href)) as {
    createToolRuntime?: (options: { client: DynamoDBClient; tablePrefix: string }) => ToolRuntime;
  };
  if (!module.createToolRuntime)
    throw new Error(
      `${join(project.dir, 'tenant.ts')} exports no createToolRuntime({ client, tablePrefix })`,
    );
  return module.createToolRuntime({ client, tablePrefix });
}

export async function runRewindCommand(args: string[], io: CliIo = processIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      ...CONNECTION_OPTIONS,
      to: { type: 'string' },
      reason: { type: 'string' },
      aops: { type: 'string' },
    },
  });
  const [conversationId] = positionals;
  const toSeq = Number(values.to);
  if (!conversationId || positionals.length !== 1 || values.to === undefined || !Number.isInteger(toSeq)) {
    io.err('aop rewind: give a conversation id and --to SEQ, e.g. aop rewind 3f17… --to 24\n');
    return 2;
  }
  const connection = connect(values, io.cwd);
  try {
    const report = await rewindConversation(
      {
        events: eventsOf(connection),
        tools: await tenantTools(
          values.aops ?? join('aops', 'retail'),
          io.cwd,
          connection.dynamodb,
          connection.dataTablePrefix,
        ),
        lock: createConversationLock({ client: connection.dynamodb, tableName: connection.eventsTable }),
      },
      { conversationId, toSeq, ...(values.reason ? { reason: values.reason } : {}) },
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
