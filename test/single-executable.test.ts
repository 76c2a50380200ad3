// The single executable (scripts/build-sea.mjs, `npm run sea`): built from dist/ into a temp
// folder, run where no `node` can be found, it plans as the bundled CLI does.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from './support/built-cli.js';

const EXAMPLE_STORE = path.join(REPO, 'fixtures/example/store-example.json');
const PLAN = ['--store', EXAMPLE_STORE, 'plan', '--site', 'shop', '--env', 'dev', '--json'];

/** The absolute path of a program on this PATH. */
function programPath(name: string): string {
  const found = spawnSync('/bin/sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  if (found.status !== 0) throw new Error(`${name} is not on PATH`);
  return found.stdout.trim();
}

describe('the single executable', () => {
  let dir: string;
  let executable: string;
  /** A PATH with composer and php (composer's interpreter) and no node. */
  let pathWithoutNode: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'composer-secrets-sea-test-'));
    executable = path.join(dir, 'composer-secrets');
    await execa(process.execPath, [path.join(REPO, 'scripts', 'build-sea.mjs'), executable], { cwd: REPO });
    pathWithoutNode = path.join(dir, 'bin');
    await mkdir(pathWithoutNode);
    for (const program of ['composer', 'php']) await symlink(programPath(program), path.join(pathWithoutNode, program));
  }, 180_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('plans the example with no node on PATH, as the bundled CLI does', async () => {
    const env = { PATH: pathWithoutNode, HOME: dir };
    expect(spawnSync('/bin/sh', ['-c', 'command -v node'], { env }).status).not.toBe(0);
    const reference = await runCli(PLAN, { cwd: dir, env, extendEnv: false });
    expect(reference.code).toBe(0);
    const sea = await execa(executable, PLAN, { cwd: dir, env, extendEnv: false, reject: false });
    expect({ code: sea.exitCode, stderr: sea.stderr, plan: JSON.parse(sea.stdout) as unknown }).toEqual({
      code: 0,
      stderr: '',
      plan: JSON.parse(reference.stdout),
    });
  });

  it('answers bad input as the CLI does: exit 2 and a sentence', async () => {
    const env = { PATH: pathWithoutNode, HOME: dir };
    const args = ['--store', EXAMPLE_STORE, 'plan', '--site', 'nosuchsite', '--env', 'dev'];
    const reference = await runCli(args, { cwd: dir, env, extendEnv: false });
    const sea = await execa(executable, args, { cwd: dir, env, extendEnv: false, reject: false, stripFinalNewline: false });
    expect({ code: sea.exitCode, stdout: sea.stdout, stderr: sea.stderr }).toEqual({
      code: reference.code,
      stdout: reference.stdout,
      stderr: reference.stderr,
    });
    expect(sea.exitCode).toBe(2);
  });
});
