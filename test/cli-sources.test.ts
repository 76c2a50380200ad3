// --source through the commands: each source reaches resolution, and its failures are exit 2.
// The secrets API through the commands: cli-secrets-api.test.ts.
import { describe, expect, it } from 'vitest';
import { pantheonFixture } from './support/build-of.js';
import { memoryContext } from './support/memory-context.js';

const CANARY = 'CANARY-src';
const terminusRows = {
  API_KEY: { type: 'env', value: `${CANARY}-site`, scopes: ['ic', 'user'], 'env-values': { dev: `${CANARY}-site-dev` }, 'org-values': [] },
  ORG_KEY: { type: 'env', value: `${CANARY}-org`, scopes: ['ic', 'user'], 'env-values': [], 'org-values': { default: `${CANARY}-org` } },
};

const env = (...more: string[]) => ['env', '--site', 'shop', '--env', 'dev', ...more];

describe('--source', () => {
  it('terminus-json:FILE', async () => {
    const m = memoryContext({ files: { '/work/list.json': JSON.stringify(terminusRows) } });
    const r = await m.run(env('--source', 'terminus-json:list.json'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ API_KEY: `${CANARY}-site-dev`, ORG_KEY: `${CANARY}-org` });
  });

  it('sdk-json:- reads standard input', async () => {
    const m = memoryContext();
    const doc = { Secrets: { TOKEN: { Type: 'env', Value: `${CANARY}-sdk`, Scopes: ['ic', 'user'] } } };
    const r = await m.run(env('--source', 'sdk-json:-'), JSON.stringify(doc));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ TOKEN: `${CANARY}-sdk` });
  });

  it('terminus runs the terminus program', async () => {
    const m = memoryContext({
      programs: {
        terminus: (call) => {
          call.options.onStdout?.(JSON.stringify(terminusRows));
          return { exitCode: 0 };
        },
      },
    });
    const r = await m.run(['plan', '--site', 'shop', '--env', 'dev', '--source', 'terminus', '--json']);
    expect(r.code).toBe(0);
    expect(m.calls[0]?.args).toEqual(['secret:site:list', 'shop', '--format=json']);
    expect(r.stdout).not.toContain(CANARY);
  });

  it.each([
    ['an unknown source', ['--source', 'vault:x'], /^composer-secrets: --source: unknown source; use store/],
    ['a missing file', ['--source', 'terminus-json:nope.json'], /--source: there is no file \/work\/nope\.json/],
    ['plain http to another host', ['--source', 'http://secrets.example.org'], /http:\/\//],
  ])('%s: exit 2', async (_what, flags, message) => {
    const m = memoryContext();
    const r = await m.run(env(...flags));
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('a terminus listing with hidden values: exit 2 naming them, no value', async () => {
    const rows = { ...terminusRows, HIDDEN: { type: 'env', value: null, scopes: ['ic'], 'env-values': [], 'org-values': [] } };
    const m = memoryContext({ files: { '/work/list.json': JSON.stringify(rows) } });
    const r = await m.run(env('--source', 'terminus-json:list.json'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('HIDDEN');
    expect(r.stderr).not.toContain(CANARY);
  });
});

describe('Pantheon’s real outputs through the commands', () => {
  const capture = (path: string) => pantheonFixture(path);
  const plan = (source: string, ...more: string[]) => [
    'plan',
    '--site',
    'shop',
    '--env',
    'dev',
    '--org',
    'acme',
    '--source',
    source,
    '--json',
    ...more,
  ];

  it('plan --json of a listing with a file secret: skipped with its reason, exit 0', async () => {
    const m = memoryContext({ files: { '/work/list.json': capture('b/site-list.json') } });
    const r = await m.run(plan('terminus-json:list.json'));
    expect(r.code, r.stderr).toBe(0);
    const secrets = (JSON.parse(r.stdout) as { secrets: unknown[] }).secrets;
    expect(secrets).toEqual([
      expect.objectContaining({ name: 'ACF_PRO_KEY', becomes: { kind: 'variable', variable: 'ACF_PRO_KEY' } }),
      expect.objectContaining({
        name: 'file.json',
        type: 'file',
        becomes: { kind: 'skipped', reason: 'legacy-type', detail: 'file is an early secret type that builds never apply' },
      }),
    ]);
    expect(r.stdout + r.stderr).not.toMatch(/acf-key|"\{\}"/);
  });

  it('--source terminus reads what terminus prints as it is: a listing with hidden values, a file type and odd names the build does not use plans', async () => {
    const listing = {
      ...(JSON.parse(capture('b/site-list.json')) as object),
      ...(JSON.parse(capture('a/site-list.json')) as object),
    } as Record<string, unknown>;
    delete listing['github-oauth.github.com'];
    listing['sendgrid api key'] = (JSON.parse(capture('d/site-list.json')) as Record<string, unknown>)['sendgrid api key'];
    const m = memoryContext({
      programs: {
        terminus: (call) => {
          call.options.onStdout?.(JSON.stringify(listing));
          return { exitCode: 0 };
        },
      },
    });
    const r = await m.run(plan('terminus'));
    expect(r.code, r.stderr).toBe(0);
    const secrets = (JSON.parse(r.stdout) as { secrets: Array<{ name: string | null; becomes: { kind: string; reason?: string } }> })
      .secrets;
    expect(secrets.map((s) => [s.name, s.becomes.kind, s.becomes.reason])).toEqual([
      ['ACF_PRO_KEY', 'variable', undefined],
      ['file.json', 'skipped', 'legacy-type'],
      [null, 'skipped', 'runtime-type'],
      ['sendgrid_api', 'skipped', 'runtime-type'],
    ]);
    expect(r.stdout).not.toContain('sendgrid api key');
  });

  it('plan --json of odd names: shown by position (name null), the one the build uses stops it with exit 2, no name or value leaks', async () => {
    const m = memoryContext({ files: { '/work/list.json': capture('d/site-list.json') } });
    const r = await m.run(plan('terminus-json:list.json'));
    expect(r.code).toBe(2);
    const document = JSON.parse(r.stdout) as {
      secrets: Array<{ name: string | null; nameNotShown?: string; becomes: { kind: string } }>;
      problems: string[];
    };
    expect(document.secrets.map((s) => [s.name, s.nameNotShown, s.becomes.kind])).toEqual([
      ['ACF_PRO_KEY', undefined, 'variable'],
      [null, '(3rd key)', 'unusable'],
      [null, '(1st key)', 'skipped'],
    ]);
    expect(document.problems).toEqual([expect.stringMatching(/^the secret at \(3rd key\): the build uses it/)]);
    // Listed once, in the document; the message only counts them.
    expect(r.stderr).toBe('composer-secrets: the build of site shop (dev) was not started: 1 problem with its secrets, listed above\n');
    const printed = (r.stdout + r.stderr).replace(/\(kinds: [^)]*\)/g, '');
    expect(printed).not.toMatch(/sendgrid|github-oauth|tok|acf-key/);
  });

  it('plan (table) of the local-development file with a hidden ic token: the entry says not usable, exit 2 names the secret and what to do', async () => {
    const m = memoryContext({ files: { '/work/secrets.json': capture('a/secrets.json') } });
    const r = await m.run(plan('sdk-json:secrets.json').filter((arg) => arg !== '--json'));
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/github-oauth\.github\.com\s+composer\s+site shop\s+not usable: no value shown \(see problems\)/);
    expect(r.stdout).toMatch(/sendgrid_api\s+runtime\s+site shop\s+skipped: runtime secrets/);
    expect(r.stdout).toContain('0 auth.json entries, 1 variable, 1 skipped, 1 not usable');
    expect(r.stdout).toContain(
      "problem: secret 'github-oauth.github.com': the build uses it (composer type, ic scope), but the source shows no value for it",
    );
    expect(r.stdout).toContain('--scope including user');
    expect(r.stdout + r.stderr).not.toContain('acf-key');
  });

  it.each([
    // The organization's dev override where the site has no value; the site's dev override; the site's base over the organization's override.
    ['main', { ACF_PRO_KEY: 'org-acf-dev', BOTH: 'site-both', SENTRY_DSN: 'https://site.example/dsn-dev' }],
    // A site value equal to the organization's still beats its dev override; a site "0" is kept; "" leaves the organization's.
    ['c', { EMPTYSITE: 'org-e', SAME: 'shared', ZERO: '0' }],
  ])('env from the %s capture, by either source: the build’s values for dev', async (name, variables) => {
    for (const [source, file] of [
      ['terminus-json:list.json', `${name}/site-list.json`],
      ['sdk-json:list.json', `${name}/secrets.json`],
    ] as const) {
      const m = memoryContext({ files: { '/work/list.json': capture(file) } });
      const r = await m.run(env('--source', source));
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(variables);
    }
  });
});
