// The platform's local-development secrets file as a source: what
// `terminus secret:site:local-generate` writes and the PHP SDK reads through
// CUSTOMER_SECRETS_FAKE_FILE:
//   {"Secrets": {"NAME": {"Type": "env", "Value": "v", "Scopes": ["ic", "user"]}}}
// optionally with `OrgValues` (`default` + organization overrides) and `EnvValues` (site
// overrides) per secret, and other top-level keys (SiteID, Count, ...), which are ignored.
//
// The file holds one site's values as the site sees them, so every secret becomes a SITE
// secret. Its value is chosen as in terminus-json.ts (the same data under other keys):
// `Value` when it is the site's own, else `OrgValues.default` as the SDK falls back to it;
// the overrides come with the value they belong to: `EnvValues` with the site's own value,
// the organization's with its default. Unlike a Terminus listing, a null `Value` is not
// taken as hidden: the SDK falls back to the default for it too. A secret with no value
// anywhere is an error (exit 2) naming it.
import * as z from 'zod/mini';
import { InvalidDocumentError, UsageError } from '../errors.js';
import { checkDocument, describeIssues, parseJsonSafely } from '../model/issues.js';
import { Scopes, SecretType, SecretValue, type SecretMap } from '../model/secret.js';
import { refuseOtherSiteId } from './site-uuid.js';
import type { FetchRequest, SecretSource, SiteSecrets } from './source.js';
import { checkListedNames, collectListedLayers, ValuesByEnvironment, type ListedSecret } from './terminus-json.js';

const SdkSecret = z.object({
  Type: SecretType,
  Value: z.optional(z.nullable(SecretValue)),
  Scopes: Scopes,
  OrgValues: z.optional(ValuesByEnvironment),
  EnvValues: z.optional(ValuesByEnvironment),
});

const SdkFile = z.object({
  // PHP writes an empty map as [].
  Secrets: z.pipe(z.transform((v) => (Array.isArray(v) && v.length === 0 ? {} : v)), z.record(z.string(), SdkSecret)),
});

const WHAT = 'local-development secrets file ({"Secrets": {...}})';

/** The file's secrets as listed, validated; problems by JSON path, never with values. */
export function parseSdkSecretsFile(text: string, where: string): ListedSecret[] {
  const json = parseJsonSafely(text);
  if (!json.ok) throw new InvalidDocumentError(where, `${where} ${json.problem}`);
  const parsed = checkDocument(SdkFile, json.value);
  if (!parsed.ok) throw new InvalidDocumentError(where, `${where} is not a valid ${WHAT}`, describeIssues(parsed.issues, { document: json.value }));
  const listed = Object.entries(parsed.value.Secrets).map(
    ([name, secret]): ListedSecret => ({
      name,
      type: secret.Type,
      scopes: secret.Scopes,
      value: secret.Value,
      envValues: secret.EnvValues ?? {},
      orgValues: secret.OrgValues ?? {},
      path: ['Secrets', name],
    }),
  );
  checkListedNames(listed, json.value, where, WHAT);
  return listed;
}

/** Every secret as the site's own, with the value the site sees. */
export function siteSecretsFromSdkFile(listed: readonly ListedSecret[], site: string, where: string): SiteSecrets {
  const layers = collectListedLayers(listed, () => 'absent', where, {
    unreadable: '',
    noValue:
      'the file holds a value only for secrets its maker could read (the `user` scope): generate it again with terminus secret:site:local-generate, or use another --source',
  });
  const secrets: SecretMap = { ...layers.organization, ...layers.site };
  return { site: { name: site, secrets } };
}

/**
 * The local-development file for one site. `site`, when given, is the site the file was
 * generated for: a request for another site is refused rather than answered with its values.
 */
export function sdkJsonSource(options: { read: () => Promise<string>; description: string; site?: string | undefined }): SecretSource {
  return {
    description: options.description,
    async fetch(request: FetchRequest): Promise<SiteSecrets> {
      if (options.site !== undefined && options.site !== request.site) {
        throw new UsageError(`${options.description} holds the secrets of site '${options.site}', not '${request.site}'`);
      }
      const text = await options.read();
      refuseOtherSiteId(text, request.site, options.description);
      return siteSecretsFromSdkFile(parseSdkSecretsFile(text, options.description), request.site, options.description);
    },
  };
}
