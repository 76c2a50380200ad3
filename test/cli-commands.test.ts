// The commands end to end on memfs: parsing, store, resolution, rendering, exit codes.
import { describe, expect, it } from 'vitest';
import { memoryContext } from './support/memory-context.js';

const STORE = '/home/dev/.config/composer-secrets/store.json';
const CANARY = 'CANARY-7f3a';

async function seeded() {
  const m = memoryContext();
  const steps: string[][] = [
    ['secret:org:set', 'acme', 'http-basic.repo.example.org', `ci-user ${CANARY}-basic`, '--type', 'composer', '--scope', 'ic'],
    ['secret:org:set', 'acme', 'ORG_KEY', `${CANARY}-org`, '--type', 'env', '--scope', 'ic'],
    ['secret:org:set', 'acme', 'ORG_KEY', `${CANARY}-org-dev`, '--env', 'dev'],
    ['site:set-org', 'shop', 'acme'],
    ['secret:site:set', 'shop', 'API_KEY', `${CANARY}-site`, '--type', 'env', '--scope', 'ic,web'],
    ['secret:site:set', 'shop.dev', 'API_KEY', `${CANARY}-site-dev`],
    ['secret:site:set', 'shop', 'PUBLIC_ID', 'visible-id', '--type', 'env', '--scope', 'user,web'],
    ['secret:site:set', 'shop', 'runtime_token', `${CANARY}-runtime`, '--scope', 'ic,web'],
  ];
  for (const argv of steps) {
    const r = await m.run(argv);
    expect(r, argv.join(' ')).toMatchObject({ code: 0, stderr: '' });
  }
  return m;
}

