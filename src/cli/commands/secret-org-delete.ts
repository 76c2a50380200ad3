import { ownerName } from '../arguments.js';
import { defineCommand, storeFile } from '../command.js';
import type { Context } from '../context.js';
import { deleteAndReport } from './delete-secret.js';

export const secretOrgDeleteCommand = (ctx: Context) =>
  defineCommand({
    command: 'secret:org:delete <org> <name>',
    aliases: ['secret-org-delete'],
    describe: 'Delete an organization secret, or only its override with --env',
    builder: (y) =>
      y
        .positional('org', { type: 'string', demandOption: true })
        .positional('name', { type: 'string', demandOption: true })
        .option('env', { type: 'string', describe: 'delete only the override for this environment' })
        .epilog('Deleting an override that is not there succeeds and changes nothing, as with Terminus.'),
    handler: async (args) => {
      const owner = { kind: 'org' as const, name: ownerName(args.org, 'organization name') };
      const environment = args.env === undefined ? undefined : ownerName(args.env, 'environment name (--env)');
      await deleteAndReport(ctx, storeFile(ctx, args), owner, args.name, environment);
    },
  });
