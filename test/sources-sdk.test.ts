import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/errors.js';
import { resolveForEnvironment } from '../src/resolve/resolve-for-environment.js';
import { sdkJsonSource } from '../src/sources/sdk-json.js';
import { failure, fullText } from './support/cli-error.js';

function source(document: unknown, site?: string) {
  const text = typeof document === 'string' ? document : JSON.stringify(document);
  return sdkJsonSource({ read: async () => text, description: 'sdk-json file secrets.json', site });
}

describe('sdkJsonSource', () => {
  it('maps the file as local-generate writes it, ignoring other top-level keys', async () => {
    const file = {
      SiteID: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      Secrets: {
        foo: { Type: 'env', Value: 'bar', Scopes: ['ic', 'user'] },
        'github-oauth.github.com': { Type: 'composer', Value: 'gh', Scopes: ['ic'] },
      },
      Count: 2,
      Version: '',
    };
    expect(await source(file).fetch({ site: 'shop', organization: 'acme' })).toEqual({
      site: {
        name: 'shop',
        secrets: {
          foo: { type: 'env', scopes: ['ic', 'user'], value: 'bar', overrides: {} },
          'github-oauth.github.com': { type: 'composer', scopes: ['ic'], value: 'gh', overrides: {} },
        },
      },
      organization: { name: 'acme', secrets: {} },
    });
  });

  it('follows the build, not the SDK: site and organization values with their overrides, a site "0" a value', async () => {
    const file = {
      Secrets: {
        SITE_BASE: { Type: 'env', Value: 'site-base', Scopes: ['ic'], OrgValues: [], EnvValues: [] },
        SITE_OVERRIDE: { Type: 'env', Value: 'site-base', Scopes: ['ic'], EnvValues: { dev: 'site-dev', test: null } },
        ORG_BASE: { Type: 'env', Value: '', Scopes: ['ic'], OrgValues: { default: 'org-base' } },
        ORG_OVERRIDE: { Type: 'env', Value: null, Scopes: ['ic'], OrgValues: { default: 'org-base', dev: 'org-dev' } },
        SITE_BEATS_ORG: { Type: 'env', Value: 'site-base', Scopes: ['ic'], OrgValues: { default: 'org-base', dev: 'org-dev' } },
        ZERO: { Type: 'env', Value: '0', Scopes: ['ic'], OrgValues: { default: 'org-zero' } },
      },
    };
    const secrets = await source(file).fetch({ site: 'shop' });
    const dev = resolveForEnvironment({ ...secrets, environment: 'dev' });
    expect(Object.fromEntries(dev.map((s) => [s.name, s.value]))).toEqual({
      SITE_BASE: 'site-base',
      SITE_OVERRIDE: 'site-dev',
      ORG_BASE: 'org-base',
      ORG_OVERRIDE: 'org-dev',
      SITE_BEATS_ORG: 'site-base',
      ZERO: '0',
    });
    expect(dev.find((s) => s.name === 'ORG_OVERRIDE')?.from.owner.kind).toBe('org');
    const live = resolveForEnvironment({ ...secrets, environment: 'live' });
    expect(live.find((s) => s.name === 'ORG_OVERRIDE')?.value).toBe('org-base');
  });

  it('reads an empty file map ([] from PHP) as no secrets', async () => {
    expect(await source({ Secrets: [] }).fetch({ site: 'shop' })).toEqual({ site: { name: 'shop', secrets: {} }, organization: undefined });
  });

  it('reads secrets with no value shown as hidden, for planning to judge', async () => {
    const file = {
      Secrets: {
        MISSING: { Type: 'env', Value: null, Scopes: ['ic'] },
        ABSENT: { Type: 'runtime', Scopes: ['web'], OrgValues: { default: null } },
      },
    };
    expect((await source(file).fetch({ site: 'shop' })).site.secrets).toEqual({
      MISSING: { type: 'env', scopes: ['ic'], value: null, overrides: {} },
      ABSENT: { type: 'runtime', scopes: ['web'], value: null, overrides: {} },
    });
  });

  it('reports a bad file by JSON path, without values', async () => {
    const file = {
      Secrets: {
        A: { Type: 'secret', Value: 'CANARY-1', Scopes: ['ic'] },
        B: { Type: 'env', Value: 'CANARY-2', Scopes: 'ic' },
        C: { Type: 'env', Value: 'CANARY-3', Scopes: ['ic'], EnvValues: { dev: 7 } },
      },
    };
    const schema = await failure(source(file).fetch({ site: 'shop' }));
    expect(schema.details).toEqual([
      'Secrets.A.Type: must be one of "runtime", "env", "composer", "file", "vcs"',
      'Secrets.B.Scopes: must be an array',
      'Secrets.C.EnvValues.dev: must be a string',
    ]);
    expect(fullText(schema)).not.toContain('CANARY');
    expect((await failure(source({ secrets: {} }).fetch({ site: 'shop' }))).details).toEqual(['Secrets: is required (record)']);
  });

  it('says where JSON is broken without quoting it', async () => {
    const error = await failure(source('{"Secrets": {"A": CANARY}}').fetch({ site: 'shop' }));
    expect(error.message).toMatch(/is not valid JSON \(line 1, column \d+\)/);
    expect(error.message).not.toContain('CANARY');
  });

  it("refuses to answer for a site that is not the file's", async () => {
    let reads = 0;
    const file = sdkJsonSource({
      read: async () => {
        reads++;
        return '{"Secrets": {}}';
      },
      description: 'sdk-json file secrets.json',
      site: 'shop',
    });
    const error = await failure(file.fetch({ site: 'blog' }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe("sdk-json file secrets.json holds the secrets of site 'shop', not 'blog'");
    expect(reads).toBe(0);
    expect((await file.fetch({ site: 'shop' })).site.name).toBe('shop');
  });
});
