// Reading Composer credentials: a `composer`-type secret turned into one auth.json entry,
// and whole auth documents (an existing auth.json, or an `env` secret named COMPOSER_AUTH)
// checked in one walk, each entry by its kind's descriptor (composer-kinds.ts). Pure.
//
// Every message here is built from names (secret names, kinds, validated hosts, JSON keys we
// define) and never from a value: a secret's value, a token, a username, a header, and even
// a key we could not validate (a mis-nested document can put a token where a host belongs).
import type * as z from 'zod/mini';
import { describeIssue, jsonPath, ordinal } from '../validation/issue-messages.js';
import { isJsonObject, nestsDeeperThan, parseJsonSafely } from '../validation/json-text.js';
import {
  type AuthDocument,
  COMPOSER_KINDS,
  type ComposerCredential,
  isComposerAuthKind,
  isComposerHost,
  type TextForm,
  type TextRead,
  type VersionFinding,
} from './composer-kinds.js';
import { type ComposerRules, UNKNOWN_COMPOSER_RULES } from './composer-version.js';
import { COMPOSER_AUTH_KINDS, type ComposerAuthKind, closestName, parseComposerSecretName } from './names.js';
import { hasLoneSurrogate } from './secret.js';

// ---------------------------------------------------------------------------------------
// Entries

type EntryProblem = { path: readonly PropertyKey[]; text: string };
/** 'secret': a secret's entry, unknown fields refused and version rules applied; 'file': an auth.json's, kept as it is. */
type Mode = 'secret' | 'file';

/** What is wrong with one entry (paths relative to it), or, when nothing is, what the version rules find. */
function checkEntry(
  kind: ComposerAuthKind,
  entry: unknown,
  mode: Mode,
  rules: ComposerRules,
): { problems: EntryProblem[]; finding?: VersionFinding | undefined } {
  const descriptor = COMPOSER_KINDS[kind];
  const result = descriptor.entry.safeParse(entry);
  const problems = result.success ? [] : issueProblems(kind, result.error.issues, []);
  if (stringsIn(entry).some(hasLoneSurrogate)) {
    // JSON.stringify would write it as an escape that Composer (PHP's json_decode) refuses, and it cannot be masked.
    problems.push({
      path: [],
      text: 'holds a lone UTF-16 surrogate (\\uD800-\\uDFFF without its pair), which is not text Composer can read',
    });
  }
  if (mode !== 'secret') return { problems };
  const allowed = descriptor.keys;
  if (allowed.length > 0 && isJsonObject(entry)) {
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
  if (problems.length > 0 || !result.success) return { problems };
  // The descriptor's own schema accepted the entry: it is what its versionFinding takes.
  const versionFinding = descriptor.versionFinding as ((entry: unknown, rules: ComposerRules) => VersionFinding | undefined) | undefined;
  return { problems, finding: versionFinding?.(result.data, rules) };
}

function issueProblems(kind: ComposerAuthKind, issues: readonly z.core.$ZodIssue[], base: readonly PropertyKey[]): EntryProblem[] {
  const problems: EntryProblem[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'invalid_union') {
      // Report the branch whose type fits the input (string or object), not every branch.
      const fitting = issue.errors.find((branch) => !branch.some((i) => i.path.length === 0 && i.code === 'invalid_type'));
      if (fitting !== undefined) problems.push(...issueProblems(kind, fitting, path));
      else problems.push({ path, text: `must be ${COMPOSER_KINDS[kind].shape}` });
    } else if (path.length === 0 && issue.code === 'invalid_type') {
      problems.push({ path, text: `must be ${COMPOSER_KINDS[kind].shape}` });
    } else {
      problems.push({ path, text: describeIssue(issue) });
    }
  }
  return problems;
}

/** Every string in a JSON value. Entries are shallow (objects of strings, arrays of headers). */
function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  return isJsonObject(value) ? Object.values(value).flatMap(stringsIn) : [];
}

// ---------------------------------------------------------------------------------------
// Composer secrets

export type CredentialResult = (ComposerCredential & { ok: true; warnings: string[] }) | { ok: false; problem: string };

/**
 * Turns a `composer` secret (`<kind>.<host>`, value in its kind's text form, or a JSON
 * value of the entry's own shape) into an auth.json entry.
 *
 * - A value starting with '{' (or '[' for custom-headers) is read as JSON.
 * - One trailing line ending is dropped (ours: a pasted value often ends with one); any
 *   other line break in a one-line kind is a problem.
 * - client-certificate is refused: its entry names files the build does not have.
 */
