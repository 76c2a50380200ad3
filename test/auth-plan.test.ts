// planAuth: composer secrets and a COMPOSER_AUTH secret become one auth document, merged
// over what the target already holds, with a note on the secret for every entry it replaces.
import { describe, expect, it } from 'vitest';
import type { AuthDocument } from '../src/model/composer-kinds.js';
import { type AuthTargetState, planAuth } from '../src/plan/auth-plan.js';
import type { ResolvedSecret } from '../src/resolve/resolve-for-environment.js';

const FILE = '/work/project/auth.json';

function state(overrides: Partial<AuthTargetState> = {}): AuthTargetState {
  return { target: 'project', file: FILE, existing: undefined, projectFile: undefined, callerComposerAuth: undefined, ...overrides };
}

function composerAuthSecret(document: unknown): ResolvedSecret {
  return {
    name: 'COMPOSER_AUTH',
    type: 'env',
    scopes: ['ic'],
    value: typeof document === 'string' ? document : JSON.stringify(document),
    from: { owner: { kind: 'site', name: 'shop' }, layer: 'base' },
    shadowed: [],
  };
}

const bearer = { name: 'bearer.repo.example.org', value: 'new-token' };
const notesOf = (plan: ReturnType<typeof planAuth>) => Object.fromEntries(plan.notes);

describe('planAuth: what is written', () => {
  it("no credentials: no file, and the caller's COMPOSER_AUTH is left as it is", () => {
    const plan = planAuth({
      credentials: [],
      authDocumentSecret: composerAuthSecret({}),
      state: state({ existing: { bearer: { 'repo.example.org': 'old' } }, callerComposerAuth: { bearer: { 'x.example.org': 'c' } } }),
    });
    expect(plan).toMatchObject({
      target: 'project',
      file: undefined,
      authFile: undefined,
      composerAuth: undefined,
      problems: [],
      warnings: [],
    });
    expect(plan.fromSecrets).toEqual({});
  });

  it('no credentials with the env target: no COMPOSER_AUTH either', () => {
    const plan = planAuth({ credentials: [], authDocumentSecret: undefined, state: state({ target: 'env', file: undefined }) });
    expect(plan).toMatchObject({ target: 'env', file: undefined, authFile: undefined, composerAuth: undefined });
  });

  it('project target with no file there: the document from the secrets, at the target file', () => {
    const plan = planAuth({
      credentials: [bearer, { name: 'http-basic.other.example.org', value: 'deploy pass word' }],
      authDocumentSecret: undefined,
      state: state(),
    });
    const expected = {
      'http-basic': { 'other.example.org': { username: 'deploy', password: 'pass word' } },
      bearer: { 'repo.example.org': 'new-token' },
    };
    expect(plan).toMatchObject({ target: 'project', file: FILE, problems: [], warnings: [], composerAuth: undefined });
    expect(plan.authFile).toEqual(expected);
    expect(plan.fromSecrets).toEqual(expected);
    expect(plan.notes.size).toBe(0);
  });

  it('over an existing file: the same kind is replaced, other hosts and unknown keys are kept', () => {
    const existing = {
      bearer: { 'repo.example.org': 'old-token', 'keep.example.org': 'kept' },
      'github-oauth': { 'github.com': 'ghtoken' },
      'x-future-setting': { 'repo.example.org': true },
      'x-flag': 'on',
    } as AuthDocument;
    const plan = planAuth({ credentials: [bearer], authDocumentSecret: undefined, state: state({ existing }) });
    expect(plan.authFile).toEqual({
      bearer: { 'repo.example.org': 'new-token', 'keep.example.org': 'kept' },
      'github-oauth': { 'github.com': 'ghtoken' },
      'x-future-setting': { 'repo.example.org': true },
      'x-flag': 'on',
    });
    expect(notesOf(plan)).toEqual({ 'bearer.repo.example.org': [`replaces the bearer entry for repo.example.org in ${FILE}`] });
    expect(existing.bearer).toEqual({ 'repo.example.org': 'old-token', 'keep.example.org': 'kept' });
  });

  // Composer keeps one credential per host: an http-basic entry left beside our bearer one
  // could be the one it uses, and then the secret would silently lose.
  it("over an existing file: another kind's entry for the same host is dropped, with a note", () => {
    const existing: AuthDocument = {
      'http-basic': {
        'repo.example.org': { username: 'old', password: 'old-pass' },
        'other.example.org': { username: 'u', password: 'p' },
      },
      'gitlab-token': { 'repo.example.org': 'old-gitlab' },
    };
    const plan = planAuth({
      credentials: [{ name: 'http-basic.basic.example.org', value: 'u p' }, bearer],
      authDocumentSecret: undefined,
      state: state({ existing }),
    });
    // gitlab-token held only that host, so the kind goes; http-basic keeps its other host.
    expect(plan.authFile).toEqual({
      'http-basic': { 'other.example.org': { username: 'u', password: 'p' }, 'basic.example.org': { username: 'u', password: 'p' } },
      bearer: { 'repo.example.org': 'new-token' },
    });
    expect(notesOf(plan)).toEqual({
      'bearer.repo.example.org': [
        `replaces the http-basic entry for repo.example.org in ${FILE} (Composer keeps one credential per host)`,
        `replaces the gitlab-token entry for repo.example.org in ${FILE} (Composer keeps one credential per host)`,
      ],
    });
    expect(plan.problems).toEqual([]);
  });

  it('an entry of the COMPOSER_AUTH secret replacing one in the file: the note goes to that secret', () => {
    const plan = planAuth({
      credentials: [],
      authDocumentSecret: composerAuthSecret({ bearer: { 'doc.example.org': 'doc-token' } }),
      state: state({
        file: undefined,
        existing: { 'http-basic': { 'doc.example.org': { username: 'u', password: 'p' } }, bearer: { 'doc.example.org': 'old' } },
      }),
    });
    expect(plan.authFile).toEqual({ bearer: { 'doc.example.org': 'doc-token' } });
    // Without a file name the note says auth.json.
    expect(notesOf(plan)).toEqual({
      COMPOSER_AUTH: [
        'replaces the http-basic entry for doc.example.org in auth.json (Composer keeps one credential per host)',
        'replaces the bearer entry for doc.example.org in auth.json',
      ],
    });
  });

  it('the home target writes its file like the project target', () => {
    const plan = planAuth({
      credentials: [bearer],
      authDocumentSecret: undefined,
      state: state({ target: 'home', file: '/home/dev/.composer/auth.json' }),
    });
    expect(plan).toMatchObject({
      target: 'home',
      file: '/home/dev/.composer/auth.json',
      authFile: { bearer: { 'repo.example.org': 'new-token' } },
    });
  });
});

