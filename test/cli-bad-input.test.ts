// Bad input on the command line and in values: exit 2, a message naming the flag, file or
// secret (never a value), no stack, nothing written.
import { afterEach, describe, expect, it } from 'vitest';
import { COMPOSER_PATH, memoryContext } from './support/memory-context.js';

const STORE = '/home/dev/.config/composer-secrets/store.json';
const CANARY = 'CANARY-e5c';
const PROJECT = '/work/project';
const AUTH = `${PROJECT}/auth.json`;
const plan = (...more: string[]) => ['plan', '--site', 'shop', '--env', 'dev', ...more];
const build = (...more: string[]) => ['build', '--site', 'shop', '--env', 'dev', '--dir', 'project', ...more];

/** A project whose store (written as JSON, so it can hold what the command line cannot) has these secrets of site shop. */
function projectWith(secrets: Record<string, unknown>, files: Record<string, string> = {}) {
  const store = { version: 1, sites: { shop: { secrets } } };
  return memoryContext({ files: { [STORE]: JSON.stringify(store), [`${PROJECT}/composer.json`]: '{}', ...files } });
}

const clean = (r: { stdout: string; stderr: string }) => {
  expect(r.stderr).not.toContain(CANARY);
  expect(r.stdout).not.toContain(CANARY);
  expect(r.stderr).not.toContain('\u0000');
  expect(r.stderr).not.toContain('internal error');
};

describe('flags', () => {
  it.each(['store', 'dir', 'source', 'output', 'scope', 'file', 'env', 'site', 'auth-target', 'keep-auth'])(
    '--no-%s is an unknown option (exit 2), never false',
    async (flag) => {
      const m = memoryContext();
      const command = flag === 'scope' ? ['secret:site:set', 'shop', 'A', 'v'] : flag === 'file' || flag === 'dir' ? ['restore'] : plan();
      const r = await m.run([...command, `--no-${flag}`]);
      expect(r, r.stderr).toMatchObject({ code: 2, stdout: '' });
      // An option of the command: leave it out; else the option is unknown to the command.
      expect(r.stderr).toMatch(
        new RegExp(`^composer-secrets: unknown option --no-${flag}(: leave --${flag} out instead| for (plan|restore))\\n$`),
      );
    },
  );

  it.each([
    [['env', '--site', 'shop', '--env', 'dev', '--output', '-'], '--output'],
    [['env', '--site', 'shop', '--env', 'dev', '--output=-'], '--output'],
    [['--store', '-', 'secret:site:set', 'shop', 'A', 'v'], '--store'],
    [['restore', '--dir', '-'], '--dir'],
    [plan('--source', '-'), '--source'],
    [build('--composer', '-'), '--composer'],
    [['secret:site:set', '-', 'A', 'v'], '<target>'],
    [['secret:site:set', 'shop', '-', 'v'], '<name>'],
  ])('- outside a <value> is refused, naming the argument: %j', async (argv, name) => {
    const m = memoryContext();
    const r = await m.run(argv);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^composer-secrets: ${name} -: '-' \\(standard input\\) is read only for a secret's <value>`));
    clean(r);
    expect(m.volume.existsSync(STORE)).toBe(false);
  });

  it('passes a - after -- on to composer as typed', async () => {
    const m = projectWith({});
    const r = await m.run(build('--', 'config', 'x', '-'));
    expect(r.code, r.stderr).toBe(0);
    expect(m.calls.find((c) => c.file === COMPOSER_PATH)?.args).toEqual(['config', 'x', '-']);
  });

  it('does not repeat what --source, --composer or --scope was given', async () => {
    const m = projectWith({});
    for (const argv of [
      plan('--source', `${CANARY}-token`),
      build('--composer', `${CANARY}-token`),
      ['secret:site:set', 'shop', 'A', 'v', '--scope', `${CANARY}`],
    ]) {
      const r = await m.run(argv);
      expect(r.code, r.stderr).toBe(2);
      clean(r);
    }
  });
});

describe('yargs in any language', () => {
  const saved = { LC_ALL: process.env.LC_ALL, LANG: process.env.LANG };
  afterEach(() => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });

  it.each(['de_DE.UTF-8', 'fr_FR.UTF-8', 'ja_JP.UTF-8'])('LC_ALL=%s: the English rewrite, without the stray value', async (locale) => {
    process.env.LC_ALL = locale;
    process.env.LANG = locale;
    const m = memoryContext();
    const unknown = await m.run(['secret:site:set', 'shop', 'A', 'v', `${CANARY}-value`]);
    expect(unknown).toMatchObject({
      code: 2,
      stderr:
        'composer-secrets: secret:site:set takes 3 arguments (<target> <name> <value>); 1 more was given (quote a value that holds spaces; see composer-secrets secret:site:set --help)\n',
    });
    const choice = await m.run(['secret:site:set', 'shop', 'A', 'v', '--type', `${CANARY}`]);
    expect(choice).toMatchObject({ code: 2, stderr: 'composer-secrets: invalid value for --type (choices: runtime, env, composer)\n' });
    const missing = await m.run(['plan', '--site', 'shop']);
    expect(missing).toMatchObject({ code: 2, stderr: 'composer-secrets: plan needs --env (see composer-secrets plan --help)\n' });
  });
});

