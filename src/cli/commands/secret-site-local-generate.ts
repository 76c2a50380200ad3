import path from 'node:path';
import { writeWarning } from '../../context.js';
import { counted } from '../../counted.js';
import { UsageError } from '../../errors.js';
import { withLock } from '../../io/process-lock.js';
import { writeSecretFile } from '../../io/secret-file.js';
import { resolveForEnvironment, visibleTo } from '../../resolve/resolve-for-environment.js';
import { warnIfAuthFileMayBeCommitted } from '../../run/git-check.js';
import { readStore, siteSecretsForListing } from '../../sources/local-store.js';
import { ownerName, siteTarget } from '../arguments.js';
import { defineCommand, storeFile } from '../command.js';
import type { Context } from '../context.js';
import { renderLocalSecretsFile } from '../render/local-secrets-file.js';

/** The scope of the application at run time: what pantheon_get_secret() can read. */
const RUNTIME_SCOPE = 'web';
/** No override is stored under an empty name (environment names are checked), so only base values are taken. */
const BASE_VALUES = '';

export const secretSiteLocalGenerateCommand = (ctx: Context) =>
  defineCommand({
    command: 'secret:site:local-generate <site>',
    aliases: ['secret:local-generate'],
    describe:
      "Write the secrets file Pantheon's PHP SDK reads in local development (CUSTOMER_SECRETS_FAKE_FILE): " +
      "the site's and its organization's web-scoped secrets",
    builder: (y) =>
      y
        .positional('site', { type: 'string', demandOption: true, describe: '<site>, or <site>.<env> (as --env)' })
        .option('filepath', { type: 'string', default: 'secrets.json', describe: 'the file to write (created 0600, atomically)' })
        .option('env', { type: 'string', describe: 'resolve each value for this environment (its overrides); default: the base values' })
        .example(
          'composer-secrets secret:site:local-generate shop.dev --filepath ~/shop/secrets.json',
          "dev's values, for CUSTOMER_SECRETS_FAKE_FILE=~/shop/secrets.json",
        )
        .epilog(
          'Only secrets with the web scope are written (the ones an application reads at run time), ' +
            "each with the value it resolves to, as a build resolves it: the site's override for the environment, " +
            "the site's value, the organization's override, the organization's value. " +
            'Point the SDK at the file with CUSTOMER_SECRETS_FAKE_FILE=<file> and keep the file out of version control.',
        ),
    handler: async (args) => {
      const target = siteTarget(args.site);
      const env = args.env === undefined ? undefined : ownerName(args.env, 'environment name (--env)');
      if (target.environment !== undefined && env !== undefined && target.environment !== env) {
        throw new UsageError(`<site> names environment '${target.environment}' and --env '${env}': give one`);
      }
      const environment = target.environment ?? env;
      const store = storeFile(ctx, args);
      const owners = siteSecretsForListing(await readStore(ctx.fs, store, { mustExist: true }), target.site, store);
      const resolved = resolveForEnvironment({
        site: { name: target.site, secrets: owners.site },
        organization: owners.organization,
        environment: environment ?? BASE_VALUES,
      });
      const secrets = visibleTo(resolved, RUNTIME_SCOPE);
      const file = path.resolve(ctx.cwd, args.filepath);
      const text = renderLocalSecretsFile({ siteId: target.site, scopes: [RUNTIME_SCOPE], secrets });
      await withLock(ctx, file, () => writeSecretFile(ctx.fs, file, text, { what: 'secrets file' }));
      const values = environment === undefined ? 'base values' : `values for ${environment}`;
      ctx.stderr.write(
        `Secrets file written to: ${file} (${counted(secrets.length, 'secret')} with the web scope, ${values}). ` +
          'Please review this file and adjust accordingly for your local usage.\n',
      );
      if (secrets.length === 0)
        writeWarning(ctx, `no secret of site '${target.site}' or its organization has the web scope; the file lists none`);
      await warnIfAuthFileMayBeCommitted(ctx, path.dirname(file), file);
    },
  });
