// Composer credentials: `composer`-type secrets turned into auth.json entries, and whole
// auth documents (an existing auth.json, or an `env` secret named COMPOSER_AUTH) validated
// and merged. Pure: no files, processes or clock.
//
// Every message here is built from names (secret names, kinds, validated hosts, JSON keys we
// define) and never from a value: a secret's value, a token, a username, a header, and even
// a key we could not validate (a mis-nested document can put a token where a host belongs).
import * as z from 'zod/mini';
import { describeIssues, jsonPath, ordinal } from '../validation/issue-messages.js';
import { nestsDeeperThan, parseJsonSafely } from '../validation/json-text.js';
import { closestName, COMPOSER_AUTH_KINDS, parseComposerSecretName, type ComposerAuthKind } from '../model/names.js';
import { hasLoneSurrogate } from '../model/secret.js';
import { composerName, UNKNOWN_COMPOSER_RULES, type ComposerRules, type GithubTokenRule } from './composer-version.js';

// ---------------------------------------------------------------------------------------
// Entry shapes (composer-auth.md, "Entries of auth.json")

// Whitespace or control characters in a token would break the header it is sent in.
const TOKEN_FORBIDDEN = /[\s\x00-\x1f\x7f]/;
// A line break in a username or password is a pasting accident, never intended.
const LINE_FORBIDDEN = /[\r\n\x00]/;

const Token = z.string().check(
  z.refine((s) => s.length > 0, { message: 'must not be empty' }),
  z.refine((s) => !TOKEN_FORBIDDEN.test(s), { message: 'must not contain spaces, line breaks or control characters' }),
);

// Basic auth joins username and password with ':', so a ':' in the username would move the split.
const Username = z.string().check(
  z.refine((s) => s.length > 0, { message: 'must not be empty' }),
  z.refine((s) => !LINE_FORBIDDEN.test(s), { message: 'must not contain line breaks' }),
  z.refine((s) => !s.includes(':'), { message: "must not contain ':' (HTTP basic authentication separates username and password with it)" }),
);

const Password = z.string().check(
  z.refine((s) => s.length > 0, { message: 'must not be empty' }),
  z.refine((s) => !LINE_FORBIDDEN.test(s), { message: 'must not contain line breaks' }),
);

/** `Name: value`: an RFC 9110 token as the name, then a non-empty value on one line (ours: Composer only says "Name: value"). */
export const HEADER_LINE_PATTERN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+:[ \t]*[^\s\x00-\x1f\x7f][^\x00-\x08\x0a-\x1f\x7f]*$/;
const HeaderLine = z.string().check(
  z.refine((s) => HEADER_LINE_PATTERN.test(s), {
    message: 'must look like "Name: value" (a header name, a colon, then a value on the same line)',
  }),
);

const FilePath = z.string().check(z.refine((s) => s.length > 0, { message: 'must not be empty' }));

// Entries are loose objects: an existing auth.json may carry fields a newer Composer added,
// and we keep them. Secret documents are checked for unknown fields separately (ENTRY_KEYS).
export const HttpBasicEntry = z.looseObject({ username: Username, password: Password });
export const BearerEntry = Token;
export const GithubOAuthEntry = Token;
export const GitlabOAuthEntry = z.union([
  Token,
  z.looseObject({
    token: Token,
    'refresh-token': z.optional(Token),
    'expires-at': z.optional(z.int().check(z.nonnegative())),
  }),
]);
export const GitlabTokenEntry = z.union([Token, z.looseObject({ username: Username, token: Token })]);
export const BitbucketOAuthEntry = z.looseObject({ 'consumer-key': Token, 'consumer-secret': Token });
export const ForgejoTokenEntry = z.looseObject({ username: Username, token: Token });
export const CustomHeadersEntry = z.array(HeaderLine).check(z.minLength(1));
export const ClientCertificateEntry = z.looseObject({
  local_cert: FilePath,
  local_pk: z.optional(FilePath),
  passphrase: z.optional(z.string()),
});

