// Bundles the CLI into dist/cli.js and the library into dist/index.js with esbuild,
// minified (names kept for error kinds). Everything a command needs at start-up is in
// cli.js, one file; execa and proper-lockfile, which only some commands need, are in
// chunks of their own loaded on first use (bundled: loading execa from node_modules file
// by file takes three times as long).
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

await rm(new URL('../dist', import.meta.url), { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  format: 'esm',
  minify: true,
  keepNames: true,
  logLevel: 'warning',
  alias: { 'string-width': fileURLToPath(new URL('./string-width-plain.mjs', import.meta.url)) },
  // CommonJS dependencies bundled into ESM need a require().
  banner: { js: "import { createRequire as __csCreateRequire } from 'node:module'; const require = __csCreateRequire(import.meta.url);" },
};
await build({ ...common, entryPoints: { cli: 'src/cli/bin.ts' }, outdir: 'dist', splitting: true, chunkNames: 'chunks/[name]-[hash]' });
await build({ ...common, entryPoints: ['src/index.ts'], outfile: 'dist/index.js' });
