import { defineConfig } from 'vitest/config';

/**
 * Operations tests: the real server in child processes against PostgreSQL clusters and load
 * balancers the tests start themselves (faults, restarts, several instances). They need Debian's
 * PostgreSQL binaries and root (to run them as user `postgres`), so `pnpm test` leaves them out and
 * `.ci/run` runs them in a step of their own.
 */
export default defineConfig({
  test: {
    name: 'ops',
    include: ['ops/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