export const AUTH_ENTRY_SCHEMAS = {
  'http-basic': HttpBasicEntry,
  bearer: BearerEntry,
  'github-oauth': GithubOAuthEntry,
  'gitlab-oauth': GitlabOAuthEntry,
  'gitlab-token': GitlabTokenEntry,
  'bitbucket-oauth': BitbucketOAuthEntry,
  'forgejo-token': ForgejoTokenEntry,
  'custom-headers': CustomHeadersEntry,
  'client-certificate': ClientCertificateEntry,
} as const satisfies Record<ComposerAuthKind, z.ZodMiniType>;

export type AuthEntry<K extends ComposerAuthKind = ComposerAuthKind> = z.infer<(typeof AUTH_ENTRY_SCHEMAS)[K]>;

/** The keys an object entry may have, for kinds whose entry is (or may be) an object. */
const ENTRY_KEYS: Partial<Record<ComposerAuthKind, readonly string[]>> = {
  'http-basic': ['username', 'password'],
  'gitlab-oauth': ['token', 'refresh-token', 'expires-at'],
  'gitlab-token': ['username', 'token'],
  'bitbucket-oauth': ['consumer-key', 'consumer-secret'],
  'forgejo-token': ['username', 'token'],
  'client-certificate': ['local_cert', 'local_pk', 'passphrase'],
};

/** How each entry looks in JSON, for "must be ..." messages. */
const ENTRY_SHAPE_TEXT: Record<ComposerAuthKind, string> = {
  'http-basic': 'an object {"username": "...", "password": "..."}',
  bearer: 'the token (a string)',
  'github-oauth': 'the token (a string)',
  'gitlab-oauth': 'the token (a string) or an object {"token": "...", "refresh-token"?: "...", "expires-at"?: <unix time>}',
  'gitlab-token': 'the token (a string) or an object {"username": "...", "token": "..."}',
  'bitbucket-oauth': 'an object {"consumer-key": "...", "consumer-secret": "..."}',
  'forgejo-token': 'an object {"username": "...", "token": "..."}',
  'custom-headers': 'an array of "Name: value" header strings',
  'client-certificate': 'an object {"local_cert": "<path>", "local_pk"?: "<path>", "passphrase"?: "..."}',
};

/** How each kind's secret value is written, as `composer config <kind>.<host>` takes it. */
const TEXT_FORM: Record<Exclude<ComposerAuthKind, 'client-certificate'>, string> = {
  'http-basic': '"<username> <password>"',
  bearer: 'the token alone',
  'github-oauth': 'the token alone',
  'gitlab-oauth': 'the token alone',
  'gitlab-token': 'the token alone, or "<username> <token>"',
  'bitbucket-oauth': '"<consumer-key> <consumer-secret>"',
  'forgejo-token': '"<username> <token>"',
  'custom-headers': 'one "Name: value" header per line',
};

// Hosts use the same rule as the host part of a composer secret's name, so both stay in step.
function isComposerHost(host: string): boolean {
  return parseComposerSecretName(`bearer.${host}`).ok;
}

const HostKey = z.string().check(z.refine(isComposerHost, { message: 'is not a host Composer can match' }));

/**
 * An auth.json / COMPOSER_AUTH document: kind -> host -> entry. Unknown top-level keys are
 * kept, since an existing auth.json may hold things we do not model. For a COMPOSER_AUTH
 * secret use parseComposerAuthDocument, which refuses unknown kinds and fields.
 */
export const AuthDocument = z.looseObject({
  'http-basic': z.optional(z.record(HostKey, HttpBasicEntry)),
  bearer: z.optional(z.record(HostKey, BearerEntry)),
  'github-oauth': z.optional(z.record(HostKey, GithubOAuthEntry)),
  'gitlab-oauth': z.optional(z.record(HostKey, GitlabOAuthEntry)),
  'gitlab-token': z.optional(z.record(HostKey, GitlabTokenEntry)),
  'bitbucket-oauth': z.optional(z.record(HostKey, BitbucketOAuthEntry)),
  'forgejo-token': z.optional(z.record(HostKey, ForgejoTokenEntry)),
  'custom-headers': z.optional(z.record(HostKey, CustomHeadersEntry)),
  'client-certificate': z.optional(z.record(HostKey, ClientCertificateEntry)),
});
export type AuthDocument = z.infer<typeof AuthDocument>;

