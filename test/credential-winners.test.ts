import { describe, expect, it } from 'vitest';
import type { AuthDocument } from '../src/model/composer-kinds.js';
import { composerRules, parseComposerVersion } from '../src/model/composer-version.js';
import type { AuthTarget } from '../src/plan/auth-plan.js';
import { type CredentialPlaces, credentialWinners, missesItsSecret, urlOrigin, type WinnersInput } from '../src/plan/credential-winners.js';

const HOST = 'repo.example.org';
const URLS = [`https://${HOST}/packages.json`];
const rulesOf = (version: string | undefined) => composerRules(version === undefined ? undefined : parseComposerVersion(version));
const basic = (host = HOST): AuthDocument => ({ 'http-basic': { [host]: { username: 'u', password: 'p' } } });
const bearer = (host = HOST): AuthDocument => ({ bearer: { [host]: 'b' } });
const headers = (host = HOST): AuthDocument => ({ 'custom-headers': { [host]: ['X-Key: v'] } });

function winners(version: string | undefined, places: Partial<CredentialPlaces>, more: Partial<WinnersInput> = {}) {
  return credentialWinners({
    rules: rulesOf(version),
    target: 'project' as AuthTarget,
    places: { secrets: {}, ...places },
    repositoryUrls: URLS,
    nowSeconds: 1_700_000_000,
    ...more,
  });
}
const only = (list: ReturnType<typeof winners>) => {
  expect(list).toHaveLength(1);
  return list[0] ?? expect.unreachable('no winner');
};

describe('precedence per version (one kind, one host in every place)', () => {
  const everywhere = { project: basic(), composerJson: basic(), composerAuth: basic(), global: basic() };
  it('up to 2.7.7 (2.5.5, 2.7.7): project auth.json > composer.json > COMPOSER_AUTH > global auth.json', () => {
    for (const version of ['2.5.5+debian', '2.7.7']) {
      expect(only(winners(version, everywhere)).source).toBe('project auth.json');
      expect(only(winners(version, { ...everywhere, project: undefined })).source).toBe('composer.json');
      expect(only(winners(version, { composerAuth: basic(), global: basic() })).source).toBe('COMPOSER_AUTH');
      expect(only(winners(version, { global: basic() })).source).toBe('global auth.json');
    }
    expect(only(winners('2.7.7', everywhere)).shadowed).toEqual([
      { kind: 'http-basic', source: 'global auth.json' },
      { kind: 'http-basic', source: 'COMPOSER_AUTH' },
      { kind: 'http-basic', source: 'composer.json' },
    ]);
  });
  it('from 2.7.8 (2.7.8, 2.10.2): COMPOSER_AUTH > project auth.json > composer.json > global auth.json', () => {
    for (const version of ['2.7.8', '2.10.2']) {
      expect(only(winners(version, everywhere)).source).toBe('COMPOSER_AUTH');
      expect(only(winners(version, { ...everywhere, composerAuth: undefined })).source).toBe('project auth.json');
      expect(only(winners(version, { composerJson: basic(), global: basic() })).source).toBe('composer.json');
    }
  });
  it('version not known: the rules up to 2.7.7, and a warning where 2.7.8 would differ', () => {
    const v = only(winners(undefined, { project: basic(), composerAuth: basic() }));
    expect(v.source).toBe('project auth.json');
    expect(v.warnings.join()).toContain('from 2.7.8 (COMPOSER_AUTH first) http-basic from COMPOSER_AUTH wins');
    expect(only(winners(undefined, { project: basic() })).warnings).toEqual([]);
  });
});

describe("the secrets join the target's place", () => {
  it('project: they replace the project auth.json entry for their host (any kind), and lose to COMPOSER_AUTH from 2.7.8', () => {
    const v = only(winners('2.5.5', { secrets: basic(), project: bearer(), composerAuth: basic() }));
    expect(v).toMatchObject({ kind: 'http-basic', source: 'secrets', needed: true });
    expect(v.shadowed).toContainEqual({ kind: 'bearer', source: 'project auth.json' });
    expect(missesItsSecret(v)).toBe(false);
    const later = only(winners('2.7.8', { secrets: basic(), composerAuth: basic() }));
    expect(later.source).toBe('COMPOSER_AUTH');
    expect(missesItsSecret(later)).toBe(true);
  });
  it('env: secrets in COMPOSER_AUTH lose to the project auth.json up to 2.7.7 and win from 2.7.8', () => {
    const places = { secrets: basic(), project: basic() };
    expect(only(winners('2.7.7', places, { target: 'env' })).source).toBe('project auth.json');
    expect(only(winners('2.7.8', places, { target: 'env' })).source).toBe('secrets');
  });
  it('home: secrets in the global auth.json lose to composer.json on every version', () => {
    for (const version of ['2.5.5', '2.10.2'])
      expect(only(winners(version, { secrets: basic(), composerJson: basic() }, { target: 'home' })).source).toBe('composer.json');
  });
  it('a host no secret sets is not needed', () => {
    const v = only(winners('2.5.5', { global: basic() }));
    expect(v.needed).toBe(false);
    expect(missesItsSecret(v)).toBe(false);
  });
});

