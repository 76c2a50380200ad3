// A build planned against what is on disk now: the secrets resolved for the environment,
// the auth files Composer reads (composer-files.ts), the caller's variables. Writes nothing:
// plan, doctor, env and auth-json stop here; build goes on to run/build.ts.
import type { Context } from '../context.js';
import { counted } from '../counted.js';
import { PlanProblemsError } from '../errors.js';
import { setVariables } from '../io/process-runner.js';
import type { KnownComposer } from '../model/composer-version.js';
import type { AuthTarget, AuthTargetState } from '../plan/auth-plan.js';
import { type BuildPayload, type BuildPlan, planBuild } from '../plan/build-plan.js';
import { resolveForEnvironment } from '../resolve/resolve-for-environment.js';
import type { SiteSecrets } from '../sources/source.js';
import { composerHomeDir, readAuthTargetState } from './composer-files.js';

export type BuildRequest = {
  site: string;
  environment: string;
  secrets: SiteSecrets;
  dir: string;
  target: AuthTarget;
  /** The file written for project/home targets. */
  file: string | undefined;
  /** Credentials the source read with (a saved Terminus session), masked like COMPOSER_SECRETS_TOKEN. */
  toolCredentials?: readonly string[] | undefined;
  /** The Composer that will run (learnComposerVersion); not known when absent. */
  composerVersion?: KnownComposer | undefined;
};

/** Plans a build against what is on disk now. Writes nothing. */
export async function planBuildOnDisk(
  ctx: Context,
  request: BuildRequest,
): Promise<{ plan: BuildPlan; payload: BuildPayload; state: AuthTargetState }> {
  const state = await readAuthTargetState(ctx.fs, {
    target: request.target,
    dir: request.dir,
    file: request.file,
    callerComposerAuth: ctx.env.COMPOSER_AUTH,
    composerHome: await composerHomeDir(ctx.fs, ctx.env, ctx.home, request.dir),
  });
  const planned = planBuild({
    site: request.site,
    environment: request.environment,
    organization: request.secrets.organization?.name,
    resolved: resolveForEnvironment({ ...request.secrets, environment: request.environment }),
    auth: state,
    callerVariables: new Set(Object.keys(setVariables(ctx.env))),
    composer: request.composerVersion,
  });
  return { ...planned, state };
}

/** A plan with problems is refused (exit 2); `listedAbove`: the plan was printed with them, so they are not repeated. */
export function refuseProblems(plan: BuildPlan, options: { listedAbove?: boolean } = {}): void {
  if (plan.problems.length > 0) {
    const count = counted(plan.problems.length, 'problem');
    const listed = options.listedAbove === true;
    throw new PlanProblemsError(
      `the build of site ${plan.site} (${plan.environment}) was not started: ${count} with its secrets${listed ? ', listed above' : ''}`,
      listed ? [] : plan.problems,
    );
  }
}
