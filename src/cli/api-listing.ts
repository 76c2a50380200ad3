// secret:site:list and secret:org:list with --source pantheon or https://...: the listing
// read from the customer-secrets service (one GET), by UUID. The commands render it.
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import type { SecretMap } from '../model/secret.js';
import { customerSecretsClient } from '../sources/http-api.js';
import { organizationSecretsFromPantheonAnswer, parsePantheonAnswer, siteSecretsFromPantheonAnswer } from '../sources/pantheon-answer-interim.js';
import { requireUuid } from '../sources/site-uuid.js';
import type { SiteSecrets } from '../sources/source.js';
import { parseSourceSpec } from '../sources/source-spec.js';
import { apiClientOptions } from './build-input.js';
import type { Context } from './context.js';

export function withListingSource<T>(y: Argv<T>) {
  return y.option('source', { type: 'string', describe: 'store (default), pantheon, or https://HOST/customer-secrets/v1 (by UUID)' });
}

export type ApiListing = {
  site(site: string): Promise<SiteSecrets>;
  organization(org: string): Promise<SecretMap>;
};

/** The service named by --source, or undefined for the local store (no --source, or `store`). */
export function listingFromApi(ctx: Context, source: string | undefined): ApiListing | undefined {
  if (source === undefined) return undefined;
  const spec = parseSourceSpec(source);
  if (spec.kind === 'store') return undefined;
  if (spec.kind !== 'http-api') throw new UsageError('--source: the listings read the local store (store), pantheon or https://HOST/customer-secrets/v1');
  const client = customerSecretsClient(apiClientOptions(ctx, spec.baseUrl));
  return {
    async site(site) {
      const uuid = requireUuid(site, 'site', '<site>');
      const { url, text } = await client.read({ kind: 'site', uuid });
      const where = `the answer of GET ${url}`;
      return siteSecretsFromPantheonAnswer(parsePantheonAnswer(text, where), { site: uuid }, where);
    },
    async organization(org) {
      const uuid = requireUuid(org, 'organization', '<org>');
      const { url, text } = await client.read({ kind: 'organization', uuid });
      const where = `the answer of GET ${url}`;
      return organizationSecretsFromPantheonAnswer(parsePantheonAnswer(text, where), where);
    },
  };
}