describe('names and values on the command line', () => {
  it('a value given in the name position is not printed as the "invalid name"', async () => {
    const m = memoryContext();
    const r = await m.run(['secret:site:set', 'shop', `${CANARY} pasted value`, 'NAME']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'composer-secrets: invalid name for the new runtime secret (the name given is not shown): a secret name is 1-255 letters, digits, or _ . : - (not starting with . : -)\n',
    );
    const override = await m.run(['secret:site:set', 'shop.dev', `${CANARY} pasted value`, 'NAME']);
    expect(override.code).toBe(2);
    clean(override);
    const deleted = await m.run(['secret:site:delete', 'shop', `${CANARY} pasted value`]);
    expect(deleted.code).toBe(2);
    clean(deleted);
    expect(m.volume.existsSync(STORE) ? JSON.parse(m.volume.readFileSync(STORE, 'utf8') as string).sites : {}).toEqual({});
  });

  it('refuses a secret named __proto__ instead of storing what every read would lose', async () => {
    const m = memoryContext();
    const r = await m.run(['secret:site:set', 'shop', '__proto__', 'v', '--type', 'env']);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain('__proto__ cannot be a secret name');
    expect(m.volume.existsSync(STORE)).toBe(false);
  });

  it('refuses stdin that is not UTF-8, and keeps a byte order mark', async () => {
    const m = memoryContext();
    m.ctx.stdin = (await import('node:stream')).Readable.from([Buffer.from([0x61, 0xff, 0x62])]);
    const r = await m.run(['secret:site:set', 'shop', 'A', '-']);
    expect(r).toMatchObject({
      code: 2,
      stderr: 'composer-secrets: the <value> on standard input is not valid UTF-8 text; nothing was read from it\n',
    });
    expect(m.volume.existsSync(STORE)).toBe(false);
    expect((await m.run(['secret:site:set', 'shop', 'A', '-', '--scope', 'user'], '\ufeffv\n')).code).toBe(0);
    expect(JSON.parse(m.volume.readFileSync(STORE, 'utf8') as string).sites.shop.secrets.A.value).toBe('\ufeffv\n');
  });

  it('refuses a source document that is not UTF-8, on stdin or in a file', async () => {
    const bytes = Buffer.concat([
      Buffer.from('{"A": {"type": "env", "scopes": ["ic", "user"], "value": "'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}}'),
    ]);
    const m = memoryContext({ files: { '/work/list.json': '' } });
    m.volume.writeFileSync('/work/list.json', bytes);
    const file = await m.run(plan('--source', 'terminus-json:list.json'));
    expect(file).toMatchObject({
      code: 2,
      stderr: 'composer-secrets: --source: /work/list.json is not valid UTF-8 text; nothing was read from it\n',
    });
    m.ctx.stdin = (await import('node:stream')).Readable.from([bytes]);
    const stdin = await m.run(plan('--source', 'sdk-json:-'));
    expect(stdin).toMatchObject({
      code: 2,
      stderr: 'composer-secrets: --source: standard input is not valid UTF-8 text; nothing was read from it\n',
    });
  });

  it('set refuses a NUL in an env value, naming the secret', async () => {
    const m = memoryContext();
    const r = await m.run(['secret:site:set', 'shop', 'API_KEY', '-', '--type', 'env', '--scope', 'ic'], `${CANARY}\u0000rest`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("secret 'API_KEY': the value holds a NUL character, which an environment variable cannot carry");
    clean(r);
  });
});

