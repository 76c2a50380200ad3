// Which credential the running Composer sends for each host, and why: every place Composer
// reads (global auth.json, composer.json config, the project's auth.json, COMPOSER_AUTH) plus
// what the build adds, put together by the version's rules (reference: composer-auth.md;
// Composer's Factory::createConfig / createComposer, Config::merge, IO/BaseIO::loadConfiguration). Pure.

import { type AuthDocument, firstReleaseReading, LATER_KINDS } from '../model/composer-kinds.js';
import { type ComposerRules, composerName } from '../model/composer-version.js';
import { COMPOSER_AUTH_KINDS, type ComposerAuthKind } from '../model/names.js';
import type { AuthTarget } from './auth-plan.js';

export const CREDENTIAL_SOURCES = ['secrets', 'project auth.json', 'global auth.json', 'composer.json', 'COMPOSER_AUTH'] as const;
export type CredentialSource = (typeof CREDENTIAL_SOURCES)[number];
type FileSource = Exclude<CredentialSource, 'secrets'>;

export type CredentialPlaces = {
  /** The entries the build makes from secrets. */
  secrets: AuthDocument;
  project?: AuthDocument | undefined;
  global?: AuthDocument | undefined;
  composerJson?: AuthDocument | undefined;
  composerAuth?: AuthDocument | undefined;
};

export type WinnersInput = {
  rules: ComposerRules;
  /** Where the build writes the secrets' entries: they join that place, over what it holds. */
  target: AuthTarget;
  places: CredentialPlaces;
  /** Repository and package URLs of composer.json and composer.lock; undefined without a composer.json. */
  repositoryUrls: readonly string[] | undefined;
  /** The time, in seconds since the epoch, to judge a gitlab-oauth `expires-at` by. */
  nowSeconds: number;
};

export type HostVerdict = {
  host: string;
  /** The credential Composer sends; null when it sends none (every entry ignored). */
  kind: ComposerAuthKind | null;
  source: CredentialSource | null;
  shadowed: Array<{ kind: ComposerAuthKind; source: CredentialSource }>;
  warnings: string[];
  /** A host the build's secrets set: it must get its secret. */
  needed: boolean;
};

/** Lowest first: a later place replaces an earlier one's entry for the same kind and host. */
function mergeOrder(composerAuthWins: boolean): FileSource[] {
  // Up to 2.7.7 COMPOSER_AUTH is merged just after the global auth.json (Factory::createConfig);
  // from 2.7.8 it is merged last.
  return composerAuthWins
    ? ['global auth.json', 'composer.json', 'project auth.json', 'COMPOSER_AUTH']
    : ['global auth.json', 'COMPOSER_AUTH', 'composer.json', 'project auth.json'];
}

/**
 * The order BaseIO::loadConfiguration sets credentials in; a later kind overwrites an earlier
 * one for the same host ("You should avoid overwriting already defined auth settings").
 * custom-headers last (2.9); forgejo-token's place before it is assumed, not measured.
 */
const APPLY_ORDER: readonly ComposerAuthKind[] = [
  'bitbucket-oauth',
  'github-oauth',
  'gitlab-oauth',
  'gitlab-token',
  'http-basic',
  'bearer',
  'forgejo-token',
  'client-certificate',
  'custom-headers',
];

/** `place`: the place Composer reads it from (the secrets are in the target's). */
type Entry = { kind: ComposerAuthKind; host: string; source: CredentialSource; place: FileSource; value: unknown };

function entriesOf(document: AuthDocument | undefined, source: CredentialSource, place: FileSource): Entry[] {
  if (document === undefined) return [];
  return COMPOSER_AUTH_KINDS.flatMap((kind) => {
    const hosts: unknown = (document as Record<string, unknown>)[kind];
    if (typeof hosts !== 'object' || hosts === null || Array.isArray(hosts)) return [];
    return Object.entries(hosts).map(([host, value]) => ({ kind, host, source, place, value }));
  });
}

