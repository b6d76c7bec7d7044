import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the catalog load and the emulator start make the first test of a file slow; no test asserts on time
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
