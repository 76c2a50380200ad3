// secret:site:local-generate: the file Pantheon's PHP SDK reads in local development, in
// the shape the plugin writes (fixtures/pantheon/*/secrets.json), with the web-scoped
// secrets' values resolved as a build resolves them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderLocalSecretsFile } from '../src/cli/render/local-secrets-file.js';
import { memoryContext } from './support/memory-context.js';

const fixture = (path: string) => readFileSync(new URL(`../fixtures/pantheon/${path}`, import.meta.url), 'utf8');
const STORE = '/store.json';
const CANARY = 'CANARY-0b7c';

describe('the file, byte for byte as the plugin writes it', () => {
  it.each([
    [
      'b',
      [
        { name: 'file.json', type: 'file', value: '{}', scopes: ['user'] },
        { name: 'ACF_PRO_KEY', type: 'env', value: 'acf-key', scopes: ['ic', 'user'] },
      ],
    ],
    [
      'd',
      [
        { name: 'sendgrid api key', type: 'runtime', value: 'x', scopes: ['web', 'user'] },
        { name: 'ACF_PRO_KEY', type: 'env', value: 'acf-key', scopes: ['ic', 'user'] },
        { name: 'github-oauth', type: 'composer', value: 'tok', scopes: ['ic', 'user'] },
      ],
    ],
  ])('captures/%s/secrets.json', (capture, secrets) => {
    expect(renderLocalSecretsFile({ siteId: 's', scopes: ['user', 'ic', 'web'], secrets })).toBe(fixture(`${capture}/secrets.json`));
  });

  it('no secrets: an empty object, as PHP writes a decoded {}', () => {
    expect(renderLocalSecretsFile({ siteId: 'shop', scopes: ['web'], secrets: [] })).toBe(
      '{\n    "SiteID": "shop",\n    "Secrets": {},\n    "Count": 0,\n    "Version": "",\n    "Scopes": [\n        "web"\n    ]\n}',
    );
  });
});

const STORE_TEXT = JSON.stringify({
  version: 1,
  organizations: {
    acme: {
      secrets: {
        sendgrid_api: { type: 'runtime', scopes: ['web'], value: 'SG.org/key', overrides: { dev: 'SG.org-dev' } },
        SHARED: { type: 'runtime', scopes: ['web', 'user'], value: 'org-shared', overrides: { dev: 'org-shared-dev' } },
        ZERO: { type: 'runtime', scopes: ['web'], value: 'org-zero' },
        ORG_BUILD_ONLY: { type: 'env', scopes: ['ic'], value: `${CANARY}-org-ic` },
      },
    },
  },
  sites: {
    shop: {
      organization: 'acme',
      secrets: {
        SHARED: { type: 'runtime', scopes: ['web'], value: 'site-shared' },
        ZERO: { type: 'runtime', scopes: ['web'], value: '0' },
        SENTRY_DSN: { type: 'env', scopes: ['ic', 'web'], value: 'dsn', overrides: { dev: 'dsn-dev' } },
        'github-oauth.github.com': { type: 'composer', scopes: ['ic', 'user'], value: `${CANARY}-token` },
      },
    },
    blog: { secrets: { 'github-oauth.github.com': { type: 'composer', scopes: ['ic'], value: `${CANARY}-blog` } } },
  },
});

/** The secrets.json the SDK would read: name -> Value, in order. */
const values = (text: string) =>
  Object.fromEntries(Object.entries(JSON.parse(text).Secrets as Record<string, { Value: string }>).map(([name, s]) => [name, s.Value]));

function run(argv: string[]) {
  const m = memoryContext({ files: { [STORE]: STORE_TEXT } });
  return { m, result: m.run(['--store', STORE, ...argv]) };
}

