// Checks of command-line arguments that yargs cannot express. Messages name the argument
// and never echo a secret value.
import { UsageError } from '../errors.js';
import { OWNER_NAME_PATTERN } from '../model/names.js';
import { SCOPES, type Scope } from '../model/secret.js';
import { readAll, type Context } from './context.js';

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
      throw new UsageError(`--scope: unknown scope${quotedIfWordLike(part)} (scopes: ${SCOPES.join(', ')})`);
    }
  }
  return [...new Set(parts as Scope[])];
}

/**
 * yargs-parser turns a lone `-` into an empty string, so main() swaps it for this token
 * first. A NUL cannot occur in a real argument, so it cannot collide with a value.
 */
export const STDIN_ARGUMENT = '\u0000-';

/** The value argument; `-` reads standard input exactly as given, nothing trimmed. */
export async function secretValue(ctx: Context, value: string): Promise<string> {
  return value === STDIN_ARGUMENT ? readAll(ctx.stdin) : value;
}

/** Words we echo back in messages; anything else may be a mistyped value and is not quoted. */
const ECHOABLE = /^[a-z][a-z0-9-]{0,40}$/;

/** ` 'text'` when it looks like a word we would accept, else nothing. */
export function quotedIfWordLike(text: string): string {
  return ECHOABLE.test(text) ? ` '${text}'` : '';
}

/**
 * yargs' own failure messages quote what was typed (unknown arguments, invalid choices),
 * and a stray positional may be a secret value: name flags, count the rest.
 */
export function sanitizeYargsMessage(message: string, argv: readonly string[]): string {
  const unknown = /^Unknown arguments?: (.*)$/s.exec(message);
  if (unknown?.[1] !== undefined) {
    const flags = new Set(argv.filter((a) => a.startsWith('-')).map((a) => a.replace(/^-+/, '').split('=')[0]));
    const names = unknown[1].split(', ');
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
  return message;
}
