import { describe, expect, it } from 'vitest';
import { RefusedChangeError, UsageError } from '../src/errors.js';
import { emptyStore, type Store } from '../src/model/secret.js';
import { deleteSecret, setSecret, setSiteOrganization } from '../src/model/store-changes.js';

const site = { kind: 'site' as const, name: 'shop' };
const org = { kind: 'org' as const, name: 'acme' };

function withKey(): Store {
  return setSecret(emptyStore(), { owner: site, name: 'KEY', value: 'CANARY-1', type: 'env', scopes: ['ic', 'web'] });
}

function refusal(change: () => unknown): Error {
  try {
    change();
  } catch (error) {
    return error as Error;
  }
  throw new Error('the change was not refused');
}

describe('setSecret', () => {
  it('creates with Terminus defaults: type runtime, scope user', () => {
    const store = setSecret(emptyStore(), { owner: org, name: 'x', value: 'v' });
    expect(store.organizations.acme?.secrets.x).toEqual({ type: 'runtime', scopes: ['user'], value: 'v', overrides: {} });
  });

  it('updates only the value when type and scopes are left out', () => {
    const updated = setSecret(withKey(), { owner: site, name: 'KEY', value: 'CANARY-2' });
    expect(updated.sites.shop?.secrets.KEY).toEqual({ type: 'env', scopes: ['ic', 'web'], value: 'CANARY-2', overrides: {} });
  });

  it("refuses any --type or --scope for an existing secret's value, even unchanged, in Terminus's words", () => {
    const requests = [
      { type: 'composer' as const },
      { scopes: ['ic' as const] },
      { type: 'env' as const },
      { type: 'env' as const, scopes: ['web' as const, 'ic' as const] },
    ];
    for (const request of requests) {
      const refused = refusal(() => setSecret(withKey(), { owner: site, name: 'KEY', value: 'CANARY-9', ...request }));
      expect(refused).toBeInstanceOf(RefusedChangeError);
      expect(refused.message).toBe("Secret 'KEY' already exists. To update the value, omit type and scopes options.");
      expect((refused as RefusedChangeError).details).toEqual([
        "site 'shop' has it with type 'env' and scopes ic,web; to change them, delete the secret and set it again",
      ]);
    }
  });

  it('takes an override with the type and scopes repeated, and refuses one that contradicts them (Terminus drops them silently)', () => {
    const same = setSecret(withKey(), {
      owner: site,
      name: 'KEY',
      value: 'CANARY-3',
      environment: 'dev',
      type: 'env',
      scopes: ['web', 'ic'],
    });
    expect(same.sites.shop?.secrets.KEY?.overrides).toEqual({ dev: 'CANARY-3' });
    const type = refusal(() => setSecret(withKey(), { owner: site, name: 'KEY', value: 'CANARY-9', environment: 'dev', type: 'composer' }));
    expect(type).toBeInstanceOf(RefusedChangeError);
    expect(type.message).toMatch(/secret 'KEY' at site 'shop' already exists with type 'env'; its type is fixed/);
    const scopes = refusal(() => setSecret(withKey(), { owner: site, name: 'KEY', value: 'CANARY-9', environment: 'dev', scopes: ['ic'] }));
    expect(scopes.message).toMatch(/already exists with scopes ic,web; its scopes are fixed/);
    for (const e of [type, scopes]) expect(e.message).not.toContain('CANARY');
  });

  it('sets an override only where the base secret exists at that owner', () => {
    const refused = refusal(() => setSecret(emptyStore(), { owner: org, name: 'KEY', value: 'v', environment: 'dev' }));
    expect(refused).toBeInstanceOf(RefusedChangeError);
    expect(refused.message).toBe(
      "secret 'KEY' does not exist at organization 'acme'; create its default value first, then set the override for 'dev'",
    );
    // The site having it does not let the organization override it.
    expect(() => setSecret(withKey(), { owner: org, name: 'KEY', value: 'v', environment: 'dev' })).toThrow(RefusedChangeError);
    const store = setSecret(withKey(), { owner: site, name: 'KEY', value: 'dev-value', environment: 'dev' });
    expect(store.sites.shop?.secrets.KEY).toMatchObject({ value: 'CANARY-1', overrides: { dev: 'dev-value' } });
  });

  it('checks names against the type', () => {
    expect(refusal(() => setSecret(emptyStore(), { owner: site, name: '1BAD', value: 'v', type: 'env' })).message).toMatch(
      /^invalid name for the new env secret \(the name given is not shown\): an env secret's name must match/,
    );
    expect(refusal(() => setSecret(emptyStore(), { owner: site, name: 'token.github.com', value: 'v', type: 'composer' })).message).toMatch(
      /the part before the first '\.' is not a Composer auth kind/,
    );
    expect(refusal(() => setSecret(emptyStore(), { owner: site, name: 'bearer.bad_host', value: 'v', type: 'composer' })).message).toMatch(
      /the part after 'bearer\.' is not a host Composer can match/,
    );
    expect(
      refusal(() => setSecret(emptyStore(), { owner: site, name: 'bearer.127.0.0.1:99999', value: 'v', type: 'composer' })),
    ).toBeInstanceOf(UsageError);
    const ok = setSecret(emptyStore(), { owner: site, name: 'http-basic.127.0.0.1:8765', value: 'u p', type: 'composer' });
    expect(Object.keys(ok.sites.shop?.secrets ?? {})).toEqual(['http-basic.127.0.0.1:8765']);
  });

  it('refuses a value over 16384 bytes (counted in UTF-8) without quoting it', () => {
    const big = 'é'.repeat(8193); // 16386 bytes, 8193 characters
    const error = refusal(() => setSecret(emptyStore(), { owner: site, name: 'K', value: big }));
    expect(error.message).toBe("the value of secret 'K' is 16386 bytes; at most 16384 are allowed");
    expect(() => setSecret(emptyStore(), { owner: site, name: 'K', value: 'é'.repeat(8192) })).not.toThrow();
  });
});

