// secret:site:list and secret:org:list with --source pantheon or https://...: the listing
// read from the customer-secrets service (one GET, by UUID), row by row as the Terminus
// plugin lists the answer: name, type, value, scopes, env-values and, for a site,
// org-values. A value is shown only for a secret with the `user` scope, as in every
// listing (the service hides the others from a person anyway); a name that breaks its
// type's rules is shown by its position, never quoted (it may be a pasted value).
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { customerSecretsClient } from '../sources/http-api.js';
import type { ListedSecret } from '../sources/listed-secret.js';
import { organizationSecretsFromPantheonAnswer, parsePantheonAnswer } from '../sources/pantheon-answer.js';
import { requireUuid } from '../sources/site-uuid.js';
import { parseSourceSpec } from '../sources/source-spec.js';
import { apiClientOptions } from './build-input.js';
import type { Context } from './context.js';
import type { ListingRow } from './render/secret-listing.js';

export function withListingSource<T>(y: Argv<T>) {
  return y.option('source', { type: 'string', describe: 'store (default), pantheon, or https://HOST/customer-secrets/v1 (by UUID)' });
}

export type ApiListing = {
  site(site: string): Promise<ListingRow[]>;
  organization(org: string): Promise<ListingRow[]>;
};

function rowOf(secret: ListedSecret, kind: 'site' | 'org'): ListingRow {
  const shown = secret.scopes.includes('user');
  const values = (map: Readonly<Record<string, string | null>>) =>
    Object.entries(map).map(([key, value]) => [key, shown ? value : null] as const);
  return {
    name: secret.shownAs ?? secret.name,
    type: secret.type,
    value: shown ? (secret.value ?? null) : null,
    scopes: secret.scopes,
    envValues: values(secret.envValues),
    ...(kind === 'site' ? { orgValues: values(secret.orgValues) } : {}),
  };
}

/** The service named by --source, or undefined for the local store (no --source, or `store`). */
export function listingFromApi(ctx: Context, source: string | undefined): ApiListing | undefined {
  if (source === undefined) return undefined;
  const spec = parseSourceSpec(source);
  if (spec.kind === 'store') return undefined;
  if (spec.kind !== 'http-api')
    throw new UsageError('--source: the listings read the local store (store), pantheon or https://HOST/customer-secrets/v1');
  const client = customerSecretsClient(apiClientOptions(ctx, spec.baseUrl));
  async function answer(kind: 'site' | 'organization', uuid: string) {
    const { url, text } = await client.read({ kind, uuid });
    const where = `the answer of GET ${url}`;
    return { answer: parsePantheonAnswer(text, where), where };
  }
  return {
    async site(site) {
      // `<site>.<env>` as Terminus takes it: the listing is the same for every environment.
      const read = await answer('site', requireUuid(site.split('.')[0] ?? site, 'site', '<site>'));
      return read.answer.secrets.map((secret) => rowOf(secret, 'site'));
    },
    async organization(org) {
      const read = await answer('organization', requireUuid(org, 'organization', '<org>'));
      // Refuses a site's answer where an organization's was asked for.
      organizationSecretsFromPantheonAnswer(read.answer, read.where);
      return read.answer.secrets.map((secret) => rowOf(secret, 'org'));
    },
  };
}