describe('secret:site:local-generate', () => {
  it('writes ./secrets.json, 0600: the web-scoped secrets of the site and its organization, base values, site over organization', async () => {
    const { m, result } = run(['secret:site:local-generate', 'shop']);
    expect(await result).toEqual({
      code: 0,
      stdout: '',
      stderr:
        'Secrets file written to: /work/secrets.json (4 secrets with the web scope, base values). Please review this file and adjust accordingly for your local usage.\n',
    });
    const text = (await m.fs.readFile('/work/secrets.json', 'utf8')) as string;
    expect(values(text)).toEqual({ SENTRY_DSN: 'dsn', SHARED: 'site-shared', ZERO: '0', sendgrid_api: 'SG.org/key' });
    expect(text).toContain('"Value": "SG.org\\/key"'); // PHP's escaped slash
    expect(text).not.toContain(CANARY); // build-only secrets stay out
    expect(JSON.parse(text)).toMatchObject({ SiteID: 'shop', Count: 4, Version: '', Scopes: ['web'] });
    expect(JSON.parse(text).Secrets.ZERO).toEqual({ Type: 'runtime', Value: '0', Scopes: ['web'] }); // no OrgValues for the SDK to fall back to
    expect((await m.fs.stat('/work/secrets.json')).mode & 0o777).toBe(0o600);
  });

  it.each([
    [['secret:site:local-generate', 'shop', '--env', 'dev', '--filepath', 'dev.json']],
    [['secret:local-generate', 'shop.dev', '--filepath', 'dev.json']],
    [['secret:local-generate', 'shop.dev', '--env', 'dev', '--filepath', 'dev.json']],
  ])('%j resolves for the environment: site override, site value, organization override, organization value', async (argv) => {
    const { m, result } = run(argv);
    expect((await result).stderr).toContain('(4 secrets with the web scope, values for dev)');
    expect(values((await m.fs.readFile('/work/dev.json', 'utf8')) as string)).toEqual({
      SENTRY_DSN: 'dsn-dev',
      SHARED: 'site-shared',
      ZERO: '0',
      sendgrid_api: 'SG.org-dev',
    });
  });

  it('a site with no web-scoped secret: a file listing none, and a warning', async () => {
    const { m, result } = run(['secret:site:local-generate', 'blog']);
    const r = await result;
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(
      "composer-secrets: warning: no secret of site 'blog' or its organization has the web scope; the file lists none\n",
    );
    expect(JSON.parse((await m.fs.readFile('/work/secrets.json', 'utf8')) as string)).toMatchObject({ Secrets: {}, Count: 0 });
  });

  it('replaces an existing file atomically and warns when git would not ignore it', async () => {
    const again = memoryContext({
      files: { [STORE]: STORE_TEXT, '/work/secrets.json': 'old', '/work/.git/HEAD': '' },
      programs: { git: () => ({ exitCode: 1 }) },
    });
    const r = await again.run(['--store', STORE, 'secret:site:local-generate', 'shop']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('composer-secrets: warning: /work/secrets.json is not ignored by git; add it to .gitignore');
    expect(values((await again.fs.readFile('/work/secrets.json', 'utf8')) as string)).toHaveProperty('SHARED', 'site-shared');
    expect(await again.fs.readdir('/work')).toEqual(['.git', 'secrets.json']); // no temp file left
  });

  it.each([
    [
      'a site not in the store',
      ['secret:site:local-generate', 'nope'],
      2,
      /^composer-secrets: site 'nope' is not in the store file \/store.json\n$/,
    ],
    [
      'a bad --env',
      ['secret:site:local-generate', 'shop', '--env', 'Dev'],
      2,
      /^composer-secrets: invalid environment name \(--env\): use lowercase/,
    ],
    [
      'two environments',
      ['secret:local-generate', 'shop.dev', '--env', 'live'],
      2,
      /^composer-secrets: <site> names environment 'dev' and --env 'live': give one\n$/,
    ],
    [
      '--filepath -',
      ['secret:site:local-generate', 'shop', '--filepath', '-'],
      2,
      /^composer-secrets: --filepath -: '-' \(standard input\) is read only for a secret's <value>/,
    ],
    [
      'a folder that does not exist',
      ['secret:site:local-generate', 'shop', '--filepath', '/missing/secrets.json'],
      1,
      /^composer-secrets: cannot write secrets file \/missing\/secrets.json: no such file or folder\n$/,
    ],
  ])('%s: exit %i, nothing written', async (_what, argv, code, message) => {
    const { m, result } = run(argv);
    const r = await result;
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toContain(CANARY);
    expect(await m.fs.readdir('/work')).toEqual([]);
  });

  it('refuses a symbolic link at the file, leaving what it points to as it was', async () => {
    const m = memoryContext({ files: { [STORE]: STORE_TEXT, '/elsewhere/target.json': 'keep' } });
    m.volume.symlinkSync('/elsewhere/target.json', '/work/secrets.json');
    const r = await m.run(['--store', STORE, 'secret:site:local-generate', 'shop']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'composer-secrets: secrets file /work/secrets.json is a symbolic link; refusing to follow it (replace it with a regular file or point the tool at the real path)\n',
    );
    expect(await m.fs.readFile('/elsewhere/target.json', 'utf8')).toBe('keep');
  });
});
