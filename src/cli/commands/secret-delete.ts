// secret:site:delete and secret:org:delete: the change under the store's lock, then what it did.

import type { OwnerKind } from '../../model/secret.js';
import { deleteSecret } from '../../model/store-changes.js';
import { updateStore } from '../../sources/local-store.js';
import { defineCommand, storeFile } from '../command.js';
import type { Context } from '../context.js';
import { renderChange, renderNoOverrideDeleted } from '../render/change.js';
import { OWNER_KINDS } from './secret-owner.js';

const EPILOG = {
  site:
    'Deleting an override that is not there succeeds and changes nothing, as with Terminus. ' +
    "Deleting the site's secret makes the organization's secret of that name visible again.",
  org: 'Deleting an override that is not there succeeds and changes nothing, as with Terminus.',
};

export const secretDeleteCommand = (ctx: Context, kind: OwnerKind) => {
  const owner = OWNER_KINDS[kind];
  return defineCommand({
    command: `secret:${kind}:delete ${owner.positional} <name>`,
    aliases: owner.aliases.delete,
    describe: `Delete ${owner.a} secret, or only its override with ${owner.envSyntax}`,
    builder: (y) =>
      owner
        .withEnvironment(y, "delete only that environment's override")
        .positional('name', { type: 'string', demandOption: true, describe: "the secret's name" })
        .example(...owner.examples.delete)
        .epilog(EPILOG[kind]),
    handler: async (args) => {
      const { name: ownerName, environment } = owner.target(args);
      const ref = { kind, name: ownerName };
      let changed = true;
      await updateStore(ctx.fs, ctx.lock, storeFile(ctx, args), (store) => {
        const next = deleteSecret(store, { owner: ref, name: args.name, environment });
        changed = next !== store;
        return next;
      });
      ctx.stdout.write(
        changed || environment === undefined
          ? renderChange('deleted', ref, args.name, environment)
          : renderNoOverrideDeleted(ref, args.name, environment),
      );
    },
  });
};
