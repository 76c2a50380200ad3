// Proves the end-to-end harness: the loopback Composer repository, the composer
// environment, and the skip/fail decision, with the real composer (not our CLI).
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import fs from 'fs-extra';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  type ComposerAvailability,
  composerAvailability,
  composerEnvironment,
  composerMissingTitle,
  composerOverrideVariable,
  composerRequiredTitle,
  composerSuitePlan,
  describeWithComposer,
  runComposer,
} from './support/composer-command.js';
import { type ComposerProjectOptions, createComposerProject } from './support/composer-project.js';
import { type RequiredCredential, startComposerRepository } from './support/composer-repository.js';
import { createTestFolder } from './support/test-folder.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

async function startRepository(credential: RequiredCredential) {
  const repo = await startComposerRepository({ credential });
  onTestFinished(() => repo.close());
  return repo;
}

function basicHeader(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

describe('startComposerRepository', () => {
  const credentials: { credential: RequiredCredential; good: Record<string, string>; bad: Record<string, string> }[] = [
    {
      credential: { kind: 'http-basic', username: 'deploy', password: 'pa:ss word' },
      good: { Authorization: basicHeader('deploy', 'pa:ss word') },
      bad: { Authorization: basicHeader('deploy', 'pa:ss') },
    },
    {
      credential: { kind: 'bearer', token: 'tok-123' },
      good: { Authorization: 'Bearer tok-123' },
      bad: { Authorization: 'Bearer tok-12' },
    },
    {
      credential: { kind: 'header', name: 'X-Api-Key', value: 'key-456' },
      good: { 'X-Api-Key': 'key-456' },
      bad: { 'X-Api-Key': 'key-45' },
    },
  ];

  it.each(credentials)('$credential.kind: serves an authorized client and answers 401 otherwise', async (c) => {
    const repo = await startRepository(c.credential);

    const ok = await fetch(`${repo.url}/packages.json`, { headers: c.good });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { packages: Record<string, Record<string, { dist: { url: string } }>> };
    expect(body.packages['acme/hello']?.['1.0.0']?.dist.url).toBe(`${repo.url}/dists/acme-hello-1.0.0.tar`);

    for (const headers of [{}, c.bad]) {
      const denied = await fetch(`${repo.url}/packages.json`, { headers });
      expect(denied.status).toBe(401);
      expect(denied.headers.get('www-authenticate')).toMatch(/realm=/);
    }
    expect(repo.requests.map((r) => [r.path, r.status, r.authorized])).toEqual([
      ['/packages.json', 200, true],
      ['/packages.json', 401, false],
      ['/packages.json', 401, false],
    ]);
    // The log says which scheme was presented, never a credential or header value.
    const logged = JSON.stringify(repo.requests);
    const { kind: _kind, ...secrets } = c.credential;
    for (const secret of [...Object.values(secrets), ...Object.values(c.good), ...Object.values(c.bad)]) {
      expect(logged).not.toContain(secret);
    }
  });

  it('checks every path, not only packages.json', async () => {
    const repo = await startRepository({ kind: 'bearer', token: 't' });
    expect((await fetch(`${repo.url}/dists/acme-hello-1.0.0.tar`)).status).toBe(401);
    expect((await fetch(`${repo.url}/no-such-path`)).status).toBe(401);
    expect((await fetch(`${repo.url}/no-such-path`, { headers: { Authorization: 'Bearer t' } })).status).toBe(404);
    expect((await fetch(`${repo.url}/packages.json`, { method: 'POST', headers: { Authorization: 'Bearer t' } })).status).toBe(405);
  });

  it('without a required credential serves anyone', async () => {
    const repo = await startRepository({ kind: 'none' });
    expect((await fetch(`${repo.url}/packages.json`)).status).toBe(200);
    expect(repo.requests).toEqual([{ method: 'GET', path: '/packages.json', status: 200, authorized: true, authorization: 'missing' }]);
  });

  it('serves a tar dist of the package files with no "." entry, matching its shasum', async () => {
    const dir = await createTestFolder();
    const repo = await startRepository({ kind: 'none' });
    const [hello] = repo.packages;
    expect(hello).toMatchObject({ name: 'acme/hello', version: '1.0.0', distPath: '/dists/acme-hello-1.0.0.tar' });

    const tar = Buffer.from(await (await fetch(`${repo.url}${hello?.distPath}`)).arrayBuffer());
    const tarPath = path.join(dir, 'hello.tar');
    await fs.writeFile(tarPath, tar);
    const entries = (await execa('tar', ['-tf', tarPath])).stdout.split('\n');
    expect(entries).toEqual(expect.arrayContaining(['composer.json', 'src/Hello.php']));
    expect(entries.filter((e) => e === '.' || e.startsWith('./'))).toEqual([]);

    const meta = (await (await fetch(`${repo.url}/packages.json`)).json()) as {
      packages: Record<string, Record<string, { dist: { shasum: string }; autoload: unknown }>>;
    };
    expect(meta.packages['acme/hello']?.['1.0.0']?.dist.shasum).toBe(createHash('sha1').update(tar).digest('hex'));
    // The package's own composer.json metadata (autoload) is what composer needs to load the class.
    expect(meta.packages['acme/hello']?.['1.0.0']?.autoload).toEqual({ 'psr-4': { 'Acme\\Hello\\': 'src/' } });
  });

  it('listens on 127.0.0.1 only and closes cleanly, twice if asked', async () => {
    const repo = await startComposerRepository({ credential: { kind: 'none' } });
    expect(repo.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(repo.url).toBe(`http://${repo.host}`);
    // A kept-alive connection must not hold close() open.
    await fetch(`${repo.url}/packages.json`, { headers: { Connection: 'keep-alive' } });
    await repo.close();
    await repo.close();
    const port = Number(repo.host.split(':')[1]);
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});

describe('composerEnvironment', () => {
  it('gives composer its own home and cache and keeps only PATH and HOME from the caller', () => {
    const caller = {
      PATH: '/usr/bin:/bin',
      HOME: '/home/someone',
      COMPOSER_AUTH: '{"bearer":{"127.0.0.1":"leaked"}}',
      COMPOSER: 'other.json',
      COMPOSER_HOME: '/home/someone/.composer',
      http_proxy: 'http://proxy.example:3128',
      XDG_CONFIG_HOME: '/home/someone/.config',
    };
    expect(composerEnvironment('/tmp/t1', caller)).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/someone',
      COMPOSER_HOME: '/tmp/t1/composer-home',
      COMPOSER_CACHE_DIR: '/tmp/t1/composer-cache',
      COMPOSER_NO_INTERACTION: '1',
      COMPOSER_ALLOW_SUPERUSER: '1',
      COMPOSER_NO_AUDIT: '1',
      COLUMNS: '500',
      http_proxy: 'http://127.0.0.1:9',
      https_proxy: 'http://127.0.0.1:9',
      no_proxy: '127.0.0.1',
    });
  });
});

describe('composerAvailability and the missing-composer decision', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('reports a nonexistent COMPOSER_SECRETS_TEST_COMPOSER as unavailable, with the path', async () => {
    const dir = await createTestFolder();
    const missing = path.join(dir, 'no-such-composer');
    vi.stubEnv(composerOverrideVariable, missing);

    const availability = composerAvailability();
    expect(availability).toEqual({ available: false, composer: missing, reason: `${missing} cannot be run (not found)` });
  });

  const missing: ComposerAvailability = { available: false, composer: '/x/composer', reason: '/x/composer cannot be run (not found)' };

  it('skips visibly outside CI', () => {
    expect(composerSuitePlan('suite', missing, {})).toEqual({
      action: 'skip',
      suiteTitle: `suite (${composerMissingTitle})`,
      warning: expect.stringContaining('/x/composer cannot be run (not found)'),
    });
    // Only CI=true counts as CI, as the brief for this harness says.
    expect(composerSuitePlan('suite', missing, { CI: 'false' }).action).toBe('skip');
  });

  it('fails in CI', () => {
    expect(composerSuitePlan('suite', missing, { CI: 'true' })).toEqual({
      action: 'fail',
      testTitle: composerRequiredTitle,
      message: expect.stringContaining('/x/composer cannot be run (not found)'),
    });
  });

  it('runs when composer is there, in CI or not', () => {
    const present: ComposerAvailability = { available: true, composer: 'composer', version: '2.5.5' };
    expect(composerSuitePlan('suite', present, { CI: 'true' })).toEqual({ action: 'run' });
    expect(composerSuitePlan('suite', present, {})).toEqual({ action: 'run' });
  });

  // What vitest itself reports for a suite using describeWithComposer with composer missing.
  it.each([
    { ci: 'false', exitCode: 0, status: 'skipped', title: 'runs only when composer is available' },
    { ci: 'true', exitCode: 1, status: 'failed', title: composerRequiredTitle },
  ])('a real vitest run with CI=$ci reports the suite $status', async ({ ci, exitCode, status, title }) => {
    const dir = await createTestFolder();
    const report = path.join(dir, 'report.json');
    const run = await execa(
      process.execPath,
      [
        path.join(repoRoot, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        'test/e2e/support/probe/probe.vitest.config.ts',
        '--reporter=json',
        `--outputFile=${report}`,
      ],
      {
        cwd: repoRoot,
        // A clean environment: the parent's VITEST_* variables must not reach the child.
        env: { PATH: process.env.PATH ?? '', HOME: dir, CI: ci, [composerOverrideVariable]: path.join(dir, 'no-composer') },
        extendEnv: false,
        reject: false,
        all: true,
        timeout: 60_000,
      },
    );
    expect(run.exitCode, run.all).toBe(exitCode);
    const result = (await fs.readJson(report)) as {
      testResults: { assertionResults: { title: string; status: string; ancestorTitles: string[] }[] }[];
    };
    const tests = result.testResults.flatMap((file) => file.assertionResults);
    expect(tests).toHaveLength(1);
    expect(tests[0]).toMatchObject({ title, status });
    if (ci === 'false') expect(tests[0]?.ancestorTitles.join(' ')).toContain(composerMissingTitle);
  });
});

describeWithComposer('real composer against the loopback repository', () => {
  // Each test: its own folder, composer home, cache and repository server.
  async function setup(credential: RequiredCredential, projectOptions?: ComposerProjectOptions) {
    const dir = await createTestFolder();
    const repo = await startRepository(credential);
    const projectDir = path.join(dir, 'project');
    await createComposerProject(projectDir, repo, projectOptions);
    return { dir, repo, projectDir, env: composerEnvironment(dir) };
  }

  // runComposer's 30 s timeout fires before vitest's 60 s one, with composer's output attached.
  const install = (projectDir: string, env: Record<string, string>) => runComposer(['install', '--no-progress'], { cwd: projectDir, env });

  async function expectInstalled(projectDir: string, env: Record<string, string>) {
    expect(await fs.pathExists(path.join(projectDir, 'vendor/acme/hello/src/Hello.php'))).toBe(true);
    // The autoloader finds the class: the dist and its metadata really are a package.
    const php = await execa('php', ['-r', 'require "vendor/autoload.php"; echo \\Acme\\Hello\\Hello::greet("e2e");'], {
      cwd: projectDir,
      env,
      extendEnv: false,
      reject: false,
    });
    expect(php.stdout).toBe('Hello, e2e!');
  }

  const basic = { kind: 'http-basic', username: 'deploy', password: `pw-${randomBytes(6).toString('hex')}` } as const;

  it.each(['project', 'global'] as const)('http-basic from a %s auth.json installs acme/hello', async (where) => {
    const { dir, repo, projectDir, env } = await setup(basic);
    const authDir = where === 'project' ? projectDir : env.COMPOSER_HOME;
    await fs.outputJson(path.join(authDir, 'auth.json'), {
      'http-basic': { [repo.host]: { username: basic.username, password: basic.password } },
    });

    const run = await install(projectDir, env);

    expect(run.exitCode, run.output).toBe(0);
    await expectInstalled(projectDir, env);
    expect(repo.requests.map((r) => [r.method, r.path, r.authorized])).toEqual([
      ['GET', '/packages.json', true],
      ['GET', '/dists/acme-hello-1.0.0.tar', true],
    ]);
    // The download landed in this test's cache, not a shared one.
    expect(await fs.pathExists(path.join(dir, 'composer-cache/files/acme/hello'))).toBe(true);
  });

  it('fails with 401 "required authentication" when no credential is given', async () => {
    const { repo, projectDir, env } = await setup(basic);

    const run = await install(projectDir, env);

    expect(run.exitCode).not.toBe(0);
    expect(run.timedOut).toBe(false);
    expect(run.output).toContain(`The '${repo.url}/packages.json' URL required authentication (HTTP 401)`);
    expect(await fs.pathExists(path.join(projectDir, 'vendor/acme/hello'))).toBe(false);
    expect(repo.requests.every((r) => !r.authorized && r.status === 401)).toBe(true);
    expect(repo.requests.length).toBeGreaterThan(0);
  });

  it('fails the same way when the credential is wrong', async () => {
    const { repo, projectDir, env } = await setup(basic);
    await fs.outputJson(path.join(projectDir, 'auth.json'), {
      'http-basic': { [repo.host]: { username: basic.username, password: 'wrong' } },
    });

    const run = await install(projectDir, env);

    expect(run.exitCode).not.toBe(0);
    expect(run.output).toContain('required authentication (HTTP 401)');
    expect(repo.requests.map((r) => r.authorization)).toContain('basic');
    expect(repo.requests.some((r) => r.authorized)).toBe(false);
  });

  it('bearer from COMPOSER_AUTH installs acme/hello', async () => {
    const token = `tok-${randomBytes(8).toString('hex')}`;
    const { repo, projectDir, env } = await setup({ kind: 'bearer', token });

    const run = await install(projectDir, { ...env, COMPOSER_AUTH: JSON.stringify({ bearer: { [repo.host]: token } }) });

    expect(run.exitCode, run.output).toBe(0);
    await expectInstalled(projectDir, env);
    expect(repo.requests.map((r) => [r.path, r.authorization, r.authorized])).toEqual([
      ['/packages.json', 'bearer', true],
      ['/dists/acme-hello-1.0.0.tar', 'bearer', true],
    ]);
  });

  it('a custom header from the repository options installs acme/hello', async () => {
    const value = `key-${randomBytes(8).toString('hex')}`;
    const { projectDir, env, repo } = await setup(
      { kind: 'header', name: 'X-Api-Key', value },
      { repositoryOptions: { http: { header: [`X-Api-Key: ${value}`] } } },
    );

    const run = await install(projectDir, env);

    expect(run.exitCode, run.output).toBe(0);
    await expectInstalled(projectDir, env);
    expect(repo.requests.every((r) => r.authorized)).toBe(true);
  });

  it('cannot reach past 127.0.0.1: other hosts hit the dead proxy, not the network', async () => {
    const dir = await createTestFolder();
    const projectDir = path.join(dir, 'project');
    // .invalid never resolves, so even without the tripwire nothing would be reached.
    await createComposerProject(projectDir, { url: 'http://composer-secrets.invalid' });

    const run = await install(projectDir, composerEnvironment(dir));

    expect(run.exitCode).not.toBe(0);
    // Through the proxy: refused by 127.0.0.1:9. Without it composer would try DNS (getaddrinfo).
    expect(run.output).toContain('Connection refused');
    expect(run.output).not.toContain('getaddrinfo');
  });

  describe('composer scripts', () => {
    // Without a composer.lock, `composer install` does an update and fires post-update-cmd,
    // not post-install-cmd; the probe listens to both.
    const probe = 'echo "probe saw: [$COMPOSER_SECRETS_PROBE]"';
    const scripts = { 'post-install-cmd': probe, 'post-update-cmd': probe };

    it('see a variable given to composer', async () => {
      const { projectDir, env } = await setup({ kind: 'none' }, { scripts });

      const run = await install(projectDir, { ...env, COMPOSER_SECRETS_PROBE: 'given-by-the-test' });

      expect(run.exitCode, run.output).toBe(0);
      expect(run.output).toMatch(/^probe saw: \[given-by-the-test\]$/m);
      // Only one of the two events fired (post-update-cmd, as no lock file existed).
      expect(run.output.match(/^probe saw:/gm)).toHaveLength(1);
    });

    it('do not see a variable the test runner has but did not give', async () => {
      vi.stubEnv('COMPOSER_SECRETS_PROBE', 'from-the-runner');
      onTestFinished(() => {
        vi.unstubAllEnvs();
      });
      const { projectDir, env } = await setup({ kind: 'none' }, { scripts });

      const run = await install(projectDir, env);

      expect(run.exitCode, run.output).toBe(0);
      expect(run.output).toMatch(/^probe saw: \[\]$/m);
    });
  });
});