describe('management commands', () => {
  it('writes the store in the default location, 0600', async () => {
    const m = await seeded();
    expect((await m.fs.stat(STORE)).mode & 0o777).toBe(0o600);
  });

  it('honours --store and COMPOSER_SECRETS_STORE', async () => {
    const m = memoryContext({ env: { COMPOSER_SECRETS_STORE: '/env/store.json' } });
    expect((await m.run(['secret:site:set', 'shop', 'A', 'v'])).code).toBe(0);
    expect((await m.run(['--store', 'local.json', 'secret:site:set', 'shop', 'B', 'v'])).code).toBe(0);
    expect(JSON.parse((await m.fs.readFile('/env/store.json', 'utf8')) as string).sites.shop.secrets).toHaveProperty('A');
    expect(JSON.parse((await m.fs.readFile('/work/local.json', 'utf8')) as string).sites.shop.secrets).toHaveProperty('B');
  });

  it("lists a site's secrets and its organization's as Terminus does, values only for user-scoped secrets", async () => {
    const m = await seeded();
    const table = await m.run(['secret:site:list', 'shop']);
    expect(table).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        ' ----------------------------- ------------- -------------- --------------- ',
        '  Secret name                   Secret type   Secret value   Secret scopes  ',
        ' ----------------------------- ------------- -------------- --------------- ',
        '  API_KEY                       env           [REDACTED]     ic, web        ',
        '  PUBLIC_ID                     env           visible-id     user, web      ',
        '  runtime_token                 runtime       [REDACTED]     ic, web        ',
        '  http-basic.repo.example.org   composer      [REDACTED]     ic             ',
        '  ORG_KEY                       env           [REDACTED]     ic             ',
        ' ----------------------------- ------------- -------------- --------------- ',
        '',
      ].join('\n'),
    });
    const json = await m.run(['secret:site:list', 'shop', '--format', 'json']);
    const rows = JSON.parse(json.stdout);
    expect(Object.keys(rows)).toEqual(['API_KEY', 'PUBLIC_ID', 'runtime_token', 'http-basic.repo.example.org', 'ORG_KEY']);
    expect(rows.API_KEY).toEqual({
      name: 'API_KEY',
      type: 'env',
      value: null,
      scopes: ['ic', 'web'],
      'env-values': { dev: null },
      'org-values': [],
    });
    expect(rows.PUBLIC_ID).toEqual({
      name: 'PUBLIC_ID',
      type: 'env',
      value: 'visible-id',
      scopes: ['user', 'web'],
      'env-values': [],
      'org-values': [],
    });
    expect(rows.ORG_KEY).toEqual({
      name: 'ORG_KEY',
      type: 'env',
      value: null,
      scopes: ['ic'],
      'env-values': [],
      'org-values': { default: null, dev: null },
    });
    const org = await m.run(['secret:org:list', 'acme', '--format', 'json']);
    expect(Object.keys(JSON.parse(org.stdout))).toEqual(['http-basic.repo.example.org', 'ORG_KEY']);
    expect(JSON.parse(org.stdout).ORG_KEY).toEqual({
      name: 'ORG_KEY',
      type: 'env',
      value: null,
      scopes: ['ic'],
      'env-values': { dev: null },
    });
    for (const r of [table, json, org]) expect(r.stdout).not.toContain(CANARY);
  });

  it('reads a value of - from standard input exactly, trailing newline and all', async () => {
    const m = memoryContext();
    const value = `  line one\nline two ${CANARY}\n`;
    const set = await m.run(['secret:site:set', 'shop', 'MULTI', '-', '--type', 'env', '--scope', 'ic,user'], value);
    expect(set).toEqual({ code: 0, stdout: "Set secret 'MULTI' of site 'shop'.\n", stderr: '' });
    const listed = await m.run(['secret:site:list', 'shop', '--format', 'json']);
    expect(JSON.parse(listed.stdout).MULTI.value).toBe(value);
  });

  it('deletes overrides and secrets, exposing what was hidden', async () => {
    const m = await seeded();
    expect((await m.run(['secret:site:delete', 'shop.dev', 'API_KEY'])).stdout).toBe(
      "Deleted the dev override of secret 'API_KEY' of site 'shop'.\n",
    );
    expect((await m.run(['secret:org:delete', 'acme', 'ORG_KEY', '--env', 'dev'])).code).toBe(0);
    const env = await m.run(['env', '--site', 'shop', '--env', 'dev']);
    expect(JSON.parse(env.stdout)).toEqual({ API_KEY: `${CANARY}-site`, ORG_KEY: `${CANARY}-org` });
    expect((await m.run(['secret:org:delete', 'acme', 'ORG_KEY'])).code).toBe(0);
    expect(JSON.parse((await m.run(['env', '--site', 'shop', '--env', 'dev'])).stdout)).toEqual({ API_KEY: `${CANARY}-site` });
  });
});

