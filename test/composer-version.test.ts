// The rules that depend on the running Composer's version (reference: composer-auth.md, measured
// with real 2.5.5, 2.7.7, 2.7.8, 2.9.8, 2.10.2), and how the version is learned. Only Debian's
// 2.5.5 is installed here: the other versions are stand-ins (files laid out as each release
// ships, or a program answering --version as each does).
import { describe, expect, it } from 'vitest';
import { credentialFromSecret } from '../src/model/composer-credential.js';
import { COMPOSER_KINDS, type ComposerKind, LATER_KINDS } from '../src/model/composer-kinds.js';
import { composerName, composerRules, formatComposerVersion, isAtLeast, parseComposerVersion } from '../src/model/composer-version.js';
import { type AuthTargetState, planAuth } from '../src/plan/auth-plan.js';
import { learnComposerVersion, versionConstantIn, versionInAnswer } from '../src/run/composer-version.js';
import { COMPOSER_PATH, memoryContext } from './support/memory-context.js';

const rulesOf = (text: string) => composerRules(parseComposerVersion(text));

describe('composer versions', () => {
  it('parses X.Y.Z and X.Y.Z+debian, nothing else', () => {
    expect(parseComposerVersion('2.10.2')).toEqual({ major: 2, minor: 10, patch: 2, debian: false });
    expect(parseComposerVersion('2.5.5+debian')).toEqual({ major: 2, minor: 5, patch: 5, debian: true });
    for (const bad of ['2.9', '2.9.8-dev', 'v2.9.8', ' 2.9.8', '2.9.8 ', '@package_version@', 'd3873a05650e'])
      expect(parseComposerVersion(bad)).toBeUndefined();
    expect(formatComposerVersion({ major: 2, minor: 7, patch: 8, debian: false })).toBe('2.7.8');
  });

  it('compares versions part by part', () => {
    const v = parseComposerVersion('2.7.8') ?? expect.unreachable('2.7.8 did not parse');
    expect([isAtLeast(v, 2, 7, 8), isAtLeast(v, 2, 7, 7), isAtLeast(v, 2, 6, 9), isAtLeast(v, 1, 99, 99)]).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect([isAtLeast(v, 2, 7, 9), isAtLeast(v, 2, 8, 0), isAtLeast(v, 3, 0, 0)]).toEqual([false, false, false]);
  });

  it("takes '-' in GitHub tokens only from Debian's 2.5.5 among the Debian packages (the one measured)", () => {
    for (const other of ['1.5.5+debian', '2.4.5+debian', '2.5.4+debian', '2.5.6+debian'])
      expect(composerRules(parseComposerVersion(other)).githubToken).toBe('word');
  });

  it('names the Composer in messages, or says its version is not known', () => {
    expect(composerName(composerRules(parseComposerVersion('2.9.8')))).toBe('Composer 2.9.8');
    expect(composerName(composerRules(undefined))).toBe('Composer (version not known)');
  });

  it.each([
    ['2.5.5', 'word', false, false],
    ['2.5.5+debian', 'word-and-dash', false, false],
    ['2.7.7', 'word', false, false],
    ['2.7.8', 'word', true, false],
    ['2.9.0', 'word', true, true],
    ['2.9.7', 'word', true, true],
    ['2.9.8', 'word-and-dash', true, true],
    ['2.10.0', 'any', true, true],
    ['2.10.2', 'any', true, true],
  ])('Composer %s: github tokens %s, COMPOSER_AUTH wins %s, custom-headers replaces %s', (version, github, authWins, headers) => {
    const rules = rulesOf(version);
    expect(rules).toEqual({
      version,
      githubToken: github,
      ignoredKinds: headers ? [] : ['forgejo-token', 'custom-headers', 'client-certificate'],
      composerAuthWins: authWins,
      customHeadersReplace: headers,
    });
  });

  it('a kind is ignored exactly before the release its descriptor names as `since`, and only such kinds', () => {
    expect(LATER_KINDS).toEqual(['forgejo-token', 'custom-headers', 'client-certificate']);
    for (const [kind, descriptor] of Object.entries(COMPOSER_KINDS) as [string, ComposerKind][]) {
      const since = descriptor.since;
      if (since === undefined) {
        expect(rulesOf('2.0.0').ignoredKinds).not.toContain(kind);
        continue;
      }
      const before = since.patch > 0 ? `${since.major}.${since.minor}.${since.patch - 1}` : `${since.major}.${since.minor - 1}.99`;
      expect(rulesOf(before).ignoredKinds).toContain(kind);
      expect(rulesOf(`${since.major}.${since.minor}.${since.patch}`).ignoredKinds).not.toContain(kind);
    }
  });

  it('Debian versions other than the measured 2.5.5 follow upstream', () => {
    expect(rulesOf('2.7.1+debian').githubToken).toBe('word');
    expect(rulesOf('2.5.4+debian').githubToken).toBe('word');
    expect(rulesOf('2.4.5+debian').githubToken).toBe('word');
  });
});

