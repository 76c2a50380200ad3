import { describe, expect, it } from 'vitest';
import type { Scope, Secret, SourceSecretType } from '../src/model/secret.js';
import { NAME_NOT_SHOWN, type PlanInput, planBuild } from '../src/plan/build-plan.js';
import { type ResolvedSecret, resolveForEnvironment } from '../src/resolve/resolve-for-environment.js';

const s = (type: Secret['type'], scopes: Secret['scopes'], value: string): Secret => ({ type, scopes, value, overrides: {} });
/** The plan of site shop's dev environment when the site has these secrets. */
const planOfSite = (secrets: Record<string, Secret>) =>
  planBuild({ site: 'shop', environment: 'dev', resolved: resolveForEnvironment({ site: { name: 'shop', secrets }, environment: 'dev' }) });

describe('planBuild', () => {
  // Made in each test, not when the suite is collected: mutation testing sees only what tests run.
  const planned = () =>
    planOfSite({
      API_KEY: s('env', ['ic'], 'CANARY-env'),
      RUNTIME_ONLY: s('runtime', ['ic', 'web'], 'CANARY-runtime'),
      WEB_ONLY: s('env', ['web'], 'CANARY-web'),
      'bearer.127.0.0.1:8765': s('composer', ['ic'], 'CANARY-bearer'),
    });

  it('says what every secret becomes', () => {
    const { plan } = planned();
    expect(Object.fromEntries(plan.entries.map((e) => [e.name, e.action]))).toEqual({
      API_KEY: { kind: 'variable', variable: 'API_KEY' },
      RUNTIME_ONLY: { kind: 'skipped', reason: 'runtime-type', detail: expect.any(String) },
      WEB_ONLY: { kind: 'skipped', reason: 'not-in-scope', detail: expect.any(String) },
      'bearer.127.0.0.1:8765': { kind: 'auth-entry', authKind: 'bearer', host: '127.0.0.1:8765' },
    });
  });

  it('puts values only in the payload, never in the plan', () => {
    const { plan, payload } = planned();
    expect(JSON.stringify(plan)).not.toContain('CANARY');
    expect(payload.variables).toEqual({ API_KEY: 'CANARY-env' });
    expect(payload.authFile).toEqual({ bearer: { '127.0.0.1:8765': 'CANARY-bearer' } });
  });
});

describe('the values a build masks', () => {
  const planned = () =>
    planOfSite({
      API_KEY: s('env', ['ic'], 'CANARY-env'),
      'http-basic.repo.example.org': s('composer', ['ic'], 'deploy CANARY-password'),
      'custom-headers.headers.example.org': s('composer', ['ic'], 'X-Api-Key: CANARY-header\nX-Other:CANARY-other '),
      COMPOSER_AUTH: s('env', ['ic'], JSON.stringify({ bearer: { 'connect.advancedcustomfields.com': 'CANARY-in-document' } })),
    });

  it("are each value, its credential's parts, http-basic's base64(user:password) and a header's value without its name", () => {
    const { payload } = planned();
    expect([...payload.maskedValues].sort()).toEqual(
      [
        'CANARY-env',
        'deploy CANARY-password',
        'X-Api-Key: CANARY-header\nX-Other:CANARY-other ',
        'CANARY-password',
        // base64('deploy:CANARY-password'), as in a Basic Authorization header
        'ZGVwbG95OkNBTkFSWS1wYXNzd29yZA==',
        'X-Api-Key: CANARY-header',
        'X-Other:CANARY-other',
        'CANARY-header',
        'CANARY-other',
        'CANARY-in-document',
      ].sort(),
    );
  });
});

/** One resolved secret of the site, as resolveForEnvironment gives it. */
function resolvedSecret(name: string, type: Secret['type'], value: string, scopes: Secret['scopes'] = ['ic']): ResolvedSecret {
  return { name, type, scopes, value, from: { owner: { kind: 'site', name: 'shop' }, layer: 'base' }, shadowed: [] };
}

const planOf = (resolved: ResolvedSecret[], extra: Partial<PlanInput> = {}) =>
  planBuild({ site: 'shop', environment: 'dev', resolved, ...extra });

