// What plan, env, build, auth-json and restore share: the site and environment, where
// the secrets come from, and where credentials go.
import path from 'node:path';
import type { Argv } from 'yargs';
import { authFileFor } from '../disk-plan/composer-files.js';
import { UsageError } from '../errors.js';
import { errorCode } from '../io/file-system.js';
import { captureOutput } from '../io/process-runner.js';
import { ioError } from '../io/secret-file.js';
import type { KnownComposer } from '../model/composer-version.js';
import { AUTH_TARGETS, type AuthTarget } from '../plan/auth-plan.js';
import { locateComposer } from '../run/composer-process.js';
import { composerVersionFlag, learnComposerVersion } from '../run/composer-version.js';
import { apiToken } from '../sources/api-token.js';
import { checkApiBaseUrl, httpApiSource } from '../sources/http-api.js';
import { localStoreSource } from '../sources/local-store.js';
import { sdkJsonSource } from '../sources/sdk-json.js';
import { UUID_PATTERN } from '../sources/site-uuid.js';
import type { SecretSource, SiteSecrets } from '../sources/source.js';
import { DEFAULT_SOURCE_SPEC } from '../sources/source.js';
import { parseSourceSpec, SOURCE_FLAG, type SourceInput } from '../sources/source-spec.js';
import { terminusCommandSource } from '../sources/terminus-command.js';
import { terminusJsonSource } from '../sources/terminus-json.js';
import { withoutToolCredentials } from '../sources/tool-credentials.js';
import { LEAK_CHECK_MODES, type LeakCheck, type LeakCheckMode } from '../sweep/leak-check.js';
import { ignoredBy } from '../sweep/path-glob.js';
import { ownerName } from './arguments.js';
import { type GlobalOptions, storeFile } from './command.js';
import { type Context, readAll, utf8Text } from './context.js';

export function withBuildTarget<T extends GlobalOptions>(y: Argv<T>) {
  return (
    y
      .option('source', {
        type: 'string',
        default: DEFAULT_SOURCE_SPEC,
        describe:
          'where the secrets come from: store, terminus, terminus-json:FILE, sdk-json:FILE (- = stdin), pantheon, ' +
          'or https://HOST/customer-secrets/v1',
      })
      .option('site', {
        type: 'string',
        demandOption: true,
        describe: 'the site to build: its name, or its UUID (pantheon and https:// sources take only the UUID)',
      })
      .option('env', { type: 'string', demandOption: true, describe: 'the environment (dev or a multidev)' })
      .option('org', { type: 'string', describe: "the site's organization, when the source records none" })
      // Before the handler, so that a mistyped flag is refused before anything is read or run.
      .check((args) => {
        const last = (value: unknown) => (Array.isArray(value) ? value[value.length - 1] : value) as string;
        siteArgument(last(args.site), 'site name (--site)');
        ownerName(last(args.env), 'environment name (--env)');
        if (args.org !== undefined) ownerName(last(args.org), 'organization name (--org)');
        parseSourceSpec(last(args.source));
        return true;
      })
  );
}

export function withAuthTarget<T>(y: Argv<T>) {
  return (
    y
      // No yargs default: a folder named with --dir must hold composer.json, the current one need not (see projectFolder).
      .option('dir', { type: 'string', describe: 'the project folder (where composer.json is)', defaultDescription: '.' })
      .option('auth-target', {
        choices: AUTH_TARGETS,
        default: 'project' as AuthTarget,
        describe: 'project: auth.json beside composer.json; home: $COMPOSER_HOME/auth.json; env: COMPOSER_AUTH only, nothing on disk',
      })
      .option('composer', { type: 'string', describe: 'the composer program (default: composer on PATH)' })
      .option('composer-version', {
        type: 'string',
        describe: 'the Composer version to plan for, X.Y.Z (default: read from the composer that will run)',
      })
      // Before the handler, so that a mistyped flag is refused before anything is read or run.
      .check((args) => {
        if (args.composerVersion !== undefined) composerVersionFlag(String(args.composerVersion));
        return true;
      })
  );
}

