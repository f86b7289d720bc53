// Loaded first: some bench modules run state machines in aws-local-stepfunctions (needs it on Node 20).
import '../shared/polyfills.ts';

// Lambda runs Node 22; on Node 20 the SDK prints a support notice that would clutter the figures.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchOptions } from './options.ts';

/**
 * `npm run bench [--short] [name…]`: imports every `bench/*.bench.ts` module and calls its
 * `run(options)`, which prints its own figures. Arguments keep only the modules whose file name
 * contains one of them (`npm run bench compile`). Modules run one after the other, so figures do not
 * disturb each other. `--short` (CI) takes fewer samples: every figure, less precisely, in about two
 * minutes. Exit 1 if any module failed.
 */

interface BenchModule {
  run(options?: BenchOptions): Promise<void>;
}

const SHORT = '--short';

function isBenchModule(value: unknown): value is BenchModule {
  return typeof (value as { run?: unknown } | null)?.run === 'function';
}

async function main(args: readonly string[]): Promise<number> {
  const options: BenchOptions = { short: args.includes(SHORT) };
  const filters = args.filter((arg) => arg !== SHORT);
  const unknown = filters.find((arg) => arg.startsWith('-'));
  if (unknown) {
    process.stderr.write(`bench: unknown option ${unknown}; usage: npm run bench -- [${SHORT}] [name…]\n`);
    return 2;
  }
  const dir = import.meta.dirname;
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.bench.ts'))
    .filter((name) => filters.length === 0 || filters.some((filter) => name.includes(filter)))
    .sort();
  if (files.length === 0) {
    process.stderr.write(`bench: no bench/*.bench.ts module matches ${filters.join(', ') || 'anything'}\n`);
    return 1;
  }
  if (files.length > 1) {
    // Each module in its own process: a module that starts the local platform configures handler
    // modules through process.env once per process, and figures must not disturb each other.
    let failed = 0;
    for (const file of files) {
      const child = spawnSync(
        process.execPath,
        [...process.execArgv, import.meta.filename, ...(options.short ? [SHORT] : []), file],
        { stdio: 'inherit' },
      );
      if (child.status !== 0) failed++;
    }
    process.stdout.write(
      `\nbench: ${failed === 0 ? `all ${files.length} modules passed` : `${failed} of ${files.length} modules failed`}\n`,
    );
    return failed > 0 ? 1 : 0;
  }
  let failed = 0;
  for (const file of files) {
    process.stdout.write(`\n== ${file}${options.short ? ' (short)' : ''} ==\n`);
    const module: unknown = await import(pathToFileURL(join(dir, file)).href);
    if (!isBenchModule(module)) {
      process.stderr.write(`bench: ${file} does not export "async function run(): Promise<void>"\n`);
      failed++;
      continue;
    }
    const started = performance.now();
    try {
      await module.run(options);
    } catch (error) {
      failed++;
      process.stderr.write(
        `bench: ${file} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    process.stdout.write(`(${file}: ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  }
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
