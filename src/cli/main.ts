// The command line: yargs for parsing, one module per command, and the one place where
// errors become messages and exit codes.
import yargs, { type Argv, type CommandModule } from 'yargs';
import packageJson from '../../package.json' with { type: 'json' };
import type { OutputFailure } from '../context.js';
import { CliError, EnvironmentError, EXIT_FAILURE, EXIT_OK, UsageError } from '../errors.js';
import { ioError } from '../io/secret-file.js';
import { refuseStdinOutsideValue, withStdinMarked } from './arguments.js';
import {
  beforeComposerArguments,
  commandName,
  DEMAND_COMMAND_MESSAGE,
  type ParserOptions,
  PROGRAM,
  readCommandLine,
  refuseMissingValues,
  refuseUnknownOptions,
  yargsFailureSentence,
} from './command-line.js';
import { authJsonCommand } from './commands/auth-json.js';
import { buildCommand } from './commands/build.js';
import { doctorCommand } from './commands/doctor.js';
import { envCommand } from './commands/env.js';
import { planCommand } from './commands/plan.js';
import { restoreCommand } from './commands/restore.js';
import { scanCommand } from './commands/scan.js';
import { secretDeleteCommand } from './commands/secret-delete.js';
import { secretListCommand } from './commands/secret-list.js';
import { secretSetCommand } from './commands/secret-set.js';
import { secretSiteLocalGenerateCommand } from './commands/secret-site-local-generate.js';
import { siteSetOrgCommand } from './commands/site-set-org.js';
import type { Context } from './context.js';

/**
 * Runs one command line; returns the exit code. Never throws. Output that could not be
 * written (a closed pipe, a full disk) is one line on standard error (when that still
 * works) and a non-zero exit code.
 */
export async function main(argv: readonly string[], ctx: Context): Promise<number> {
  let failure: OutputFailure | undefined;
  const unsubscribe = ctx.onOutputFailure((f) => (failure ??= f));
  let exitCode: number;
  try {
    exitCode = await runCommandLine(argv, ctx);
    await ctx.flushOutput();
  } finally {
    unsubscribe();
  }
  if (failure === undefined) return exitCode;
  ctx.stderr.write(errorReport(outputFailureError(failure), ctx.env));
  return exitCode === EXIT_OK ? EXIT_FAILURE : exitCode;
}

function outputFailureError(failure: OutputFailure): EnvironmentError {
  const stream = failure.stream === 'stdout' ? 'standard output' : 'standard error';
  if (failure.code === 'EPIPE') return new EnvironmentError(`cannot write to ${stream}: the program reading it has closed it`);
  return ioError({ code: failure.code }, `cannot write to ${stream}`);
}

async function runCommandLine(argv: readonly string[], ctx: Context): Promise<number> {
  let output = '';
  let exitCode = EXIT_OK;
  try {
    refuseUnderscoreOptions(argv);
    const commands = [
      secretSetCommand(ctx, 'site'),
      secretListCommand(ctx, 'site'),
      secretDeleteCommand(ctx, 'site'),
      secretSiteLocalGenerateCommand(ctx),
      secretSetCommand(ctx, 'org'),
      secretListCommand(ctx, 'org'),
      secretDeleteCommand(ctx, 'org'),
      siteSetOrgCommand(ctx),
      planCommand(ctx),
      doctorCommand(ctx),
      envCommand(ctx),
      buildCommand(ctx, (code) => (exitCode = code)),
      authJsonCommand(ctx),
      restoreCommand(ctx),
      scanCommand(ctx),
    ];
    const line = readCommandLine(argv, commands);
    const parser: Argv = yargs()
      .scriptName(PROGRAM)
      // The rewrite of yargs' messages (yargsFailureSentence) reads English; LC_ALL must not change them.
      .locale('en')
      .usage(`${PROGRAM} <command> [options]\n\nTurns a site's and its organization's secrets into a working composer install.`)
      .example(`${PROGRAM} secret:site:set shop API_KEY - --type env --scope ic < key.txt`, 'store a build variable of site shop')
      .example(`${PROGRAM} plan --site shop --env dev`, 'what a build would use, values redacted')
      .example(`${PROGRAM} build --site shop --env dev`, 'composer install with them; every file put back')
      .epilog(`${PROGRAM} help <command> (or <command> --help) shows a command's arguments, options and examples.`)
      .version('version', 'show the version', packageJson.version)
      .alias('version', 'v')
      .help('help', 'show help (of a command, after its name)')
      .alias('help', 'h')
      .option('store', {
        type: 'string',
        global: true,
        describe: 'the local store file (default: $COMPOSER_SECRETS_STORE, else ~/.config/composer-secrets/store.json)',
      });
    for (const command of commands) parser.command(command as unknown as CommandModule);
    parser
      // A repeated option takes its last value rather than becoming an array. No --no-X:
      // every option but the booleans takes a name or a path, which `false` is not.
      .parserConfiguration({ 'populate--': true, 'duplicate-arguments-array': false, 'boolean-negation': false })
      // Before yargs' checks and each command's own (build-input.ts), which would otherwise
      // report a flag given no value, or '-', as an invalid name, and a mistyped option as
      // a missing one. Help asked for wins.
      .middleware((args) => {
        if (line.wantsHelp) return;
        refuseUnknownOptions(args, line.argv, line.command, parsedOptions(parser));
        refuseMissingValues(argv, parsedOptions(parser));
        refuseStdinOutsideValue(args, argv);
        refuseComposerArguments(args, line.command === undefined ? undefined : commandName(line.command));
      }, true)
      .demandCommand(1, DEMAND_COMMAND_MESSAGE)
      .strict()
      // Wrapping is measured text; it is only worth its cost when help is shown.
      .wrap(line.wantsHelp ? Math.min(100, process.stdout.columns ?? 100) : null)
      .fail((message, error) => {
        // yargs counts arguments and demands options before it looks for unknown ones.
        const parsed = parsedArguments(parser);
        if (error === undefined && parsed !== undefined) refuseUnknownOptions(parsed.argv, line.argv, line.command, parsedOptions(parser));
        throw error ?? new UsageError(yargsFailureSentence(message, line.argv, line.command, parsedOptions(parser)));
      })
      .exitProcess(false);
    if (!line.wantsHelp) skipHelpCaching(parser);
    await parser.parseAsync(withStdinMarked(line.argv), {}, (_error, _args, text) => {
      output = text;
    });
    if (output !== '') ctx.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
    return exitCode;
  } catch (error) {
    ctx.stderr.write(errorReport(error, ctx.env));
    return error instanceof CliError ? error.exitCode : EXIT_FAILURE;
  }
}

