import { configDefaults, defineConfig } from 'vitest/config';

/** Needs Python's moto_server, which a user's machine lacks: only `npm run test:conformance` runs it. */
export const CONFORMANCE_TEST = 'test/emulator/conformance.test.ts';

/** What every run shares, the default one and the conformance one (vitest.conformance.config.ts). */
export const sharedTestOptions = {
  // the catalog load and the emulator start make the first test of a file slow; no test asserts on time
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: 'forks',
} as const;

export default defineConfig({
  test: {
    ...sharedTestOptions,
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, CONFORMANCE_TEST],
  },
});
