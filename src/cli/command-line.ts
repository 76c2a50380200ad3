// The command line as people type it, before and after yargs: help and version however
// they are asked for, the command named (or the nearest one suggested), and yargs' failures
// as sentences that name what is missing. Nothing typed is repeated unless it is one of
// our own names: a word in the wrong place may be a secret value.
import type { CommandModule } from 'yargs';
import { counted } from '../counted.js';
import { UsageError } from '../errors.js';
import { closestName } from '../model/names.js';
import { quotedIfWordLike } from './arguments.js';

export const PROGRAM = 'composer-secrets';

/** What main() tells yargs to say when no command is named. */
export const DEMAND_COMMAND_MESSAGE = `name a command (${PROGRAM} --help lists them)`;

type Command = Pick<CommandModule, 'command' | 'aliases'>;

export const commandName = (command: Command): string => String(command.command).split(' ')[0] ?? '';
const namesOf = (command: Command): string[] => [commandName(command), ...[command.aliases ?? []].flat()];
/** `<a> <b..>` of `name <a> <b..>`. */
const positionalsOf = (command: Command): string[] => [...String(command.command).matchAll(/<([\w-]+)(?:\.\.)?>/g)].map((m) => `<${m[1]}>`);

/**
 * Flags that take no value. Before the command is known, yargs takes the word after any
 * other option as its value (`--store file plan`, `--site shop plan`), and so does this.
 */
const FLAGS = new Set(['--help', '--version', '--json', '--dry-run', '--keep-auth']);
const takesValue = (word: string | undefined) => word?.startsWith('--') === true && !word.includes('=') && !FLAGS.has(word);

/** The words before `--`: ours to read; those after it are composer's, left as typed. */
export function beforeComposerArguments(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--');
  return end === -1 ? argv : argv.slice(0, end);
}

export type CommandLine = {
  /** What yargs parses: `-h`, `help [command]` and `-v` in the forms yargs knows. */
  argv: string[];
  /** The command named, if any. */
  command: Command | undefined;
  wantsHelp: boolean;
};

/**
 * Reads what yargs does not: `-h`, `help`, `help <command>` and `-v`, and an unknown
 * command (refused with the nearest name). Words after `--` are composer's, left as typed.
 */
export function readCommandLine(argv: readonly string[], commands: readonly Command[]): CommandLine {
  const ours = beforeComposerArguments(argv);
  const head = ours.map((word) => (word === '-h' ? '--help' : word === '-v' ? '--version' : word));
  let wantsHelp = head.includes('--help');
  const positions = head.flatMap((word, i) => (word.startsWith('-') || takesValue(head[i - 1]) ? [] : [i]));
  let first = positions[0];
  if (first !== undefined && head[first] === 'help') {
    // `help` and `help <command>`, as git and npm take them.
    head.splice(first, 1);
    head.push('--help');
    wantsHelp = true;
    first = positions[1] === undefined || head[positions[1] - 1] === 'help' ? undefined : positions[1] - 1;
  }
  const word = first === undefined ? undefined : head[first];
  const command = word === undefined ? undefined : commands.find((c) => namesOf(c).includes(word));
  if (word !== undefined && command === undefined) {
    const near = closestName(word, commands.flatMap(namesOf));
    throw new UsageError(`unknown command${near === undefined ? '' : `; did you mean ${near}?`} (${PROGRAM} --help lists the commands)`);
  }
  return { argv: [...head, ...argv.slice(ours.length)], command, wantsHelp };
}

export type ParserOptions = {
  key: Record<string, unknown>;
  string?: string[];
  array?: string[];
  hiddenOptions?: string[];
  alias?: Record<string, string[]>;
  choices?: Record<string, unknown[]>;
};

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const flagOf = (name: string) => (name.length === 1 ? `-${name}` : `--${name}`);
const listed = (names: readonly string[]) =>
  names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

