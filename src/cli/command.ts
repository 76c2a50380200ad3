// How a command is declared: its yargs builder and an async handler over typed arguments.
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
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

export function storeFile(ctx: Context, args: GlobalOptions): string {
  return storePath({ flag: args.store, env: ctx.env, home: ctx.home, cwd: ctx.cwd });
}
