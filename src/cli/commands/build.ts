import { planBuildOnDisk, refuseProblems } from '../../disk-plan/plan-on-disk.js';
import { UsageError } from '../../errors.js';
import { type ComposerRan, runBuild } from '../../run/build.js';
import { checkBuildForLeaks } from '../../sweep/leak-check.js';
import { buildTargetFor, fetchSecrets, leakCheckOf, withAuthTarget, withBuildTarget, withLeakCheck } from '../build-input.js';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';
import { formatGiven, outputFormat, withOutputFormat } from '../output-format.js';
import { renderPlanJson, renderPlanTable } from '../render/plan.js';
import { PLAN_FORMATS } from './plan.js';

const DEFAULT_COMPOSER_ARGS = ['install', '--no-interaction'];

export const buildCommand = (ctx: Context, setExitCode: (code: number) => void) =>
  defineCommand({
    command: 'build',
    describe:
      'Run composer install with the site\'s credentials and variables, then put every file back (arguments after -- replace "install")',
    builder: (y) =>
      withOutputFormat(
        withLeakCheck(withAuthTarget(withBuildTarget(y))),
        PLAN_FORMATS,
        'table',
        'with --dry-run: table, or json for the plan as a JSON document',
      )
        .option('keep-auth', {
          type: 'boolean',
          default: false,
          describe: 'leave the written auth.json in place (undo later with restore)',
        })
        .option('dry-run', { type: 'boolean', default: false, describe: 'print the plan; write and run nothing' })
        .example('composer-secrets build --site shop --env dev', 'composer install with the credentials and variables of shop for dev')
        .example('composer-secrets build --site shop --env dev -- install --no-dev --optimize-autoloader', 'other composer arguments')
        .example('composer-secrets build --site shop --env dev --dry-run --json', 'the plan as JSON; nothing written or run'),
    handler: async (args) => {
      if (formatGiven(args) && !args.dryRun) {
        throw new UsageError(
          `build ${args.json === true ? '--json' : '--format'} prints the plan of a dry run: ` +
            "add --dry-run, or leave it out (a build prints composer's output)",
        );
      }
      const format = outputFormat(args, 'table');
      const passed = (args['--'] as string[] | undefined) ?? [];
      const composerArgs = passed.length > 0 ? passed.map(String) : DEFAULT_COMPOSER_ARGS;
      // `composer install` needs composer.json; arguments of one's own (create-project, global ...) may not.
      const request = { ...(await fetchSecrets(ctx, args)), ...(await buildTargetFor(ctx, args, passed.length === 0)) };
      if (args.dryRun) {
        const { plan } = await planBuildOnDisk(ctx, request);
        ctx.stdout.write(format === 'json' ? renderPlanJson(plan) : renderPlanTable(plan));
        refuseProblems(plan, { listedAbove: true });
        ctx.stderr.write('composer-secrets: dry run: nothing was written and composer was not run\n');
        return;
      }
      const check = leakCheckOf(args);
      const checkLeaks = (ran: ComposerRan) =>
        checkBuildForLeaks(ctx, { ...ran, dir: request.dir, file: request.file, keepAuth: args.keepAuth, check });
      setExitCode(await runBuild(ctx, { ...request, composer: args.composer, composerArgs, keepAuth: args.keepAuth, checkLeaks }));
    },
  });
