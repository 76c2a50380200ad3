// Names: sites, organizations, environments, and secret names by type.
import * as z from 'zod/mini';

/** Site, organization and environment names (ours): lowercase letters, digits and '-'. */
export const OWNER_NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;
export const OwnerName = z.string().check(z.maxLength(100), z.regex(OWNER_NAME_PATTERN));
export const EnvironmentName = OwnerName;

/** What an `env` secret's name must look like: it becomes a variable name. */
export const ENV_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Any secret name (ours): what a runtime secret may be called. */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,254}$/;
export const SecretName = z.string().check(z.regex(SECRET_NAME_PATTERN));

/**
 * Fits the pattern, but a JavaScript object cannot hold it as a key (assigning it sets the
 * prototype): refused everywhere rather than accepted and then lost on the next read.
 */
export const RESERVED_SECRET_NAME = '__proto__';

/** The top-level kinds of Composer's auth.json (its res/composer-schema.json); the last three since Composer 2.9. */
export const COMPOSER_AUTH_KINDS = [
  'http-basic',
  'bearer',
  'github-oauth',
  'gitlab-oauth',
  'gitlab-token',
  'bitbucket-oauth',
  'forgejo-token',
  'custom-headers',
  'client-certificate',
] as const;
export type ComposerAuthKind = (typeof COMPOSER_AUTH_KINDS)[number];

/** A host as auth.json keys it: a DNS name or IPv4 address, optionally with a port. */
export const HOST_PATTERN =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::(?:[1-9][0-9]{0,4}))?$/;

export type ComposerSecretName = { kind: ComposerAuthKind; host: string };

/**
 * Splits `<kind>.<host>` into its parts. The kind is the longest known prefix, since
 * hosts contain dots and kinds contain '-'.
 */
export function parseComposerSecretName(name: string): { ok: true; value: ComposerSecretName } | { ok: false; problem: string } {
  const dot = name.indexOf('.');
  if (dot <= 0) return { ok: false, problem: `a composer secret is named <kind>.<host> (kinds: ${COMPOSER_AUTH_KINDS.join(', ')})` };
  const kind = name.slice(0, dot);
  const host = name.slice(dot + 1);
  if (!(COMPOSER_AUTH_KINDS as readonly string[]).includes(kind)) {
    // Neither part is quoted: a name that does not fit may be a value typed in the wrong place.
    return { ok: false, problem: `the part before the first '.' is not a Composer auth kind (kinds: ${COMPOSER_AUTH_KINDS.join(', ')})` };
  }
  if (!HOST_PATTERN.test(host) || !validPort(host)) {
    return { ok: false, problem: `the part after '${kind}.' is not a host Composer can match (a host name or IP, optionally :port)` };
  }
  return { ok: true, value: { kind: kind as ComposerAuthKind, host } };
}

function validPort(host: string): boolean {
  const colon = host.lastIndexOf(':');
  return colon === -1 || Number(host.slice(colon + 1)) <= 65535;
}

/**
 * The problem with a secret name for a given type, or undefined when the name fits. Legacy
 * types (file, vcs) have the general rule only.
 */
export function problemWithSecretName(name: string, type: 'runtime' | 'env' | 'composer' | 'file' | 'vcs'): string | undefined {
  if (!SECRET_NAME_PATTERN.test(name)) {
    return 'a secret name is 1-255 letters, digits, or _ . : - (not starting with . : -)';
  }
  if (name === RESERVED_SECRET_NAME)
    return `${RESERVED_SECRET_NAME} cannot be a secret name (JavaScript objects treat it as their prototype, so it would be lost)`;
  if (type === 'env' && !ENV_NAME_PATTERN.test(name)) {
    return `an env secret's name must match ${ENV_NAME_PATTERN.source} (it becomes a variable name)`;
  }
  if (type === 'composer') {
    const parsed = parseComposerSecretName(name);
    if (!parsed.ok) return parsed.problem;
  }
  return undefined;
}

/**
 * A secret name as messages about a request show it: quoted when it is a valid name, else
 * described. A name that breaks the rules may be a value given in the name's place.
 */
export function secretNameForMessages(name: string): string {
  return problemWithSecretName(name, 'runtime') === undefined
    ? `'${name}'`
    : '(the name given: not shown, since it is not a valid secret name)';
}

/** The known name closest to `word`, when it is near enough to be a typo. */
export function closestName(word: string, names: readonly string[]): string | undefined {
  const normalized = word.toLowerCase().replace(/[_\s]/g, '-');
  let best: { name: string; distance: number } | undefined;
  for (const name of names) {
    const distance = editDistance(normalized, name.toLowerCase());
    if (distance <= 2 && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/**
 * Optimal string alignment distance: Levenshtein's insert, delete and replace, and a swap
 * of two neighbours as one edit, the commonest typo (`stie` is one edit from `site`, two
 * from `store`).
 */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  // Three rows of the table: distances from the first i-2, i-1 and i letters of a to each start of b.
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  // Not read before the second row: a swap needs two letters.
  let beforePrevious = previous;
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      let distance = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
      // A swap; at i or j = 1 the index -1 reads undefined, which no letter equals.
      if (a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, (beforePrevious[j - 2] ?? 0) + 1);
      current[j] = distance;
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
