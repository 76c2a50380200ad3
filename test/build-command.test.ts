// build, auth-json and restore on memfs with a scripted composer: what is written when,
// what composer sees, and that every file is put back.
import { describe, expect, it, vi } from 'vitest';
import { EnvironmentError } from '../src/errors.js';
import { COMPOSER_GRACE_MS } from '../src/run/composer-process.js';
import { COMPOSER_PATH, memoryContext, type Program } from './support/memory-context.js';

const STORE = '/home/dev/.config/composer-secrets/store.json';
const CANARY = 'CANARY-b1d';
const PROJECT = '/work/project';
const AUTH = `${PROJECT}/auth.json`;
const JOURNAL = `${PROJECT}/.auth.json.composer-secrets-journal`;

async function project(
  programs: Record<string, Program> = {},
  extra: { files?: Record<string, string>; env?: Record<string, string> } = {},
) {
  const m = memoryContext({ programs, files: { [`${PROJECT}/composer.json`]: '{}', ...extra.files }, env: extra.env });
  const steps: string[][] = [
    ['secret:org:set', 'acme', 'http-basic.repo.example.org', `deploy ${CANARY} with spaces`, '--type', 'composer', '--scope', 'ic'],
    ['site:set-org', 'shop', 'acme'],
    ['secret:site:set', 'shop', 'bearer.127.0.0.1:8765', `${CANARY}-bearer`, '--type', 'composer', '--scope', 'ic'],
    ['secret:site:set', 'shop', 'ACF_PRO_KEY', `${CANARY}-acf`, '--type', 'env', '--scope', 'ic'],
  ];
  for (const argv of steps) expect((await m.run(argv)).code, argv.join(' ')).toBe(0);
  return m;
}

const build = (...more: string[]) => ['build', '--site', 'shop', '--env', 'dev', '--dir', 'project', ...more];
const noCanary = (r: { stdout: string; stderr: string }) => {
  expect(r.stdout).not.toContain(CANARY);
  expect(r.stderr).not.toContain(CANARY);
};

