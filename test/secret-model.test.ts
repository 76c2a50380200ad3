// The store document's schema: what a valid store is, and the problems of an invalid one.
import { describe, expect, it } from 'vitest';
import { describeOwner, emptyStore, Secret, Store, StoreOutline } from '../src/model/secret.js';
import { describeIssues } from '../src/validation/issue-messages.js';

function problems(input: unknown): string[] {
  const result = Store.safeParse(input, { reportInput: true });
  return result.success ? [] : describeIssues(result.error.issues, { document: input });
}

const site = (secrets: Record<string, unknown>) => ({ version: 1, sites: { shop: { secrets } } });

describe('Store', () => {
  it('fills in the defaults: no owners, no secrets, no overrides', () => {
    expect(Store.parse({ version: 1 })).toEqual(emptyStore());
    expect(Store.parse({ version: 1, sites: { shop: {} }, organizations: { acme: {} } })).toEqual({
      version: 1,
      sites: { shop: { secrets: {} } },
      organizations: { acme: { secrets: {} } },
    });
    expect(Store.parse(site({ K: { type: 'env', scopes: ['ic'], value: 'v' } })).sites.shop?.secrets.K).toEqual({
      type: 'env',
      scopes: ['ic'],
      value: 'v',
      overrides: {},
    });
  });

  it('values up to 16384 bytes, counted in UTF-8; overrides too', () => {
    const ok = { type: 'runtime', scopes: ['web'], value: 'é'.repeat(8192), overrides: { dev: 'x'.repeat(16384) } };
    expect(problems(site({ K: ok }))).toEqual([]);
    expect(problems(site({ K: { ...ok, value: `${'é'.repeat(8192)}x`, overrides: { dev: 'x'.repeat(16385) } } }))).toEqual([
      'sites.shop.secrets.K.value: value is longer than 16384 bytes',
      'sites.shop.secrets.K.overrides.dev: value is longer than 16384 bytes',
    ]);
  });

  it('scopes: at least one, each once, from ic, web, user', () => {
    const secret = (scopes: unknown) => site({ K: { type: 'env', scopes, value: 'v' } });
    expect(problems(secret(['ic', 'web', 'user']))).toEqual([]);
    expect(problems(secret([]))).toEqual(['sites.shop.secrets.K.scopes: must have at least 1 item(s)']);
    expect(problems(secret(['ic', 'ic']))).toEqual(['sites.shop.secrets.K.scopes: lists a scope twice']);
    expect(problems(secret(['build']))).toEqual(['sites.shop.secrets.K.scopes[0]: must be one of "ic", "web", "user"']);
  });

  it('names are checked against their types, and override environments are owner names', () => {
    expect(
      problems(
        site({ 'bad.env': { type: 'env', scopes: ['ic'], value: 'v' }, 'bearer.x.org': { type: 'composer', scopes: ['ic'], value: 'v' } }),
      ),
    ).toEqual(["sites.shop.secrets.(1st key): an env secret's name must match ^[A-Za-z_][A-Za-z0-9_]*$ (it becomes a variable name)"]);
    expect(problems(site({ 'bearer.x.org': { type: 'composer', scopes: ['ic'], value: 'v', overrides: { Dev: 'x' } } }))).toEqual([
      'sites.shop.secrets.bearer.x.org.overrides.(1st key): invalid name (allowed: /^[a-z0-9][a-z0-9-]*$/)',
    ]);
  });

  it('unknown fields and another version are refused', () => {
    expect(problems({ version: 2 })).toEqual(['version: must be one of 1']);
    expect(problems({ version: 1, extra: true })).toEqual(['(top level): has an unknown key (the 2nd)']);
    expect(problems(site({ K: { type: 'env', scopes: ['ic'], value: 'v', note: 'x' } }))).toEqual([
      'sites.shop.secrets.K: has an unknown key (the 4th)',
    ]);
  });

  it('a site may name its organization', () => {
    expect(Store.parse({ version: 1, sites: { shop: { organization: 'acme' } } }).sites.shop?.organization).toBe('acme');
    expect(problems({ version: 1, sites: { shop: { organization: 'Acme' } } })).toEqual([
      'sites.shop.organization: has an invalid format (must match /^[a-z0-9][a-z0-9-]*$/)',
    ]);
  });
});

describe('StoreOutline', () => {
  it('checks the version and owner names, not the owners', () => {
    expect(StoreOutline.safeParse({ version: 1, sites: { shop: 42 } }).success).toBe(true);
    expect(StoreOutline.safeParse({ version: 1, sites: { Shop: {} } }).success).toBe(false);
  });
});

describe('Secret', () => {
  it('every type', () => {
    for (const type of ['runtime', 'env', 'composer'])
      expect(Secret.safeParse({ type, scopes: ['ic'], value: '' }).success, type).toBe(true);
    expect(Secret.safeParse({ type: 'file', scopes: ['ic'], value: '' }).success).toBe(false);
  });
});

describe('describeOwner', () => {
  it('says site or organization, with the name quoted', () => {
    expect(describeOwner({ kind: 'site', name: 'shop' })).toBe("site 'shop'");
    expect(describeOwner({ kind: 'org', name: 'acme' })).toBe("organization 'acme'");
  });
});
