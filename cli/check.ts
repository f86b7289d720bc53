import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  compileProject,
  explainMermaid,
  explainText,
  formatDiagnostic,
  hasErrors,
} from '../shared/aop/index.ts';
import { type CliIo, CliUsageError, progressOn, useColor } from './io.ts';
import { loadProjects } from './project.ts';

/** `aop check`, `aop compile`, `aop explain`: the compiler on the procedures of one or more tenants. */

async function compileAll(paths: readonly string[], io: CliIo, showProgress: boolean) {
  const cwd = io.cwd ?? process.cwd();
  const missing = paths.filter((path) => !existsSync(resolve(cwd, path)));
  if (missing.length > 0) throw new CliUsageError(`no such file or folder: ${missing.join(', ')}`);
  const progress = progressOn(showProgress);
  progress.update('loading the tenants…');
  const { projects, orphans, requested } = await loadProjects(paths, cwd);
  const results = projects.flatMap((project) => {
    progress.update(`compiling ${project.sources.length} procedure(s) of ${project.name}…`);
    const texts = new Map(project.sources.map((source) => [source.path, source.text]));
    return compileProject(project.sources, { catalogue: project.catalogue }).map((result) => ({
      result,
      text: texts.get(result.file),
    }));
  });
  progress.done();
  return { results: results.filter(({ result }) => requested.has(result.file)), orphans };
}

export async function check(
  paths: readonly string[],
  { json = false }: { readonly json?: boolean | undefined },
  io: CliIo,
): Promise<number> {
  const { results, orphans } = await compileAll(paths, io, !json);
  const diagnostics = results.flatMap(({ result }) => result.diagnostics);
  if (json) {
    io.out(`${JSON.stringify({ files: results.length, diagnostics, orphans }, null, 2)}\n`);
  } else {
    const color = useColor();
    for (const { result, text } of results)
      for (const d of result.diagnostics) io.out(`${formatDiagnostic(d, text, { color })}\n\n`);
    for (const orphan of orphans) io.out(`${orphan}: skipped, no tenant.ts in its folder or above\n`);
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    io.out(
      `${results.length} procedure(s) checked: ${errors} error(s), ${diagnostics.length - errors} warning(s).\n`,
    );
  }
  return hasErrors(diagnostics) || results.length === 0 ? 1 : 0;
}

export async function compile(
  paths: readonly string[],
  { out }: { readonly out: string },
  io: CliIo,
): Promise<number> {
  const { results } = await compileAll(paths, io, true);
  let failed = false;
  for (const { result, text } of results) {
    for (const d of result.diagnostics) io.out(`${formatDiagnostic(d, text)}\n\n`);
    if (!result.asl || !result.manifest) {
      failed = true;
      continue;
    }
    const dir = join(out, result.id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'ir.json'), `${JSON.stringify(result.ir, null, 2)}\n`);
    writeFileSync(join(dir, 'asl.json'), `${JSON.stringify(result.asl, null, 2)}\n`);
    writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(result.manifest, null, 2)}\n`);
    io.out(
      `${result.file} → ${dir}/ (${result.manifest.stateCount} states, ${result.manifest.definitionBytes} bytes)\n`,
    );
  }
  return failed || results.length === 0 ? 1 : 0;
}

export async function explain(target: string, io: CliIo): Promise<number> {
  const isFile = target.endsWith('.md');
  const { results } = await compileAll(isFile ? [target] : ['aops'], io, true);
  const found = results.find(({ result }) => (isFile ? true : result.id === target));
  if (!found) {
    io.err(`aop explain: no procedure "${target}"\n`);
    return 1;
  }
  const { result, text } = found;
  io.out(`${explainText(result.ir)}\n\n`);
  for (const d of result.diagnostics) io.out(`${formatDiagnostic(d, text)}\n\n`);
  if (result.asl)
    io.out(
      `Compiled state machine (${Object.keys(result.asl.States).length} states):\n\n\`\`\`mermaid\n${explainMermaid(result.asl)}\n\`\`\`\n`,
    );
  return result.asl ? 0 : 1;
}