describe('planAuth: documents a library caller did not validate', () => {
  it('a kind holding no host map is left as it is, not walked', () => {
    const existing = {
      bearer: null,
      'github-oauth': 'text',
      'gitlab-token': ['0'],
      'http-basic': { '0': { username: 'u', password: 'p' } },
    } as unknown as AuthDocument;
    const plan = planAuth({
      credentials: [{ name: 'bearer.0', value: 'zero' }],
      authDocumentSecret: undefined,
      state: state({ existing }),
    });
    expect(plan.authFile).toEqual({ bearer: { '0': 'zero' }, 'github-oauth': 'text', 'gitlab-token': ['0'] });
    expect(notesOf(plan)).toEqual({
      'bearer.0': [`replaces the http-basic entry for 0 in ${FILE} (Composer keeps one credential per host)`],
    });
  });
});

describe("planAuth: the caller's COMPOSER_AUTH", () => {
  const caller: AuthDocument = {
    'http-basic': { 'repo.example.org': { username: 'ci', password: 'ci-pass' } },
    bearer: { 'keep.example.org': 'caller-token', 'repo.example.org': 'caller-old' },
  };

  it('is passed on with the secrets merged over it, other kinds for their hosts dropped', () => {
    const plan = planAuth({ credentials: [bearer], authDocumentSecret: undefined, state: state({ callerComposerAuth: caller }) });
    expect(plan.composerAuth).toEqual({ bearer: { 'keep.example.org': 'caller-token', 'repo.example.org': 'new-token' } });
    expect(plan.authFile).toEqual({ bearer: { 'repo.example.org': 'new-token' } });
    expect(notesOf(plan)).toEqual({
      'bearer.repo.example.org': [
        "replaces the http-basic entry for repo.example.org in the calling environment's COMPOSER_AUTH (Composer keeps one credential per host)",
        "replaces the bearer entry for repo.example.org in the calling environment's COMPOSER_AUTH",
      ],
    });
  });

  it('env target: composer gets the merged caller document, and no file is written', () => {
    const plan = planAuth({
      credentials: [bearer],
      authDocumentSecret: undefined,
      state: state({ target: 'env', file: undefined, callerComposerAuth: caller }),
    });
    expect(plan).toMatchObject({ target: 'env', file: undefined, authFile: undefined, problems: [] });
    expect(plan.composerAuth).toEqual({ bearer: { 'keep.example.org': 'caller-token', 'repo.example.org': 'new-token' } });
  });

  it("env target without one: composer gets the secrets' document", () => {
    const plan = planAuth({
      credentials: [bearer],
      authDocumentSecret: undefined,
      state: state({ target: 'env', file: '/ignored/auth.json' }),
    });
    expect(plan).toMatchObject({ file: undefined, authFile: undefined, problems: [] });
    expect(plan.composerAuth).toEqual({ bearer: { 'repo.example.org': 'new-token' } });
  });
});

