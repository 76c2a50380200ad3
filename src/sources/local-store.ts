// The local store: one JSON file, validated on every load, changed under an
// inter-process lock and written atomically. The embedded default source.
import path from 'node:path';
import { EnvironmentError, InvalidDocumentError, UsageError } from '../errors.js';
import { errorCode, type FileSystem } from '../io/file-system.js';
import { readSecretFile, writeSecretFile } from '../io/secret-file.js';
import { describeIssues, parseJsonSafely } from '../model/issues.js';
import { describeOwner, emptyStore, Store, type OwnerRef, type SecretMap } from '../model/secret.js';
import type { FetchRequest, SecretSource, SiteSecrets } from './source.js';

/** Takes an exclusive lock on `file` (across processes) and returns its release; `onWait` is called when it must wait. */
export type LockFile = (file: string, onWait?: () => void) => Promise<() => Promise<void>>;


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
  return storeFromJson(file, jsonOfStore(file, text));
}

function jsonOfStore(file: string, text: string): unknown {
  const json = parseJsonSafely(text);
  if (!json.ok) throw new InvalidDocumentError(file, `store file ${file} ${json.problem}`);
  return json.value;
}

function storeFromJson(file: string, json: unknown): Store {
  const parsed = Store.safeParse(json);
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
  const json = await readStoreJson(fs, file);
  if (json === NO_FILE) return { store: emptyStore(), exists: false };
  return { store: storeFromJson(file, json), exists: true };
}

const NO_FILE = Symbol('no store file');

/** The parsed document; the bytes and the text are out of reach once it returns, so a large store is not held three times. */
async function readStoreJson(fs: FileSystem, file: string): Promise<unknown> {
  const text = (await readSecretFile(fs, file, 'store file'))?.content.toString('utf8');
  return text === undefined ? NO_FILE : jsonOfStore(file, text);
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

/** The local store as a source: the site's secrets and its organization's. */
export function localStoreSource(fs: FileSystem, file: string): SecretSource {
  return {
    description: `store file ${file}`,
    async fetch(request: FetchRequest): Promise<SiteSecrets> {
      const { store } = await loadStore(fs, file);
      return siteSecretsFromStore(store, request, `store file ${file}`);
    },
  };
}

export function siteSecretsFromStore(store: Store, request: FetchRequest, where: string): SiteSecrets {
  const site = Object.hasOwn(store.sites, request.site) ? store.sites[request.site] : undefined;
  const recorded = site?.organization;
  if (recorded !== undefined && request.organization !== undefined && recorded !== request.organization) {
    throw new UsageError(`--org ${request.organization}: site '${request.site}' belongs to organization '${recorded}' in the ${where}`);
  }
  const orgName = recorded ?? request.organization;
  if (site === undefined && orgName === undefined) {
    throw new UsageError(
      `site '${request.site}' is not in the ${where}; set one of its secrets with secret:site:set, or name its organization with --org`,
    );
  }
  let organization: SiteSecrets['organization'];
  if (orgName !== undefined) {
    const org = Object.hasOwn(store.organizations, orgName) ? store.organizations[orgName] : undefined;
    if (org === undefined && recorded === undefined) {
      throw new UsageError(`--org ${orgName}: organization '${orgName}' is not in the ${where}`);
    }
    organization = { name: orgName, secrets: org?.secrets ?? {} };
  }
  return { site: { name: request.site, secrets: site?.secrets ?? {} }, organization };
}

/** The secrets an owner keeps in the store; an owner the store does not know is an error. */
export function ownerSecretsInStore(store: Store, owner: OwnerRef, file: string): SecretMap {
  const records = owner.kind === 'site' ? store.sites : store.organizations;
  const record = Object.hasOwn(records, owner.name) ? records[owner.name] : undefined;
  if (record === undefined) throw new UsageError(`${describeOwner(owner)} is not in the store file ${file}`);
  return record.secrets;
}
