/**
 * Measures verifyChain throughput (not a test: timing assertions are flaky on shared machines).
 * Run: npx tsx test/events/measure-verify.ts [events=200000]
 */
import { sealEvents, verifyChain } from '../../shared/events/index.ts';
import { conversation } from './fixtures.ts';

const count = Number(process.argv[2] ?? 200_000);
const events = JSON.parse(JSON.stringify(sealEvents(undefined, 'conv-measure', conversation(count))));

verifyChain(events.slice(0, 20_000)); // warm up the JIT
const runs: number[] = [];
for (let run = 0; run < 5; run++) {
  const start = process.hrtime.bigint();
  const result = verifyChain(events);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (!result.ok) throw new Error(`chain did not verify: ${result.message}`);
  runs.push(count / seconds);
}
runs.sort((a, b) => a - b);
const median = Math.round(runs[Math.floor(runs.length / 2)] ?? 0);
const bytes = Math.round(JSON.stringify(events).length / count);
console.log(
  `verifyChain: ${count} events (~${bytes} B each), median ${median.toLocaleString('en')} events/s`,
);