describe('planBuild: variables a secret may not set', () => {
  // The README's list ("Variables a secret may not set"), written out so that a name
  // dropped from the code's list fails here.
  const refused = [
    'PATH',
    'HOME',
    'SHELL',
    'IFS',
    'ENV',
    'BASH_ENV',
    'CDPATH',
    'PS4',
    'TMPDIR',
    'NODE_OPTIONS',
    'PHPRC',
    'PHP_INI_SCAN_DIR',
    'COMPOSER',
    'COMPOSER_HOME',
    'COMPOSER_CACHE_DIR',
    'COMPOSER_BINARY',
    'COMPOSER_VENDOR_DIR',
    'COMPOSER_BIN_DIR',
    'GIT_DIR',
    'GIT_SSH',
    'GIT_SSH_COMMAND',
    'GIT_EXEC_PATH',
    'GIT_CONFIG_GLOBAL',
    'GIT_CONFIG_SYSTEM',
    'LD_PRELOAD',
    'LD_LIBRARY_PATH',
    'DYLD_INSERT_LIBRARIES',
    'LD_',
  ];

  it.each(refused)('%s is refused: a problem naming the secret, and no variable', (name) => {
    const { plan, payload } = planOf([resolvedSecret(name, 'env', 'CANARY-refused'), resolvedSecret('OK', 'env', 'fine')]);
    expect(plan.problems).toEqual([
      `secret '${name}': ${name} changes how the build itself runs, so a secret may not set it (see "Variables" in the README)`,
    ]);
    expect(payload.variables).toEqual({ OK: 'fine' });
  });

  it('names that only look like them are set: other case, other prefix or suffix', () => {
    const names = ['path', 'PATH_EXTRA', 'MY_PATH', 'XLD_PRELOAD', 'ld_preload', 'DYLD', 'COMPOSER_PROCESS_TIMEOUT', 'GIT_AUTHOR_NAME'];
    const { plan, payload } = planOf(names.map((name) => resolvedSecret(name, 'env', `v-${name}`)));
    expect(plan.problems).toEqual([]);
    expect(Object.keys(payload.variables).sort()).toEqual([...names].sort());
  });

  it('a refused name that is not in the build scope or a runtime secret is no problem', () => {
    const { plan } = planOf([resolvedSecret('PATH', 'env', 'x', ['web']), resolvedSecret('HOME', 'runtime', 'y', ['ic'])]);
    expect(plan.problems).toEqual([]);
  });
});

