import { describe, expect, it } from 'vitest';
import type { Secret, SecretMap, SourceSecret, SourceSecretMap } from '../src/model/secret.js';
import { describeProvenance, type ResolutionInput, resolveForEnvironment, visibleTo } from '../src/resolve/resolve-for-environment.js';

function secret(value: string, overrides: Record<string, string> = {}, extra: Partial<Secret> = {}): Secret {
  return { type: 'env', scopes: ['ic'], value, overrides, ...extra };
}

function input(site: SecretMap, org: SecretMap | undefined, environment = 'dev'): ResolutionInput {
  return {
    site: { name: 'shop', secrets: site },
    organization: org === undefined ? undefined : { name: 'acme', secrets: org },
    environment,
  };
}

const valueNamed = (r: ReturnType<typeof resolveForEnvironment>, name: string) => r.find((s) => s.name === name)?.value;

describe('resolveForEnvironment', () => {
  it('gives the organization base value when only the organization has the secret', () => {
    const r = resolveForEnvironment(input({}, { KEY: secret('org-base') }));
    expect(r).toEqual([
      {
        name: 'KEY',
        type: 'env',
        scopes: ['ic'],
        value: 'org-base',
        from: { owner: { kind: 'org', name: 'acme' }, layer: 'base' },
        shadowed: [],
      },
    ]);
  });

  it('applies an organization override in its environment and not in others', () => {
    const org = { KEY: secret('org-base', { dev: 'org-dev' }) };
    const dev = resolveForEnvironment(input({}, org, 'dev'));
    expect(valueNamed(dev, 'KEY')).toBe('org-dev');
    expect(dev[0]?.from).toEqual({ owner: { kind: 'org', name: 'acme' }, layer: 'override', environment: 'dev' });
    expect(dev[0]?.shadowed).toEqual([{ owner: { kind: 'org', name: 'acme' }, layer: 'base' }]);
    expect(valueNamed(resolveForEnvironment(input({}, org, 'feature-x')), 'KEY')).toBe('org-base');
  });

  it('lets a site base value beat the organization base value', () => {
    const r = resolveForEnvironment(input({ KEY: secret('site-base') }, { KEY: secret('org-base') }));
    expect(valueNamed(r, 'KEY')).toBe('site-base');
    expect(r[0]?.shadowed).toEqual([{ owner: { kind: 'org', name: 'acme' }, layer: 'base' }]);
  });

  it('lets a site base value beat an organization override for the same environment', () => {
    const r = resolveForEnvironment(input({ KEY: secret('site-base') }, { KEY: secret('org-base', { dev: 'org-dev' }) }));
    expect(valueNamed(r, 'KEY')).toBe('site-base');
    expect(r[0]?.shadowed).toEqual([
      { owner: { kind: 'org', name: 'acme' }, layer: 'override', environment: 'dev' },
      { owner: { kind: 'org', name: 'acme' }, layer: 'base' },
    ]);
  });

  it('lets a site override beat everything in its environment only', () => {
    const site = { KEY: secret('site-base', { dev: 'site-dev' }) };
    const org = { KEY: secret('org-base', { dev: 'org-dev' }) };
    const dev = resolveForEnvironment(input(site, org, 'dev'));
    expect(valueNamed(dev, 'KEY')).toBe('site-dev');
    expect(dev[0]?.shadowed).toHaveLength(3);
    expect(valueNamed(resolveForEnvironment(input(site, org, 'live')), 'KEY')).toBe('site-base');
  });

  it('takes the site secret whole: type and scopes too', () => {
    const r = resolveForEnvironment(input({ KEY: secret('s', {}, { type: 'runtime', scopes: ['web'] }) }, { KEY: secret('o') }));
    expect(r[0]).toMatchObject({ type: 'runtime', scopes: ['web'], value: 's' });
    expect(visibleTo(r, 'ic')).toEqual([]);
  });

  it('shows the organization value again once the site value is deleted', () => {
    const org = { KEY: secret('org-base') };
    expect(valueNamed(resolveForEnvironment(input({ KEY: secret('site-base') }, org)), 'KEY')).toBe('site-base');
    expect(valueNamed(resolveForEnvironment(input({}, org)), 'KEY')).toBe('org-base');
  });

  it('shows the base value again once the override is deleted', () => {
    expect(valueNamed(resolveForEnvironment(input({ KEY: secret('base', { dev: 'dev' }) }, undefined)), 'KEY')).toBe('dev');
    expect(valueNamed(resolveForEnvironment(input({ KEY: secret('base', {}) }, undefined)), 'KEY')).toBe('base');
  });

  it('shares nothing with a site of another organization', () => {
    // The caller passes only the site's own organization; a site without one sees only its own.
    const other = resolveForEnvironment({
      site: { name: 'blog', secrets: { MINE: secret('m') } },
      organization: undefined,
      environment: 'dev',
    });
    expect(other.map((s) => s.name)).toEqual(['MINE']);
  });

  it('filters by the consumer scope', () => {
    const r = resolveForEnvironment(
      input(
        { A: secret('a', {}, { scopes: ['ic', 'web'] }), B: secret('b', {}, { scopes: ['web', 'user'] }) },
        { C: secret('c', {}, { scopes: ['ic'] }) },
      ),
    );
    expect(visibleTo(r, 'ic').map((s) => s.name)).toEqual(['A', 'C']);
    expect(visibleTo(r, 'user').map((s) => s.name)).toEqual(['B']);
  });

  it('sorts by name and keeps names that look like object keys as data', () => {
    const r = resolveForEnvironment(input({ constructor: secret('x', {}, { type: 'runtime' }), b: secret('b') }, { a: secret('a') }));
    expect(r.map((s) => s.name)).toEqual(['a', 'b', 'constructor']);
  });

  it('sorts by UTF-16 code unit, whatever order the owners list them in', () => {
    // Uppercase before lowercase and '_' between them: the same order in every locale.
    const site = { zeta: secret('1'), Beta: secret('2'), _under: secret('3'), 'alpha.2': secret('4') };
    const org = { alpha: secret('5'), ZED: secret('6'), Beta: secret('7'), 'alpha.10': secret('8') };
    const names = resolveForEnvironment(input(site, org)).map((s) => s.name);
    expect(names).toEqual(['Beta', 'ZED', '_under', 'alpha', 'alpha.10', 'alpha.2', 'zeta']);
    expect(resolveForEnvironment(input(org, site)).map((s) => s.name)).toEqual(names);
  });

  it('an override for another environment changes nothing, and is not listed as shadowed', () => {
    const r = resolveForEnvironment(input({ KEY: secret('base', { live: 'live-value' }) }, undefined, 'dev'));
    expect(r).toEqual([
      {
        name: 'KEY',
        type: 'env',
        scopes: ['ic'],
        value: 'base',
        from: { owner: { kind: 'site', name: 'shop' }, layer: 'base' },
        shadowed: [],
      },
    ]);
  });
});

