// The command line as people type it: help and version however they ask, an unknown
// command with the nearest name, yargs' failures as sentences naming the argument or
// option (never the value typed), --json as --format json, meaningless flag combinations
// refused, and every flag checked before anything is read, locked or run.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { yargsFailureSentence } from '../src/cli/command-line.js';
import { memoryContext } from './support/memory-context.js';

const CANARY = 'CANARY-5d1';
const STORE = '/home/dev/.config/composer-secrets/store.json';
const COMMANDS = [
  'secret:site:set',
  'secret:site:list',
  'secret:site:delete',
  'secret:site:local-generate',
  'secret:org:set',
  'secret:org:list',
  'secret:org:delete',
  'site:set-org',
  'plan',
  'doctor',
  'env',
  'build',
  'auth-json',
  'restore',
  'scan',
];

/**
 * A memory context that records every file, lock, process and standard input access: a
 * command line refused for its flags must leave this list empty.
 */
function tripwireContext() {
  const m = memoryContext();
  const touched: string[] = [];
  const recorded = <T extends object>(target: T, what: string): T =>
    new Proxy(target, {
      get(object, key, receiver) {
        const value = Reflect.get(object, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          touched.push(`${what}.${String(key)}`);
          return (value as (...a: unknown[]) => unknown).apply(object, args);
        };
      },
    });
  const { ctx } = m;
  ctx.fs = recorded(ctx.fs, 'fs');
  ctx.syncFs = recorded(ctx.syncFs, 'syncFs');
  ctx.runner = recorded(ctx.runner, 'runner');
  const lock = ctx.lock;
  ctx.lock = (...args) => {
    touched.push('lock');
    return lock(...args);
  };
  const holdFolder = ctx.holdFolder;
  ctx.holdFolder = (dir) => {
    touched.push('holdFolder');
    return holdFolder(dir);
  };
  const stdin = () =>
    new Readable({
      read() {
        touched.push('stdin');
        this.push(null);
      },
    });
  return {
    touched,
    async run(argv: string[]) {
      ctx.stdin = stdin();
      return m.run(argv);
    },
  };
}

const seededStore = async () => {
  const m = memoryContext();
  for (const argv of [
    ['secret:org:set', 'acme', 'ORG_KEY', `${CANARY}-org`, '--type', 'env', '--scope', 'ic,user'],
    ['site:set-org', 'shop', 'acme'],
    ['secret:site:set', 'shop', 'API_KEY', `${CANARY}-site`, '--type', 'env', '--scope', 'ic,web'],
    ['secret:site:set', 'shop', 'bearer.repo.example.org', `${CANARY}-token`, '--type', 'composer', '--scope', 'ic'],
  ])
    expect((await m.run(argv)).code).toBe(0);
  m.volume.mkdirSync('/work/project', { recursive: true });
  m.volume.writeFileSync('/work/project/composer.json', '{}');
  return m;
};

describe('help and version, however they are asked for', () => {
  it.each([[['-h']], [['--help']], [['help']], [['help', 'help']], [['--store', 'x.json', 'help']]])(
    '%j: the overview, exit 0, nothing read',
    async (argv) => {
      const t = tripwireContext();
      const r = await t.run(argv);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toContain('composer-secrets <command> [options]');
      for (const command of COMMANDS) expect(r.stdout).toContain(`composer-secrets ${command}`);
      expect(r.stdout).toContain('Examples:');
      expect(t.touched).toEqual([]);
    },
  );

  it.each([
    [['help', 'plan']],
    [['plan', '-h']],
    [['plan', '--help']],
    [['plan', '--site', '--dry-run', '-h', '--', 'x']],
    [['help', 'secret:org:set']],
    [['secret-org-set', '-h']],
    [['secret:org:set', 'acme', '--help']],
  ])("%j: that command's help, exit 0, without its required arguments", async (argv) => {
    const t = tripwireContext();
    const r = await t.run(argv);
    expect(r, r.stderr).toMatchObject({ code: 0, stderr: '' });
    const command = argv.includes('plan') ? 'plan' : 'secret:org:set <org> <name> <value>';
    expect(r.stdout.split('\n')[0]).toBe(`composer-secrets ${command}`);
    expect(t.touched).toEqual([]);
  });

  it.each([[['-v']], [['--version']], [['plan', '-v']]])('%j: the version, exit 0', async (argv) => {
    const r = await tripwireContext().run(argv);
    expect(r).toMatchObject({ code: 0, stdout: '0.1.0\n', stderr: '' });
  });

  it('help of an unknown command is the unknown command, with the nearest', async () => {
    const r = await tripwireContext().run(['help', 'secret:org:lst']);
    expect(r).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'composer-secrets: unknown command; did you mean secret:org:list? (composer-secrets --help lists the commands)\n',
    });
  });

  it('no command at all: exit 2, pointing at the help', async () => {
    const r = await tripwireContext().run([]);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 'composer-secrets: name a command (composer-secrets --help lists them)\n' });
  });

  // Parsed from the help text as yargs prints it: the first line, then the sections.
  it.each(COMMANDS)('%s --help: a purpose, every argument and option described, and examples', async (command) => {
    const r = await memoryContext().run([command, '--help']);
    expect(r.code).toBe(0);
    const [usage, blank, purpose] = r.stdout.split('\n');
    expect(usage).toMatch(new RegExp(`^composer-secrets ${command}\\b`));
    expect(blank).toBe('');
    expect(purpose).toMatch(/^[A-Z][a-z]+ /);
    const section = (title: string) => (r.stdout.split(`\n${title}:\n`)[1] ?? '').split('\n\n')[0] ?? '';
    // An entry starts a line with its name (continuation lines are indented further).
    const entries = `${section('Positionals')}\n${section('Options')}`.split('\n').filter((line) => /^ {2,6}[\w-]/.test(line));
    expect(entries.length).toBeGreaterThan(3);
    for (const entry of entries) {
      // The name, then its description before yargs' [type] tags.
      expect(entry, `${command}: ${entry}`).toMatch(/^ +(-\w, )?-{0,2}[\w-]+ {2,}[a-z<$(]/i);
    }
    expect(section('Examples')).toMatch(new RegExp(`composer-secrets ${command} `));
  });
});

