// doctor on memfs: every place Composer reads, the version's rules, exit codes, and no value
// in any output. The scripted machine lays composer out as Debian's 2.5.5 package.
import { describe, expect, it } from 'vitest';
import { memoryContext, type Program } from './support/memory-context.js';

const CANARY = 'CANARY-d0c';
const PROJECT = '/work/project';
const HOME = '/work/composer-home';
const REPO = 'https://repo.example.org';

async function project(
  options: {
    composerJson?: unknown;
    secrets?: Array<[string, string]>;
    files?: Record<string, string>;
    env?: Record<string, string>;
    programs?: Record<string, Program>;
  } = {},
) {
  const files: Record<string, string> = { ...options.files };
  if (options.composerJson !== null)
    files[`${PROJECT}/composer.json`] = JSON.stringify(options.composerJson ?? { repositories: [{ type: 'composer', url: REPO }] });
  const m = memoryContext({ files, env: { COMPOSER_HOME: HOME, ...options.env }, programs: options.programs ?? {} });
  for (const [name, value] of options.secrets ?? [['bearer.repo.example.org', CANARY]]) {
    expect((await m.run(['secret:site:set', 'shop', name, value, '--type', 'composer', '--scope', 'ic'])).code).toBe(0);
  }
  return m;
}
const doctor = (...more: string[]) => ['doctor', '--site', 'shop', '--env', 'dev', '--dir', 'project', ...more];
const noValue = (r: { stdout: string; stderr: string }) => {
  expect(r.stdout + r.stderr).not.toContain(CANARY);
  expect(r.stdout + r.stderr).not.toContain('in-file');
};

