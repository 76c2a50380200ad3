#!/usr/bin/env node
// The bin, dist/cli.cjs: starts the CLI bundle (dist/cli-main.cjs) from V8's code cache
// (dist/cli-main.cache, made by scripts/build.mjs). Node 20 has no
// module.enableCompileCache, and compiling the bundle on every start was about a third of
// the CLI's own start-up time. The cache is used only when it was made from this very
// bundle (its SHA-1 heads the file) and V8 accepts it (same V8 version and flags); in any
// other case the bundle is compiled as usual: the cache changes speed, never behaviour.
// CommonJS on purpose: an ES module entry costs node its ESM loader, about 9 ms.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Script } from 'node:vm';
import type { main as mainFunction, processContext as processContextFunction } from './bundle.js';

export const BUNDLE_FILE = 'cli-main.cjs';
export const CODE_CACHE_FILE = 'cli-main.cache';
const HASH_LENGTH = 40;

type BundleExports = { main: typeof mainFunction; processContext: typeof processContextFunction };
export type LoadedBundle = { exports: BundleExports; script: Script; header: string; cacheUsed: boolean };

/** The header a code cache for this bundle source must start with. */
export const cacheHeader = (source: string): string => createHash('sha1').update(source).digest('hex');

function readCodeCache(file: string, header: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = readFileSync(file);
  } catch {
    return undefined;
  }
  return data.toString('latin1', 0, HASH_LENGTH) === header ? data.subarray(HASH_LENGTH) : undefined;
}

/** Compiles and runs the bundle in `dir` (with its code cache unless told not to); returns its exports. */
export function loadBundle(dir: string, { useCache = true } = {}): LoadedBundle {
  const file = path.join(dir, BUNDLE_FILE);
  const source = readFileSync(file, 'latin1'); // esbuild writes ASCII
  const header = cacheHeader(source);
  const cachedData = useCache ? readCodeCache(path.join(dir, CODE_CACHE_FILE), header) : undefined;
  // The same wrapper node puts around a CommonJS module.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} as BundleExports };
  script.runInThisContext()(module.exports, require, module, file, dir);
  return { exports: module.exports, script, header, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}

if (require.main === module) {
  const { main, processContext } = loadBundle(__dirname).exports;
  void main(process.argv.slice(2), processContext()).then((code) => {
    process.exitCode = code;
  });
}
