// Running the real composer in a test: which binary, in what environment, and
// what a suite does when composer is missing (skip visibly locally, fail in CI).
import path from 'node:path';
import { execa, execaSync } from 'execa';
import { describe, it } from 'vitest';

/** Points the tests at another composer binary (or at a missing one, to try that case). */
export const composerOverrideVariable = 'COMPOSER_SECRETS_TEST_COMPOSER';

export function composerBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env[composerOverrideVariable] || 'composer';
}

export type ComposerEnvironment = Record<string, string> & {
  COMPOSER_HOME: string;
  COMPOSER_CACHE_DIR: string;
};

/**
 * A complete environment for composer (run with execa's `extendEnv: false`): its own home
 * and cache inside `dir`, and from the caller only PATH and HOME. Anything else the caller
 * has (COMPOSER_AUTH, COMPOSER, its own proxies, XDG_*) could change what composer does.
 */
export function composerEnvironment(dir: string, caller: NodeJS.ProcessEnv = process.env): ComposerEnvironment {
  const env: ComposerEnvironment = {
    COMPOSER_HOME: path.join(dir, 'composer-home'),
    // Without its own cache a test could install from another test's download.
    COMPOSER_CACHE_DIR: path.join(dir, 'composer-cache'),
    COMPOSER_NO_INTERACTION: '1',
    // Containers and CI often run as root; composer would otherwise warn or ask.
    COMPOSER_ALLOW_SUPERUSER: '1',
    // 2.5.5 has no --no-audit; the audit would try to reach packagist.org.
    COMPOSER_NO_AUDIT: '1',
    // Composer wraps error boxes at the terminal width (80 without a terminal), splitting
    // long URLs across lines; a wide fixed width keeps messages on one line for assertions.
    COLUMNS: '500',
    // Tripwire: anything not on 127.0.0.1 goes to a proxy port where nothing listens, so a
    // test that would reach the internet fails fast with "Connection refused" instead.
    http_proxy: 'http://127.0.0.1:9',
    https_proxy: 'http://127.0.0.1:9',
    no_proxy: '127.0.0.1',
  };
  if (caller.PATH !== undefined) env.PATH = caller.PATH;
  if (caller.HOME !== undefined) env.HOME = caller.HOME;
  return env;
}

export interface ComposerRunOptions {
  cwd: string;
  env: Record<string, string>;
  /** Milliseconds; a hung composer fails the test instead of the whole run. */
  timeout?: number;
}

export interface ComposerRun {
  exitCode: number | undefined;
  /** stdout and stderr interleaved, as a person would see them. */
  output: string;
  durationMs: number;
  timedOut: boolean;
}

export async function runComposer(args: readonly string[], options: ComposerRunOptions): Promise<ComposerRun> {
  const result = await execa(composerBinary(), args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    reject: false,
    timeout: options.timeout ?? 30_000,
    all: true,
    stdin: 'ignore',
  });
  return {
    exitCode: result.exitCode,
    // A binary that cannot start has no output; its error message says why.
    output: result.all ?? result.message,
    durationMs: result.durationMs,
    timedOut: result.timedOut,
  };
}

export type ComposerAvailability =
  | { available: true; composer: string; version: string }
  | { available: false; composer: string; reason: string };

const availabilityByBinary = new Map<string, ComposerAvailability>();

/**
 * Whether php and composer can be run. Synchronous so a suite can decide at collection
 * time; remembered per binary and PATH because every e2e file asks.
 */
export function composerAvailability(env: NodeJS.ProcessEnv = process.env): ComposerAvailability {
  const composer = composerBinary(env);
  const key = `${composer}\0${env.PATH ?? ''}`;
  const known = availabilityByBinary.get(key);
  if (known) return known;

  // A throwaway home that does not exist: `--version` must not read the caller's config.
  const probeEnv = composerEnvironment('/nonexistent/composer-secrets-probe', env);
  const run = (file: string) =>
    execaSync(file, ['--version'], { env: probeEnv, extendEnv: false, reject: false, timeout: 30_000, stdin: 'ignore' });

  const problems: string[] = [];
  const php = run('php');
  if (php.exitCode !== 0) problems.push(`php cannot be run (${describeFailure(php)})`);
  const result = run(composer);
  const version = /Composer (?:version )?(\d+\.\d+\.\d+\S*)/.exec(result.stdout)?.[1];
  if (result.exitCode !== 0) problems.push(`${composer} cannot be run (${describeFailure(result)})`);
  else if (!version) problems.push(`${composer} --version did not name a Composer version: ${result.stdout.slice(0, 200)}`);

  const availability: ComposerAvailability =
    problems.length === 0 && version ? { available: true, composer, version } : { available: false, composer, reason: problems.join('; ') };
  availabilityByBinary.set(key, availability);
  return availability;
}

function describeFailure(result: { code?: string; exitCode?: number; stderr: string; shortMessage?: string }): string {
  if (result.code === 'ENOENT') return 'not found';
  const stderr = result.stderr.trim().split('\n')[0];
  return stderr ? `exit ${result.exitCode}: ${stderr}` : (result.shortMessage ?? `exit ${result.exitCode}`);
}

export const composerMissingTitle = 'composer is not installed: end-to-end tests skipped';
export const composerRequiredTitle = 'composer is required in CI';

export type ComposerSuitePlan =
  | { action: 'run' }
  | { action: 'skip'; suiteTitle: string; warning: string }
  | { action: 'fail'; testTitle: string; message: string };

/** The decision alone, so it can be tested without registering suites. */
export function composerSuitePlan(
  name: string,
  availability: ComposerAvailability,
  env: NodeJS.ProcessEnv = process.env,
): ComposerSuitePlan {
  if (availability.available) return { action: 'run' };
  // In CI a missing composer means the e2e tests never ran: that must be red, not green.
  if (env.CI === 'true') {
    return {
      action: 'fail',
      testTitle: composerRequiredTitle,
      message: `${composerRequiredTitle}: ${availability.reason} (set ${composerOverrideVariable} to use another binary)`,
    };
  }
  return {
    action: 'skip',
    suiteTitle: `${name} (${composerMissingTitle})`,
    warning: `${composerMissingTitle}: ${availability.reason}. Install composer and php-cli, or set ${composerOverrideVariable}.`,
  };
}

let warnedAboutMissingComposer = false;

/** `describe` for suites that run the real composer. */
export function describeWithComposer(name: string, fn: () => void, options: { env?: NodeJS.ProcessEnv } = {}): void {
  const env = options.env ?? process.env;
  const plan = composerSuitePlan(name, composerAvailability(env), env);
  switch (plan.action) {
    case 'run':
      describe(name, fn);
      return;
    case 'skip':
      if (!warnedAboutMissingComposer) {
        warnedAboutMissingComposer = true;
        console.warn(plan.warning);
      }
      // describe.skip still lists every test of the suite as skipped in the report.
      describe.skip(plan.suiteTitle, fn);
      return;
    case 'fail':
      describe(name, () => {
        it(plan.testTitle, () => {
          throw new Error(plan.message);
        });
      });
      return;
  }
}
