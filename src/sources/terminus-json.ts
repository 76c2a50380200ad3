// Terminus as a source: the output of `terminus secret:site:list <site> --format=json`,
// read from a file or stdin (running terminus is terminus-command.ts).
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
import { InvalidDocumentError } from '../errors.js';
import { problemWithSecretName, RESERVED_SECRET_NAME } from '../model/names.js';
import { Scope, SourceSecretType } from '../model/secret.js';
import { checkDocument, describeIssues, messagePath } from '../validation/issue-messages.js';
import { parseJsonSafely } from '../validation/json-text.js';
import { emptyMapAsObject, type ListedSecret, siteSecretsFromListed, ValuesByKey } from './listed-secret.js';
import type { FetchRequest, SecretSource, SiteSecrets } from './source.js';

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
  const invalid = (issues: readonly z.core.$ZodIssue[]) =>
    new InvalidDocumentError(where, `${where} is not valid ${WHAT}`, describeIssues(issues, { document }));
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
    listed = Object.entries(parsed.value).map(([key, row]) =>
      listedFromRow(key, row, () => messagePath([key], { document, keysAtFault: new Set([key]) })),
    );
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
