// Running composer for a build: its environment, its output masked on the way through,
// the signals that end the build passed on.
import os from 'node:os';
import path from 'node:path';
import type { Context, SignalName } from '../context.js';
import { EXIT_FAILURE, UsageError } from '../errors.js';
import type { FileSystem } from '../io/file-system.js';
import { withoutToolCredentials } from '../sources/tool-credentials.js';
import { outputMasker } from './output-mask.js';

/** The exit code of a run cut short by a signal, as shells report it: 128 + its number. */
export function exitCodeForSignal(signal: string): number {
  const number = (os.constants.signals as Record<string, number | undefined>)[signal];
  return number === undefined ? EXIT_FAILURE : 128 + number;
}

/** How long composer may take to stop after a signal before it is killed. */
export const COMPOSER_GRACE_MS = 5_000;

/** composer's environment: the caller's without the tool's own credentials, the build's variables over it, never interactive. */
export function composerEnvironment(
  caller: Record<string, string | undefined>,
  variables: Readonly<Record<string, string>>,
  composerAuth: string | undefined,
): Record<string, string> {
  const env = withoutToolCredentials(caller);
  Object.assign(env, variables, { COMPOSER_NO_INTERACTION: '1' });
  if (composerAuth !== undefined) env.COMPOSER_AUTH = composerAuth;
  return env;
}

/** The composer program: --composer, else `composer` on PATH. Checked before anything is written. */
export async function locateComposer(
  fs: FileSystem,
  flag: string | undefined,
  env: Record<string, string | undefined>,
  cwd: string,
): Promise<string> {
  const executable = async (file: string) => {
    try {
      await fs.access(file, 1 /* X_OK */);
      return (await fs.stat(file)).isFile();
    } catch {
      return false;
    }
  };
  if (flag !== undefined) {
    const file = path.resolve(cwd, flag);
    if (await executable(file)) return file;
    // The path is not repeated: a value typed one position off would land here.
    throw new UsageError('--composer: no executable file at the path given');
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter((d) => d !== '')) {
    const file = path.join(dir, 'composer');
    if (await executable(file)) return file;
  }
  throw new UsageError(
    'composer is not installed or not on PATH; install it (Debian: apt-get install composer php-cli) or name it with --composer PATH',
  );
}

/**
 * Runs composer to the end, streaming its output masked; each signal from `onSignal` is
 * passed on, and composer is killed when it has not stopped COMPOSER_GRACE_MS after the
 * first. Returns the exit code to use: composer's own, or 128 + the signal number when it
 * was interrupted (`interruptedBy`) or killed by a signal of its own (`endedBy`).
 */
export async function runComposer(
  ctx: Pick<Context, 'runner' | 'onSignal' | 'stdout' | 'stderr'>,
  options: { composer: string; args: readonly string[]; dir: string; env: Record<string, string>; maskedValues: readonly string[] },
): Promise<{ exitCode: number; interruptedBy: SignalName | undefined; endedBy: string | undefined }> {
  const masker = outputMasker(options.maskedValues);
  const out = masker.stream((text) => ctx.stdout.write(text));
  const err = masker.stream((text) => ctx.stderr.write(text));
  const running = ctx.runner.start(options.composer, options.args, {
    cwd: options.dir,
    env: options.env,
    onStdout: (chunk) => out.push(chunk),
    onStderr: (chunk) => err.push(chunk),
  });
  let interruptedBy: SignalName | undefined;
  let forceKill: NodeJS.Timeout | undefined;
  const unsubscribe = ctx.onSignal((signal) => {
    interruptedBy ??= signal;
    running.kill(signal);
    // composer lets a running script finish first; a supervisor will not wait long, and
    // the credentials must be gone before it kills us.
    forceKill ??= setTimeout(() => {
      ctx.stderr.write(`composer-secrets: composer did not stop within ${COMPOSER_GRACE_MS / 1000} s of ${signal}; killing it\n`);
      running.kill('SIGKILL');
    }, COMPOSER_GRACE_MS);
  });
  try {
    const result = await running.result;
    out.flush();
    err.flush();
    if (result.startError !== undefined) {
      throw new UsageError(
        `could not start composer (${options.composer}): ` +
          `${result.startError === 'ENOENT' ? 'not found' : result.startError === 'EACCES' ? 'not executable' : result.startError}`,
      );
    }
    if (interruptedBy !== undefined) return { exitCode: exitCodeForSignal(interruptedBy), interruptedBy, endedBy: undefined };
    if (result.exitCode !== undefined) return { exitCode: result.exitCode, interruptedBy, endedBy: undefined };
    const endedBy = result.signal ?? 'an unknown signal';
    return { exitCode: exitCodeForSignal(endedBy), interruptedBy, endedBy };
  } finally {
    clearTimeout(forceKill);
    unsubscribe();
  }
}