describe('planBuild: the plan and the payload', () => {
  it('passes site, environment and organization through; without an auth state the target is the project with no file', () => {
    const { plan } = planOf([], { organization: 'acme' });
    expect(plan).toEqual({
      site: 'shop',
      environment: 'dev',
      organization: 'acme',
      entries: [],
      auth: { target: 'project', file: undefined },
      composer: { version: undefined, from: 'none', detail: 'not looked for' },
      problems: [],
      warnings: [],
    });
  });

  it('an env secret named COMPOSER_AUTH is merged into the auth document, not exported', () => {
    const { plan, payload } = planOf([
      resolvedSecret('COMPOSER_AUTH', 'env', JSON.stringify({ bearer: { 'doc.example.org': 'doc-token' } })),
      resolvedSecret('bearer.repo.example.org', 'composer', 'repo-token'),
    ]);
    expect(plan.entries.map((e) => e.action)).toEqual([
      { kind: 'auth-document' },
      { kind: 'auth-entry', authKind: 'bearer', host: 'repo.example.org' },
    ]);
    expect(payload.variables).toEqual({});
    expect(payload.authFile).toEqual({ bearer: { 'doc.example.org': 'doc-token', 'repo.example.org': 'repo-token' } });
  });

  it('a composer secret outside the build scope is skipped and not written', () => {
    const { plan, payload } = planOf([resolvedSecret('bearer.repo.example.org', 'composer', 'repo-token', ['web'])]);
    expect(plan.entries[0]?.action).toMatchObject({ kind: 'skipped', reason: 'not-in-scope' });
    expect(payload.authFile).toBeUndefined();
    expect(payload.maskedValues).toEqual([]);
  });

  it('auth-entry splits the name at the first dot: kinds have none, hosts do', () => {
    const { plan } = planOf([resolvedSecret('http-basic.a.b.example.org:8443', 'composer', 'u p')]);
    expect(plan.entries[0]?.action).toEqual({ kind: 'auth-entry', authKind: 'http-basic', host: 'a.b.example.org:8443' });
  });

  it('a variable the caller also has gets a note; others do not', () => {
    const { plan, payload } = planOf([resolvedSecret('API_KEY', 'env', 'k'), resolvedSecret('OTHER', 'env', 'o')], {
      callerVariables: new Set(['API_KEY', 'UNRELATED']),
    });
    expect(Object.fromEntries(plan.entries.map((e) => [e.name, e.notes]))).toEqual({
      API_KEY: ['replaces the API_KEY variable of the calling environment'],
      OTHER: [],
    });
    expect(payload.variables).toEqual({ API_KEY: 'k', OTHER: 'o' });
  });

  it("entries keep type, scopes and provenance, and carry the auth plan's notes", () => {
    const shadowed = [{ owner: { kind: 'org' as const, name: 'acme' }, layer: 'base' as const }];
    const secret = { ...resolvedSecret('bearer.repo.example.org', 'composer', 'new-token', ['ic', 'web']), shadowed };
    const { plan } = planOf([secret], {
      auth: {
        target: 'project',
        file: '/p/auth.json',
        existing: { bearer: { 'repo.example.org': 'old' } },
        projectFile: undefined,
        callerComposerAuth: undefined,
      },
    });
    expect(plan.auth).toEqual({ target: 'project', file: '/p/auth.json' });
    expect(plan.entries[0]).toEqual({
      name: 'bearer.repo.example.org',
      type: 'composer',
      scopes: ['ic', 'web'],
      from: { owner: { kind: 'site', name: 'shop' }, layer: 'base' },
      shadowed,
      action: { kind: 'auth-entry', authKind: 'bearer', host: 'repo.example.org' },
      notes: ['replaces the bearer entry for repo.example.org in /p/auth.json'],
    });
  });

  it("problems: refused variables first, then the auth plan's; warnings are the auth plan's", () => {
    const { plan } = planOf([
      resolvedSecret('PATH', 'env', '/x'),
      resolvedSecret('bearer.bad.example.org', 'composer', ''),
      resolvedSecret('github-oauth.github.com', 'composer', 'gh-token'),
    ]);
    expect(plan.problems).toHaveLength(2);
    expect(plan.problems[0]).toMatch(/^secret 'PATH': /);
    expect(plan.problems[1]).toMatch(/^secret 'bearer\.bad\.example\.org': /);
    expect(plan.warnings).toEqual([expect.stringMatching(/^secret 'github-oauth\.github\.com': the token holds '-'/)]);
  });

  it('masks every used value and each part of an auth entry but the username; skipped values are not needed', () => {
    const { payload } = planOf([
      resolvedSecret('API_KEY', 'env', 'env-value'),
      resolvedSecret('http-basic.repo.example.org', 'composer', 'deploy pass word'),
      resolvedSecret('custom-headers.h.example.org', 'composer', 'X-One: first\nX-Two: second'),
      resolvedSecret('RUNTIME', 'runtime', 'runtime-value'),
      resolvedSecret('WEB', 'env', 'web-value', ['web']),
    ]);
    expect([...payload.maskedValues].sort()).toEqual(
      // base64('deploy:pass word'): the Basic Authorization form; a header's value also without its name
      [
        'env-value',
        'deploy pass word',
        'X-One: first\nX-Two: second',
        'pass word',
        'ZGVwbG95OnBhc3Mgd29yZA==',
        'X-One: first',
        'X-Two: second',
        'first',
        'second',
      ].sort(),
    );
  });
});

describe('planBuild: masking an entry with numbers', () => {
  it('masks the token and refresh token of a gitlab-oauth entry, not its expiry time', () => {
    const value = '{"token": "tok", "refresh-token": "ref", "expires-at": 1700000000}';
    const { payload } = planOf([resolvedSecret('gitlab-oauth.gitlab.example.org', 'composer', value)]);
    expect([...payload.maskedValues].sort()).toEqual([value, 'ref', 'tok'].sort());
  });
});

