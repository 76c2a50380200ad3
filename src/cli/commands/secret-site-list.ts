import { readStore, siteSecretsForListing } from '../../sources/local-store.js';
import { siteTarget } from '../arguments.js';
import { listingFromApi, withListingSource } from '../api-listing.js';
import { defineCommand, storeFile } from '../command.js';
import type { Context } from '../context.js';
import { LISTING_FORMATS, listingRowsOfSite } from '../render/secret-listing.js';
import { writeListing } from './listing-output.js';

export const secretSiteListCommand = (ctx: Context) =>
  defineCommand({
    command: 'secret:site:list <site>',
    aliases: ['secret:list', 'secrets'],
    describe: "List a site's secrets and its organization's, as Terminus does (values only where the secret has the user scope)",
    builder: (y) =>
      withListingSource(y)
        .positional('site', { type: 'string', demandOption: true, describe: '<site>, or <site>.<env> (the environment is ignored, as by Terminus)' })
        .option('format', { choices: LISTING_FORMATS, default: 'table' as const, describe: 'table: name, type, value, scopes; json: also env-values and org-values' })
        .epilog(
          'Rows of the organization show its values under org-values (default: its base value). Values of secrets without the user scope are null in json and [REDACTED] in the table.',
        ),
    handler: async (args) => {
      const api = listingFromApi(ctx, args.source);
      if (api !== undefined) {
        writeListing(ctx, await api.site(args.site), 'site', args.format);
        return;
      }
      const { site, environment } = siteTarget(args.site);
      const file = storeFile(ctx, args);
      const secrets = siteSecretsForListing(await readStore(ctx.fs, file, { mustExist: true }), site, file);
      if (environment !== undefined) {
        ctx.stderr.write(`composer-secrets: note: the listing is the same for every environment; overrides are under env-values and org-values (${environment} is not applied)\n`);
      }
      writeListing(ctx, listingRowsOfSite(secrets.site, secrets.organization?.secrets), 'site', args.format);
    },
  });
