import { setSecret } from '../../model/store-changes.js';
import { problemsWithValue } from '../../plan/value-check.js';
import { updateStore } from '../../sources/local-store.js';
import { ownerName, scopeList, secretValue } from '../arguments.js';
import { defineCommand, storeFile, withNewSecretOptions } from '../command.js';
import type { Context } from '../context.js';
import { renderChange } from '../render/change.js';

export const secretOrgSetCommand = (ctx: Context) =>
  defineCommand({
    command: 'secret:org:set <org> <name> <value>',
    aliases: ['secret-org-set'],
    describe: "Set an organization secret, or its value for one environment with --env (value '-' reads standard input)",
    builder: (y) =>
      withNewSecretOptions(y)
        .positional('org', { type: 'string', demandOption: true })
        .positional('name', { type: 'string', demandOption: true })
        .positional('value', { type: 'string', demandOption: true })
        .option('env', { type: 'string', describe: 'set the override for this environment' }),
    handler: async (args) => {
      const owner = { kind: 'org' as const, name: ownerName(args.org, 'organization name') };
      const environment = args.env === undefined ? undefined : ownerName(args.env, 'environment name (--env)');
      const value = await secretValue(ctx, args.value);
      await updateStore(ctx.fs, ctx.lock, storeFile(ctx, args), (store) =>
        setSecret(store, { owner, name: args.name, value, environment, type: args.type, scopes: scopeList(args.scope), checkValue: problemsWithValue }),
      );
      ctx.stdout.write(renderChange('set', owner, args.name, environment));
    },
  });
