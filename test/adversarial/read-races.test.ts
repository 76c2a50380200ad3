// A file swapped for a symlink between a check and the open: each secret file is opened
// once (O_NOFOLLOW) and its bytes and mode come from that descriptor, so a swap can only
// make the read fail, never make it read another file. Run on memfs and on the real disk.
import { execFileSync } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FileSystem } from '../../src/io/file-system.js';
import { diskContext, memfsAndDisk, type RawFs, type Setup } from '../support/disk-context.js';

/**
 * An attacker racing the tool: right after each lstat of `file` finds a regular file, it is
 * moved aside and a symlink to `victim` put in its place; right after the next open, read
 * or write by name, the real file is put back, as if nothing had happened.
 */
function swapping(fs: FileSystem, raw: RawFs, file: string, victim: string): FileSystem {
  const aside = `${file}.aside`;
  let swapped = false;
  const swapIn = async () => {
    if (swapped || !(await raw.lstat(file).catch(() => undefined))?.isFile()) return;
    await raw.rename(file, aside);
    await raw.symlink(victim, file);
    swapped = true;
  };
  const swapBack = async () => {
    if (!swapped) return;
    swapped = false;
    if (!(await raw.lstat(file)).isSymbolicLink()) return; // replaced by the tool meanwhile
    await raw.unlink(file);
    await raw.rename(aside, file);
  };
  const byName =
    <A extends unknown[], R>(call: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      try {
        return await call(...a);
      } finally {
        if (String(a[0]) === file) await swapBack();
      }
    };
  return {
    ...fs,
    lstat: (async (...a: Parameters<FileSystem['lstat']>) => {
      const stats = await fs.lstat(...a);
      if (String(a[0]) === file) await swapIn();
      return stats;
    }) as FileSystem['lstat'],
    open: byName(fs.open) as FileSystem['open'],
    readFile: byName(fs.readFile) as FileSystem['readFile'],
    writeFile: byName(fs.writeFile) as FileSystem['writeFile'],
  };
}

const ORIGINAL = '{"github-oauth": {"github.com": "original-token"}}\n';
const VICTIM_AUTH = '{"http-basic": {"victim.example.org": {"username": "u", "password": "VICTIM-password"}}}\n';

async function modeOf(raw: RawFs, file: string) {
  return (await raw.stat(file)).mode & 0o7777;
}

describe.each(memfsAndDisk)('%s: a symlink swapped in between a check and the open', (_name, make) => {
  it.each(['project', 'home'] as const)(
    'auth.json (--auth-target %s): composer, the journal and the restore see only the real original',
    async (target) => {
      let seen = '';
      const s: Setup = await make({
        composer: async () => {
          seen = await s.raw.readFile(auth, 'utf8');
          return { exitCode: 0 };
        },
      });
      const { raw, root } = s;
      const project = path.join(root, 'project');
      const folder = target === 'project' ? project : path.join(root, 'composer-home');
      const auth = path.join(folder, 'auth.json');
      const victim = path.join(root, 'victim.json');
      s.ctx.env.COMPOSER_HOME = path.join(root, 'composer-home');
      await raw.mkdir(folder, { recursive: true });
      await raw.mkdir(project, { recursive: true });
      await raw.writeFile(path.join(project, 'composer.json'), '{}');
      expect(
        (await s.run(['secret:site:set', 'shop', 'bearer.repo.example.org', 'CANARY-r', '--type', 'composer', '--scope', 'ic'])).code,
      ).toBe(0);
      await raw.writeFile(auth, ORIGINAL);
      await raw.chmod(auth, 0o640);
      await raw.writeFile(victim, VICTIM_AUTH);
      await raw.chmod(victim, 0o644);

      s.ctx.fs = swapping(s.ctx.fs, raw, auth, victim);
      const r = await s.run(['build', '--site', 'shop', '--env', 'dev', '--dir', 'project', '--auth-target', target]);
      expect(r.code, r.stderr).toBe(0);
      expect(seen).toContain('original-token');
      expect(seen).not.toContain('VICTIM');
      expect(await raw.readFile(auth, 'utf8')).toBe(ORIGINAL);
      expect(await modeOf(raw, auth)).toBe(0o640);
      expect(await raw.readFile(victim, 'utf8')).toBe(VICTIM_AUTH);
      expect(await modeOf(raw, victim)).toBe(0o644);
    },
  );

  it("the journal: restore puts back what the real journal recorded, not the link's target", async () => {
    const s = await make();
    const { raw, root } = s;
    const project = path.join(root, 'project');
    const auth = path.join(project, 'auth.json');
    const journal = path.join(project, '.auth.json.composer-secrets-journal');
    await raw.mkdir(project, { recursive: true });
    await raw.writeFile(path.join(project, 'composer.json'), '{}');
    expect(
      (await s.run(['secret:site:set', 'shop', 'bearer.repo.example.org', 'CANARY-r', '--type', 'composer', '--scope', 'ic'])).code,
    ).toBe(0);
    await raw.writeFile(auth, ORIGINAL);
    await raw.chmod(auth, 0o640);
    expect((await s.run(['build', '--site', 'shop', '--env', 'dev', '--dir', 'project', '--keep-auth'])).code).toBe(0);
    const forged = path.join(root, 'forged-journal');
    const original = { base64: Buffer.from('FORGED').toString('base64'), mode: 0o644 };
    await raw.writeFile(forged, JSON.stringify({ version: 1, tool: 'composer-secrets', target: auth, original }));

    s.ctx.fs = swapping(s.ctx.fs, raw, journal, forged);
    const r = await s.run(['restore', '--dir', 'project']);
    expect(r).toMatchObject({ code: 0, stdout: `Restored the original ${auth}.\n` });
    expect(await raw.readFile(auth, 'utf8')).toBe(ORIGINAL);
    expect(await modeOf(raw, auth)).toBe(0o640);
  });

  it("the store: a change keeps the store's own secrets, not another file's", async () => {
    const s = await make();
    const { raw, root } = s;
    const store = path.join(s.ctx.home, '.config', 'composer-secrets', 'store.json');
    expect((await s.run(['secret:site:set', 'shop', 'OWN', 'own-value'])).code).toBe(0);
    const victim = path.join(root, 'victim-store.json');
    await raw.writeFile(victim, (await raw.readFile(store, 'utf8')).replace('OWN', 'VICTIM_KEY').replace('own-value', 'VICTIM-value'));

    s.ctx.fs = swapping(s.ctx.fs, raw, store, victim);
    expect((await s.run(['secret:site:set', 'shop', 'SECOND', 'second-value'])).code).toBe(0);
    const text = await raw.readFile(store, 'utf8');
    expect(text).toContain('own-value');
    expect(text).toContain('second-value');
    expect(text).not.toContain('VICTIM');
  });

  it('$GITHUB_ENV: the values are appended to the runner file, not to the link target', async () => {
    const s = await make();
    const { raw, root } = s;
    const githubEnv = path.join(root, 'runner-env');
    const victim = path.join(root, 'victim-env');
    s.ctx.env.GITHUB_ENV = githubEnv;
    await raw.writeFile(githubEnv, 'EARLIER=1\n');
    await raw.writeFile(victim, 'VICTIM=1\n');
    expect((await s.run(['secret:site:set', 'shop', 'PLAIN', 'CANARY-g', '--type', 'env', '--scope', 'ic'])).code).toBe(0);

    s.ctx.fs = swapping(s.ctx.fs, raw, githubEnv, victim);
    const r = await s.run(['env', '--site', 'shop', '--env', 'dev', '--format', 'github']);
    expect(r.code, r.stderr).toBe(0);
    expect(await raw.readFile(githubEnv, 'utf8')).toMatch(/^EARLIER=1\nPLAIN<<ghadelimiter_[0-9a-f]+\nCANARY-g\n/);
    expect(await raw.readFile(victim, 'utf8')).toBe('VICTIM=1\n');
  });
});

