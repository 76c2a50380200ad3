// The leak sweep over a folder (memfs and the real disk), and the check after a build on
// memfs with a scripted composer that writes files.
import { execFileSync } from 'node:child_process';
import * as nodeFs from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Volume } from 'memfs';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT_LEAK_FOUND } from '../src/errors.js';
import type { SyncFileSystem } from '../src/io/file-system.js';
import { byteSearch } from '../src/sweep/byte-search.js';
import { leakPatterns } from '../src/sweep/leak-values.js';
import { ignoredBy } from '../src/sweep/path-glob.js';
import { sweepTree } from '../src/sweep/tree-sweep.js';
import { memoryContext, type Program } from './support/memory-context.js';

const VALUE = 'CANARY-leak-5ecret-value';
const search = () => byteSearch(leakPatterns([VALUE]).patterns);
const sweep = (fs: SyncFileSystem, root: string, ignore: string[] = [], kept = new Map<string, string>()) =>
  sweepTree(fs, root, '', search(), { ignored: ignoredBy(ignore), kept });
const noValue = (text: string) => expect(text).not.toContain(VALUE);

describe('sweepTree on memfs', () => {
  const volume = () =>
    Volume.fromJSON({
      '/p/composer.json': '{}',
      '/p/vendor/a/b/.git/config': `[remote "origin"]\n\turl = https://user:${encodeURIComponent(VALUE)}@git.example.org/x.git\n`,
      '/p/vendor/a/b/src/Clean.php': '<?php\n// nothing here\n',
      '/p/.env': `A=1\nB=2\nTOKEN=${Buffer.from(VALUE).toString('base64')}\n`,
      '/p/composer.lock': `{\n  "x": "${VALUE}",\n  "y": "${VALUE}"\n}\n`,
    });

  it('names each file holding a value in any form, with its lines, and reads every file', () => {
    const result = sweep(volume() as unknown as SyncFileSystem, '/p');
    expect(result.hits.map((h) => [h.path, h.lines])).toEqual(
      expect.arrayContaining([
        ['vendor/a/b/.git/config', [2]],
        ['.env', [3]],
        ['composer.lock', [2, 3]],
      ]),
    );
    expect(result.hits).toHaveLength(3);
    expect(result.files).toBe(5);
    noValue(JSON.stringify(result));
  });

  it("does not read git's object stores (compressed), but reads .git/config and the rest beside them", () => {
    const v = Volume.fromJSON({
      '/p/vendor/a/.git/objects/ab/cdef': VALUE,
      '/p/vendor/a/.git/config': VALUE,
      '/p/vendor/a/objects/file': VALUE,
      '/p/.git/objects/pack/x.pack': VALUE,
    });
    const result = sweep(v as unknown as SyncFileSystem, '/p');
    expect(result.hits.map((h) => h.path).sort()).toEqual(['vendor/a/.git/config', 'vendor/a/objects/file']);
    expect(result.gitObjectStores).toBe(2);
  });

  it('leaves out what --leak-check-ignore names, folders and all, and says so', () => {
    const result = sweep(volume() as unknown as SyncFileSystem, '/p', ['vendor/**/.git', '.env']);
    expect(result.hits.map((h) => h.path)).toEqual(['composer.lock']);
    expect(result.notLookedAt).toEqual(
      expect.arrayContaining([
        { path: 'vendor/a/b/.git', why: 'ignored', reason: 'left out by --leak-check-ignore' },
        { path: '.env', why: 'ignored', reason: 'left out by --leak-check-ignore' },
      ]),
    );
  });

  it('names the folder, not the path, of a file whose name holds a value', () => {
    const v = Volume.fromJSON({ [`/p/cache/${VALUE}.json`]: 'clean', '/p/cache/ok.json': 'clean' });
    const result = sweep(v as unknown as SyncFileSystem, '/p');
    expect(result.hits).toEqual([{ path: 'cache', lines: [], in: 'name' }]);
  });

  it("reads a value in a symbolic link's target text, and never follows the link", () => {
    const v = Volume.fromJSON({ '/p/x': 'clean', '/outside/leak.txt': VALUE });
    v.symlinkSync(`/tmp/${VALUE}`, '/p/named');
    v.symlinkSync('/outside/leak.txt', '/p/out');
    v.symlinkSync('/outside', '/p/outdir');
    const result = sweep(v as unknown as SyncFileSystem, '/p');
    expect(result.hits).toEqual([{ path: 'named', lines: [], in: 'link' }]);
  });

  it('sweeps a single file given as the root', () => {
    const result = sweepTree(volume() as unknown as SyncFileSystem, '/p/.env', '/p/.env', search(), {
      ignored: () => false,
      kept: new Map(),
    });
    expect(result.hits.map((h) => h.path)).toEqual(['/p/.env']);
  });
});

