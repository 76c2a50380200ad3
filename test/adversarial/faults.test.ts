// Faults in the file system and in how the tool is used: nothing lost, a clear error.
import { describe, expect, it } from 'vitest';
import type { FileSystem } from '../../src/io/file-system.js';
import { COMPOSER_PATH, memoryContext } from '../support/memory-context.js';

const STORE = '/home/dev/.config/composer-secrets/store.json';
const PROJECT = '/work/project';
const AUTH = `${PROJECT}/auth.json`;
const ORIGINAL = '{"github-oauth": {"github.com": "original"}}';

function failing(fs: FileSystem, code: 'EROFS' | 'ENOSPC' | 'EACCES', where: (file: string) => boolean): FileSystem {
  const fail = (file: unknown) => {
    if (where(String(file))) throw Object.assign(new Error(`${code}: simulated`), { code });
  };
  return {
    ...fs,
    open: (async (file: Parameters<FileSystem['open']>[0], flags?: string | number, ...rest: unknown[]) => {
      if (typeof flags === 'string' && /[wax]/.test(flags)) fail(file);
      return (fs.open as (...a: unknown[]) => ReturnType<FileSystem['open']>)(file, flags, ...rest);
    }) as FileSystem['open'],
    rename: async (from, to) => {
      fail(to);
      return fs.rename(from, to);
    },
    unlink: async (file) => {
      fail(file);
      return fs.unlink(file);
    },
  };
}

async function project() {
  const m = memoryContext({ files: { [`${PROJECT}/composer.json`]: '{}', [AUTH]: ORIGINAL } });
  expect(
    (await m.run(['secret:site:set', 'shop', 'bearer.repo.example.org', 'CANARY-f', '--type', 'composer', '--scope', 'ic'])).code,
  ).toBe(0);
  return m;
}

const build = ['build', '--site', 'shop', '--env', 'dev', '--dir', 'project'];

describe.each(['EROFS', 'ENOSPC', 'EACCES'] as const)('a %s project folder', (code) => {
  it('build fails clearly before composer runs; auth.json untouched, no temp file left', async () => {
    const m = await project();
    m.ctx.fs = failing(m.ctx.fs, code, (file) => file.startsWith(PROJECT));
    const r = await m.run(build);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^composer-secrets: cannot write journal \/work\/project\/\.auth\.json\.composer-secrets-journal: /);
    expect(m.calls.filter((c) => c.file === COMPOSER_PATH)).toEqual([]);
    expect(m.volume.readFileSync(AUTH, 'utf8')).toBe(ORIGINAL);
    expect(m.volume.readdirSync(PROJECT)).toEqual(['auth.json', 'composer.json']);
  });
});

describe('a folder that fails only when auth.json is replaced', () => {
  it('fails clearly, the original stays, and no journal is left to undo', async () => {
    const m = await project();
    const disk = m.ctx.fs;
    m.ctx.fs = failing(disk, 'ENOSPC', (file) => file === AUTH);
    const r = await m.run(build);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`composer-secrets: cannot write credentials file ${AUTH}: no space left on device\n`);
    expect(m.volume.readFileSync(AUTH, 'utf8')).toBe(ORIGINAL);
    expect(m.volume.readdirSync(PROJECT)).toEqual(['auth.json', 'composer.json']);
    m.ctx.fs = disk;
    expect((await m.run(['restore', '--dir', 'project'])).stdout).toBe(`Nothing to restore at ${AUTH}.\n`);
  });
});

describe('a read-only store folder', () => {
  it('a change fails clearly and the store stays byte for byte', async () => {
    const m = await project();
    const before = m.volume.readFileSync(STORE, 'utf8');
    m.ctx.fs = failing(m.ctx.fs, 'EROFS', (file) => file.startsWith('/home/dev/.config'));
    const r = await m.run(['secret:site:set', 'shop', 'OTHER', 'v']);
    expect(r).toMatchObject({ code: 1, stderr: `composer-secrets: cannot write store file ${STORE}: read-only file system\n` });
    expect(m.volume.readFileSync(STORE, 'utf8')).toBe(before);
    expect(m.volume.readdirSync('/home/dev/.config/composer-secrets')).toEqual(['store.json']);
  });
});

describe('planted symlinks are not followed', () => {
  it('at the journal', async () => {
    const m = await project();
    m.volume.writeFileSync('/work/victim', 'do not touch');
    m.volume.symlinkSync('/work/victim', `${PROJECT}/.auth.json.composer-secrets-journal`);
    const r = await m.run(build);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is a symbolic link; refusing to follow it');
    expect(m.volume.readFileSync('/work/victim', 'utf8')).toBe('do not touch');
    expect(m.volume.readFileSync(AUTH, 'utf8')).toBe(ORIGINAL);
  });

  it('at the store', async () => {
    const m = memoryContext();
    m.volume.mkdirSync('/home/dev/.config/composer-secrets', { recursive: true });
    m.volume.writeFileSync('/work/victim', '{"version": 1}');
    m.volume.symlinkSync('/work/victim', STORE);
    const r = await m.run(['secret:site:set', 'shop', 'X', 'v']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`store file ${STORE} is a symbolic link; refusing to follow it`);
    expect(m.volume.readFileSync('/work/victim', 'utf8')).toBe('{"version": 1}');
  });
});

describe('two builds in the same folder at once', () => {
  it('are serialized by the lock: the second sees the original, and the original survives both', async () => {
    const seen: string[] = [];
    let releaseFirst!: () => void;
    const firstRunning = new Promise<void>((resolve) => (releaseFirst = resolve));
    let calls = 0;
    const m = memoryContext({
      files: { [`${PROJECT}/composer.json`]: '{}', [AUTH]: ORIGINAL },
      programs: {
        composer: async () => {
          calls += 1;
          seen.push(JSON.parse(m.volume.readFileSync(AUTH, 'utf8') as string)['github-oauth']['github.com']);
          if (calls === 1) await firstRunning;
          return { exitCode: 0 };
        },
      },
    });
    expect(
      (await m.run(['secret:site:set', 'shop', 'bearer.repo.example.org', 'CANARY-f', '--type', 'composer', '--scope', 'ic'])).code,
    ).toBe(0);
    const { main } = await import('../../src/cli/main.js');
    const first = main(build, m.ctx);
    const second = main(build, m.ctx);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).toBe(1); // the second waits for the lock
    releaseFirst();
    expect(await Promise.all([first, second])).toEqual([0, 0]);
    expect(seen).toEqual(['original', 'original']);
    expect(m.volume.readFileSync(AUTH, 'utf8')).toBe(ORIGINAL);
  });
});

describe('composer that is not executable', () => {
  it('is refused before anything is written', async () => {
    const m = await project();
    m.volume.writeFileSync('/work/composer.phar', '<?php', { mode: 0o644 });
    const r = await m.run([...build, '--composer', 'composer.phar']);
    expect(r).toMatchObject({ code: 2, stderr: 'composer-secrets: --composer: no executable file at the path given\n' });
    expect(m.volume.readdirSync(PROJECT)).toEqual(['auth.json', 'composer.json']);
  });
});
