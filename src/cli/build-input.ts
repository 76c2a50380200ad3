// What plan, env, build, auth-json and restore share: the site and environment, where
// the secrets come from, and where credentials go.
import path from 'node:path';
import type { Argv } from 'yargs';
import { authFileFor } from '../apply/auth-target.js';
import { UsageError } from '../errors.js';
import { AUTH_TARGETS, type AuthTarget } from '../plan/auth-plan.js';
import type { KnownComposer } from '../model/composer-version.js';
import { locateComposer } from '../run/composer-process.js';
import { learnComposerVersion } from '../run/composer-version.js';
import { captureOutput } from '../io/process-runner.js';
import { errorCode } from '../io/file-system.js';
import { ioError } from '../io/secret-file.js';
import { localStoreSource } from '../sources/local-store.js';
import { apiToken } from '../sources/api-token.js';
import { checkApiBaseUrl, httpApiSource } from '../sources/http-api.js';
import { UUID_PATTERN } from '../sources/site-uuid.js';
import { sdkJsonSource } from '../sources/sdk-json.js';
import { DEFAULT_SOURCE_SPEC } from '../sources/source.js';
import { parseSourceSpec, SOURCE_FLAG, type SourceInput } from '../sources/source-spec.js';
import { terminusCommandSource } from '../sources/terminus-command.js';
import { terminusJsonSource } from '../sources/terminus-json.js';
import { withoutToolCredentials } from '../sources/tool-credentials.js';
import { LEAK_CHECK_MODES, type LeakCheck, type LeakCheckMode } from '../sweep/leak-check.js';
import type { SecretSource, SiteSecrets } from '../sources/source.js';
import { ownerName } from './arguments.js';
import { storeFile, type GlobalOptions } from './command.js';
import { readAll, utf8Text, type Context } from './context.js';

export function withBuildTarget<T extends GlobalOptions>(y: Argv<T>) {
  return y
    .option('source', {
      type: 'string',
      default: DEFAULT_SOURCE_SPEC,
      describe: 'where the secrets come from: store, terminus, terminus-json:FILE, sdk-json:FILE (- = stdin), pantheon, or https://HOST/customer-secrets/v1',
    })
    .option('site', { type: 'string', demandOption: true, describe: 'the site to build: its name, or its UUID (pantheon and https:// sources take only the UUID)' })
    .option('env', { type: 'string', demandOption: true, describe: 'the environment (dev or a multidev)' })
    .option('org', { type: 'string', describe: "the site's organization, when the source records none" });
}

export function withAuthTarget<T>(y: Argv<T>) {
  return y
    .option('dir', { type: 'string', describe: 'the project folder (where composer.json is)', default: '.' })
    .option('auth-target', {
      choices: AUTH_TARGETS,
      default: 'project' as AuthTarget,
      describe: 'project: auth.json beside composer.json; home: $COMPOSER_HOME/auth.json; env: COMPOSER_AUTH only, nothing on disk',
    })
    .option('composer', { type: 'string', describe: 'the composer program (default: composer on PATH)' })
    .option('composer-version', { type: 'string', describe: 'the Composer version to plan for, X.Y.Z (default: read from the composer that will run)' });
}

/** The leak sweep's options (build and scan). */
export function withLeakCheckIgnore<T>(y: Argv<T>) {
  return y.option('leak-check-ignore', {
    type: 'string',
    array: true,
    describe: 'paths (globs relative to the folder: deploy/.env vendor/**/*.log) the leak check leaves out, one or more after the flag',
  });
}

export function withLeakCheck<T>(y: Argv<T>) {
  return withLeakCheckIgnore(y).option('leak-check', {
    choices: LEAK_CHECK_MODES,
    default: 'fail' as LeakCheckMode,
    describe: 'after composer: look for secret values in the project folder; fail (exit 9), warn, or off',
  });
}

export const leakCheckOf = (args: { leakCheck: LeakCheckMode; leakCheckIgnore?: (string | number)[] | undefined }): LeakCheck => ({
  mode: args.leakCheck,
  ignore: (args.leakCheckIgnore ?? []).map(String),
});

export type BuildTargetArgs = GlobalOptions & { source: string; site: string; env: string; org?: string | undefined };
export type AuthTargetArgs = { dir: string; authTarget: AuthTarget; composer?: string | undefined; composerVersion?: string | undefined };

