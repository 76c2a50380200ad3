import path from 'node:path';
import { installAuthDocument } from '../../apply/credentials-file.js';
import { addMaskCommands } from '../../apply/export-formats.js';
import { writeWarning } from '../../context.js';
import { planBuildOnDisk, refuseProblems } from '../../disk-plan/plan-on-disk.js';
import { withLock } from '../../io/process-lock.js';
import { authParts } from '../../plan/build-plan.js';
import { maskedFormsOf, maskedTexts } from '../../run/output-mask.js';
import { fetchSecrets, withBuildTarget } from '../build-input.js';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';

export const authJsonCommand = (ctx: Context) =>
  defineCommand({
    command: 'auth-json',
    describe:
      'Write the Composer auth document only (0600, merged into an existing file), ' +
      'for CI steps that run composer themselves; undo with restore --file',
    builder: (y) =>
      withBuildTarget(y)
        .option('output', { type: 'string', demandOption: true, describe: 'the auth.json to write' })
        .example(
          'composer-secrets auth-json --site shop --env dev --output auth.json',
          'the credentials only; then composer install, then restore --file auth.json',
        ),
    handler: async (args) => {
      const file = path.resolve(ctx.cwd, args.output);
      const fetched = await fetchSecrets(ctx, args);
      await withLock(ctx, file, async () => {
        const { plan, payload } = await planBuildOnDisk(ctx, { ...fetched, dir: path.dirname(file), target: 'project', file });
        refuseProblems(plan);
        // In GitHub Actions, masks first: from here on the runner hides every credential part
        // of the file, in each form the build's own masker knows, in the job log.
        if (ctx.env.GITHUB_ACTIONS === 'true' && payload.authFile !== undefined) {
          ctx.stdout.write(addMaskCommands(maskedTexts(authParts(payload.authFile)).flatMap(maskedFormsOf)));
        }
        for (const warning of plan.warnings) writeWarning(ctx, warning);
        if (payload.authFile === undefined) {
          ctx.stderr.write(
            `composer-secrets: site ${fetched.site} has no composer credentials for ${fetched.environment}; ${file} was not written\n`,
          );
          return;
        }
        await installAuthDocument(ctx.fs, file, payload.authFile);
        ctx.stderr.write(`composer-secrets: wrote ${file}; \`composer-secrets restore --file ${args.output}\` puts back what was there\n`);
      });
    },
  });
