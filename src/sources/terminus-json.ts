// Terminus as a source: the output of `terminus secret:site:list <site> --format=json`,
// read from a file or stdin, or by running terminus through the injected ProcessRunner.
//
// How a listed row becomes site and organization secrets (the mapping decision)
// --------------------------------------------------------------------------------
// A row carries `value` (the site's own base value), `env-values` (the SITE's overrides)
// and `org-values` (`default` = the organization's base value, other keys = the
// ORGANIZATION's overrides). `""` and `null` in these maps mean "no value": the API sets
// an environment's value to null when its override is deleted, and the PHP SDK treats an
// empty `Value` as absent, falling back to `org-values.default`. So, per row:
// - `value` is a non-empty string that differs from `org-values.default`, or any
//   non-empty string when the row has site overrides: the SITE has its own secret (that
//   value, `env-values` as its overrides). If `org-values.default` is there too, the
//   organization's secret is kept under it as well; the site's wins whole in resolution,
//   so an organization override never beats a site base value.
// - `value` equals `org-values.default` and the row has no site override: the value is the
//   organization's, shown in the site's listing; the site has no value of its own. It
//   becomes an ORGANIZATION secret only, with the organization's overrides. (The one case
//   this reads differently from a site that deliberately stored the organization's exact
//   base value is an environment where the organization has an override; a site that
//   wants to pin a value should store a different one or an override.)
// - `value` is `""`, or `null` on a row with the `user` scope (so it was readable, and
//   absent): no site value. `org-values.default` is the organization's secret; with no
//   default either, `""` is a site secret with an empty value (what the SDK reads) and
//   `null` is an error.
// - `value` is `null` on a row without the `user` scope: Terminus could not show it, and
//   whatever the organization has may be hidden under an unseen site value. An error
//   (exit 2) naming every such secret; nothing is guessed.
// - Site overrides with no site value, or an organization override with no organization
//   base value while no site value hides it: an error, since the model cannot hold it.
// A row has one type and one scope list; when both owners have the secret, the
// organization's is given the row's (it only ever shows up as shadowed).
// Terminus output does not name the organization: `--org` is used, else the placeholder
// `(organization)`.
import * as z from 'zod/mini';
import { EnvironmentError, InvalidDocumentError } from '../errors.js';
import { checkDocument, describeIssues, messagePath, parseJsonSafely } from '../model/issues.js';
import { EnvironmentName, problemWithSecretName } from '../model/names.js';
import { Scopes, SecretType, SecretValue, type Scope, type Secret, type SecretMap } from '../model/secret.js';
import { captureOutput, type ProcessRunner } from '../run/process-runner.js';
import type { FetchRequest, SecretSource, SiteSecrets } from './source.js';

/** The organization's name when the source does not record it and --org was not given. */
export const UNKNOWN_ORGANIZATION = '(organization)';

/** PHP prints an empty map as `[]`: read it as `{}`. */
const emptyArrayAsObject = (input: unknown): unknown => (Array.isArray(input) && input.length === 0 ? {} : input);

/** Environment (or `default`) -> value; null = deleted or unreadable. */
export const ValuesByEnvironment = z.pipe(z.transform(emptyArrayAsObject), z.record(EnvironmentName, z.nullable(SecretValue)));

const rowFields = {
  type: SecretType,
  value: z.optional(z.nullable(SecretValue)),
  scopes: Scopes,
  'env-values': z.optional(ValuesByEnvironment),
  'org-values': z.optional(ValuesByEnvironment),
};
const KeyedRow = z.object({ ...rowFields, name: z.optional(z.string()) });
const ListedRow = z.object({ ...rowFields, name: z.string() });
const KeyedRows = z.pipe(z.transform(emptyArrayAsObject), z.record(z.string(), KeyedRow));
const ListedRows = z.array(ListedRow);