describe('disk: what is at the name when it is opened', () => {
  const planted = async (what: 'fifo' | 'symlink' | 'folder', at: 'auth' | 'store' | 'github-env') => {
    const s = await diskContext();
    const project = path.join(s.root, 'project');
    const store = path.join(s.ctx.home, '.config', 'composer-secrets', 'store.json');
    await fsp.mkdir(project);
    await fsp.writeFile(path.join(project, 'composer.json'), '{}');
    expect(
      (await s.run(['secret:site:set', 'shop', 'bearer.repo.example.org', 'CANARY-p', '--type', 'composer', '--scope', 'ic'])).code,
    ).toBe(0);
    const file = at === 'auth' ? path.join(project, 'auth.json') : at === 'store' ? store : path.join(s.root, 'runner-env');
    s.ctx.env.GITHUB_ENV = path.join(s.root, 'runner-env');
    await fsp.rm(file, { force: true });
    await fsp.writeFile(path.join(s.root, 'victim'), 'do not touch');
    if (what === 'fifo') execFileSync('mkfifo', ['-m', '600', file]);
    if (what === 'symlink') await fsp.symlink(path.join(s.root, 'victim'), file);
    if (what === 'folder') await fsp.mkdir(file);
    const argv =
      at === 'auth'
        ? ['build', '--site', 'shop', '--env', 'dev', '--dir', 'project']
        : at === 'store'
          ? ['plan', '--site', 'shop', '--env', 'dev', '--dir', 'project']
          : ['env', '--site', 'shop', '--env', 'dev', '--format', 'github'];
    const r = await s.run(argv);
    expect(await fsp.readFile(path.join(s.root, 'victim'), 'utf8')).toBe('do not touch');
    return { r, file };
  };

  it.each([
    ['fifo', 'auth'],
    ['fifo', 'store'],
    ['fifo', 'github-env'],
    ['folder', 'auth'],
    ['folder', 'store'],
  ] as const)('a %s at the %s file is refused as not a regular file, without waiting on it', async (what, at) => {
    const { r, file } = await planted(what, at);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(` ${file.replaceAll('/', '\\/')} is not a regular file\\n$`));
  });

  it.each(['auth', 'store', 'github-env'] as const)('a symlink at the %s file fails the open itself (O_NOFOLLOW)', async (at) => {
    const { r, file } = await planted('symlink', at);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file} is a symbolic link; refusing to follow it`);
  });
});
