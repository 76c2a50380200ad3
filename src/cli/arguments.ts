// Checks of command-line arguments that yargs cannot express. Messages name the argument
// and never echo a secret value.
import { UsageError } from '../errors.js';
import { OWNER_NAME_PATTERN } from '../model/names.js';
import { SCOPES, type Scope } from '../model/secret.js';
import { readAll, type Context } from './context.js';

export function ownerName(value: string, what: string): string {
  if (!OWNER_NAME_PATTERN.test(value) || value.length > 100) {
    throw new UsageError(`invalid ${what} '${value}': use lowercase letters, digits and '-', starting with a letter or digit`);
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
      throw new UsageError(`--scope: unknown scope '${part}' (scopes: ${SCOPES.join(', ')})`);
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

/**
 * yargs' own failure messages list unknown arguments by their text, and a stray
 * positional may be a secret value: name flags, count the rest.
 */
export function sanitizeYargsMessage(message: string, argv: readonly string[]): string {
  const unknown = /^Unknown arguments?: (.*)$/s.exec(message);
  if (unknown?.[1] === undefined) return message;
  const flags = new Set(argv.filter((a) => a.startsWith('-')).map((a) => a.replace(/^-+/, '').split('=')[0]));
  const names = unknown[1].split(', ');
  const named = names.filter((n) => flags.has(n)).map((n) => (n.length === 1 ? `-${n}` : `--${n}`));
  const positional = names.length - named.length;
  const parts = [
    ...(named.length > 0 ? [`unknown option${named.length > 1 ? 's' : ''} ${named.join(', ')}`] : []),
    ...(positional > 0 ? [`${positional} unexpected argument${positional > 1 ? 's' : ''} (quote a value that holds spaces)`] : []),
  ];
  return parts.join('; ');
}
