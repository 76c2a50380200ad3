// Which Composer a build will run: learned once per run, as cheaply as it can be. Reading
// the version constant from the files the `composer` program loads costs a file read or
// two; asking `composer --version` costs a PHP start, so it is the fallback.
import path from 'node:path';
import type { Context } from '../context.js';
import { UsageError } from '../errors.js';
import { captureOutput } from '../io/process-runner.js';
import { type KnownComposer, parseComposerVersion } from '../model/composer-version.js';
import { withoutToolCredentials } from '../sources/tool-credentials.js';
import { locateComposer } from './composer-process.js';

const COMPOSER_VERSION_FLAG = '--composer-version';

/** Debian's composer package installs its sources here (and patches them: see composer-version.ts). */
const DEBIAN_SOURCE_DIR = '/usr/share/php/Composer/';

/**
 * `public const VERSION = '2.5.5';` inside `class Composer`, in a source file or a phar (whose
 * files are stored uncompressed, comments stripped).
 */
const CLASS_MARKER = /^(?:final\s+)?class Composer\b/m;
const VERSION_CONSTANT = /^\s*(?:public\s+)?const\s+VERSION\s*=\s*'([^']*)'/m;
// Composer.php keeps its constants within the first lines of the class.
const CLASS_HEAD_CHARS = 4000;

/** The version constant of Composer.php (or of a phar holding it), or undefined. */
export function versionConstantIn(text: string): string | undefined {
  const start = CLASS_MARKER.exec(text);
  if (start === null) return undefined;
  return VERSION_CONSTANT.exec(text.slice(start.index, start.index + CLASS_HEAD_CHARS))?.[1];
}

/** `Composer version 2.10.2 2025-...` (or `Composer 2.x.y`), as `composer --version` prints it. */
export function versionInAnswer(stdout: string): string | undefined {
  return /^Composer (?:version )?(\d+\.\d+\.\d+)(?:\s|$)/m.exec(stdout)?.[1];
}

/**
 * The Composer the build will run: `--composer-version` when given, else the version read
 * from the files of `--composer` (or `composer` on PATH), else its `--version` answer.
 * No composer, or one that does not tell: version undefined (the plan then says so and
 * applies the rules that hold for every version).
 */
/** The Composer version --composer-version names; checked with the other flags, before anything is read. */
export function composerVersionFlag(flag: string): KnownComposer {
  const version = parseComposerVersion(flag);
  // What was given is not repeated: a value typed one position off would land here.
  if (version === undefined)
    throw new UsageError(`${COMPOSER_VERSION_FLAG}: give a release as X.Y.Z (e.g. 2.9.8), or X.Y.Z+debian for Debian's package`);
  return { version, from: 'flag', detail: COMPOSER_VERSION_FLAG };
}

export async function learnComposerVersion(
  ctx: Pick<Context, 'fs' | 'runner' | 'env' | 'cwd'>,
  options: { flag: string | undefined; composer: string | undefined; dir: string },
): Promise<KnownComposer> {
  if (options.flag !== undefined) return composerVersionFlag(options.flag);
  let program: string;
  try {
    program = await locateComposer(ctx.fs, options.composer, ctx.env, ctx.cwd);
  } catch {
    return { version: undefined, from: 'none', detail: `no composer found; name its version with ${COMPOSER_VERSION_FLAG}` };
  }
  const fromFiles = await versionFromFiles(ctx.fs, program);
  if (fromFiles !== undefined) return fromFiles;
  const answer = await captureOutput(ctx.runner, program, ['--version', '--no-ansi', '--no-interaction', '--no-plugins'], {
    cwd: options.dir,
    env: withoutToolCredentials(ctx.env),
  }).catch(() => undefined);
  const said = answer?.exitCode === 0 ? versionInAnswer(answer.stdout) : undefined;
  const version = said === undefined ? undefined : parseComposerVersion(said);
  if (version === undefined)
    return { version: undefined, from: 'none', detail: `${program} did not say its version; name it with ${COMPOSER_VERSION_FLAG}` };
  return { version, from: 'composer --version', detail: `${program} --version` };
}

async function readText(fs: Context['fs'], file: string): Promise<string | undefined> {
  try {
    // latin1: every byte stays one character, so a phar's binary parts cannot break the search.
    return ((await fs.readFile(file)) as Buffer).toString('latin1');
  } catch {
    return undefined;
  }
}

/**
 * The version read from the program itself: a phar holds Composer.php; a PHP script
 * (Debian's /usr/bin/composer, a source checkout's bin/composer) requires an autoloader
 * or bootstrap whose folder holds Composer.php, or Composer/Composer.php.
 */
async function versionFromFiles(fs: Context['fs'], program: string): Promise<KnownComposer | undefined> {
  const real = await fs.realpath(program).then(String, () => program);
  const text = await readText(fs, real);
  if (text === undefined) return undefined;
  const candidates: string[] = [];
  if (text.includes('__HALT_COMPILER')) {
    candidates.push(real);
  } else if (/^#!.*\bphp\b|<\?php/m.test(text.slice(0, 200))) {
    for (const [, relative] of text.matchAll(/require(?:_once)?\s*\(?\s*__DIR__\s*\.\s*'([^']+\.php)'/g)) {
      const folder = path.dirname(path.join(path.dirname(real), relative ?? ''));
      candidates.push(path.join(folder, 'Composer.php'), path.join(folder, 'Composer', 'Composer.php'));
    }
  }
  for (const candidate of candidates) {
    const constant = versionConstantIn((await readText(fs, candidate)) ?? '');
    // A source checkout says '@package_version@', a snapshot a commit: only a release counts.
    const version = constant === undefined ? undefined : parseComposerVersion(constant);
    if (version === undefined) continue;
    return { version: { ...version, debian: candidate.startsWith(DEBIAN_SOURCE_DIR) }, from: 'installed files', detail: candidate };
  }
  return undefined;
}
