// Makes dist/cli-main.cache, V8's code cache for the CLI bundle: loads the bundle the way the
// bin does, runs the commands a build pipeline runs most (plan, env, auth-json, build with
// `true` standing in for composer) on the example store in a temp folder, then saves every
// function compiled so far. Run by scripts/build.mjs after bundling; nothing leaves the
// temp folder and nothing is printed unless a command fails.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const example = fileURLToPath(new URL('../fixtures/example/', import.meta.url));
const { loadBundle, CODE_CACHE_FILE } = createRequire(import.meta.url)(path.join(dist, 'cli.cjs'));

const tmp = await mkdtemp(path.join(os.tmpdir(), 'composer-secrets-train-'));
try {
  const project = path.join(tmp, 'project');
  const store = path.join(tmp, 'store.json');
  await copyFile(path.join(example, 'store-example.json'), store);
  await mkdir(project);
  await copyFile(path.join(example, 'project', 'composer.json'), path.join(project, 'composer.json'));

  const site = ['--site', 'shop', '--env', 'dev'];
  const commands = [
    ['plan', ...site],
    ['plan', ...site, '--json'],
    ['env', ...site, '--format', 'dotenv'],
    ['auth-json', ...site, '--output', path.join(tmp, 'auth.json')],
  ];
  const trueProgram = ['/usr/bin/true', '/bin/true'].find((file) => existsSync(file));
  if (trueProgram !== undefined) commands.push(['build', ...site, '--dir', project, '--composer', trueProgram]);

  const { exports, script, header } = loadBundle(dist, { useCache: false });
  let output = '';
  const sink = { write: (chunk) => void (output += chunk) };
  const env = { PATH: process.env.PATH, HOME: tmp };
  for (const args of commands) {
    output = '';
    const context = { ...exports.processContext(), env, cwd: tmp, home: tmp, stdout: sink, stderr: sink };
    const code = await exports.main(['--store', store, ...args], context);
    if (code !== 0) throw new Error(`training run \`${args.join(' ')}\` exited ${code}:\n${output}`);
  }
  await writeFile(path.join(dist, CODE_CACHE_FILE), Buffer.concat([Buffer.from(header, 'latin1'), script.createCachedData()]));
} finally {
  await rm(tmp, { recursive: true, force: true });
}