describe('planBuild: secrets read liberally from other sources', () => {
  /** A resolved secret whose value may not be shown, as resolution hands it on. */
  const seen = (
    name: string,
    type: SourceSecretType,
    value: string | null,
    scopes: Scope[] = ['ic'],
    shownAs?: string,
  ): ResolvedSecret<string | null> => ({
    name,
    type,
    scopes,
    value,
    from: { owner: { kind: 'site', name: 'shop' }, layer: 'base' },
    shadowed: [],
    ...(shownAs === undefined ? {} : { shownAs }),
  });
  const planOfSeen = (resolved: ResolvedSecret<string | null>[]) => planBuild({ site: 'shop', environment: 'dev', resolved });
  const HIDDEN_ADVICE =
    "the source shows no value for it (hidden from whoever read it, or never set): read the secrets where ic values are visible (the platform's build, with --source pantheon and its token), or recreate the secret with --scope including user so people can read it";

  it('skips what a build never uses, whatever its value or name: runtime, file and vcs types, secrets outside ic', () => {
    const { plan, payload } = planOfSeen([
      seen('a b', 'runtime', null, ['ic'], 'Secrets.(1st key)'),
      seen('file.json', 'file', 'CANARY-file'),
      seen('c d', 'vcs', null, ['ic'], 'Secrets.(3rd key)'),
      seen('e f', 'env', null, ['web', 'user'], 'Secrets.(4th key)'),
      seen('g.h', 'composer', 'CANARY-web', ['web']),
    ]);
    expect(plan.problems).toEqual([]);
    expect(plan.entries.map((e) => [e.shownAs ?? e.name, e.action])).toEqual([
      [
        'Secrets.(1st key)',
        { kind: 'skipped', reason: 'runtime-type', detail: 'runtime secrets are read by the application, never by a build' },
      ],
      ['file.json', { kind: 'skipped', reason: 'legacy-type', detail: 'file is an early secret type that builds never apply' }],
      ['Secrets.(3rd key)', { kind: 'skipped', reason: 'legacy-type', detail: 'vcs is an early secret type that builds never apply' }],
      ['Secrets.(4th key)', { kind: 'skipped', reason: 'not-in-scope', detail: 'not in the ic scope, so builds cannot read it' }],
      // Not a variable, not <kind>.<host>: shown by position even though skipped.
      [NAME_NOT_SHOWN, { kind: 'skipped', reason: 'not-in-scope', detail: 'not in the ic scope, so builds cannot read it' }],
    ]);
    expect(payload).toEqual({ variables: {}, authFile: undefined, composerAuth: undefined, fromSecrets: {}, maskedValues: [] });
  });

  it('refuses a secret the build uses whose value is not shown, naming it and saying what to do; the rest is planned', () => {
    const { plan, payload } = planOfSeen([
      seen('ACF_PRO_KEY', 'env', null),
      seen('COMPOSER_AUTH', 'env', null),
      seen('github-oauth.github.com', 'composer', null),
      seen('OK', 'env', 'fine'),
    ]);
    expect(plan.problems).toEqual([
      `secret 'ACF_PRO_KEY': the build uses it (env type, ic scope), but ${HIDDEN_ADVICE}`,
      `secret 'COMPOSER_AUTH': the build uses it (env type, ic scope), but ${HIDDEN_ADVICE}`,
      `secret 'github-oauth.github.com': the build uses it (composer type, ic scope), but ${HIDDEN_ADVICE}`,
    ]);
    expect(plan.entries.map((e) => e.action)).toEqual([
      ...Array.from({ length: 3 }, () => ({
        kind: 'unusable',
        reason: 'no-value-shown',
        detail: 'the source shows no value for it (hidden from whoever read it, or never set)',
      })),
      { kind: 'variable', variable: 'OK' },
    ]);
    expect(payload).toEqual({
      variables: { OK: 'fine' },
      authFile: undefined,
      composerAuth: undefined,
      fromSecrets: {},
      maskedValues: ['fine'],
    });
  });

  it('refuses a secret the build uses whose name breaks its type’s rules, by where it was read, never quoted', () => {
    const { plan, payload } = planOfSeen([
      seen('ghp_CANARY-not-a-variable', 'env', 'v', ['ic'], 'Secrets.(1st key)'),
      seen('github-oauth', 'composer', 'CANARY-token', ['ic'], '(2nd key)'),
      // A library caller that did not say where: still not quoted. Checked before the value.
      seen('CANARY name', 'env', null),
    ]);
    expect(plan.problems).toEqual([
      "the secret at Secrets.(1st key): the build uses it (env type, ic scope), but an env secret's name must match ^[A-Za-z_][A-Za-z0-9_]*$ (it becomes a variable name): recreate it under a valid name",
      expect.stringMatching(
        /^the secret at \(2nd key\): the build uses it \(composer type, ic scope\), but a composer secret is named <kind>\.<host> \(kinds: .*\): recreate it under a valid name$/,
      ),
      `the secret at ${NAME_NOT_SHOWN}: the build uses it (env type, ic scope), but a secret name is 1-255 letters, digits, or _ . : - (not starting with . : -): recreate it under a valid name`,
    ]);
    expect(plan.entries.map((e) => [e.shownAs, e.action.kind])).toEqual([
      ['Secrets.(1st key)', 'unusable'],
      ['(2nd key)', 'unusable'],
      [NAME_NOT_SHOWN, 'unusable'],
    ]);
    expect(JSON.stringify(plan.problems)).not.toContain('CANARY');
    expect(payload.maskedValues).toEqual([]);
  });

  it('a name that fits is shown as it is, whatever the source said', () => {
    expect(planOfSeen([seen('API_KEY', 'env', 'v', ['ic'], 'Secrets.(1st key)')]).plan.entries[0]?.shownAs).toBeUndefined();
  });
});
