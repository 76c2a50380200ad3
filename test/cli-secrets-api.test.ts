// The customer-secrets service through the commands: the token (COMPOSER_SECRETS_TOKEN or
// the saved Terminus session), the site by UUID for every source, and what a build masks.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { memoryContext } from './support/memory-context.js';

const SITE_UUID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const OTHER_UUID = 'ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee';
const SITE_ANSWER = readFileSync(new URL('../fixtures/pantheon/main/api-site.json', import.meta.url), 'utf8');
const TOKEN = 'CANARY-env-token';
const SESSION = 'CANARY-session-token';
const SESSION_FILE = '/home/dev/.terminus/cache/session';
/** Far from now either way, so no test depends on the clock. */
const session = (expiresAt: number | string, token: string = SESSION) =>
  JSON.stringify({ session: token, expires_at: expiresAt, user_id: 'u' });
const LATER = 32_503_680_000; // year 3000
const EARLIER = 1_000_000_000; // 2001

/** The service on 127.0.0.1, answering the sample site; records each request's path and Authorization. */
async function service() {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.url} ${req.headers.authorization}`);
    const known = req.url === `/customer-secrets/v1/sites/${SITE_UUID}/secrets/showall`;
    res.writeHead(known ? 200 : 404, { 'content-type': 'application/json' });
    res.end(known ? SITE_ANSWER : '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/customer-secrets/v1`, seen };
}

const env = (site: string, source: string) => ['env', '--site', site, '--env', 'dev', '--source', source];
const noCanary = (r: { stdout: string; stderr: string }) => {
  expect(r.stderr).not.toContain('CANARY');
  expect(r.stdout).not.toContain('CANARY');
};
const EXPECTED_VARIABLES = { ACF_PRO_KEY: 'org-acf-dev', SENTRY_DSN: 'https://site.example/dsn-dev', BOTH: 'site-both' };

describe('the token', () => {
  it('COMPOSER_SECRETS_TOKEN goes raw in Authorization, and a build makes one request', async () => {
    const api = await service();
    const m = memoryContext({ env: { COMPOSER_SECRETS_TOKEN: TOKEN }, files: { [SESSION_FILE]: session(LATER) } });
    const r = await m.run(env(SITE_UUID, api.base));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(EXPECTED_VARIABLES);
    expect(api.seen).toEqual([`/customer-secrets/v1/sites/${SITE_UUID}/secrets/showall ${TOKEN}`]);
  });

  it('else the session Terminus saved at login', async () => {
    const api = await service();
    const m = memoryContext({ files: { [SESSION_FILE]: session(LATER) } });
    const r = await m.run(env(SITE_UUID, api.base));
    expect(r.code, r.stderr).toBe(0);
    expect(api.seen).toEqual([`/customer-secrets/v1/sites/${SITE_UUID}/secrets/showall ${SESSION}`]);
  });

  it('looks for the session where Terminus keeps it: TERMINUS_CACHE_DIR, TERMINUS_BASE_DIR/cache, $HOME/.terminus/cache', async () => {
    const api = await service();
    const places: Array<[Record<string, string>, string]> = [
      [{ TERMINUS_CACHE_DIR: '/cache' }, '/cache/session'],
      [{ TERMINUS_BASE_DIR: '/base' }, '/base/cache/session'],
      [{ HOME: '/users/me' }, '/users/me/.terminus/cache/session'],
    ];
    for (const [variables, file] of places) {
      const m = memoryContext({ env: variables, files: { [file]: session(LATER, `${SESSION}-${file}`) } });
      const r = await m.run(env(SITE_UUID, api.base));
      expect(r.code, r.stderr).toBe(0);
      expect(api.seen.at(-1)).toBe(`/customer-secrets/v1/sites/${SITE_UUID}/secrets/showall ${SESSION}-${file}`);
    }
  });

  it.each([
    [
      'neither',
      {},
      `the secrets API at http://127.0.0.1:PORT/customer-secrets/v1 needs a token: set COMPOSER_SECRETS_TOKEN, or log in with \`terminus auth:login\` (there is no Terminus session at ${SESSION_FILE})`,
    ],
    [
      'an expired session',
      { [SESSION_FILE]: session(EARLIER) },
      `the Terminus session in ${SESSION_FILE} expired (2001-09-09T01:46:40Z); run \`terminus auth:login\` (or set COMPOSER_SECRETS_TOKEN)`,
    ],
    [
      'a session that is not JSON',
      { [SESSION_FILE]: `{"session": "${SESSION}"` },
      `the Terminus session ${SESSION_FILE} is not a session Terminus wrote`,
    ],
    [
      'a session without a token',
      { [SESSION_FILE]: JSON.stringify({ expires_at: LATER, user_id: `${SESSION}` }) },
      'is not a session Terminus wrote',
    ],
    ['a session without an expiry', { [SESSION_FILE]: JSON.stringify({ session: SESSION }) }, 'is not a session Terminus wrote'],
  ])('%s: exit 2 saying what to do, nothing sent, no token printed', async (_what, files, message) => {
    const api = await service();
    const m = memoryContext({ files });
    const r = await m.run(env(SITE_UUID, api.base));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message.replace('PORT', new URL(api.base).port));
    expect(api.seen).toEqual([]);
    noCanary(r);
  });

  it('reads an expiry PHP wrote as a string', async () => {
    const api = await service();
    const m = memoryContext({ files: { [SESSION_FILE]: session(String(LATER)) } });
    expect((await m.run(env(SITE_UUID, api.base))).code).toBe(0);
  });

  it('refuses a session file that is a symlink, or not UTF-8', async () => {
    const api = await service();
    const linked = memoryContext({ files: { '/elsewhere': session(LATER) } });
    linked.volume.mkdirSync('/home/dev/.terminus/cache', { recursive: true });
    linked.volume.symlinkSync('/elsewhere', SESSION_FILE);
    const r = await linked.run(env(SITE_UUID, api.base));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(SESSION_FILE);
    const bytes = memoryContext();
    bytes.volume.mkdirSync('/home/dev/.terminus/cache', { recursive: true });
    bytes.volume.writeFileSync(SESSION_FILE, Buffer.from([0x7b, 0xc3, 0x28, 0x7d]));
    const r2 = await bytes.run(env(SITE_UUID, api.base));
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('not valid UTF-8');
    expect(api.seen).toEqual([]);
  });

  it('a build masks the session token in what composer prints, as it masks COMPOSER_SECRETS_TOKEN', async () => {
    const api = await service();
    const composerEnvs: Array<Record<string, string>> = [];
    const m = memoryContext({
      files: { [SESSION_FILE]: session(LATER), '/work/project/composer.json': '{}' },
      programs: {
        composer: (call) => {
          composerEnvs.push(call.options.env);
          call.options.onStdout?.(`session=${SESSION}\n`);
          return { exitCode: 0 };
        },
      },
    });
    const r = await m.run(['build', '--site', SITE_UUID, '--env', 'dev', '--dir', 'project', '--source', api.base]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('session=***\n');
    expect(JSON.stringify(composerEnvs)).not.toContain(SESSION);
  });
});

