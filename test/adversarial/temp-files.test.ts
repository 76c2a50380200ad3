// The temp files of atomic writes: a killed write's leftover is removed at the next write
// of that file (under its lock), only when it is a regular file named exactly as ours; a
// folder or symlink planted at such a name neither breaks a run nor is followed; and each
// rename or removal is followed by a flush of the folder before the next step.
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FileSystem } from '../../src/io/file-system.js';
import { memfsAndDisk, type Setup } from '../support/disk-context.js';
import { memoryContext } from '../support/memory-context.js';

const LEFTOVER = '{"version": 1, "sites": {"shop": {"secrets": {"A": {"type": "env", "scopes": ["ic"], "value": "CANARY-partial';

afterEach(() => {
  vi.restoreAllMocks();
});

async function storeFolder(s: Setup) {
  expect(
    (await s.run(['secret:site:set', 'shop', 'bearer.repo.example.org', 'CANARY-t', '--type', 'composer', '--scope', 'ic'])).code,
  ).toBe(0);
  return path.join(s.ctx.home, '.config', 'composer-secrets');
}

async function project(s: Setup) {
  const dir = path.join(s.root, 'project');
  await s.raw.mkdir(dir);
  await s.raw.writeFile(path.join(dir, 'composer.json'), '{}');
  return dir;
}

const build = ['build', '--site', 'shop', '--env', 'dev', '--dir', 'project'];

describe.each(memfsAndDisk)('%s: leftovers of a killed write', (_name, make) => {
  it('of the store: kept while commands only read, removed by the next change', async () => {
    const s = await make();
    const folder = await storeFolder(s);
    const leftover = path.join(folder, '.store.json.4242.0123456789ab.tmp');
    await s.raw.writeFile(leftover, LEFTOVER, { mode: 0o600 });
    expect((await s.run(['secret:site:list', 'shop'])).code).toBe(0);
    expect(await s.raw.readdir(folder)).toContain('.store.json.4242.0123456789ab.tmp');
    expect((await s.run(['secret:site:set', 'shop', 'B', 'v'])).code).toBe(0);
    expect(await s.raw.readdir(folder)).toEqual(['store.json']);
  });

  it('of env --output: removed by the next env --output to that file, and only its own', async () => {
    const s = await make();
    await storeFolder(s);
    expect((await s.run(['secret:site:set', 'shop', 'PLAIN', 'CANARY-o', '--type', 'env', '--scope', 'ic'])).code).toBe(0);
    const names = [
      '.out.env.4242.0123456789ab.tmp',
      '.other.env.4242.0123456789ab.tmp',
      '.out.env.4242.0123456789ab.tmp.bak',
      '.out.env.x.0123456789ab.tmp',
    ];
    for (const name of names) await s.raw.writeFile(path.join(s.root, name), 'PLAIN=CANARY-partial', { mode: 0o600 });
    expect((await s.run(['env', '--site', 'shop', '--env', 'dev', '--format', 'dotenv', '--output', 'out.env'])).code).toBe(0);
    const left = (await s.raw.readdir(s.root)) as string[];
    expect(left).toContain('out.env');
    expect(left).not.toContain(names[0]);
    expect(left).toEqual(expect.arrayContaining(names.slice(1)));
  });
});

describe.each(memfsAndDisk)('%s: a folder or symlink planted at a temp name', (_name, make) => {
  it('beside auth.json and its journal: the build runs, the plants stay, nothing is followed', async () => {
    const s = await make();
    await storeFolder(s);
    const dir = await project(s);
    const victim = path.join(s.root, 'victim');
    await s.raw.writeFile(victim, 'do not touch');
    const plants = {
      folder: path.join(dir, '.auth.json.1.0123456789ab.tmp'),
      link: path.join(dir, '.auth.json.2.0123456789ab.tmp'),
      journalFolder: path.join(dir, '.auth.json.composer-secrets-journal.3.0123456789ab.tmp'),
      journalLink: path.join(dir, '.auth.json.composer-secrets-journal.4.0123456789ab.tmp'),
    };
    await s.raw.mkdir(plants.folder);
    await s.raw.mkdir(plants.journalFolder);
    await s.raw.symlink(victim, plants.link);
    await s.raw.symlink(victim, plants.journalLink);
    const r = await s.run(build);
    expect(r.code, r.stderr).toBe(0);
    expect((await s.run(['restore', '--dir', 'project'])).code).toBe(0);
    expect(((await s.raw.readdir(dir)) as string[]).sort()).toEqual(
      ['composer.json', ...Object.values(plants).map((p) => path.basename(p))].sort(),
    );
    expect(await s.raw.readFile(victim, 'utf8')).toBe('do not touch');
  });

  it('beside the store, at the very name a write picks: a fresh name is taken', async () => {
    const s = await make();
    const folder = await storeFolder(s);
    const first = path.join(folder, `.store.json.${process.pid}.000000000000.tmp`);
    await s.raw.mkdir(first);
    vi.spyOn(Math, 'random').mockReturnValueOnce(0);
    const r = await s.run(['secret:site:set', 'shop', 'B', 'v']);
    expect(r.code, r.stderr).toBe(0);
    expect(await s.raw.readFile(path.join(folder, 'store.json'), 'utf8')).toContain('"B"');
    expect(((await s.raw.readdir(folder)) as string[]).sort()).toEqual([path.basename(first), 'store.json']);
  });
});

