// The local store: one JSON file, validated on every load, changed under an
// inter-process lock and written atomically. The embedded default source.
import path from 'node:path';
import { EnvironmentError, InvalidDocumentError } from '../errors.js';
import { errorCode, type FileSystem } from '../io/file-system.js';
import { readSecretFile, writeSecretFile } from '../io/secret-file.js';
import { describeIssues, parseJsonSafely } from '../model/issues.js';
import { emptyStore, Store } from '../model/secret.js';

/** Takes an exclusive lock on `file` (across processes) and returns its release. */
export type LockFile = (file: string) => Promise<() => Promise<void>>;

export const STORE_SCHEMA_URL = 'https://composer-secrets.dev/schema/store.schema.json';

/** --store, else COMPOSER_SECRETS_STORE, else the user's config folder: never the project. */
export function storePath(options: { flag?: string | undefined; env: Record<string, string | undefined>; home: string; cwd: string }): string {
  const chosen = options.flag ?? nonEmpty(options.env.COMPOSER_SECRETS_STORE);
  if (chosen !== undefined) return path.resolve(options.cwd, chosen);
  const configHome = nonEmpty(options.env.XDG_CONFIG_HOME) ?? path.join(options.home, '.config');
  return path.join(configHome, 'composer-secrets', 'store.json');
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}

export function parseStore(file: string, text: string): Store {
  const json = parseJsonSafely(text);
  if (!json.ok) throw new InvalidDocumentError(file, `store file ${file} ${json.problem}`);
  const parsed = Store.safeParse(json.value);
  if (!parsed.success) {
    throw new InvalidDocumentError(file, `store file ${file} is not a valid store`, describeIssues(parsed.error.issues));
  }
  return parsed.data;
}

export function serializeStore(store: Store): string {
  return `${JSON.stringify(store, null, 2)}\n`;
}

/** The store at `file`; an empty one when there is no file yet. */
export async function loadStore(fs: FileSystem, file: string): Promise<{ store: Store; exists: boolean }> {
  const existing = await readSecretFile(fs, file, 'store file');
  if (existing === undefined) return { store: emptyStore(), exists: false };
  return { store: parseStore(file, existing.content.toString('utf8')), exists: true };
}

/**
 * Read-modify-write under the lock. `change` may throw; then nothing is written. A store
 * that does not parse or validate is never overwritten.
 */
export async function updateStore(
  fs: FileSystem,
  lock: LockFile,
  file: string,
  change: (store: Store) => Store,
): Promise<Store> {
  try {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new EnvironmentError(`cannot create the store folder ${path.dirname(file)}: ${errorCode(error) ?? 'unexpected error'}`);
  }
  const release = await lock(file);
  try {
    const { store } = await loadStore(fs, file);
    const next = change(store);
    await writeSecretFile(fs, file, serializeStore(next), { what: 'store file' });
    return next;
  } finally {
    await release();
  }
}
