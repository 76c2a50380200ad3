import path from 'node:path';
import { installAuthDocument } from '../../apply/credentials-file.js';
import { planBuildOnDisk, refuseProblems, waitingFor } from '../../run/build.js';
import { fetchSecrets, withBuildTarget } from '../build-input.js';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';

export const authJsonCommand = (ctx: Context) =>
  defineCommand({
    command: 'auth-json',
    describe: 'Write the Composer auth document only (0600, merged into an existing file), for CI steps that run composer themselves; undo with restore --file',
    builder: (y) => withBuildTarget(y).option('output', { type: 'string', demandOption: true, describe: 'the auth.json to write' }),
    handler: async (args) => {
      const file = path.resolve(ctx.cwd, args.output);
      const fetched = await fetchSecrets(ctx, args);
      const release = await ctx.lock(file, waitingFor(ctx, file));
      try {
        const { plan, payload } = await planBuildOnDisk(ctx, { ...fetched, dir: path.dirname(file), target: 'project', file });
        refuseProblems(plan);
        for (const warning of plan.warnings) ctx.stderr.write(`composer-secrets: warning: ${warning}\n`);
        if (payload.authFile === undefined) {
          ctx.stderr.write(`composer-secrets: site ${fetched.site} has no composer credentials for ${fetched.environment}; ${file} was not written\n`);
          return;
        }
        await installAuthDocument(ctx.fs, file, payload.authFile);
        ctx.stderr.write(`composer-secrets: wrote ${file}; \`composer-secrets restore --file ${args.output}\` puts back what was there\n`);
      } finally {
        await release();
      }
    },
  });