/** The leak sweep's options (build and scan). */
export function withLeakCheckIgnore<T>(y: Argv<T>) {
  return (
    y
      .option('leak-check-ignore', {
        type: 'string',
        array: true,
        describe: 'paths (globs relative to the folder: deploy/.env vendor/**/*.log) the leak check leaves out, one or more after the flag',
      })
      // The globs are compiled here too, so that a broken one is refused before a build runs composer.
      .check((args) => {
        ignoredBy(([] as unknown[]).concat(args.leakCheckIgnore ?? []).map(String));
        return true;
      })
  );
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
export type AuthTargetArgs = {
  dir?: string | undefined;
  authTarget: AuthTarget;
  composer?: string | undefined;
  composerVersion?: string | undefined;
};

/** The source --source names. */
function sourceFor(ctx: Context, args: GlobalOptions & { source: string }): SecretSource {
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
function siteArgument(value: string, what: string): string {
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

/**
 * The project folder: --dir, else the current folder. A folder that is not there is
 * refused; so is one without composer.json when --dir named it or `needsComposerJson`
 * (a build running `composer install`): credentials would be written, and composer run,
 * in a folder that is not a project.
 */
async function projectFolder(ctx: Context, given: string | undefined, needsComposerJson: boolean): Promise<string> {
  const dir = path.resolve(ctx.cwd, given ?? '.');
  const named = given === undefined ? `the current folder ${dir}` : `--dir ${given}`;
  const kind = await fileKind(ctx, dir);
  if (kind !== 'folder') throw new UsageError(`${named}: ${kind === 'missing' ? 'there is no such folder' : 'not a folder'}`);
  if ((given !== undefined || needsComposerJson) && (await fileKind(ctx, path.join(dir, 'composer.json'))) === 'missing') {
    throw new UsageError(
      `${named}: there is no composer.json in it; ` +
        (given === undefined ? 'run it in the project folder or name that with --dir' : 'name the project folder (where composer.json is)'),
    );
  }
  return dir;
}

async function fileKind(ctx: Context, file: string): Promise<'missing' | 'folder' | 'other'> {
  try {
    return (await ctx.fs.stat(file)).isDirectory() ? 'folder' : 'other';
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return 'missing';
    throw ioError(error, `cannot read ${file}`);
  }
}

/**
 * The project folder and the file the target writes (asking composer for its home when
 * COMPOSER_HOME is unset). `needsComposerJson`: see projectFolder.
 */
export async function authTargetFor(
  ctx: Context,
  args: AuthTargetArgs,
  needsComposerJson = false,
): Promise<{ dir: string; target: AuthTarget; file: string | undefined }> {
  const dir = await projectFolder(ctx, args.dir, needsComposerJson);
  let composerHome = ctx.env.COMPOSER_HOME;
  if (args.authTarget === 'home' && (composerHome === undefined || composerHome === '')) {
    const composer = await locateComposer(ctx.fs, args.composer, ctx.env, ctx.cwd);
    const home = await captureOutput(ctx.runner, composer, ['config', '--global', 'home', '--no-interaction'], {
      cwd: dir,
      env: withoutToolCredentials(ctx.env),
    });
    composerHome = home.exitCode === 0 ? home.stdout.trim() : undefined;
    if (composerHome === undefined || composerHome === '') {
      throw new UsageError('--auth-target home: could not learn COMPOSER_HOME from composer; set COMPOSER_HOME');
    }
  }
  // Composer resolves a relative COMPOSER_HOME against its working folder, which is --dir.
  return {
    dir,
    target: args.authTarget,
    file: authFileFor(args.authTarget, dir, composerHome === undefined ? undefined : path.resolve(dir, composerHome)),
  };
}

/**
 * The project folder, the file the target writes and the Composer that will run: what
 * plan, build and doctor plan against. The version is learned once per run; every rule
 * that depends on it reads this (restore, which needs none, takes authTargetFor alone).
 */
export async function buildTargetFor(
  ctx: Context,
  args: AuthTargetArgs,
  needsComposerJson = false,
): Promise<{ dir: string; target: AuthTarget; file: string | undefined; composerVersion: KnownComposer }> {
  const target = await authTargetFor(ctx, args, needsComposerJson);
  const composerVersion = await learnComposerVersion(ctx, { flag: args.composerVersion, composer: args.composer, dir: target.dir });
  return { ...target, composerVersion };
}