describe('doctor', () => {
  it('the secret wins: table and --json, exit 0', async () => {
    const m = await project({
      files: { [`${PROJECT}/auth.json`]: JSON.stringify({ 'http-basic': { 'repo.example.org': { username: 'u', password: 'in-file' } } }) },
    });
    const text = await m.run(doctor());
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(
      'Composer: 2.5.5+debian (read from /usr/share/php/Composer/Composer.php)\n\n' +
        'HOST              KIND    SOURCE   SHADOWS\n' +
        'repo.example.org  bearer  secrets  http-basic (project auth.json)\n',
    );
    const json = await m.run(doctor('--json'));
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      composer: { version: '2.5.5+debian', from: 'installed files' },
      hosts: [
        {
          host: 'repo.example.org',
          kind: 'bearer',
          source: 'secrets',
          shadowed: [{ kind: 'http-basic', source: 'project auth.json' }],
          warnings: [],
        },
      ],
      problems: [],
    });
    noValue(text);
    noValue(json);
  });

  it('a global bearer beats the secret http-basic (Composer sets bearer last): exit 2, both named, no value', async () => {
    const m = await project({
      secrets: [['http-basic.repo.example.org', `user ${CANARY}`]],
      files: { [`${HOME}/auth.json`]: JSON.stringify({ bearer: { 'repo.example.org': 'in-file' } }) },
    });
    const r = await m.run(doctor());
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('repo.example.org  bearer  global auth.json  http-basic (secrets)\n');
    expect(r.stdout).toContain('warning: repo.example.org: several kinds for one host (http-basic in secrets, bearer in global auth.json)');
    expect(r.stdout).toContain(
      'problem: the build sets a credential for repo.example.org, but Composer sends bearer from global auth.json\n',
    );
    expect(r.stderr).toBe('composer-secrets: site shop (dev): 1 problem, listed above\n');
    noValue(r);
  });

  it('COMPOSER_AUTH of the caller: loses to the secret on 2.5.5, wins on 2.7.8 (--composer-version)', async () => {
    const m = await project({ env: { COMPOSER_AUTH: JSON.stringify({ bearer: { 'repo.example.org': 'in-file' } }) } });
    const old = await m.run(doctor('--json'));
    expect(old.code).toBe(0);
    expect(JSON.parse(old.stdout).hosts[0]).toMatchObject({ source: 'secrets', shadowed: [{ kind: 'bearer', source: 'COMPOSER_AUTH' }] });
    const later = await m.run(doctor('--json', '--composer-version', '2.7.8'));
    expect(later.code).toBe(2);
    expect(JSON.parse(later.stdout)).toMatchObject({ composer: { version: '2.7.8', from: 'flag' }, hosts: [{ source: 'COMPOSER_AUTH' }] });
    noValue(old);
    noValue(later);
  });

  it('a stand-in answering --version as 2.10.2: custom-headers in composer.json replaces the secret', async () => {
    const standIn: Program = (call) => {
      if (call.args[0] === '--version') call.options.onStdout?.('Composer version 2.10.2 2025-11-19 12:00:00\n');
      return { exitCode: 0 };
    };
    const m = await project({
      composerJson: {
        repositories: [{ type: 'composer', url: REPO }],
        config: { 'custom-headers': { 'repo.example.org': ['X-Key: in-file'] } },
      },
      files: { '/opt/stand-in/composer': '#!/bin/sh\n' },
      programs: { composer: standIn },
    });
    await m.ctx.fs.chmod('/opt/stand-in/composer', 0o755);
    const r = await m.run(doctor('--composer', '/opt/stand-in/composer'));
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Composer: 2.10.2 (answered by');
    expect(r.stdout).toContain('repo.example.org  custom-headers  composer.json  bearer (secrets)');
    // Before 2.9 the same entry is ignored: the secret is sent.
    const old = await m.run(doctor());
    expect(old.code).toBe(0);
    expect(old.stdout).toContain('warning: repo.example.org: Composer 2.5.5+debian ignores custom-headers entries');
    noValue(r);
    noValue(old);
  });

  it('warnings: a host key without the port, a host no repository uses, an expired gitlab-oauth token', async () => {
    const m = await project({
      composerJson: { repositories: [{ type: 'composer', url: 'http://127.0.0.1:8765' }] },
      secrets: [['bearer.127.0.0.1', CANARY]],
      files: {
        [`${PROJECT}/composer.lock`]: JSON.stringify({
          packages: [{ name: 'a/b', dist: { type: 'zip', url: 'https://gitlab.example.org/a.zip' } }],
        }),
        [`${HOME}/auth.json`]: JSON.stringify({
          'gitlab-oauth': { 'gitlab.example.org': { token: 'in-file', 'expires-at': 1_000_000_000 } },
          'http-basic': { 'old.example.org': { username: 'u', password: 'in-file' } },
        }),
      },
    });
    const r = await m.run(doctor('--json'));
    expect(r.code).toBe(0);
    const hosts = JSON.parse(r.stdout).hosts as Array<{ host: string; warnings: string[] }>;
    expect(Object.fromEntries(hosts.map((h) => [h.host, h.warnings]))).toEqual({
      '127.0.0.1': [
        'a repository URL uses 127.0.0.1:8765: Composer matches the host key with its port, so this entry is not used there; key it as 127.0.0.1:8765',
      ],
      'gitlab.example.org': ['the gitlab-oauth token in global auth.json expired at 2001-09-09T01:46:40.000Z'],
      'old.example.org': ['no repository in composer.json or composer.lock uses this host'],
    });
    noValue(r);
  });

  it('without a composer.lock, github.com counts as used (packagist packages come from it) unless packagist.org is off', async () => {
    const m = await project({ secrets: [['github-oauth.github.com', 'abc_def']] });
    const r = await m.run(doctor('--json'));
    expect(JSON.parse(r.stdout).hosts[0]).toMatchObject({ host: 'github.com', warnings: [] });
    await m.ctx.fs.writeFile(
      `${PROJECT}/composer.json`,
      JSON.stringify({ repositories: [{ type: 'composer', url: REPO }, { 'packagist.org': false }] }),
    );
    const off = await m.run(doctor('--json'));
    expect(JSON.parse(off.stdout).hosts[0].warnings).toEqual(['no repository in composer.json or composer.lock uses this host']);
    await m.ctx.fs.writeFile(`${PROJECT}/composer.json`, JSON.stringify({ repositories: [{ type: 'composer', url: REPO }] }));
    await m.ctx.fs.writeFile(`${PROJECT}/composer.lock`, JSON.stringify({ packages: [{ name: 'a/b', dist: { url: `${REPO}/a.zip` } }] }));
    const locked = await m.run(doctor('--json'));
    expect(JSON.parse(locked.stdout).hosts[0].warnings).toEqual(['no repository in composer.json or composer.lock uses this host']);
  });

  it('no credentials anywhere: says so, exit 0', async () => {
    const m = await project({ secrets: [] });
    expect((await m.run(['secret:site:set', 'shop', 'API_KEY', CANARY, '--type', 'env', '--scope', 'ic'])).code).toBe(0);
    const r = await m.run(doctor());
    expect(r).toEqual({
      code: 0,
      stdout: 'Composer: 2.5.5+debian (read from /usr/share/php/Composer/Composer.php)\n\nNo credentials anywhere Composer reads.\n',
      stderr: '',
    });
  });

  it('--auth-target env and home place the secrets where the build puts them', async () => {
    const m = await project({ files: { [`${PROJECT}/auth.json`]: JSON.stringify({ bearer: { 'repo.example.org': 'in-file' } }) } });
    const env = await m.run(doctor('--auth-target', 'env', '--json'));
    expect(env.code).toBe(2);
    expect(JSON.parse(env.stdout).hosts[0]).toMatchObject({
      source: 'project auth.json',
      shadowed: [{ kind: 'bearer', source: 'secrets' }],
    });
    const home = await m.run(doctor('--auth-target', 'home', '--json'));
    expect(home.code).toBe(2);
    expect(JSON.parse(home.stdout).hosts[0]).toMatchObject({ source: 'project auth.json' });
    noValue(env);
    noValue(home);
  });
});