describe('deleteSecret', () => {
  it('deletes an override and leaves the base', () => {
    const store = setSecret(withKey(), { owner: site, name: 'KEY', value: 'd', environment: 'dev' });
    expect(deleteSecret(store, { owner: site, name: 'KEY', environment: 'dev' }).sites.shop?.secrets.KEY?.overrides).toEqual({});
  });
  it('deletes the whole secret', () => {
    expect(deleteSecret(withKey(), { owner: site, name: 'KEY' }).sites.shop?.secrets).toEqual({});
  });
  it('refuses to delete a secret that is not there', () => {
    expect(refusal(() => deleteSecret(withKey(), { owner: site, name: 'NOPE' })).message).toBe("no secret 'NOPE' at site 'shop'");
    expect(refusal(() => deleteSecret(withKey(), { owner: site, name: 'NOPE', environment: 'live' })).message).toBe(
      "no secret 'NOPE' at site 'shop'",
    );
  });
  it('deletes an override that is not there as Terminus does: nothing changes, the same store comes back', () => {
    const store = withKey();
    expect(deleteSecret(store, { owner: site, name: 'KEY', environment: 'live' })).toBe(store);
  });
});

describe('setSiteOrganization', () => {
  it('records one owning organization, replacing an earlier one', () => {
    const first = setSiteOrganization(withKey(), 'shop', 'acme');
    expect(first.sites.shop?.organization).toBe('acme');
    expect(first.organizations.acme).toEqual({ secrets: {} });
    expect(setSiteOrganization(first, 'shop', 'globex').sites.shop?.organization).toBe('globex');
    expect(first.sites.shop?.secrets.KEY?.value).toBe('CANARY-1');
  });
});

describe('setSecret with a value check', () => {
  it('checks new values with the given type and updates with the existing type, refusing on any problem', () => {
    const seen: string[] = [];
    const checkValue = (name: string, type: string, value: string) => {
      seen.push(`${name} ${type}`);
      return value.includes('bad') ? ['secret: problem'] : [];
    };
    const store = setSecret(emptyStore(), {
      owner: site,
      name: 'bearer.x.org',
      value: 'good',
      type: 'composer',
      scopes: ['ic'],
      checkValue,
    });
    const refused = refusal(() => setSecret(store, { owner: site, name: 'bearer.x.org', value: 'bad', environment: 'dev', checkValue }));
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as UsageError).details).toEqual(['secret: problem']);
    expect(seen).toEqual(['bearer.x.org composer', 'bearer.x.org composer']);
  });
});

