import { readdirSync, readFileSync } from 'node:fs';

/**
 * This user's processes, other than this one, whose environment carries `AOP_TEST_MARKER=<marker>`: a
 * platform a test started and everything it spawned (a DynamoDB Local JVM inherits the environment).
 * How the local-platform tests prove that nothing they started outlives them.
 */
export function processesMarked(marker: string): { pid: number; command: string }[] {
  const found: { pid: number; command: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (!readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(`AOP_TEST_MARKER=${marker}`))
        continue;
      const command = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      found.push({ pid: Number(entry), command });
    } catch {
      // Gone meanwhile, or another user's.
    }
  }
  return found;
}
