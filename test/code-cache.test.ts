// The bin and its code cache (src/cli/bin.ts, scripts/train-code-cache.mjs): the cache the
// build makes is used, and a cache that does not fit the bundle only costs speed.
import { appendFile, copyFile, readFile, writeFile } from 'node:fs/promises';
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

/** A copy of the built bin and bundle, with or without the cache. */
async function distCopy(withCache: boolean): Promise<string> {
  const dir = await temporaryFolder();
  for (const file of ['cli.cjs', BUNDLE_FILE, ...(withCache ? [CODE_CACHE_FILE] : [])]) await copyFile(path.join(DIST, file), path.join(dir, file));
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

  it('is not used for a bundle changed after the build, and the CLI works the same', async () => {
    const reference = await planExample(DIST);
    expect(reference.code).toBe(0);
    const dir = await distCopy(true);
    await appendFile(path.join(dir, BUNDLE_FILE), '\n// changed after the build\n');
    expect(loadBundle(dir).cacheUsed).toBe(false);
    expect(await planExample(dir)).toEqual(reference);
  });

  it('is not used when V8 rejects it (made by another node, or damaged), and the CLI works the same', async () => {
    const reference = await planExample(DIST);
    const dir = await distCopy(true);
    const cache = await readFile(path.join(dir, CODE_CACHE_FILE));
    // The header still names this bundle; the V8 data after it is damaged.
    await writeFile(path.join(dir, CODE_CACHE_FILE), Buffer.concat([cache.subarray(0, 40), Buffer.alloc(cache.length - 40, 0x5a)]));
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
