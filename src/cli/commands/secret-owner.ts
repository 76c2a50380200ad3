// What secret:site:* and secret:org:* differ in: how the owner and an environment are
// named. A site takes Terminus's <site>.<env> in one argument; an organization takes
// <org> and --env.
import type { Argv } from 'yargs';
import type { OwnerKind } from '../../model/secret.js';
import { ownerName, siteTarget } from '../arguments.js';

type OwnerArgs = { target?: string | undefined; org?: string | undefined; env?: string | undefined };
type Verb = 'set' | 'list' | 'delete';

export type OwnerKindSpec = {
  /** The owner's argument as the command line names it. */
  positional: string;
  /** 'a site' / 'an organization'. */
  a: string;
  envSyntax: string;
  aliases: Record<Verb, readonly string[]>;
  examples: Record<Verb, readonly [string, string]>;
  /** Adds the owner's argument (and an organization's --env); `only` says what naming an environment does. */
  withEnvironment<T>(y: Argv<T>, only: string): Argv<T & OwnerArgs>;
  /** The owner's name and the environment, checked. */
  target(args: OwnerArgs): { name: string; environment: string | undefined };
};

export const OWNER_KINDS: Record<OwnerKind, OwnerKindSpec> = {
  site: {
    positional: '<target>',
    a: 'a site',
    envSyntax: '<site>.<env>',
    aliases: { set: ['secret:set', 'secret-set'], list: ['secret:list', 'secrets'], delete: ['secret:delete', 'secret-delete'] },
    examples: {
      set: [
        'composer-secrets secret:site:set shop API_KEY - --type env --scope ic,web < key.txt',
        'a new build variable, its value read from a file',
      ],
      list: ['composer-secrets secret:site:list shop --json', "the site's and its organization's secrets as JSON"],
      delete: ['composer-secrets secret:site:delete shop.dev API_KEY', "only dev's override of API_KEY"],
    },
    withEnvironment: (y, only) =>
      y.positional('target', { type: 'string', demandOption: true, describe: `the site's name; <site>.<env> to ${only}` }) as never,
    target: (args) => {
      const { site, environment } = siteTarget(String(args.target));
      return { name: site, environment };
    },
  },
  org: {
    positional: '<org>',
    a: 'an organization',
    envSyntax: '--env',
    aliases: { set: ['secret-org-set'], list: ['secret-org-list'], delete: ['secret-org-delete'] },
    examples: {
      set: [
        'composer-secrets secret:org:set acme http-basic.repo.example.org - --type composer --scope ic < credentials.json',
        "a Composer credential every site of acme's builds get",
      ],
      list: ['composer-secrets secret:org:list acme', "acme's secrets as a table"],
      delete: ['composer-secrets secret:org:delete acme API_KEY --env live', "only live's override of API_KEY"],
    },
    withEnvironment: (y, only) =>
      y
        .positional('org', { type: 'string', demandOption: true, describe: "the organization's name" })
        .option('env', { type: 'string', describe: `an environment's name, to ${only}` }) as never,
    target: (args) => ({
      name: ownerName(String(args.org), 'organization name'),
      environment: args.env === undefined ? undefined : ownerName(args.env, 'environment name (--env)'),
    }),
  },
};