/** One credential: the entry for one host under one kind. */
export type ComposerCredential = {
  [K in ComposerAuthKind]: { kind: K; host: string; entry: AuthEntry<K> };
}[ComposerAuthKind];

// ---------------------------------------------------------------------------------------
// Problems with entries

type EntryProblem = { path: readonly PropertyKey[]; text: string };
type Mode = 'secret' | 'file';

function isComposerAuthKind(key: string): key is ComposerAuthKind {
  return (COMPOSER_AUTH_KINDS as readonly string[]).includes(key);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Problems with one entry, paths relative to the entry. */
function entryProblems(kind: ComposerAuthKind, entry: unknown, mode: Mode): EntryProblem[] {
  // reportInput lets describeIssues tell a missing field ("is required") from a wrong one;
  // the input itself is never printed.
  const result = AUTH_ENTRY_SCHEMAS[kind].safeParse(entry, { reportInput: true });
  const problems = result.success ? [] : issueProblems(kind, result.error.issues, []);
  if (stringsIn(entry).some(hasLoneSurrogate)) {
    // JSON.stringify would write it as an escape that Composer (PHP's json_decode) refuses, and it cannot be masked.
    problems.push({ path: [], text: 'holds a lone UTF-16 surrogate (\\uD800-\\uDFFF without its pair), which is not text Composer can read' });
  }
  const allowed = ENTRY_KEYS[kind];
  if (mode === 'secret' && allowed !== undefined && isPlainObject(entry)) {
    // Unknown fields are named by position, not quoted: a key can be a pasted value.
    const unknown = Object.keys(entry).filter((key) => !allowed.includes(key));
    if (unknown.length > 0) {
      const hints = unknown.map((key) => closestName(key, allowed)).filter((hint) => hint !== undefined);
      const hint = hints.length > 0 ? ` (did you mean ${[...new Set(hints)].map((h) => `'${h}'`).join(', ')}?)` : '';
      problems.push({
        path: [],
        text: `has ${unknown.length === 1 ? 'an unknown key' : `${unknown.length} unknown keys`}${hint}; allowed: ${allowed.join(', ')}`,
      });
    }
  }
  return problems;
}

function issueProblems(kind: ComposerAuthKind, issues: readonly z.core.$ZodIssue[], base: readonly PropertyKey[]): EntryProblem[] {
  const problems: EntryProblem[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union') {
      // Report the branch whose type fits the input (string or object), not every branch.
      const fitting = issue.errors.find((branch) => !branch.some((i) => i.path.length === 0 && i.code === 'invalid_type'));
      if (fitting !== undefined) problems.push(...issueProblems(kind, fitting, path));
      else problems.push({ path, text: `must be ${ENTRY_SHAPE_TEXT[kind]}` });
      continue;
    }
    if (path.length === 0 && issue.code === 'invalid_type') {
      problems.push({ path, text: `must be ${ENTRY_SHAPE_TEXT[kind]}` });
      continue;
    }
    // describeIssues writes "<path>: <text>"; keep the text and carry the path ourselves.
    const line = describeIssues([{ ...issue, path: [] }])[0] ?? '(top level): is invalid';
    problems.push({ path, text: line.slice(jsonPath([]).length + 2) });
  }
  return problems;
}

/** Every string in a JSON value. Entries are shallow (objects of strings, arrays of headers). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  return isPlainObject(value) ? Object.values(value).flatMap(stringsIn) : [];
}

const GITHUB_TOKEN_WORD = /^[.A-Za-z0-9_]+$/;
const GITHUB_TOKEN_WORD_AND_DASH = /^[.A-Za-z0-9_-]+$/;

/**
 * Composer checks github-oauth tokens, differently by version (GithubTokenRule): up to 2.9.7
 * against [.A-Za-z0-9_] (and, before 2.9.8, it prints the token when it refuses one), from
 * 2.9.8 (and Debian's 2.5.5) [.A-Za-z0-9_-], from 2.10.0 not at all. A token the running
 * Composer refuses is an error here. When the version is not known, a '-' is a warning and
 * anything else an error, since no Composer before 2.10 accepts it.
 */
