// Secret names by type, and the <kind>.<host> names of composer secrets.
import { describe, expect, it } from 'vitest';
import { closestName, OwnerName, parseComposerSecretName, problemWithSecretName, secretNameForMessages } from '../src/model/names.js';

const KINDS =
  'kinds: http-basic, bearer, github-oauth, gitlab-oauth, gitlab-token, bitbucket-oauth, forgejo-token, custom-headers, client-certificate';

describe('parseComposerSecretName', () => {
  it('splits at the first dot: the kind, then the host with its dots and port', () => {
    expect(parseComposerSecretName('http-basic.repo.example.org:8443')).toEqual({
      ok: true,
      value: { kind: 'http-basic', host: 'repo.example.org:8443' },
    });
    expect(parseComposerSecretName('bearer.localhost')).toEqual({ ok: true, value: { kind: 'bearer', host: 'localhost' } });
    expect(parseComposerSecretName('custom-headers.127.0.0.1:1')).toEqual({
      ok: true,
      value: { kind: 'custom-headers', host: '127.0.0.1:1' },
    });
  });

  it.each(['bearer', '.bearer', 'bearer_repo', ''])('%j has no <kind>.<host> shape', (name) => {
    expect(parseComposerSecretName(name)).toEqual({ ok: false, problem: `a composer secret is named <kind>.<host> (${KINDS})` });
  });

  it('names an unknown kind', () => {
    expect(parseComposerSecretName('Bearer.repo.example.org')).toEqual({
      ok: false,
      problem: `the part before the first '.' is not a Composer auth kind (${KINDS})`,
    });
  });

  it('ports from 1 to 65535', () => {
    expect(parseComposerSecretName('bearer.h.example.org:65535').ok).toBe(true);
    for (const host of ['h.example.org:65536', 'h.example.org:0', 'h.example.org:', 'h.example.org:123456']) {
      expect(parseComposerSecretName(`bearer.${host}`)).toEqual({
        ok: false,
        problem: `the part after 'bearer.' is not a host Composer can match (a host name or IP, optionally :port)`,
      });
    }
  });

  it('host labels: letters, digits and inner hyphens, at most 63 characters', () => {
    expect(parseComposerSecretName(`bearer.${'a'.repeat(63)}.org`).ok).toBe(true);
    expect(parseComposerSecretName('bearer.a-b.org').ok).toBe(true);
    for (const host of [
      `${'a'.repeat(64)}.org`,
      '-a.org',
      'a-.org',
      'a..org',
      'a.org.',
      'a_b.org',
      'https://a.org',
      'u@a.org',
      'a.org/path',
    ]) {
      expect(parseComposerSecretName(`bearer.${host}`).ok, host).toBe(false);
    }
  });
});

describe('problemWithSecretName', () => {
  it('any type: 1-255 of letters, digits, _ . : -, not starting with . : -', () => {
    expect(problemWithSecretName('a'.repeat(255), 'runtime')).toBeUndefined();
    expect(problemWithSecretName('_x.y:z-1', 'runtime')).toBeUndefined();
    for (const name of ['', 'a'.repeat(256), '.a', ':a', '-a', 'a b', 'a/b', 'é']) {
      expect(problemWithSecretName(name, 'runtime'), name).toBe(
        'a secret name is 1-255 letters, digits, or _ . : - (not starting with . : -)',
      );
    }
  });

  it('env: a variable name', () => {
    expect(problemWithSecretName('_API_KEY2', 'env')).toBeUndefined();
    for (const name of ['2KEY', 'A.B', 'A-B', 'A:B']) {
      expect(problemWithSecretName(name, 'env'), name).toBe(
        "an env secret's name must match ^[A-Za-z_][A-Za-z0-9_]*$ (it becomes a variable name)",
      );
    }
  });

  it('composer: <kind>.<host>; env and composer rules do not apply to the other types', () => {
    expect(problemWithSecretName('bearer.repo.example.org', 'composer')).toBeUndefined();
    expect(problemWithSecretName('API_KEY', 'composer')).toMatch(/^a composer secret is named <kind>\.<host>/);
    expect(problemWithSecretName('bearer.repo.example.org', 'runtime')).toBeUndefined();
    expect(problemWithSecretName('API_KEY', 'runtime')).toBeUndefined();
  });
});

describe('OwnerName', () => {
  it('lowercase letters, digits and -, not starting with -, at most 100', () => {
    for (const name of ['shop', 'a', '0-site', 'a'.repeat(100)]) expect(OwnerName.safeParse(name).success, name).toBe(true);
    for (const name of ['', '-shop', 'Shop', 'sh_op', 'a'.repeat(101)]) expect(OwnerName.safeParse(name).success, name).toBe(false);
  });
});

describe('closestName', () => {
  const kinds = ['http-basic', 'bearer', 'github-oauth', 'gitlab-oauth', 'gitlab-token'];

  it('finds a typo within two edits, case, spaces and underscores forgiven', () => {
    expect(closestName('bearr', kinds)).toBe('bearer');
    expect(closestName('HTTP_BASIC', kinds)).toBe('http-basic');
    expect(closestName('http basic', kinds)).toBe('http-basic');
    expect(closestName('a_b', ['ab', 'a-b'])).toBe('a-b'); // '_' reads as '-', not as nothing
    expect(closestName('github-oath', kinds)).toBe('github-oauth');
    expect(closestName('bzzzer', kinds)).toBeUndefined(); // three edits
    expect(closestName('b', kinds)).toBeUndefined();
    expect(closestName('gitlab-oauthxx', kinds)).toBe('gitlab-oauth'); // two letters longer
    expect(closestName('gitlab-oauthxxx', kinds)).toBeUndefined(); // three letters longer
  });

  it('counts two neighbours swapped as one edit', () => {
    expect(closestName('stie', ['store', 'site'])).toBe('site'); // store: two edits
    expect(closestName('baerer', kinds)).toBe('bearer');
    expect(closestName('ebarer', kinds)).toBe('bearer');
    expect(closestName('ebraer', kinds)).toBe('bearer'); // two swaps
    expect(closestName('ebraeer', kinds)).toBeUndefined(); // two swaps and a letter more
    expect(closestName('tpye', ['type', 'scope'])).toBe('type');
    expect(closestName('ab', ['ba', 'ax'])).toBe('ba'); // one swap is as near as one replacement: the first wins
    expect(closestName('abc', ['ca'])).toBeUndefined(); // no letter edited twice: ac then its swap would be two
  });

  it('takes the nearest, and the first of equally near ones', () => {
    expect(closestName('gitlab-oauth', kinds)).toBe('gitlab-oauth');
    expect(closestName('gitlab-tauth', ['gitlab-token', 'gitlab-oauth'])).toBe('gitlab-oauth');
    expect(closestName('ab', ['ax', 'ay'])).toBe('ax');
    expect(closestName('ab', ['xy', 'ax'])).toBe('ax');
  });
});

describe('secretNameForMessages', () => {
  it('quotes a valid name, and describes one that is not (it may be a value)', () => {
    expect(secretNameForMessages('bearer.repo.example.org')).toBe("'bearer.repo.example.org'");
    expect(secretNameForMessages('API_KEY')).toBe("'API_KEY'");
    expect(secretNameForMessages('not a name!')).toBe('(the name given: not shown, since it is not a valid secret name)');
  });
});

describe('problemWithSecretName for a composer secret', () => {
  it('has no problem with a well-formed <kind>.<host> name', () => {
    expect(problemWithSecretName('bearer.repo.example.org', 'composer')).toBeUndefined();
  });
});