describe('build', () => {
  it('writes auth.json 0600 for composer, hands it the variables, then removes the file', async () => {
    let seen: { auth: unknown; mode: number; env: Record<string, string>; args: readonly string[] } | undefined;
    const m = await project({
      composer: async (call) => {
        const { fs } = m;
        seen = {
          auth: JSON.parse((await fs.readFile(AUTH, 'utf8')) as string),
          mode: (await fs.stat(AUTH)).mode & 0o777,
          env: call.options.env,
          args: call.args,
        };
        return { exitCode: 0 };
      },
    });
    const r = await m.run(build());
    expect(r.code).toBe(0);
    noCanary(r);
    expect(seen?.auth).toEqual({
      'http-basic': { 'repo.example.org': { username: 'deploy', password: `${CANARY} with spaces` } },
      bearer: { '127.0.0.1:8765': `${CANARY}-bearer` },
    });
    expect(seen?.mode).toBe(0o600);
    expect(seen?.args).toEqual(['install', '--no-interaction']);
    expect(seen?.env).toMatchObject({ ACF_PRO_KEY: `${CANARY}-acf`, COMPOSER_NO_INTERACTION: '1', PATH: '/usr/bin' });
    expect(seen?.env).not.toHaveProperty('COMPOSER_AUTH');
    expect(m.ctx.env).not.toHaveProperty('ACF_PRO_KEY'); // never the caller's environment
    expect(await m.fs.readdir(PROJECT)).toEqual(['composer.json']);
  });

  it("passes the arguments after -- instead of install, and exits with composer's code", async () => {
    const m = await project({ composer: () => ({ exitCode: 3 }) });
    const r = await m.run([...build(), '--', 'update', 'acme/hello']);
    expect(r.code).toBe(3);
    expect(m.calls.find((c) => c.file === COMPOSER_PATH)?.args).toEqual(['update', 'acme/hello']);
    expect(await m.fs.readdir(PROJECT)).toEqual(['composer.json']);
  });

  it('merges into an existing auth.json and puts it back byte for byte with its mode', async () => {
    const original = '{\n  "github-oauth": {"github.com": "ghp_unrelated"},\n  "bearer": {"127.0.0.1:8765": "old-token"}\n}\n';
    let during: unknown;
    const m = await project({
      composer: async () => {
        during = JSON.parse((await m.fs.readFile(AUTH, 'utf8')) as string);
        return { exitCode: 1 };
      },
    });
    m.volume.writeFileSync(AUTH, original, { mode: 0o640 });
    const dry = await m.run(build('--dry-run'));
    expect(dry.stdout).toContain(`note: bearer.127.0.0.1:8765: replaces the bearer entry for 127.0.0.1:8765 in ${AUTH}`);
    const r = await m.run(build());
    expect(r.code).toBe(1);
    expect(during).toEqual({
      'github-oauth': { 'github.com': 'ghp_unrelated' },
      bearer: { '127.0.0.1:8765': `${CANARY}-bearer` },
      'http-basic': { 'repo.example.org': { username: 'deploy', password: `${CANARY} with spaces` } },
    });
    expect(await m.fs.readFile(AUTH, 'utf8')).toBe(original);
    expect((await m.fs.stat(AUTH)).mode & 0o777).toBe(0o640);
    expect(await m.fs.readdir(PROJECT)).toEqual(['auth.json', 'composer.json']);
  });

  it('with --auth-target env puts credentials in COMPOSER_AUTH and nothing on disk', async () => {
    let env: Record<string, string> | undefined;
    const m = await project({
      composer: (call) => {
        env = call.options.env;
        return { exitCode: 0 };
      },
    });
    const r = await m.run(build('--auth-target', 'env'));
    expect(r.code).toBe(0);
    expect(JSON.parse(env?.COMPOSER_AUTH ?? '{}')).toEqual({
      'http-basic': { 'repo.example.org': { username: 'deploy', password: `${CANARY} with spaces` } },
      bearer: { '127.0.0.1:8765': `${CANARY}-bearer` },
    });
    expect(await m.fs.readdir(PROJECT)).toEqual(['composer.json']);
  });

  it('refuses --auth-target env when the project auth.json names the same host (Composer 2.5.5 would prefer it)', async () => {
    const m = await project({}, { files: { [AUTH]: '{"http-basic": {"repo.example.org": {"username": "u", "password": "p"}}}' } });
    const r = await m.run(build('--auth-target', 'env'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "the project's auth.json has credentials for repo.example.org, which Composer 2.5.5+debian prefers over COMPOSER_AUTH (only 2.7.8 and later prefer COMPOSER_AUTH), so secret 'http-basic.repo.example.org' would lose",
    );
    expect(m.calls.filter((c) => c.file === COMPOSER_PATH)).toEqual([]);
  });

  it("merges the caller's COMPOSER_AUTH under the secrets, so they win on every Composer version", async () => {
    let env: Record<string, string> | undefined;
    const callerAuth = JSON.stringify({ bearer: { '127.0.0.1:8765': 'caller-token', 'other.example.org': 'keep-me' } });
    const m = await project(
      {
        composer: (call) => {
          env = call.options.env;
          return { exitCode: 0 };
        },
      },
      { env: { COMPOSER_AUTH: callerAuth } },
    );
    expect((await m.run(build())).code).toBe(0);
    expect(JSON.parse(env?.COMPOSER_AUTH ?? '{}').bearer).toEqual({ '127.0.0.1:8765': `${CANARY}-bearer`, 'other.example.org': 'keep-me' });
  });

  it('masks every value and its forms in what composer prints', async () => {
    const m = await project({
      composer: (call) => {
        call.options.onStdout?.(`key=${CANARY}-a`);
        call.options.onStdout?.(`cf\npassword: ${CANARY} with spaces\n`);
        call.options.onStderr?.(`url: https://deploy:${encodeURIComponent(`${CANARY} with spaces`)}@repo.example.org\n`);
        call.options.onStderr?.(`json: ${JSON.stringify({ t: `${CANARY}-bearer` })}`);
        return { exitCode: 0 };
      },
    });
    const r = await m.run(build());
    noCanary(r);
    expect(r.stdout).toBe('key=***\npassword: ***\n');
    expect(r.stderr).toContain('url: https://deploy:***@repo.example.org\n');
    expect(r.stderr).toContain('json: {"t":"***"}');
  });

  it('masks an http-basic credential as a Basic Authorization header carries it', async () => {
    const header = `Authorization: Basic ${Buffer.from(`deploy:${CANARY} with spaces`).toString('base64')}\n`;
    const m = await project({
      composer: (call) => {
        call.options.onStderr?.(header);
        return { exitCode: 0 };
      },
    });
    const r = await m.run(build());
    expect(r.stderr).toMatch(/^Authorization: Basic \*\*\*\ncomposer-secrets: build of site shop \(dev\) done[^\n]*\n$/);
  });

  it('masks and decodes output whatever bytes composer writes at a time, cut inside a character or a value', async () => {
    const printed = Buffer.from(`grüße, password: ${CANARY} with spaces ✓\n`);
    const m = await project({
      composer: (call) => {
        for (let i = 0; i < printed.length; i += 3) call.options.onStdout?.(printed.subarray(i, i + 3));
        return { exitCode: 0 };
      },
    });
    const r = await m.run(build());
    noCanary(r);
    expect(r.stdout).toBe('grüße, password: *** ✓\n');
  });

  it('on SIGTERM passes it to composer, restores, and exits 143', async () => {
    const original = '{"github-oauth": {"github.com": "keep"}}';
    const m = await project(
      {
        composer: async (_call, { killed }) => {
          setTimeout(() => m.signal('SIGTERM'), 1);
          const signal = await killed;
          return { signal };
        },
      },
      { files: { [AUTH]: original } },
    );
    const r = await m.run(build());
    expect(r.code).toBe(143);
    expect(r.stderr).toContain('interrupted by SIGTERM');
    expect(await m.fs.readFile(AUTH, 'utf8')).toBe(original);
    expect(await m.fs.readdir(PROJECT)).toEqual(['auth.json', 'composer.json']);
  });

  it('on SIGINT before composer starts, does not start it and restores (130)', async () => {
    const m = await project({
      git: () => {
        m.signal('SIGINT');
        return { exitCode: 128 };
      },
    });
    m.volume.mkdirSync('/work/.git'); // a work tree, so git is asked just before composer
    const r = await m.run(build());
    expect(r.code).toBe(130);
    expect(m.calls.filter((c) => c.file === COMPOSER_PATH)).toEqual([]);
    expect(await m.fs.readdir(PROJECT)).toEqual(['composer.json']);
  });

  it('after a crash, restore puts the original back, and so does the next build by itself', async () => {
    const original = '{"github-oauth": {"github.com": "original"}}';
    // A crashed run: the journal of the original, and the generated file in its place.
    const crashed = async (m: Awaited<ReturnType<typeof project>>) => {
      m.volume.writeFileSync(AUTH, original, { mode: 0o644 });
      const kept = await m.run(build('--keep-auth'));
      expect(kept.stderr).toContain('left /work/project/auth.json in place (--keep-auth)');
      expect(await m.fs.readFile(AUTH, 'utf8')).toContain(`${CANARY}-bearer`);
      expect(await m.fs.readdir(PROJECT)).toContain('.auth.json.composer-secrets-journal');
    };
    const m = await project();
    await crashed(m);
    const restored = await m.run(['restore', '--dir', 'project']);
    expect(restored).toMatchObject({ code: 0, stdout: `Restored the original ${AUTH}.\n` });
    expect(await m.fs.readFile(AUTH, 'utf8')).toBe(original);
    expect((await m.fs.stat(AUTH)).mode & 0o777).toBe(0o644);
    expect((await m.run(['restore', '--dir', 'project'])).stdout).toBe(`Nothing to restore at ${AUTH}.\n`);

    let during = '';
    const again = await project({
      composer: async () => {
        during = (await again.fs.readFile(AUTH, 'utf8')) as string;
        return { exitCode: 0 };
      },
    });
    await crashed(again);
    const next = await again.run(build());
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(`${AUTH} was left by an interrupted run; restored the original`);
    expect(JSON.parse(during)['github-oauth']).toEqual({ 'github.com': 'original' }); // merged into the original, not the generated file
    expect(await again.fs.readFile(AUTH, 'utf8')).toBe(original);
    expect(await again.fs.readdir(PROJECT)).toEqual(['auth.json', 'composer.json']);
  });

  it('refuses a damaged journal instead of guessing what the original was', async () => {
    const m = await project({}, { files: { [JOURNAL]: '{"version": 1, "garbage": true}', [AUTH]: '{}' } });
    const r = await m.run(build());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`the journal ${JOURNAL} is damaged or not for ${AUTH}`);
    expect(await m.fs.readFile(AUTH, 'utf8')).toBe('{}');
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    const m = await project();
    const r = await m.run(build('--dry-run'));
    expect(r.code).toBe(0);
    noCanary(r);
    expect(r.stdout).toContain(`Credentials go to: ${AUTH}`);
    expect(r.stdout).toMatch(/ACF_PRO_KEY\s+env\s+site shop\s+env ACF_PRO_KEY/);
    expect(m.calls).toEqual([]);
    expect(await m.fs.readdir(PROJECT)).toEqual(['composer.json']);
    const json = JSON.parse((await m.run(build('--dry-run', '--json'))).stdout);
    expect(json.auth).toEqual({ target: 'project', file: AUTH });
  });

  it('says when a secret replaces a variable of the calling environment', async () => {
    const m = await project({}, { env: { ACF_PRO_KEY: 'from-caller' } });
    const r = await m.run(build('--dry-run'));
    expect(r.stdout).toContain('note: ACF_PRO_KEY: replaces the ACF_PRO_KEY variable of the calling environment');
  });

  it('warns when the project auth.json is not ignored by git', async () => {
    const m = await project({
      // In a work tree: ls-files says not tracked (1), check-ignore says not ignored (1).
      git: () => ({ exitCode: 1 }),
    });
    m.volume.mkdirSync('/work/.git');
    const r = await m.run(build());
    expect(r.stderr).toContain(`warning: ${AUTH} is not ignored by git; add it to .gitignore`);
    expect(m.calls.filter((c) => c.file === 'git').map((c) => c.args.slice(2, 3))).toEqual([['ls-files'], ['check-ignore']]);
  });

  it('warns when git tracks the project auth.json, and says nothing outside a work tree', async () => {
    const tracked = await project({ git: () => ({ exitCode: 0 }) });
    tracked.volume.mkdirSync(`${PROJECT}/.git`);
    expect((await tracked.run(build())).stderr).toContain(`warning: ${AUTH} is tracked by git`);
    const outside = await project({ git: () => ({ exitCode: 0 }) });
    expect((await outside.run(build())).stderr).not.toContain('warning');
    expect(outside.calls.filter((c) => c.file === 'git')).toEqual([]); // no .git above: git is not asked
  });
});