describe('kinds', () => {
  it('two kinds for one host: the kind Composer sets last wins, whatever place it came from, with a warning', () => {
    const v = only(winners('2.5.5', { secrets: basic(), global: bearer() }));
    expect(v).toMatchObject({ kind: 'bearer', source: 'global auth.json' });
    expect(v.shadowed).toEqual([{ kind: 'http-basic', source: 'secrets' }]);
    expect(v.warnings.join()).toContain('several kinds for one host (http-basic in secrets, bearer in global auth.json)');
  });
  it('from 2.9 custom-headers replaces the other kinds for its host', () => {
    const v = only(winners('2.9.0', { secrets: basic(), composerJson: headers() }));
    expect(v).toMatchObject({ kind: 'custom-headers', source: 'composer.json' });
    expect(missesItsSecret(v)).toBe(true);
  });
  it('before 2.9 custom-headers, forgejo-token and client-certificate are ignored: nothing sent, a warning', () => {
    const v = only(winners('2.8.12', { project: headers() }));
    expect(v).toMatchObject({ kind: null, source: null, shadowed: [{ kind: 'custom-headers', source: 'project auth.json' }] });
    expect(v.warnings[0]).toContain('Composer 2.8.12 ignores custom-headers entries');
    const withBasic = only(winners('2.5.5', { project: headers(), global: basic() }));
    expect(withBasic).toMatchObject({ kind: 'http-basic', source: 'global auth.json' });
    const forgejo = only(winners('2.5.5', { secrets: { 'forgejo-token': { [HOST]: { username: 'u', token: 't' } } } }));
    expect(missesItsSecret(forgejo)).toBe(true);
  });
  it('version not known: a 2.9 kind is counted, with a warning', () => {
    const v = only(winners(undefined, { project: headers() }));
    expect(v.kind).toBe('custom-headers');
    expect(v.warnings.join()).toContain('Composer before 2.9 ignores custom-headers');
  });
  it('custom-headers is replaced as a whole map: a later place with any custom-headers drops an earlier one for every host', () => {
    const list = winners('2.10.2', { global: headers('a.example.org'), project: headers('b.example.org') }, { repositoryUrls: undefined });
    expect(list.map((v) => [v.host, v.kind, v.source])).toEqual([
      ['a.example.org', null, null],
      ['b.example.org', 'custom-headers', 'project auth.json'],
    ]);
    expect(list[0]?.shadowed).toEqual([{ kind: 'custom-headers', source: 'global auth.json' }]);
  });
  it("the target's own custom-headers for other hosts stay beside the secrets'", () => {
    const list = winners('2.10.2', { secrets: headers(), project: headers('b.example.org') }, { repositoryUrls: undefined });
    expect(list.map((v) => v.source)).toEqual(['project auth.json', 'secrets']);
  });
});

describe('warnings about hosts', () => {
  it('a host key without the port a repository URL uses', () => {
    const v = only(winners('2.5.5', { project: basic('127.0.0.1') }, { repositoryUrls: ['http://127.0.0.1:8765'] }));
    expect(v.warnings).toEqual([expect.stringContaining('a repository URL uses 127.0.0.1:8765')]);
  });
  it('a credential no repository uses; github.com counts for api.github.com and git@github.com; no composer.json, no warning', () => {
    expect(only(winners('2.5.5', { project: basic('other.example.org') })).warnings).toEqual([
      'no repository in composer.json or composer.lock uses this host',
    ]);
    const gh: AuthDocument = { 'github-oauth': { 'github.com': 'x' } };
    expect(only(winners('2.5.5', { project: gh }, { repositoryUrls: ['https://api.github.com/repos/a/b/zipball/1'] })).warnings).toEqual(
      [],
    );
    expect(only(winners('2.5.5', { project: gh }, { repositoryUrls: ['git@github.com:a/b.git'] })).warnings).toEqual([]);
    expect(only(winners('2.5.5', { project: basic('other.example.org') }, { repositoryUrls: undefined })).warnings).toEqual([]);
  });
  it('a gitlab-oauth token past its expires-at, and not one before it', () => {
    const token = (at: number): AuthDocument => ({ 'gitlab-oauth': { [HOST]: { token: 't', 'expires-at': at } } });
    expect(only(winners('2.5.5', { global: token(1_600_000_000) })).warnings).toEqual([
      `the gitlab-oauth token in global auth.json expired at ${new Date(1_600_000_000_000).toISOString()}`,
    ]);
    expect(only(winners('2.5.5', { global: token(1_800_000_000) })).warnings).toEqual([]);
  });
  it('urlOrigin: port kept when given, scp-like git URLs, nothing for what is not a URL', () => {
    expect(urlOrigin('http://127.0.0.1:8765/x')).toEqual({ host: '127.0.0.1', origin: '127.0.0.1:8765' });
    expect(urlOrigin('https://Repo.Example.org/x')).toEqual({ host: 'repo.example.org', origin: 'repo.example.org' });
    expect(urlOrigin('git@gitlab.com:a/b.git')).toEqual({ host: 'gitlab.com', origin: 'gitlab.com' });
    expect(urlOrigin('../packages/local')).toBeUndefined();
  });
});
