// The build once planned: put the credentials in place, run composer, put every file back,
// and hand what the build left to the caller's leak check while the lock is still held.
// Planning against the disk is disk-plan/plan-on-disk.ts.
import path from 'node:path';
import { installAuthDocument, type RestoreOutcome, recoverEarlierRun, restoreCredentialsFile } from '../apply/credentials-file.js';
import { type Context, type HeldFolder, type OnSignal, type SignalName, writeWarning } from '../context.js';
import { counted } from '../counted.js';
import { type BuildRequest, planBuildOnDisk, refuseProblems } from '../disk-plan/plan-on-disk.js';
import { EnvironmentError, EXIT_FAILURE } from '../errors.js';
import { STALE_LOCK_MS, waitingFor, withLock } from '../io/process-lock.js';
import type { BuildPayload, BuildPlan } from '../plan/build-plan.js';
import { toolCredentialValues } from '../sources/tool-credentials.js';
import { composerEnvironment, exitCodeForSignal, locateComposer, runComposer } from './composer-process.js';
import { warnIfAuthFileMayBeCommitted } from './git-check.js';

/** Why a build ends before composer does; the first one counts. */
type Ending = { kind: 'signal'; signal: SignalName } | { kind: 'output-failed' } | { kind: 'lock-lost' };

const signalFor = (ending: Ending): SignalName => (ending.kind === 'signal' ? ending.signal : 'SIGTERM');

/**
 * Collects the endings of a build and tells composer: a signal is passed on as it is,
 * output that cannot be written and a lost lock stop composer with SIGTERM. A subscriber
 * that comes after an ending hears of it at once.
 */
function endingWatch() {
  let first: Ending | undefined;
  const handlers = new Set<(signal: SignalName) => void>();
  return {
    get first() {
      return first;
    },
    end(ending: Ending) {
      first ??= ending;
      for (const handler of [...handlers]) handler(signalFor(ending));
    },
    onSignal: ((handler) => {
      if (first !== undefined) handler(signalFor(first));
      handlers.add(handler);
      return () => handlers.delete(handler);
    }) as OnSignal,
  };
}

/** What composer was handed and how it ended, for the leak check. */
export type ComposerRan = { payload: BuildPayload; composerExitCode: number };

export async function runBuild(
  ctx: Context,
  request: BuildRequest & {
    composer: string | undefined;
    composerArgs: readonly string[];
    keepAuth: boolean;
    /**
     * Sweeps what the build left once composer ended and every file is back (sweep/leak-check.ts, README "The build"),
     * under the lock so no other run's auth.json is there; returns the result in a few words, for the last line.
     */
    checkLeaks: (ran: ComposerRan) => string;
  },
): Promise<number> {
  const composer = await locateComposer(ctx.fs, request.composer, ctx.env, ctx.cwd);
  const file = request.file;
  const endings = endingWatch();
  /** Where the file is when its folder was moved while composer ran: the lock went with it. */
  let movedTo: string | undefined;
  const build = async (): Promise<number> => {
    if (file !== undefined) await recoverEarlierRun(ctx, file);
    const { plan, payload } = await planBuildOnDisk(ctx, request);
    refuseProblems(plan);
    for (const warning of plan.warnings) writeWarning(ctx, warning);

    const unsubscribe = [
      ctx.onSignal((signal) => endings.end({ kind: 'signal', signal })),
      ctx.onOutputFailure(() => endings.end({ kind: 'output-failed' })),
    ];
    let exitCode: number | undefined;
    let written = false;
    let folder: HeldFolder | undefined;
    let putBackAs: PutBack | undefined;
    const problems: string[] = [];
    try {
      if (file !== undefined && payload.authFile !== undefined) {
        if (request.target === 'project') await warnIfAuthFileMayBeCommitted(ctx, request.dir, file);
        await installAuthDocument(ctx.fs, file, payload.authFile);
        written = true;
        // Held (once the write made it, for the home target) so that the file is put back
        // wherever the folder goes. Not being able to hold it changes only that.
        folder = await ctx.holdFolder(path.dirname(file)).catch(() => undefined);
      }
      if (endings.first === undefined) {
        const env = composerEnvironment(
          ctx.env,
          payload.variables,
          payload.composerAuth === undefined ? undefined : JSON.stringify(payload.composerAuth),
        );
        const maskedValues = [...payload.maskedValues, ...toolCredentialValues(ctx.env), ...(request.toolCredentials ?? [])];
        const result = await runComposer(
          { ...ctx, onSignal: endings.onSignal },
          { composer, args: request.composerArgs, dir: request.dir, env, maskedValues },
        );
        if (result.endedBy !== undefined) ctx.stderr.write(`composer-secrets: composer was killed by ${result.endedBy}\n`);
        exitCode = result.exitCode;
      }
    } finally {
      // Still subscribed: a second signal must not cut the restore short.
      if (written && file !== undefined) {
        const putBackOutcome = await putBack(ctx, {
          file,
          folder,
          keepAuth: request.keepAuth,
          lockLost: endings.first?.kind === 'lock-lost',
        });
        problems.push(...putBackOutcome.problems);
        movedTo = putBackOutcome.movedTo;
        putBackAs = putBackOutcome.done;
      }
      for (const stop of unsubscribe) stop();
    }
    const ending = endings.first;
    if (ending?.kind === 'lock-lost') {
      throw new EnvironmentError(
        `lost the lock on ${file} while the build ran ` +
          `(it was paused for more than ${STALE_LOCK_MS / 1000} s and another run took the lock over, or the folder was moved); ` +
          'composer was stopped',
        problems,
      );
    }
    if (ending?.kind === 'signal') {
      for (const problem of problems) ctx.stderr.write(`composer-secrets: ${problem}\n`);
      ctx.stderr.write(`composer-secrets: interrupted by ${ending.signal}\n`);
      return exitCodeForSignal(ending.signal);
    }
    // main reports the output failure itself.
    if (ending?.kind === 'output-failed') return EXIT_FAILURE;
    const [problem, ...more] = problems;
    if (problem !== undefined) throw new EnvironmentError(problem, more);
    // Composer ran and every file is back: what the build left is judged now (README, "The build").
    if (exitCode !== undefined) {
      const swept = request.checkLeaks({ payload, composerExitCode: exitCode });
      ctx.stderr.write(
        `composer-secrets: ${buildSummary({ plan, payload, file, putBack: putBackAs, composerExitCode: exitCode, swept })}\n`,
      );
    }
    return exitCode ?? EXIT_FAILURE;
  };
  if (file === undefined) return build();
  return withLock(ctx, file, build, { onLost: () => endings.end({ kind: 'lock-lost' }), movedTo: () => movedTo });
}

