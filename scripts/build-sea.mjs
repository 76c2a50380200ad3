// Builds the single executable (node's single-executable applications): a copy of this
// node binary with the whole CLI injected, for build images without Node.js. Run after
// `npm run build` (npm run sea does both).
//
//   node scripts/build-sea.mjs [OUTPUT]     OUTPUT: sea/composer-secrets unless given
//
// The executable's main script cannot require() files, only node's builtins: it is
// src/cli/sea.ts, bundled here, which starts the CLI bundle (dist/cli-main.cjs, which holds
// every dependency) from the code cache for its command line, as the bin does; the bundle
// and the caches go into the executable as assets. (node's own useCodeCache caches only what
// compiling the main script compiles, and measured slower than the caches the build trains.)
// It runs on the same OS and CPU as the node that built it, and only there.

import { spawnSync } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const local = (/** @type {string} */ file) => fileURLToPath(new URL(file, import.meta.url));
const output = path.resolve(process.argv[2] ?? local('../sea/composer-secrets'));
/** The fuse postject flips so node looks for the blob (the value node's docs give). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * @param {string} command
 * @param {string[]} args
 */
function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} failed (exit ${result.status ?? result.signal})`);
}

const work = await mkdtemp(path.join(os.tmpdir(), 'composer-secrets-sea-'));
try {
  const main = path.join(work, 'main.cjs');
  await build({
    entryPoints: [local('../src/cli/sea.ts')],
    outfile: main,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.19',
    minify: true,
    logLevel: 'warning',
  });
  const dist = local('../dist/');
  const assets = Object.fromEntries(
    (await readdir(dist)).filter((file) => file.startsWith('cli-main')).map((file) => [file, path.join(dist, file)]),
  );
  const blob = path.join(work, 'sea.blob');
  const config = path.join(work, 'sea-config.json');
  await writeFile(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, assets }));
  run(process.execPath, ['--experimental-sea-config', config]);

  await mkdir(path.dirname(output), { recursive: true });
  await rm(output, { force: true });
  await copyFile(process.execPath, output);
  await chmod(output, 0o755);
  run(process.execPath, [local('../node_modules/postject/dist/cli.js'), output, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE]);
} finally {
  await rm(work, { recursive: true, force: true });
}
