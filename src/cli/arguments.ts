// Checks of command-line arguments that yargs cannot express. Messages name the argument
// and never echo a secret value.
import { UsageError } from '../errors.js';
import { closestName, OWNER_NAME_PATTERN } from '../model/names.js';
import { SCOPES, type Scope } from '../model/secret.js';
import { type Context, readAll } from './context.js';
import { isTerminal, readHiddenLine } from './hidden-input.js';

export function ownerName(value: string, what: string): string {
  if (!OWNER_NAME_PATTERN.test(value) || value.length > 100) {
    // Not quoted: a value typed one position off would land here.
    throw new UsageError(
      `invalid ${what}${quotedIfWordLike(value)}: use lowercase letters, digits and '-', starting with a letter or digit`,
    );
  }
  return value;
}

/** `<site>[.<env>]`, as Terminus takes it. */
export function siteTarget(value: string): { site: string; environment?: string } {
  const dot = value.indexOf('.');
  if (dot === -1) return { site: ownerName(value, 'site name') };
  return { site: ownerName(value.slice(0, dot), 'site name'), environment: ownerName(value.slice(dot + 1), 'environment name') };
}

export function scopeList(value: string | undefined): Scope[] | undefined {
  if (value === undefined) return undefined;
  const parts = value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (parts.length === 0) throw new UsageError(`--scope needs at least one of ${SCOPES.join(', ')}`);
  for (const part of parts) {
    if (!(SCOPES as readonly string[]).includes(part)) {
      // What was typed is not repeated (it may be a value one position off); a near scope is.
      const near = closestName(part, SCOPES);
      throw new UsageError(`--scope: unknown scope${near === undefined ? '' : ` (did you mean '${near}'?)`}; scopes: ${SCOPES.join(', ')}`);
    }
  }
  return [...new Set(parts as Scope[])];
}

/**
 * yargs-parser turns a lone `-` into an empty string (`secret:site:set shop A -` would
 * store an empty value, and `--output -` would name no file), so main() swaps it for this
 * token first. A NUL cannot occur in a real argument, so it cannot collide with a value.
 */
export const STDIN_ARGUMENT = '\u0000-';

/**
 * The value argument; `-` reads standard input: from a pipe or file exactly as given,
 * nothing trimmed; at a terminal, one line typed without echo, its Enter not part of it.
 */
export async function secretValue(ctx: Context, value: string): Promise<string> {
  if (value !== STDIN_ARGUMENT) return value;
  if (isTerminal(ctx.stdin))
    return readHiddenLine(ctx.stdin, ctx.stderr, 'composer-secrets: <value> (typing is not shown; Enter ends it): ');
  return readAll(ctx.stdin, 'the <value> on standard input');
}

/** Words we echo back in messages; anything else may be a mistyped value and is not quoted. */
const ECHOABLE = /^[a-z][a-z0-9-]{0,40}$/;

/** ` 'text'` when it looks like a word we would accept, else nothing. */
export function quotedIfWordLike(text: string): string {
  return ECHOABLE.test(text) ? ` '${text}'` : '';
}

/** How a message names an argument: `--output` when typed as an option, else `<name>`. */
function argumentName(key: string, argv: readonly string[]): string {
  return argv.some((a) => a === `--${key}` || a.startsWith(`--${key}=`)) ? `--${key}` : `<${key}>`;
}

/**
 * Tokens before `--` with a lone `-` swapped for STDIN_ARGUMENT (see there); composer's
 * arguments after `--` are passed on as typed.
 */
export function withStdinMarked(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return argv.map((a, i) => (a === '-' && (end === -1 || i < end) ? STDIN_ARGUMENT : a));
}

/**
 * Only a secret's <value> reads standard input for `-`: anywhere else (--output, --store,
 * --dir, a name) the marker would reach a file name or a message. Refused, naming the argument.
 */
export function refuseStdinOutsideValue(args: Record<string, unknown>, argv: readonly string[]): void {
  // `--output=-` arrives as a plain '-' (yargs-parser keeps it): the same mistake.
  const key = Object.keys(args).find(
    (k) => k !== 'value' && k !== '_' && k !== '--' && !/[A-Z]/.test(k) && (args[k] === STDIN_ARGUMENT || args[k] === '-'),
  );
  if (key === undefined) return;
  throw new UsageError(
    `${argumentName(key, argv)} -: '-' (standard input) is read only for a secret's <value> ` +
      'and in --source terminus-json:- or sdk-json:-; for a file named -, write ./-',
  );
}
