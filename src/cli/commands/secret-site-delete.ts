import { siteTarget } from '../arguments.js';
import { defineCommand, storeFile } from '../command.js';
import type { Context } from '../context.js';
import { deleteAndReport } from './delete-secret.js';

export const secretSiteDeleteCommand = (ctx: Context) =>
  defineCommand({
    command: 'secret:site:delete <target> <name>',
    aliases: ['secret:delete', 'secret-delete'],
    describe: 'Delete a site secret, or only its override with <site>.<env>',
    builder: (y) =>
      y
        .positional('target', { type: 'string', demandOption: true, describe: '<site>, or <site>.<env> for only that environment\'s override' })
        .positional('name', { type: 'string', demandOption: true })
        .epilog("Deleting an override that is not there succeeds and changes nothing, as with Terminus. Deleting the site's secret makes the organization's secret of that name visible again."),
    handler: async (args) => {
      const { site, environment } = siteTarget(args.target);
      await deleteAndReport(ctx, storeFile(ctx, args), { kind: 'site', name: site }, args.name, environment);
    },
  });
