// Builds the single executable (node's single-executable applications): a copy of this
// node binary with the whole CLI injected, for build images without Node.js. Run after
// `npm run build` (npm run sea does both).
//
//   node scripts/build-sea.mjs [OUTPUT]     OUTPUT: sea/composer-secrets unless given
//
// The executable's main script cannot require() files, only node's builtins: it is the CLI
// bundle (dist/cli-main.cjs, which holds every dependency) and a last line that runs it.
// V8's code cache goes into the blob (useCodeCache), so the bundle is not compiled at start.
// It runs on the same OS and CPU as the node that built it, and only there.
import { spawnSync } from 'node:child_process';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const local = (file) => fileURLToPath(new URL(file, import.meta.url));
const output = path.resolve(process.argv[2] ?? local('../sea/composer-secrets'));
/** The fuse postject flips so node looks for the blob (the value node's docs give). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${[command, ...args].join(' ')} failed (exit ${result.status ?? result.signal})`);
}

const work = await mkdtemp(path.join(os.tmpdir(), 'composer-secrets-sea-'));
try {
  const bundle = await readFile(local('../dist/cli-main.cjs'), 'utf8');
  const main = path.join(work, 'main.cjs');
  // The executable's argv is [executable, executable, ...arguments], as node's with a script.
  await writeFile(main, `${bundle}\nmodule.exports.main(process.argv.slice(2), module.exports.processContext()).then((code) => { process.exitCode = code; });\n`);
  const blob = path.join(work, 'sea.blob');
  const config = path.join(work, 'sea-config.json');
  await writeFile(config, JSON.stringify({ main, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true }));
  run(process.execPath, ['--experimental-sea-config', config]);

  await mkdir(path.dirname(output), { recursive: true });
  await rm(output, { force: true });
  await copyFile(process.execPath, output);
  await chmod(output, 0o755);
  run(process.execPath, [local('../node_modules/postject/dist/cli.js'), output, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE]);
} finally {
  await rm(work, { recursive: true, force: true });
}