/**
 * One of yargs' failure messages as a sentence: which argument or option is missing,
 * unknown or wrong, by its name (and the nearest right one), never the value typed.
 * `command` is the command being parsed, `options` yargs' view of its options.
 */
export function yargsFailureSentence(
  message: string,
  argv: readonly string[],
  command: Command | undefined,
  options: ParserOptions,
): string {
  const facts = factsOf(command, options);
  const { name, usage, positionals } = facts;

  const notEnough = /^Not enough non-option arguments: got (\d+), need at least (\d+)$/.exec(message);
  if (notEnough !== null) {
    const missing = positionals.slice(Number(notEnough[1]), Math.max(Number(notEnough[2]), Number(notEnough[1]) + 1));
    return (
      `${name} needs ${missing.length > 0 ? listed(missing) : 'more arguments'} ` +
      `(usage: ${PROGRAM} ${String(command?.command ?? name)})`
    );
  }
  const tooMany = /^Too many non-option arguments: got (\d+), maximum of (\d+)$/.exec(message);
  if (tooMany !== null) return extraArguments(name, positionals, Number(tooMany[1]) - Number(tooMany[2]), usage);

  const missingOptions = /^Missing required arguments?: (.*)$/.exec(message);
  if (missingOptions?.[1] !== undefined) {
    return (
      `${name} needs ` +
      listed(missingOptions[1].split(', ').map((o) => (positionals.includes(`<${o}>`) ? `<${o}>` : flagOf(o)))) +
      ` (see ${usage})`
    );
  }
  const noValue = /^(?:Missing argument values?|Not enough arguments following): (.*)$/.exec(message);
  if (noValue?.[1] !== undefined) {
    const flags = noValue[1].split(', ');
    return `${listed(flags.map(flagOf))} ${flags.length === 1 ? 'needs a value' : 'need values'}`;
  }

  const unknown = /^Unknown arguments?: (.*)$/s.exec(message);
  if (unknown?.[1] !== undefined) return unknownArguments(unknown[1].split(', '), argv, facts);

  if (message.startsWith('Invalid values:')) {
    const names = [...message.matchAll(/^\s*Argument: ([\w-]+), Given: /gm)].map((m) => m[1] ?? '');
    return names
      .map((option) => {
        const choices = (options.choices?.[option] ?? []).map(String);
        const given = lastValueOf(option, argv);
        const near = given === undefined ? undefined : closestName(given, choices);
        return `invalid value for --${option} (choices: ${choices.join(', ')})${near === undefined ? '' : `; did you mean ${near}?`}`;
      })
      .join('; ');
  }
  const exclusive = /^Arguments ([\w-]+) and ([\w-]+) are mutually exclusive$/.exec(message);
  if (exclusive !== null) return `--${exclusive[1]} and --${exclusive[2]} do not go together: give one`;
  if (/^Unknown commands?: /.test(message)) return `unknown command (${PROGRAM} --help lists the commands)`;
  if (message === DEMAND_COMMAND_MESSAGE) return message;
  // yargs' other texts (implications, checks, config files) come from features we do not use.
  return `invalid command line (see ${usage})`;
}

type CommandFacts = { name: string; usage: string; positionals: readonly string[]; known: readonly string[] };

/** What messages say of the command being parsed: its name, where its usage is, its arguments and (visible) options. */
function factsOf(command: Command | undefined, options: ParserOptions): CommandFacts {
  const name = command === undefined ? PROGRAM : commandName(command);
  return {
    name,
    usage: command === undefined ? `${PROGRAM} --help` : `${PROGRAM} ${name} --help`,
    positionals: command === undefined ? [] : positionalsOf(command),
    known: Object.keys(options.key).filter((k) => k !== '_' && k === kebab(k) && !(options.hiddenOptions ?? []).includes(k)),
  };
}

function extraArguments(name: string, positionals: readonly string[], extra: number, usage: string): string {
  const takes =
    positionals.length === 0
      ? 'takes no arguments, only options'
      : `takes ${counted(positionals.length, 'argument')} (${positionals.join(' ')})`;
  return `${name} ${takes}; ${counted(extra, 'more was', 'more were')} given (quote a value that holds spaces; see ${usage})`;
}

