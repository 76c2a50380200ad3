// Terminus as a source: the output of `terminus secret:site:list <site> --format=json`,
// read from a file or stdin, or by running terminus through the injected ProcessRunner.
//
// Terminus prints the service's answer (pantheon-answer.ts) row by row, under its own
// keys: `value` (the site's own base value; null when the lister may not read it: a person
// reads only `user` secrets), `env-values` (the site's overrides) and `org-values`
// (`default` = the organization's base value, other keys its overrides), empty maps as
// `[]`. Each row is mapped to the site's and the organization's secrets as
// listed-secret.ts says. Read liberally (hidden values, `file`/`vcs` types, names outside
// our rules, missing maps); planning decides what a build can use. Rows may also come as
// an array with `name`. Terminus output does not name the organization: `--org` is used,
// else the placeholder `(organization)`.
import * as z from 'zod/mini';
import { EnvironmentError, InvalidDocumentError, UsageError } from '../errors.js';
import { checkDocument, describeIssues, messagePath, parseJsonSafely } from '../model/issues.js';
import { problemWithSecretName, RESERVED_SECRET_NAME } from '../model/names.js';
import { Scope, SourceSecretType } from '../model/secret.js';
import { captureOutput, type ProcessRunner } from '../run/process-runner.js';
import { emptyMapAsObject, siteSecretsFromListed, ValuesByKey, type ListedSecret } from './listed-secret.js';
import type { FetchRequest, SecretSource, SiteSecrets } from './source.js';

export { UNKNOWN_ORGANIZATION } from './listed-secret.js';

const rowFields = {
  type: SourceSecretType,
  value: z.optional(z.nullable(z.string())),
  scopes: z.array(Scope),
  'env-values': z.optional(ValuesByKey),
  'org-values': z.optional(ValuesByKey),
};
const KeyedRow = z.object({ ...rowFields, name: z.optional(z.string()) });
const ListedRow = z.object({ ...rowFields, name: z.string() });
const KeyedRows = z.pipe(z.transform(emptyMapAsObject), z.record(z.string(), KeyedRow));
const ListedRows = z.array(ListedRow);

const WHAT = 'secret:site:list --format=json output';

/**
 * The rows of `secret:site:list --format=json`, validated: an object keyed by name or an
 * array of rows with `name`. Problems are reported by JSON path, never with values; a
 * name that breaks its type's rules is shown by its position, never quoted.
 */
export function parseTerminusSecretList(text: string, where: string): ListedSecret[] {
  const json = parseJsonSafely(text);
  if (!json.ok) throw new InvalidDocumentError(where, `${where} ${json.problem}`);
  const document = json.value;
  const invalid = (issues: readonly z.core.$ZodIssue[]) => new InvalidDocumentError(where, `${where} is not valid ${WHAT}`, describeIssues(issues, { document }));
  // `position` says where the name is, for a name that may not be printed.
  const listedFromRow = (name: string, row: z.infer<typeof KeyedRow>, position: () => string): ListedSecret => ({
    name,
    type: row.type,
    scopes: row.scopes,
    value: row.value,
    envValues: row['env-values'] ?? {},
    orgValues: row['org-values'] ?? {},
    shownAs: problemWithSecretName(name, row.type) === undefined ? undefined : position(),
  });
  let listed: ListedSecret[];
  if (Array.isArray(document)) {
    const parsed = checkDocument(ListedRows, document);
    if (!parsed.ok) throw invalid(parsed.issues);
    listed = parsed.value.map((row, i) => listedFromRow(row.name, row, () => `[${i}].name`));
  } else {
    const parsed = checkDocument(KeyedRows, document);
    if (!parsed.ok) throw invalid(parsed.issues);
    listed = Object.entries(parsed.value).map(([key, row]) => listedFromRow(key, row, () => messagePath([key], { document, keysAtFault: new Set([key]) })));
    const mismatched = Object.entries(parsed.value).filter(([key, row]) => row.name !== undefined && row.name !== key);
    if (mismatched.length > 0) {
      // Either may be the one typed wrong (or a value): the key is given by position.
      const keysAtFault = new Set(mismatched.map(([key]) => key));
      throw new InvalidDocumentError(
        where,
        `${where} is not valid ${WHAT}`,
        mismatched.map(([key]) => `${messagePath([key, 'name'], { document, keysAtFault })}: does not match the row's key`),
      );
    }
  }
  checkEachNameOnce(listed, where);
  return listed;
}

/**
 * A name listed twice would leave the build to pick one row, and `__proto__` cannot be held
 * (keyed, checkDocument refuses it): refused, each by where it is.
 */
function checkEachNameOnce(listed: readonly ListedSecret[], where: string): void {
  const seen = new Set<string>();
  const problems: string[] = [];
  listed.forEach((secret, i) => {
    if (secret.name === RESERVED_SECRET_NAME) problems.push(`[${i}].name: ${problemWithSecretName(secret.name, 'runtime')}`);
    else if (seen.has(secret.name)) problems.push(`[${i}].name: names a secret listed before`);
    seen.add(secret.name);
  });
  if (problems.length > 0) throw new InvalidDocumentError(where, `${where} is not valid ${WHAT}`, problems);
}

/** Saved `secret:site:list <site> --format=json` output: a file, or stdin. */
export function terminusJsonSource(options: { read: () => Promise<string>; description: string }): SecretSource {
  return {
    description: options.description,
    async fetch(request: FetchRequest): Promise<SiteSecrets> {
      const text = await options.read();
      return siteSecretsFromListed(parseTerminusSecretList(text, options.description), request);
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
        // Not installed is bad input, as a missing composer is (exit 2); any other start failure is the machine's.
        if (result.startError === 'ENOENT') {
          throw new UsageError('terminus was not found on PATH: install Terminus and its secrets plugin, or use --source terminus-json:FILE');
        }
        throw new EnvironmentError(`cannot run terminus: ${result.startError}`);
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
      return siteSecretsFromListed(parseTerminusSecretList(text, where), request);
    },
  };
}