describe('build refusals: exit 2, naming the secret, nothing written or run', () => {
  const cases: Array<[string, string[], RegExp]> = [
    [
      'an env secret named PATH',
      ['secret:site:set', 'shop', 'PATH', `${CANARY}-p`, '--type', 'env', '--scope', 'ic'],
      /secret 'PATH': PATH changes how the build itself runs/,
    ],
    [
      'an LD_ variable',
      ['secret:site:set', 'shop', 'LD_PRELOAD', `${CANARY}-p`, '--type', 'env', '--scope', 'ic'],
      /secret 'LD_PRELOAD': LD_PRELOAD changes how the build/,
    ],
    [
      'http-basic without a password',
      ['secret:site:set', 'shop', 'http-basic.other.example.org', `${CANARY}`, '--type', 'composer', '--scope', 'ic'],
      /secret 'http-basic\.other\.example\.org'/,
    ],
    [
      'two kinds for one host',
      ['secret:site:set', 'shop', 'github-oauth.127.0.0.1:8765', 'abc_def', '--type', 'composer', '--scope', 'ic'],
      /host 127\.0\.0\.1:8765 has credentials of several kinds \(bearer from secret 'bearer\.127\.0\.0\.1:8765', github-oauth from secret 'github-oauth\.127\.0\.0\.1:8765'\)/,
    ],
    [
      'a client certificate',
      ['secret:site:set', 'shop', 'client-certificate.repo.example.org', '{"local_cert": "/x"}', '--type', 'composer', '--scope', 'ic'],
      /secret 'client-certificate\.repo\.example\.org'/,
    ],
    [
      'a COMPOSER_AUTH secret that is not JSON',
      ['secret:site:set', 'shop', 'COMPOSER_AUTH', `{${CANARY}`, '--type', 'env', '--scope', 'ic'],
      /secret 'COMPOSER_AUTH': \(top level\): is not valid JSON/,
    ],
  ];
  it.each(cases)('%s', async (_what, setup, message) => {
    const m = await project();
    const set = await m.run(setup);
    if (set.code !== 0) {
      // Refused when set already (a value a build would refuse); another source could still
      // bring it, so it goes into the store by hand for the build's own check.
      expect(set.code).toBe(2);
      expect(set.stderr).toMatch(message);
      noCanary(set);
      const [, owner, name, value, , type, , scopes] = setup as [
        string,
        string,
        string,
        string,
        string,
        'env' | 'composer',
        string,
        string,
      ];
      const store = JSON.parse(m.volume.readFileSync(STORE, 'utf8') as string);
      expect(store.sites[owner].secrets).not.toHaveProperty(name);
      store.sites[owner].secrets[name] = { type, scopes: scopes.split(','), value, overrides: {} };
      m.volume.writeFileSync(STORE, JSON.stringify(store));
    }
    for (const argv of [build(), build('--dry-run'), ['plan', '--site', 'shop', '--env', 'dev', '--dir', 'project']]) {
      const r = await m.run(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      // A plan shown lists its problems (stdout); a build shows none, so its message does.
      expect(argv[0] === 'build' && !argv.includes('--dry-run') ? r.stderr : r.stdout).toMatch(message);
      noCanary(r);
    }
    expect(m.calls.filter((c) => c.file === COMPOSER_PATH)).toEqual([]);
    expect(await m.fs.readdir(PROJECT)).toEqual(['composer.json']);
  });

  it('an existing auth.json that is not valid JSON is left alone', async () => {
    const broken = `{"bearer": {"x.org": "${CANARY}"`;
    const m = await project({}, { files: { [AUTH]: broken } });
    const r = await m.run(build());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${AUTH} is not a valid Composer auth document, so it was left as it is`);
    noCanary(r);
    expect(await m.fs.readFile(AUTH, 'utf8')).toBe(broken);
  });

  it('a symlink at auth.json is refused, not followed', async () => {
    const m = await project();
    m.volume.writeFileSync('/work/elsewhere.json', '{}');
    m.volume.symlinkSync('/work/elsewhere.json', AUTH);
    const r = await m.run(build());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${AUTH} is a symbolic link; refusing to follow it`);
    expect(await m.fs.readFile('/work/elsewhere.json', 'utf8')).toBe('{}');
  });

  it('a missing composer: a clear error, nothing written', async () => {
    const m = await project();
    const r = await m.run(build('--composer', '/nope/composer'));
    expect(r).toMatchObject({ code: 2, stderr: 'composer-secrets: --composer: no executable file at the path given\n' });
    m.volume.unlinkSync(COMPOSER_PATH);
    expect((await m.run(build())).stderr).toContain('composer is not installed or not on PATH');
    expect(await m.fs.readdir(PROJECT)).toEqual(['composer.json']);
  });

  it('a caller COMPOSER_AUTH that Composer would refuse', async () => {
    const m = await project({}, { env: { COMPOSER_AUTH: `{${CANARY}` } });
    const r = await m.run(build());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('the COMPOSER_AUTH variable of the calling environment is not a valid auth document');
    noCanary(r);
  });
});

