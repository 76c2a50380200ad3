// The single executable's main script (scripts/build-sea.mjs): the CLI bundle and its code
// caches are assets of the executable, which can require() node's builtins only; it starts
// the bundle as the bin does (code-cache.ts).
import path from 'node:path';
import { getAsset } from 'node:sea';
import { BUNDLE_FILE, codeCacheFile, runBundle } from './code-cache.js';

/** The code cache asset of that name: build-sea.mjs adds every one the build made. */
function codeCache(name: string): Buffer | undefined {
  try {
    return Buffer.from(getAsset(name));
  } catch {
    return undefined; // not made by the build: compiled as usual
  }
}

const argv = process.argv.slice(2);
// The executable stands where the bundle's file would be (yargs names the program after it).
const { main, processContext } = runBundle({
  source: getAsset(BUNDLE_FILE, 'utf8'),
  cache: codeCache(codeCacheFile(argv)),
  file: process.execPath,
  dir: path.dirname(process.execPath),
}).exports;
void main(argv, processContext()).then((code) => {
  process.exitCode = code;
});