describe('--site as a UUID', () => {
  it('the secrets API takes only a UUID: a name is exit 2 saying how to find it, for pantheon too, and nothing is sent', async () => {
    const api = await service();
    for (const source of [api.base, 'pantheon']) {
      const r = await memoryContext({ env: { COMPOSER_SECRETS_TOKEN: TOKEN } }).run(env('shop', source));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        '--site shop: the secrets API addresses a site by its UUID, not its name; find it with `terminus site:info shop --field=id`',
      );
      noCanary(r);
    }
    expect(api.seen).toEqual([]);
  });

  it('an unknown site UUID: exit 2 naming it and how to check it, no token printed', async () => {
    const api = await service();
    const r = await memoryContext({ env: { COMPOSER_SECRETS_TOKEN: TOKEN } }).run(env(OTHER_UUID, api.base));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `there is no site ${OTHER_UUID} at ${api.base} (HTTP 404); check the UUID with \`terminus site:info <site> --field=id\``,
    );
    noCanary(r);
  });

  it('is accepted in any case and sent lowercase', async () => {
    const api = await service();
    const r = await memoryContext({ env: { COMPOSER_SECRETS_TOKEN: TOKEN } }).run(env(SITE_UUID.toUpperCase(), api.base));
    expect(r.code, r.stderr).toBe(0);
    expect(api.seen).toEqual([`/customer-secrets/v1/sites/${SITE_UUID}/secrets/showall ${TOKEN}`]);
  });

  it('finds a store site keyed by its UUID', async () => {
    const m = memoryContext();
    expect((await m.run(['secret:site:set', SITE_UUID, 'API_KEY', 'CANARY-v', '--type', 'env', '--scope', 'ic'])).code).toBe(0);
    const r = await m.run(env(SITE_UUID.toUpperCase(), 'store'));
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ API_KEY: 'CANARY-v' });
  });

  it('is passed to terminus as it is (terminus takes UUIDs)', async () => {
    const m = memoryContext({
      programs: {
        terminus: (call) => {
          call.options.onStdout?.('{}');
          return { exitCode: 0 };
        },
      },
    });
    const r = await m.run(env(SITE_UUID, 'terminus'));
    expect(r.code, r.stderr).toBe(0);
    expect(m.calls[0]?.args).toEqual(['secret:site:list', SITE_UUID, '--format=json']);
  });

  it('must match the SiteID of a local-development file, when it has one', async () => {
    const file = JSON.stringify({ SiteID: SITE_UUID, Secrets: { API_KEY: { Type: 'env', Value: 'CANARY-v', Scopes: ['ic'] } } });
    const same = await memoryContext({ files: { '/work/secrets.json': file } }).run(env(SITE_UUID.toUpperCase(), 'sdk-json:secrets.json'));
    expect(same.code, same.stderr).toBe(0);
    const other = await memoryContext({ files: { '/work/secrets.json': file } }).run(env(OTHER_UUID, 'sdk-json:secrets.json'));
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(`composer-secrets: /work/secrets.json holds the secrets of site ${SITE_UUID}, not ${OTHER_UUID}\n`);
    // A site name cannot be compared with a UUID: the file is taken as the named site's.
    expect((await memoryContext({ files: { '/work/secrets.json': file } }).run(env('shop', 'sdk-json:secrets.json'))).code).toBe(0);
  });
});

