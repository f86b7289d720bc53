import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  compileProject,
  explainMermaid,
  explainText,
  formatDiagnostic,
  hasErrors,
} from '../shared/aop/index.ts';
import { DEFAULT_CHAT_URL, runChat } from './chat.ts';
import { TEST_USAGE } from './conversation-tests/usage.ts';
import { ERASE_USAGE, runEraseCommand } from './erase.ts';
import { loadProjects } from './project.ts';
import { REWIND_USAGE, runRewindCommand } from './rewind.ts';
import { runVersionsCommand, VERSIONS_USAGE } from './versions.ts';

const USAGE = `Usage: aop <command> [options]

Commands:
  check [paths…] [--json]          validate procedures (default path: aops/); exit 1 on errors
  compile [paths…] --out DIR       write DIR/<aop-id>/{ir,asl,manifest}.json
  explain <aop-file|aop-id>        the compiled flow as text and as a Mermaid flowchart
${VERSIONS_USAGE}${REWIND_USAGE}${ERASE_USAGE}  audit show|verify|export …        a conversation's timeline, hash chain check, export (aop audit for details)
  replay <conversation> [--aop-file PATH | --version N]
                                   re-run a conversation exactly, or what-if on another procedure text
  chat [--url URL]                 talk to a running platform (npm start) from the terminal;
                                   default URL ${DEFAULT_CHAT_URL}; /new, /events, Ctrl+D to quit
${TEST_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // Audit and replay take their own flags; loaded on demand (replay pulls in the local executor).
  if (command === 'audit') return (await import('./audit.ts')).runAudit(rest);
  if (command === 'replay') return (await import('./replay.ts')).runReplay(rest);
  // Registry commands take their own flags (--note, --to, connection flags).
  if (command === 'versions' || command === 'diff' || command === 'publish' || command === 'rollback')
    return runVersionsCommand(command, rest);
  if (command === 'rewind') return runRewindCommand(rest);
  if (command === 'erase') return runEraseCommand(rest);
  // Conversation tests start the local platform in-process: loaded on demand.
  if (command === 'test') return (await import('./conversation-tests/command.ts')).runTestCommand(rest);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      out: { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (!command || values.help || command === 'help') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  switch (command) {
    case 'check':
      return check(positionals.length > 0 ? positionals : ['aops'], Boolean(values.json));
    case 'compile':
      if (!values.out) {
        process.stderr.write('aop compile: --out DIR is required\n');
        return 2;
      }
      return compile(positionals.length > 0 ? positionals : ['aops'], values.out);
    case 'explain':
      if (positionals.length !== 1) {
        process.stderr.write('aop explain: give one procedure file or id\n');
        return 2;
      }
      return explain(positionals[0]!);
    case 'chat':
      return runChat({ url: values.url ?? DEFAULT_CHAT_URL, ...localOperatorToken(values.url) });
    default:
      process.stderr.write(`aop: unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

async function compileAll(paths: string[]) {
  const { projects, orphans, requested } = await loadProjects(paths);
  const results = projects.flatMap((project) => {
    const texts = new Map(project.sources.map((source) => [source.path, source.text]));
    return compileProject(project.sources, { catalogue: project.catalogue }).map((result) => ({
      result,
      text: texts.get(result.file),
    }));
  });
  return { results: results.filter(({ result }) => requested.has(result.file)), orphans };
}

async function check(paths: string[], json: boolean): Promise<number> {
  const { results, orphans } = await compileAll(paths);
  const diagnostics = results.flatMap(({ result }) => result.diagnostics);
  if (json) {
    process.stdout.write(`${JSON.stringify({ files: results.length, diagnostics, orphans }, null, 2)}\n`);
  } else {
    for (const { result, text } of results)
      for (const d of result.diagnostics)
        process.stdout.write(`${formatDiagnostic(d, text, { color: process.stdout.isTTY })}\n\n`);
    for (const orphan of orphans)
      process.stdout.write(`${orphan}: skipped, no tenant.ts in its folder or above\n`);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    process.stdout.write(
      `${results.length} procedure(s) checked: ${errors} error(s), ${diagnostics.length - errors} warning(s).\n`,
    );
  }
  return hasErrors(diagnostics) || results.length === 0 ? 1 : 0;
}

async function compile(paths: string[], out: string): Promise<number> {
  const { results } = await compileAll(paths);
  let failed = false;
  for (const { result, text } of results) {
    for (const d of result.diagnostics) process.stdout.write(`${formatDiagnostic(d, text)}\n\n`);
    if (!result.asl || !result.manifest) {
      failed = true;
      continue;
    }
    const dir = join(out, result.id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ir.json'), `${JSON.stringify(result.ir, null, 2)}\n`);
    writeFileSync(join(dir, 'asl.json'), `${JSON.stringify(result.asl, null, 2)}\n`);
    writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(result.manifest, null, 2)}\n`);
    process.stdout.write(
      `${result.file} → ${dir}/ (${result.manifest.stateCount} states, ${result.manifest.definitionBytes} bytes)\n`,
    );
  }
  return failed || results.length === 0 ? 1 : 0;
}

async function explain(target: string): Promise<number> {
  const isFile = target.endsWith('.md');
  const { results } = await compileAll(isFile ? [target] : ['aops']);
  const found = results.find(({ result }) => (isFile ? true : result.id === target));
  if (!found) {
    process.stderr.write(`aop explain: no procedure "${target}"\n`);
    return 1;
  }
  const { result, text } = found;
  process.stdout.write(`${explainText(result.ir)}\n\n`);
  for (const d of result.diagnostics) process.stdout.write(`${formatDiagnostic(d, text)}\n\n`);
  if (result.asl)
    process.stdout.write(
      `Compiled state machine (${Object.keys(result.asl.States).length} states):\n\n\`\`\`mermaid\n${explainMermaid(result.asl)}\n\`\`\`\n`,
    );
  return result.asl ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`aop: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);

/** The running local platform's operator token (for `/events`), when the chat talks to it. */
function localOperatorToken(url: string | undefined): { operatorToken?: string } {
  if (process.env.AOP_OPERATOR_TOKEN) return { operatorToken: process.env.AOP_OPERATOR_TOKEN };
  try {
    const file = join(import.meta.dirname, '../.cache/platform.json');
    const platform = JSON.parse(readFileSync(file, 'utf8')) as { url?: string; operatorToken?: string };
    if (!platform.operatorToken) return {};
    const same = url === undefined || new URL(url).origin === new URL(platform.url ?? '').origin;
    return same ? { operatorToken: platform.operatorToken } : {};
  } catch {
    return {};
  }
}
