import { deleteSecret } from '../../model/store-changes.js';
import { updateStore } from '../../sources/local-store.js';
import { ownerName } from '../arguments.js';
import { defineCommand, storeFile } from '../command.js';
import type { Context } from '../context.js';
import { renderChange } from '../render/change.js';

export const secretOrgDeleteCommand = (ctx: Context) =>
  defineCommand({
    command: 'secret:org:delete <org> <name>',
    describe: 'Delete an organization secret, or only its override with --env',
    builder: (y) =>
      y
        .positional('org', { type: 'string', demandOption: true })
        .positional('name', { type: 'string', demandOption: true })
        .option('env', { type: 'string', describe: 'delete only the override for this environment' }),
    handler: async (args) => {
      const owner = { kind: 'org' as const, name: ownerName(args.org, 'organization name') };
      const environment = args.env === undefined ? undefined : ownerName(args.env, 'environment name (--env)');
      await updateStore(ctx.fs, ctx.lock, storeFile(ctx, args), (store) => deleteSecret(store, { owner, name: args.name, environment }));
      ctx.stdout.write(renderChange('deleted', owner, args.name, environment));
    },
  });
