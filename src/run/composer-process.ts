// Running composer for a build: its environment, its output masked on the way through,
// SIGINT and SIGTERM passed on.
import path from 'node:path';
import type { Context, SignalName } from '../context.js';
import { UsageError } from '../errors.js';
import type { FileSystem } from '../io/file-system.js';
import { outputMasker } from './output-mask.js';

const SIGNAL_NUMBERS: Record<SignalName, number> = { SIGINT: 2, SIGTERM: 15 };
/** The exit code of a run cut short by a signal, as shells report it. */
export function exitCodeForSignal(signal: SignalName): number {
  return 128 + SIGNAL_NUMBERS[signal];
}

/** How long composer may take to stop after a signal before it is killed. */
export const COMPOSER_GRACE_MS = 5_000;

/** composer's environment: the caller's, the build's variables over it, never interactive. */
export function composerEnvironment(
  caller: Record<string, string | undefined>,
  variables: Readonly<Record<string, string>>,
  composerAuth: string | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(caller)) if (value !== undefined) env[name] = value;
  Object.assign(env, variables, { COMPOSER_NO_INTERACTION: '1' });
  if (composerAuth !== undefined) env.COMPOSER_AUTH = composerAuth;
  return env;
}

/** The composer program: --composer, else `composer` on PATH. Checked before anything is written. */
export async function locateComposer(fs: FileSystem, flag: string | undefined, env: Record<string, string | undefined>, cwd: string): Promise<string> {
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
    throw new UsageError(`--composer ${flag}: no executable file there`);
  }
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter((d) => d !== '')) {
    const file = path.join(dir, 'composer');
    if (await executable(file)) return file;
  }
  throw new UsageError('composer is not installed or not on PATH; install it (Debian: apt-get install composer php-cli) or name it with --composer PATH');
}

/**
 * Runs composer to the end, streaming its output masked. Returns the exit code to use:
 * composer's own, or 128 + the signal number when it was interrupted.
 */
export async function runComposer(
  ctx: Pick<Context, 'runner' | 'onSignal' | 'stdout' | 'stderr'>,
  options: { composer: string; args: readonly string[]; dir: string; env: Record<string, string>; maskedValues: readonly string[] },
): Promise<{ exitCode: number; interruptedBy: SignalName | undefined }> {
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
    forceKill ??= setTimeout(() => running.kill('SIGKILL'), COMPOSER_GRACE_MS);
  });
  try {
    const result = await running.result;
    out.flush();
    err.flush();
    if (result.startError !== undefined) {
      throw new UsageError(`could not start composer (${options.composer}): ${result.startError === 'ENOENT' ? 'not found' : result.startError === 'EACCES' ? 'not executable' : result.startError}`);
    }
    if (interruptedBy !== undefined) return { exitCode: exitCodeForSignal(interruptedBy), interruptedBy };
    if (result.exitCode !== undefined) return { exitCode: result.exitCode, interruptedBy };
    const signal = result.signal as SignalName | undefined;
    return { exitCode: 128 + (signal !== undefined && signal in SIGNAL_NUMBERS ? SIGNAL_NUMBERS[signal] : 1), interruptedBy };
  } finally {
    clearTimeout(forceKill);
    unsubscribe();
  }
}