describe('github-oauth tokens per version', () => {
  const token = (value: string, version: string) => credentialFromSecret('github-oauth.github.com', value, rulesOf(version));
  it("refuses '-' where the running Composer does (upstream before 2.9.8), naming the secret, never the token", () => {
    const result = token('ghp-CANARY', '2.7.7');
    expect(result).toEqual({
      ok: false,
      problem:
        "secret 'github-oauth.github.com': the token holds characters Composer 2.7.7 refuses in a github-oauth token (it allows letters, digits, '.' and '_'; Composer 2.10 and later accept any)",
    });
  });
  it("accepts '-' without a word on Debian's 2.5.5 and on 2.9.8", () => {
    expect(token('ghp-CANARY', '2.5.5+debian')).toMatchObject({ ok: true, warnings: [] });
    expect(token('ghp-CANARY', '2.9.8')).toMatchObject({ ok: true, warnings: [] });
    expect(token('ghp+CANARY', '2.9.8')).toEqual({
      ok: false,
      problem:
        "secret 'github-oauth.github.com': the token holds characters Composer 2.9.8 refuses in a github-oauth token (it allows letters, digits, '.', '_' and '-'; Composer 2.10 and later accept any)",
    });
  });
  it('accepts any token Composer 2.10 takes (new formats), still refusing a space, which no header can carry', () => {
    expect(token('ghs_CANARY/+=~-x', '2.10.0')).toMatchObject({ ok: true, warnings: [] });
    expect(token('ghs_CANARY more', '2.10.0')).toMatchObject({ ok: false });
  });
});

const FILE = '/work/project/auth.json';
function state(overrides: Partial<AuthTargetState> = {}): AuthTargetState {
  return { target: 'project', file: FILE, existing: undefined, projectFile: undefined, callerComposerAuth: undefined, ...overrides };
}
const bearer = { name: 'bearer.repo.example.org', value: 'tok-CANARY' };

describe('kinds Composer before 2.9 ignores', () => {
  it('refuses custom-headers and forgejo-token secrets on 2.5.5, with the reason', () => {
    const plan = planAuth({
      credentials: [
        { name: 'custom-headers.repo.example.org', value: 'X-Api-Key: CANARY' },
        { name: 'forgejo-token.git.example.org', value: 'ci CANARY' },
      ],
      authDocumentSecret: undefined,
      state: state(),
      rules: rulesOf('2.5.5+debian'),
    });
    expect(plan.problems).toEqual([
      "secret 'forgejo-token.git.example.org': Composer 2.5.5+debian ignores forgejo-token entries without a word (Composer reads them from 2.9.0): nothing would be sent for git.example.org and the install would fail later; use http-basic with the same username and token, or run Composer 2.9 or later",
      "secret 'custom-headers.repo.example.org': Composer 2.5.5+debian ignores custom-headers entries without a word (Composer reads them from 2.9.0): nothing would be sent for repo.example.org and the install would fail later; use bearer (an Authorization header) or http-basic, or run Composer 2.9 or later",
    ]);
  });
  it('accepts them on 2.9, and warns when the version is not known', () => {
    const input = {
      credentials: [{ name: 'custom-headers.repo.example.org', value: 'X-Api-Key: CANARY' }],
      authDocumentSecret: undefined,
      state: state(),
    };
    expect(planAuth({ ...input, rules: rulesOf('2.9.0') })).toMatchObject({ problems: [], warnings: [] });
    const unknown = planAuth(input);
    expect(unknown.problems).toEqual([]);
    expect(unknown.warnings).toEqual([
      "secret 'custom-headers.repo.example.org': Composer before 2.9 ignores custom-headers entries without a word (nothing is sent for repo.example.org); name the Composer with --composer-version to check",
    ]);
  });
});

