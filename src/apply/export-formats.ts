// Text for `env --format ...`: build variables written so the reader gets back exactly
// what we hold, or a refusal. Pure: no files, no process, no clock; the one random input
// (the $GITHUB_ENV delimiter) is injected. Errors name variables, never values.
import { UsageError } from '../errors.js';
import { ENV_NAME_PATTERN } from '../model/names.js';

export const EXPORT_FORMATS = ['dotenv', 'json', 'shell', 'github'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Build variables: names match ENV_NAME_PATTERN, values are any strings. */
export type BuildVariables = Readonly<Record<string, string>>;

/** What `github` produces: mask commands for stdout, and text to append to $GITHUB_ENV. */
export interface GithubEnvExport {
  masks: string;
  envFileText: string;
}

/** What the dispatcher produces; `githubEnvText` is only set for the `github` format. */
export interface ExportText {
  stdout: string;
  githubEnvText: string | null;
}

export function parseExportFormat(text: string): ExportFormat {
  const found = EXPORT_FORMATS.find((format) => format === text);
  if (found === undefined) throw new UsageError(`unknown export format '${text}' (formats: ${EXPORT_FORMATS.join(', ')})`);
  return found;
}

/** One entry point so the command does not switch on formats itself. */
export function formatExport(format: ExportFormat, vars: BuildVariables, makeDelimiter: () => string): ExportText {
  switch (format) {
    case 'json':
      return { stdout: formatJson(vars), githubEnvText: null };
    case 'dotenv':
      return { stdout: formatDotenv(vars), githubEnvText: null };
    case 'shell':
      return { stdout: formatShell(vars), githubEnvText: null };
    case 'github': {
      const { masks, envFileText } = formatGithubEnv(vars, makeDelimiter);
      return { stdout: masks, githubEnvText: envFileText };
    }
  }
}

// ---------------------------------------------------------------------------- json

/** `{"NAME": "value"}`, two-space indent, keys sorted, trailing newline. */
export function formatJson(vars: BuildVariables): string {
  // fromEntries defines own properties, so even a variable named __proto__ survives.
  return `${JSON.stringify(Object.fromEntries(sortedEntries(vars)), null, 2)}\n`;
}

// -------------------------------------------------------------------------- dotenv
//
// What dotenv's parse (17 and 18, default and `fast` parsers) does with `NAME=<raw>`:
// - CR and CRLF in the file become LF before parsing, so a raw CR never survives.
// - Unquoted: the value runs to the first `#` or line end and is trimmed.
// - '...', "..." and `...` may span lines. The value ends at the first quote of that kind
//   not preceded by a backslash (there is no escape that removes the backslash), and
//   only where the rest of the line is blank or a `#` comment.
// - Inside "..." only `\n` and `\r` are expanded; there is no escape for a backslash.
// - Afterwards /^(['"`])([\s\S]*)\1$/gm strips one pair of outer quotes, also from an
//   unquoted value; with the m flag U+2028/U+2029 count as line ends.

const QUOTES = [`'`, '"', '`'] as const;
type Quote = (typeof QUOTES)[number];

const OUTER_QUOTES = /^(['"`])([\s\S]*)\1$/gm;

/** Detail for refusals: the same text whatever the value, so it reveals nothing about it. */
const DOTENV_LIMITS =
  'A .env value with a line break or a number sign must sit inside one kind of quotes with no unescaped quote of that kind, ' +
  'double quotes also turn a literal backslash-n or backslash-r into a line break, ' +
  'and a carriage return can only be written as backslash-r inside double quotes.';

/**
 * A .env document that dotenv's `parse` reads back exactly. Refuses (UsageError, names
 * only) when some value has no such spelling, rather than writing it wrong.
 */
export function formatDotenv(vars: BuildVariables): string {
  if (Object.hasOwn(vars, '__proto__')) {
    // dotenv assigns obj[name] = value, which is a no-op for this one name.
    throw new UsageError('dotenv drops a variable named __proto__ when it reads the file; use the json or shell format instead');
  }
  const lines: string[] = [];
  const refused: string[] = [];
  for (const [name, value] of sortedEntries(vars)) {
    const line = dotenvLine(name, value);
    if (line === undefined) refused.push(name);
    else lines.push(line);
  }
  if (refused.length > 0) {
    const which = refused.length === 1 ? `the value of ${refused[0]}` : `the values of ${refused.join(', ')}`;
    throw new UsageError(`a .env file cannot hold ${which} exactly; use the json or shell format instead`, [DOTENV_LIMITS]);
  }
  return lines.map((line) => `${line}\n`).join('');
}

/** The line(s) for one variable, or undefined when no spelling reads back exactly. */
function dotenvLine(name: string, value: string): string | undefined {
  return plainLine(name, value) ?? quotedLine(name, value) ?? wrappedLine(name, value);
}

/** `NAME=value` for values the unquoted reading keeps as they are. */
function plainLine(name: string, value: string): string | undefined {
  if (/[#\r\n]/.test(value)) return undefined;
  if (value.trim() !== value) return undefined;
  // A leading quote makes the parser try a quoted reading, which may run into later lines.
  if (isQuote(value[0])) return undefined;
  if (value.replace(OUTER_QUOTES, '$2') !== value) return undefined;
  return `${name}=${value}`;
}

/** `NAME='...'`, `NAME="..."` or `NAME=\`...\``, whichever holds the value. */
function quotedLine(name: string, value: string): string | undefined {
  for (const quote of QUOTES) {
    let body = value;
    if (quote === '"') {
      body = value.replace(/\r/g, '\\r');
      if (expandDoubleQuoted(body) !== value) continue;
    } else if (value.includes('\r')) {
      continue;
    }
    if (hasBareQuote(body, quote)) continue;
    // A body ending in a backslash makes our closing quote look escaped, so the parser
    // keeps looking for a later one. A comment holding a quote it cannot close on (not at
    // a line end) stops that search on this line; the parser then settles on ours.
    const guard = body.endsWith('\\') ? ` # ${quote}guard: the value ends with a backslash` : '';
    return `${name}=${quote}${body}${quote}${guard}`;
  }
  return undefined;
}

/**
 * `NAME=qvalueq` read as an unquoted value: the quoted reading fails on a bare quote
 * inside, then the outer-quote strip removes our pair. Holds single-line values with
 * leading/trailing blanks or a leading quote that contain all three quote kinds.
 */
function wrappedLine(name: string, value: string): string | undefined {
  if (/[#\r\n]/.test(value)) return undefined;
  for (const quote of QUOTES) {
    if (quote === '"' && expandDoubleQuoted(value) !== value) continue;
    if (quotedReadingFails(value, quote)) return `${name}=${quote}${value}${quote}`;
  }
  return undefined;
}

/**
 * True when reading `q value q` as a quoted value cannot succeed: the parser reaches a
 * bare quote inside the value, and neither it nor an escaped quote before it is followed
 * by only blanks up to a line end (U+2028/U+2029 are line ends to both parsers).
 */
function quotedReadingFails(value: string, quote: Quote): boolean {
  for (let i = value.indexOf(quote); i !== -1; i = value.indexOf(quote, i + 1)) {
    if (/^\s*[\u2028\u2029]/.test(value.slice(i + 1))) return false;
    if (value[i - 1] !== '\\') return true;
  }
  return false;
}

/** A quote of this kind not preceded by a backslash: the parser would end the value there. */
function hasBareQuote(text: string, quote: Quote): boolean {
  for (let i = text.indexOf(quote); i !== -1; i = text.indexOf(quote, i + 1)) {
    if (text[i - 1] !== '\\') return true;
  }
  return false;
}

/** dotenv's only escapes inside double quotes. */
function expandDoubleQuoted(text: string): string {
  return text.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
}

function isQuote(char: string | undefined): boolean {
  return char === `'` || char === '"' || char === '`';
}

// --------------------------------------------------------------------------- shell

/** POSIX `export NAME='value'` lines; sh evaluates them back to the exact value. */
export function formatShell(vars: BuildVariables): string {
  const entries = sortedEntries(vars);
  refuseNul(entries, 'a shell variable');
  return entries.map(([name, value]) => `export ${name}='${value.replaceAll(`'`, `'\\''`)}'\n`).join('');
}

// -------------------------------------------------------------------------- github

/** Collisions we tolerate before blaming makeDelimiter: a random one practically never collides. */
const MAX_DELIMITER_ATTEMPTS = 100;

/**
 * For GitHub Actions: `::add-mask::` commands (stdout) for every line of every value, so
 * the runner hides them in logs, and `NAME<<DELIMITER` blocks to append to $GITHUB_ENV.
 * `makeDelimiter` is called until it returns one that does not occur in the value,
 * e.g. () => `ghadelimiter_${randomUUID()}`. Caveat: a Windows runner reads CRLF as a line
 * end, so there a value ending in CR loses that CR (Linux and macOS runners keep it).
 */
export function formatGithubEnv(vars: BuildVariables, makeDelimiter: () => string): GithubEnvExport {
  const entries = sortedEntries(vars);
  refuseNul(entries, 'an environment variable');
  let envFileText = '';
  for (const [name, value] of entries) {
    const delimiter = delimiterFor(name, value, makeDelimiter);
    envFileText += `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
  }
  return { masks: addMaskCommands(entries.map(([, value]) => value)), envFileText };
}

/** `::add-mask::` commands for every line of every value, each once, in order. */
export function addMaskCommands(values: readonly string[]): string {
  const masks = new Set<string>();
  for (const value of values) for (const line of maskLines(value)) masks.add(`::add-mask::${escapeCommandData(line)}\n`);
  return [...masks].join('');
}

/**
 * The lines the runner logs: it reads step output line by line, breaking at CR as well
 * as LF, so a mask must not span either. Blank lines are skipped: the runner refuses them
 * with a warning, and masking spaces would blank every space in the log.
 */
export function maskLines(value: string): string[] {
  return value.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '');
}

/** The runner's escaping for command data (ActionCommand.cs); `%` first so it is not doubled. */
function escapeCommandData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function delimiterFor(name: string, value: string, makeDelimiter: () => string): string {
  for (let attempt = 0; attempt < MAX_DELIMITER_ATTEMPTS; attempt++) {
    const delimiter = makeDelimiter();
    // The runner reads the header and the end marker as whole lines.
    if (delimiter === '' || /[\r\n]/.test(delimiter)) throw new Error('makeDelimiter returned an empty delimiter or one with a line break');
    // Not occurring anywhere in the value means no value line can equal it, with LF or CRLF line ends.
    if (!value.includes(delimiter)) return delimiter;
  }
  throw new Error(`makeDelimiter kept returning delimiters that occur in the value of ${name}`);
}

// ---------------------------------------------------------------------------- common

/** Entries sorted by name, after checking every name is a variable name. */
function sortedEntries(vars: BuildVariables): Array<[string, string]> {
  const entries = Object.entries(vars).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const badNames = entries.filter(([name]) => !ENV_NAME_PATTERN.test(name)).map(([name]) => JSON.stringify(name));
  if (badNames.length > 0) {
    throw new UsageError(`not a variable name: ${badNames.join(', ')} (names must match ${ENV_NAME_PATTERN.source})`);
  }
  return entries;
}

/** A NUL byte cannot be part of a process environment or a shell string. */
function refuseNul(entries: ReadonlyArray<[string, string]>, what: string): void {
  const names = entries.filter(([, value]) => value.includes('\0')).map(([name]) => name);
  if (names.length > 0) {
    throw new UsageError(`${what} cannot hold a NUL character, found in ${names.join(', ')}; use the json or dotenv format instead`);
  }
}
