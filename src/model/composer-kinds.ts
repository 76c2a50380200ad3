// Composer's auth kinds, one descriptor each: the entry auth.json holds (its zod schema and
// the keys an object entry may have), how that entry looks in JSON, how a `composer` secret
// writes it as text (as `composer config <kind>.<host>` takes it), from which Composer
// release it is read, and what a given Composer version refuses in it. To add a kind: its name in COMPOSER_AUTH_KINDS (names.ts), then
// its descriptor here. Pure.
//
// Every message here is built from names and the texts below, never from a value.
import * as z from 'zod/mini';
// Types only: composer-version.ts derives the kinds a version ignores from the descriptors here.
import type { ComposerRules, ComposerVersion } from './composer-version.js';
import { COMPOSER_AUTH_KINDS, type ComposerAuthKind, parseComposerSecretName } from './names.js';

// ---------------------------------------------------------------------------------------
// Entry fields (Composer's "Entries of auth.json")

// Whitespace or control characters in a token would break the header it is sent in.
const TOKEN_FORBIDDEN = /[\s\x00-\x1f\x7f]/;
// A line break in a username or password is a pasting accident, never intended.
const LINE_FORBIDDEN = /[\r\n\x00]/;

const notEmpty = z.refine<string>((s) => s.length > 0, { message: 'must not be empty' });

const Token = z.string().check(
  notEmpty,
  z.refine((s) => !TOKEN_FORBIDDEN.test(s), { message: 'must not contain spaces, line breaks or control characters' }),
);

// Basic auth joins username and password with ':', so a ':' in the username would move the split.
const Username = z.string().check(
  notEmpty,
  z.refine((s) => !LINE_FORBIDDEN.test(s), { message: 'must not contain line breaks' }),
  z.refine((s) => !s.includes(':'), {
    message: "must not contain ':' (HTTP basic authentication separates username and password with it)",
  }),
);

const Password = z.string().check(
  notEmpty,
  z.refine((s) => !LINE_FORBIDDEN.test(s), { message: 'must not contain line breaks' }),
);

/** `Name: value`: an RFC 9110 token as the name, then a non-empty value on one line (ours: Composer only says "Name: value"). */
export const HEADER_LINE_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:[ \t]*[^\s\x00-\x1f\x7f][^\x00-\x08\x0a-\x1f\x7f]*$/;
const HeaderLine = z.string().check(
  z.refine((s) => HEADER_LINE_PATTERN.test(s), {
    message: 'must look like "Name: value" (a header name, a colon, then a value on the same line)',
  }),
);

const FilePath = z.string().check(notEmpty);

// ---------------------------------------------------------------------------------------
// Text forms

/** The entry a secret's text stands for, before the entry's schema is checked; or what is wrong with the text. */
export type TextRead = { entry: unknown } | { problem: string };

/** A kind's text form: `written` says how, for messages; `read` turns a value into an entry. */
export type TextForm = {
  written: string;
  /**
   * 'line': one line (one trailing line ending dropped; empty and multi-line values are
   * refused before `read`); 'lines': `read` gets the value whole.
   */
  lines: 'line' | 'lines';
  read: (value: string, texts: { written: string; shape: string }) => TextRead;
};

const TOKEN_ALONE = 'the token alone';

