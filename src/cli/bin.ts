#!/usr/bin/env node
// The bin, dist/cli.cjs: starts the CLI bundle (dist/cli-main.cjs) from the code cache for
// its command line (dist/cli-main*.cache; see code-cache.ts).
// CommonJS on purpose: an ES module entry costs node its ESM loader, about 9 ms.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BUNDLE_FILE, codeCacheFile, type LoadedBundle, runBundle } from './code-cache.js';

export * from './code-cache.js';

/** Compiles and runs the bundle in `dir`, from the code cache `cacheFile` there if it fits; returns its exports. */
export function loadBundle(dir: string, { cacheFile }: { cacheFile?: string } = {}): LoadedBundle {
  const file = path.join(dir, BUNDLE_FILE);
  const source = readFileSync(file, 'latin1'); // esbuild writes ASCII
  let cache: Buffer | undefined;
  try {
    cache = cacheFile === undefined ? undefined : readFileSync(path.join(dir, cacheFile));
  } catch {
    // No cache: compiled as usual.
  }
  return runBundle({ source, cache, file, dir });
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const { main, processContext } = loadBundle(__dirname, { cacheFile: codeCacheFile(argv) }).exports;
  void main(argv, processContext()).then((code) => {
    process.exitCode = code;
  });
}
