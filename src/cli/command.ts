// How a command is declared: its yargs builder and an async handler over typed arguments.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { SECRET_TYPES } from '../model/secret.js';
import { storePath } from '../sources/local-store.js';
import type { Context } from './context.js';

export type GlobalOptions = { store: string | undefined };

export function defineCommand<A>(spec: {
  command: string;
  /** Other names for the command (Terminus's aliases). */
  aliases?: readonly string[];
  describe: string;
  builder: (y: Argv<GlobalOptions>) => Argv<A>;
  handler: (args: ArgumentsCamelCase<A>) => Promise<void>;
}): CommandModule<GlobalOptions, A> {
  return { ...spec, aliases: spec.aliases === undefined ? undefined : [...spec.aliases] };
}

/** --type and --scope, which only a new secret takes (Terminus's defaults: runtime, user). */
export function withNewSecretOptions<T>(y: Argv<T>) {
  return y
    .option('type', { choices: SECRET_TYPES, describe: 'runtime, env or composer (only when creating; default runtime)' })
    .option('scope', { type: 'string', describe: 'comma-separated: ic,web,user (only when creating; default user)' })
    .epilog(
      "Type and scopes are fixed when a secret is created: setting an existing secret's value with --type or --scope is refused " +
        "(delete and recreate it to change them). An override keeps the secret's type and scopes.",
    );
}

export function storeFile(ctx: Context, args: GlobalOptions): string {
  return storePath({ flag: args.store, env: ctx.env, home: ctx.home, cwd: ctx.cwd });
}