export function credentialFromSecret(name: string, value: string, rules: ComposerRules = UNKNOWN_COMPOSER_RULES): CredentialResult {
  const fail = (text: string): CredentialResult => ({ ok: false, problem: `secret '${name}': ${text}` });
  const parsedName = parseComposerSecretName(name);
  if (!parsedName.ok) return fail(parsedName.problem);
  const { kind, host } = parsedName.value;
  const descriptor = COMPOSER_KINDS[kind];
  const text = descriptor.text;
  if (typeof text === 'string') return fail(text);
  const texts = { written: text.written, shape: descriptor.shape };

  let entry: unknown;
  const start = value.trimStart();
  const asJson = start.startsWith('{') || (kind === 'custom-headers' && start.startsWith('['));
  if (asJson) {
    const json = parseAuthJson(value);
    if (!json.ok)
      return fail(
        `starts with '${start[0] ?? ''}', so it is read as JSON, but it ${json.problem}; ` +
          `write ${texts.written} or valid JSON of the form ${texts.shape}`,
      );
    entry = json.value;
  } else {
    const read = readText(kind, text, value, texts);
    if ('problem' in read) return fail(read.problem);
    entry = read.entry;
  }

  const { problems, finding } = checkEntry(kind, entry, 'secret', rules);
  if (problems.length > 0) {
    const lines = problems.map((p) => (p.path.length === 0 ? p.text : `${jsonPath(p.path)}: ${p.text}`));
    return fail(`${asJson ? `its JSON value is not a valid ${kind} entry` : `is not a valid ${kind} value`}: ${lines.join('; ')}`);
  }
  if (finding !== undefined && 'error' in finding) return fail(finding.error);
  const warnings = finding === undefined ? [] : [`secret '${name}': ${finding.warning}`];
  // checkEntry ran the kind's schema on `entry` and found nothing: it is that kind's entry.
  return { ok: true, kind, host, entry, warnings } as CredentialResult;
}

/** A value in its kind's text form, as the entry it stands for. */
function readText(kind: ComposerAuthKind, form: TextForm, value: string, texts: { written: string; shape: string }): TextRead {
  if (form.lines === 'lines') return form.read(value, texts);
  const line = value.replace(/\r?\n$/, '');
  if (line.trim() === '') return { problem: `is empty; set it to ${texts.written}` };
  if (/[\r\n]/.test(line)) return { problem: `holds a line break; ${kind} takes one line: ${texts.written}` };
  return form.read(line, texts);
}

// ---------------------------------------------------------------------------------------
// Whole documents

export type AuthDocumentResult = { ok: true; document: AuthDocument; warnings: string[] } | { ok: false; problems: string[] };

/**
 * An `env` secret named COMPOSER_AUTH holding a whole auth document. Stricter than an
 * auth.json: unknown kinds and unknown entry fields are problems, client-certificate is
 * refused (as for composer secrets), the version rules apply. Problems carry JSON paths
 * (`http-basic.repo.example.org.password: is required (string)`).
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
  if (nestsDeeperThan(text, MAX_AUTH_DEPTH))
    return { ok: false, problem: `nests arrays and objects more than ${MAX_AUTH_DEPTH} levels deep, more than Composer reads` };
  return parseJsonSafely(text);
}

function parseAuthText(text: string, mode: Mode, rules: ComposerRules): AuthDocumentResult {
  const json = parseAuthJson(text);
  if (!json.ok) return { ok: false, problems: [`${jsonPath([])}: ${json.problem}`] };
  return checkAuthDocument(json.value, mode, rules);
}

/** One walk over the document: every kind, host and entry checked by its kind's descriptor. */
function checkAuthDocument(value: unknown, mode: Mode, rules: ComposerRules): AuthDocumentResult {
  const kindsList = COMPOSER_AUTH_KINDS.join(', ');
  if (!isJsonObject(value)) {
    return { ok: false, problems: [`${jsonPath([])}: must be a JSON object whose keys are auth kinds (${kindsList})`] };
  }
  const problems: string[] = [];
  const warnings: string[] = [];
  Object.entries(value).forEach(([key, hosts], keyIndex) => {
    if (!isComposerAuthKind(key)) {
      if (mode === 'secret') problems.push(`${jsonPath([])}: ${unknownKindText(key, keyIndex)}; allowed: ${kindsList}`);
      return;
    }
    const descriptor = COMPOSER_KINDS[key];
    if (mode === 'secret' && typeof descriptor.text === 'string') {
      problems.push(`${key}: ${descriptor.text}`);
      return;
    }
    if (!isJsonObject(hosts)) {
      problems.push(`${key}: must be an object mapping hosts to entries, each ${descriptor.shape}`);
      return;
    }
    Object.entries(hosts).forEach(([host, entry], hostIndex) => {
      if (!isComposerHost(host)) {
        // Not quoted: a wrongly nested document can put a credential where the host belongs.
        problems.push(
          `${key}: the ${ordinal(hostIndex + 1)} key is not a host Composer can match ` +
            '(a host name or IP, optionally :port; no scheme, path or credentials)',
        );
        return;
      }
      const shownHost = hostForMessages(host, hostIndex);
      const checked = checkEntry(key, entry, mode, rules);
      problems.push(...checked.problems.map((p) => `${jsonPath([key, shownHost, ...p.path])}: ${p.text}`));
      if (checked.finding !== undefined && 'error' in checked.finding)
        problems.push(`${jsonPath([key, shownHost])}: ${checked.finding.error}`);
      else if (checked.finding !== undefined) warnings.push(`${jsonPath([key, shownHost])}: ${checked.finding.warning}`);
    });
  });
  if (problems.length > 0) return { ok: false, problems };
  // The walk checked each kind's entries with its schema. The parsed JSON is kept rather
  // than a zod copy, which would drop a `__proto__` key an auth.json may hold.
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