describe('refusals exit 2, name what is wrong and change nothing', () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      'a type change',
      ['secret:site:set', 'shop', 'API_KEY', `${CANARY}-x`, '--type', 'runtime'],
      /^composer-secrets: Secret 'API_KEY' already exists. To update the value, omit type and scopes options.\n {2}- site 'shop' has it with type 'env' and scopes ic,web;/,
    ],
    [
      'the same type again',
      ['secret:set', 'shop', 'API_KEY', `${CANARY}-x`, '--type', 'env'],
      /^composer-secrets: Secret 'API_KEY' already exists. To update the value, omit type and scopes options.\n/,
    ],
    [
      'a scope change',
      ['secret-org-set', 'acme', 'ORG_KEY', `${CANARY}-x`, '--scope', 'ic'],
      /^composer-secrets: Secret 'ORG_KEY' already exists. To update the value, omit type and scopes options.\n {2}- organization 'acme' has it/,
    ],
    [
      "an override's type change",
      ['secret:site:set', 'shop.dev', 'API_KEY', `${CANARY}-x`, '--type', 'runtime'],
      /secret 'API_KEY' at site 'shop' already exists with type 'env'; its type is fixed/,
    ],
    [
      "an override's scope change",
      ['secret:org:set', 'acme', 'ORG_KEY', `${CANARY}-x`, '--env', 'dev', '--scope', 'user'],
      /already exists with scopes ic; its scopes are fixed/,
    ],
    ['deleting an override of what is not there', ['secret-delete', 'shop.dev', 'NOPE'], /no secret 'NOPE' at site 'shop'/],
    [
      'an override without a base',
      ['secret:org:set', 'acme', 'NEW', `${CANARY}-x`, '--env', 'dev'],
      /secret 'NEW' does not exist at organization 'acme'; create its default value first/,
    ],
    [
      'a bad env name',
      ['secret:site:set', 'shop', 'BAD-NAME', `${CANARY}-x`, '--type', 'env'],
      /invalid name for the new env secret \(the name given is not shown\): an env secret's name must match/,
    ],
    [
      'a bad composer name',
      ['secret:site:set', 'shop', 'password.example.org', `${CANARY}-x`, '--type', 'composer'],
      /invalid name for the new composer secret \(the name given is not shown\): the part before the first '\.' is not a Composer auth kind/,
    ],
    ['a bad site name', ['secret:site:set', 'Shop', 'A', `${CANARY}-x`], /invalid site name: use lowercase letters, digits and '-'/],
    ['a bad environment', ['secret:site:set', 'shop.Dev_1', 'A', `${CANARY}-x`], /invalid environment name: use lowercase/],
    [
      'a bad --env',
      ['secret:org:set', 'acme', 'ORG_KEY', `${CANARY}-x`, '--env', 'a b'],
      /invalid environment name \(--env\): use lowercase/,
    ],
    [
      'an unknown scope',
      ['secret:site:set', 'shop', 'A', `${CANARY}-x`, '--scope', 'ic,admin'],
      /--scope: unknown scope; scopes: ic, web, user\n$/,
    ],
    [
      'an unknown type',
      ['secret:site:set', 'shop', 'A', `${CANARY}-x`, '--type', 'file'],
      /invalid value for --type \(choices: runtime, env, composer\)/,
    ],
    ['an unknown option', ['secret:site:set', 'shop', 'A', `${CANARY}-x`, '--typo'], /unknown option --typo/],
    [
      'a stray argument',
      ['secret:site:set', 'shop', 'A', 'two', `${CANARY}-words`],
      /secret:site:set takes 3 arguments \(<target> <name> <value>\); 1 more was given \(quote a value that holds spaces/,
    ],
    [
      'a missing argument',
      ['secret:site:set', 'shop', 'A'],
      /secret:site:set needs <value> \(usage: composer-secrets secret:site:set <target> <name> <value>\)\n$/,
    ],
    [
      'an unknown command',
      ['secret:site:get', 'shop'],
      /^composer-secrets: unknown command; did you mean secret:site:set\? \(composer-secrets --help lists the commands\)\n$/,
    ],
    ['no command', [], /name a command/],
    ['deleting what is not there', ['secret:site:delete', 'shop', 'NOPE'], /no secret 'NOPE' at site 'shop'/],
    ['listing an unknown site', ['secret:site:list', 'blog'], /site 'blog' is not in the store file/],
    [
      'planning an unknown site',
      ['plan', '--site', 'blog', '--env', 'dev'],
      /site 'blog' is not in the store file .*; set one of its secrets/,
    ],
    [
      'an --org that contradicts the store',
      ['plan', '--site', 'shop', '--env', 'dev', '--org', 'globex'],
      /--org globex: site 'shop' belongs to organization 'acme'/,
    ],
    ['plan without --env', ['plan', '--site', 'shop'], /^composer-secrets: plan needs --env \(see composer-secrets plan --help\)\n$/],
  ];
  it.each(cases)('%s', async (_what, argv, message) => {
    const m = await seeded();
    const before = await m.fs.readFile(STORE, 'utf8');
    const r = await m.run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^composer-secrets: /);
    expect(r.stderr).not.toContain(CANARY);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(await m.fs.readFile(STORE, 'utf8')).toBe(before);
  });

  it('an invalid store: exit 2 with the JSON paths, file untouched byte for byte', async () => {
    const broken = `{"version":1,"sites":{"shop":{"secrets":{"FOO":{"type":"secret","scopes":["ic"],"value":"${CANARY}"}}}}}`;
    const m = memoryContext({ files: { [STORE]: broken } });
    for (const argv of [
      ['secret:site:set', 'shop', 'B', 'v'],
      ['plan', '--site', 'shop', '--env', 'dev'],
      ['secret:site:list', 'shop'],
    ]) {
      const r = await m.run(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(
        `composer-secrets: store file ${STORE} is not a valid store\n  - sites.shop.secrets.FOO.type: must be one of "runtime", "env", "composer"\n`,
      );
    }
    expect(await m.fs.readFile(STORE, 'utf8')).toBe(broken);
  });

  it("reads check only the owners they use: another site's bad secret stops neither plan nor list, and blocks every write", async () => {
    const good = { organization: 'acme', secrets: { API_KEY: { type: 'env', scopes: ['ic'], value: `${CANARY}-good` } } };
    const bad = { secrets: { FOO: { type: 'secret', scopes: ['ic'], value: `${CANARY}-bad` } } };
    const unusedOrg = { secrets: { ORG_KEY: { type: 'env', scopes: [], value: `${CANARY}-org` } } };
    const text = JSON.stringify({
      version: 1,
      organizations: { acme: { secrets: {} }, other: unusedOrg },
      sites: { shop: good, broken: bad },
    });
    const m = memoryContext({ files: { [STORE]: text } });
    const plan = await m.run(['plan', '--site', 'shop', '--env', 'dev', '--json']);
    expect(plan).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(plan.stdout).secrets.map((s: { name: string }) => s.name)).toEqual(['API_KEY']);
    expect((await m.run(['secret:site:list', 'shop'])).code).toBe(0);
    expect((await m.run(['secret:org:list', 'acme'])).code).toBe(0);
    // The owner at fault is named with its path, as a check of the whole store names it.
    const heading = `composer-secrets: store file ${STORE} is not a valid store\n`;
    for (const argv of [
      ['plan', '--site', 'broken', '--env', 'dev', '--org', 'acme'],
      ['secret:site:list', 'broken'],
      ['secret:site:set', 'shop', 'B', 'v'],
    ]) {
      const r = await m.run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr.startsWith(heading), argv.join(' ')).toBe(true);
      expect(r.stderr).toContain('  - sites.broken.secrets.FOO.type: must be one of "runtime", "env", "composer"\n');
      expect(r.stderr).not.toContain(CANARY);
    }
    expect((await m.run(['secret:org:list', 'other'])).stderr).toContain('organizations.other.secrets.ORG_KEY.scopes');
    expect(await m.fs.readFile(STORE, 'utf8')).toBe(text);
  });

  it('reads still check the whole outline: the version and every owner name', async () => {
    const secrets = { API_KEY: { type: 'env', scopes: ['ic'], value: CANARY } };
    for (const [doc, fault] of [
      [{ version: 2, sites: { shop: { secrets } } }, 'version'],
      [{ version: 1, sites: { shop: { secrets }, 'Not A Name': { secrets: {} } } }, 'sites.(2nd key): invalid name'],
      [{ version: 1, sites: { shop: { secrets } }, extra: true }, '(top level): has an unknown key (the 3rd)'],
    ] as const) {
      const m = memoryContext({ files: { [STORE]: JSON.stringify(doc) } });
      const r = await m.run(['plan', '--site', 'shop', '--env', 'dev']);
      expect(r.code, fault).toBe(2);
      expect(r.stderr, fault).toContain(`store file ${STORE} is not a valid store`);
      expect(r.stderr, fault).toContain(fault);
      expect(r.stderr).not.toContain(CANARY);
    }
  });
});

