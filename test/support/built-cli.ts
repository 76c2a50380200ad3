// Runs the built CLI (dist/cli.cjs, made by `npm test`'s pretest build) as a user would.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, type Options } from 'execa';
import fse from 'fs-extra';
import { afterEach } from 'vitest';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = path.join(REPO, 'dist', 'cli.cjs');

if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first)`);

export async function runCli(args: string[], options: Options = {}) {
  const result = await execa(process.execPath, [CLI, ...args], { reject: false, stripFinalNewline: false, ...options });
  return { code: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr) };
}

const made: string[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => fse.remove(dir)));
});

/** A fresh folder, removed after the test. */
export async function temporaryFolder(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'composer-secrets-test-'));
  made.push(dir);
  return dir;
}