/** One secret as a listing shows it, whatever the format (Terminus rows, the SDK file). */
export type ListedSecret = {
  name: string;
  type: SecretType;
  scopes: Scope[];
  /** The site's own base value as listed: a string, "" or null/undefined for none or unreadable. */
  value: string | null | undefined;
  /** The site's overrides. */
  envValues: Record<string, string | null>;
  /** `default`: the organization's base value; other keys: the organization's overrides. */
  orgValues: Record<string, string | null>;
  /** Where it sits in the document, for messages: `FOO` or `[2]`. */
  path: readonly PropertyKey[];
};

/**
 * The rows of `secret:site:list --format=json`, validated: an object keyed by name or an
 * array of rows with `name`. Problems are reported by JSON path, never with values.
 */
export function parseTerminusSecretList(text: string, where: string): ListedSecret[] {
  const json = parseJsonSafely(text);
  if (!json.ok) throw new InvalidDocumentError(where, `${where} ${json.problem}`);
  const document = json.value;
  const invalid = (issues: readonly z.core.$ZodIssue[]) =>
    new InvalidDocumentError(where, `${where} is not valid secret:site:list --format=json output`, describeIssues(issues, { document }));
  let listed: ListedSecret[];
  if (Array.isArray(document)) {
    const parsed = checkDocument(ListedRows, document);
    if (!parsed.ok) throw invalid(parsed.issues);
    listed = parsed.value.map((row, i) => listedFromRow(row.name, row, [i]));
  } else {
    const parsed = checkDocument(KeyedRows, document);
    if (!parsed.ok) throw invalid(parsed.issues);
    listed = Object.entries(parsed.value).map(([key, row]) => listedFromRow(key, row, [key]));
    const mismatched = Object.entries(parsed.value).filter(([key, row]) => row.name !== undefined && row.name !== key);
    if (mismatched.length > 0) {
      // Either may be the one typed wrong (or a value): the key is given by position.
      const keysAtFault = new Set(mismatched.map(([key]) => key));
      throw new InvalidDocumentError(
        where,
        `${where} is not valid secret:site:list --format=json output`,
        mismatched.map(([key]) => `${messagePath([key, 'name'], { document, keysAtFault })}: does not match the row's key`),
      );
    }
  }
  checkListedNames(listed, document, where, 'secret:site:list --format=json output');
  return listed;
}

function listedFromRow(name: string, row: z.infer<typeof KeyedRow>, path: readonly PropertyKey[]): ListedSecret {
  return {
    name,
    type: row.type,
    scopes: row.scopes,
    value: row.value,
    envValues: row['env-values'] ?? {},
    orgValues: row['org-values'] ?? {},
    path,
  };
}

/**
 * Names against types, and each name once; problems by JSON path. A name at fault is
 * written by its position in `document`, never quoted (see messagePath).
 */
export function checkListedNames(listed: readonly ListedSecret[], document: unknown, where: string, what: string): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  const keysAtFault = new Set(listed.filter((secret) => problemWithSecretName(secret.name, secret.type) !== undefined).map((secret) => secret.name));
  for (const secret of listed) {
    // A row of a list holds its name in `name`; in a keyed listing the name is the key.
    const namePath = typeof secret.path[secret.path.length - 1] === 'number' ? [...secret.path, 'name'] : secret.path;
    const shown = messagePath(namePath, { document, keysAtFault });
    const problem = problemWithSecretName(secret.name, secret.type);
    if (problem !== undefined) problems.push(`${shown}: ${problem}`);
    if (seen.has(secret.name)) problems.push(`${shown}: names a secret listed before`);
    seen.add(secret.name);
  }
  if (problems.length > 0) throw new InvalidDocumentError(where, `${where} is not valid ${what}`, problems);
}

/** What one listed secret contributes to each owner, or why it cannot be used. */
export type ListedLayers =
  | { ok: true; site?: Secret | undefined; organization?: Secret | undefined }
  | { ok: false; problem: 'unreadable' | 'no-value' | 'overrides-without-value' };

