import { planBuildOnDisk, refuseProblems } from '../../disk-plan/plan-on-disk.js';
import { UsageError } from '../../errors.js';
import { buildTargetFor, fetchSecrets, withAuthTarget, withBuildTarget } from '../build-input.js';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';
import { outputFormat, withOutputFormat } from '../output-format.js';
import { renderPlanJson, renderPlanTable } from '../render/plan.js';

export const PLAN_FORMATS = ['table', 'json'] as const;

export const planCommand = (ctx: Context) =>
  defineCommand({
    command: 'plan',
    describe: 'Show what a build of the site and environment would use, and where each value came from (values redacted)',
    builder: (y) =>
      withOutputFormat(
        withAuthTarget(withBuildTarget(y)),
        PLAN_FORMATS,
        'table',
        'table: the plan for a person; json: the plan as a JSON document',
      )
        // Not shown in help: taken only to say why it is not needed.
        .option('dry-run', { type: 'boolean', hidden: true })
        .example('composer-secrets plan --site shop --env dev', 'what a build of shop for dev would write and set')
        .example('composer-secrets plan --site shop --env dev --source terminus --json', 'the same from Terminus, as JSON'),
    handler: async (args) => {
      if (args.dryRun !== undefined)
        throw new UsageError('plan --dry-run: plan writes and runs nothing already; leave --dry-run out (it is for build)');
      const format = outputFormat(args, 'table');
      const { plan } = await planBuildOnDisk(ctx, { ...(await fetchSecrets(ctx, args)), ...(await buildTargetFor(ctx, args)) });
      ctx.stdout.write(format === 'json' ? renderPlanJson(plan) : renderPlanTable(plan));
      // A plan that a build would refuse is a failed check (exit 2), after it is shown.
      refuseProblems(plan, { listedAbove: true });
    },
  });
