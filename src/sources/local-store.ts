// The local store: one JSON file, changed under an inter-process lock and written
// atomically, checked whole before every change; commands that only read it check the
// outline and the owners they use (see StoreOutline). The embedded default source.
import path from 'node:path';
import type * as z from 'zod/mini';
import { EnvironmentError, InvalidDocumentError, UsageError } from '../errors.js';
import { errorCode, type FileSystem } from '../io/file-system.js';
import type { LockFile } from '../io/process-lock.js';
import { readSecretText, SECRET_DIR_MODE, writeSecretFile } from '../io/secret-file.js';
import { describeOwner, emptyStore, Organization, type OwnerRef, type SecretMap, Site, Store, StoreOutline } from '../model/secret.js';
import { checkDocument, describeIssues } from '../validation/issue-messages.js';
import { type JsonMember, parseJsonSafely, type Span, scanJsonMembers } from '../validation/json-text.js';
import type { FetchRequest, SecretSource, SiteSecrets } from './source.js';

/** --store, else COMPOSER_SECRETS_STORE, else the user's config folder: never the project. */
export function storePath(options: {
  flag?: string | undefined;
  env: Record<string, string | undefined>;
  home: string;
  cwd: string;
}): string {
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
  return checked(file, Store, json);
}

function checked<T>(file: string, schema: z.ZodMiniType<T>, json: unknown, at: readonly PropertyKey[] = []): T {
  const parsed = checkDocument(schema, json);
  if (!parsed.ok) {
    throw new InvalidDocumentError(
      file,
      `store file ${file} is not a valid store`,
      describeIssues(parsed.issues, { document: json, prefix: at }),
    );
  }
  return parsed.value;
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
  const text = await readSecretText(fs, file, 'store file');
  return text === undefined ? NO_FILE : jsonOfStore(file, text);
}

/**
 * Read-modify-write under the lock. `change` may throw; then nothing is written. A store
 * that does not parse or validate is never overwritten.
 */
export async function updateStore(fs: FileSystem, lock: LockFile, file: string, change: (store: Store) => Store): Promise<Store> {
  try {
    await fs.mkdir(path.dirname(file), { recursive: true, mode: SECRET_DIR_MODE });
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

/** A store as the commands that only read it see it: owners checked when first asked for. */
export type StoreReader = {
  site(name: string): Site | undefined;
  organization(name: string): Organization | undefined;
};

/**
 * The store at `file` for reading: its outline is checked now, each owner when asked for.
 * No file yet is an empty store, or with `mustExist` a UsageError saying so (a mistyped
 * --store would otherwise read as a store that lacks the site).
 */
export async function readStore(fs: FileSystem, file: string, options: { mustExist?: boolean } = {}): Promise<StoreReader> {
  const text = await readSecretText(fs, file, 'store file');
  if (text === undefined && options.mustExist === true) throw storeFileMissing(file);
  return storeReaderOfText(file, text);
}

function storeFileMissing(file: string): UsageError {
  return new UsageError(
    `there is no store file ${file}; check --store (or $COMPOSER_SECRETS_STORE), or create it by setting a secret with secret:site:set`,
  );
}

/** readStore on a text already read; undefined is no file at all. */
export function storeReaderOfText(file: string, text: string | undefined): StoreReader {
  const outline = text === undefined ? emptyStore() : outlineOfText(file, text);
  const owner = <T>(schema: z.ZodMiniType<T>, key: 'sites' | 'organizations', name: string): T | undefined => {
    if (!Object.hasOwn(outline[key], name)) return undefined;
    const found = outline[key][name];
    const json = found instanceof OwnerText ? JSON.parse(found.text.slice(found.span.start, found.span.end)) : found;
    return checked(file, schema, json, [key, name]);
  };
  return {
    site: (name) => owner(Site, 'sites', name),
    organization: (name) => owner(Organization, 'organizations', name),
  };
}

/** An owner's record, still JSON text: parsed only when a command asks for that owner. */
class OwnerText {
  constructor(
    readonly text: string,
    readonly span: Span,
  ) {}
}

/**
 * The checked outline of a store text, found without parsing the owners' records: a plan
 * for one site of a large store then costs little more than the text itself.
 */
function outlineOfText(file: string, text: string): StoreOutline {
  const members: JsonMember[] = [];
  const rootIsObject = text.charCodeAt(text.search(/\S|$/)) === 0x7b; // {
  if (!scanJsonMembers(text, (member) => members.push(member)) || !rootIsObject) {
    // Not JSON (the message says where), or not an object (the check says so).
    return checked(file, StoreOutline, jsonOfStore(file, text));
  }
  const ownersByStart = new Map<number, Record<string, unknown>>();
  for (const { depth, key, value, parentStart } of members) {
    if (depth !== 2) continue;
    const owners = ownersByStart.get(parentStart) ?? {};
    ownersByStart.set(parentStart, owners);
    defineMember(owners, key, new OwnerText(text, value));
  }
  const root: Record<string, unknown> = {};
  for (const { depth, key, value } of members) {
    if (depth !== 1) continue;
    const ownerMap = (key === 'sites' || key === 'organizations') && text.charCodeAt(value.start) === 0x7b;
    defineMember(root, key, ownerMap ? (ownersByStart.get(value.start) ?? {}) : JSON.parse(text.slice(value.start, value.end)));
  }
  return checked(file, StoreOutline, root);
}

/** As JSON.parse sets a member: an own property even for "__proto__", the last of a repeated key winning. */
function defineMember(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The local store as a source: the site's secrets and its organization's. */
export function localStoreSource(fs: FileSystem, file: string): SecretSource {
  return {
    description: `store file ${file}`,
    async fetch(request: FetchRequest): Promise<SiteSecrets> {
      return siteSecretsFromStore(await readStore(fs, file, { mustExist: true }), request, `store file ${file}`);
    },
  };
}

export function siteSecretsFromStore(store: StoreReader, request: FetchRequest, where: string): SiteSecrets {
  const site = store.site(request.site);
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
    const org = store.organization(orgName);
    if (org === undefined && recorded === undefined) {
      throw new UsageError(`--org ${orgName}: organization '${orgName}' is not in the ${where}`);
    }
    organization = { name: orgName, secrets: org?.secrets ?? {} };
  }
  return { site: { name: request.site, secrets: site?.secrets ?? {} }, organization };
}

/** The secrets an owner keeps in the store; an owner the store does not know is an error. */
export function ownerSecretsInStore(store: StoreReader, owner: OwnerRef, file: string): SecretMap {
  const record = owner.kind === 'site' ? store.site(owner.name) : store.organization(owner.name);
  if (record === undefined) throw ownerMissing(owner, file);
  return record.secrets;
}

function ownerMissing(owner: OwnerRef, file: string): UsageError {
  return new UsageError(`${describeOwner(owner)} is not in the store file ${file}`);
}

/** A site's secrets and its recorded organization's, for its listing; a site the store does not know is an error. */
export function siteSecretsForListing(
  store: StoreReader,
  site: string,
  file: string,
): { site: SecretMap; organization: { name: string; secrets: SecretMap } | undefined } {
  const record = store.site(site);
  if (record === undefined) throw ownerMissing({ kind: 'site', name: site }, file);
  const name = record.organization;
  const organization = name === undefined ? undefined : store.organization(name);
  return {
    site: record.secrets,
    organization: name === undefined || organization === undefined ? undefined : { name, secrets: organization.secrets },
  };
}
