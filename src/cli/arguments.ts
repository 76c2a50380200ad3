// Checks of command-line arguments that yargs cannot express. Messages name the argument
// and never echo a secret value.
import { UsageError } from '../errors.js';
import { closestName, OWNER_NAME_PATTERN } from '../model/names.js';
import { SCOPES, type Scope } from '../model/secret.js';
import { readAll, type Context } from './context.js';
import { isTerminal, readHiddenLine } from './hidden-input.js';

export function ownerName(value: string, what: string): string {
  if (!OWNER_NAME_PATTERN.test(value) || value.length > 100) {
    // Not quoted: a value typed one position off would land here.
    throw new UsageError(`invalid ${what}${quotedIfWordLike(value)}: use lowercase letters, digits and '-', starting with a letter or digit`);
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
  const parts = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
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
 * yargs-parser turns a lone `-` into an empty string, so main() swaps it for this token
 * first. A NUL cannot occur in a real argument, so it cannot collide with a value.
 */
export const STDIN_ARGUMENT = '\u0000-';

/**
 * The value argument; `-` reads standard input: from a pipe or file exactly as given,
 * nothing trimmed; at a terminal, one line typed without echo, its Enter not part of it.
 */
export async function secretValue(ctx: Context, value: string): Promise<string> {
  if (value !== STDIN_ARGUMENT) return value;
  if (isTerminal(ctx.stdin)) return readHiddenLine(ctx.stdin, ctx.stderr, 'composer-secrets: <value> (typing is not shown; Enter ends it): ');
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
  const key = Object.keys(args).find((k) => k !== 'value' && k !== '_' && k !== '--' && !/[A-Z]/.test(k) && (args[k] === STDIN_ARGUMENT || args[k] === '-'));
  if (key === undefined) return;
  throw new UsageError(
    `${argumentName(key, argv)} -: '-' (standard input) is read only for a secret's <value> and in --source terminus-json:- or sdk-json:-; for a file named -, write ./-`,
  );
}

/**
 * yargs' own failure messages quote what was typed (unknown arguments, invalid choices,
 * unknown commands), and a stray positional may be a secret value: name flags, count the
 * rest. Only messages known to quote nothing else pass; anything else gets a plain line.
 */
export function sanitizeYargsMessage(message: string, argv: readonly string[]): string {
  const unknown = /^Unknown arguments?: (.*)$/s.exec(message);
  if (unknown?.[1] !== undefined) {
    const flags = new Set(argv.filter((a) => a.startsWith('-')).map((a) => a.replace(/^-+/, '').split('=')[0]));
    // yargs lists an unknown --foo-bar twice, also as fooBar.
    const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const names = unknown[1].split(', ').filter((n, i, all) => !(n !== kebab(n) && flags.has(kebab(n)) && all.includes(kebab(n))));
    const named = names.filter((n) => flags.has(n));
    const shown = named.filter((n) => ECHOABLE.test(n)).map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
    const positional = names.length - named.length;
    const hidden = named.length - shown.length;
    return [
      ...(shown.length > 0 ? [`unknown option${shown.length > 1 ? 's' : ''} ${shown.join(', ')}`] : []),
      ...(hidden > 0 ? [`${hidden} unknown option${hidden > 1 ? 's' : ''}`] : []),
      ...(positional > 0 ? [`${positional} unexpected argument${positional > 1 ? 's' : ''} (quote a value that holds spaces)`] : []),
    ].join('; ');
  }
  if (message.startsWith('Invalid values:')) {
    const lines = [...message.matchAll(/Argument: ([\w-]+), Given: .*?, Choices: (.*)$/gm)];
    return lines.map(([, name, choices]) => `invalid value for --${name} (choices: ${choices?.replaceAll('"', '')})`).join('; ');
  }
  if (/^Unknown commands?: /.test(message)) return 'unknown command (see --help for the commands)';
  // These carry only counts and our own option names.
  if (/^(Not enough|Too many) non-option arguments: got \d+, (need at least|maximum of) \d+$/.test(message)) return message;
  if (/^(Missing required arguments?|Missing argument values?|Not enough arguments following): [\w-]+(, [\w-]+)*$/.test(message)) return message;
  if (message === DEMAND_COMMAND_MESSAGE) return message;
  return 'invalid command line (see --help)';
}

/** What main() tells yargs to say when no command is named. */
export const DEMAND_COMMAND_MESSAGE = 'name a command (see --help)';
