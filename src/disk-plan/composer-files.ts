// What Composer reads besides what a build hands it (the target auth.json, the project's and
// the global one, composer.json's config, the caller's COMPOSER_AUTH) and where it looks: the
// inputs of planAuth, read from the disk; and the URLs Composer fetches from (doctor). Nothing here writes.
import path from 'node:path';
import { originalCredentialsFile } from '../apply/credentials-file.js';
import { InvalidDocumentError, UsageError } from '../errors.js';
import { errorCode, type FileSystem } from '../io/file-system.js';
import { ioError, readSecretFile, secretFileText } from '../io/secret-file.js';
import { parseAuthJsonFile } from '../model/composer-credential.js';
import type { AuthDocument } from '../model/composer-kinds.js';
import { COMPOSER_AUTH_KINDS } from '../model/names.js';
import type { AuthTarget, AuthTargetState } from '../plan/auth-plan.js';
import { parseJsonSafely } from '../validation/json-text.js';

const AUTH_FILE_NAME = 'auth.json';

/** The file a target writes: the project's auth.json, or the one in COMPOSER_HOME. */
export function authFileFor(target: AuthTarget, dir: string, composerHome: string | undefined): string | undefined {
  if (target === 'project') return path.join(dir, AUTH_FILE_NAME);
  if (target === 'home') return path.join(composerHome ?? '', AUTH_FILE_NAME);
  return undefined;
}

function parsedAuthFile(file: string, text: string): AuthDocument {
  const parsed = parseAuthJsonFile(text);
  if (!parsed.ok) {
    throw new InvalidDocumentError(
      file,
      `${file} is not a valid Composer auth document, so it was left as it is; fix or move it`,
      parsed.problems,
    );
  }
  return parsed.document;
}

/**
 * Composer's home as Composer finds it (Factory::getHomeDir on Linux): COMPOSER_HOME (relative
 * to --dir, where composer runs), else $XDG_CONFIG_HOME/composer (or ~/.config/composer) when
 * the system uses XDG (an XDG_* variable, or /etc/xdg), else ~/.composer; the first that
 * exists, or the first of them.
 */
export async function composerHomeDir(fs: FileSystem, env: Record<string, string | undefined>, home: string, dir: string): Promise<string> {
  if (env.COMPOSER_HOME) return path.resolve(dir, env.COMPOSER_HOME);
  const isDir = (folder: string) =>
    fs.stat(folder).then(
      (s) => s.isDirectory(),
      () => false,
    );
  const userDir = env.HOME || home;
  const dirs: string[] = [];
  if (Object.keys(env).some((name) => name.startsWith('XDG_')) || (await isDir('/etc/xdg'))) {
    dirs.push(path.join(env.XDG_CONFIG_HOME || path.join(userDir, '.config'), 'composer'));
  }
  dirs.push(path.join(userDir, '.composer'));
  for (const folder of dirs) if (await isDir(folder)) return folder;
  return dirs[0] as string;
}

/** An auth.json that may not exist; one that does not parse is exit 2, left as it is. */
async function optionalAuthFile(fs: FileSystem, file: string): Promise<AuthDocument | undefined> {
  const found = await readSecretFile(fs, file, 'auth file');
  return found === undefined ? undefined : parsedAuthFile(file, secretFileText(found.content, file, 'auth file'));
}

/**
 * A file this run only reads and never writes (composer.json, the global auth.json when it is
 * not the target), or undefined when there is none. Followed through a symlink, as Composer
 * does: dotfile managers link a global auth.json.
 */
async function readOnlyText(fs: FileSystem, file: string, what: string): Promise<string | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = (await fs.readFile(file)) as Uint8Array;
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return undefined;
    throw ioError(error, `cannot read ${what} ${file}`);
  }
  return secretFileText(bytes, file, what);
}

/**
 * The credentials under composer.json's `config` (http-basic, bearer, ... as in auth.json),
 * or undefined without composer.json. Composer refuses a composer.json that is not JSON, so
 * do we (exit 2, nothing quoted).
 */
async function composerJsonCredentials(fs: FileSystem, dir: string): Promise<AuthDocument | undefined> {
  const file = path.join(dir, 'composer.json');
  const json = await projectJson(fs, file, 'composer.json');
  if (json === undefined) return undefined;
  const config = (json as { config?: unknown } | null)?.config;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return undefined;
  const credentials = Object.fromEntries(
    Object.entries(config).filter(([key]) => (COMPOSER_AUTH_KINDS as readonly string[]).includes(key)),
  );
  if (Object.keys(credentials).length === 0) return undefined;
  const parsed = parseAuthJsonFile(JSON.stringify(credentials));
  if (!parsed.ok)
    throw new InvalidDocumentError(
      file,
      `the credentials under "config" in ${file} are not valid Composer auth entries; fix them`,
      parsed.problems,
    );
  return parsed.document;
}