describe("planAuth: the env target and the project's auth.json", () => {
  it('a host the project file also has is a problem naming the secret and the host', () => {
    const projectFile = {
      'http-basic': { 'repo.example.org': { username: 'u', password: 'p' } },
      bearer: { 'other.example.org': 'x' },
    } as AuthDocument;
    const credentials = [
      { name: 'http-basic.basic.example.org', value: 'u p' },
      bearer,
      { name: 'github-oauth.github.com', value: 'ghtoken' },
    ];
    const plan = planAuth({ credentials, authDocumentSecret: undefined, state: state({ target: 'env', projectFile }) });
    expect(plan.problems).toEqual([
      "the project's auth.json has credentials for repo.example.org, which Composer 2.7.7 and earlier (Debian 12's 2.5.5 too) prefer over COMPOSER_AUTH; name the Composer with --composer-version, since from 2.7.8 COMPOSER_AUTH wins, so secret 'bearer.repo.example.org' could lose; use --auth-target project (merges into auth.json) or remove that entry",
    ]);
  });

  it('a project file with other hosts only, or unknown keys, is no problem', () => {
    const projectFile = {
      bearer: { 'other.example.org': 'x' },
      'x-note': 'abc',
      'x-empty': null,
      'x-list': ['repo.example.org'],
    } as unknown as AuthDocument;
    const plan = planAuth({
      credentials: [bearer, { name: 'bearer.0', value: 'zero' }],
      authDocumentSecret: undefined,
      state: state({ target: 'env', projectFile }),
    });
    expect(plan.problems).toEqual([]);
  });

  it('the project target ignores the project file field (it writes that file instead)', () => {
    const projectFile: AuthDocument = { bearer: { 'repo.example.org': 'x' } };
    const plan = planAuth({ credentials: [bearer], authDocumentSecret: undefined, state: state({ projectFile }) });
    expect(plan.problems).toEqual([]);
  });
});

describe('planAuth: problems and warnings from the secrets', () => {
  it("a host with credentials of several kinds is a problem naming every secret, in Composer's kind order", () => {
    const plan = planAuth({
      credentials: [bearer, { name: 'http-basic.repo.example.org', value: 'u p' }],
      authDocumentSecret: composerAuthSecret({ 'github-oauth': { 'repo.example.org': 'gh' } }),
      state: state(),
    });
    expect(plan.problems).toEqual([
      "host repo.example.org has credentials of several kinds (http-basic from secret 'http-basic.repo.example.org', bearer from secret 'bearer.repo.example.org', github-oauth from secret 'COMPOSER_AUTH'); Composer keeps only one credential per host: delete all but one",
    ]);
  });

  it('an invalid composer secret is a problem; the others are still planned', () => {
    const plan = planAuth({
      credentials: [{ name: 'bearer.bad.example.org', value: '' }, bearer],
      authDocumentSecret: undefined,
      state: state(),
    });
    expect(plan.problems).toHaveLength(1);
    expect(plan.problems[0]).toMatch(/^secret 'bearer\.bad\.example\.org': /);
    expect(plan.authFile).toEqual({ bearer: { 'repo.example.org': 'new-token' } });
  });

  it('an invalid COMPOSER_AUTH secret: each of its problems names the secret', () => {
    const plan = planAuth({
      credentials: [bearer],
      authDocumentSecret: composerAuthSecret({ bearer: { 'a.example.org': '' }, nope: {} }),
      state: state(),
    });
    expect(plan.problems.length).toBe(2);
    for (const problem of plan.problems) expect(problem).toMatch(/^secret 'COMPOSER_AUTH': /);
    expect(plan.authFile).toEqual({ bearer: { 'repo.example.org': 'new-token' } });
  });

  it('a composer secret wins over the COMPOSER_AUTH secret for the same entry, with a note', () => {
    const plan = planAuth({
      credentials: [bearer],
      authDocumentSecret: composerAuthSecret({ bearer: { 'repo.example.org': 'doc-token', 'doc.example.org': 'doc' } }),
      state: state(),
    });
    expect(plan.authFile).toEqual({ bearer: { 'repo.example.org': 'new-token', 'doc.example.org': 'doc' } });
    expect(notesOf(plan)).toEqual({
      'bearer.repo.example.org': ['wins over the bearer entry for repo.example.org in the COMPOSER_AUTH secret'],
    });
  });

  it('a warning about a composer secret names it once and is noted on it', () => {
    const plan = planAuth({
      credentials: [{ name: 'github-oauth.github.com', value: 'gh-token' }],
      authDocumentSecret: undefined,
      state: state(),
    });
    expect(plan.problems).toEqual([]);
    expect(plan.warnings).toHaveLength(1);
    expect(plan.warnings[0]).toMatch(/^secret 'github-oauth\.github\.com': the token holds '-'/);
    expect(plan.notes.get('github-oauth.github.com')).toEqual([expect.stringMatching(/^the token holds '-'/)]);
  });

  it('a warning about the COMPOSER_AUTH secret names it', () => {
    const plan = planAuth({
      credentials: [],
      authDocumentSecret: composerAuthSecret({ 'github-oauth': { 'github.com': 'gh-token' } }),
      state: state(),
    });
    expect(plan.problems).toEqual([]);
    expect(plan.warnings).toEqual([expect.stringMatching(/^secret 'COMPOSER_AUTH': github-oauth\.github\.com: the token holds '-'/)]);
  });
});
