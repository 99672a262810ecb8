import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: tests that spawn processes run on a shared 2-core machine, sometimes at load 20.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['./test/postgres-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
  },
});