function githubTokenFinding(token: string, rule: GithubTokenRule, composer: string): { error: string } | { warning: string } | undefined {
  if (rule === 'any' || GITHUB_TOKEN_WORD.test(token)) return undefined;
  const dash = GITHUB_TOKEN_WORD_AND_DASH.test(token);
  if (rule === 'word-and-dash' && dash) return undefined;
  if (rule === 'unknown') {
    if (dash) {
      return {
        warning:
          "the token holds '-': Composer 2.9.8 and later accept it, but Composer before 2.9.8 (upstream 2.5.5 to 2.9.7) rejects it and prints the token in its error; name the Composer with --composer-version, or use a token without '-'",
      };
    }
    return { error: "the token holds characters Composer before 2.10 refuses in a github-oauth token (allowed: letters, digits, '.', '_', and since 2.9.8 '-'; 2.10 accepts any); name the Composer with --composer-version" };
  }
  const allowed = rule === 'word' ? "letters, digits, '.' and '_'" : "letters, digits, '.', '_' and '-'";
  return { error: `the token holds characters ${composer} refuses in a github-oauth token (it allows ${allowed}; Composer 2.10 and later accept any)` };
}

const CLIENT_CERTIFICATE_REFUSAL =
  'client-certificate points at files on disk (local_cert, local_pk); not supported from a secret, since a build has no such files. Keep that entry in an auth.json you manage, or use http-basic, bearer or custom-headers for this host';

// ---------------------------------------------------------------------------------------
// Composer secrets

export type CredentialResult =
  | (ComposerCredential & { ok: true; warnings: string[] })
  | { ok: false; problem: string };

/**
 * Turns a `composer` secret (`<kind>.<host>`, value as `composer config` takes it, or a JSON
 * value of the entry's own shape) into an auth.json entry.
 *
 * - A value starting with '{' (or '[' for custom-headers) is read as JSON.
 * - One trailing line ending is dropped (ours: a pasted value often ends with one); any
 *   other line break in a one-line kind is a problem.
 * - http-basic splits at the first space: the password may hold spaces.
 * - client-certificate is refused: its entry names files the build does not have.
 */
export function credentialFromSecret(name: string, value: string, rules: ComposerRules = UNKNOWN_COMPOSER_RULES): CredentialResult {
  const fail = (text: string): CredentialResult => ({ ok: false, problem: `secret '${name}': ${text}` });
  const parsedName = parseComposerSecretName(name);
  if (!parsedName.ok) return fail(parsedName.problem);
  const { kind, host } = parsedName.value;
  if (kind === 'client-certificate') return fail(CLIENT_CERTIFICATE_REFUSAL);

  let entry: unknown;
  let form: 'JSON' | 'text';
  const start = value.trimStart();
  if (start.startsWith('{') || (kind === 'custom-headers' && start.startsWith('['))) {
    form = 'JSON';
    const json = parseAuthJson(value);
    if (!json.ok) return fail(`starts with '${start[0] ?? ''}', so it is read as JSON, but it ${json.problem}; write ${TEXT_FORM[kind]} or valid JSON of the form ${ENTRY_SHAPE_TEXT[kind]}`);
    entry = json.value;
  } else {
    form = 'text';
    const text = textEntry(kind, value);
    if ('problem' in text) return fail(text.problem);
    entry = text.entry;
  }

  const problems = entryProblems(kind, entry, 'secret');
  if (problems.length > 0) {
    const lines = problems.map((p) => (p.path.length === 0 ? p.text : `${jsonPath(p.path)}: ${p.text}`));
    return fail(`${form === 'JSON' ? 'its JSON value is not a valid ' + kind + ' entry' : 'is not a valid ' + kind + ' value'}: ${lines.join('; ')}`);
  }
  const warnings: string[] = [];
  if (kind === 'github-oauth' && typeof entry === 'string') {
    const finding = githubTokenFinding(entry, rules.githubToken, composerName(rules));
    if (finding !== undefined && 'error' in finding) return fail(finding.error);
    if (finding !== undefined) warnings.push(`secret '${name}': ${finding.warning}`);
  }
  // entryProblems ran AUTH_ENTRY_SCHEMAS[kind] on `entry` and found nothing: it is an AuthEntry<kind>.
  return { ok: true, kind, host, entry, warnings } as CredentialResult;
}