const placeOf: Record<FileSource, keyof CredentialPlaces> = {
  'project auth.json': 'project',
  'global auth.json': 'global',
  'composer.json': 'composerJson',
  COMPOSER_AUTH: 'composerAuth',
};
const targetPlace: Record<AuthTarget, FileSource> = { project: 'project auth.json', home: 'global auth.json', env: 'COMPOSER_AUTH' };

/**
 * Every entry, lowest place first, with the secrets written into the target over what it holds
 * (other kinds for their hosts dropped, as planAuth does).
 */
function layered(places: CredentialPlaces, target: AuthTarget, composerAuthWins: boolean): { entries: Entry[]; dropped: Entry[] } {
  const secrets = entriesOf(places.secrets, 'secrets', targetPlace[target]);
  const secretHosts = new Set(secrets.map((e) => e.host));
  const dropped: Entry[] = [];
  const entries = mergeOrder(composerAuthWins).flatMap((source) => {
    const own = entriesOf(places[placeOf[source]], source, source);
    if (source !== targetPlace[target]) return own;
    for (const e of own) if (secretHosts.has(e.host)) dropped.push(e);
    return [...own.filter((e) => !secretHosts.has(e.host)), ...secrets];
  });
  return { entries, dropped };
}

/**
 * What Composer ends with: per kind, the last place's entry for each host; custom-headers as one
 * whole map from the last place that has one.
 */
function merged(entries: readonly Entry[]): { kept: Entry[]; replaced: Entry[] } {
  const kept = new Map<string, Entry>();
  const replaced: Entry[] = [];
  const lastHeadersPlace = entries.filter((e) => e.kind === 'custom-headers').at(-1)?.place;
  for (const e of entries) {
    if (e.kind === 'custom-headers' && e.place !== lastHeadersPlace) {
      replaced.push(e);
      continue;
    }
    const key = `${e.kind} ${e.host}`;
    const before = kept.get(key);
    if (before !== undefined) replaced.push(before);
    kept.set(key, e);
  }
  return { kept: [...kept.values()], replaced };
}

/** The origin (`host` or `host:port`) a URL is requested at; `git@host:path` too. undefined for anything else. */
export function urlOrigin(url: string): { host: string; origin: string } | undefined {
  const scp = /^[A-Za-z0-9._-]+@([A-Za-z0-9.-]+):/.exec(url);
  const scpHost = scp?.[1];
  if (scpHost !== undefined && !url.includes('://')) return { host: scpHost.toLowerCase(), origin: scpHost.toLowerCase() };
  try {
    const parsed = new URL(url);
    if (parsed.hostname === '') return undefined;
    return { host: parsed.hostname, origin: parsed.port === '' ? parsed.hostname : `${parsed.hostname}:${parsed.port}` };
  } catch {
    return undefined;
  }
}

