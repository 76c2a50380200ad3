// How a command is declared: its yargs builder and an async handler over typed arguments.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { SECRET_TYPES } from '../model/secret.js';
import { storePath } from '../sources/local-store.js';
import type { Context } from './context.js';

export type GlobalOptions = { store: string | undefined };

export function defineCommand<A>(spec: {
  command: string;
  describe: string;
  builder: (y: Argv<GlobalOptions>) => Argv<A>;
  handler: (args: ArgumentsCamelCase<A>) => Promise<void>;
}): CommandModule<GlobalOptions, A> {
  return spec;
}

/** --type and --scope, which only a new secret takes (Terminus's defaults: runtime, user). */
export function withNewSecretOptions<T>(y: Argv<T>) {
  return y
    .option('type', { choices: SECRET_TYPES, describe: 'runtime, env or composer (new secrets; default runtime)' })
    .option('scope', { type: 'string', describe: 'comma-separated: ic,web,user (new secrets; default user)' });
}

export function storeFile(ctx: Context, args: GlobalOptions): string {
  return storePath({ flag: args.store, env: ctx.env, home: ctx.home, cwd: ctx.cwd });
}
