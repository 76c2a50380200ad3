import path from 'node:path';
import { EXPORT_FORMATS, formatExport } from '../../apply/export-formats.js';
import { counted } from '../../counted.js';
import { refuseProblems } from '../../disk-plan/plan-on-disk.js';
import { UsageError } from '../../errors.js';
import { withLock } from '../../io/process-lock.js';
import { appendToRegularFile, writeSecretFile } from '../../io/secret-file.js';
import { planBuild } from '../../plan/build-plan.js';
import { resolveForEnvironment } from '../../resolve/resolve-for-environment.js';
import { fetchSecrets, withBuildTarget } from '../build-input.js';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';
import { outputFormat, withOutputFormat } from '../output-format.js';

export const envCommand = (ctx: Context) =>
  defineCommand({
    command: 'env',
    describe: "Export the build's env variables, values in clear: json, dotenv, shell (export lines), or github ($GITHUB_ENV, with masks)",
    builder: (y) =>
      withOutputFormat(
        withBuildTarget(y),
        EXPORT_FORMATS,
        'json',
        'json: one object; dotenv: NAME="value" lines; shell: export lines; github: appended to $GITHUB_ENV, values masked in the log',
      )
        .option('output', { type: 'string', describe: 'write to this file (created 0600, atomically) instead of standard output' })
        .example('composer-secrets env --site shop --env dev --format dotenv --output build.env', 'the variables as a .env file')
        .example(
          'composer-secrets env --site shop --env dev --format github',
          'in a GitHub Actions step: the variables for the next steps',
        ),
    handler: async (args) => {
      const format = outputFormat(args, 'json');
      const githubEnv = ctx.env.GITHUB_ENV;
      if (format === 'github') {
        if (args.output !== undefined) throw new UsageError('--output does not go with --format github (it writes to $GITHUB_ENV)');
        if (githubEnv === undefined || githubEnv === '') {
          throw new UsageError(
            '--format github appends to the file named by $GITHUB_ENV, which is not set (run it in a GitHub Actions step)',
          );
        }
      }
      const { site, environment, secrets } = await fetchSecrets(ctx, args);
      // Variables only: no credentials file is read, so an auth.json here has no say (as in scan).
      const { plan, payload } = planBuild({
        site,
        environment,
        organization: secrets.organization?.name,
        resolved: resolveForEnvironment({ ...secrets, environment }),
      });
      refuseProblems(plan);
      const count = Object.keys(payload.variables).length;
      const { randomBytes } = await import('node:crypto');
      const text = formatExport(format, payload.variables, () => `ghadelimiter_${randomBytes(16).toString('hex')}`);

      if (text.githubEnvText !== null && githubEnv !== undefined) {
        // Masks first: from here on the runner hides the values in the job log.
        ctx.stdout.write(text.stdout);
        await appendToRegularFile(ctx.fs, githubEnv, text.githubEnvText, '$GITHUB_ENV file');
        ctx.stderr.write(`Added ${counted(count, 'variable')} to $GITHUB_ENV.\n`);
        return;
      }
      if (args.output === undefined) {
        ctx.stdout.write(text.stdout);
        return;
      }
      const file = path.resolve(ctx.cwd, args.output);
      // Under the lock, the write may remove the temp files a killed earlier write left.
      await withLock(ctx, file, () => writeSecretFile(ctx.fs, file, text.stdout, { what: 'output file' }));
      ctx.stderr.write(`Wrote ${counted(count, 'variable')} to ${file}.\n`);
    },
  });
