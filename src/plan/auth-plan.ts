// Planning Composer's credentials: composer secrets and a COMPOSER_AUTH secret become one
// auth document, checked for what Composer would get wrong, then merged with what the
// target already holds. Pure.

import { credentialFromSecret, parseComposerAuthDocument } from '../model/composer-credential.js';
import { type AuthDocument, type ComposerCredential, firstReleaseReading, LATER_KINDS } from '../model/composer-kinds.js';
import { type ComposerRules, composerName, UNKNOWN_COMPOSER_RULES } from '../model/composer-version.js';
import { COMPOSER_AUTH_KINDS, type ComposerAuthKind } from '../model/names.js';
import type { ResolvedSecret } from '../resolve/resolve-for-environment.js';
import { authDocumentFromCredentials, hostsWithSeveralKinds, mergeAuthDocuments } from './auth-documents.js';

export const AUTH_TARGETS = ['project', 'home', 'env'] as const;
export type AuthTarget = (typeof AUTH_TARGETS)[number];

export type AuthTargetState = {
  target: AuthTarget;
  /** The file written for `project` and `home`. */
  file: string | undefined;
  /** What that file holds before the build (its original), if it exists. */
  existing: AuthDocument | undefined;
  /** For `env` and `home`: the project's auth.json, which can outrank the target. */
  projectFile: AuthDocument | undefined;
  /** The calling environment's COMPOSER_AUTH, parsed. */
  callerComposerAuth: AuthDocument | undefined;
  /** The credentials under composer.json's `config` (read for `env` and `home`, which it can outrank, and for custom-headers). */
  composerJsonConfig?: AuthDocument | undefined;
  /** The global auth.json ($COMPOSER_HOME/auth.json), when it is not the target. */
  globalFile?: AuthDocument | undefined;
};

export type AuthPlan = {
  target: AuthTarget;
  file: string | undefined;
  problems: string[];
  warnings: string[];
  /** Secret name -> notes for the plan. */
  notes: Map<string, string[]>;
  /** The document to write at `file`; undefined when nothing is written. */
  authFile: AuthDocument | undefined;
  /** COMPOSER_AUTH for composer's environment; undefined to leave the caller's as it is. */
  composerAuth: AuthDocument | undefined;
  /** The entries made from secrets alone (for masking their parts in output). */
  fromSecrets: AuthDocument;
};

// Only the auth kinds hold credentials: a key auth.json may carry that we do not model is
// kept as it is, never read as hosts (its keys could look like one).
function isAuthKind(key: string): boolean {
  return (COMPOSER_AUTH_KINDS as readonly string[]).includes(key);
}

/** The hosts under `kind`, or undefined for a key that is not an auth kind or holds no host map. */
function hostMap(document: AuthDocument, kind: string): Record<string, unknown> | undefined {
  const hosts: unknown = (document as Record<string, unknown>)[kind];
  return isAuthKind(kind) && typeof hosts === 'object' && hosts !== null && !Array.isArray(hosts)
    ? (hosts as Record<string, unknown>)
    : undefined;
}

function hostsOf(document: AuthDocument): Set<string> {
  return new Set(Object.keys(document).flatMap((kind) => Object.keys(hostMap(document, kind) ?? {})));
}

/** The kind `document` has an entry for `host` under (the first, in Composer's order); the host must be in it. */
function kindFor(document: AuthDocument, host: string): ComposerAuthKind {
  // biome-ignore lint/style/noNonNullAssertion: callers pass a host taken from document
  return COMPOSER_AUTH_KINDS.find((kind) => Object.hasOwn(hostMap(document, kind) ?? {}, host))!;
}

/** `document` without the entries for `hosts` under kinds other than the ones `winner` uses for them. */
function withoutOtherKinds(
  document: AuthDocument,
  winner: AuthDocument,
): { document: AuthDocument; dropped: Array<{ kind: string; host: string }> } {
  const winnerKinds = new Map<string, Set<string>>();
  for (const kind of Object.keys(winner)) {
    for (const host of Object.keys(hostMap(winner, kind) ?? {})) winnerKinds.set(host, (winnerKinds.get(host) ?? new Set()).add(kind));
  }
  const dropped: Array<{ kind: string; host: string }> = [];
  const kept = Object.entries(document as Record<string, unknown>).flatMap(([kind, value]) => {
    const hosts = hostMap(document, kind);
    if (hosts === undefined) return [[kind, value] as const];
    const remaining = Object.entries(hosts).filter(([host]) => {
      const kinds = winnerKinds.get(host);
      const drop = kinds !== undefined && !kinds.has(kind);
      if (drop) dropped.push({ kind, host });
      return !drop;
    });
    // A kind left without hosts is left out.
    return remaining.length === 0 ? [] : [[kind, Object.fromEntries(remaining)] as const];
  });
  return { document: Object.fromEntries(kept) as AuthDocument, dropped };
}

