import { ownerSecretsInStore, readStore } from '../../sources/local-store.js';
import { listingFromApi, withListingSource } from '../api-listing.js';
import { ownerName } from '../arguments.js';
import { defineCommand, storeFile } from '../command.js';
import type { Context } from '../context.js';
import { LISTING_FORMATS, listingRowsOfOrganization } from '../render/secret-listing.js';
import { writeListing } from './listing-output.js';

export const secretOrgListCommand = (ctx: Context) =>
  defineCommand({
    command: 'secret:org:list <org>',
    aliases: ['secret-org-list'],
    describe: "List an organization's secrets, as Terminus does (values only where the secret has the user scope)",
    builder: (y) =>
      withListingSource(y)
        .positional('org', { type: 'string', demandOption: true })
        .option('format', { choices: LISTING_FORMATS, default: 'table' as const, describe: 'table: name, type, value, scopes, overrides; json: the same, overrides as env-values' }),
    handler: async (args) => {
      const api = listingFromApi(ctx, args.source);
      if (api !== undefined) {
        writeListing(ctx, await api.organization(args.org), 'org', args.format);
        return;
      }
      const owner = { kind: 'org' as const, name: ownerName(args.org, 'organization name') };
      const file = storeFile(ctx, args);
      writeListing(ctx, listingRowsOfOrganization(ownerSecretsInStore(await readStore(ctx.fs, file, { mustExist: true }), owner, file)), 'org', args.format);
    },
  });
