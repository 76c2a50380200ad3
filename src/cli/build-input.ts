// What plan, env and build share: choose the site and environment, fetch from the
// source, resolve, plan.
import type { Argv } from 'yargs';
import { planBuild, type BuildPayload, type BuildPlan } from '../plan/build-plan.js';
import { resolveForEnvironment } from '../resolve/resolve-for-environment.js';
import { localStoreSource } from '../sources/local-store.js';
import type { SecretSource } from '../sources/source.js';
import { ownerName } from './arguments.js';
import { storeFile, type GlobalOptions } from './command.js';
import type { Context } from './context.js';

export function withBuildTarget<T extends GlobalOptions>(y: Argv<T>) {
  return y
    .option('site', { type: 'string', demandOption: true, describe: 'the site to build' })
    .option('env', { type: 'string', demandOption: true, describe: 'the environment (dev or a multidev)' })
    .option('org', { type: 'string', describe: "the site's organization, when the source records none" });
}

export type BuildTargetArgs = GlobalOptions & { site: string; env: string; org?: string | undefined };

export function sourceFor(ctx: Context, args: GlobalOptions): SecretSource {
  return localStoreSource(ctx.fs, storeFile(ctx, args));
}

export async function planFor(ctx: Context, args: BuildTargetArgs): Promise<{ plan: BuildPlan; payload: BuildPayload }> {
  const site = ownerName(args.site, 'site name (--site)');
  const environment = ownerName(args.env, 'environment name (--env)');
  const organization = args.org === undefined ? undefined : ownerName(args.org, 'organization name (--org)');
  const secrets = await sourceFor(ctx, args).fetch({ site, organization });
  const resolved = resolveForEnvironment({ ...secrets, environment });
  return planBuild({ site, environment, organization: secrets.organization?.name, resolved });
}
