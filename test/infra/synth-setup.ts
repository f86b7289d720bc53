import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * A fresh log for the run, where `synth.ts` notes each tenant it synthesizes: the infra files share one
 * process and so one synthesis per tenant, and the log lets a test prove it (and makes a second
 * synthesis in this run, in any process, fail at once).
 */
export default function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'aop-infra-synth-'));
  project.provide('infraSynthLog', join(dir, 'syntheses.log'));
  return () => rmSync(dir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    infraSynthLog: string;
  }
}