describe('COMPOSER_AUTH secret', () => {
  it('is merged in, a composer secret wins for the same kind and host, and it is not exported as a variable', async () => {
    let seen: { auth: unknown; env: Record<string, string> } | undefined;
    const m = await project({
      composer: async (call) => {
        seen = { auth: JSON.parse((await m.fs.readFile(AUTH, 'utf8')) as string), env: call.options.env };
        return { exitCode: 0 };
      },
    });
    const doc = JSON.stringify({ bearer: { '127.0.0.1:8765': 'from-document', 'docs.example.org': `${CANARY}-doc` } });
    expect((await m.run(['secret:site:set', 'shop', 'COMPOSER_AUTH', doc, '--type', 'env', '--scope', 'ic'])).code).toBe(0);
    const dry = await m.run(build('--dry-run'));
    expect(dry.stdout).toContain('note: bearer.127.0.0.1:8765: wins over the bearer entry for 127.0.0.1:8765 in the COMPOSER_AUTH secret');
    expect((await m.run(build())).code).toBe(0);
    expect((seen?.auth as { bearer: unknown } | undefined)?.bearer).toEqual({
      '127.0.0.1:8765': `${CANARY}-bearer`,
      'docs.example.org': `${CANARY}-doc`,
    });
    expect(seen?.env).not.toHaveProperty('COMPOSER_AUTH');
  });
});

