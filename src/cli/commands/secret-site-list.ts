import { ownerSecretsInStore, readStore } from '../../sources/local-store.js';
import { listingFromApi, renderApiListing, withListingSource } from '../api-listing.js';
import { ownerName } from '../arguments.js';
import { defineCommand, storeFile } from '../command.js';
import type { Context } from '../context.js';
import { LISTING_FORMATS, renderListing } from '../render/secret-listing.js';

export const secretSiteListCommand = (ctx: Context) =>
  defineCommand({
    command: 'secret:site:list <site>',
    describe: "List a site's own secrets (values only where the secret has the user scope)",
    builder: (y) => withListingSource(y).positional('site', { type: 'string', demandOption: true }).option('format', { choices: LISTING_FORMATS, default: 'table' as const }),
    handler: async (args) => {
      const api = listingFromApi(ctx, args.source);
      if (api !== undefined) {
        ctx.stdout.write(renderApiListing(await api.site(args.site), args.format));
        return;
      }
      const owner = { kind: 'site' as const, name: ownerName(args.site, 'site name') };
      const file = storeFile(ctx, args);
      ctx.stdout.write(renderListing(ownerSecretsInStore(await readStore(ctx.fs, file), owner, file), args.format));
    },
  });