/** Notes for the plan, by secret name, in the order they were made. */
export function notesBySecret(): { notes: Map<string, string[]>; note: (name: string, text: string) => void } {
  const notes = new Map<string, string[]>();
  return { notes, note: (name, text) => notes.set(name, [...(notes.get(name) ?? []), text]) };
}

export function planAuth(input: {
  credentials: ReadonlyArray<{ name: string; value: string }>;
  authDocumentSecret: ResolvedSecret | undefined;
  state: AuthTargetState;
  /** The rules of the Composer that will run; not known by default. */
  rules?: ComposerRules | undefined;
}): AuthPlan {
  const { state } = input;
  const rules = input.rules ?? UNKNOWN_COMPOSER_RULES;
  const composer = composerName(rules);
  const problems: string[] = [];
  const warnings: string[] = [];
  const { notes, note } = notesBySecret();

  // Stryker disable next-line ArrayDeclaration: authDocumentFromCredentials writes known kinds only, so a stray element never shows
  const credentials: ComposerCredential[] = [];
  const secretFor = new Map<string, string>(); // `${kind} ${host}` -> secret name
  for (const { name, value } of input.credentials) {
    const result = credentialFromSecret(name, value, rules);
    if (!result.ok) {
      problems.push(result.problem);
      continue;
    }
    const { ok: _ok, warnings: found, ...credential } = result;
    credentials.push(credential as ComposerCredential);
    secretFor.set(`${credential.kind} ${credential.host}`, name);
    // credentialFromSecret names the secret in its warnings; a note already sits under it.
    const named = `secret '${name}': `;
    for (const warning of found) {
      const text = warning.startsWith(named) ? warning.slice(named.length) : warning;
      note(name, text);
      warnings.push(`${named}${text}`);
    }
  }

  let fromAuthSecret: AuthDocument = {};
  const authSecretName = input.authDocumentSecret?.name;
  if (input.authDocumentSecret !== undefined) {
    const parsed = parseComposerAuthDocument(input.authDocumentSecret.value, rules);
    if (parsed.ok) {
      fromAuthSecret = parsed.document;
      for (const warning of parsed.warnings) warnings.push(`secret '${authSecretName}': ${warning}`);
    } else {
      problems.push(...parsed.problems.map((p) => `secret '${authSecretName}': ${p}`));
    }
  }

  const merged = mergeAuthDocuments(fromAuthSecret, authDocumentFromCredentials(credentials));
  for (const { kind, host } of merged.replaced) {
    // biome-ignore lint/style/noNonNullAssertion: every entry replaced comes from a credential secret, all in secretFor
    note(secretFor.get(`${kind} ${host}`)!, `wins over the ${kind} entry for ${host} in the ${authSecretName} secret`);
  }
  const fromSecrets = merged.document;
  // Every entry of fromSecrets came from a composer secret or from the COMPOSER_AUTH secret.
  const sourceOf = (kind: string, host: string) => (secretFor.get(`${kind} ${host}`) ?? authSecretName) as string;

  for (const { host, kinds } of hostsWithSeveralKinds(fromSecrets)) {
    problems.push(
      `host ${host} has credentials of several kinds (` +
        kinds.map((k: ComposerAuthKind) => `${k} from secret '${sourceOf(k, host)}'`).join(', ') +
        '); Composer keeps only one credential per host: delete all but one',
    );
  }

  checkKindsThisComposerReads(fromSecrets, rules, sourceOf, problems, warnings);

  const secretHosts = hostsOf(fromSecrets);
  const hasCredentials = secretHosts.size > 0;
  const base = { target: state.target, file: state.file, problems, warnings, notes, fromSecrets };
  if (!hasCredentials) return { ...base, file: undefined, authFile: undefined, composerAuth: undefined };
  const secretOn = (host: string) => sourceOf(kindFor(fromSecrets, host), host);

  // From 2.9 a custom-headers entry anywhere Composer reads replaces every other kind for its host.
  const elsewhere: Array<[string, AuthDocument | undefined]> = [
    ["the project's auth.json", state.target === 'project' ? undefined : state.projectFile],
    ["composer.json's config", state.composerJsonConfig],
    ['the global auth.json', state.target === 'home' ? undefined : state.globalFile],
  ];
  if (rules.customHeadersReplace !== false) {
    for (const [where, document] of elsewhere) {
      for (const host of Object.keys(hostMap(document ?? {}, 'custom-headers') ?? {})) {
        const kind = secretHosts.has(host) ? kindFor(fromSecrets, host) : undefined;
        if (kind === undefined || kind === 'custom-headers') continue;
        const when = rules.customHeadersReplace === true ? composer : 'Composer 2.9 and later';
        const text =
          `the custom-headers entry for ${host} in ${where} replaces it: ` +
          `${when} applies custom-headers last, over every other credential for its host; ` +
          'remove that entry, or make this secret a custom-headers one';
        note(secretOn(host), text);
        warnings.push(`secret '${secretOn(host)}': ${text}`);
      }
    }
  }

  // Over an existing document the secrets win per host: same kind replaced, other kinds dropped.
  const over = (document: AuthDocument, where: string) => {
    const stripped = withoutOtherKinds(document, fromSecrets);
    for (const { kind, host } of stripped.dropped) {
      note(
        sourceOf(kindFor(fromSecrets, host), host),
        `replaces the ${kind} entry for ${host} in ${where} (Composer keeps one credential per host)`,
      );
    }
    const result = mergeAuthDocuments(stripped.document, fromSecrets);
    for (const { kind, host } of result.replaced) note(sourceOf(kind, host), `replaces the ${kind} entry for ${host} in ${where}`);
    return result.document;
  };
  // A caller's COMPOSER_AUTH outranks auth.json on Composer 2.7.8+: pass it on with ours merged over it.
  const composerAuth =
    state.callerComposerAuth === undefined ? undefined : over(state.callerComposerAuth, "the calling environment's COMPOSER_AUTH");

  // Sources that outrank the target: the global auth.json loses to both on every Composer;
  // COMPOSER_AUTH loses to both up to 2.7.7 and wins from 2.7.8.
  if (state.target !== 'project' && (state.target === 'home' || rules.composerAuthWins !== true)) {
    const outranking: Array<[string, AuthDocument | undefined]> = elsewhere.slice(0, 2);
    for (const [where, document] of outranking) {
      for (const host of [...hostsOf(document ?? {})].filter((h) => secretHosts.has(h))) {
        problems.push(
          `${where} has credentials for ${host}, which ${outrankingReason(state.target, rules, composer)}, ` +
            `so secret '${secretOn(host)}' ${state.target === 'env' && rules.composerAuthWins === undefined ? 'could' : 'would'} lose; ` +
            'use --auth-target project (merges into auth.json) or remove that entry',
        );
      }
    }
  }
  if (state.target === 'env') return { ...base, file: undefined, authFile: undefined, composerAuth: composerAuth ?? fromSecrets };
  return { ...base, authFile: over(state.existing ?? {}, state.file ?? 'auth.json'), composerAuth };
}

