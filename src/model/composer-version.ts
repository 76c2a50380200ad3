// The Composer version a build runs, and the rules about credentials that depend on it
// (reference: composer-auth.md, measured with real 2.5.5, 2.7.7, 2.7.8, 2.9.8, 2.10.2). Pure.
import { LATER_KINDS, readSince } from './composer-kinds.js';
import type { ComposerAuthKind } from './names.js';

export type ComposerVersion = {
  major: number;
  minor: number;
  patch: number;
  /** Debian's packaged Composer, which carries patches of its own (2.5.5: '-' in GitHub tokens). */
  debian: boolean;
};

/** Where the version came from: the flag, the installed files of the composer on PATH (or --composer), its --version answer, or nowhere. */
export type ComposerVersionSource = 'flag' | 'installed files' | 'composer --version' | 'none';

export type KnownComposer = { version: ComposerVersion | undefined; from: ComposerVersionSource; detail: string };

const VERSION_PATTERN = /^(\d{1,4})\.(\d{1,4})\.(\d{1,4})(\+debian)?$/;

/** `X.Y.Z`, or `X.Y.Z+debian` for Debian's package; undefined for anything else (a dev build, a branch). */
export function parseComposerVersion(text: string): ComposerVersion | undefined {
  const match = VERSION_PATTERN.exec(text);
  if (match === null) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]), debian: match[4] !== undefined };
}

export function formatComposerVersion(version: ComposerVersion): string {
  return `${version.major}.${version.minor}.${version.patch}${version.debian ? '+debian' : ''}`;
}

/** Whether `version` is `major.minor.patch` or later. */
export function isAtLeast(version: ComposerVersion, major: number, minor: number, patch: number): boolean {
  // Stryker disable next-line EqualityOperator: the parts differ here, so > and >= agree
  if (version.major !== major) return version.major > major;
  // Stryker disable next-line EqualityOperator: as above
  if (version.minor !== minor) return version.minor > minor;
  return version.patch >= patch;
}

/**
 * What Composer accepts in a github-oauth token: `word` = [.A-Za-z0-9_], `word-and-dash` adds
 * '-', `any` = no check; `unknown` when the version is not known (then '-' is a warning and
 * anything else is refused, as no Composer before 2.10 takes it).
 */
export type GithubTokenRule = 'word' | 'word-and-dash' | 'any' | 'unknown';

export type ComposerRules = {
  /** The version the rules are for, as people read it ("2.5.5+debian"), or undefined when not known. */
  version: string | undefined;
  githubToken: GithubTokenRule;
  /** Kinds this Composer ignores silently (nothing sent, no error); undefined when not known. */
  ignoredKinds: readonly ComposerAuthKind[] | undefined;
  /** COMPOSER_AUTH beats the project's auth.json and composer.json (2.7.8+); undefined when not known. */
  composerAuthWins: boolean | undefined;
  /** custom-headers replaces every other kind for its host, whatever file it came from (2.9+); undefined when not known. */
  customHeadersReplace: boolean | undefined;
};

export const UNKNOWN_COMPOSER_RULES: ComposerRules = {
  version: undefined,
  githubToken: 'unknown',
  ignoredKinds: undefined,
  composerAuthWins: undefined,
  customHeadersReplace: undefined,
};

export function composerRules(version: ComposerVersion | undefined): ComposerRules {
  if (version === undefined) return UNKNOWN_COMPOSER_RULES;
  return {
    version: formatComposerVersion(version),
    githubToken: githubTokenRule(version),
    ignoredKinds: LATER_KINDS.filter((kind) => {
      const since = readSince(kind);
      return since !== undefined && !isAtLeast(version, since.major, since.minor, since.patch);
    }),
    composerAuthWins: isAtLeast(version, 2, 7, 8),
    customHeadersReplace: isAtLeast(version, 2, 9, 0),
  };
}

function githubTokenRule(version: ComposerVersion): GithubTokenRule {
  if (isAtLeast(version, 2, 10, 0)) return 'any';
  if (isAtLeast(version, 2, 9, 8)) return 'word-and-dash';
  // Debian 12's 2.5.5 (deb12u5) carries the 2.9.8 fix; other Debian versions were not measured.
  if (version.debian && version.major === 2 && version.minor === 5 && version.patch === 5) return 'word-and-dash';
  return 'word';
}

/** "Composer 2.5.5+debian" or "Composer (version not known)", for messages. */
export function composerName(rules: ComposerRules): string {
  return rules.version === undefined ? 'Composer (version not known)' : `Composer ${rules.version}`;
}
