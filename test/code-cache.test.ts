// The bin and its code cache (src/cli/bin.ts, scripts/train-code-cache.mjs): the cache the
// build makes is used, also after npm installs it (new file times), and a cache that does
// not fit the bundle only costs speed.
import { appendFile, copyFile, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { REPO, temporaryFolder } from './support/built-cli.js';

type LoadBundle = (dir: string, options?: { cacheFile?: string }) => { cacheUsed: boolean; exports: { main: unknown } };
const DIST = path.join(REPO, 'dist');
const { loadBundle, codeCacheFile, BUNDLE_FILE, CODE_CACHE_FILE, COMMANDS_WITH_OWN_CACHE } = createRequire(import.meta.url)(
  path.join(DIST, 'cli.cjs'),
) as {
  loadBundle: LoadBundle;
  codeCacheFile: (argv: readonly string[]) => string;
  BUNDLE_FILE: string;
  CODE_CACHE_FILE: string;
  COMMANDS_WITH_OWN_CACHE: readonly string[];
};
const EXAMPLE_STORE = path.join(REPO, 'fixtures/example/store-example.json');
/** The cache `plan` starts from: the one the fallback tests below spoil. */
const PLAN_CACHE = codeCacheFile(['plan']);

/** npm gives every file it packs this time (and the bundle and its caches one and the same). */
const NPM_FILE_TIME = new Date('1985-10-26T08:15:00Z');

/** A copy of the built bin and bundle, with or without the caches, with file times as npm installs them. */
async function distCopy(withCache: boolean): Promise<string> {
  const dir = await temporaryFolder();
  const caches = (await readdir(DIST)).filter((file) => file.endsWith('.cache'));
  for (const file of ['cli.cjs', BUNDLE_FILE, ...(withCache ? caches : [])]) {
    await copyFile(path.join(DIST, file), path.join(dir, file));
    await utimes(path.join(dir, file), NPM_FILE_TIME, NPM_FILE_TIME);
  }
  return dir;
}

async function planExample(dir: string) {
  const r = await execa(
    process.execPath,
    [path.join(dir, 'cli.cjs'), '--store', EXAMPLE_STORE, 'plan', '--site', 'shop', '--env', 'dev', '--json'],
    { reject: false },
  );
  return { code: r.exitCode, plan: r.exitCode === 0 ? (JSON.parse(r.stdout) as unknown) : r.stderr };
}

describe('the code cache', () => {
  it('is made by the build, one for each command with its own and one for the rest, and accepted by this node', async () => {
    for (const command of [...COMMANDS_WITH_OWN_CACHE, 'secret:site:list']) {
      expect(loadBundle(DIST, { cacheFile: codeCacheFile([command]) }).cacheUsed, command).toBe(true);
    }
    expect(loadBundle(DIST).cacheUsed).toBe(false);
    // A command's own cache holds less than the one trained on everything.
    expect((await stat(path.join(DIST, PLAN_CACHE))).size).toBeLessThan((await stat(path.join(DIST, CODE_CACHE_FILE))).size);
  });

  it('is picked by the first word that names a command with a cache of its own', () => {
    expect(codeCacheFile(['--store', 's.json', 'plan', '--site', 'shop', '--env', 'dev'])).toBe('cli-main.plan.cache');
    expect(codeCacheFile(['build', '--site', 'plan'])).toBe('cli-main.build.cache');
    expect(codeCacheFile(['auth-json'])).toBe('cli-main.auth-json.cache');
    for (const argv of [[], ['secret:site:list', 'shop'], ['restore'], ['--help']]) expect(codeCacheFile(argv)).toBe(CODE_CACHE_FILE);
  });

  it('goes with the bundle when both are copied as npm installs them (file times reset)', async () => {
    expect(loadBundle(await distCopy(true), { cacheFile: PLAN_CACHE }).cacheUsed).toBe(true);
  });

  it('is not used for a bundle changed after the build, and the CLI works the same', async () => {
    const reference = await planExample(DIST);
    expect(reference.code).toBe(0);
    const dir = await distCopy(true);
    await appendFile(path.join(dir, BUNDLE_FILE), '\n// changed after the build\n');
    expect(loadBundle(dir, { cacheFile: PLAN_CACHE }).cacheUsed).toBe(false);
    expect(await planExample(dir)).toEqual(reference);
  });

  it('is not used for the bundle of another build of the same size, and the CLI works the same', async () => {
    const reference = await planExample(DIST);
    const dir = await distCopy(true);
    const file = path.join(dir, BUNDLE_FILE);
    // Same length, other content and build id: V8 alone would take the cache (it checks only the length).
    const source = await readFile(file, 'latin1');
    const firstLine = source.slice(0, source.indexOf('\n'));
    const otherId = firstLine.replace(/[0-9a-f]$/, (digit) => (digit === '0' ? '1' : '0'));
    await writeFile(file, otherId + source.slice(firstLine.length).replace('internal error', 'internal fault'), 'latin1');
    expect((await stat(file)).size).toBe((await stat(path.join(DIST, BUNDLE_FILE))).size);
    expect(loadBundle(dir, { cacheFile: PLAN_CACHE }).cacheUsed).toBe(false);
    expect(await planExample(dir)).toEqual(reference);
  });

  it('is not used for a bundle without a build id', async () => {
    const dir = await distCopy(true);
    const file = path.join(dir, BUNDLE_FILE);
    const source = await readFile(file, 'latin1');
    // The id line blanked to spaces: the same length, so only the missing id stops the cache.
    await writeFile(
      file,
      source.replace(/^[^\n]*/, (line) => ' '.repeat(line.length)),
      'latin1',
    );
    expect(loadBundle(dir, { cacheFile: PLAN_CACHE }).cacheUsed).toBe(false);
  });

  it('is not used when V8 rejects it (made by another node, or damaged), and the CLI works the same', async () => {
    const reference = await planExample(DIST);
    const dir = await distCopy(true);
    const cache = await readFile(path.join(dir, PLAN_CACHE));
    // The header still names this bundle; the V8 data after it is damaged.
    const headerLength = cache.indexOf('\n') + 1;
    await writeFile(
      path.join(dir, PLAN_CACHE),
      Buffer.concat([cache.subarray(0, headerLength), Buffer.alloc(cache.length - headerLength, 0x5a)]),
    );
    expect(loadBundle(dir, { cacheFile: PLAN_CACHE }).cacheUsed).toBe(false);
    expect(await planExample(dir)).toEqual(reference);
  });

  it('may be missing: the CLI works the same', async () => {
    const reference = await planExample(DIST);
    const dir = await distCopy(false);
    expect(loadBundle(dir, { cacheFile: PLAN_CACHE }).cacheUsed).toBe(false);
    expect(await planExample(dir)).toEqual(reference);
  });
});