describe('describeProvenance', () => {
  it('names the owner, and the environment of an override', () => {
    expect(describeProvenance({ owner: { kind: 'site', name: 'shop' }, layer: 'base' })).toBe('site shop');
    expect(describeProvenance({ owner: { kind: 'org', name: 'acme' }, layer: 'base' })).toBe('org acme');
    expect(describeProvenance({ owner: { kind: 'site', name: 'shop' }, layer: 'override', environment: 'dev' })).toBe(
      'site shop (dev override)',
    );
  });
});

describe('resolveForEnvironment: what other sources hand on', () => {
  const hidden = (extra: Partial<SourceSecret> = {}): SourceSecret => ({
    type: 'env',
    scopes: ['ic'],
    value: null,
    overrides: {},
    ...extra,
  });
  const site = { kind: 'site', name: 'shop' } as const;
  const org = { kind: 'org', name: 'acme' } as const;
  const of = (siteSecrets: SourceSecretMap, orgSecrets: SourceSecretMap, environment = 'dev') =>
    resolveForEnvironment({
      site: { name: 'shop', secrets: siteSecrets },
      organization: { name: 'acme', secrets: orgSecrets },
      environment,
    });

  it('a value not shown stays not shown, and a site’s such secret still wins whole over the organization’s', () => {
    expect(of({ KEY: hidden() }, { KEY: secret('org-base') })).toEqual([
      {
        name: 'KEY',
        type: 'env',
        scopes: ['ic'],
        value: null,
        from: { owner: site, layer: 'base' },
        shadowed: [{ owner: org, layer: 'base' }],
      },
    ]);
  });

  it('an override shown over a base not shown gives the override', () => {
    const r = of({ KEY: hidden({ overrides: { dev: 'site-dev' } }) }, {});
    expect(r[0]).toMatchObject({
      value: 'site-dev',
      from: { owner: site, layer: 'override', environment: 'dev' },
      shadowed: [{ owner: site, layer: 'base' }],
    });
  });

  it('carries a legacy type and where an odd name was read, from whichever owner wins', () => {
    const r = of(
      { 'a b': hidden({ type: 'file', shownAs: 'Secrets.(1st key)' }) },
      { 'a b': hidden({ shownAs: 'org (1st key)' }), 'c d': hidden({ shownAs: 'org (2nd key)' }) },
    );
    expect(r.map((s) => [s.name, s.type, s.shownAs])).toEqual([
      ['a b', 'file', 'Secrets.(1st key)'],
      ['c d', 'env', 'org (2nd key)'],
    ]);
    // A name that fits carries no shownAs at all.
    expect(Object.keys(of({ KEY: secret('v') }, {})[0] ?? {})).not.toContain('shownAs');
  });
});
