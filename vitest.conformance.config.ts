import { defineConfig } from 'vitest/config';
import { CONFORMANCE_TEST, sharedTestOptions } from './vitest.config.js';

/** `npm run test:conformance` (scripts/conformance.mjs): the emulator against moto_server, nothing else. */
export default defineConfig({
  test: { ...sharedTestOptions, include: [CONFORMANCE_TEST] },
});