describe('the listings from the service', () => {
  const ORG_UUID = '11111111-2222-3333-4444-555555555555';
  const ORG_ANSWER = readFileSync(new URL('../fixtures/pantheon/org/api.json', import.meta.url), 'utf8');

  async function listingService(orgAnswer = ORG_ANSWER) {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization}`);
      const body =
        req.url === `/customer-secrets/v1/organizations/${ORG_UUID}/secrets`
          ? orgAnswer
          : req.url === `/customer-secrets/v1/sites/${SITE_UUID}/secrets/showall`
            ? SITE_ANSWER
            : undefined;
      res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
      res.end(body ?? '');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}/customer-secrets/v1`, seen };
  }

  it('secret:org:list <org-uuid> --source URL reads the organization alone, in one request', async () => {
    const api = await listingService();
    const r = await memoryContext({ env: { COMPOSER_SECRETS_TOKEN: TOKEN } }).run([
      'secret:org:list',
      ORG_UUID,
      '--source',
      api.base,
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    // The captured organization answer: a user-scope value shown; an ic-only value hidden
    // (null), its name (not a composer name) shown by position as in every message.
    expect(r.stdout).toContain('"org-acf-dev"');
    expect(r.stdout).toMatch(/"Secrets\.\(2nd key\)"[^}]*"value": null/);
    expect(api.seen).toEqual([`/customer-secrets/v1/organizations/${ORG_UUID}/secrets ${TOKEN}`]);
  });

  it('secret:site:list <site-uuid> --source URL reads the site, in one request', async () => {
    const api = await listingService();
    const r = await memoryContext({ env: { COMPOSER_SECRETS_TOKEN: TOKEN } }).run([
      'secret:site:list',
      SITE_UUID,
      '--source',
      api.base,
      '--format',
      'json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    for (const name of ['github-oauth.github.com', 'ACF_PRO_KEY', 'SENTRY_DSN', 'BOTH']) expect(r.stdout).toContain(`"${name}"`);
    expect(r.stdout).toContain('"https://site.example/dsn-dev"');
    expect(api.seen).toEqual([`/customer-secrets/v1/sites/${SITE_UUID}/secrets/showall ${TOKEN}`]);
  });

  it.each([
    [['secret:org:list', 'acme'], '<org> acme: the secrets API addresses an organization by its UUID'],
    [['secret:site:list', 'shop'], '<site> shop: the secrets API addresses a site by its UUID'],
  ])('%j by name: exit 2 saying how to find the UUID, nothing sent', async (argv, message) => {
    const api = await listingService();
    const r = await memoryContext({ env: { COMPOSER_SECRETS_TOKEN: TOKEN } }).run([...argv, '--source', api.base]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(api.seen).toEqual([]);
  });

  it('takes <site-uuid>.<env>, as Terminus does (the environment changes nothing)', async () => {
    const api = await listingService();
    const r = await memoryContext({ env: { COMPOSER_SECRETS_TOKEN: TOKEN } }).run([
      'secret:site:list',
      `${SITE_UUID}.dev`,
      '--source',
      api.base,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(api.seen).toEqual([`/customer-secrets/v1/sites/${SITE_UUID}/secrets/showall ${TOKEN}`]);
  });

  it('does not repeat a <site> that is not a name (it may be a value typed one position off)', async () => {
    const api = await listingService();
    const r = await memoryContext({ env: { COMPOSER_SECRETS_TOKEN: TOKEN } }).run([
      'secret:site:list',
      'CANARY_value/x',
      '--source',
      api.base,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '<site>: the secrets API addresses a site by its UUID, not its name; find it with `terminus site:info <site> --field=id`',
    );
    noCanary(r);
    expect(api.seen).toEqual([]);
  });

  it('refuses a site answer where an organization was asked for', async () => {
    const api = await listingService(SITE_ANSWER);
    const r = await memoryContext({ env: { COMPOSER_SECRETS_TOKEN: TOKEN } }).run(['secret:org:list', ORG_UUID, '--source', api.base]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`/organizations/${ORG_UUID}/secrets is a site's answer (it has SiteID or OrgValues), not an organization's`);
    expect(r.stdout).toBe('');
    noCanary(r);
  });

  it('other sources are refused for listings; store is the default', async () => {
    const r = await memoryContext().run(['secret:org:list', 'acme', '--source', 'terminus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--source: the listings read the local store (store), pantheon or https://HOST/customer-secrets/v1');
    const m = memoryContext();
    expect((await m.run(['secret:org:set', 'acme', 'A', 'v'])).code).toBe(0);
    expect((await m.run(['secret:org:list', 'acme', '--source', 'store'])).code).toBe(0);
  });
});
