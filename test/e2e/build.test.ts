// `composer-secrets build` (and auth-json, restore) against the real composer and the
// private repository on 127.0.0.1: credentials in place, composer installs, every file put
// back, values masked, and the same after SIGTERM, SIGINT and SIGKILL.
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import fs from 'fs-extra';
import { describe, expect, it, onTestFinished } from 'vitest';
import { CLI, runCli } from '../support/built-cli.js';
import { type ComposerRun, composerEnvironment, describeWithComposer, runComposer } from './support/composer-command.js';
import { type ComposerProjectOptions, createComposerProject } from './support/composer-project.js';
import { type RequiredCredential, startComposerRepository } from './support/composer-repository.js';
import { createTestFolder } from './support/test-folder.js';

const SITE = 'shop';
const ORG = 'acme';
const ENV = 'dev';
const INSTALLED = 'vendor/acme/hello/src/Hello.php';
const JOURNAL = '.auth.json.composer-secrets-journal';

const hex = (bytes = 6) => randomBytes(bytes).toString('hex');

// ---------------------------------------------------------------------------------------
// Secret values must never reach what a person (or a CI log) sees.

/**
 * Remembers every secret value a test set and every output it captured; `leaks()` names
 * (by label and number, never by value) each output that holds a value in any form
 * composer or a script could print it: raw, JSON-escaped, URL-encoded.
 */
class LeakWatch {
  private readonly values: string[] = [];
  private readonly outputs: { label: string; text: string }[] = [];

  /** Registers a value (and parts of it that are secret on their own); returns the value. */
  secret(value: string, ...parts: string[]): string {
    for (const v of [value, ...parts]) if (!this.values.includes(v)) this.values.push(v);
    return value;
  }

  record(label: string, text: string): void {
    this.outputs.push({ label, text });
  }

  get recorded(): number {
    return this.outputs.length;
  }

  leaks(): string[] {
    const found: string[] = [];
    this.values.forEach((value, index) => {
      const forms = new Set([value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)]);
      for (const { label, text } of this.outputs) {
        if ([...forms].some((form) => text.includes(form))) found.push(`${label}: holds secret #${index}`);
      }
    });
    return found;
  }
}

describe('LeakWatch', () => {
  it('names the output holding a value, in raw, JSON or URL form, without quoting it', () => {
    const watch = new LeakWatch();
    watch.secret('pw with "spaces"', 'only-a-part');
    watch.record('clean', 'nothing here ***');
    watch.record('raw', 'x pw with "spaces" y');
    watch.record('json', '{"p":"pw with \\"spaces\\""}');
    watch.record('url', 'http://u:pw%20with%20%22spaces%22@h');
    watch.record('part', 'only-a-part');
    expect(watch.leaks()).toEqual(['raw: holds secret #0', 'json: holds secret #0', 'url: holds secret #0', 'part: holds secret #1']);
  });
});

// ---------------------------------------------------------------------------------------
// Files