describe('an unknown command says so and names the nearest', () => {
  it.each([
    ['secret:org:lst', 'secret:org:list'],
    ['secret-org-lst', 'secret-org-list'],
    ['secret:site:get', 'secret:site:set'],
    ['paln', 'plan'],
    ['buidl', 'build'],
  ])('%s -> %s, exit 2', async (typed, near) => {
    const r = await tripwireContext().run([typed, 'acme']);
    expect(r).toMatchObject({
      code: 2,
      stdout: '',
      stderr: `composer-secrets: unknown command; did you mean ${near}? (composer-secrets --help lists the commands)\n`,
    });
  });

  it('a word far from every command: no guess, and the word is not repeated (it may be a value)', async () => {
    const t = tripwireContext();
    const r = await t.run([`${CANARY}-pasted`, 'secret:site:set']);
    expect(r).toMatchObject({ code: 2, stderr: 'composer-secrets: unknown command (composer-secrets --help lists the commands)\n' });
    expect(t.touched).toEqual([]);
  });

  it('finds the command after the global --store and its value', async () => {
    const r = await tripwireContext().run(['--store', 'plna', 'paln']);
    expect(r.stderr).toContain('did you mean plan?');
  });
});

describe("yargs' failures, as sentences naming what is wrong", () => {
  it.each([
    [
      'a missing argument',
      ['secret:org:set', 'acme'],
      'secret:org:set needs <name> and <value> (usage: composer-secrets secret:org:set <org> <name> <value>)',
    ],
    [
      'all arguments missing',
      ['secret:site:delete'],
      'secret:site:delete needs <target> and <name> (usage: composer-secrets secret:site:delete <target> <name>)',
    ],
    ['a missing scan path', ['scan', '--site', 'shop', '--env', 'dev'], 'scan needs <paths> (usage: composer-secrets scan <paths..>)'],
    ['missing required options', ['plan'], 'plan needs --site and --env (see composer-secrets plan --help)'],
    [
      'a missing required option',
      ['auth-json', '--site', 'shop', '--env', 'dev'],
      'auth-json needs --output (see composer-secrets auth-json --help)',
    ],
    [
      'an unknown option, with the nearest',
      ['plan', '--site', 'shop', '--env', 'dev', '--jsno'],
      'unknown option --jsno for plan; did you mean --json?',
    ],
    ['an unknown option, nothing near', ['plan', '--site', 'shop', '--env', 'dev', '--colour'], 'unknown option --colour for plan'],
    [
      'an unknown option that could be a value',
      ['plan', '--site', 'shop', '--env', 'dev', `--${CANARY}`],
      'an unknown option (not shown) for plan',
    ],
    ['an unknown short option', ['restore', '-x'], 'unknown option -x for restore'],
    ['an unknown option, before the required ones missing', ['plan', '--colour', 'shop'], 'unknown option --colour for plan'],
    [
      'two letters of an option swapped',
      ['plan', '--stie', 'shop', '--env', 'dev'],
      'unknown option --stie for plan; did you mean --site?',
    ],
    [
      'an unknown option, before an argument missing',
      ['secret:site:set', 'shop', 'FOO', '--tpye', 'env'],
      'unknown option --tpye for secret:site:set; did you mean --type?',
    ],
    ['an unknown option with =, before the required ones missing', ['plan', '--colour=always'], 'unknown option --colour for plan'],
    ['an unknown option, before an option without its value', ['plan', '--site', '--colour', 'x'], 'unknown option --colour for plan'],
    [
      '--no- of an option',
      ['build', '--site', 'shop', '--env', 'dev', '--no-keep-auth'],
      'unknown option --no-keep-auth: leave --keep-auth out instead',
    ],
    [
      'an invalid choice, with the nearest',
      ['plan', '--site', 'shop', '--env', 'dev', '--auth-target', 'hom'],
      'invalid value for --auth-target (choices: project, home, env); did you mean home?',
    ],
    [
      'an invalid choice, nothing near',
      ['secret:site:set', 'shop', 'A', 'v', '--type', CANARY],
      'invalid value for --type (choices: runtime, env, composer)',
    ],
    [
      'an extra argument',
      ['secret:site:set', 'shop', 'A', 'v', `${CANARY}-second-word`],
      'secret:site:set takes 3 arguments (<target> <name> <value>); 1 more was given (quote a value that holds spaces; see composer-secrets secret:site:set --help)',
    ],
    [
      'arguments to a command without any',
      ['plan', 'shop', 'dev', '--site', 'shop', '--env', 'dev'],
      'plan takes no arguments, only options; 2 more were given (quote a value that holds spaces; see composer-secrets plan --help)',
    ],
    ['an option without its value, last', ['plan', '--site', 'shop', '--env'], '--env needs a value'],
    ['an option without its value, before another', ['plan', '--site', '--env', 'dev'], '--site needs a value'],
    [
      'a list option without a value',
      ['scan', 'vendor', '--site', 'shop', '--env', 'dev', '--leak-check-ignore'],
      '--leak-check-ignore needs a value',
    ],
    ['a global option without its value', ['secret:site:list', 'shop', '--store'], '--store needs a value'],
  ])('%s', async (_what, argv, sentence) => {
    const t = tripwireContext();
    const r = await t.run(argv);
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: `composer-secrets: ${sentence}\n` });
    expect(r.stderr).not.toContain(CANARY);
    expect(t.touched).toEqual([]);
  });

  // yargs' texts that our configuration does not reach today (no nargs, conflicts,
  // maximum of positionals, implications): rewritten all the same, should one become reachable.
  it.each([
    ['Not enough arguments following: leak-check-ignore', '--leak-check-ignore needs a value'],
    ['Missing argument values: site, env', '--site and --env need values'],
    [
      'Too many non-option arguments: got 4, maximum of 3',
      'secret:site:set takes 3 arguments (<target> <name> <value>); 1 more was given (quote a value that holds spaces; see composer-secrets secret:site:set --help)',
    ],
    ['Arguments json and format are mutually exclusive', '--json and --format do not go together: give one'],
    ['Unknown command: x', 'unknown command (composer-secrets --help lists the commands)'],
    [`Missing dependent arguments:\n site -> ${CANARY}`, 'invalid command line (see composer-secrets secret:site:set --help)'],
    [`Argument check failed: ${CANARY}`, 'invalid command line (see composer-secrets secret:site:set --help)'],
  ])('%j', (message, sentence) => {
    const command = { command: 'secret:site:set <target> <name> <value>', aliases: [] };
    expect(yargsFailureSentence(message, [], command, { key: {} })).toBe(sentence);
  });
});

