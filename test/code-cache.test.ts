// The bin and its code cache (src/cli/bin.ts, scripts/train-code-cache.mjs): the cache the
// build makes is used, and a cache that does not fit the bundle only costs speed.
import { appendFile, copyFile, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { REPO, temporaryFolder } from './support/built-cli.js';

type LoadBundle = (dir: string, options?: { useCache?: boolean }) => { cacheUsed: boolean; exports: { main: unknown } };
const DIST = path.join(REPO, 'dist');
const { loadBundle, BUNDLE_FILE, CODE_CACHE_FILE } = createRequire(import.meta.url)(path.join(DIST, 'cli.cjs')) as {
  loadBundle: LoadBundle;
  BUNDLE_FILE: string;
  CODE_CACHE_FILE: string;
};
const EXAMPLE_STORE = path.join(REPO, 'fixtures/example/store-example.json');

/** A copy of the built bin and bundle, with or without the cache, times kept (as `cp -p`). */
async function distCopy(withCache: boolean): Promise<string> {
  const dir = await temporaryFolder();
  for (const file of ['cli.cjs', BUNDLE_FILE, ...(withCache ? [CODE_CACHE_FILE] : [])]) {
    await copyFile(path.join(DIST, file), path.join(dir, file));
    const { atime, mtime } = await stat(path.join(DIST, file));
    await utimes(path.join(dir, file), atime, mtime);
  }
  return dir;
}

async function planExample(dir: string) {
  const r = await execa(process.execPath, [path.join(dir, 'cli.cjs'), '--store', EXAMPLE_STORE, 'plan', '--site', 'shop', '--env', 'dev', '--json'], { reject: false });
  return { code: r.exitCode, plan: r.exitCode === 0 ? (JSON.parse(r.stdout) as unknown) : r.stderr };
}

describe('the code cache', () => {
  it('is made by the build for this bundle and accepted by this node', () => {
    expect(loadBundle(DIST).cacheUsed).toBe(true);
    expect(loadBundle(DIST, { useCache: false }).cacheUsed).toBe(false);
  });

  it('goes with the bundle when both are copied as they are', async () => {
    expect(loadBundle(await distCopy(true)).cacheUsed).toBe(true);
  });

  it('is not used for a bundle changed after the build, and the CLI works the same', async () => {
    const reference = await planExample(DIST);
    expect(reference.code).toBe(0);
    const dir = await distCopy(true);
    await appendFile(path.join(dir, BUNDLE_FILE), '\n// changed after the build\n');
    expect(loadBundle(dir).cacheUsed).toBe(false);
    expect(await planExample(dir)).toEqual(reference);
  });

  it('is not used for a bundle replaced by another of the same size, and the CLI works the same', async () => {
    const reference = await planExample(DIST);
    const dir = await distCopy(true);
    const file = path.join(dir, BUNDLE_FILE);
    // Same length, other content: V8 alone would take the cache (it checks only the length).
    const source = await readFile(file, 'latin1');
    await writeFile(file, source.replace('internal error', 'internal fault'), 'latin1');
    const { mtime } = await stat(path.join(DIST, BUNDLE_FILE));
    await utimes(file, mtime, new Date(mtime.getTime() + 1000));
    expect((await stat(file)).size).toBe((await stat(path.join(DIST, BUNDLE_FILE))).size);
    expect(loadBundle(dir).cacheUsed).toBe(false);
    expect(await planExample(dir)).toEqual(reference);
  });

  it('is not used when V8 rejects it (made by another node, or damaged), and the CLI works the same', async () => {
    const reference = await planExample(DIST);
    const dir = await distCopy(true);
    const cache = await readFile(path.join(dir, CODE_CACHE_FILE));
    // The header still names this bundle; the V8 data after it is damaged.
    const headerLength = cache.indexOf('\n') + 1;
    await writeFile(path.join(dir, CODE_CACHE_FILE), Buffer.concat([cache.subarray(0, headerLength), Buffer.alloc(cache.length - headerLength, 0x5a)]));
    expect(loadBundle(dir).cacheUsed).toBe(false);
    expect(await planExample(dir)).toEqual(reference);
  });

  it('may be missing: the CLI works the same', async () => {
    const reference = await planExample(DIST);
    const dir = await distCopy(false);
    expect(loadBundle(dir).cacheUsed).toBe(false);
    expect(await planExample(dir)).toEqual(reference);
  });
});
