// Starting the CLI bundle (dist/cli-main.cjs) from V8's code cache (dist/cli-main*.cache,
// made by scripts/build.mjs), for the bin (bin.ts, which reads them from dist/) and the
// single executable (sea.ts, which holds them as assets). Node 20 has no
// module.enableCompileCache, and compiling the bundle on every start was about a third of
// the CLI's own start-up time. The cache is used only when V8 accepts it (same V8 version
// and flags, same source length) and its header names the build id the bundle's first line
// carries (a hash of the bundle, written by the build): a bundle from another build is
// compiled as usual, so the cache changes speed, never behaviour. The id is read from the
// source, not from file times or sizes, because npm resets every mtime on install. (Hashing
// the bundle at start would be stricter but costs 2 to 7 ms, loading zlib or crypto, on
// every start; the cache guards against stale builds, not against someone who can write to
// dist/ anyway.)
import { Script } from 'node:vm';
import type { main as mainFunction, processContext as processContextFunction } from './bundle.js';

export const BUNDLE_FILE = 'cli-main.cjs';
/** The cache for commands without one of their own: trained on all of those below, and more. */
export const CODE_CACHE_FILE = 'cli-main.cache';
/**
 * Commands with a cache of their own (scripts/train-code-cache.mjs): V8 reads a whole cache
 * on every start, and one holding only the code a command runs is about a third smaller.
 */
export const COMMANDS_WITH_OWN_CACHE = ['plan', 'env', 'auth-json', 'build'] as const;

type BundleExports = { main: typeof mainFunction; processContext: typeof processContextFunction };
export type LoadedBundle = { exports: BundleExports; script: Script; header: string; cacheUsed: boolean };

/** The cache file for a command line: the first word that names a command with its own cache picks it (a wrong pick costs speed only). */
export function codeCacheFile(argv: readonly string[]): string {
  const command = argv.find((word) => (COMMANDS_WITH_OWN_CACHE as readonly string[]).includes(word));
  return command === undefined ? CODE_CACHE_FILE : `cli-main.${command}.cache`;
}

/** What the build writes as the bundle's first line, before the id. */
const BUILD_ID_PREFIX = '// composer-secrets build ';

/** The first line of a code cache made for the bundle `source` (the bundle's first line names its build). */
function cacheHeader(source: string): string {
  const firstLine = source.slice(0, source.indexOf('\n'));
  const id = firstLine.startsWith(BUILD_ID_PREFIX) ? firstLine.slice(BUILD_ID_PREFIX.length) : 'unknown';
  return `composer-secrets code cache for build ${id}\n`;
}

/**
 * Compiles and runs the bundle `source` (the file `file` in `dir`), from the code cache file's
 * bytes `cache` if they were made for it; returns its exports.
 */
export function runBundle({
  source,
  cache,
  file,
  dir,
}: {
  source: string;
  cache: Buffer | undefined;
  file: string;
  dir: string;
}): LoadedBundle {
  const header = cacheHeader(source);
  // A bundle without a build id (not made by the build) has no cache.
  const fits = cache !== undefined && source.startsWith(BUILD_ID_PREFIX) && cache.toString('latin1', 0, header.length) === header;
  const cachedData = fits ? cache.subarray(header.length) : undefined;
  // The same wrapper node puts around a CommonJS module.
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  const module = { exports: {} as BundleExports };
  script.runInThisContext()(module.exports, require, module, file, dir);
  return { exports: module.exports, script, header, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}
