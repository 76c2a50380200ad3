import path from 'node:path';
import { restoreCredentialsFile } from '../../apply/credentials-file.js';
import { withLock } from '../../io/process-lock.js';
import { authTargetFor, withAuthTarget } from '../build-input.js';
import { defineCommand } from '../command.js';
import type { Context } from '../context.js';

export const restoreCommand = (ctx: Context) =>
  defineCommand({
    command: 'restore',
    describe: 'Put back the auth.json that an interrupted build, --keep-auth or auth-json replaced (or remove the one it created)',
    builder: (y) =>
      withAuthTarget(y)
        .option('file', { type: 'string', describe: 'the file to restore (as given to auth-json --output)' })
        .example('composer-secrets restore --dir .', "after a killed build: the project's auth.json as it was")
        .example('composer-secrets restore --file auth.json', 'undo auth-json --output auth.json'),
    handler: async (args) => {
      const file = args.file !== undefined ? path.resolve(ctx.cwd, args.file) : (await authTargetFor(ctx, args)).file;
      if (file === undefined) {
        ctx.stdout.write('Nothing to restore: --auth-target env writes no file.\n');
        return;
      }
      await withLock(ctx, file, async () => {
        const outcome = await restoreCredentialsFile(ctx.fs, file);
        ctx.stdout.write(
          outcome === 'restored-original'
            ? `Restored the original ${file}.\n`
            : outcome === 'removed-generated'
              ? `Removed the generated ${file} (there was none before).\n`
              : `Nothing to restore at ${file}.\n`,
        );
      });
    },
  });
