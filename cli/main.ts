import { runAop } from './program.ts';

/** `aop …`: the entry of cli/bin/aop.mjs. Commands and their help: program.ts. */
runAop(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`aop: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