describe('store changes touch only what they name', () => {
  it('creating dedupes scopes; an override may repeat them in any order', () => {
    const store = setSecret(emptyStore(), { owner: site, name: 'K', value: 'v', type: 'env', scopes: ['web', 'ic', 'web'] });
    expect(store.sites.shop?.secrets.K?.scopes).toEqual(['web', 'ic']);
    expect(
      setSecret(store, { owner: site, name: 'K', value: 'w', environment: 'dev', scopes: ['ic', 'ic', 'web'] }).sites.shop?.secrets.K
        ?.overrides.dev,
    ).toBe('w');
    // Same count, other members: still a change of scopes.
    expect(
      refusal(() => setSecret(store, { owner: site, name: 'K', value: 'w', environment: 'dev', scopes: ['ic', 'user'] })),
    ).toBeInstanceOf(RefusedChangeError);
    expect(
      refusal(() => setSecret(store, { owner: site, name: 'K', value: 'w', environment: 'dev', scopes: ['ic', 'web', 'user'] })),
    ).toBeInstanceOf(RefusedChangeError);
  });

  it('a change at one owner leaves the others, the other secrets and the input store as they were', () => {
    let store = setSiteOrganization(withKey(), 'shop', 'acme');
    store = setSecret(store, { owner: org, name: 'ORG', value: 'o', type: 'env', scopes: ['ic'] });
    store = setSecret(store, { owner: { kind: 'site', name: 'blog' }, name: 'B', value: 'b' });
    const before = structuredClone(store);
    const changed = setSecret(store, { owner: site, name: 'OTHER', value: 'x' });
    expect(store).toEqual(before);
    expect(changed.sites.shop).toEqual({
      organization: 'acme',
      secrets: { ...before.sites.shop?.secrets, OTHER: { type: 'runtime', scopes: ['user'], value: 'x', overrides: {} } },
    });
    expect(changed.sites.blog).toEqual(before.sites.blog);
    expect(changed.organizations).toEqual(before.organizations);
    const orgChanged = setSecret(store, { owner: org, name: 'ORG', value: 'o2' });
    expect(orgChanged.organizations.acme?.secrets).toEqual({ ORG: { type: 'env', scopes: ['ic'], value: 'o2', overrides: {} } });
    expect(orgChanged.sites).toEqual(before.sites);
    expect(deleteSecret(store, { owner: org, name: 'ORG' }).organizations.acme).toEqual({ secrets: {} });
    expect(deleteSecret(store, { owner: org, name: 'ORG' }).sites).toEqual(before.sites);
  });

  it('an update checks the value size too, for an override as for the base', () => {
    expect(refusal(() => setSecret(withKey(), { owner: site, name: 'KEY', value: 'x'.repeat(16385), environment: 'dev' })).message).toBe(
      "the value of secret 'KEY' is 16385 bytes; at most 16384 are allowed",
    );
  });

  it('deleting one override keeps the others', () => {
    let store = setSecret(withKey(), { owner: site, name: 'KEY', value: 'd', environment: 'dev' });
    store = setSecret(store, { owner: site, name: 'KEY', value: 'l', environment: 'live' });
    expect(deleteSecret(store, { owner: site, name: 'KEY', environment: 'dev' }).sites.shop?.secrets.KEY).toMatchObject({
      value: 'CANARY-1',
      overrides: { live: 'l' },
    });
  });

  it('names like object properties are secrets like any other', () => {
    const store = setSecret(emptyStore(), { owner: site, name: 'constructor', value: 'c' });
    expect(Object.keys(store.sites.shop?.secrets ?? {})).toEqual(['constructor']);
    expect(refusal(() => setSecret(emptyStore(), { owner: site, name: 'toString', value: 'v', environment: 'dev' }))).toBeInstanceOf(
      RefusedChangeError,
    );
    expect(refusal(() => deleteSecret(emptyStore(), { owner: site, name: 'hasOwnProperty' })).message).toBe(
      "no secret 'hasOwnProperty' at site 'shop'",
    );
    const keyed = withKey();
    expect(deleteSecret(keyed, { owner: site, name: 'KEY', environment: 'constructor' })).toBe(keyed);
  });

  it("setSiteOrganization creates the site and keeps an existing organization's secrets", () => {
    const withOrg = setSecret(emptyStore(), { owner: org, name: 'ORG', value: 'o' });
    const store = setSiteOrganization(withOrg, 'blog', 'acme');
    expect(store.sites.blog).toEqual({ organization: 'acme', secrets: {} });
    expect(store.organizations.acme).toEqual(withOrg.organizations.acme);
  });

  it('a value check finding nothing lets the change through', () => {
    const store = setSecret(emptyStore(), { owner: site, name: 'K', value: 'v', checkValue: () => [] });
    expect(store.sites.shop?.secrets.K?.value).toBe('v');
    const refused = refusal(() =>
      setSecret(emptyStore(), { owner: site, name: 'K', value: 'v', type: 'env', checkValue: () => ['one', 'two'] }),
    );
    expect(refused.message).toBe("the value of env secret 'K' would be refused by a build; nothing was changed");
    expect((refused as UsageError).details).toEqual(['one', 'two']);
  });
});