/** The entry a text-form value stands for, before schema checks. */
function textEntry(kind: Exclude<ComposerAuthKind, 'client-certificate'>, value: string): { entry: unknown } | { problem: string } {
  if (kind === 'custom-headers') {
    const headers: string[] = [];
    const bad: number[] = [];
    value.split(/\r?\n/).forEach((raw, i) => {
      const line = raw.trim();
      if (line === '') return;
      if (HEADER_LINE_PATTERN.test(line)) headers.push(line);
      else bad.push(i + 1);
    });
    if (bad.length > 0) {
      return { problem: `line${bad.length === 1 ? '' : 's'} ${bad.join(', ')} do${bad.length === 1 ? 'es' : ''} not look like "Name: value" (a header name, a colon, then a value); write one header per line` };
    }
    if (headers.length === 0) return { problem: `holds no header; write ${TEXT_FORM[kind]}` };
    return { entry: headers };
  }

  const single = value.replace(/\r?\n$/, '');
  if (single.trim() === '') return { problem: `is empty; set it to ${TEXT_FORM[kind]}` };
  if (/[\r\n]/.test(single)) return { problem: `holds a line break; ${kind} takes one line: ${TEXT_FORM[kind]}` };

  switch (kind) {
    case 'bearer':
    case 'github-oauth':
    case 'gitlab-oauth':
      return tokenText(kind, single);
    case 'gitlab-token': {
      const parts = single.split(' ');
      if (parts.length === 1) return tokenText(kind, single);
      const [username, token] = parts;
      if (parts.length !== 2 || !username || !token) {
        return { problem: `must be ${TEXT_FORM[kind]}: one part, or two separated by a single space` };
      }
      return { entry: { username, token } };
    }
    case 'http-basic': {
      const space = single.indexOf(' ');
      if (space === -1) return { problem: `must be ${TEXT_FORM[kind]}, separated by a space, or JSON: ${ENTRY_SHAPE_TEXT[kind]}; it holds no space` };
      const username = single.slice(0, space);
      const password = single.slice(space + 1);
      if (username === '') return { problem: `must be ${TEXT_FORM[kind]}; it starts with a space, so the username is empty` };
      if (password === '') return { problem: `must be ${TEXT_FORM[kind]}; nothing follows the space, so the password is empty` };
      return { entry: { username, password } };
    }
    case 'bitbucket-oauth':
    case 'forgejo-token': {
      const parts = single.split(' ');
      const [first, second] = parts;
      if (parts.length !== 2 || !first || !second) {
        return { problem: `must be ${TEXT_FORM[kind]}: exactly two parts separated by a single space, or JSON: ${ENTRY_SHAPE_TEXT[kind]}` };
      }
      return { entry: kind === 'bitbucket-oauth' ? { 'consumer-key': first, 'consumer-secret': second } : { username: first, token: second } };
    }
  }
}

