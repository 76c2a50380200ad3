// secret:site:list and secret:org:list: from the local store or the secrets service, as
// Terminus lists them. A site's listing also holds its organization's secrets.

import type { OwnerKind } from '../../model/secret.js';
import { ownerSecretsInStore, readStore, siteSecretsForListing } from '../../sources/local-store.js';
import { listingFromApi, withListingSource } from '../api-listing.js';
import { ownerName, siteTarget } from '../arguments.js';
import { defineCommand, storeFile } from '../command.js';
import type { Context } from '../context.js';
import { outputFormat, withOutputFormat } from '../output-format.js';
import { LISTING_FORMATS, listingRowsOfOrganization, listingRowsOfSite } from '../render/secret-listing.js';
import { writeListing } from './listing-output.js';
import { OWNER_KINDS } from './secret-owner.js';

const SPEC = {
  site: {
    positional: '<site>',
    describe: "List a site's secrets and its organization's, as Terminus does (values only where the secret has the user scope)",
    argument: '<site>, or <site>.<env> (the environment is ignored, as by Terminus); a UUID with --source pantheon or https://',
    formats: 'table: name, type, value, scopes; json: also env-values and org-values',
    epilog:
      'Rows of the organization show its values under org-values (default: its base value). ' +
      'Values of secrets without the user scope are null in json and [REDACTED] in the table.',
  },
  org: {
    positional: '<org>',
    describe: "List an organization's secrets, as Terminus does (values only where the secret has the user scope)",
    argument: "the organization's name; its UUID with --source pantheon or https://",
    formats: 'table: name, type, value, scopes, overrides; json: the same, overrides as env-values',
    epilog: 'Values of secrets without the user scope are null in json and [REDACTED] in the table.',
  },
};

export const secretListCommand = (ctx: Context, kind: OwnerKind) => {
  const spec = SPEC[kind];
  const key = kind === 'site' ? 'site' : 'org';
  return defineCommand({
    command: `secret:${kind}:list ${spec.positional}`,
    aliases: OWNER_KINDS[kind].aliases.list,
    describe: spec.describe,
    builder: (y) =>
      withOutputFormat(withListingSource(y), LISTING_FORMATS, 'table', spec.formats)
        .positional(key, { type: 'string', demandOption: true, describe: spec.argument })
        .example(...OWNER_KINDS[kind].examples.list)
        .epilog(spec.epilog),
    handler: async (args) => {
      const format = outputFormat(args, 'table');
      const given = String(args[key]);
      const api = listingFromApi(ctx, args.source);
      if (api !== undefined) {
        writeListing(ctx, await (kind === 'site' ? api.site(given) : api.organization(given)), kind, format);
        return;
      }
      const file = storeFile(ctx, args);
      if (kind === 'org') {
        const owner = { kind, name: ownerName(given, 'organization name') };
        writeListing(
          ctx,
          listingRowsOfOrganization(ownerSecretsInStore(await readStore(ctx.fs, file, { mustExist: true }), owner, file)),
          kind,
          format,
        );
        return;
      }
      const { site, environment } = siteTarget(given);
      const secrets = siteSecretsForListing(await readStore(ctx.fs, file, { mustExist: true }), site, file);
      if (environment !== undefined) {
        ctx.stderr.write(
          'composer-secrets: note: the listing is the same for every environment; ' +
            `overrides are under env-values and org-values (${environment} is not applied)\n`,
        );
      }
      writeListing(ctx, listingRowsOfSite(secrets.site, secrets.organization?.secrets), kind, format);
    },
  });
};