describe('plan', () => {
  it('shows each secret with its provenance and what it becomes, values redacted', async () => {
    const m = await seeded();
    const r = await m.run(['plan', '--site', 'shop', '--env', 'dev']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(CANARY);
    expect(r.stdout).toContain('Build plan for site shop, environment dev, organization acme');
    expect(r.stdout).toMatch(/API_KEY\s+env\s+site shop \(dev override\)\s+env API_KEY\s+\(base\)\n/);
    expect(r.stdout).toMatch(/ORG_KEY\s+env\s+org acme \(dev override\)\s+env ORG_KEY\s+\(base\)\n/);
    expect(r.stdout).toMatch(/PUBLIC_ID\s+env\s+site shop\s+skipped: not in the ic scope/);
    expect(r.stdout).toMatch(/runtime_token\s+runtime\s+site shop\s+skipped: runtime secrets/);
    expect(r.stdout).toMatch(/http-basic\.repo\.example\.org\s+composer\s+org acme\s+auth\.json http-basic repo\.example\.org/);
    expect(r.stdout).toContain('1 auth.json entry, 2 variables, 2 skipped');
  });

  it('--json is the documented, stable shape', async () => {
    const m = await seeded();
    const r = await m.run(['plan', '--site', 'shop', '--env', 'live', '--json']);
    expect(r.stdout).not.toContain(CANARY);
    const plan = JSON.parse(r.stdout);
    expect(plan).toMatchObject({ version: 1, site: 'shop', environment: 'live', organization: 'acme' });
    expect(plan.secrets.find((s: { name: string }) => s.name === 'API_KEY')).toEqual({
      name: 'API_KEY',
      type: 'env',
      scopes: ['ic', 'web'],
      from: { owner: 'site', ownerName: 'shop', layer: 'base' },
      shadowed: [],
      becomes: { kind: 'variable', variable: 'API_KEY' },
      notes: [],
    });
  });

  it('--org names the organization of a site the store has no record of', async () => {
    const m = await seeded();
    const r = await m.run(['plan', '--site', 'newsite', '--env', 'dev', '--org', 'acme', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).secrets.map((s: { name: string }) => s.name)).toEqual(['ORG_KEY', 'http-basic.repo.example.org']);
  });
});

describe('env', () => {
  it('prints the resolved build variables as JSON', async () => {
    const m = await seeded();
    const r = await m.run(['env', '--site', 'shop', '--env', 'dev', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ API_KEY: `${CANARY}-site-dev`, ORG_KEY: `${CANARY}-org-dev` });
  });

  it('writes --output 0600 and reports without values', async () => {
    const m = await seeded();
    const r = await m.run(['env', '--site', 'shop', '--env', 'dev', '--output', 'build.json']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'Wrote 2 variables to /work/build.json.\n' });
    expect((await m.fs.stat('/work/build.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse((await m.fs.readFile('/work/build.json', 'utf8')) as string)).toHaveProperty('ORG_KEY', `${CANARY}-org-dev`);
  });
});

describe('repeated options', () => {
  it('take the last value', async () => {
    const m = memoryContext();
    const r = await m.run([
      '--store',
      'a.json',
      'secret:site:set',
      'shop',
      'A',
      'v',
      '--store',
      'b.json',
      '--scope',
      'web',
      '--scope',
      'user',
    ]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse((await m.fs.readFile('/work/b.json', 'utf8')) as string).sites.shop.secrets.A.scopes).toEqual(['user']);
  });
});

describe('options yargs cannot parse', () => {
  it.each([['-_'], ['--_'], ['-a_'], ['--_=1']])('%s is an unknown option, not a crash', async (token) => {
    const r = await memoryContext().run(['secret:site:set', 'shop', 'A', 'v', token]);
    expect(r).toMatchObject({
      code: 2,
      stderr:
        'composer-secrets: unknown option (no option of composer-secrets has a "_" in its name; give a value that starts with "-" on standard input, as -)\n',
    });
  });
});