function presentValues(values: Record<string, string | null>, without?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (key !== without && value !== null) out[key] = value;
  return out;
}

const nonEmpty = (value: string | null | undefined): string | undefined => (value === null || value === undefined || value === '' ? undefined : value);

/**
 * The mapping described at the top of this file. `nullValue` says what a null `value`
 * means: `unreadable` (the lister could not show it) or `absent` (no site value).
 */
export function layersOfListedSecret(secret: ListedSecret, nullValue: 'unreadable' | 'absent'): ListedLayers {
  if ((secret.value === null || secret.value === undefined) && nullValue === 'unreadable') return { ok: false, problem: 'unreadable' };
  const siteOverrides = presentValues(secret.envValues);
  const orgBase = nonEmpty(secret.orgValues.default);
  const orgOverrides = presentValues(secret.orgValues, 'default');
  const hasSiteOverrides = Object.keys(siteOverrides).length > 0;
  const listedValue = nonEmpty(secret.value);
  // The organization's base value shown in the site's listing is not a value of the site's.
  const siteValue = listedValue !== undefined && (listedValue !== orgBase || hasSiteOverrides) ? listedValue : undefined;
  const secretWith = (value: string, overrides: Record<string, string>): Secret => ({
    type: secret.type,
    scopes: [...secret.scopes],
    value,
    overrides,
  });
  const organization = orgBase === undefined ? undefined : secretWith(orgBase, orgOverrides);
  if (siteValue !== undefined) return { ok: true, site: secretWith(siteValue, siteOverrides), organization };
  if (hasSiteOverrides) return { ok: false, problem: 'overrides-without-value' };
  if (organization !== undefined) return { ok: true, organization };
  if (Object.keys(orgOverrides).length > 0) return { ok: false, problem: 'overrides-without-value' };
  // The SDK reads an empty value as it is; a null one has nothing to read.
  if (secret.value === '') return { ok: true, site: secretWith('', siteOverrides) };
  return { ok: false, problem: 'no-value' };
}

export type MappingAdvice = {
  /** Said under the names of secrets whose value the listing could not show. */
  unreadable: string;
  /** Said under the names of secrets with no value at all. */
  noValue: string;
};

/**
 * Every listed secret's layers, or one exit-2 error naming every secret that cannot be
 * used, by problem. Names are safe to print; values never are.
 */
export function collectListedLayers(
  listed: readonly ListedSecret[],
  nullValue: (secret: ListedSecret) => 'unreadable' | 'absent',
  where: string,
  advice: MappingAdvice,
): { site: SecretMap; organization: SecretMap } {
  const site: SecretMap = {};
  const organization: SecretMap = {};
  const failed = { unreadable: [] as string[], 'no-value': [] as string[], 'overrides-without-value': [] as string[] };
  for (const secret of listed) {
    const layers = layersOfListedSecret(secret, nullValue(secret));
    if (!layers.ok) {
      failed[layers.problem].push(secret.name);
      continue;
    }
    if (layers.site !== undefined) site[secret.name] = layers.site;
    if (layers.organization !== undefined) organization[secret.name] = layers.organization;
  }
  const details: string[] = [];
  if (failed.unreadable.length > 0) details.push(`value not shown: ${failed.unreadable.join(', ')}`, `  ${advice.unreadable}`);
  if (failed['no-value'].length > 0) details.push(`no value at all: ${failed['no-value'].join(', ')}`, `  ${advice.noValue}`);
  if (failed['overrides-without-value'].length > 0) {
    details.push(
      `environment values without the owner's base value: ${failed['overrides-without-value'].join(', ')}`,
      '  an override needs its owner to hold the secret; set the base value, or use another --source',
    );
  }
  if (details.length > 0) {
    const count = Object.values(failed).reduce((n, names) => n + names.length, 0);
    throw new InvalidDocumentError(where, `${where}: ${count} secret(s) cannot be used`, details);
  }
  return { site, organization };
}

