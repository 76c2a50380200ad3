import { setSecret } from '../../model/store-changes.js';
import { problemsWithValue } from '../../plan/value-check.js';
import { updateStore } from '../../sources/local-store.js';
import { scopeList, secretValue, siteTarget } from '../arguments.js';
import { defineCommand, storeFile, withNewSecretOptions } from '../command.js';
import type { Context } from '../context.js';
import { renderChange } from '../render/change.js';

export const secretSiteSetCommand = (ctx: Context) =>
  defineCommand({
    command: 'secret:site:set <target> <name> <value>',
    aliases: ['secret:set', 'secret-set'],
    describe: "Set a site secret, or its value for one environment with <site>.<env> (value '-' reads standard input)",
    builder: (y) =>
      withNewSecretOptions(y)
        .positional('target', { type: 'string', demandOption: true, describe: '<site> or <site>.<env>' })
        .positional('name', { type: 'string', demandOption: true })
        .positional('value', { type: 'string', demandOption: true }),
    handler: async (args) => {
      const { site, environment } = siteTarget(args.target);
      const owner = { kind: 'site' as const, name: site };
      const value = await secretValue(ctx, args.value);
      const file = storeFile(ctx, args);
      await updateStore(ctx.fs, ctx.lock, file, (store) =>
        setSecret(store, { owner, name: args.name, value, environment, type: args.type, scopes: scopeList(args.scope), checkValue: problemsWithValue }),
      );
      ctx.stdout.write(renderChange('set', owner, args.name, environment));
    },
  });