export async function readAuthTargetState(
  fs: FileSystem,
  options: {
    target: AuthTarget;
    dir: string;
    file: string | undefined;
    callerComposerAuth: string | undefined;
    composerHome?: string | undefined;
  },
): Promise<AuthTargetState> {
  const { target, dir, file } = options;
  // The original, not a crashed run's generated file: originalCredentialsFile reads the journal.
  const existing = file === undefined ? undefined : await originalCredentialsFile(fs, file);
  // What else Composer reads that can outrank the target or replace a secret (custom-headers).
  const projectFile = target === 'project' ? undefined : await optionalAuthFile(fs, path.join(dir, AUTH_FILE_NAME));
  const globalAuth = options.composerHome === undefined ? undefined : path.join(options.composerHome, AUTH_FILE_NAME);
  const globalText = target === 'home' || globalAuth === undefined ? undefined : await readOnlyText(fs, globalAuth, 'auth file');
  const globalFile = globalText === undefined || globalAuth === undefined ? undefined : parsedAuthFile(globalAuth, globalText);
  const composerJsonConfig = await composerJsonCredentials(fs, dir);
  let callerComposerAuth: AuthDocument | undefined;
  if (options.callerComposerAuth !== undefined && options.callerComposerAuth.trim() !== '') {
    const parsed = parseAuthJsonFile(options.callerComposerAuth);
    if (!parsed.ok) {
      throw new UsageError(
        'the COMPOSER_AUTH variable of the calling environment is not a valid auth document (Composer would refuse it too)',
        parsed.problems,
      );
    }
    callerComposerAuth = parsed.document;
  }
  return {
    target,
    file,
    existing:
      existing === undefined || file === undefined ? undefined : parsedAuthFile(file, secretFileText(existing.content, file, 'auth file')),
    projectFile,
    callerComposerAuth,
    composerJsonConfig,
    globalFile,
  };
}

/**
 * The JSON of a project file Composer reads (composer.json, composer.lock), or undefined when
 * there is none; not JSON is exit 2, nothing quoted.
 */
async function projectJson(fs: FileSystem, file: string, what: string): Promise<unknown> {
  const text = await readOnlyText(fs, file, what);
  if (text === undefined) return undefined;
  const json = parseJsonSafely(text);
  if (!json.ok) throw new InvalidDocumentError(file, `${file} is not valid JSON (${json.problem}); Composer would refuse it too`);
  return json.value;
}

const PUBLIC_FORGES = ['https://github.com', 'https://gitlab.com', 'https://bitbucket.org'];

const listAt = (list: unknown): unknown[] => (Array.isArray(list) ? list : []);

const stringsAt = (items: unknown, pick: (item: Record<string, unknown>) => unknown[]): string[] =>
  (Array.isArray(items) || (typeof items === 'object' && items !== null) ? Object.values(items) : [])
    .flatMap((item) => (typeof item === 'object' && item !== null ? pick(item as Record<string, unknown>) : []))
    .filter((url): url is string => typeof url === 'string');

/**
 * The URLs Composer fetches from: composer.json's repositories and composer.lock's dist and
 * source URLs; undefined without a composer.json (then nothing can be said about hosts no one uses).
 */
export async function repositoryUrls(fs: FileSystem, dir: string): Promise<string[] | undefined> {
  const composerJson = (await projectJson(fs, path.join(dir, 'composer.json'), 'composer.json')) as
    | Record<string, unknown>
    | null
    | undefined;
  if (composerJson === undefined) return undefined;
  const lock = (await projectJson(fs, path.join(dir, 'composer.lock'), 'composer.lock')) as Record<string, unknown> | null | undefined;
  const urlOf = (field: unknown) => [(field as { url?: unknown } | null | undefined)?.url];
  // Without a lock, packagist.org's packages can come from any of the public forges (unless packagist is turned off).
  const packagistOff =
    stringsAt(composerJson?.repositories, (repository) => [repository['packagist.org'] === false ? 'off' : undefined]).length > 0;
  const forges = lock === undefined && !packagistOff ? PUBLIC_FORGES : [];
  return [
    ...forges,
    ...stringsAt(composerJson?.repositories, (repository) => [repository.url]),
    ...stringsAt([...listAt(lock?.packages), ...listAt(lock?.['packages-dev'])], (p) => [...urlOf(p.dist), ...urlOf(p.source)]),
  ];
}