describe('doctor: bad input is exit 2, naming the file, quoting nothing', () => {
  it('a composer.lock that is not JSON', async () => {
    const m = await project({ files: { [`${PROJECT}/composer.lock`]: `{"x": "${CANARY}` } });
    const r = await m.run(doctor());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${PROJECT}/composer.lock is not valid JSON`);
    noValue(r);
  });
  it('a composer.json that is not JSON', async () => {
    const m = await project({ composerJson: null, files: { [`${PROJECT}/composer.json`]: `{"x": "${CANARY}` } });
    const r = await m.run(doctor());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${PROJECT}/composer.json is not valid JSON`);
    noValue(r);
  });
  it('a global auth.json that is not an auth document', async () => {
    const m = await project({ files: { [`${HOME}/auth.json`]: `{"bearer": {"repo.example.org": ["${CANARY}"]}}` } });
    const r = await m.run(doctor());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${HOME}/auth.json is not a valid Composer auth document`);
    noValue(r);
  });
  it("a caller's COMPOSER_AUTH that is not JSON", async () => {
    const m = await project({ env: { COMPOSER_AUTH: `{"${CANARY}` } });
    const r = await m.run(doctor());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the COMPOSER_AUTH variable of the calling environment is not a valid auth document');
    noValue(r);
  });
  it('a secret the plan refuses is a problem: exit 2', async () => {
    const m = await project({ secrets: [['custom-headers.repo.example.org', `X-Key: ${CANARY}`]] });
    const r = await m.run(doctor());
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("problem: secret 'custom-headers.repo.example.org': Composer 2.5.5+debian ignores custom-headers entries");
    noValue(r);
  });
  it('a missing --site and a bad --composer-version', async () => {
    const m = await project();
    expect((await m.run(['doctor', '--env', 'dev'])).code).toBe(2);
    const r = await m.run(doctor('--composer-version', CANARY));
    expect(r.code).toBe(2);
    noValue(r);
  });
});