const TERMINUS_ADVICE: MappingAdvice = {
  unreadable:
    'Terminus shows a value only for secrets with the `user` scope: recreate the secret with --scope including user, or use another --source (sdk-json:FILE, https://...)',
  noValue: 'neither the site nor the organization holds a value; set one, or use another --source',
};

/** The rows mapped to the site's and its organization's secrets. */
export function siteSecretsFromTerminusRows(listed: readonly ListedSecret[], request: FetchRequest, where: string): SiteSecrets {
  const { site, organization } = collectListedLayers(
    listed,
    // With `user` the value was readable, so null means the site has none of its own.
    (secret) => (secret.scopes.includes('user') ? 'absent' : 'unreadable'),
    where,
    TERMINUS_ADVICE,
  );
  const hasOrganization = request.organization !== undefined || Object.keys(organization).length > 0;
  return {
    site: { name: request.site, secrets: site },
    organization: hasOrganization ? { name: request.organization ?? UNKNOWN_ORGANIZATION, secrets: organization } : undefined,
  };
}

/** Saved `secret:site:list <site> --format=json` output: a file, or stdin. */
export function terminusJsonSource(options: { read: () => Promise<string>; description: string }): SecretSource {
  return {
    description: options.description,
    async fetch(request: FetchRequest): Promise<SiteSecrets> {
      const text = await options.read();
      return siteSecretsFromTerminusRows(parseTerminusSecretList(text, options.description), request, options.description);
    },
  };
}

/** How much of terminus's stderr a message carries. */
export const STDERR_LINES = 5;
export const STDERR_LINE_CHARS = 300;

/** The last few non-empty lines of a program's stderr, without colours, each capped. */
export function stderrTail(stderr: string): string[] {
  const lines = stderr
    .replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '')
    .split(/\r?\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.slice(-STDERR_LINES).map((line) => (line.length > STDERR_LINE_CHARS ? `${line.slice(0, STDERR_LINE_CHARS)}...` : line));
}

/**
 * Runs `terminus secret:site:list <site> --format=json` and reads its output like a saved
 * file. `site` is the site as Terminus knows it; the request's site when left out.
 * Empty output (no rows) is an empty listing.
 */
export function terminusCommandSource(options: {
  runner: ProcessRunner;
  env: Record<string, string | undefined>;
  cwd: string;
  site?: string | undefined;
}): SecretSource {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) if (value !== undefined) env[key] = value;
  return {
    description: 'terminus',
    async fetch(request: FetchRequest): Promise<SiteSecrets> {
      const site = options.site ?? request.site;
      const command = `terminus secret:site:list ${site} --format=json`;
      const result = await captureOutput(options.runner, 'terminus', ['secret:site:list', site, '--format=json'], { cwd: options.cwd, env });
      if (result.startError !== undefined) {
        throw new EnvironmentError(
          result.startError === 'ENOENT'
            ? 'terminus was not found on PATH: install Terminus and its secrets plugin, or use --source terminus-json:FILE'
            : `cannot run terminus: ${result.startError}`,
        );
      }
      if (result.exitCode !== 0) {
        const tail = stderrTail(result.stderr);
        const how = result.exitCode === undefined ? `was stopped by ${result.signal ?? 'a signal'}` : `failed with exit code ${result.exitCode}`;
        const hint = tail.some((line) => /secret:site:list.*not defined|not defined.*secret:site:list/i.test(line))
          ? ['the secrets plugin is missing: terminus self:plugin:install terminus-secrets-manager-plugin']
          : [];
        throw new EnvironmentError(`${command} ${how}`, [...(tail.length > 0 ? tail : ['(terminus printed nothing on stderr)']), ...hint]);
      }
      const text = result.stdout.trim() === '' ? '[]' : result.stdout;
      const where = `the output of ${command}`;
      return siteSecretsFromTerminusRows(parseTerminusSecretList(text, where), request, where);
    },
  };
}
