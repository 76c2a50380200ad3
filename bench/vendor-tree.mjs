// A generated vendor tree the size of a real Drupal site's (about 30,000 files, 300 MB),
// for the sweep benchmark: packages of PHP, JSON, Markdown, JavaScript and a few binary
// files, sizes spread like a real vendor folder (many small files, a few large ones).
// Deterministic for a seed, so every run sweeps the same bytes.
import fs from 'node:fs';
import path from 'node:path';

/** @typedef {() => number} Random a number in [0, 1) on each call */

/**
 * A small seeded PRNG (mulberry32): the same tree for the same seed.
 * @param {number} seed
 * @returns {Random}
 */
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'namespace use class function public private protected static return if else foreach as new array string int bool null true false ' +
  'this self parent throw try catch finally interface extends implements abstract final const yield match fn readonly enum ' +
  'Symfony Component HttpKernel Drupal Core Entity Field Plugin Form Render Element Cache Config Routing Request Response Event ' +
  'Dispatcher Container Service Definition Reference Argument Resolver Exception Logger Context Handler Stream Uri Message Header ' +
  'get set has add remove build create load save delete validate normalize denormalize serialize encode decode render process ' +
  '$value $key $name $options $data $result $item $items $config $container $request $response $event $entity $field $context'
).split(' ');
const PUNCTUATION = ['(', ')', '{', '}', ';', ',', '->', '::', '=', '=>', '[', ']', '.', '?', ':', '!', '&&', '||'];

/**
 * A text file of about `size` bytes: code-like lines, a comment block now and then.
 * @param {Random} next
 * @param {number} size
 * @param {string} kind
 */
function textOf(next, size, kind) {
  const lines = [];
  let length = 0;
  if (kind === 'php') lines.push('<?php', '');
  while (length < size) {
    let line = '    '.repeat(Math.floor(next() * 4));
    const count = 3 + Math.floor(next() * 10);
    for (let i = 0; i < count; i++) {
      line += WORDS[Math.floor(next() * WORDS.length)];
      line += next() < 0.4 ? PUNCTUATION[Math.floor(next() * PUNCTUATION.length)] : ' ';
    }
    if (next() < 0.08) line = `${'    '.repeat(1)}// ${line.trim()} ${Math.floor(next() * 1e9).toString(36)}`;
    lines.push(line);
    length += line.length + 1;
  }
  return `${lines.join('\n')}\n`;
}

/**
 * A file size: log-normal-ish around a few KiB, with a long tail (mean about 10 KiB).
 * @param {Random} next
 */
function sizeOf(next) {
  const u = Math.max(next(), 1e-9);
  const v = next();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.min(2 << 20, Math.max(64, Math.round(Math.exp(8.2 + 1.15 * normal))));
}

/** @type {Array<[kind: string, share: number]>} */
const KINDS = [
  ['php', 0.78],
  ['json', 0.05],
  ['md', 0.05],
  ['js', 0.06],
  ['yml', 0.03],
  ['png', 0.03],
];

/** @param {Random} next */
function kindOf(next) {
  let u = next();
  for (const [kind, share] of KINDS) {
    u -= share;
    if (u < 0) return kind;
  }
  return 'php';
}

/**
 * Writes the tree under `dir` (which must not exist yet): `files` files of about
 * `bytes` bytes in all, in packages of vendor/<vendor>/<package>/src/... Returns the
 * file count and total size actually written.
 * @param {string} dir
 * @param {{ files?: number, bytes?: number, seed?: number }} [options]
 */
export function generateVendorTree(dir, { files = 30_000, bytes = 300 * 1024 * 1024, seed = 1 } = {}) {
  const next = random(seed);
  const sizes = Array.from({ length: files }, () => sizeOf(next));
  const scale = bytes / sizes.reduce((a, b) => a + b, 0);
  let written = 0;
  let index = 0;
  let packageNumber = 0;
  while (index < files) {
    const vendor = `vendor-${String(packageNumber % 97).padStart(2, '0')}`;
    const pkg = path.join(dir, 'vendor', vendor, `package-${packageNumber}`);
    const inPackage = Math.min(files - index, 20 + Math.floor(next() * 180));
    for (let i = 0; i < inPackage; i++, index++) {
      const kind = kindOf(next);
      const depth = Math.floor(next() * 4);
      const folder = path.join(pkg, 'src', ...Array.from({ length: depth }, (_, d) => `Part${d}${Math.floor(next() * 3)}`));
      fs.mkdirSync(folder, { recursive: true });
      const size = Math.max(16, Math.round(/** @type {number} index < files */ (sizes[index]) * scale));
      const content =
        kind === 'png'
          ? Buffer.from(Array.from({ length: size }, () => Math.floor(next() * 256)))
          : Buffer.from(textOf(next, size, kind)).subarray(0, size);
      fs.writeFileSync(path.join(folder, `File${i}.${kind}`), content);
      written += content.length;
    }
    packageNumber++;
  }
  return { files, bytes: written, packages: packageNumber };
}
