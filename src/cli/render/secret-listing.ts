// secret:site:list and secret:org:list as Terminus prints them. Rendering is a function
// of listing rows, whatever source they came from; listingRowsOf* make them from the
// local store. A value is shown only for a secret with the `user` scope, as the
// service shows it to a person.
import type { Secret, SecretMap } from '../../model/secret.js';
import { type PhpJsonValue, PhpObject, phpJsonPretty } from './php-json.js';
import { renderTerminusTable } from './terminus-table.js';

export const REDACTED = '[REDACTED]';

/** Environment (or `default`) -> value, in order; null when hidden. */
export type ListingValues = readonly (readonly [string, string | null])[];

/** One row of a listing, in the order and with the fields of Terminus's rows. */
export type ListingRow = {
  name: string;
  type: string;
  /** The owner's own base value; null when hidden, or (in a site listing) when only the organization has the secret. */
  value: string | null;
  scopes: readonly string[];
  /** The owner's overrides. */
  envValues: ListingValues;
  /** Site listings only: the organization's values of the same name, its base value as `default` first, then its overrides. */
  orgValues?: ListingValues | undefined;
};

export type ListingKind = 'site' | 'org';

const readable = (secret: Secret) => secret.scopes.includes('user');

function valuesOf(secret: Secret): { value: string | null; envValues: ListingValues } {
  const shown = readable(secret);
  return {
    value: shown ? secret.value : null,
    envValues: Object.entries(secret.overrides).map(([env, value]) => [env, shown ? value : null] as const),
  };
}

/** The organization's secret as a site row's `org-values`. */
function orgValuesOf(secret: Secret | undefined): ListingValues {
  if (secret === undefined) return [];
  const { value, envValues } = valuesOf(secret);
  return [['default', value], ...envValues];
}

/** An organization's listing: its secrets in the store's order. */
export function listingRowsOfOrganization(secrets: SecretMap): ListingRow[] {
  return Object.entries(secrets).map(([name, secret]) => ({ name, type: secret.type, scopes: secret.scopes, ...valuesOf(secret) }));
}

/**
 * A site's listing as the service answers it: the site's secrets in the store's order, each
 * with the organization's values of the same name; then the organization's other secrets,
 * with no value of the site's (value null) and their values under `org-values`.
 */
export function listingRowsOfSite(site: SecretMap, organization: SecretMap | undefined): ListingRow[] {
  const org = organization ?? {};
  const own = Object.entries(site).map(([name, secret]) => ({
    name,
    type: secret.type,
    scopes: secret.scopes,
    ...valuesOf(secret),
    orgValues: orgValuesOf(Object.hasOwn(org, name) ? org[name] : undefined),
  }));
  const inherited = Object.entries(org)
    .filter(([name]) => !Object.hasOwn(site, name))
    .map(([name, secret]) => ({
      name,
      type: secret.type,
      scopes: secret.scopes,
      value: null,
      envValues: [],
      orgValues: orgValuesOf(secret),
    }));
  return [...own, ...inherited];
}

/** What Terminus warns on standard error when a listing is empty (and exits 0). */
export const NO_SECRETS_WARNING = 'You have no Secrets.';

const valuesJson = (values: ListingValues) =>
  new PhpObject(
    values.map(([key, value]) => [key, value] as const),
    '[]',
  );

/** `--format json`: an object keyed by name (`[]` when empty), as Terminus prints it, with a final newline. */
export function renderListingJson(rows: readonly ListingRow[], kind: ListingKind): string {
  const byName = new PhpObject(
    rows.map((row) => {
      const fields: [string, PhpJsonValue][] = [
        ['name', row.name],
        ['type', row.type],
        ['value', row.value],
        ['scopes', [...row.scopes]],
        ['env-values', valuesJson(row.envValues)],
      ];
      if (kind === 'site') fields.push(['org-values', valuesJson(row.orgValues ?? [])]);
      return [row.name, new PhpObject(fields)] as const;
    }),
    '[]',
  );
  return `${phpJsonPretty(byName, { escapeSlashes: false })}\n`;
}

/** PHP's truthiness of a string: Terminus's table redacts "" and "0" as it does a hidden value. */
const shownInTable = (value: string | null): string => (value === null || value === '' || value === '0' ? REDACTED : value);

const SITE_COLUMNS = ['Secret name', 'Secret type', 'Secret value', 'Secret scopes'];
// secret:org:list declares no default fields, so Terminus shows them all.
const ORG_COLUMNS = [...SITE_COLUMNS, 'Environment override values'];

/** `--format table`: Terminus's default columns and labels. */
export function renderListingTable(rows: readonly ListingRow[], kind: ListingKind): string {
  return renderTerminusTable(
    kind === 'site' ? SITE_COLUMNS : ORG_COLUMNS,
    rows.map((row) => {
      const cells = [row.name, row.type, shownInTable(row.value), row.scopes.join(', ')];
      if (kind === 'org') cells.push(row.envValues.map(([env, value]) => `${env}=${shownInTable(value)}`).join(', '));
      return cells;
    }),
  );
}

export const LISTING_FORMATS = ['table', 'json'] as const;
export type ListingFormat = (typeof LISTING_FORMATS)[number];

export function renderListing(rows: readonly ListingRow[], kind: ListingKind, format: ListingFormat): string {
  return format === 'json' ? renderListingJson(rows, kind) : renderListingTable(rows, kind);
}