/**
 * After every command yargs formats the whole help text, to show it should an async handler
 * fail: about 10 ms of CPU time on each run of `plan` (perf task-clock, 60 interleaved runs
 * of the built CLI with and without this). Our failures never show help (see .fail above),
 * so unless help is asked for, that is skipped, as the Angular CLI does
 * (angular/angular-cli#34087). Internal to yargs: if it ever moves, nothing is skipped and
 * nothing else changes.
 */
function skipHelpCaching(parser: Argv): void {
  const internals = parser as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: unknown } } };
  const usage = internals.getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => {};
}

/** What yargs-parser made of the command line (by yargs' `parsed`, which its types leave out), once it has run. */
const parsedArguments = (parser: Argv) => (parser as unknown as { parsed: false | { argv: Record<string, unknown> } }).parsed || undefined;

/** The options yargs knows at this point of the parse (the command's too), by its getOptions(), which its types leave out. */
const parsedOptions = (parser: Argv) => (parser as unknown as { getOptions(): ParserOptions }).getOptions();

/** Only build runs composer: words after `--` anywhere else would be dropped without a word. */
function refuseComposerArguments(args: Record<string, unknown>, command: string | undefined): void {
  const passed = args['--'];
  if (command === 'build' || !Array.isArray(passed) || passed.length === 0) return;
  throw new UsageError(`${command ?? PROGRAM} runs no composer: the words after -- are composer's arguments, which only build takes`);
}

/**
 * yargs-parser writes an option named `_` into its own list of positionals, and strict mode
 * does not see it: `-_`, `--_=x` or `--_.a x` can become a positional (a secret's value of
 * `true` or `[object Object]`) without an error. None of our options has a `_` in its name,
 * so such a token is refused up front.
 */
function refuseUnderscoreOptions(argv: readonly string[]): void {
  for (const token of beforeComposerArguments(argv)) {
    if (/^-/.test(token) && (token.split('=')[0] ?? '').includes('_')) {
      throw new UsageError(
        'unknown option (no option of composer-secrets has a "_" in its name; give a value that starts with "-" on standard input, as -)',
      );
    }
  }
}

/** The message for a failure. Errors we did not make may quote their input: only their kind is shown. */
function errorReport(error: unknown, env: Record<string, string | undefined>): string {
  if (error instanceof CliError) {
    const details = error.details.map((line) => `  - ${line}\n`).join('');
    return `${PROGRAM}: ${error.message}\n${details}`;
  }
  const kind = error instanceof Error ? error.name : typeof error;
  // The stack's first line is the message, which may quote input: print only the frames.
  const frames =
    error instanceof Error
      ? (error.stack ?? '')
          .split('\n')
          .filter((line) => /^\s+at /.test(line))
          .join('\n')
      : '';
  const debug = env.COMPOSER_SECRETS_DEBUG === '1' ? `${frames}\n` : '';
  return `${PROGRAM}: internal error (${kind}); run again with COMPOSER_SECRETS_DEBUG=1 for details, and please report it\n${debug}`;
}
