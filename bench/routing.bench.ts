import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogue, fallbackAop } from '../aops/retail/tenant.ts';
import {
  describeReport,
  measureRouting,
  ROUTING_HELDOUT_PATH,
  readRoutingCorpus,
  routesOfProject,
} from '../infra/local/model-endpoint/routing-accuracy.ts';
import { compileProject } from '../shared/aop/index.ts';

/**
 * Routing accuracy of the local extraction engine on the hand-written corpus of first messages
 * (test/fixtures/routing-corpus.json), through the routing request and decision a conversation uses,
 * and on the held-out set nobody tuned on (test/fixtures/routing-heldout.json).
 * Target: ≥ 95% correct; a clarifying question is better than a wrong procedure, so both are shown.
 */

const RETAIL_DIR = join(import.meta.dirname, '..', 'aops', 'retail');
const TARGET = 0.95;

export async function run(): Promise<void> {
  const sources = readdirSync(RETAIL_DIR)
    .filter((name) => name.endsWith('.md'))
    .map((name) => ({ path: `aops/retail/${name}`, text: readFileSync(join(RETAIL_DIR, name), 'utf8') }));
  const routes = routesOfProject(compileProject(sources, { catalogue }));
  const started = performance.now();
  const report = measureRouting(readRoutingCorpus(), routes, fallbackAop);
  const elapsed = performance.now() - started;
  process.stdout.write(`corpus (${report.total} messages, the router is tuned on it):\n`);
  for (const line of describeReport(report)) process.stdout.write(`  ${line}\n`);
  process.stdout.write(
    `  target ${(TARGET * 100).toFixed(0)}%: ${report.accuracy >= TARGET ? 'met' : 'NOT met'}; ${(elapsed / report.total).toFixed(2)} ms a message\n`,
  );
  const heldout = measureRouting(readRoutingCorpus(ROUTING_HELDOUT_PATH), routes, fallbackAop);
  process.stdout.write(`held-out set (${heldout.total} messages, never tuned on):\n`);
  for (const line of describeReport(heldout)) process.stdout.write(`  ${line}\n`);
  process.stdout.write('corpus by expected outcome:\n');
  const byExpected = new Map<string, { correct: number; total: number }>();
  for (const result of report.results) {
    const row = byExpected.get(result.entry.expect) ?? { correct: 0, total: 0 };
    row.total++;
    if (result.correct) row.correct++;
    byExpected.set(result.entry.expect, row);
  }
  for (const [expect, row] of [...byExpected].sort())
    process.stdout.write(`  ${expect.padEnd(26)} ${row.correct}/${row.total}\n`);
}
