// One secret as Pantheon's tools show it to a site, and what it gives each owner.
//
// The service's read answer, the local-development file (the same document) and a Terminus
// listing show one row per name: the site's own base value (`Value` / `value`), the site's
// overrides (`EnvValues` / `env-values`) and the organization's values of the same name
// (`OrgValues` / `org-values`: `default` is its base value, other keys its overrides). Per
// row, following the plugin's Integrated Composer rules:
// - A non-empty `value` ("0" included: a value, though PHP's SDK reads it as empty) is the
//   SITE's secret, with the site's overrides. An organization value under it is kept as
//   the organization's secret: the site's wins whole in resolution, so the plan shows it
//   shadowed, and an organization override never beats a site base value.
// - No site value (`null`, missing or `""`: how the service shows an organization-only
//   secret) and an organization value: the ORGANIZATION's secret, with its overrides.
// - No site value and nothing from the organization: the site's secret, with `""` as its
//   value when it was `""` (what the SDK reads), else with no visible value (hidden from
//   whoever read it: a person sees only `user` secrets). Planning refuses it only if the
//   build uses it.
// - Site overrides with no site value: the site holds the secret (an override needs its
//   base), whose base is not shown.
// `null` in the maps is an override deleted (the service sets it so) or not shown: absent.
// A row has one type and one scope list; both owners' secrets get them. Where a site's
// hidden value sits over an organization value this reader can see, the row reads as the
// organization's: the answer does not tell the two apart (see the README, Sources).
import * as z from 'zod/mini';
import type { Scope, SourceSecret, SourceSecretMap, SourceSecretType } from '../model/secret.js';
import type { FetchRequest, SiteSecrets } from './source.js';

/** The organization's name when the source does not record it and --org was not given. */
export const UNKNOWN_ORGANIZATION = '(organization)';

/** PHP writes an empty map as `[]`; a map may also come as null: both read as `{}`. */
export const emptyMapAsObject = (input: unknown): unknown => (input === null || (Array.isArray(input) && input.length === 0) ? {} : input);

/** Environment (or `default`) -> value; null = deleted or not shown. Keys are only looked up, never printed. */
export const ValuesByKey = z.pipe(z.transform(emptyMapAsObject), z.record(z.string(), z.nullable(z.string())));

/** One secret as a listing shows it, whatever the format (Terminus rows, the service's answer). */
export type ListedSecret = {
  name: string;
  type: SourceSecretType;
  scopes: readonly Scope[];
  /** The site's own base value as listed: a string, or null/undefined when none is shown. */
  value: string | null | undefined;
  /** The site's overrides. */
  envValues: Readonly<Record<string, string | null>>;
  /** `default`: the organization's base value; other keys: the organization's overrides. */
  orgValues: Readonly<Record<string, string | null>>;
  /** Where the name was read, for a name that may not be printed (SourceSecret.shownAs). */
  shownAs: string | undefined;
};

/** The values of a map that are there: null is an override deleted or not shown. */
export function presentValues(values: Readonly<Record<string, string | null>>, without?: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) if (key !== without && value !== null) out[key] = value;
  return out;
}

/** The row's secret as one owner holds it: the row's type and scopes (each once), with this owner's values. */
export function ownedSecret(secret: ListedSecret, value: string | null, overrides: Record<string, string>): SourceSecret {
  return { type: secret.type, scopes: [...new Set(secret.scopes)], value, overrides, shownAs: secret.shownAs };
}

/** What one listed secret gives the site and the organization (the rules at the top). */
function layersOfListedSecret(secret: ListedSecret): { site?: SourceSecret; organization?: SourceSecret } {
  const siteOverrides = presentValues(secret.envValues);
  const orgDefault = secret.orgValues.default;
  const orgBase = orgDefault === '' ? null : (orgDefault ?? null);
  const orgOverrides = presentValues(secret.orgValues, 'default');
  const secretWith = (value: string | null, overrides: Record<string, string>) => ownedSecret(secret, value, overrides);
  const hasOrganization = orgBase !== null || Object.keys(orgOverrides).length > 0;
  const organization = hasOrganization ? secretWith(orgBase, orgOverrides) : undefined;
  const listed = secret.value ?? null;
  if (listed !== null && listed !== '') return { site: secretWith(listed, siteOverrides), organization };
  if (organization !== undefined && Object.keys(siteOverrides).length === 0) return { organization };
  // "" is a value the SDK reads as it is; null or missing is none shown.
  return { site: secretWith(listed, siteOverrides), organization };
}

/** Every listed secret's layers, by owner. */
export function ownerSecretsOfListed(listed: readonly ListedSecret[]): { site: SourceSecretMap; organization: SourceSecretMap } {
  const site: Record<string, SourceSecret> = {};
  const organization: Record<string, SourceSecret> = {};
  for (const secret of listed) {
    const layers = layersOfListedSecret(secret);
    if (layers.site !== undefined) site[secret.name] = layers.site;
    if (layers.organization !== undefined) organization[secret.name] = layers.organization;
  }
  return { site, organization };
}

/** Listed secrets as the site's and its organization's; the organization named by --org or a placeholder. */
export function siteSecretsFromListed(listed: readonly ListedSecret[], request: FetchRequest): SiteSecrets {
  const { site, organization } = ownerSecretsOfListed(listed);
  const hasOrganization = request.organization !== undefined || Object.keys(organization).length > 0;
  return {
    site: { name: request.site, secrets: site },
    organization: hasOrganization ? { name: request.organization ?? UNKNOWN_ORGANIZATION, secrets: organization } : undefined,
  };
}
