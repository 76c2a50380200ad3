import { setSiteOrganization } from '../../model/store-changes.js';
import { updateStore } from '../../sources/local-store.js';
import { ownerName } from '../arguments.js';
import { defineCommand, storeFile } from '../command.js';
import type { Context } from '../context.js';

export const siteSetOrgCommand = (ctx: Context) =>
  defineCommand({
    command: 'site:set-org <site> <org>',
    describe: "Record the site's owning organization (its secrets are shared with the site)",
    builder: (y) =>
      y
        .positional('site', { type: 'string', demandOption: true, describe: "the site's name" })
        .positional('org', { type: 'string', demandOption: true, describe: "its organization's name" })
        .example('composer-secrets site:set-org shop acme', "shop's builds also get acme's secrets"),
    handler: async (args) => {
      const site = ownerName(args.site, 'site name');
      const org = ownerName(args.org, 'organization name');
      await updateStore(ctx.fs, ctx.lock, storeFile(ctx, args), (store) => setSiteOrganization(store, site, org));
      ctx.stdout.write(`Site '${site}' now belongs to organization '${org}'.\n`);
    },
  });
