import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/**/*.test.ts',
      'shared/**/*.test.ts',
      'aops/**/*.test.ts',
      'infra/**/*.test.ts',
      'functions/**/*.test.ts',
      'cli/**/*.test.ts',
    ],
    // DynamoDB Local is started once for the whole run (one JVM, ~3.5 s) and shared by the files.
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['shared/polyfills.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Lambda runs Node 22; this machine's Node 20 makes the SDK print a support notice in every worker.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
