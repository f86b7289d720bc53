import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { type CliIo, isCliUsageError, processIo } from './io.ts';
import type { ReplayCliDependencies } from './replay.ts';

/**
 * The `aop` command line: every command, its arguments, options and help, declared with commander.
 * Each command's module is imported only when that command runs, so `aop help`, `--version` and a
 * mistyped flag load nothing but this file; `aop check` never loads the AWS SDK.
 */

export interface CliContext {
  readonly io?: CliIo;
  /** `aop replay --version N`: where versions come from (default: the AOP registry); for tests. */
  readonly loadVersion?: ReplayCliDependencies['loadVersion'];
}

/** Flags that say where a platform's tables and endpoints are (registry, rewind, erase). */
export interface ConnectionFlags {
  readonly tenant?: string;
  readonly dynamodb?: string;
  readonly sfn?: string;
  readonly eventsTable?: string;
  readonly dataTablePrefix?: string;
  readonly stateMachine?: string;
  readonly keysTable?: string;
  readonly masterKey?: string;
  readonly platform?: string;
}

/** Flags of the audit and replay commands (they read the events, never write). */
export interface AuditFlags {
  readonly tenant?: string;
  readonly platform?: string;
  readonly masterKey?: string;
  readonly json?: boolean;
  readonly aops?: string;
}

const CONNECTION_HELP = 'Connection (default: the platform `npm start` runs, from .cache/platform.json):';

function withConnection(command: Command): Command {
  return command
    .optionsGroup(CONNECTION_HELP)
    .option(
      '--tenant <name>',
      "a deployed tenant: its tables (<name>-events, …) with the AWS SDK's configuration",
    )
    .option('--platform <file>', 'the local platform file (default .cache/platform.json)')
    .option('--dynamodb <url>', 'DynamoDB endpoint')
    .option('--sfn <url>', 'Step Functions endpoint')
    .option('--events-table <name>', 'the event table')
    .option('--data-table-prefix <prefix>', "prefix of the tenant's data tables")
    .option('--keys-table <name>', 'the table of per-conversation data keys')
    .option('--master-key <file>', 'the local master key that opens customer data')
    .option('--state-machine <arn>', 'the state machine (or alias) of the procedure');
}

function withAuditSource(command: Command): Command {
  return command
    .option('--json', 'machine-readable output')
    .optionsGroup(CONNECTION_HELP)
    .option('--tenant <name>', 'read a deployed tenant (table <name>-events, AWS environment)')
    .option('--platform <file>', 'the local platform file (default .cache/platform.json)')
    .option(
      '--master-key <file>',
      "the key that opens encrypted customer data (default: the platform file's, else .cache/local-master-key)",
    )
    .option('--aops <dir>', 'the procedures and tenant.ts (default aops/)');
}

function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(join(import.meta.dirname, 'package.json'), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? '0.0.0';
}

