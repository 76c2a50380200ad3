import { deleteSecret } from '../../model/store-changes.js';
import { updateStore } from '../../sources/local-store.js';
import { siteTarget } from '../arguments.js';
import { defineCommand, storeFile } from '../command.js';
import type { Context } from '../context.js';
import { renderChange } from '../render/change.js';

export const secretSiteDeleteCommand = (ctx: Context) =>
  defineCommand({
    command: 'secret:site:delete <target> <name>',
    describe: 'Delete a site secret, or only its override with <site>.<env>',
    builder: (y) =>
      y.positional('target', { type: 'string', demandOption: true, describe: '<site> or <site>.<env>' }).positional('name', { type: 'string', demandOption: true }),
    handler: async (args) => {
      const { site, environment } = siteTarget(args.target);
      const owner = { kind: 'site' as const, name: site };
      await updateStore(ctx.fs, ctx.lock, storeFile(ctx, args), (store) => deleteSecret(store, { owner, name: args.name, environment }));
      ctx.stdout.write(renderChange('deleted', owner, args.name, environment));
    },
  });