describe('values a build cannot use are plan problems, found before anything is written', () => {
  const env = (value: string) => ({ type: 'env', scopes: ['ic'], value });
  const composer = (value: string) => ({ type: 'composer', scopes: ['ic'], value });

  it.each([
    ['a lone surrogate in an env value', { API_KEY: env(`${CANARY}\ud800`) }, "secret 'API_KEY': the value holds a lone UTF-16 surrogate"],
    ['a NUL in an env value', { API_KEY: env(`${CANARY}\u0000x`) }, "secret 'API_KEY': the value holds a NUL character"],
    [
      'a lone surrogate in a token',
      { 'bearer.repo.example.org': composer(`${CANARY}\udc00`) },
      "secret 'bearer.repo.example.org': is not a valid bearer value: holds a lone UTF-16 surrogate",
    ],
    [
      'a lone surrogate escaped in a JSON entry',
      { 'http-basic.repo.example.org': composer(`{"username": "u", "password": "${CANARY}\\ud800"}`) },
      "secret 'http-basic.repo.example.org': its JSON value is not a valid http-basic entry: holds a lone UTF-16 surrogate",
    ],
    [
      'a lone surrogate in COMPOSER_AUTH',
      { COMPOSER_AUTH: env(`{"bearer": {"repo.example.org": "${CANARY}\\udbff"}}`) },
      "secret 'COMPOSER_AUTH': bearer.repo.example.org: holds a lone UTF-16 surrogate",
    ],
  ])('%s', async (_what, secrets, problem) => {
    const m = projectWith(secrets);
    const planned = await m.run(plan());
    expect(planned.code, planned.stderr).toBe(2);
    expect(planned.stdout + planned.stderr).toContain(problem);
    clean(planned);
    const built = await m.run(build());
    expect(built.code, built.stderr).toBe(2);
    expect(built.stderr).toContain(problem);
    clean(built);
    expect(m.calls.filter((c) => c.file === COMPOSER_PATH)).toEqual([]);
    expect(await m.fs.readdir(PROJECT)).toEqual(['composer.json']);
  });
});

describe('auth.json', () => {
  const credentials = { 'bearer.repo.example.org': { type: 'composer', scopes: ['ic'], value: `${CANARY}-token` } };

  it('refuses one nested deeper than Composer reads, naming it and leaving it as it is', async () => {
    const deep = `{"bearer": {"other.example.org": "t"}, "x": ${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const m = projectWith(credentials, { [AUTH]: deep });
    const r = await m.run(build());
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${AUTH} is not a valid Composer auth document`);
    expect(r.stderr).toContain('more than 512 levels deep');
    clean(r);
    expect(await m.fs.readFile(AUTH, 'utf8')).toBe(deep);
  });

  it('keeps a __proto__ member of an existing auth.json', async () => {
    const original =
      '{"__proto__": {"kept": true}, "http-basic": {"other.example.org": {"username": "u", "password": "p", "__proto__": "also kept"}}}';
    const m = projectWith(credentials, { [AUTH]: original });
    const r = await m.run(build('--keep-auth'));
    expect(r.code, r.stderr).toBe(0);
    const written = JSON.parse((await m.fs.readFile(AUTH, 'utf8')) as string) as Record<string, unknown>;
    expect(Object.keys(written)).toEqual(['__proto__', 'http-basic', 'bearer']);
    expect(Object.getOwnPropertyDescriptor(written, '__proto__')?.value).toEqual({ kept: true });
    const entry = (written['http-basic'] as Record<string, object>)['other.example.org'] ?? {};
    expect(Object.getOwnPropertyDescriptor(entry, '__proto__')?.value).toBe('also kept');
  });
});

describe('files that are not UTF-8 are refused and left as they are, never read as U+FFFD', () => {
  const invalid = (before: string, after: string) => Buffer.concat([Buffer.from(before), Buffer.from([0xc3, 0x28]), Buffer.from(after)]);

  it('the store: a read (plan) and a write (set) both stop with exit 2, the file byte for byte as it was', async () => {
    const bytes = invalid(
      `{"version": 1, "sites": {"shop": {"secrets": {"A": {"type": "env", "scopes": ["ic"], "value": "${CANARY}`,
      '"}}}}}',
    );
    const m = memoryContext({ files: { [STORE]: '' } });
    m.volume.writeFileSync(STORE, bytes);
    for (const argv of [plan(), ['secret:site:set', 'shop', 'B', 'value']]) {
      const r = await m.run(argv);
      expect(r, argv.join(' ')).toMatchObject({
        code: 2,
        stderr: `composer-secrets: store file ${STORE} is not valid UTF-8 text, so it was left as it is; fix or move it\n`,
      });
      clean(r);
    }
    expect(Buffer.compare(m.volume.readFileSync(STORE) as Buffer, bytes)).toBe(0);
  });

  it('an existing auth.json: the build stops before composer runs, the file as it was', async () => {
    const bytes = invalid(`{"bearer": {"other.example.org": "${CANARY}`, '"}}');
    const m = projectWith({ 'bearer.repo.example.org': { type: 'composer', scopes: ['ic'], value: 'token-1' } });
    m.volume.writeFileSync(AUTH, bytes);
    const r = await m.run(build());
    expect(r).toMatchObject({
      code: 2,
      stderr: `composer-secrets: auth file ${AUTH} is not valid UTF-8 text, so it was left as it is; fix or move it\n`,
    });
    clean(r);
    expect(m.calls.filter((c) => c.file === COMPOSER_PATH)).toEqual([]);
    expect(Buffer.compare(m.volume.readFileSync(AUTH) as Buffer, bytes)).toBe(0);
  });
});