/** Builds the program; `run` records the exit code of the action that ran. */
export function createProgram(
  context: CliContext,
  run: (name: string, action: () => Promise<number>) => Promise<void>,
) {
  const io = context.io ?? processIo;
  const program = new Command('aop');
  const leaf = (command: Command) =>
    command
      .configureOutput({
        writeOut: (text) => io.out(text),
        writeErr: (text) => io.err(text),
        outputError: (text, write) => write(`aop ${command.name()}: ${text.replace(/^error: /, '')}`),
      })
      .exitOverride()
      .showSuggestionAfterError(true);

  leaf(program)
    .usage('<command> [options]')
    .description(
      'Agent Operating Procedures: check, compile and explain procedures; chat; audit, replay, release, rewind and erase conversations.',
    )
    .version(cliVersion(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'print the usage of aop or of a command')
    .helpCommand('help [command]', 'print the usage of aop or of a command')
    .enablePositionalOptions()
    .showHelpAfterError(false);
  const command = (name: string) => leaf(program.command(name));

  command('check')
    .description('validate procedures; exit 1 on errors (tsc-style output with a code frame)')
    .argument('[paths...]', 'procedure files or folders', ['aops'])
    .option('--json', 'the diagnostics as JSON')
    .action((paths: string[], options: { json?: boolean }) =>
      run('check', async () => (await import('./check.ts')).check(paths, options, io)),
    );

  command('compile')
    .description('write DIR/<aop-id>/{ir,asl,manifest}.json for every procedure')
    .argument('[paths...]', 'procedure files or folders', ['aops'])
    .requiredOption('--out <dir>', 'where to write')
    .action((paths: string[], options: { out: string }) =>
      run('compile', async () => (await import('./check.ts')).compile(paths, options, io)),
    );

  command('explain')
    .description('the compiled flow as text and as a Mermaid flowchart')
    .argument('<aop>', 'a procedure file (.md) or a procedure id')
    .action((target: string) => run('explain', async () => (await import('./check.ts')).explain(target, io)));

  command('chat')
    .description('talk to a running platform (npm start) from the terminal; /new, /events, Ctrl+D to quit')
    .option('--url <url>', 'the platform (default http://127.0.0.1:3000, the one npm start runs)')
    .action((options: { url?: string }) =>
      run('chat', async () => (await import('./chat-command.ts')).chatCommand(options)),
    );

  command('test')
    .description(
      'run the conversation tests (aops/<tenant>/tests/*.yaml) on an in-process local platform; exit 1 when one fails, 2 on bad files (docs/conversation-tests.md)',
    )
    .argument('[paths...]', 'test files or folders', ['aops'])
    .option('--json', 'the report as JSON')
    .option('--filter <text>', 'only the tests whose name contains it')
    .option('--dynamodb-endpoint <url>', 'a DynamoDB Local to use (default: one started for the run)')
    .option(
      '--aops <folder>',
      'the tenant for test files outside a tenant folder (default: the only one under aops/)',
    )
    .action(
      (
        paths: string[],
        options: { json?: boolean; filter?: string; dynamodbEndpoint?: string; aops?: string },
      ) =>
        run('test', async () =>
          (await import('./conversation-tests/command.ts')).testCommand(paths, options),
        ),
    );

  command('simulate')
    .description(
      "simulated customers driven by each procedure's compiled graph, on an in-process local platform: coverage of branches, loop bounds, guards and repair patterns, pass^1 and pass^k, and an aop test file for each failure; exit 1 when one fails",
    )
    .argument(
      '[aops...]',
      'a tenant folder, procedure files or procedure ids (default: the only tenant under aops/)',
    )
    .option('--seed <n>', 'the simulated customers and their words (default 1)')
    .option(
      '--variants <n>',
      'impatient retellings of each path found, each with a repair pattern (default 4)',
    )
    .option('--k <n>', 'runs of each retelling; pass^k needs every one to pass (default 3)')
    .option('--budget <n>', 'plain-words conversations per procedure to find paths (default 40)')
    .option('--concurrency <n>', 'conversations at once, never two of one customer (default 8)')
    .option('--out <dir>', 'where the aop test files of failures go (default .cache/simulate)')
    .option('--json', 'the report as JSON')
    .option('--dynamodb-endpoint <url>', 'a DynamoDB Local to use (default: one started for the run)')
    .action((aops: string[], options: Record<string, string | boolean | undefined>) =>
      run('simulate', async () => (await import('./simulate.ts')).simulateCommand(aops, options, io)),
    );

  const audit = command('audit')
    .description("a conversation's timeline with source lines, hash-chain check, export (docs/audit.md)")
    .usage('show|verify|export … [options]')
    .action(() => {
      audit.outputHelp({ error: true });
      return run('audit', async () => 2);
    });
  const auditCommand = (name: string) =>
    leaf(audit.command(name)).configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      outputError: (text, write) => write(`aop audit ${name}: ${text.replace(/^error: /, '')}`),
    });
  withAuditSource(
    auditCommand('show')
      .description("the conversation's timeline: who said what, each event's step and source line")
      .argument('<conversation>', 'its id, or a prefix only it starts with'),
  ).action((id: string, options: AuditFlags) =>
    run('audit show', async () => (await import('./audit.ts')).show(id, options, io)),
  );
  withAuditSource(
    auditCommand('verify')
      .description(
        'check the hash chain of a conversation, of every one (--all) or of an export (--file); exit 1 on a broken one',
      )
      .argument('[conversation]', 'its id, or a prefix only it starts with')
      .option('--all', 'every conversation in the table')
      .option('--file <export.jsonl>', 'verify an export offline (the file and FILE.manifest.json)'),
  ).action((id: string | undefined, options: AuditFlags & { all?: boolean; file?: string }) =>
    run('audit verify', async () => (await import('./audit.ts')).verify(id, options, io)),
  );
  withAuditSource(
    auditCommand('export')
      .description('the conversation as JSON Lines, and FILE.manifest.json')
      .argument('<conversation>', 'its id, or a prefix only it starts with')
      .requiredOption('--out <file>', 'where to write'),
  ).action((id: string, options: AuditFlags & { out: string }) =>
    run('audit export', async () => (await import('./audit.ts')).exportConversation(id, options, io)),
  );

  withAuditSource(
    command('replay')
      .description(
        're-run every recorded turn on its pinned version (OK or the first difference), or what-if against another procedure file or version',
      )
      .argument('[conversation]', 'its id, or a prefix only it starts with')
      .option('--aop-file <path>', 'what-if: the same customer turns against this procedure file')
      .option('--version <n>', "what-if: … against version N of the conversation's procedure")
      .option('--file <export.jsonl>', 'replay an audit export instead of a stored conversation (offline)'),
  ).action(
    (id: string | undefined, options: AuditFlags & { aopFile?: string; version?: string; file?: string }) =>
      run('replay', async () =>
        (await import('./replay.ts')).replay(id, options, {
          io,
          ...(context.loadVersion ? { loadVersion: context.loadVersion } : {}),
        }),
      ),
  );

  withAuditSource(
    command('regress')
      .description(
        "run a procedure's recorded conversations on a candidate (file or version): each replayed exactly first, then run with its recorded customer messages, no side effect; differences grouped by step; exit 1 when one behaves differently",
      )
      .argument('<aop>', 'the procedure id')
      .option('--candidate <file>', 'the candidate procedure file')
      .option('--version <n>', 'a published version as the candidate')
      .option('--sample <n>', 'at most N conversations'),
  ).action((aopId: string, options: AuditFlags & { candidate?: string; version?: string; sample?: string }) =>
    run('regress', async () => (await import('./regress.ts')).regress(aopId, options, io)),
  );

  const shadow = command('shadow')
    .description(
      'run a candidate procedure beside the live one on live traffic, side effects suppressed; report agreement',
    )
    .usage('start|report|stop <aop> [options]')
    .action(() => {
      shadow.outputHelp({ error: true });
      return run('shadow', async () => 2);
    });
  const shadowCommand = (name: string) =>
    leaf(shadow.command(name)).configureOutput({
      writeOut: (text) => io.out(text),
      writeErr: (text) => io.err(text),
      outputError: (text, write) => write(`aop shadow ${name}: ${text.replace(/^error: /, '')}`),
    });
  withAuditSource(
    shadowCommand('start')
      .description(
        'from now on, every conversation of the procedure is also run on the candidate (as it is now)',
      )
      .argument('<aop>', 'the procedure id')
      .requiredOption('--candidate <file>', 'the candidate procedure file'),
  ).action((aopId: string, options: AuditFlags & { candidate?: string }) =>
    run('shadow start', async () => (await import('./shadow.ts')).shadowStart(aopId, options, io)),
  );
  withAuditSource(
    shadowCommand('report')
      .description(
        'how often the candidate agreed with the live version since the shadow started, and the first differences',
      )
      .argument('<aop>', 'the procedure id'),
  ).action((aopId: string, options: AuditFlags) =>
    run('shadow report', async () => (await import('./shadow.ts')).shadowReport(aopId, options, io)),
  );
  withAuditSource(
    shadowCommand('stop').description('stop shadowing the procedure').argument('<aop>', 'the procedure id'),
  ).action((aopId: string, options: AuditFlags) =>
    run('shadow stop', async () => (await import('./shadow.ts')).shadowStop(aopId, options, io)),
  );

  const registry = () => import('./versions.ts');
  withConnection(
    command('versions')
      .description('published versions of a procedure: number, time, content hash, note, which is live')
      .argument('<aop>', 'the procedure id')
      .option('--json', 'the history as JSON'),
  ).action((aopId: string, options: ConnectionFlags & { json?: boolean }) =>
    run('versions', async () => (await registry()).versions(aopId, options, io)),
  );
  withConnection(
    command('diff')
      .description('what changed from version A to version B, step by step (IR level)')
      .argument('<aop>', 'the procedure id')
      .argument('<a>', 'a version number')
      .argument('<b>', 'a version number')
      .option('--aops <dir>', 'the tenant folder with tenant.ts (tool catalogue)', 'aops'),
  ).action((aopId: string, a: string, b: string, options: ConnectionFlags & { aops: string }) =>
    run('diff', async () => (await registry()).diff(aopId, a, b, options, io)),
  );
  withConnection(
    command('publish')
      .description(
        'publish a procedure as its next version and make it live, once the release gate passes: its tests, and its recorded conversations replayed on it (aop regress); the verdict is recorded',
      )
      .argument('<file>', 'the procedure file')
      .requiredOption('--note <text>', 'what changed and why')
      .option('--accept-diff <id...>', 'behavioural differences (ids from aop regress) that are intended')
      .option('--tests <path...>', "the conversation tests the gate runs (default: the tenant's tests/)")
      .option('--no-simulation', "skip the gate's simulation (aop simulate, pass^3); recorded as skipped")
      .option('--force', 'publish even when the gate fails (recorded as forced)'),
  ).action((file: string, options: import('./versions.ts').PublishFlags) =>
    run('publish', async () => (await registry()).publish(file, options, io)),
  );
  withConnection(
    command('rollback')
      .description('point live at version N; conversations in flight keep their version')
      .argument('<aop>', 'the procedure id')
      .requiredOption('--to <n>', 'the version'),
  ).action((aopId: string, options: ConnectionFlags & { to: string }) =>
    run('rollback', async () => (await registry()).rollbackTo(aopId, options, io)),
  );

  withConnection(
    command('rewind')
      .description(
        "undo the conversation's actions after SEQ with compensating tools; what cannot be undone goes to a person; running it again does nothing more",
      )
      .argument('<conversation>', 'its id, or a prefix only it starts with')
      .requiredOption('--to <seq>', 'the last event to keep')
      .option('--reason <text>', 'recorded with the rewind')
      .option(
        '--aops <dir>',
        'the tenant folders with tenant.ts (tools): the one the platform serves',
        'aops',
      ),
  ).action((id: string, options: ConnectionFlags & { to: string; reason?: string; aops: string }) =>
    run('rewind', async () => (await import('./rewind.ts')).rewind(id, options, io)),
  );

  withConnection(
    command('erase')
      .description(
        "destroy the data keys of a customer's conversations, or of one (--conversation): crypto-shredding; the hash chains still verify",
      )
      .argument('[customer]', 'the customer id, e.g. sara_doe_496')
      .option('--conversation <id>', 'one conversation: its id, or a prefix only it starts with'),
  ).action((customer: string | undefined, options: ConnectionFlags & { conversation?: string }) =>
    run('erase', async () => (await import('./erase.ts')).erase(customer, options, io)),
  );

  return program;
}

/** Runs `aop …` (argv without the node and script paths); returns the exit code. */
export async function runAop(argv: readonly string[], context: CliContext = {}): Promise<number> {
  const io = context.io ?? processIo;
  let code = 0;
  const program = createProgram(context, async (name, action) => {
    try {
      code = await action();
    } catch (error) {
      if (!isCliUsageError(error)) throw error;
      io.err(`aop ${name}: ${error.message}\n`);
      code = 2;
    }
  });
  if (argv.length === 0) {
    program.outputHelp();
    return 2;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError)
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
        ? 0
        : 2;
    throw error;
  }
}
