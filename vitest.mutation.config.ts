import { defineConfig } from 'vitest/config';

// The tests StrykerJS runs against each mutant (npm run test:mutation): everything that
// exercises the pure core, the masker and the export formats in process. Tests of the
// built bundle and end-to-end tests are left out: they start processes and cannot see
// a mutant in the sandbox's sources.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [
      'test/e2e/**',
      'test/built-library.test.ts',
      'test/cli-process.test.ts',
      'test/code-cache.test.ts',
      'test/adversarial/fuzz.test.ts',
      'test/adversarial/run-endings.test.ts',
    ],
    testTimeout: 60_000,
  },
});