describe('auth-json and restore --file', () => {
  it('writes the document 0600, merging into what is there, and restore puts that back', async () => {
    const m = await project();
    m.volume.writeFileSync('/work/ci-auth.json', '{"github-oauth": {"github.com": "ci"}}', { mode: 0o644 });
    const r = await m.run(['auth-json', '--site', 'shop', '--env', 'dev', '--output', 'ci-auth.json']);
    expect(r.code).toBe(0);
    noCanary(r);
    const written = JSON.parse((await m.fs.readFile('/work/ci-auth.json', 'utf8')) as string);
    expect(Object.keys(written)).toEqual(['github-oauth', 'http-basic', 'bearer']);
    expect((await m.fs.stat('/work/ci-auth.json')).mode & 0o777).toBe(0o600);
    // Running it twice keeps the first original.
    expect((await m.run(['auth-json', '--site', 'shop', '--env', 'dev', '--output', 'ci-auth.json'])).code).toBe(0);
    expect((await m.run(['restore', '--file', 'ci-auth.json'])).stdout).toBe('Restored the original /work/ci-auth.json.\n');
    expect(await m.fs.readFile('/work/ci-auth.json', 'utf8')).toBe('{"github-oauth": {"github.com": "ci"}}');
    expect((await m.fs.stat('/work/ci-auth.json')).mode & 0o777).toBe(0o644);
  });
});

describe('composer that cannot be started after all', () => {
  it("is a clear error without execa's text, and auth.json is put back", async () => {
    const m = await project({ composer: () => ({ startError: 'EACCES' }) });
    m.volume.writeFileSync(AUTH, ORIGINAL_FOR_START_ERROR, { mode: 0o644 });
    const r = await m.run(build());
    expect(r).toMatchObject({ code: 2, stderr: `composer-secrets: could not start composer (${COMPOSER_PATH}): not executable\n` });
    expect(m.volume.readFileSync(AUTH, 'utf8')).toBe(ORIGINAL_FOR_START_ERROR);
    expect(m.volume.readdirSync(PROJECT)).toEqual(['auth.json', 'composer.json']);
  });
});
const ORIGINAL_FOR_START_ERROR = '{"bearer": {"x.example.org": "keep"}}';

