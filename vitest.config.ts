import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The suites mostly wait on real child processes, not on the CPU: vitest's default (one worker per
    // core but one) runs them one file at a time on a 2-core machine. Three forks overlap the waiting;
    // no test measures time, and each checks only its own processes (its /proc descendants, its groups).
    maxWorkers: 3,
  },
});
