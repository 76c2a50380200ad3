import { planBuildOnDisk, refuseProblems } from '../../run/build.js';
import { buildTargetFor, fetchSecrets, withAuthTarget, withBuildTarget } from '../build-input.js';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';
import { renderPlanJson, renderPlanTable } from '../render/plan.js';

export const planCommand = (ctx: Context) =>
  defineCommand({
    command: 'plan',
    describe: 'Show what a build of the site and environment would use, and where each value came from (values redacted)',
    builder: (y) => withAuthTarget(withBuildTarget(y)).option('json', { type: 'boolean', default: false, describe: 'the plan as a JSON document' }),
    handler: async (args) => {
      const { plan } = await planBuildOnDisk(ctx, { ...(await fetchSecrets(ctx, args)), ...(await buildTargetFor(ctx, args)) });
      ctx.stdout.write(args.json ? renderPlanJson(plan) : renderPlanTable(plan));
      // A plan that a build would refuse is a failed check (exit 2), after it is shown.
      refuseProblems(plan, { listedAbove: true });
    },
  });