function outrankingReason(target: AuthTarget, rules: ComposerRules, composer: string): string {
  if (target === 'home') return 'every Composer prefers over the global auth.json';
  if (rules.composerAuthWins === false) return `${composer} prefers over COMPOSER_AUTH (only 2.7.8 and later prefer COMPOSER_AUTH)`;
  return (
    "Composer 2.7.7 and earlier (Debian 12's 2.5.5 too) prefer over COMPOSER_AUTH; " +
    'name the Composer with --composer-version, since from 2.7.8 COMPOSER_AUTH wins'
  );
}

const REPLACEMENT_FOR: Partial<Record<ComposerAuthKind, string>> = {
  'custom-headers': 'bearer (an Authorization header) or http-basic',
  'forgejo-token': 'http-basic with the same username and token',
};

/**
 * Kinds the running Composer ignores without a word (each descriptor's `since`: before 2.9,
 * custom-headers, forgejo-token, client-certificate): nothing is sent, and the install fails
 * far from the cause. Refused for a known older Composer, a warning when the version is not known.
 */
function checkKindsThisComposerReads(
  fromSecrets: AuthDocument,
  rules: ComposerRules,
  sourceOf: (kind: string, host: string) => string,
  problems: string[],
  warnings: string[],
): void {
  const ignored = rules.ignoredKinds ?? LATER_KINDS;
  for (const kind of ignored) {
    const release = firstReleaseReading(kind);
    for (const host of Object.keys(hostMap(fromSecrets, kind) ?? {})) {
      const instead = REPLACEMENT_FOR[kind];
      const advice = `${instead === undefined ? '' : `use ${instead}, or `}run Composer ${release.short} or later`;
      if (rules.ignoredKinds === undefined) {
        warnings.push(
          `secret '${sourceOf(kind, host)}': Composer before ${release.short} ignores ${kind} entries without a word ` +
            `(nothing is sent for ${host}); name the Composer with --composer-version to check`,
        );
      } else {
        problems.push(
          `secret '${sourceOf(kind, host)}': ${composerName(rules)} ignores ${kind} entries without a word ` +
            `(Composer reads them from ${release.full}): nothing would be sent for ${host} ` +
            `and the install would fail later; ${advice}`,
        );
      }
    }
  }
}
