// What the bin (bin.ts) loads: the whole CLI, bundled by scripts/build.mjs into
// dist/cli-main.cjs and started from V8's code cache.

export { processContext } from './context.js';
export { main } from './main.js';
