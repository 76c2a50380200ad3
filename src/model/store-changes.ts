// Changes to the store, as Terminus's secret:* commands make them. Pure: a store in, a
// new store out, or a RefusedChangeError naming the secret (never its value).
import { RefusedChangeError, UsageError } from '../errors.js';
import { problemWithSecretName, secretNameForMessages } from './names.js';
import {
  describeOwner,
  MAX_VALUE_BYTES,
  type OwnerRef,
  type Scope,
  type Secret,
  type SecretMap,
  type SecretType,
  type Store,
} from './secret.js';

export type SetSecretRequest = {
  owner: OwnerRef;
  name: string;
  value: string;
  /** Set the value for this environment only (an override). */
  environment?: string | undefined;
  /** Only for a new secret; for an existing one it must match or be left out. */
  type?: SecretType | undefined;
  scopes?: readonly Scope[] | undefined;
  /** Problems with the value for the secret's type (a build's checks); any is a refusal. */
  checkValue?: ((name: string, type: SecretType, value: string) => string[]) | undefined;
};

export const DEFAULT_TYPE: SecretType = 'runtime';
export const DEFAULT_SCOPES: readonly Scope[] = ['user'];

function secretsOf(store: Store, owner: OwnerRef): SecretMap | undefined {
  return owner.kind === 'site' ? store.sites[owner.name]?.secrets : store.organizations[owner.name]?.secrets;
}

// A missing owner is created: spreading undefined adds nothing but the secrets.
function withSecrets(store: Store, owner: OwnerRef, secrets: SecretMap): Store {
  if (owner.kind === 'site') return { ...store, sites: { ...store.sites, [owner.name]: { ...store.sites[owner.name], secrets } } };
  return { ...store, organizations: { ...store.organizations, [owner.name]: { ...store.organizations[owner.name], secrets } } };
}

function checkValueSize(name: string, value: string): void {
  const bytes = Buffer.byteLength(value); // UTF-8, byteLength's default for strings
  if (bytes > MAX_VALUE_BYTES)
    throw new UsageError(`the value of secret ${secretNameForMessages(name)} is ${bytes} bytes; at most ${MAX_VALUE_BYTES} are allowed`);
}

function sameScopes(a: readonly Scope[], b: readonly Scope[]): boolean {
  return a.length === b.length && a.every((s) => b.includes(s));
}

export function setSecret(store: Store, request: SetSecretRequest): Store {
  const { owner, name, value, environment } = request;
  checkValueSize(name, value);
  const refuseBadValue = (type: SecretType) => {
    const problems = request.checkValue?.(name, type, value) ?? [];
    if (problems.length > 0)
      throw new UsageError(`the value of ${type} secret '${name}' would be refused by a build; nothing was changed`, problems);
  };
  const secrets = secretsOf(store, owner) ?? {};
  const existing = Object.hasOwn(secrets, name) ? secrets[name] : undefined;
  const where = describeOwner(owner);

  if (existing === undefined) {
    if (environment !== undefined) {
      throw new RefusedChangeError(
        `secret ${secretNameForMessages(name)} does not exist at ${where}; ` +
          `create its default value first, then set the override for '${environment}'`,
      );
    }
    const type = request.type ?? DEFAULT_TYPE;
    const problem = problemWithSecretName(name, type);
    // The name is not repeated: one that breaks the rules may be the value, given in the name's place.
    if (problem !== undefined) throw new UsageError(`invalid name for the new ${type} secret (the name given is not shown): ${problem}`);
    refuseBadValue(type);
    const scopes = [...new Set(request.scopes ?? DEFAULT_SCOPES)];
    const created: Secret = { type, scopes, value, overrides: {} };
    return withSecrets(store, owner, { ...secrets, [name]: created });
  }

  if (environment === undefined && (request.type !== undefined || request.scopes !== undefined)) {
    // Terminus's wording: type and scopes are fixed at creation, even when given unchanged.
    throw new RefusedChangeError(`Secret '${name}' already exists. To update the value, omit type and scopes options.`, [
      `${where} has it with type '${existing.type}' and scopes ${existing.scopes.join(',')}; ` +
        'to change them, delete the secret and set it again',
    ]);
  }
  // An override takes only a value (Terminus drops --type and --scope there without a word): one that contradicts the secret is refused.
  if (request.type !== undefined && request.type !== existing.type) {
    throw new RefusedChangeError(
      `secret '${name}' at ${where} already exists with type '${existing.type}'; ` +
        'its type is fixed (delete and recreate it to change the type, or omit --type to update the value)',
    );
  }
  if (request.scopes !== undefined && !sameScopes([...new Set(request.scopes)], existing.scopes)) {
    throw new RefusedChangeError(
      `secret '${name}' at ${where} already exists with scopes ${existing.scopes.join(',')}; ` +
        'its scopes are fixed (delete and recreate it to change them, or omit --scope to update the value)',
    );
  }
  refuseBadValue(existing.type);
  const updated: Secret =
    environment === undefined ? { ...existing, value } : { ...existing, overrides: { ...existing.overrides, [environment]: value } };
  return withSecrets(store, owner, { ...secrets, [name]: updated });
}

/**
 * Deletes a secret, or only its override for one environment. Deleting an override that is
 * not there succeeds, as with Terminus, and returns `store` itself (nothing changed).
 */
export function deleteSecret(store: Store, request: { owner: OwnerRef; name: string; environment?: string | undefined }): Store {
  const { owner, name, environment } = request;
  const secrets = secretsOf(store, owner) ?? {};
  const existing = Object.hasOwn(secrets, name) ? secrets[name] : undefined;
  if (existing === undefined) throw new RefusedChangeError(`no secret ${secretNameForMessages(name)} at ${describeOwner(owner)}`);
  if (environment === undefined) {
    const { [name]: _deleted, ...rest } = secrets;
    return withSecrets(store, owner, rest);
  }
  if (!Object.hasOwn(existing.overrides, environment)) return store;
  const { [environment]: _gone, ...overrides } = existing.overrides;
  return withSecrets(store, owner, { ...secrets, [name]: { ...existing, overrides } });
}

/** Records the site's owning organization (a site has at most one). */
export function setSiteOrganization(store: Store, site: string, organization: string): Store {
  const record = store.sites[site] ?? { secrets: {} };
  const organizations = Object.hasOwn(store.organizations, organization)
    ? store.organizations
    : { ...store.organizations, [organization]: { secrets: {} } };
  return { ...store, organizations, sites: { ...store.sites, [site]: { ...record, organization } } };
}
