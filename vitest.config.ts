import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: tests that spawn processes run on a shared 2-core machine, sometimes at load 20.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Build workers at the suite's own priority: tests run many files at once, and a niced worker starves.
    env: { LIAISON_WORKER_NICE: '0' },
    globalSetup: ['./test/postgres-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