function tokenText(token: string, written: string): TextRead {
  if (/\s/.test(token)) return { problem: `must be ${written}; it holds a space or tab` };
  // A token stored with its quotes would be sent with them.
  if (/^(["']).*\1$/.test(token)) return { problem: 'is wrapped in quotes; store the token without them' };
  return { entry: token };
}

const tokenAlone: TextForm = { written: TOKEN_ALONE, lines: 'line', read: (line, { written }) => tokenText(line, written) };

/** Two parts separated by a single space, as the two fields of the entry. */
function twoParts(first: string, second: string, written: string): TextForm {
  return {
    written,
    lines: 'line',
    read: (line, texts) => {
      const parts = line.split(' ');
      const [a, b] = parts;
      if (parts.length !== 2 || !a || !b) {
        return { problem: `must be ${texts.written}: exactly two parts separated by a single space, or JSON: ${texts.shape}` };
      }
      return { entry: { [first]: a, [second]: b } };
    },
  };
}

// ---------------------------------------------------------------------------------------
// The kinds

export type ComposerRelease = Pick<ComposerVersion, 'major' | 'minor' | 'patch'>;

/** A finding of the version rules: an error refuses the credential, a warning is printed. */
export type VersionFinding = { error: string } | { warning: string };

export type ComposerKind<S extends z.ZodMiniType = z.ZodMiniType> = {
  /**
   * The entry. Entries are loose objects: an existing auth.json may carry fields a newer
   * Composer added, and we keep them. Secrets are checked against `keys` as well.
   */
  entry: S;
  /** The keys an object entry may have (none: the entry is never an object). */
  keys: readonly string[];
  /** How the entry looks in JSON, for "must be ..." messages. */
  shape: string;
  /** How a secret writes the entry as text; a string: why a secret cannot hold this kind. */
  text: TextForm | string;
  /** The first Composer release that reads the kind; older ones ignore its entries without a word. None: every Composer 2. */
  since?: ComposerRelease;
  /** What the running Composer refuses in a valid entry. */
  versionFinding?: (entry: z.infer<S>, rules: ComposerRules) => VersionFinding | undefined;
};

const kind = <S extends z.ZodMiniType>(descriptor: ComposerKind<S>) => descriptor;

const GITHUB_TOKEN_WORD = /^[.A-Za-z0-9_]+$/;
const GITHUB_TOKEN_WORD_AND_DASH = /^[.A-Za-z0-9_-]+$/;

/**
 * Composer checks github-oauth tokens, differently by version (GithubTokenRule): up to 2.9.7
 * against [.A-Za-z0-9_] (and, before 2.9.8, it prints the token when it refuses one), from
 * 2.9.8 (and Debian's 2.5.5) [.A-Za-z0-9_-], from 2.10.0 not at all. A token the running
 * Composer refuses is an error here. When the version is not known, a '-' is a warning and
 * anything else an error, since no Composer before 2.10 accepts it.
 */
function githubTokenFinding(token: string, rules: ComposerRules): VersionFinding | undefined {
  const rule = rules.githubToken;
  if (rule === 'any' || GITHUB_TOKEN_WORD.test(token)) return undefined;
  const dash = GITHUB_TOKEN_WORD_AND_DASH.test(token);
  if (rule === 'word-and-dash' && dash) return undefined;
  if (rule === 'unknown') {
    if (dash) {
      return {
        warning:
          "the token holds '-': Composer 2.9.8 and later accept it, " +
          'but Composer before 2.9.8 (upstream 2.5.5 to 2.9.7) rejects it and prints the token in its error; ' +
          "name the Composer with --composer-version, or use a token without '-'",
      };
    }
    return {
      error:
        'the token holds characters Composer before 2.10 refuses in a github-oauth token ' +
        "(allowed: letters, digits, '.', '_', and since 2.9.8 '-'; 2.10 accepts any); " +
        'name the Composer with --composer-version',
    };
  }
  const allowed = rule === 'word' ? "letters, digits, '.' and '_'" : "letters, digits, '.', '_' and '-'";
  return {
    error:
      // The version is known here (the rule is not 'unknown'): composerName(rules), which this module cannot import.
      `the token holds characters Composer ${rules.version} refuses in a github-oauth token ` +
      `(it allows ${allowed}; Composer 2.10 and later accept any)`,
  };
}

const basicFields = { username: Username, password: Password };
const gitlabOAuthFields = { token: Token, 'refresh-token': z.optional(Token), 'expires-at': z.optional(z.int().check(z.nonnegative())) };
const usernameTokenFields = { username: Username, token: Token };
const bitbucketFields = { 'consumer-key': Token, 'consumer-secret': Token };
const certificateFields = { local_cert: FilePath, local_pk: z.optional(FilePath), passphrase: z.optional(z.string()) };

const COMPOSER_2_9: ComposerRelease = { major: 2, minor: 9, patch: 0 };

export const COMPOSER_KINDS = {
  'http-basic': kind({
    entry: z.looseObject(basicFields),
    keys: Object.keys(basicFields),
    shape: 'an object {"username": "...", "password": "..."}',
    text: {
      written: '"<username> <password>"',
      lines: 'line',
      // Split at the first space: the password may hold spaces.
      read: (line, { written, shape }) => {
        const space = line.indexOf(' ');
        if (space === -1) return { problem: `must be ${written}, separated by a space, or JSON: ${shape}; it holds no space` };
        const username = line.slice(0, space);
        const password = line.slice(space + 1);
        if (username === '') return { problem: `must be ${written}; it starts with a space, so the username is empty` };
        if (password === '') return { problem: `must be ${written}; nothing follows the space, so the password is empty` };
        return { entry: { username, password } };
      },
    },
  }),
  bearer: kind({ entry: Token, keys: [], shape: 'the token (a string)', text: tokenAlone }),
  'github-oauth': kind({
    entry: Token,
    keys: [],
    shape: 'the token (a string)',
    text: tokenAlone,
    versionFinding: githubTokenFinding,
  }),
  'gitlab-oauth': kind({
    entry: z.union([Token, z.looseObject(gitlabOAuthFields)]),
    keys: Object.keys(gitlabOAuthFields),
    shape: 'the token (a string) or an object {"token": "...", "refresh-token"?: "...", "expires-at"?: <unix time>}',
    text: tokenAlone,
  }),
  'gitlab-token': kind({
    entry: z.union([Token, z.looseObject(usernameTokenFields)]),
    keys: Object.keys(usernameTokenFields),
    shape: 'the token (a string) or an object {"username": "...", "token": "..."}',
    text: {
      written: 'the token alone, or "<username> <token>"',
      lines: 'line',
      read: (line, { written }) => {
        const parts = line.split(' ');
        if (parts.length === 1) return tokenText(line, written);
        const [username, token] = parts;
        if (parts.length !== 2 || !username || !token)
          return { problem: `must be ${written}: one part, or two separated by a single space` };
        return { entry: { username, token } };
      },
    },
  }),
  'bitbucket-oauth': kind({
    entry: z.looseObject(bitbucketFields),
    keys: Object.keys(bitbucketFields),
    shape: 'an object {"consumer-key": "...", "consumer-secret": "..."}',
    text: twoParts('consumer-key', 'consumer-secret', '"<consumer-key> <consumer-secret>"'),
  }),
  'forgejo-token': kind({
    since: COMPOSER_2_9,
    entry: z.looseObject(usernameTokenFields),
    keys: Object.keys(usernameTokenFields),
    shape: 'an object {"username": "...", "token": "..."}',
    text: twoParts('username', 'token', '"<username> <token>"'),
  }),
  'custom-headers': kind({
    since: COMPOSER_2_9,
    entry: z.array(HeaderLine).check(z.minLength(1)),
    keys: [],
    shape: 'an array of "Name: value" header strings',
    text: {
      written: 'one "Name: value" header per line',
      lines: 'lines',
      read: (value, { written }) => {
        const headers: string[] = [];
        const bad: number[] = [];
        value.split(/\r?\n/).forEach((raw, i) => {
          const line = raw.trim();
          if (line === '') return;
          if (HEADER_LINE_PATTERN.test(line)) headers.push(line);
          else bad.push(i + 1);
        });
        if (bad.length > 0) {
          return {
            problem:
              `line${bad.length === 1 ? '' : 's'} ${bad.join(', ')} do${bad.length === 1 ? 'es' : ''} not look like "Name: value" ` +
              '(a header name, a colon, then a value); write one header per line',
          };
        }
        if (headers.length === 0) return { problem: `holds no header; write ${written}` };
        return { entry: headers };
      },
    },
  }),
  'client-certificate': kind({
    since: COMPOSER_2_9,
    entry: z.looseObject(certificateFields),
    keys: Object.keys(certificateFields),
    shape: 'an object {"local_cert": "<path>", "local_pk"?: "<path>", "passphrase"?: "..."}',
    text:
      'client-certificate points at files on disk (local_cert, local_pk); ' +
      'not supported from a secret, since a build has no such files. ' +
      'Keep that entry in an auth.json you manage, or use http-basic, bearer or custom-headers for this host',
  }),
} satisfies Record<ComposerAuthKind, ComposerKind<z.ZodMiniType>>;

/** The first Composer release that reads `kind`; undefined when every Composer 2 does. */
export const readSince = (kind: ComposerAuthKind): ComposerRelease | undefined => (COMPOSER_KINDS[kind] as ComposerKind).since;

/** The release that first reads `kind` as messages name it, "2.9" or "2.9.0" (2.0 for a kind every Composer 2 reads). */
export function firstReleaseReading(kind: ComposerAuthKind): { short: string; full: string } {
  const release = readSince(kind) ?? { major: 2, minor: 0, patch: 0 };
  return { short: `${release.major}.${release.minor}`, full: `${release.major}.${release.minor}.${release.patch}` };
}

/** The kinds some Composer 2 ignores without a word: those read only from a later release. */
export const LATER_KINDS: readonly ComposerAuthKind[] = COMPOSER_AUTH_KINDS.filter((kind) => readSince(kind) !== undefined);

export type AuthEntry<K extends ComposerAuthKind = ComposerAuthKind> = z.infer<(typeof COMPOSER_KINDS)[K]['entry']>;

/** One credential: the entry for one host under one kind. */
export type ComposerCredential = {
  [K in ComposerAuthKind]: { kind: K; host: string; entry: AuthEntry<K> };
}[ComposerAuthKind];

// ---------------------------------------------------------------------------------------
// Documents

export function isComposerAuthKind(key: string): key is ComposerAuthKind {
  return (COMPOSER_AUTH_KINDS as readonly string[]).includes(key);
}

// Hosts use the same rule as the host part of a composer secret's name, so both stay in step.
export function isComposerHost(host: string): boolean {
  return parseComposerSecretName(`bearer.${host}`).ok;
}

const HostKey = z.string().check(z.refine(isComposerHost, { message: 'is not a host Composer can match' }));

type AuthDocumentShape = {
  [K in ComposerAuthKind]: z.ZodMiniOptional<z.ZodMiniRecord<typeof HostKey, (typeof COMPOSER_KINDS)[K]['entry']>>;
};

/**
 * An auth.json / COMPOSER_AUTH document: kind -> host -> entry. Unknown top-level keys are
 * kept, since an existing auth.json may hold things we do not model. (Our own reads check
 * documents with composer-credential.ts, which also refuses, in a secret, unknown kinds
 * and fields; this schema is for the library's users.)
 */
export const AuthDocument = z.looseObject(
  Object.fromEntries(COMPOSER_AUTH_KINDS.map((k) => [k, z.optional(z.record(HostKey, COMPOSER_KINDS[k].entry))])) as AuthDocumentShape,
);
export type AuthDocument = z.infer<typeof AuthDocument>;