/**
 * Puts the original credentials file back (or leaves it, with --keep-auth) where its folder
 * is now. Returns what went wrong (a folder moved or removed while composer ran, a lock
 * another run holds now) and where the folder went. After a lost lock the lock is taken
 * again first, so a run that took it over is not disturbed; such a run restored the file
 * from the journal when it started, and puts its own back when it ends.
 */
async function putBack(
  ctx: Context,
  options: { file: string; folder: HeldFolder | undefined; keepAuth: boolean; lockLost: boolean },
): Promise<{ problems: string[]; movedTo?: string; done?: PutBack }> {
  const { file, folder } = options;
  const dir = path.dirname(file);
  const name = path.basename(file);
  const now = folder === undefined ? dir : await folder.whereNow();
  await folder?.close();
  if (now === undefined) {
    return {
      problems: [
        `the folder ${dir} was moved or removed while the build ran, and could not be found again: check the ${name} in it by hand`,
      ],
    };
  }
  const current = path.join(now, name);
  const movedTo = now === dir ? undefined : current;
  const moved = `the folder ${dir} was moved to ${now} while the build ran`;
  if (options.keepAuth) {
    ctx.stderr.write(`composer-secrets: left ${current} in place (--keep-auth); \`composer-secrets restore\` puts the original back\n`);
    return { problems: movedTo === undefined ? [] : [moved], movedTo, done: 'kept' };
  }
  let relock: (() => Promise<void>) | undefined;
  if (options.lockLost && movedTo === undefined) {
    try {
      relock = await ctx.lock(file, waitingFor(ctx, file));
    } catch {
      return {
        problems: [
          `another run holds the lock on ${file} now; ` +
            'the journal this run left lets that run (or `composer-secrets restore`) put the original back',
        ],
      };
    }
  }
  let outcome: RestoreOutcome;
  try {
    outcome = await restoreCredentialsFile(ctx.fs, current, file);
  } finally {
    await relock?.();
  }
  return { problems: movedTo === undefined ? [] : [`${moved}; the original ${name} was put back there`], movedTo, done: outcome };
}

/** What became of the written credentials file once composer ended. */
type PutBack = RestoreOutcome | 'kept';

/**
 * The build's last line: what it handed composer and what it put back, so a CI log says
 * it without reading composer's output.
 */
function buildSummary(done: {
  plan: BuildPlan;
  payload: BuildPayload;
  file: string | undefined;
  putBack: PutBack | undefined;
  composerExitCode: number;
  swept: string;
}): string {
  const entries = done.plan.entries.filter((e) => e.action.kind === 'auth-entry' || e.action.kind === 'auth-document').length;
  const credentials =
    done.payload.authFile !== undefined && done.file !== undefined
      ? `${counted(entries, 'credential')} written to ${done.file}, ${
          done.putBack === 'kept'
            ? 'left in place (--keep-auth)'
            : done.putBack === 'removed-generated'
              ? 'removed again (there was none before)'
              : done.putBack === 'restored-original'
                ? 'the original put back'
                : 'not found to put back'
        }`
      : done.payload.composerAuth !== undefined
        ? `${counted(entries, 'credential')} in COMPOSER_AUTH, nothing written`
        : 'no composer credentials';
  const variables = `${counted(Object.keys(done.payload.variables).length, 'variable')} set`;
  return (
    `build of site ${done.plan.site} (${done.plan.environment}) done, composer exited with ${done.composerExitCode}: ` +
    `${credentials}; ${variables}; ${done.swept}`
  );
}