describe('--auth-target env: refused only where the secret would really lose', () => {
  const projectFile = { bearer: { 'repo.example.org': 'other' } };
  const env = (rules: string, overrides: Partial<AuthTargetState>) =>
    planAuth({
      credentials: [bearer],
      authDocumentSecret: undefined,
      state: state({ target: 'env', file: undefined, ...overrides }),
      rules: rulesOf(rules),
    });
  it('up to 2.7.7 the project auth.json wins: refused', () => {
    expect(env('2.7.7', { projectFile }).problems).toEqual([
      "the project's auth.json has credentials for repo.example.org, which Composer 2.7.7 prefers over COMPOSER_AUTH (only 2.7.8 and later prefer COMPOSER_AUTH), so secret 'bearer.repo.example.org' would lose; use --auth-target project (merges into auth.json) or remove that entry",
    ]);
  });
  it("credentials in composer.json's config count too", () => {
    expect(env('2.5.5+debian', { composerJsonConfig: projectFile }).problems).toEqual([
      "composer.json's config has credentials for repo.example.org, which Composer 2.5.5+debian prefers over COMPOSER_AUTH (only 2.7.8 and later prefer COMPOSER_AUTH), so secret 'bearer.repo.example.org' would lose; use --auth-target project (merges into auth.json) or remove that entry",
    ]);
  });
  it('from 2.7.8 COMPOSER_AUTH wins: allowed, and the document goes to COMPOSER_AUTH', () => {
    const plan = env('2.7.8', { projectFile, composerJsonConfig: projectFile });
    expect(plan.problems).toEqual([]);
    expect(plan.composerAuth).toEqual({ bearer: { 'repo.example.org': 'tok-CANARY' } });
  });
  it('other hosts are no problem on any version', () => {
    expect(env('2.5.5', { projectFile: { bearer: { 'other.example.org': 'x' } } }).problems).toEqual([]);
  });
  it('the home target loses to the project auth.json and composer.json on every version', () => {
    const plan = planAuth({
      credentials: [bearer],
      authDocumentSecret: undefined,
      state: state({ target: 'home', projectFile }),
      rules: rulesOf('2.10.2'),
    });
    expect(plan.problems).toEqual([
      "the project's auth.json has credentials for repo.example.org, which every Composer prefers over the global auth.json, so secret 'bearer.repo.example.org' would lose; use --auth-target project (merges into auth.json) or remove that entry",
    ]);
  });
});

describe('custom-headers replaces every other kind for its host from 2.9', () => {
  const headers = { 'custom-headers': { 'repo.example.org': ['X-Api-Key: other'] } };
  const withGlobal = (rules: string | undefined) =>
    planAuth({
      credentials: [bearer],
      authDocumentSecret: undefined,
      state: state({ globalFile: headers }),
      rules: rules === undefined ? undefined : rulesOf(rules),
    });
  it('on 2.9.8 the plan says the secret is replaced', () => {
    const text =
      'the custom-headers entry for repo.example.org in the global auth.json replaces it: Composer 2.9.8 applies custom-headers last, over every other credential for its host; remove that entry, or make this secret a custom-headers one';
    const plan = withGlobal('2.9.8');
    expect(plan.warnings).toEqual([`secret 'bearer.repo.example.org': ${text}`]);
    expect(plan.notes.get('bearer.repo.example.org')).toEqual([text]);
  });
  it('before 2.9 custom-headers is ignored, so nothing is said; not known: said for 2.9 and later', () => {
    expect(withGlobal('2.7.8').warnings).toEqual([]);
    expect(withGlobal(undefined).warnings[0]).toContain('Composer 2.9 and later applies custom-headers last');
  });
});

