// secret:site:set and secret:org:set: one command per owner kind, alike but for how the
// owner and the environment are named (Terminus's <site>.<env>, an organization's --env).

import type { OwnerKind } from '../../model/secret.js';
import { setSecret } from '../../model/store-changes.js';
import { problemsWithValue } from '../../plan/value-check.js';
import { updateStore } from '../../sources/local-store.js';
import { scopeList, secretValue } from '../arguments.js';
import { defineCommand, storeFile, withNewSecretOptions } from '../command.js';
import type { Context } from '../context.js';
import { renderChange } from '../render/change.js';
import { OWNER_KINDS } from './secret-owner.js';

export const secretSetCommand = (ctx: Context, kind: OwnerKind) => {
  const owner = OWNER_KINDS[kind];
  return defineCommand({
    command: `secret:${kind}:set ${owner.positional} <name> <value>`,
    aliases: owner.aliases.set,
    describe: `Set ${owner.a} secret, or its value for one environment with ${owner.envSyntax} (value '-' reads standard input)`,
    builder: (y) =>
      owner
        .withEnvironment(withNewSecretOptions(y), "set only that environment's override")
        .positional('name', {
          type: 'string',
          demandOption: true,
          describe:
            "the secret's name: a variable name for an env secret, " +
            'a Composer key (http-basic.HOST, bearer.HOST, ...) for a composer secret',
        })
        .positional('value', {
          type: 'string',
          demandOption: true,
          describe: "the value; '-' reads it from standard input, exactly as given (keeps it out of the shell history)",
        })
        .example(...owner.examples.set),
    handler: async (args) => {
      const { name: ownerName, environment } = owner.target(args);
      const ref = { kind, name: ownerName };
      const scopes = scopeList(args.scope);
      const value = await secretValue(ctx, args.value);
      await updateStore(ctx.fs, ctx.lock, storeFile(ctx, args), (store) =>
        setSecret(store, { owner: ref, name: args.name, value, environment, type: args.type, scopes, checkValue: problemsWithValue }),
      );
      ctx.stdout.write(renderChange('set', ref, args.name, environment));
    },
  });
};
