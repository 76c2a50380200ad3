import { defineCommand } from '../command.js';
import { planFor, withBuildTarget } from '../build-input.js';
import type { Context } from '../context.js';
import { renderPlanJson, renderPlanTable } from '../render/plan.js';

export const planCommand = (ctx: Context) =>
  defineCommand({
    command: 'plan',
    describe: 'Show what a build of the site and environment would use, and where each value came from (values redacted)',
    builder: (y) => withBuildTarget(y).option('json', { type: 'boolean', default: false, describe: 'the plan as a JSON document' }),
    handler: async (args) => {
      const { plan } = await planFor(ctx, args);
      ctx.stdout.write(args.json ? renderPlanJson(plan) : renderPlanTable(plan));
    },
  });
