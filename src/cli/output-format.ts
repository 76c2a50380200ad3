// --format and --json: wherever output can be JSON, `--json` is `--format json`, so
// either spelling works on every command that prints a document.
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';

export type FormatArgs<F extends string> = { format?: F | undefined; json?: boolean | undefined };

/**
 * --format with these choices, and --json. The default is applied by outputFormat, so that
 * `--json --format table` can be told from `--json` alone.
 */
export function withOutputFormat<T, F extends string>(y: Argv<T>, formats: readonly F[], byDefault: F, describe: string) {
  return y
    .option('format', { choices: formats, describe: `${describe} (default: ${byDefault})` })
    .option('json', { type: 'boolean', describe: 'the same as --format json' }) as unknown as Argv<T & FormatArgs<F>>;
}

/** The format asked for; --json with another --format is refused. */
export function outputFormat<F extends string>(args: FormatArgs<F>, byDefault: F): F | 'json' {
  if (args.json === true) {
    if (args.format !== undefined && args.format !== 'json')
      throw new UsageError(`--json and --format ${args.format} ask for two formats: give one`);
    return 'json';
  }
  return args.format ?? byDefault;
}

/** Whether either --format or --json was given (for commands where neither means anything without another flag). */
export const formatGiven = (args: FormatArgs<string>): boolean => args.format !== undefined || args.json === true;