describe('--json is --format json wherever output can be JSON', () => {
  it.each([
    [['plan', '--site', 'shop', '--env', 'dev', '--dir', 'project']],
    [['doctor', '--site', 'shop', '--env', 'dev', '--dir', 'project']],
    [['build', '--site', 'shop', '--env', 'dev', '--dir', 'project', '--dry-run']],
    [['env', '--site', 'shop', '--env', 'dev']],
    [['secret:site:list', 'shop']],
    [['secret:org:list', 'acme']],
    [['scan', 'project', '--site', 'shop', '--env', 'dev']],
  ])('%j', async (argv) => {
    const m = await seededStore();
    const json = await m.run([...argv, '--json']);
    const format = await m.run([...argv, '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout)).toBeTypeOf('object');
    expect(format).toEqual(json);
  });

  it.each([
    [['plan', '--site', 'shop', '--env', 'dev', '--json', '--format', 'table'], '--json and --format table ask for two formats: give one'],
    [['secret:site:list', 'shop', '--format', 'table', '--json'], '--json and --format table ask for two formats: give one'],
  ])('%j: two formats are refused', async (argv, sentence) => {
    const t = tripwireContext();
    expect(await t.run(argv)).toMatchObject({ code: 2, stdout: '', stderr: `composer-secrets: ${sentence}\n` });
    expect(t.touched).toEqual([]);
  });
});

describe('flags that would mean nothing are refused, not ignored', () => {
  it.each([
    [
      ['build', '--site', 'shop', '--env', 'dev', '--json'],
      "build --json prints the plan of a dry run: add --dry-run, or leave it out (a build prints composer's output)",
    ],
    [
      ['build', '--site', 'shop', '--env', 'dev', '--format', 'json'],
      "build --format prints the plan of a dry run: add --dry-run, or leave it out (a build prints composer's output)",
    ],
    [
      ['plan', '--site', 'shop', '--env', 'dev', '--dry-run'],
      'plan --dry-run: plan writes and runs nothing already; leave --dry-run out (it is for build)',
    ],
    [
      ['plan', '--site', 'shop', '--env', 'dev', '--', 'update'],
      "plan runs no composer: the words after -- are composer's arguments, which only build takes",
    ],
    [
      ['env', '--site', 'shop', '--env', 'dev', '--', 'install'],
      "env runs no composer: the words after -- are composer's arguments, which only build takes",
    ],
    [
      ['secret:site:set', 'shop', 'A', 'v', '--', 'x'],
      "secret:site:set runs no composer: the words after -- are composer's arguments, which only build takes",
    ],
  ])('%j', async (argv, sentence) => {
    const t = tripwireContext();
    expect(await t.run(argv)).toMatchObject({ code: 2, stdout: '', stderr: `composer-secrets: ${sentence}\n` });
    expect(t.touched).toEqual([]);
  });
});

describe('every flag is checked before anything is read, locked or run', () => {
  const plan = (...more: string[]) => ['plan', '--site', 'shop', '--env', 'dev', ...more];
  it.each([
    [plan('--composer-version', 'two'), /^--composer-version: give a release as X\.Y\.Z/],
    [['doctor', '--site', 'shop', '--env', 'dev', '--auth-target', 'home', '--composer-version', 'x'], /^--composer-version: /],
    [['build', '--site', 'shop', '--env', 'dev', '--auth-target', 'home', '--composer-version', 'x'], /^--composer-version: /],
    [['plan', '--site', 'Shop', '--env', 'dev', '--auth-target', 'home'], /^invalid site name \(--site\)/],
    [plan('--source', 'ftp:x'), /^--source: /],
    [plan('--source', 'nonsense'), /^--source: unknown source/],
    [['scan', 'vendor', '--site', 'shop', '--env', 'Dev'], /^invalid environment name \(--env\)/],
    [['env', '--site', 'shop', '--env', 'dev', '--org', 'A B'], /^invalid organization name \(--org\)/],
    [['env', '--site', 'shop', '--env', 'dev', '--format', 'github', '--output', 'x.env'], /^--output does not go with --format github/],
    [
      ['env', '--site', 'shop', '--env', 'dev', '--format', 'github'],
      /^--format github appends to the file named by \$GITHUB_ENV, which is not set/,
    ],
    [['secret:site:set', 'shop', 'A', '-', '--scope', 'bogus'], /^--scope: unknown scope; scopes: ic, web, user/],
    [['secret:org:set', 'acme', 'A', '-', '--env', 'Live'], /^invalid environment name \(--env\)/],
    [['secret:site:set', 'Shop', 'A', '-'], /^invalid site name/],
    [
      ['build', '--site', 'shop', '--env', 'dev', '--leak-check-ignore', 'vendor/[ab'],
      /^--leak-check-ignore: a glob has a \[ without its \]/,
    ],
    [
      ['scan', 'vendor', '--site', 'shop', '--env', 'dev', '--leak-check-ignore', '[x'],
      /^--leak-check-ignore: a glob has a \[ without its \]/,
    ],
  ])('%j', async (argv, message) => {
    const t = tripwireContext();
    const r = await t.run(argv);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.replace(/^composer-secrets: /, '')).toMatch(message);
    expect(t.touched).toEqual([]);
  });

  it('the tripwire sees a command that reads: a good command line touches the store', async () => {
    const t = tripwireContext();
    await t.run(['secret:site:list', 'shop']);
    expect(t.touched.filter((call) => call.startsWith('fs.'))).not.toEqual([]);
    const set = tripwireContext();
    expect((await set.run(['secret:site:set', 'shop', 'A', '-'])).code).toBe(0);
    expect(set.touched).toContain('stdin');
    expect(set.touched).toContain('lock');
    expect(STORE).toContain('store.json');
  });
});
