// First: `vitest` on an unsupported Node stops with one line (the SQLite addon would crash the workers).
import './bin/requireNode.cjs';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Integration tests start real server processes and databases; give them room, but never assert on time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // `expect.poll` waits for a condition: a bound that holds on a loaded machine (the default is 1 s).
    expect: { poll: { timeout: 20_000 } },
    // Two cores: run files two at a time so process-heavy suites do not starve each other.
    maxWorkers: 2,
  },
});
