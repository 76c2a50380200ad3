import { planBuildOnDisk, refuseProblems, runBuild } from '../../run/build.js';
import { buildTargetFor, fetchSecrets, leakCheckOf, withAuthTarget, withBuildTarget, withLeakCheck } from '../build-input.js';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';
import { renderPlanJson, renderPlanTable } from '../render/plan.js';

export const DEFAULT_COMPOSER_ARGS = ['install', '--no-interaction'];

export const buildCommand = (ctx: Context, setExitCode: (code: number) => void) =>
  defineCommand({
    command: 'build',
    describe: 'Run composer install with the site\'s credentials and variables, then put every file back (arguments after -- replace "install")',
    builder: (y) =>
      withLeakCheck(withAuthTarget(withBuildTarget(y)))
        .option('keep-auth', { type: 'boolean', default: false, describe: 'leave the written auth.json in place (undo later with restore)' })
        .option('dry-run', { type: 'boolean', default: false, describe: 'print the plan; write and run nothing' })
        .option('json', { type: 'boolean', default: false, describe: 'with --dry-run: the plan as JSON' }),
    handler: async (args) => {
      const passed = (args['--'] as string[] | undefined) ?? [];
      const composerArgs = passed.length > 0 ? passed.map(String) : DEFAULT_COMPOSER_ARGS;
      // `composer install` needs composer.json; arguments of one's own (create-project, global ...) may not.
      const request = { ...(await fetchSecrets(ctx, args)), ...(await buildTargetFor(ctx, args, passed.length === 0)) };
      if (args.dryRun) {
        const { plan } = await planBuildOnDisk(ctx, request);
        ctx.stdout.write(args.json ? renderPlanJson(plan) : renderPlanTable(plan));
        refuseProblems(plan, { listedAbove: true });
        ctx.stderr.write('composer-secrets: dry run: nothing was written and composer was not run\n');
        return;
      }
      setExitCode(await runBuild(ctx, { ...request, composer: args.composer, composerArgs, keepAuth: args.keepAuth, leakCheck: leakCheckOf(args) }));
    },
  });