/** The options as typed before `--`, without their dashes or `=value`. */
function typedFlagsOf(argv: readonly string[]): Set<string> {
  return new Set(
    beforeComposerArguments(argv)
      .filter((a) => /^-./.test(a))
      .map((a) => a.replace(/^-+/, '').split('=')[0] ?? ''),
  );
}

/**
 * Options yargs will find unknown, refused before its other checks: yargs reports a missing
 * argument or option first, and a typo (`--stie shop` for `--site shop`) would be answered
 * with "needs --site". `parsed` is what yargs made of the line, whose keys its strict mode checks.
 */
export function refuseUnknownOptions(
  parsed: Record<string, unknown>,
  argv: readonly string[],
  command: Command | undefined,
  options: ParserOptions,
): void {
  const typedFlags = typedFlagsOf(argv);
  const known = new Set([...Object.keys(options.key), ...Object.values(options.alias ?? {}).flat()]);
  // Keys yargs made of a typed flag: `-xy` is x and y, which yargs' own check reports.
  const unknown = Object.keys(parsed).filter((key) => typedFlags.has(key) && !known.has(key));
  if (unknown.length > 0) throw new UsageError(unknownArguments(unknown, argv, factsOf(command, options)));
}

function unknownArguments(listed: readonly string[], argv: readonly string[], c: CommandFacts): string {
  const typedFlags = typedFlagsOf(argv);
  // yargs lists an unknown --foo-bar twice, also camel-cased as fooBar (from the flag as
  // typed, or lowercased first): that copy is left out.
  const camel = (flag: string) => flag.replace(/[-_]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase());
  const copies = new Set(
    [...typedFlags]
      .filter((f) => /[-_]/.test(f))
      .flatMap((f) => [camel(f), camel(f.toLowerCase())])
      .filter((c) => !typedFlags.has(c)),
  );
  const names = listed.filter((n) => !copies.has(n));
  const flags = names.filter((n) => typedFlags.has(n));
  const sentences = flags.map((flag) => {
    const shown = quotedIfWordLike(flag) === '' ? 'an unknown option (not shown)' : `unknown option ${flagOf(flag)}`;
    const negated = /^no-(.+)$/.exec(flag)?.[1];
    if (negated !== undefined && c.known.includes(negated)) return `${shown}: leave --${negated} out instead`;
    const near = closestName(flag, c.known);
    return `${shown} for ${c.name}${near === undefined ? '' : `; did you mean ${flagOf(near)}?`}`;
  });
  const extra = names.length - flags.length;
  if (extra > 0) sentences.push(extraArguments(c.name, c.positionals, extra, c.usage));
  return sentences.join('; ');
}

/** The last value typed for an option (`--type x` or `--type=x`), to find the nearest choice; never printed. */
function lastValueOf(option: string, argv: readonly string[]): string | undefined {
  let value: string | undefined;
  argv.forEach((word, i) => {
    if (word === `--${option}`) value = argv[i + 1];
    else if (word.startsWith(`--${option}=`)) value = word.slice(option.length + 3);
  });
  return value;
}

/**
 * An option that takes a value, typed last or followed by another option: yargs gives it
 * an empty string, which would then be reported as an invalid name or ignored.
 */
export function refuseMissingValues(argv: readonly string[], options: Pick<ParserOptions, 'string' | 'array'>): void {
  const ours = beforeComposerArguments(argv);
  const valued = new Set([...(options.string ?? []), ...(options.array ?? [])]);
  for (let i = 0; i < ours.length; i++) {
    const option = /^--([\w-]+)$/.exec(ours[i] ?? '')?.[1];
    const next = ours[i + 1];
    if (option !== undefined && valued.has(option) && (next === undefined || (next.startsWith('-') && next !== '-'))) {
      throw new UsageError(`--${option} needs a value`);
    }
  }
}
