// Builds dist/ with esbuild, minified:
// - dist/cli.cjs, the bin: a small loader (src/cli/bin.ts);
// - dist/cli-main.cjs, the whole CLI as one CommonJS bundle (src/cli/bundle.ts); execa and
//   proper-lockfile, which only some commands need, are in it but evaluated on first use;
// - dist/cli-main*.cache, V8's code caches for that bundle, one for each of the commands a
//   pipeline runs most and one for the rest, made by running them once
//   (scripts/train-code-cache.mjs); the bin starts from the one for its command line;
// - dist/index.js, the library (ES module), and its declarations, dist/types/ (tsc), with
//   those of zod it names copied into dist/types/vendor/zod: the package has no dependencies,
//   the bundles hold them.
// The bundle's first line is its build id (a hash of the rest), which the caches' headers
// name: npm resets file times on install, so the id, not the file's mtime, ties a cache to
// its bundle.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const local = (/** @type {string} */ file) => fileURLToPath(new URL(file, import.meta.url));

await rm(local('../dist'), { recursive: true, force: true });
/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20.19',
  minify: !process.env.NO_MINIFY, // NO_MINIFY=1 for readable profiles
  logLevel: 'warning',
  // string-width and node:assert cost start-up time for nothing we use (see each stand-in).
  alias: { 'string-width': local('./string-width-plain.mjs') },
  plugins: [
    {
      name: 'assert-stand-in-for-yargs',
      setup: (b) =>
        b.onResolve({ filter: /^assert$/ }, ({ importer }) =>
          /[\\/]node_modules[\\/]yargs[\\/]/.test(importer) ? { path: local('./assert-strict-equal.mjs') } : undefined,
        ),
    },
  ],
};
// ES modules bundled as CommonJS (yargs) read import.meta.url.
/** @type {import('esbuild').BuildOptions} */
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
const bundle = await build({ ...commonjs, entryPoints: ['src/cli/bundle.ts'], write: false });
const bundleSource = bundle.outputFiles?.[0]?.contents;
if (bundleSource === undefined) throw new Error('esbuild gave no output for src/cli/bundle.ts');
const buildId = createHash('sha256').update(bundleSource).digest('hex').slice(0, 16);
await writeFile(local('../dist/cli-main.cjs'), Buffer.concat([Buffer.from(`// composer-secrets build ${buildId}\n`), bundleSource]));
await build({
  ...common,
  format: 'esm',
  entryPoints: ['src/index.ts'],
  outfile: 'dist/index.js',
  // CommonJS dependencies bundled into an ES module need a require().
  banner: { js: "import { createRequire as __csCreateRequire } from 'node:module'; const require = __csCreateRequire(import.meta.url);" },
});

await writeDeclarations();

const training = spawnSync(process.execPath, [local('./train-code-cache.mjs')], { stdio: 'inherit' });
if (training.status !== 0) {
  // Without the cache the CLI works the same, only its start is slower.
  process.stderr.write('warning: the code caches were not all made (see above); the CLI starts without them\n');
}

/** dist/types/: tsc's declarations of src/index.ts, with the zod declarations they import shipped alongside. */
async function writeDeclarations() {
  const tsc = spawnSync(process.execPath, [local('../node_modules/typescript/bin/tsc'), '-p', local('../tsconfig.declarations.json')], {
    stdio: 'inherit',
  });
  if (tsc.status !== 0) throw new Error('tsc could not write the declarations (see above)');
  const types = local('../dist/types/');
  const zod = local('../node_modules/zod/');
  const vendor = path.join(types, 'vendor', 'zod');
  for (const folder of ['mini', 'v4/mini', 'v4/core', 'v4/locales']) {
    await mkdir(path.join(vendor, folder), { recursive: true });
    for (const file of await readdir(path.join(zod, folder))) {
      if (file.endsWith('.d.ts')) await cp(path.join(zod, folder, file), path.join(vendor, folder, file));
    }
  }
  await cp(path.join(zod, 'LICENSE'), path.join(vendor, 'LICENSE'));
  await writeFile(path.join(vendor, 'package.json'), '{ "type": "module" }\n');
  for (const entry of await readdir(types, { recursive: true })) {
    const file = path.join(types, entry);
    if (!entry.endsWith('.d.ts') || file.startsWith(vendor)) continue;
    const text = await readFile(file, 'utf8');
    if (!text.includes("'zod/mini'")) continue;
    const relative = path
      .relative(path.dirname(file), path.join(vendor, 'mini', 'index.js'))
      .split(path.sep)
      .join('/');
    await writeFile(file, text.replaceAll("'zod/mini'", `'${relative.startsWith('.') ? relative : `./${relative}`}'`));
  }
}
