// Pantheon's customer-secrets read answer, which is also the local-development file
// (`terminus secret:site:local-generate` writes the answer as it is; the PHP SDK reads it
// through CUSTOMER_SECRETS_FAKE_FILE):
//   site:          {"SiteID"?, "Secrets": {NAME: {"Type", "Value", "Scopes", "EnvValues"?, "OrgValues"?}}, "Count"?, ...}
//   organization:  {"OrgID"?, "Secrets": {NAME: {"Type", "Value", "Scopes", "EnvValues"?}}}
// Read liberally, as the real code writes it: PHP's `[]` for an empty map, `null` for a
// map, a missing `Value` or map, `null` values (hidden from the reader, or deleted
// overrides), `file`/`vcs` types, names outside our rules, and keys we do not use. Each
// secret's site and organization values are mapped as listed-secret.ts says; what a build
// may use is decided by planning. Refused (exit 2, by JSON path, never quoting a value): a
// text that is not JSON, no `Secrets` object, an entry without a known `Type` or a
// `Scopes` list of known scopes, a value or map of another JSON type, a `__proto__` key.
import * as z from 'zod/mini';
import { InvalidDocumentError, UsageError } from '../errors.js';
import { problemWithSecretName } from '../model/names.js';
import { Scope, type SourceSecret, type SourceSecretMap, SourceSecretType } from '../model/secret.js';
import { checkDocument, describeIssues, messagePath } from '../validation/issue-messages.js';
import { parseJsonSafely } from '../validation/json-text.js';
import { emptyMapAsObject, type ListedSecret, ownedSecret, presentValues, siteSecretsFromListed, ValuesByKey } from './listed-secret.js';
import { UUID_PATTERN } from './site-uuid.js';
import type { FetchRequest, SiteSecrets } from './source.js';

const AnswerSecret = z.object({
  Type: SourceSecretType,
  Value: z.optional(z.nullable(z.string())),
  Scopes: z.array(Scope),
  EnvValues: z.optional(ValuesByKey),
  OrgValues: z.optional(ValuesByKey),
});

const Answer = z.object({
  SiteID: z.optional(z.unknown()),
  OrgID: z.optional(z.unknown()),
  Secrets: z.pipe(z.transform(emptyMapAsObject), z.record(z.string(), AnswerSecret)),
});

export type PantheonAnswer = {
  /** `SiteID` when it is a string (a site's answer). */
  siteId: string | undefined;
  /** `OrgID` when it is a string (an organization's answer). */
  organizationId: string | undefined;
  secrets: readonly ListedSecret[];
};

const WHAT = 'Pantheon secrets answer ({"Secrets": {...}})';

/**
 * The answer (or local-development file) `text`, validated; `where` names it in messages.
 * Problems are reported by JSON path; a name that breaks its type's rules is never quoted.
 */
export function parsePantheonAnswer(text: string, where: string): PantheonAnswer {
  const json = parseJsonSafely(text);
  if (!json.ok) throw new InvalidDocumentError(where, `${where} ${json.problem}`);
  const document = json.value;
  const parsed = checkDocument(Answer, document);
  if (!parsed.ok) throw new InvalidDocumentError(where, `${where} is not a valid ${WHAT}`, describeIssues(parsed.issues, { document }));
  const secrets = Object.entries(parsed.value.Secrets).map(
    ([name, secret]): ListedSecret => ({
      name,
      type: secret.Type,
      scopes: secret.Scopes,
      value: secret.Value,
      envValues: secret.EnvValues ?? {},
      orgValues: secret.OrgValues ?? {},
      shownAs:
        problemWithSecretName(name, secret.Type) === undefined
          ? undefined
          : messagePath(['Secrets', name], { document, keysAtFault: new Set([name]) }),
    }),
  );
  const { SiteID, OrgID } = parsed.value;
  return {
    siteId: typeof SiteID === 'string' ? SiteID : undefined,
    organizationId: typeof OrgID === 'string' ? OrgID : undefined,
    secrets,
  };
}

/**
 * The site's and its organization's secrets in a site's answer (listed-secret.ts maps each
 * entry). When both the site asked for and the answer's `SiteID` are UUIDs, they must be
 * the same site: an answer for another site is refused rather than built with. (A site
 * asked for by name cannot be compared: the answer holds only the UUID.)
 */
export function siteSecretsFromPantheonAnswer(answer: PantheonAnswer, request: FetchRequest, where: string): SiteSecrets {
  const siteId = answer.siteId ?? '';
  if (UUID_PATTERN.test(siteId) && UUID_PATTERN.test(request.site) && siteId.toLowerCase() !== request.site.toLowerCase()) {
    throw new UsageError(`${where} holds the secrets of site ${siteId.toLowerCase()}, not ${request.site.toLowerCase()}`);
  }
  return siteSecretsFromListed(answer.secrets, request);
}

/**
 * An organization's own secrets from the organization endpoint's answer: `Value` its base
 * value (null when not shown), `EnvValues` its overrides. A site's answer (it has `SiteID`,
 * or `OrgValues` in an entry) is refused: its values are the site's.
 */
export function organizationSecretsFromPantheonAnswer(
  answer: PantheonAnswer,
  where: string,
): { organizationId: string | undefined; secrets: SourceSecretMap } {
  if (answer.siteId !== undefined || answer.secrets.some((secret) => Object.keys(secret.orgValues).length > 0)) {
    throw new InvalidDocumentError(where, `${where} is a site's answer (it has SiteID or OrgValues), not an organization's`);
  }
  const secrets: Record<string, SourceSecret> = {};
  for (const secret of answer.secrets) {
    secrets[secret.name] = ownedSecret(secret, secret.value ?? null, presentValues(secret.envValues));
  }
  return { organizationId: answer.organizationId, secrets };
}
