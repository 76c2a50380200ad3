// Makes the code caches the bin starts from (see src/cli/bin.ts): for each cache, a fresh
// node process loads the CLI bundle the way the bin does, runs that cache's commands on the
// example store in a temp folder, and saves every function compiled so far. Run by
// scripts/build.mjs after bundling; nothing leaves the temp folder and nothing is printed
// unless a command fails.
//
//   node scripts/train-code-cache.mjs            all caches, each in a process of its own
//   node scripts/train-code-cache.mjs <cache>    one cache, in this process
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const example = fileURLToPath(new URL('../fixtures/example/', import.meta.url));
const { loadBundle, codeCacheFile, COMMANDS_WITH_OWN_CACHE, CODE_CACHE_FILE } = createRequire(import.meta.url)(path.join(dist, 'cli.cjs'));

const trueProgram = ['/usr/bin/true', '/bin/true'].find((file) => existsSync(file));

/**
 * The command lines each cache is trained on; {tmp} and {project} are filled in.
 * @param {string} [command] a command with its own cache; all of them when undefined
 * @returns {string[][]}
 */
function trainingFor(command) {
  const site = ['--site', 'shop', '--env', 'dev'];
  /** @type {Record<string, string[][]>} */
  const byCommand = {
    plan: [
      ['plan', ...site],
      ['plan', ...site, '--json'],
    ],
    env: [['env', ...site, '--format', 'dotenv']],
    'auth-json': [['auth-json', ...site, '--output', '{tmp}/auth.json']],
    // `true` stands in for composer; without one the build is not trained.
    build: trueProgram === undefined ? [] : [['build', ...site, '--dir', '{project}', '--composer', trueProgram]],
  };
  if (command !== undefined) {
    const lines = byCommand[command];
    if (lines === undefined) throw new Error(`no training command lines for ${command}`);
    return lines;
  }
  return [
    ...Object.values(byCommand).flat(),
    ['secret:site:list', 'shop'],
    ['secret:site:set', 'shop', 'TRAINING', 'value', '--type', 'env', '--scope', 'ic'],
  ];
}

/** @param {string} [command] as for trainingFor */
async function train(command) {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'composer-secrets-train-'));
  try {
    const project = path.join(tmp, 'project');
    const store = path.join(tmp, 'store.json');
    await copyFile(path.join(example, 'store-example.json'), store);
    await mkdir(project);
    await copyFile(path.join(example, 'project', 'composer.json'), path.join(project, 'composer.json'));

    const { exports, script, header } = loadBundle(dist);
    let output = '';
    const sink = {
      write: (/** @type {string} */ chunk) => {
        output += chunk;
      },
    };
    const env = { PATH: process.env.PATH, HOME: tmp };
    for (const args of trainingFor(command)) {
      const argv = ['--store', store, ...args.map((/** @type {string} */ a) => a.replace('{tmp}', tmp).replace('{project}', project))];
      output = '';
      const context = { ...exports.processContext(), env, cwd: tmp, home: tmp, stdout: sink, stderr: sink };
      const code = await exports.main(argv, context);
      if (code !== 0) throw new Error(`training run \`${args.join(' ')}\` exited ${code}:\n${output}`);
    }
    const file = command === undefined ? CODE_CACHE_FILE : codeCacheFile([command]);
    await writeFile(path.join(dist, file), Buffer.concat([Buffer.from(header, 'latin1'), script.createCachedData()]));
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

const which = process.argv[2];
if (which !== undefined) {
  await train(which === 'all' ? undefined : which);
} else {
  // A process each: a cache holds every function its process compiled for the bundle.
  for (const cache of [...COMMANDS_WITH_OWN_CACHE, 'all']) {
    const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), cache], { stdio: 'inherit' });
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
}
