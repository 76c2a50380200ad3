// The build: plan, put credentials in place, run composer, put every file back.
import path from 'node:path';
import { readAuthTargetState } from '../apply/auth-target.js';
import { installAuthDocument, restoreCredentialsFile } from '../apply/credentials-file.js';
import type { Context, SignalName } from '../context.js';
import { RefusedChangeError } from '../errors.js';
import { STALE_LOCK_MS } from '../io/process-lock.js';
import type { AuthTarget } from '../plan/auth-plan.js';
import { planBuild, type BuildPayload, type BuildPlan } from '../plan/build-plan.js';
import { resolveForEnvironment } from '../resolve/resolve-for-environment.js';
import type { SiteSecrets } from '../sources/source.js';
import { composerEnvironment, exitCodeForSignal, locateComposer, runComposer } from './composer-process.js';
import { warnIfAuthFileMayBeCommitted } from './git-check.js';

export type BuildRequest = {
  site: string;
  environment: string;
  secrets: SiteSecrets;
  dir: string;
  target: AuthTarget;
  /** The file written for project/home targets. */
  file: string | undefined;
};

/** Plans a build against what is on disk now. Writes nothing. */
export async function planBuildOnDisk(ctx: Context, request: BuildRequest): Promise<{ plan: BuildPlan; payload: BuildPayload }> {
  const state = await readAuthTargetState(ctx.fs, {
    target: request.target,
    dir: request.dir,
    file: request.file,
    callerComposerAuth: ctx.env.COMPOSER_AUTH,
  });
  return planBuild({
    site: request.site,
    environment: request.environment,
    organization: request.secrets.organization?.name,
    resolved: resolveForEnvironment({ ...request.secrets, environment: request.environment }),
    auth: state,
    callerVariables: new Set(Object.keys(ctx.env).filter((name) => ctx.env[name] !== undefined)),
  });
}

export function refuseProblems(plan: BuildPlan): void {
  if (plan.problems.length > 0) {
    throw new RefusedChangeError(`the build of site ${plan.site} (${plan.environment}) was not started: ${plan.problems.length} problem(s) with its secrets`, plan.problems);
  }
}

/** Restores what an interrupted earlier run left, saying so. */
export async function recoverEarlierRun(ctx: Context, file: string): Promise<void> {
  const outcome = await restoreCredentialsFile(ctx.fs, file);
  if (outcome !== 'nothing-to-restore') {
    ctx.stderr.write(`composer-secrets: ${file} was left by an interrupted run; ${outcome === 'restored-original' ? 'restored the original' : 'removed it'}\n`);
  }
}

export async function runBuild(
  ctx: Context,
  request: BuildRequest & { composer: string | undefined; composerArgs: readonly string[]; keepAuth: boolean },
): Promise<number> {
  const composer = await locateComposer(ctx.fs, request.composer, ctx.env, ctx.cwd);
  const file = request.file;
  const release = file === undefined ? undefined : await ctx.lock(file, waitingFor(ctx, file));
  try {
    if (file !== undefined) await recoverEarlierRun(ctx, file);
    const { plan, payload } = await planBuildOnDisk(ctx, request);
    refuseProblems(plan);
    for (const warning of plan.warnings) ctx.stderr.write(`composer-secrets: warning: ${warning}\n`);

    let interruptedBy: SignalName | undefined;
    const unsubscribe = ctx.onSignal((signal) => (interruptedBy ??= signal));
    let written = false;
    try {
      if (file !== undefined && payload.authFile !== undefined) {
        if (request.target === 'project') await warnIfAuthFileMayBeCommitted(ctx, request.dir, file);
        await installAuthDocument(ctx.fs, file, payload.authFile);
        written = true;
      }
      if (interruptedBy === undefined) {
        const env = composerEnvironment(ctx.env, payload.variables, payload.composerAuth === undefined ? undefined : JSON.stringify(payload.composerAuth));
        const result = await runComposer(ctx, { composer, args: request.composerArgs, dir: request.dir, env, maskedValues: payload.maskedValues });
        if (result.interruptedBy === undefined) return result.exitCode;
        interruptedBy = result.interruptedBy;
      }
      ctx.stderr.write(`composer-secrets: interrupted by ${interruptedBy}\n`);
      return exitCodeForSignal(interruptedBy);
    } finally {
      // Still subscribed: a second SIGTERM must not cut the restore short.
      if (written && file !== undefined) {
        if (request.keepAuth) {
          ctx.stderr.write(`composer-secrets: left ${file} in place (--keep-auth); \`composer-secrets restore\` puts the original back\n`);
        } else {
          await restoreCredentialsFile(ctx.fs, file);
        }
      }
      unsubscribe();
    }
  } finally {
    await release?.();
  }
}

/** Says why a command is waiting, so a wait for a killed run's lock is not a silent hang. */
export function waitingFor(ctx: Pick<Context, 'stderr'>, file: string): () => void {
  return () => ctx.stderr.write(`composer-secrets: waiting for another run using ${file} to finish (a lock left by a killed run is taken over after ${STALE_LOCK_MS / 1000} s)\n`);
}
