// Builds dist/ with esbuild, minified:
// - dist/cli.cjs, the bin: a small loader (src/cli/bin.ts);
// - dist/cli-main.cjs, the whole CLI as one CommonJS bundle (src/cli/bundle.ts); execa and
//   proper-lockfile, which only some commands need, are in it but evaluated on first use;
// - dist/cli-main*.cache, V8's code caches for that bundle, one for each of the commands a
//   pipeline runs most and one for the rest, made by running them once
//   (scripts/train-code-cache.mjs); the bin starts from the one for its command line;
// - dist/index.js, the library (ES module).
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const local = (file) => fileURLToPath(new URL(file, import.meta.url));

await rm(local('../dist'), { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  minify: !process.env.NO_MINIFY, // NO_MINIFY=1 for readable profiles
  logLevel: 'warning',
  // string-width and node:assert cost start-up time for nothing we use (see each stand-in).
  alias: { 'string-width': local('./string-width-plain.mjs') },
  plugins: [{
    name: 'assert-stand-in-for-yargs',
    setup: (b) => b.onResolve({ filter: /^assert$/ }, ({ importer }) => (/[\\/]node_modules[\\/]yargs[\\/]/.test(importer) ? { path: local('./assert-strict-equal.mjs') } : undefined)),
  }],
};
// ES modules bundled as CommonJS (yargs) read import.meta.url.
const commonjs = {
  ...common,
  format: 'cjs',
  // import() of node builtins becomes require(): the bin runs the bundle as a vm.Script,
  // which has no ES module loader behind it.
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "var __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};
await build({ ...common, format: 'cjs', entryPoints: ['src/cli/bin.ts'], outfile: 'dist/cli.cjs' });
await build({ ...commonjs, entryPoints: ['src/cli/bundle.ts'], outfile: 'dist/cli-main.cjs' });
await build({
  ...common,
  format: 'esm',
  entryPoints: ['src/index.ts'],
  outfile: 'dist/index.js',
  // CommonJS dependencies bundled into an ES module need a require().
  banner: { js: "import { createRequire as __csCreateRequire } from 'node:module'; const require = __csCreateRequire(import.meta.url);" },
});

const training = spawnSync(process.execPath, [local('./train-code-cache.mjs')], { stdio: 'inherit' });
if (training.status !== 0) {
  // Without the cache the CLI works the same, only its start is slower.
  process.stderr.write('warning: the code caches were not all made (see above); the CLI starts without them\n');
}