function verdictFor(host: string, input: WinnersInput, kept: readonly Entry[], lost: readonly Entry[]): HostVerdict {
  const { rules } = input;
  const composer = composerName(rules);
  const warnings: string[] = [];
  const ignored = rules.ignoredKinds ?? [];
  for (const e of kept.filter((k) => ignored.includes(k.kind))) {
    const from = firstReleaseReading(e.kind).full;
    warnings.push(`${composer} ignores ${e.kind} entries (it reads them from ${from}): the one in ${e.source} sends nothing`);
  }
  if (rules.ignoredKinds === undefined) {
    for (const e of kept.filter((k) => LATER_KINDS.includes(k.kind))) {
      warnings.push(
        `Composer before ${firstReleaseReading(e.kind).short} ignores ${e.kind} entries: the one in ${e.source} sends nothing there; ` +
          'name the Composer with --composer-version to check',
      );
    }
  }
  const used = kept.filter((e) => !ignored.includes(e.kind)).sort((a, b) => APPLY_ORDER.indexOf(a.kind) - APPLY_ORDER.indexOf(b.kind));
  const winner = used.at(-1);
  if (used.length > 1) {
    warnings.push(
      `several kinds for one host (${used.map((e) => `${e.kind} in ${e.source}`).join(', ')}): ` +
        // biome-ignore lint/style/noNonNullAssertion: used has more than one entry here, so a last one
        `Composer keeps one credential per host and sets ${winner!.kind} last; keep only one`,
    );
  }
  const shadowed = [...lost, ...used.slice(0, -1), ...kept.filter((e) => ignored.includes(e.kind))].map((e) => ({
    kind: e.kind,
    source: e.source,
  }));

  const urls = (input.repositoryUrls ?? []).flatMap((url) => urlOrigin(url) ?? []);
  const bare = !host.includes(':');
  const withPort = bare ? [...new Set(urls.filter((u) => u.host === host && u.origin !== host).map((u) => u.origin))] : [];
  for (const origin of withPort) {
    warnings.push(
      `a repository URL uses ${origin}: Composer matches the host key with its port, so this entry is not used there; key it as ${origin}`,
    );
  }
  const usedByUrl = urls.some((u) => u.origin === host || (bare && u.host.endsWith(`.${host}`)));
  if (input.repositoryUrls !== undefined && !usedByUrl && withPort.length === 0) {
    warnings.push('no repository in composer.json or composer.lock uses this host');
  }
  for (const e of [...kept, ...lost].filter((k) => k.kind === 'gitlab-oauth')) {
    const expiresAt = typeof e.value === 'object' && e.value !== null ? (e.value as Record<string, unknown>)['expires-at'] : undefined;
    if (typeof expiresAt === 'number' && expiresAt < input.nowSeconds) {
      warnings.push(`the gitlab-oauth token in ${e.source} expired at ${new Date(expiresAt * 1000).toISOString()}`);
    }
  }
  return {
    host,
    kind: winner?.kind ?? null,
    source: winner?.source ?? null,
    shadowed,
    warnings,
    needed: [...kept, ...lost].some((e) => e.source === 'secrets'),
  };
}

function verdicts(input: WinnersInput, composerAuthWins: boolean): HostVerdict[] {
  const { entries, dropped } = layered(input.places, input.target, composerAuthWins);
  const { kept, replaced } = merged(entries);
  const hosts = [...new Set([...entries, ...dropped].map((e) => e.host))].sort();
  return hosts.map((host) =>
    verdictFor(
      host,
      input,
      kept.filter((e) => e.host === host),
      [...dropped, ...replaced].filter((e) => e.host === host),
    ),
  );
}

/**
 * Per host that has a credential anywhere: the kind and place Composer sends, what it
 * shadows, and what looks wrong. With the version not known, the rules up to 2.7.7 are
 * used and a host whose winner would change from 2.7.8 says so.
 */
export function credentialWinners(input: WinnersInput): HostVerdict[] {
  const wins = input.rules.composerAuthWins;
  const result = verdicts(input, wins ?? false);
  if (wins !== undefined) return result;
  const later = verdicts(input, true);
  return result.map((v, i) => {
    // biome-ignore lint/style/noNonNullAssertion: verdicts gives one verdict per host, in the same order, under either rule
    const other = later[i]!;
    if (other.kind === v.kind && other.source === v.source) return v;
    const then = other.kind === null ? 'nothing' : `${other.kind} from ${other.source}`;
    return {
      ...v,
      warnings: [
        ...v.warnings,
        `Composer version not known: up to 2.7.7 this holds; from 2.7.8 (COMPOSER_AUTH first) ${then} wins; ` +
          'name the Composer with --composer-version',
      ],
    };
  });
}

/** A needed host that does not get its secret. */
export const missesItsSecret = (v: HostVerdict): boolean => v.needed && v.source !== 'secrets';