function tokenText(kind: 'bearer' | 'github-oauth' | 'gitlab-oauth' | 'gitlab-token', token: string): { entry: unknown } | { problem: string } {
  if (/\s/.test(token)) return { problem: `must be ${TEXT_FORM[kind]}; it holds a space or tab` };
  // A token stored with its quotes would be sent with them.
  if (/^(["']).*\1$/.test(token)) return { problem: 'is wrapped in quotes; store the token without them' };
  return { entry: token };
}

// ---------------------------------------------------------------------------------------
// Whole documents

export type AuthDocumentResult = { ok: true; document: AuthDocument; warnings: string[] } | { ok: false; problems: string[] };

/**
 * An `env` secret named COMPOSER_AUTH holding a whole auth document. Stricter than an
 * auth.json: unknown kinds and unknown entry fields are problems, client-certificate is
 * refused (as for composer secrets), github-oauth tokens are checked. Problems carry JSON
 * paths (`http-basic.repo.example.org.password: is required (string)`).
 */
export function parseComposerAuthDocument(text: string, rules: ComposerRules = UNKNOWN_COMPOSER_RULES): AuthDocumentResult {
  return parseAuthText(text, 'secret', rules);
}

/** An existing auth.json: unknown top-level keys and unknown entry fields are kept. */
export function parseAuthJsonFile(text: string): AuthDocumentResult {
  return parseAuthText(text, 'file', UNKNOWN_COMPOSER_RULES);
}

/**
 * Composer reads auth documents with PHP's json_decode, which stops at 512 levels of
 * nesting; deeper would also overflow the stack of our own copies (structuredClone,
 * JSON.stringify) of the unknown keys an auth.json keeps.
 */
export const MAX_AUTH_DEPTH = 512;

function parseAuthJson(text: string): ReturnType<typeof parseJsonSafely> {
  if (nestsDeeperThan(text, MAX_AUTH_DEPTH)) return { ok: false, problem: `nests arrays and objects more than ${MAX_AUTH_DEPTH} levels deep, more than Composer reads` };
  return parseJsonSafely(text);
}

function parseAuthText(text: string, mode: Mode, rules: ComposerRules): AuthDocumentResult {
  const json = parseAuthJson(text);
  if (!json.ok) return { ok: false, problems: [`${jsonPath([])}: ${json.problem}`] };
  return checkAuthDocument(json.value, mode, rules);
}

function checkAuthDocument(value: unknown, mode: Mode, rules: ComposerRules): AuthDocumentResult {
  const kindsList = COMPOSER_AUTH_KINDS.join(', ');
  if (!isPlainObject(value)) {
    return { ok: false, problems: [`${jsonPath([])}: must be a JSON object whose keys are auth kinds (${kindsList})`] };
  }
  const problems: string[] = [];
  const warnings: string[] = [];
  Object.entries(value).forEach(([key, hosts], keyIndex) => {
    if (!isComposerAuthKind(key)) {
      if (mode === 'secret') problems.push(`${jsonPath([])}: ${unknownKindText(key, keyIndex)}; allowed: ${kindsList}`);
      return;
    }
    if (mode === 'secret' && key === 'client-certificate') {
      problems.push(`${key}: ${CLIENT_CERTIFICATE_REFUSAL}`);
      return;
    }
    if (!isPlainObject(hosts)) {
      problems.push(`${key}: must be an object mapping hosts to entries, each ${ENTRY_SHAPE_TEXT[key]}`);
      return;
    }
    Object.entries(hosts).forEach(([host, entry], hostIndex) => {
      if (!isComposerHost(host)) {
        // Not quoted: a wrongly nested document can put a credential where the host belongs.
        problems.push(`${key}: the ${ordinal(hostIndex + 1)} key is not a host Composer can match (a host name or IP, optionally :port; no scheme, path or credentials)`);
        return;
      }
      const shownHost = hostForMessages(host, hostIndex);
      const entryProblemList = entryProblems(key, entry, mode);
      problems.push(...entryProblemList.map((p) => `${jsonPath([key, shownHost, ...p.path])}: ${p.text}`));
      if (mode === 'secret' && key === 'github-oauth' && entryProblemList.length === 0 && typeof entry === 'string') {
        const finding = githubTokenFinding(entry, rules.githubToken, composerName(rules));
        if (finding !== undefined && 'error' in finding) problems.push(`${jsonPath([key, shownHost])}: ${finding.error}`);
        else if (finding !== undefined) warnings.push(`${jsonPath([key, shownHost])}: ${finding.warning}`);
      }
    });
  });
  if (problems.length > 0) return { ok: false, problems };
  // The walk above checked everything the schema does; this confirms the type. The parsed
  // JSON is kept rather than zod's copy, which drops a `__proto__` key an auth.json may hold.
  const parsed = AuthDocument.safeParse(value, { reportInput: true });
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error.issues, { document: value }) };
  return { ok: true, document: value as AuthDocument, warnings };
}

/**
 * A host as messages show it. A single label (no dot, no port, not localhost) is a valid host
 * but also what a token looks like, and a wrongly nested document puts tokens in host position:
 * such keys are shown by position instead.
 */
function hostForMessages(host: string, index: number): string {
  return host.includes('.') || host.includes(':') || host === 'localhost' ? host : `(${ordinal(index + 1)} host)`;
}

function unknownKindText(key: string, index: number): string {
  const position = `the ${ordinal(index + 1)} key`;
  // `{"http-basic.example.org": ...}` is the `composer config` spelling, not auth.json's nesting.
  const dotted = COMPOSER_AUTH_KINDS.find((kind) => key.startsWith(`${kind}.`));
  if (dotted !== undefined) return `${position} starts with '${dotted}.': nest the host inside the kind, {"${dotted}": {"<host>": ...}}`;
  const near = closestName(key, COMPOSER_AUTH_KINDS);
  return `${position} is not a Composer auth kind${near === undefined ? '' : ` (did you mean '${near}'?)`}`;
}

// ---------------------------------------------------------------------------------------
// Building and merging documents

/** A document holding the given credentials. A (kind, host) given twice: the later one wins. */
export function authDocumentFromCredentials(credentials: readonly ComposerCredential[]): AuthDocument {
  const byKind = new Map<ComposerAuthKind, Map<string, unknown>>();
  for (const credential of credentials) {
    const hosts = byKind.get(credential.kind) ?? new Map<string, unknown>();
    hosts.set(credential.host, structuredClone(credential.entry));
    byKind.set(credential.kind, hosts);
  }
  // Kinds in Composer's order, so the written file does not depend on secret order.
  const entries = COMPOSER_AUTH_KINDS.flatMap((kind) => {
    const hosts = byKind.get(kind);
    return hosts === undefined ? [] : [[kind, Object.fromEntries(hosts)] as const];
  });
  return Object.fromEntries(entries) as AuthDocument;
}

export type AuthMergeResult = { document: AuthDocument; replaced: Array<{ kind: ComposerAuthKind; host: string }> };

/**
 * `overlay` on top of `base`: within each kind, per host, the overlay's entry wins (for
 * custom-headers the overlay's header list replaces the base's list for that host, whole).
 * `replaced` lists the (kind, host) pairs present in both, in the base's order, whether or
 * not the values differ. Unknown top-level keys are kept; when both have one, the overlay's
 * value replaces the base's whole (we do not know its structure). Inputs are not modified.
 */
export function mergeAuthDocuments(base: AuthDocument, overlay: AuthDocument): AuthMergeResult {
  const baseMap: Record<string, unknown> = base;
  const overlayMap: Record<string, unknown> = overlay;
  const replaced: AuthMergeResult['replaced'] = [];
  const keys = [...new Set([...Object.keys(baseMap), ...Object.keys(overlayMap)])];
  // Entries + fromEntries rather than assignment: a key like "__proto__" stays a plain key.
  const entries = keys.map((key): [string, unknown] => {
    const fromBase = baseMap[key];
    const fromOverlay = overlayMap[key];
    if (!Object.hasOwn(overlayMap, key)) return [key, fromBase];
    if (!Object.hasOwn(baseMap, key) || !isComposerAuthKind(key) || !isPlainObject(fromBase) || !isPlainObject(fromOverlay)) {
      return [key, fromOverlay];
    }
    for (const host of Object.keys(fromBase)) {
      if (Object.hasOwn(fromOverlay, host)) replaced.push({ kind: key, host });
    }
    return [key, { ...fromBase, ...fromOverlay }];
  });
  return { document: structuredClone(Object.fromEntries(entries)) as AuthDocument, replaced };
}

/**
 * Hosts that appear under more than one kind. Composer keeps one credential per host (the
 * later one loaded replaces the earlier), so each of these is a conflict for the caller to
 * report. Hosts compare exactly, as Composer's lookup does. Kinds in Composer's order.
 */
export function hostsWithSeveralKinds(document: AuthDocument): Array<{ host: string; kinds: ComposerAuthKind[] }> {
  const kindsByHost = new Map<string, ComposerAuthKind[]>();
  const map: Record<string, unknown> = document;
  for (const kind of COMPOSER_AUTH_KINDS) {
    const hosts = map[kind];
    if (!isPlainObject(hosts)) continue;
    for (const host of Object.keys(hosts)) {
      const kinds = kindsByHost.get(host) ?? [];
      kinds.push(kind);
      kindsByHost.set(host, kinds);
    }
  }
  return [...kindsByHost].filter(([, kinds]) => kinds.length > 1).map(([host, kinds]) => ({ host, kinds }));
}
