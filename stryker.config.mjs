// Mutation testing (npm run test:mutation): which behaviour of the pure core, the masker
// and the export formats no test pins down. Not part of npm test: it takes minutes.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'src/resolve/**/*.ts',
    'src/plan/**/*.ts',
    'src/model/**/*.ts',
    'src/validation/**/*.ts',
    'src/run/output-mask.ts',
    'src/apply/export-formats.ts',
  ],
  coverageAnalysis: 'perTest',
  reporters: ['clear-text', 'progress', 'html'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  concurrency: 2,
  thresholds: { high: 95, low: 90, break: null },
  tempDirName: '.stryker-tmp',
};
