// memoryContext's scripted runner, streams and signals, but on the real disk in a fresh
// folder with the real inter-process lock: for what memfs cannot show (O_NOFOLLOW,
// FIFOs, folder fsync, realpath through a real symlink, unlink of a folder).
import * as nodeFs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { diskFileSystem } from '../../src/io/file-system.js';
import { lockFileOnDisk } from '../../src/io/process-lock.js';
import { memoryContext, type Program } from './memory-context.js';

const made: string[] = [];
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A context working in `root` (a fresh real folder, removed after the test): home is root/home, composer is root/bin/composer. */
export async function diskContext(options: { env?: Record<string, string>; programs?: Record<string, Program> } = {}) {
  const root = await realpath(await mkdtemp(path.join(os.tmpdir(), 'composer-secrets-disk-')));
  made.push(root);
  await mkdir(path.join(root, 'bin'));
  await writeFile(path.join(root, 'bin', 'composer'), '#!/bin/sh\n', { mode: 0o755 });
  const m = memoryContext({ programs: options.programs, env: options.env });
  Object.assign(m.ctx, { fs: diskFileSystem, syncFs: nodeFs, lock: lockFileOnDisk, cwd: root, home: path.join(root, 'home') });
  m.ctx.env.PATH = path.join(root, 'bin');
  return { ctx: m.ctx, run: m.run, calls: m.calls, root };
}

/** The promise API of the file system under a test, for setting up and checking what the tool sees through ctx.fs. */
export type RawFs = Pick<
  typeof fsp,
  'rename' | 'symlink' | 'unlink' | 'lstat' | 'readFile' | 'writeFile' | 'mkdir' | 'chmod' | 'stat' | 'readdir' | 'realpath'
>;
export type Setup = {
  run: ReturnType<typeof memoryContext>['run'];
  ctx: ReturnType<typeof memoryContext>['ctx'];
  root: string;
  raw: RawFs;
};

/** The same test on memfs (root /work) and on the real disk (root a fresh folder). */
export const memfsAndDisk: [string, (programs?: Record<string, Program>) => Promise<Setup>][] = [
  [
    'memfs',
    async (programs) => {
      const m = memoryContext({ programs });
      return { run: m.run, ctx: m.ctx, root: '/work', raw: m.volume.promises as unknown as RawFs };
    },
  ],
  ['disk', (programs) => diskSetup(programs)],
];

export async function diskSetup(programs?: Record<string, Program>): Promise<Setup> {
  return { ...(await diskContext({ programs })), raw: fsp };
}