describe('learning the version', () => {
  const PHAR_HEAD =
    "#!/usr/bin/env php\n<?php\nPhar::mapPhar('composer.phar');\nrequire 'phar://composer.phar/bin/composer';\n__HALT_COMPILER(); ?>\r\n";
  it('reads the version constant of class Composer, not a commented one or another class', () => {
    const source =
      "<?php\nclass Other\n{\nconst VERSION = '9.9.9';\n}\n/**\n * const VERSION = '1.8.2';\n */\nclass Composer\n{\n    public const VERSION = '2.9.8';\n";
    expect(versionConstantIn(source)).toBe('2.9.8');
    expect(versionConstantIn("<?php\nconst VERSION = '2.9.8';\n")).toBeUndefined();
    expect(versionInAnswer('Composer version 2.10.2 2025-10-01 10:00:00\nPHP version 8.2.29')).toBe('2.10.2');
    expect(versionInAnswer('Composer 2.10-dev+abc')).toBeUndefined();
  });

  it("Debian's package: read from /usr/share/php/Composer/Composer.php, no composer run", async () => {
    const m = memoryContext();
    expect(await learnComposerVersion(m.ctx, { flag: undefined, composer: undefined, dir: '/work' })).toEqual({
      version: { major: 2, minor: 5, patch: 5, debian: true },
      from: 'installed files',
      detail: '/usr/share/php/Composer/Composer.php',
    });
    expect(m.calls).toEqual([]);
  });

  it('a phar (stand-in of composer.phar 2.10.2: files stored uncompressed, whitespace stripped) is read, not run', async () => {
    const phar = `${PHAR_HEAD}\u0000\u0001src/Composer/Composer.php\u0000<?php\nnamespace Composer;\nclass Composer\n{\npublic const VERSION = '2.10.2';\npublic const BRANCH_ALIAS_VERSION = '';\n`;
    const m = memoryContext({ files: { '/opt/composer.phar': phar } });
    await m.ctx.fs.chmod('/opt/composer.phar', 0o755);
    expect(await learnComposerVersion(m.ctx, { flag: undefined, composer: '/opt/composer.phar', dir: '/work' })).toMatchObject({
      version: { major: 2, minor: 10, patch: 2, debian: false },
      from: 'installed files',
    });
  });

  it('a program whose files do not tell (a wrapper, a dev build) is asked: --version, once', async () => {
    const m = memoryContext({
      files: { '/opt/stand-in/composer': '#!/bin/sh\nexec php /opt/composer.phar "$@"\n' },
      programs: {
        composer: (call) => {
          call.options.onStdout?.('Composer version 2.7.8 2024-08-22 15:28:36\n');
          return { exitCode: 0 };
        },
      },
    });
    await m.ctx.fs.chmod('/opt/stand-in/composer', 0o755);
    expect(await learnComposerVersion(m.ctx, { flag: undefined, composer: '/opt/stand-in/composer', dir: '/work' })).toEqual({
      version: { major: 2, minor: 7, patch: 8, debian: false },
      from: 'composer --version',
      detail: '/opt/stand-in/composer --version',
    });
    expect(m.calls.map((c) => c.args)).toEqual([['--version', '--no-ansi', '--no-interaction', '--no-plugins']]);
  });

  it('no composer, or one that does not say: not known', async () => {
    const m = memoryContext({ env: { PATH: '/nowhere' }, files: { '/opt/mute/composer': '#!/bin/sh\n' } });
    await m.ctx.fs.chmod('/opt/mute/composer', 0o755);
    expect(await learnComposerVersion(m.ctx, { flag: undefined, composer: undefined, dir: '/work' })).toMatchObject({
      version: undefined,
      from: 'none',
    });
    expect(await learnComposerVersion(m.ctx, { flag: undefined, composer: '/opt/mute/composer', dir: '/work' })).toMatchObject({
      version: undefined,
      from: 'none',
    });
  });

  it('--composer-version overrides; a bad one is exit 2 without repeating it', async () => {
    const m = memoryContext();
    expect(await learnComposerVersion(m.ctx, { flag: '2.10.2', composer: undefined, dir: '/work' })).toMatchObject({
      version: { major: 2, minor: 10, patch: 2 },
      from: 'flag',
    });
    await expect(learnComposerVersion(m.ctx, { flag: 'CANARY', composer: undefined, dir: '/work' })).rejects.toThrow(
      "--composer-version: give a release as X.Y.Z (e.g. 2.9.8), or X.Y.Z+debian for Debian's package",
    );
    expect(COMPOSER_PATH).toBe('/usr/bin/composer');
  });
});