/** The source --source names. */
export function sourceFor(ctx: Context, args: GlobalOptions & { source: string }): SecretSource {
  const spec = parseSourceSpec(args.source);
  const reader = (input: SourceInput) => ({
    description: input.kind === 'stdin' ? 'standard input' : path.resolve(ctx.cwd, input.path),
    read: async () => {
      if (input.kind === 'stdin') return readAll(ctx.stdin, `${SOURCE_FLAG}: standard input`);
      const file = path.resolve(ctx.cwd, input.path);
      let bytes: Uint8Array;
      try {
        bytes = (await ctx.fs.readFile(file)) as Uint8Array;
      } catch (error) {
        if (errorCode(error) === 'ENOENT') throw new UsageError(`${SOURCE_FLAG}: there is no file ${file}`);
        throw ioError(error, `${SOURCE_FLAG}: cannot read ${file}`);
      }
      // Not read with replacement characters: a value would change without a word.
      return utf8Text(bytes, `${SOURCE_FLAG}: ${file}`);
    },
  });
  switch (spec.kind) {
    case 'store':
      return localStoreSource(ctx.fs, storeFile(ctx, args));
    case 'terminus':
      return terminusCommandSource({ runner: ctx.runner, env: ctx.env, cwd: ctx.cwd });
    case 'terminus-json':
      return terminusJsonSource(reader(spec.input));
    case 'sdk-json':
      return sdkJsonSource(reader(spec.input));
    case 'http-api':
      return httpApiSource(apiClientOptions(ctx, spec.baseUrl));
  }
}

/** The secrets API client's edge: the token from COMPOSER_SECRETS_TOKEN or the saved Terminus session. */
export function apiClientOptions(ctx: Context, baseUrl: string) {
  const service = checkApiBaseUrl(baseUrl).href.replace(/\/+$/, '');
  return { baseUrl, token: () => apiToken({ env: ctx.env, fs: ctx.fs, home: ctx.home, nowMs: Date.now() }, service) };
}

/** --site: a site name, or a site UUID in any case (lowercased, as Pantheon writes it). */
export function siteArgument(value: string, what: string): string {
  return UUID_PATTERN.test(value) ? value.toLowerCase() : ownerName(value, what);
}

export async function fetchSecrets(
  ctx: Context,
  args: BuildTargetArgs,
): Promise<{ site: string; environment: string; secrets: SiteSecrets; toolCredentials: readonly string[] }> {
  const site = siteArgument(args.site, 'site name (--site)');
  const environment = ownerName(args.env, 'environment name (--env)');
  const organization = args.org === undefined ? undefined : ownerName(args.org, 'organization name (--org)');
  const source = sourceFor(ctx, args);
  const secrets = await source.fetch({ site, organization });
  return { site, environment, secrets, toolCredentials: source.toolCredentials?.() ?? [] };
}

/** The project folder and the file the target writes (asking composer for its home when COMPOSER_HOME is unset). */
export async function authTargetFor(
  ctx: Context,
  args: AuthTargetArgs,
): Promise<{ dir: string; target: AuthTarget; file: string | undefined }> {
  const dir = path.resolve(ctx.cwd, args.dir);
  let composerHome = ctx.env.COMPOSER_HOME;
  if (args.authTarget === 'home' && (composerHome === undefined || composerHome === '')) {
    const composer = await locateComposer(ctx.fs, args.composer, ctx.env, ctx.cwd);
    const home = await captureOutput(ctx.runner, composer, ['config', '--global', 'home', '--no-interaction'], { cwd: dir, env: withoutToolCredentials(ctx.env) });
    composerHome = home.exitCode === 0 ? home.stdout.trim() : undefined;
    if (composerHome === undefined || composerHome === '') {
      throw new UsageError('--auth-target home: could not learn COMPOSER_HOME from composer; set COMPOSER_HOME');
    }
  }
  // Composer resolves a relative COMPOSER_HOME against its working folder, which is --dir.
  return { dir, target: args.authTarget, file: authFileFor(args.authTarget, dir, composerHome === undefined ? undefined : path.resolve(dir, composerHome)) };
}

/**
 * The project folder, the file the target writes and the Composer that will run: what
 * plan, build and doctor plan against. The version is learned once per run; every rule
 * that depends on it reads this (restore, which needs none, takes authTargetFor alone).
 */
export async function buildTargetFor(
  ctx: Context,
  args: AuthTargetArgs,
): Promise<{ dir: string; target: AuthTarget; file: string | undefined; composerVersion: KnownComposer }> {
  const target = await authTargetFor(ctx, args);
  const composerVersion = await learnComposerVersion(ctx, { flag: args.composerVersion, composer: args.composer, dir: target.dir });
  return { ...target, composerVersion };
}