async function fileState(file: string): Promise<{ sha256: string; mode: number } | undefined> {
  try {
    const [content, stats] = await Promise.all([fs.readFile(file), fs.lstat(file)]);
    return { sha256: createHash('sha256').update(content).digest('hex'), mode: stats.mode & 0o7777 };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Every path under `dir` (folders too) with the hash and mode of each file. */
async function treeState(dir: string): Promise<Record<string, string>> {
  const state: Record<string, string> = {};
  async function walk(current: string): Promise<void> {
    for (const entry of (await fs.readdir(current, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(current, entry.name);
      const rel = path.relative(dir, full);
      if (entry.isDirectory()) {
        state[`${rel}/`] = 'dir';
        await walk(full);
      } else {
        const s = await fileState(full);
        state[rel] = s === undefined ? 'gone' : `${s.sha256} ${s.mode.toString(8)}`;
      }
    }
  }
  if (await fs.pathExists(dir)) await walk(dir);
  return state;
}

/** Files under `dir` that hold any of the values (names only). */
async function filesHolding(dir: string, values: readonly string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const rel of Object.keys(await treeState(dir))) {
    if (rel.endsWith('/')) continue;
    const text = await fs.readFile(path.join(dir, rel), 'utf8');
    if (values.some((value) => text.includes(value))) hits.push(rel);
  }
  return hits;
}

/** A project auth.json as a person writes one: tabs, key order, no final newline, mode 0640. */
async function writeOriginalAuthJson(projectDir: string, githubToken: string): Promise<{ bytes: Buffer; mode: number }> {
  const file = path.join(projectDir, 'auth.json');
  const bytes = Buffer.from(`{\n\t"github-oauth": {\n\t\t"github.com": "${githubToken}"\n\t}\n}`);
  await fs.writeFile(file, bytes);
  await fs.chmod(file, 0o640);
  return { bytes, mode: 0o640 };
}

async function expectOriginalBack(projectDir: string, original: { bytes: Buffer; mode: number }): Promise<void> {
  const file = path.join(projectDir, 'auth.json');
  const now = await fs.readFile(file);
  // A boolean, so a failure never prints the file (it holds a token).
  expect(now.equals(original.bytes), 'auth.json is the original, byte for byte').toBe(true);
  expect(((await fs.stat(file)).mode & 0o7777).toString(8)).toBe(original.mode.toString(8));
  expect(await fs.pathExists(path.join(projectDir, JOURNAL)), 'no journal left').toBe(false);
  expect(await fs.pathExists(path.join(projectDir, 'auth.json.lock')), 'no lock left').toBe(false);
}

async function expectNoAuthJsonLeft(projectDir: string): Promise<void> {
  expect(await fs.pathExists(path.join(projectDir, 'auth.json')), 'no auth.json left').toBe(false);
  expect(await fs.pathExists(path.join(projectDir, JOURNAL)), 'no journal left').toBe(false);
  expect(await fs.pathExists(path.join(projectDir, 'auth.json.lock')), 'no lock left').toBe(false);
}

/** Kinds and hosts of an auth document, without its values. */
function shape(document: unknown): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(document as Record<string, Record<string, unknown>>).map(([kind, hosts]) => [kind, Object.keys(hosts).sort()]),
  );
}

// ---------------------------------------------------------------------------------------

type CliResult = { code: number | undefined; stdout: string; stderr: string };

describeWithComposer('composer-secrets build with the real composer', () => {
  /** Each test: its own folder, composer home and cache, repository server, store and leak watch. */
  async function setup(credential: RequiredCredential, projectOptions?: ComposerProjectOptions) {
    const dir = await createTestFolder('composer-secrets-build-');
    const repo = await startComposerRepository({ credential });
    onTestFinished(() => repo.close());
    const projectDir = path.join(dir, 'project');
    await createComposerProject(projectDir, repo, projectOptions);
    const env = composerEnvironment(dir);
    const store = path.join(dir, 'store', 'store.json');
    const watch = new LeakWatch();
    onTestFinished(() => {
      expect(watch.recorded, 'outputs were captured for the leak check').toBeGreaterThan(0);
      expect(watch.leaks(), 'secret values in captured output').toEqual([]);
    });

    async function cli(args: string[], options: { input?: string; cwd?: string } = {}): Promise<CliResult> {
      const result = await runCli(['--store', store, ...args], {
        env,
        extendEnv: false,
        cwd: options.cwd ?? projectDir,
        timeout: 45_000,
        ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
      });
      watch.record(`composer-secrets ${args[0]} stdout`, result.stdout);
      watch.record(`composer-secrets ${args[0]} stderr`, result.stderr);
      return result;
    }

    async function expectOk(args: string[], options?: { input?: string; cwd?: string }): Promise<CliResult> {
      const result = await cli(args, options);
      expect(result.code, `${args[0]}: ${result.stderr}`).toBe(0);
      return result;
    }

    /** A secret of the organization (`owner` org) or the site, value on stdin. */
    async function setSecret(owner: 'org' | 'site', name: string, value: string, type: 'composer' | 'env', ...parts: string[]) {
      watch.secret(value, ...parts);
      await expectOk([`secret:${owner}:set`, owner === 'org' ? ORG : SITE, name, '-', '--type', type, '--scope', 'ic'], { input: value });
    }

    async function composer(args: string[], cwd = projectDir): Promise<ComposerRun> {
      const run = await runComposer(args, { cwd, env });
      watch.record(`composer ${args.join(' ')}`, run.output);
      return run;
    }

    const buildArgs = (...extra: string[]) => ['build', '--site', SITE, '--env', ENV, '--dir', projectDir, ...extra];

    /** The build, started and not awaited (for signals); its own process group, killed at the end. */
    function startBuild(...extra: string[]) {
      const child = execa(process.execPath, [CLI, '--store', store, ...buildArgs(...extra)], {
        env,
        extendEnv: false,
        cwd: projectDir,
        all: true,
        reject: false,
        detached: true,
        stdin: 'ignore',
        timeout: 45_000,
        // execa would otherwise SIGKILL the CLI 5 s after a SIGTERM: the test sends its own signals.
        forceKillAfterDelay: false,
      });
      onTestFinished(() => {
        // Composer, its script's shell and sleep may outlive a killed CLI: end the group we started.
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // ESRCH: all gone already.
        }
      });
      return child;
    }

    async function finished(child: ReturnType<typeof startBuild>, label: string) {
      const result = await child;
      watch.record(label, result.all ?? '');
      return result;
    }

    return { dir, repo, projectDir, env, store, watch, cli, expectOk, setSecret, composer, buildArgs, startBuild, finished };
  }

  type Setup = Awaited<ReturnType<typeof setup>>;

  /** `user password` as the http-basic secret's value; the repository demands exactly these. */
  function basicCredential(): { kind: 'http-basic'; username: string; password: string; value: string } {
    const username = `deploy-${hex(3)}`;
    const password = `pw ${hex()} with spaces`;
    return { kind: 'http-basic', username, password, value: `${username} ${password}` };
  }

  async function linkSite(t: Setup): Promise<void> {
    await t.expectOk(['site:set-org', SITE, ORG]);
  }

  async function setBasicSecret(t: Setup, owner: 'org' | 'site', basic: { username: string; password: string; value: string }) {
    // The Basic header's base64 is a form of the password too.
    const header = Buffer.from(`${basic.username}:${basic.password}`).toString('base64');
    await t.setSecret(owner, `http-basic.${t.repo.host}`, basic.value, 'composer', basic.password, header);
  }

  async function waitForFile(file: string, child: { exitCode: number | null; signalCode: string | null }, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await fs.pathExists(file))) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the build ended before ${path.basename(file)} appeared`);
      if (Date.now() > deadline) throw new Error(`${path.basename(file)} did not appear within ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  // Without a composer.lock `composer install` updates and fires post-update-cmd; with one
  // (a second run) post-install-cmd. Scripts listen to both.
  const onInstall = (command: string | string[]) => ({ 'post-update-cmd': command, 'post-install-cmd': command });

  it('1. http-basic from an org secret installs, and the auth.json it wrote is gone afterwards', async () => {
    const basic = basicCredential();
    const t = await setup(basic, {
      scripts: onInstall('[ -f auth.json ] && echo "auth.json during the build: present" || echo "auth.json during the build: absent"'),
    });
    await linkSite(t);
    await setBasicSecret(t, 'org', basic);

    const build = await t.cli(t.buildArgs());

    expect(build.code, build.stderr).toBe(0);
    expect(await fs.pathExists(path.join(t.projectDir, INSTALLED))).toBe(true);
    expect(build.stdout + build.stderr).toContain('auth.json during the build: present');
    expect(t.repo.requests.map((r) => [r.path, r.authorization, r.authorized])).toEqual([
      ['/packages.json', 'basic', true],
      ['/dists/acme-hello-1.0.0.tar', 'basic', true],
    ]);
    await expectNoAuthJsonLeft(t.projectDir);
    expect(await fs.pathExists(path.join(t.env.COMPOSER_HOME, 'auth.json'))).toBe(false);
    // Nothing composer or the CLI left in the project holds the password.
    expect(await filesHolding(t.projectDir, [basic.password])).toEqual([]);
  });

  it('1b. arguments after -- replace "install": a -vvv install and a script printing auth.json show no value', async () => {
    const basic = basicCredential();
    const t = await setup(basic, { scripts: onInstall('cat auth.json') });
    await linkSite(t);
    await setBasicSecret(t, 'org', basic);

    const build = await t.cli([...t.buildArgs(), '--', 'install', '--no-interaction', '-vvv']);

    expect(build.code, build.stderr).toBe(0);
    expect(await fs.pathExists(path.join(t.projectDir, INSTALLED))).toBe(true);
    // -vvv really reached composer (it names the files it reads), and the script printed the file, masked.
    expect(build.stdout + build.stderr).toContain('Reading ./composer.json');
    expect(build.stdout).toMatch(/"password": "\*\*\*"/);
    await expectNoAuthJsonLeft(t.projectDir);
    // The leak check (run when the test ends) covers the -vvv output.
  });

  it('2. bearer from a site secret with --auth-target env: installs through COMPOSER_AUTH, no auth.json anywhere', async () => {
    const token = `tok-${hex(10)}`;
    const t = await setup(
      { kind: 'bearer', token },
      {
        scripts: onInstall(
          '[ -f auth.json ] && echo "auth.json during the build: present" || echo "auth.json during the build: absent"; ' +
            '[ -n "$COMPOSER_AUTH" ] && echo "COMPOSER_AUTH during the build: set"',
        ),
      },
    );
    await t.setSecret('site', `bearer.${t.repo.host}`, token, 'composer');

    const build = await t.cli(t.buildArgs('--auth-target', 'env'));

    expect(build.code, build.stderr).toBe(0);
    expect(await fs.pathExists(path.join(t.projectDir, INSTALLED))).toBe(true);
    expect(build.stdout).toContain('auth.json during the build: absent');
    expect(build.stdout).toContain('COMPOSER_AUTH during the build: set');
    expect(t.repo.requests.map((r) => [r.path, r.authorization, r.authorized])).toEqual([
      ['/packages.json', 'bearer', true],
      ['/dists/acme-hello-1.0.0.tar', 'bearer', true],
    ]);
    await expectNoAuthJsonLeft(t.projectDir);
    expect(await fs.pathExists(path.join(t.env.COMPOSER_HOME, 'auth.json'))).toBe(false);
    expect(await filesHolding(t.dir, [token]).then((files) => files.filter((f) => !f.startsWith('store/')))).toEqual([]);
  });

  it("3. wrong credentials: the CLI exits with composer's own exit code, says 401, leaves no auth.json", async () => {
    const basic = basicCredential();
    const t = await setup(basic);
    await linkSite(t);
    const wrong = { ...basic, password: `wrong ${hex()}` };
    wrong.value = `${wrong.username} ${wrong.password}`;
    await setBasicSecret(t, 'org', wrong);

    const build = await t.cli(t.buildArgs());

    // The same wrong credential, handed to composer directly in a twin project.
    const twin = path.join(t.dir, 'twin');
    await createComposerProject(twin, t.repo);
    await fs.writeJson(path.join(twin, 'auth.json'), {
      'http-basic': { [t.repo.host]: { username: wrong.username, password: wrong.password } },
    });
    const direct = await t.composer(['install', '--no-interaction'], twin);

    expect(direct.exitCode).not.toBe(0);
    // Composer 2.5.5 exits with the TransportException's code (the HTTP status, 401), which
    // Symfony Console caps at 255.
    expect(direct.exitCode).toBe(255);
    expect(build.code, build.stderr).toBe(direct.exitCode);
    expect(build.stdout + build.stderr).toContain(`The '${t.repo.url}/packages.json' URL required authentication (HTTP 401)`);
    expect(t.repo.requests.length).toBeGreaterThan(0);
    expect(t.repo.requests.every((r) => r.authorization === 'basic' && !r.authorized)).toBe(true);
    expect(await fs.pathExists(path.join(t.projectDir, 'vendor/acme/hello'))).toBe(false);
    await expectNoAuthJsonLeft(t.projectDir);
  });

  it('4. an existing auth.json is merged for the build and comes back byte for byte, with its mode', async () => {
    const basic = basicCredential();
    const t = await setup(basic, { scripts: onInstall('cp auth.json auth-during-build.json') });
    await linkSite(t);
    await setBasicSecret(t, 'org', basic);
    const githubToken = t.watch.secret(`ghp_${hex(12)}`);
    const original = await writeOriginalAuthJson(t.projectDir, githubToken);

    // The copy is this test's own probe: the leak check leaves it out.
    const build = await t.cli(t.buildArgs('--leak-check-ignore', 'auth-during-build.json'));

    expect(build.code, build.stderr).toBe(0);
    expect(await fs.pathExists(path.join(t.projectDir, INSTALLED))).toBe(true);
    await expectOriginalBack(t.projectDir, original);
    // During the build: both entries, values as expected (compared, never printed).
    const during = (await fs.readJson(path.join(t.projectDir, 'auth-during-build.json'))) as {
      'http-basic': Record<string, { username: string; password: string }>;
      'github-oauth': Record<string, string>;
    };
    expect(shape(during)).toEqual({ 'github-oauth': ['github.com'], 'http-basic': [t.repo.host] });
    expect(during['github-oauth']['github.com'] === githubToken, 'github token kept').toBe(true);
    const entry = during['http-basic'][t.repo.host];
    expect(entry?.username === basic.username && entry.password === basic.password, 'http-basic from the secret').toBe(true);
  });

  it('5. an env secret reaches composer scripts and is masked in the output', async () => {
    const canary = `acf-canary-${hex(8)}`;
    const t = await setup(
      { kind: 'none' },
      {
        scripts: onInstall([
          'echo "shell sees: $ACF_PRO_KEY"',
          'php -r \'echo "php sees: ", getenv("ACF_PRO_KEY"), PHP_EOL;\'',
          'printf %s "$ACF_PRO_KEY" > acf-key.txt',
        ]),
      },
    );
    await linkSite(t);
    await t.setSecret('org', 'ACF_PRO_KEY', canary, 'env');

    // The file is this test's own probe: the leak check leaves it out.
    const build = await t.cli(t.buildArgs('--leak-check-ignore', 'acf-key.txt'));

    expect(build.code, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/^shell sees: \*\*\*$/m);
    expect(build.stdout).toMatch(/^php sees: \*\*\*$/m);
    // It really arrived: the script wrote the value itself.
    expect((await fs.readFile(path.join(t.projectDir, 'acf-key.txt'), 'utf8')) === canary, 'the script got the value').toBe(true);
    expect(`${build.stdout}${build.stderr}`.includes(canary)).toBe(false);
  });

  it("5b. a value split across the lines of composer's exception box is masked, with and without colours", async () => {
    // 54 bytes: a box 50 columns wide holds 46 characters a line, so the value is cut into
    // 3 + 46 + 5 characters, two pieces shorter than a fragment.
    const key = `sk_live_${hex(23)}`;
    const t = await setup({ kind: 'none' }, { scripts: { boom: 'Acme\\Boom::run' } });
    const manifest = (await fs.readJson(path.join(t.projectDir, 'composer.json'))) as Record<string, unknown>;
    await fs.writeJson(path.join(t.projectDir, 'composer.json'), { ...manifest, autoload: { 'psr-4': { 'Acme\\': 'src/' } } });
    await fs.outputFile(
      path.join(t.projectDir, 'src/Boom.php'),
      '<?php\nnamespace Acme;\nclass Boom { public static function run() { throw new \\RuntimeException("request to https://example.org/api?api_key=" . getenv("API_KEY") . "&x=1 failed"); } }\n',
    );
    await linkSite(t);
    await t.setSecret('org', 'API_KEY', key, 'env');

    t.env.COLUMNS = '50';
    for (const colours of [[], ['--ansi']]) {
      const build = await t.cli([...t.buildArgs(), '--', 'run-script', 'boom', ...colours]);
      const output = `${build.stdout}${build.stderr}`;
      expect(build.code, output).not.toBe(0);
      // composer really printed the message in its box, the value in it masked.
      expect(output).toContain('In Boom.php line 3:');
      expect(output).toMatch(/api\?api_key=\*\*\*&x=1 failed/);
      const shown = [...Array(key.length - 7).keys()].map((i) => key.slice(i, i + 8)).filter((part) => output.includes(part));
      expect(shown, 'stretches of 8 bytes of the value in the output').toEqual([]);
    }
  });

  // `process`: a supervisor's `kill -TERM <pid>`; the CLI passes the signal on to composer.
  // `group`: Ctrl-C in a terminal (or a runner ending the job), which reaches composer, its
  // script's shell and sleep too.
  describe.each([
    { signal: 'SIGTERM' as const, to: 'process' as const, code: 143 },
    { signal: 'SIGINT' as const, to: 'process' as const, code: 130 },
    { signal: 'SIGTERM' as const, to: 'group' as const, code: 143 },
    { signal: 'SIGINT' as const, to: 'group' as const, code: 130 },
  ])('6. $signal to the CLI $to during the install', ({ signal, to, code }) => {
    it(`puts the original auth.json back, only once composer has ended, and exits ${code}`, async () => {
      const basic = basicCredential();
      const t = await setup(basic, {
        // After the signal the script goes on (when the signal did not reach it): its copy shows
        // whether the credentials were still in place while composer ran.
        scripts: onInstall('touch build-started.marker && sleep 2 && cp auth.json auth-after-signal.json'),
      });
      await linkSite(t);
      await setBasicSecret(t, 'org', basic);
      const original = await writeOriginalAuthJson(t.projectDir, t.watch.secret(`ghp_${hex(12)}`));

      const child = t.startBuild();
      await waitForFile(path.join(t.projectDir, 'build-started.marker'), child);
      // The build is inside composer's script: the merged file is in place, the journal beside it.
      expect((await fileState(path.join(t.projectDir, 'auth.json')))?.mode.toString(8)).toBe('600');
      expect(await fs.pathExists(path.join(t.projectDir, JOURNAL))).toBe(true);
      const signalledAt = performance.now();
      if (to === 'process') child.kill(signal);
      else process.kill(-(child.pid ?? 0), signal);
      const result = await t.finished(child, `build (${signal} to the ${to})`);
      const exitMs = performance.now() - signalledAt;

      expect(result.exitCode, result.all).toBe(code);
      expect(result.all).toContain(`composer-secrets: interrupted by ${signal}`);
      await expectOriginalBack(t.projectDir, original);
      // Either way the signal reaches composer's whole process group (the CLI passes it on
      // to the group), so the script ends too rather than holding the credentials open.
      expect(await fs.pathExists(path.join(t.projectDir, 'auth-after-signal.json')), 'the signal ended the script').toBe(false);
      console.log(`6. ${signal} to the CLI ${to}: exit ${result.exitCode} ${Math.round(exitMs)} ms after the signal`);
    });
  });

  describe('7. SIGKILL during the install (crash safety)', () => {
    // The script records composer's process group (its own: the CLI starts composer in one).
    const slowScript = onInstall(
      'cut -d" " -f5 /proc/$$/stat > composer.pgid; touch build-started.marker; if [ -f slow.flag ]; then sleep 5; fi',
    );

    async function killedBuild(t: Setup): Promise<void> {
      await fs.remove(path.join(t.projectDir, 'build-started.marker'));
      await fs.writeFile(path.join(t.projectDir, 'slow.flag'), '');
      const child = t.startBuild();
      await waitForFile(path.join(t.projectDir, 'build-started.marker'), child);
      child.kill('SIGKILL');
      const result = await t.finished(child, 'build (SIGKILL)');
      expect(result.signal).toBe('SIGKILL');
      // Composer and its script outlive the CLI: end them so they do not race the next step.
      const pgid = Number((await fs.readFile(path.join(t.projectDir, 'composer.pgid'), 'utf8')).trim());
      process.kill(-pgid, 'SIGKILL');
      await fs.remove(path.join(t.projectDir, 'slow.flag'));
      // What the crash left: the generated file (0600, with the secret's entry) and a journal.
      const left = (await fs.readJson(path.join(t.projectDir, 'auth.json'))) as unknown;
      expect(shape(left)['http-basic']).toEqual([t.repo.host]);
      expect((await fileState(path.join(t.projectDir, 'auth.json')))?.mode.toString(8)).toBe('600');
      expect(await fs.pathExists(path.join(t.projectDir, JOURNAL))).toBe(true);
    }

    it.each([
      { case: 'with an original auth.json', hasOriginal: true },
      { case: 'without one', hasOriginal: false },
    ])(
      '$case: restore --dir puts it back; a later build restores first by itself and succeeds',
      async ({ hasOriginal }) => {
        const basic = basicCredential();
        const t = await setup(basic, { scripts: slowScript });
        await linkSite(t);
        await setBasicSecret(t, 'org', basic);
        const original = hasOriginal ? await writeOriginalAuthJson(t.projectDir, t.watch.secret(`ghp_${hex(12)}`)) : undefined;
        const expectOriginal = async () =>
          original === undefined ? expectNoAuthJsonLeft(t.projectDir) : expectOriginalBack(t.projectDir, original);

        await killedBuild(t);
        const restoreStarted = performance.now();
        const restore = await t.expectOk(['restore', '--dir', t.projectDir], { cwd: t.dir });
        const restoreMs = performance.now() - restoreStarted;
        expect(restore.stdout).toContain(
          hasOriginal
            ? `Restored the original ${path.join(t.projectDir, 'auth.json')}.`
            : `Removed the generated ${path.join(t.projectDir, 'auth.json')}`,
        );
        await expectOriginal();
        // The killed run's lock is stale, not forever: restore waited for it at most this long.
        console.log(`restore after SIGKILL (${hasOriginal ? 'original' : 'none'}) took ${Math.round(restoreMs)} ms`);

        await killedBuild(t);
        const build = await t.cli(t.buildArgs());
        expect(build.code, build.stderr).toBe(0);
        expect(build.stderr).toContain(
          `composer-secrets: ${path.join(t.projectDir, 'auth.json')} was left by an interrupted run; ${hasOriginal ? 'restored the original' : 'removed it'}`,
        );
        expect(await fs.pathExists(path.join(t.projectDir, INSTALLED))).toBe(true);
        await expectOriginal();
      },
      120_000,
    );
  });

  it('8a. --dry-run writes and runs nothing and prints the plan without values', async () => {
    const basic = basicCredential();
    const t = await setup(basic);
    await linkSite(t);
    await setBasicSecret(t, 'org', basic);
    await t.setSecret('org', 'ACF_PRO_KEY', `acf-canary-${hex(8)}`, 'env');
    const original = await writeOriginalAuthJson(t.projectDir, t.watch.secret(`ghp_${hex(12)}`));
    const before = await treeState(t.dir);

    const table = await t.expectOk(t.buildArgs('--dry-run'));
    const json = await t.expectOk(t.buildArgs('--dry-run', '--json'));

    expect(await treeState(t.dir)).toEqual(before);
    expect(t.repo.requests).toEqual([]);
    await expectOriginalBack(t.projectDir, original);
    expect(table.stdout).toContain(`http-basic.${t.repo.host}`);
    expect(table.stdout).toContain('ACF_PRO_KEY');
    const plan = JSON.parse(json.stdout) as { site: string; secrets: { name: string; becomes: Record<string, unknown> }[] };
    expect(plan.site).toBe(SITE);
    expect(plan.secrets.map((s) => [s.name, s.becomes.kind]).sort()).toEqual([
      ['ACF_PRO_KEY', 'variable'],
      [`http-basic.${t.repo.host}`, 'auth-entry'],
    ]);
  });

  it.each([
    { case: 'no auth.json before', hasOriginal: false },
    { case: 'an auth.json before', hasOriginal: true },
  ])('8b. auth-json --output writes a 0600 file composer installs with; restore --file undoes it ($case)', async ({ hasOriginal }) => {
    const basic = basicCredential();
    const t = await setup(basic);
    await linkSite(t);
    await setBasicSecret(t, 'org', basic);
    const githubToken = hasOriginal ? t.watch.secret(`ghp_${hex(12)}`) : undefined;
    const original = githubToken === undefined ? undefined : await writeOriginalAuthJson(t.projectDir, githubToken);
    const file = path.join(t.projectDir, 'auth.json');

    const written = await t.expectOk(['auth-json', '--site', SITE, '--env', ENV, '--output', 'auth.json']);

    expect(written.stderr).toContain(`wrote ${file}`);
    expect((await fileState(file))?.mode.toString(8)).toBe('600');
    const document = (await fs.readJson(file)) as Record<string, Record<string, unknown>>;
    expect(shape(document)).toEqual(
      hasOriginal ? { 'github-oauth': ['github.com'], 'http-basic': [t.repo.host] } : { 'http-basic': [t.repo.host] },
    );

    const install = await t.composer(['install', '--no-interaction']);
    expect(install.exitCode, install.output).toBe(0);
    expect(await fs.pathExists(path.join(t.projectDir, INSTALLED))).toBe(true);
    expect(t.repo.requests.every((r) => r.authorized && r.authorization === 'basic')).toBe(true);

    const restore = await t.expectOk(['restore', '--file', 'auth.json']);
    expect(restore.stdout).toContain(hasOriginal ? `Restored the original ${file}.` : `Removed the generated ${file}`);
    if (original === undefined) await expectNoAuthJsonLeft(t.projectDir);
    else await expectOriginalBack(t.projectDir, original);
    // Once undone, there is nothing more to undo.
    expect((await t.expectOk(['restore', '--file', 'auth.json'])).stdout).toContain(`Nothing to restore at ${file}.`);
  });

  it('8c. build --keep-auth leaves the merged auth.json for later steps; restore puts the original back', async () => {
    const basic = basicCredential();
    const t = await setup(basic);
    await linkSite(t);
    await setBasicSecret(t, 'org', basic);
    const original = await writeOriginalAuthJson(t.projectDir, t.watch.secret(`ghp_${hex(12)}`));

    const build = await t.cli(t.buildArgs('--keep-auth'));

    expect(build.code, build.stderr).toBe(0);
    expect(build.stderr).toContain('(--keep-auth)');
    expect(shape(await fs.readJson(path.join(t.projectDir, 'auth.json')))).toEqual({
      'github-oauth': ['github.com'],
      'http-basic': [t.repo.host],
    });
    // A later composer step works with what was kept, without the CLI.
    await fs.remove(path.join(t.projectDir, 'vendor'));
    const again = await t.composer(['install', '--no-interaction']);
    expect(again.exitCode, again.output).toBe(0);

    await t.expectOk(['restore', '--dir', t.projectDir]);
    await expectOriginalBack(t.projectDir, original);
  });

  it('9. timing: the CLI build against composer run directly (measured, not asserted)', async () => {
    const basic = basicCredential();
    const t = await setup(basic);
    await linkSite(t);
    await setBasicSecret(t, 'org', basic);
    const runs = 5;
    const cliMs: number[] = [];
    const directMs: number[] = [];
    // Interleaved, each in a fresh project with its own composer home and cache.
    for (let i = 0; i < runs; i++) {
      for (const way of ['cli', 'direct'] as const) {
        const runDir = path.join(t.dir, `timing-${way}-${i}`);
        const projectDir = path.join(runDir, 'project');
        await createComposerProject(projectDir, t.repo);
        const env = composerEnvironment(runDir);
        if (way === 'direct') {
          await fs.writeJson(path.join(projectDir, 'auth.json'), {
            'http-basic': { [t.repo.host]: { username: basic.username, password: basic.password } },
          });
        }
        const started = performance.now();
        const run =
          way === 'cli'
            ? await execa(process.execPath, [CLI, '--store', t.store, 'build', '--site', SITE, '--env', ENV, '--dir', projectDir], {
                env,
                extendEnv: false,
                cwd: projectDir,
                reject: false,
                all: true,
                stdin: 'ignore',
              })
            : await execa('composer', ['install', '--no-interaction'], {
                env,
                extendEnv: false,
                cwd: projectDir,
                reject: false,
                all: true,
                stdin: 'ignore',
              });
        const ms = performance.now() - started;
        t.watch.record(`timing ${way} ${i}`, run.all ?? '');
        expect(run.exitCode, run.all).toBe(0);
        expect(await fs.pathExists(path.join(projectDir, INSTALLED))).toBe(true);
        (way === 'cli' ? cliMs : directMs).push(ms);
      }
    }
    // What node and the bundle cost before any work: part of the CLI's overhead.
    const startupMs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const version = await execa(process.execPath, [CLI, '--version'], { env: t.env, extendEnv: false, reject: false, stdin: 'ignore' });
      startupMs.push(performance.now() - started);
      expect(version.exitCode).toBe(0);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
    const fmt = (values: number[]) => values.map((v) => Math.round(v)).join('/');
    console.log(
      `timing (${runs} runs each, fresh project+cache): composer-secrets build median ${Math.round(median(cliMs))} ms [${fmt(cliMs)}], ` +
        `composer install with a hand-written auth.json median ${Math.round(median(directMs))} ms [${fmt(directMs)}], ` +
        `overhead ${Math.round(median(cliMs) - median(directMs))} ms (of which CLI startup, --version: median ${Math.round(median(startupMs))} ms)`,
    );
  });
});