describe('sweepTree on the real disk', () => {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  const folder = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'composer-secrets-sweep-'));
    made.push(dir);
    return dir;
  };

  it('skips FIFOs without blocking, reads a file larger than one read in full, and lists what it could not read', async () => {
    const dir = await folder();
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    // The value just past the first 1 MiB read, on line 3.
    nodeFs.writeFileSync(
      path.join(dir, 'big.txt'),
      Buffer.concat([Buffer.from('a\nb\n'), Buffer.alloc((1 << 20) - 10, 0x61), Buffer.from(VALUE)]),
    );
    nodeFs.writeFileSync(path.join(dir, 'locked.txt'), VALUE, { mode: 0 });
    const result = sweep(nodeFs, dir);
    expect(result.specialFiles).toBe(1);
    expect(result.hits.find((h) => h.path === 'big.txt')?.lines).toEqual([3]);
    if (process.getuid?.() !== 0)
      expect(result.notLookedAt).toEqual([{ path: 'locked.txt', why: 'unreadable', reason: 'could not be read (EACCES)' }]);
  });

  it('does not follow a symbolic link out of the folder, nor to a folder', async () => {
    const dir = await folder();
    const outside = await folder();
    nodeFs.writeFileSync(path.join(outside, 'leak.txt'), VALUE);
    nodeFs.symlinkSync(path.join(outside, 'leak.txt'), path.join(dir, 'file-link'));
    nodeFs.symlinkSync(outside, path.join(dir, 'folder-link'));
    const result = sweep(nodeFs, dir);
    expect(result.hits).toEqual([]);
    expect(result.files).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------
// The check after a build

const PROJECT = '/work/project';
const ENV_VALUE = `${VALUE}-env`;
const PASSWORD = `${VALUE}-password`;

/** A composer that writes `files` (path under the project -> content) as a script would. */
const writingComposer =
  (m: () => ReturnType<typeof memoryContext>, files: Record<string, string>, exitCode = 0): Program =>
  async () => {
    for (const [file, content] of Object.entries(files)) {
      await m().fs.mkdir(path.dirname(path.join(PROJECT, file)), { recursive: true });
      await m().fs.writeFile(path.join(PROJECT, file), content);
    }
    return { exitCode };
  };

async function project(files: Record<string, string>, options: { exitCode?: number; existing?: Record<string, string> } = {}) {
  let m!: ReturnType<typeof memoryContext>;
  m = memoryContext({
    programs: { composer: writingComposer(() => m, files, options.exitCode) },
    files: { [`${PROJECT}/composer.json`]: '{}', ...options.existing },
  });
  for (const argv of [
    ['secret:site:set', 'shop', 'http-basic.repo.example.org', `deploy ${PASSWORD}`, '--type', 'composer', '--scope', 'ic'],
    ['secret:site:set', 'shop', 'ACF_PRO_KEY', ENV_VALUE, '--type', 'env', '--scope', 'ic'],
    ['secret:site:set', 'shop', 'SHORT', 'abc1234', '--type', 'env', '--scope', 'ic'],
  ]) {
    expect((await m.run(argv)).code).toBe(0);
  }
  return m;
}

const build = (...more: string[]) => ['build', '--site', 'shop', '--env', 'dev', '--dir', 'project', ...more];

describe('the leak check after a build', () => {
  it('fails the build (exit 9) naming each file that holds a value, even though composer succeeded', async () => {
    const m = await project({
      'vendor/acme/hello/.env': `KEY=${ENV_VALUE}\n`,
      'var/config.php': `<?php\n\nreturn ['url' => 'https://deploy:${encodeURIComponent(PASSWORD)}@repo.example.org'];\n`,
      'clean.txt': 'nothing',
    });
    const r = await m.run(build());
    expect(r.code).toBe(EXIT_LEAK_FOUND);
    expect(r.stderr).toContain('the leak check found secret values the build handed out in 2 places under /work/project');
    expect(r.stderr).toContain('  - vendor/acme/hello/.env (line 1)\n');
    expect(r.stderr).toContain('  - var/config.php (line 3)\n');
    expect(r.stderr).toContain('1 value shorter than 8 bytes not looked for');
    noValue(r.stdout + r.stderr);
    // auth.json was put back before the sweep: the build left no credentials file.
    expect(await m.fs.readdir(PROJECT)).not.toContain('auth.json');
  });

  it('finds a username:password pair whose password alone is too short to look for', async () => {
    let m!: ReturnType<typeof memoryContext>;
    m = memoryContext({
      programs: { composer: writingComposer(() => m, { 'out.txt': 'https://deploy:pw1@repo.example.org' }) },
      files: { [`${PROJECT}/composer.json`]: '{}' },
    });
    expect(
      (await m.run(['secret:site:set', 'shop', 'http-basic.repo.example.org', 'deploy pw1', '--type', 'composer', '--scope', 'ic'])).code,
    ).toBe(0);
    const r = await m.run(build());
    expect(r.code).toBe(EXIT_LEAK_FOUND);
    expect(r.stderr).toContain('  - out.txt (line 1)\n');
  });

  it("reports a hit with composer's own failure, and exits 9", async () => {
    const m = await project({ 'x.log': ENV_VALUE }, { exitCode: 2 });
    const r = await m.run(build());
    expect(r.code).toBe(EXIT_LEAK_FOUND);
    expect(r.stderr).toContain('composer itself exited with 2');
  });

  it('judges the restored auth.json: an original holding a secret value is a hit', async () => {
    const original = JSON.stringify({ 'bearer': { 'other.example.org': PASSWORD } });
    const m = await project({}, { existing: { [`${PROJECT}/auth.json`]: original } });
    const r = await m.run(build());
    expect(r.code).toBe(EXIT_LEAK_FOUND);
    expect(r.stderr).toContain('  - auth.json (line 1)\n');
    expect(await m.fs.readFile(`${PROJECT}/auth.json`, 'utf8')).toBe(original);
  });

  it('judges the restored home auth.json too, outside the project, by its full path', async () => {
    let m!: ReturnType<typeof memoryContext>;
    const original = JSON.stringify({ bearer: { 'other.example.org': ENV_VALUE } });
    m = memoryContext({
      programs: { composer: writingComposer(() => m, {}) },
      env: { COMPOSER_HOME: '/composer-home' },
      files: { [`${PROJECT}/composer.json`]: '{}', '/composer-home/auth.json': original },
    });
    expect((await m.run(['secret:site:set', 'shop', 'ACF_PRO_KEY', ENV_VALUE, '--type', 'env', '--scope', 'ic'])).code).toBe(0);
    expect((await m.run(['secret:site:set', 'shop', 'bearer.127.0.0.1:8765', PASSWORD, '--type', 'composer', '--scope', 'ic'])).code).toBe(
      0,
    );
    const r = await m.run(build('--auth-target', 'home'));
    expect(r.code).toBe(EXIT_LEAK_FOUND);
    expect(r.stderr).toContain('  - /composer-home/auth.json (line 1)\n');
    expect(await m.fs.readFile('/composer-home/auth.json', 'utf8')).toBe(original);
  });

  it('a clean build passes and says nothing about the check', async () => {
    const m = await project({ 'vendor/acme/hello/src/Hello.php': '<?php echo "hello";\n' });
    const r = await m.run(build());
    expect(r).toMatchObject({ code: 0 });
    expect(r.stderr).not.toContain('leak check found');
  });

  it("--leak-check warn: the hits as warnings, composer's exit code", async () => {
    const m = await project({ 'vendor/.env': ENV_VALUE }, { exitCode: 0 });
    const r = await m.run(build('--leak-check', 'warn'));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('composer-secrets: warning: leak check: the leak check found secret values');
    expect(r.stderr).toContain('  - vendor/.env (line 1)\n');
    noValue(r.stderr);
  });

  it('--leak-check off: no sweep at all', async () => {
    const m = await project({ 'vendor/.env': ENV_VALUE });
    const r = await m.run(build('--leak-check', 'off'));
    expect(r.code).toBe(0);
    // The build's last line says so; nothing else mentions it.
    expect(r.stderr).toMatch(/^composer-secrets: build of site shop \(dev\) done, [^\n]*; leak check off\n$/);
  });

  it('--leak-check-ignore GLOB... leaves out the paths a user keeps knowingly', async () => {
    const m = await project({ 'deploy/.env': ENV_VALUE, 'var/log/x.log': ENV_VALUE, 'kept.txt': ENV_VALUE });
    const r = await m.run(build('--leak-check-ignore', 'deploy/.env', 'var/**'));
    expect(r.code).toBe(EXIT_LEAK_FOUND);
    expect(r.stderr).toContain('in 1 place');
    expect(r.stderr).toContain('  - kept.txt (line 1)\n');
    // As every option: given twice, the last one counts.
    const again = await m.run(build('--leak-check-ignore', 'deploy/.env', '--leak-check-ignore', 'var/**'));
    expect(again.stderr).toContain('in 2 places');
  });

  it('--keep-auth: the kept auth.json is not judged, and not a word about it', async () => {
    const m = await project({});
    const r = await m.run(build('--keep-auth'));
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain('leak check: auth.json');
    expect(await m.fs.readdir(PROJECT)).toContain('auth.json');
  });

  it('refuses a bad --leak-check mode with exit 2', async () => {
    const m = await project({});
    const r = await m.run(build('--leak-check', 'maybe'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--leak-check');
  });
});