describe('--auth-target home', () => {
  it('writes $COMPOSER_HOME/auth.json for composer and puts it back', async () => {
    const original = '{"github-oauth": {"github.com": "global"}}';
    let during: unknown;
    const m = await project(
      {
        composer: async () => {
          during = JSON.parse((await m.fs.readFile('/composer-home/auth.json', 'utf8')) as string);
          return { exitCode: 0 };
        },
      },
      { env: { COMPOSER_HOME: '/composer-home' }, files: { '/composer-home/auth.json': original } },
    );
    const r = await m.run(build('--auth-target', 'home'));
    expect(r.code).toBe(0);
    expect(Object.keys(during as object)).toEqual(['github-oauth', 'http-basic', 'bearer']);
    expect(m.volume.readFileSync('/composer-home/auth.json', 'utf8')).toBe(original);
    expect(m.volume.readdirSync(PROJECT)).toEqual(['composer.json']);
  });

  it('asks composer for its home when COMPOSER_HOME is unset', async () => {
    const m = await project({
      composer: (call) => {
        if (call.args[0] === 'config') call.options.onStdout?.('/root/.config/composer\n');
        return { exitCode: 0 };
      },
    });
    const r = await m.run(build('--auth-target', 'home', '--dry-run'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Credentials go to: /root/.config/composer/auth.json');
    expect(m.calls[0]?.args).toEqual(['config', '--global', 'home', '--no-interaction']);
  });

  it('says so when composer cannot tell', async () => {
    const m = await project({ composer: () => ({ exitCode: 1 }) });
    const r = await m.run(build('--auth-target', 'home'));
    expect(r).toMatchObject({
      code: 2,
      stderr: 'composer-secrets: --auth-target home: could not learn COMPOSER_HOME from composer; set COMPOSER_HOME\n',
    });
  });
});

describe('values a build would refuse are refused when set', () => {
  it.each([
    ['secret:site:set', 'shop', 'http-basic.x.example.org', `only-a-user-${CANARY}`, '--type', 'composer', '--scope', 'ic'],
    ['secret:org:set', 'acme', 'COMPOSER_AUTH', `{"bearer": ${CANARY}`, '--type', 'env', '--scope', 'ic'],
  ])('%s %s %s', async (...argv) => {
    const m = await project();
    const before = m.volume.readFileSync(STORE, 'utf8');
    const r = await m.run(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`would be refused by a build; nothing was changed`);
    noCanary(r);
    expect(m.volume.readFileSync(STORE, 'utf8')).toBe(before);
  });

  it('an override is checked against the type of the secret it overrides', async () => {
    const m = await project();
    const r = await m.run(['secret:site:set', 'shop.dev', 'bearer.127.0.0.1:8765', `two words ${CANARY}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("the value of composer secret 'bearer.127.0.0.1:8765' would be refused by a build");
    noCanary(r);
  });
});

describe('how a build ends', () => {
  const ORIGINAL = '{"github-oauth": {"github.com": "keep"}}';
  /** A composer that runs until the test ends it: `started` resolves once it runs. */
  function waitingComposer() {
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const program: Program = async (_call, { killed }) => {
      started();
      return { signal: await killed };
    };
    return { program, running };
  }

  it.each([
    ['SIGHUP', 129],
    ['SIGQUIT', 131],
    ['SIGUSR1', 138],
    ['SIGUSR2', 140],
    ['SIGALRM', 142],
  ] as const)('on %s passes it to composer, restores, and exits %i', async (signal, code) => {
    const composer = waitingComposer();
    const m = await project({ composer: composer.program }, { files: { [AUTH]: ORIGINAL } });
    const run = m.run(build());
    await composer.running;
    m.signal(signal);
    const r = await run;
    expect(r.code).toBe(code);
    expect(r.stderr).toContain(`composer-secrets: interrupted by ${signal}\n`);
    expect(await m.fs.readFile(AUTH, 'utf8')).toBe(ORIGINAL);
    expect(await m.fs.readdir(PROJECT)).toEqual(['auth.json', 'composer.json']);
  });

  it('a second signal during the restore does not cut it short; the first one names the exit code', async () => {
    let interrupted = false;
    const m = await project(
      {
        composer: async (_call, { killed }) => {
          await new Promise((resolve) => setImmediate(resolve));
          m.signal('SIGHUP');
          interrupted = true;
          return { signal: await killed };
        },
      },
      { files: { [AUTH]: ORIGINAL } },
    );
    const rename = m.fs.rename.bind(m.fs);
    // The restore renames the original into place: a SIGTERM arrives just then.
    m.ctx.fs = {
      ...m.fs,
      rename: async (from, to) => {
        if (interrupted && to === AUTH) m.signal('SIGTERM');
        return rename(from, to);
      },
    };
    const r = await m.run(build());
    expect(r.code).toBe(129);
    expect(await m.fs.readFile(AUTH, 'utf8')).toBe(ORIGINAL);
    expect(await m.fs.readdir(PROJECT)).toEqual(['auth.json', 'composer.json']);
  });

  it.each([
    ['SIGKILL', 137],
    ['SIGSEGV', 139],
  ] as const)('says so when composer is killed by %s, and exits %i', async (signal, code) => {
    const m = await project({ composer: () => ({ signal }) });
    const r = await m.run(build());
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(
      new RegExp(
        `^composer-secrets: composer was killed by ${signal}\ncomposer-secrets: build of site shop \\(dev\\) done, composer exited with ${code}: [^\n]*\n$`,
      ),
    );
    expect(await m.fs.readdir(PROJECT)).toEqual(['composer.json']);
  });

  it(`kills composer when it has not stopped ${COMPOSER_GRACE_MS / 1000} s after the signal`, async () => {
    let killsBeforeGrace: NodeJS.Signals[] = [];
    let killsAfterGrace: NodeJS.Signals[] = [];
    const m = await project(
      {
        composer: async (_call, { killed, kills }) => {
          await new Promise((resolve) => setImmediate(resolve)); // runComposer listens once start() returned
          m.signal('SIGTERM');
          await killed;
          await vi.advanceTimersByTimeAsync(COMPOSER_GRACE_MS - 1);
          killsBeforeGrace = [...kills];
          await vi.advanceTimersByTimeAsync(1);
          killsAfterGrace = [...kills];
          return kills.includes('SIGKILL') ? { signal: 'SIGKILL' } : { exitCode: 0 };
        },
      },
      { files: { [AUTH]: ORIGINAL } },
    );
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const r = await m.run(build());
      expect(killsBeforeGrace).toEqual(['SIGTERM']);
      expect(killsAfterGrace).toEqual(['SIGTERM', 'SIGKILL']);
      expect(r.code).toBe(143);
      expect(r.stderr).toContain(`composer-secrets: composer did not stop within ${COMPOSER_GRACE_MS / 1000} s of SIGTERM; killing it\n`);
      expect(await m.fs.readFile(AUTH, 'utf8')).toBe(ORIGINAL);
    } finally {
      vi.useRealTimers();
    }
  });

  it.each([
    ['stdout', 'EPIPE', 'composer-secrets: cannot write to standard output: the program reading it has closed it\n'],
    ['stdout', 'ENOSPC', 'composer-secrets: cannot write to standard output: no space left on device\n'],
    ['stderr', 'EIO', ''],
  ] as const)('when %s fails with %s: stops composer, restores, exits 1', async (stream, code, message) => {
    let kills: readonly NodeJS.Signals[] = [];
    const m = await project(
      {
        composer: async (call, control) => {
          kills = control.kills;
          call.options.onStdout?.('some output\n');
          m.failOutput(stream, code);
          call.options.onStdout?.(`more output ${CANARY}\n`);
          return { signal: await control.killed };
        },
      },
      { files: { [AUTH]: ORIGINAL } },
    );
    const r = await m.run(build());
    expect(r.code).toBe(1);
    expect(kills).toEqual(['SIGTERM']);
    expect(r.stderr).toBe(message);
    expect(await m.fs.readFile(AUTH, 'utf8')).toBe(ORIGINAL);
    expect(await m.fs.readdir(PROJECT)).toEqual(['auth.json', 'composer.json']);
  });

  it('a command whose output fails exits 1 with one line', async () => {
    const m = await project();
    m.ctx.stdout = { write: () => m.failOutput('stdout', 'ENOSPC') };
    const r = await m.run(['plan', '--site', 'shop', '--env', 'dev', '--dir', 'project']);
    expect(r).toMatchObject({ code: 1, stderr: 'composer-secrets: cannot write to standard output: no space left on device\n' });
  });

  it('when its lock is taken over (the run was paused), stops composer, takes the lock again, restores and exits 1', async () => {
    let kills: readonly NodeJS.Signals[] = [];
    const m = await project(
      {
        composer: async (_call, control) => {
          kills = control.kills;
          await new Promise((resolve) => setImmediate(resolve));
          m.loseLocks();
          return { signal: await control.killed };
        },
      },
      { files: { [AUTH]: ORIGINAL } },
    );
    const r = await m.run(build());
    expect(r.code).toBe(1);
    expect(kills).toEqual(['SIGTERM']);
    expect(r.stderr).toBe(
      `composer-secrets: lost the lock on ${AUTH} while the build ran (it was paused for more than 5 s and another run took the lock over, or the folder was moved); composer was stopped\n`,
    );
    expect(await m.fs.readFile(AUTH, 'utf8')).toBe(ORIGINAL);
    expect(await m.fs.readdir(PROJECT)).toEqual(['auth.json', 'composer.json']);
  });

  it('when another run holds the lost lock by the time of the restore, leaves the file to it and says so', async () => {
    const m = await project(
      {
        composer: async (_call, { killed }) => {
          await new Promise((resolve) => setImmediate(resolve));
          m.loseLocks();
          return { signal: await killed };
        },
      },
      { files: { [AUTH]: ORIGINAL } },
    );
    const lock = m.ctx.lock;
    let locks = 0;
    m.ctx.lock = async (...args) => {
      locks += 1;
      if (locks === 2) throw new EnvironmentError(`${AUTH} is locked by another composer-secrets process; try again when it has finished`);
      return lock(...args);
    };
    const r = await m.run(build());
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`composer-secrets: lost the lock on ${AUTH} while the build ran`);
    expect(r.stderr).toContain(
      `  - another run holds the lock on ${AUTH} now; the journal this run left lets that run (or \`composer-secrets restore\`) put the original back\n`,
    );
    expect(await m.fs.readdir(PROJECT)).toContain('.auth.json.composer-secrets-journal');
  });

  it('when the folder is moved and then a signal comes, says both and exits 128 + n', async () => {
    const m = await project(
      {
        composer: async (_call, { killed }) => {
          await new Promise((resolve) => setImmediate(resolve));
          m.volume.renameSync(PROJECT, '/work/moved');
          m.signal('SIGHUP');
          return { signal: await killed };
        },
      },
      { files: { [AUTH]: ORIGINAL } },
    );
    const r = await m.run(build());
    expect(r).toMatchObject({
      code: 129,
      stderr: `composer-secrets: the folder ${PROJECT} was moved to /work/moved while the build ran; the original auth.json was put back there\ncomposer-secrets: interrupted by SIGHUP\n`,
    });
    expect(m.volume.readFileSync('/work/moved/auth.json', 'utf8')).toBe(ORIGINAL);
  });

  it('when the folder is moved while composer runs, puts the original back where it went and exits 1', async () => {
    const m = await project(
      {
        composer: () => {
          m.volume.renameSync(PROJECT, '/work/moved');
          return { exitCode: 0 };
        },
      },
      { files: { [AUTH]: ORIGINAL } },
    );
    const r = await m.run(build());
    expect(r).toMatchObject({
      code: 1,
      stderr: `composer-secrets: the folder ${PROJECT} was moved to /work/moved while the build ran; the original auth.json was put back there\n`,
    });
    expect(m.volume.readFileSync('/work/moved/auth.json', 'utf8')).toBe(ORIGINAL);
    expect(m.volume.readdirSync('/work/moved')).toEqual(['auth.json', 'composer.json']);
  });

  it('when the folder is removed while composer runs, says so and exits 1', async () => {
    const m = await project({
      composer: () => {
        m.volume.rmSync(PROJECT, { recursive: true });
        return { exitCode: 0 };
      },
    });
    const r = await m.run(build());
    expect(r).toMatchObject({
      code: 1,
      stderr: `composer-secrets: the folder ${PROJECT} was moved or removed while the build ran, and could not be found again: check the auth.json in it by hand\n`,
    });
  });
});

describe("the tool's own credentials", () => {
  const TOKEN = `${CANARY}-api-token`;
  it('never reach composer, git or composer config, and are masked in what composer prints', async () => {
    const envs: Array<Record<string, string>> = [];
    const m = await project(
      {
        composer: (call) => {
          envs.push(call.options.env);
          call.options.onStdout?.(call.args[0] === 'config' ? '/composer-home\n' : `token=${TOKEN}\n`);
          return { exitCode: 0 };
        },
        git: (call) => {
          envs.push(call.options.env);
          return { exitCode: 1 };
        },
      },
      { env: { COMPOSER_SECRETS_TOKEN: TOKEN }, files: { '/composer-home/.keep': '' } },
    );
    const r = await m.run(build('--auth-target', 'home'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('token=***\n');
    expect(envs).toHaveLength(2); // composer config, composer install (git is asked only for a project auth.json)
    for (const env of envs) expect(env).not.toHaveProperty('COMPOSER_SECRETS_TOKEN');
    const project2 = await project(
      {
        git: (call) => {
          envs.push(call.options.env);
          return { exitCode: 1 };
        },
      },
      { env: { COMPOSER_SECRETS_TOKEN: TOKEN } },
    );
    project2.volume.mkdirSync('/work/.git');
    envs.length = 0;
    expect((await project2.run(build())).code).toBe(0);
    expect(envs).toHaveLength(2); // git ls-files, git check-ignore
    for (const env of envs) expect(env).not.toHaveProperty('COMPOSER_SECRETS_TOKEN');
  });
});

describe('a relative COMPOSER_HOME', () => {
  it('is resolved against --dir, as composer (run there) resolves it', async () => {
    const m = await project({}, { env: { COMPOSER_HOME: 'composer-home' } });
    expect((await m.run(build('--auth-target', 'home', '--dry-run'))).stdout).toContain(
      `Credentials go to: ${PROJECT}/composer-home/auth.json`,
    );
    const asked = await project({
      composer: (call) => {
        call.options.onStdout?.('relative-home\n');
        return { exitCode: 0 };
      },
    });
    expect((await asked.run(build('--auth-target', 'home', '--dry-run'))).stdout).toContain(
      `Credentials go to: ${PROJECT}/relative-home/auth.json`,
    );
  });
});
