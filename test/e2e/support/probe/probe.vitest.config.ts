// Config for the child vitest that harness.test.ts starts; the main config's
// include (test/**/*.test.ts) never picks up the probe.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/e2e/support/probe/*.probe.ts'],
  },
});
