import { resolve } from 'node:path';
import { simulate } from '../cli/simulation/simulate.ts';
import { startDynamoDbLocal } from '../infra/local/dynamodb-local.ts';
import { countDynamoDbRequests, databaseBound, measureDynamoDbCeiling } from './dynamodb-ceiling.ts';
import type { BenchOptions } from './options.ts';

/**
 * `aop simulate` on every retail procedure (cli/simulation/simulate.ts): coverage of the compiled
 * graphs (branches a customer can reach, loop bounds, guards, repair patterns), pass^1 and pass^3, and
 * simulated conversations a second. Target ≥ 50 conversations/s; target coverage 100% of the branches a
 * customer can reach. Failures are findings about the agent, printed as such: they do not fail the bench.
 *
 * Then the database's share: the DynamoDB requests a simulated conversation sent, DynamoDB Local's own
 * ceiling on this machine (bench/dynamodb-ceiling.ts, measured on the same instance after the run) and
 * the conversations a second that ceiling allows at best, so the rate is read against what bounds it.
 */

const SIZES = {
  full: { budget: 40, variants: 4, k: 3 },
  short: { budget: 12, variants: 2, k: 3 },
} as const;
const RATE_TARGET = 50;

export async function run({ short = false, dynamodbEndpoint }: BenchOptions = {}): Promise<void> {
  const size = short ? SIZES.short : SIZES.full;
  // One DynamoDB Local for the run and the ceiling measured after it (warm, as the run left it).
  const local = dynamodbEndpoint ? undefined : await startDynamoDbLocal();
  const endpoint = dynamodbEndpoint ?? local!.endpoint;
  try {
    await simulateAndMeasure(size, short, endpoint);
  } finally {
    await local?.stop();
  }
}

async function simulateAndMeasure(
  size: (typeof SIZES)[keyof typeof SIZES],
  short: boolean,
  dynamodbEndpoint: string,
): Promise<void> {
  const requests = countDynamoDbRequests();
  const report = await simulate({
    aopsDir: resolve(import.meta.dirname, '../aops/retail'),
    seed: 1,
    concurrency: 8,
    ...size,
    dynamodbEndpoint,
  }).finally(requests.stop);
  const ceiling = await measureDynamoDbCeiling(dynamodbEndpoint, short ? 1 : 3);
  const perConversation = {
    reads: requests.count.reads / report.conversations,
    writes: requests.count.writes / report.conversations,
  };
  const bound = databaseBound(perConversation, ceiling);
  const sum = (pick: (procedure: (typeof report.procedures)[number]) => number) =>
    report.procedures.reduce((total, procedure) => total + pick(procedure), 0);
  const part = (covered: number, of: number) =>
    `${covered}/${of} (${of === 0 ? '–' : `${((100 * covered) / of).toFixed(1)}%`})`;
  const coverage = (kind: 'branch' | 'loop-bound' | 'guard' | 'repair') =>
    part(
      sum((procedure) => procedure.coverage[kind].covered),
      sum((procedure) => procedure.coverage[kind].of),
    );
  const pass1 = {
    passed: sum((procedure) => procedure.pass1.passed),
    of: sum((procedure) => procedure.pass1.of),
  };
  const passK = {
    passed: sum((procedure) => procedure.passK.passed),
    of: sum((procedure) => procedure.passK.of),
  };
  const branches = {
    covered: sum((procedure) => procedure.coverage.branch.covered),
    of: sum((procedure) => procedure.coverage.branch.of),
  };
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(
    `retail, ${report.procedures.length} procedures, seed 1, budget ${size.budget}, ${size.variants} variants × k ${size.k}${short ? ' (--short)' : ''}`,
  );
  out(
    `  ${report.conversations} simulated conversations in ${(report.durationMs / 1000).toFixed(1)} s (platform start included)`,
  );
  out(
    `  rate: ${report.conversationsPerSecond.toFixed(1)} conversations/s  ${report.conversationsPerSecond >= RATE_TARGET ? 'ok' : 'BELOW TARGET'} (target ≥ ${RATE_TARGET})`,
  );
  out(
    `  branches a customer can reach: ${part(branches.covered, branches.of)}  ${branches.covered === branches.of ? 'ok' : 'BELOW TARGET'} (target 100%)`,
  );
  out(
    `  loop bounds: ${coverage('loop-bound')}; guards: ${coverage('guard')}; repair patterns: ${coverage('repair')}`,
  );
  out(
    `  pass^1 ${part(pass1.passed, pass1.of)}, pass^${size.k} ${part(passK.passed, passK.of)}: ${pass1.passed === passK.passed ? `pass^${size.k} = pass^1` : `pass^${size.k} < pass^1`}; ${sum((procedure) => procedure.unstable)} variants answered differently across their ${size.k} runs`,
  );
  out(`  failures (findings about the agent, see aop simulate): ${report.failures.length}`);
  out(
    `  DynamoDB requests a conversation (the simulator's own data checks included): ${perConversation.reads.toFixed(1)} reads, ${perConversation.writes.toFixed(1)} writes`,
  );
  out(
    `  DynamoDB Local's ceiling here (16 in flight, nothing else running): ${ceiling.getsPerSecond.toFixed(0)} GetItem/s, ${ceiling.queriesPerSecond.toFixed(0)} Query/s, ${ceiling.putsPerSecond.toFixed(0)} PutItem/s, ${ceiling.appendsPerSecond.toFixed(0)} appends/s (TransactWriteItems of 2 puts)`,
  );
  out(
    `  → the database alone allows at most ${bound.toFixed(1)} conversations/s (its core to itself, the rest of the platform free); measured ${report.conversationsPerSecond.toFixed(1)}`,
  );
}