/** Records renames, removals, exclusive creations and flushes of a folder, in order. */
function recordingChanges(fs: FileSystem, events: string[]): FileSystem {
  return {
    ...fs,
    rename: async (from, to) => {
      await fs.rename(from, to);
      events.push(`rename ${String(to)}`);
    },
    unlink: async (file) => {
      await fs.unlink(file);
      events.push(`unlink ${String(file)}`);
    },
    open: (async (...a: Parameters<FileSystem['open']>) => {
      const handle = await fs.open(...a);
      const file = String(a[0]);
      const isFolder = (await handle.stat()).isDirectory();
      if (!isFolder && a[1] === 'wx') events.push(`create ${path.dirname(file)}`);
      const sync = handle.sync.bind(handle);
      handle.sync = async () => {
        await sync();
        if (isFolder) events.push(`flush ${file}`);
      };
      return handle;
    }) as FileSystem['open'],
  };
}

/** Each rename or removal, followed by a flush of its folder before the next change. */
function unflushedChanges(events: string[]): string[] {
  const missing: string[] = [];
  events.forEach((event, index) => {
    const [kind, file = ''] = event.split(' ');
    if (kind !== 'rename' && kind !== 'unlink') return;
    const next = events.slice(index + 1).findIndex((e) => !e.startsWith('flush '));
    const until = next === -1 ? events.length : index + 1 + next;
    if (!events.slice(index + 1, until).includes(`flush ${path.dirname(file)}`)) missing.push(event);
  });
  return missing;
}

describe('memfs: every rename and removal is flushed to its folder before the next step', () => {
  it.each([
    ['over an existing auth.json', true],
    ['without one', false],
  ])('a build %s, and a store change', async (_what, withOriginal) => {
    const m = memoryContext({ files: { '/work/project/composer.json': '{}' } });
    const events: string[] = [];
    m.ctx.fs = recordingChanges(m.ctx.fs, events);
    expect(
      (await m.run(['secret:site:set', 'shop', 'bearer.repo.example.org', 'CANARY-f', '--type', 'composer', '--scope', 'ic'])).code,
    ).toBe(0);
    if (withOriginal) m.volume.writeFileSync('/work/project/auth.json', '{}');
    expect((await m.run(build)).code).toBe(0);
    expect(events.filter((e) => e.startsWith('rename') || e.startsWith('unlink')).length).toBeGreaterThanOrEqual(4);
    expect(unflushedChanges(events)).toEqual([]);
  });
});

/** Folder flushes in `dir` fail with `code` once `armed()` says so. */
function failingFlush(fs: FileSystem, dir: string, code: string, armed: () => boolean): FileSystem {
  return {
    ...fs,
    open: (async (...a: Parameters<FileSystem['open']>) => {
      const handle = await fs.open(...a);
      if (String(a[0]) === dir && (await handle.stat()).isDirectory()) {
        handle.sync = async () => {
          if (armed()) throw Object.assign(new Error(`${code}: simulated`), { code });
        };
      }
      return handle;
    }) as FileSystem['open'],
  };
}

describe('memfs: a folder flush that fails', () => {
  const ORIGINAL = '{"github-oauth": {"github.com": "original"}}';
  const setup = async () => {
    const m = memoryContext({ files: { '/work/project/composer.json': '{}', '/work/project/auth.json': ORIGINAL } });
    expect(
      (await m.run(['secret:site:set', 'shop', 'bearer.repo.example.org', 'CANARY-s', '--type', 'composer', '--scope', 'ic'])).code,
    ).toBe(0);
    return m;
  };

  it('with EINVAL (a file system that cannot flush a folder) is no error', async () => {
    const m = await setup();
    m.ctx.fs = failingFlush(m.ctx.fs, '/work/project', 'EINVAL', () => true);
    expect((await m.run(build)).code).toBe(0);
    expect(m.volume.readFileSync('/work/project/auth.json', 'utf8')).toBe(ORIGINAL);
  });

  it('after auth.json was replaced: exit 1 naming the folder, the journal kept, and restore puts the original back', async () => {
    const m = await setup();
    const disk = m.ctx.fs;
    m.ctx.fs = failingFlush(disk, '/work/project', 'EIO', () => m.volume.readFileSync('/work/project/auth.json', 'utf8') !== ORIGINAL);
    const r = await m.run(build);
    expect(r).toMatchObject({
      code: 1,
      stderr: 'composer-secrets: cannot flush the folder /work/project after changing credentials file /work/project/auth.json: EIO\n',
    });
    expect(m.volume.readdirSync('/work/project')).toContain('.auth.json.composer-secrets-journal');
    m.ctx.fs = disk;
    expect((await m.run(['restore', '--dir', 'project'])).stdout).toBe('Restored the original /work/project/auth.json.\n');
    expect(m.volume.readFileSync('/work/project/auth.json', 'utf8')).toBe(ORIGINAL);
  });
});
