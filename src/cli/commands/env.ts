import path from 'node:path';
import { writeSecretFile } from '../../io/secret-file.js';
import { defineCommand } from '../command.js';
import { planBuildOnDisk, refuseProblems } from '../../run/build.js';
import { fetchSecrets, withBuildTarget } from '../build-input.js';
import type { Context } from '../context.js';

export const envCommand = (ctx: Context) =>
  defineCommand({
    command: 'env',
    describe: "Export the build's env variables, values in clear (to standard output, or to a 0600 file with --output)",
    builder: (y) =>
      withBuildTarget(y)
        .option('format', { choices: ['json'] as const, default: 'json' as const, describe: 'the export format' })
        .option('output', { type: 'string', describe: 'write to this file (created 0600, atomically) instead of standard output' }),
    handler: async (args) => {
      const { plan, payload } = await planBuildOnDisk(ctx, { ...(await fetchSecrets(ctx, args)), dir: ctx.cwd, target: 'env', file: undefined });
      refuseProblems(plan);
      const sorted = Object.fromEntries(Object.entries(payload.variables).sort(([a], [b]) => (a < b ? -1 : 1)));
      const text = `${JSON.stringify(sorted, null, 2)}\n`;
      if (args.output === undefined) {
        ctx.stdout.write(text);
        return;
      }
      const file = path.resolve(ctx.cwd, args.output);
      await writeSecretFile(ctx.fs, file, text, { what: 'output file' });
      ctx.stderr.write(`Wrote ${Object.keys(sorted).length} variable(s) to ${file}.\n`);
    },
  });
