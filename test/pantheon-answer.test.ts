// The customer-secrets service's read answer (and the local-development file, the same
// document), fed from what the real plugin and service produced (fixtures/pantheon/).
import { describe, expect, it } from 'vitest';
import { InvalidDocumentError, UsageError } from '../src/errors.js';
import { UNKNOWN_ORGANIZATION } from '../src/sources/listed-secret.js';
import {
  organizationSecretsFromPantheonAnswer,
  parsePantheonAnswer,
  siteSecretsFromPantheonAnswer,
} from '../src/sources/pantheon-answer.js';
import type { FetchRequest, SiteSecrets } from '../src/sources/source.js';
import { buildOf, pantheonFixture as fixture } from './support/build-of.js';
import { failure, fullText } from './support/cli-error.js';

const SITE_UUID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

function siteSecrets(text: string, request: FetchRequest = { site: 'shop', organization: 'acme' }): SiteSecrets {
  return siteSecretsFromPantheonAnswer(parsePantheonAnswer(text, 'answer.json'), request, 'answer.json');
}

describe('parsePantheonAnswer', () => {
  it('reads the answer as the service gives it and the file as local-generate writes it, the same way', () => {
    for (const capture of ['a', 'b', 'c', 'd']) {
      expect(parsePantheonAnswer(fixture(`${capture}/secrets.json`), 'f')).toEqual(
        parsePantheonAnswer(fixture(`${capture}/api.json`), 'f'),
      );
    }
    expect(parsePantheonAnswer(fixture('main/secrets.json'), 'f')).toEqual(parsePantheonAnswer(fixture('main/api-site.json'), 'f'));
  });

  it('keeps the ids, each entry as listed, and no more', () => {
    const answer = parsePantheonAnswer(fixture('main/api-site.json'), 'f');
    expect(answer.siteId).toBe(SITE_UUID);
    expect(answer.organizationId).toBeUndefined();
    expect(answer.secrets).toEqual([
      {
        name: 'github-oauth.github.com',
        type: 'composer',
        scopes: ['ic', 'user'],
        value: 'ghp_site_token',
        envValues: {},
        orgValues: {},
        shownAs: undefined,
      },
      {
        name: 'ACF_PRO_KEY',
        type: 'env',
        scopes: ['ic', 'user'],
        value: null,
        envValues: {},
        orgValues: { default: 'org-acf', dev: 'org-acf-dev' },
        shownAs: undefined,
      },
      {
        name: 'SENTRY_DSN',
        type: 'env',
        scopes: ['ic', 'web', 'user'],
        value: 'https://site.example/dsn',
        envValues: { dev: 'https://site.example/dsn-dev' },
        orgValues: {},
        shownAs: undefined,
      },
      {
        name: 'BOTH',
        type: 'env',
        scopes: ['ic', 'user'],
        value: 'site-both',
        envValues: {},
        orgValues: { default: 'org-both', dev: 'org-both-dev' },
        shownAs: undefined,
      },
    ]);
    expect(parsePantheonAnswer(fixture('org/api.json'), 'f')).toMatchObject({ siteId: undefined, organizationId: 'o' });
  });

  it('reads PHP empty maps ([]), null maps, missing maps and a missing Value as empty', () => {
    const answer = parsePantheonAnswer(
      JSON.stringify({
        SiteID: 7,
        OrgID: 8,
        Secrets: { A: { Type: 'env', Scopes: ['ic'], EnvValues: [], OrgValues: null }, B: { Type: 'env', Value: '0', Scopes: [] } },
      }),
      'f',
    );
    expect(answer.siteId).toBeUndefined();
    expect(answer.organizationId).toBeUndefined();
    expect(answer.secrets).toEqual([
      { name: 'A', type: 'env', scopes: ['ic'], value: undefined, envValues: {}, orgValues: {}, shownAs: undefined },
      { name: 'B', type: 'env', scopes: [], value: '0', envValues: {}, orgValues: {}, shownAs: undefined },
    ]);
    expect(parsePantheonAnswer('{"Secrets": []}', 'f').secrets).toEqual([]);
  });

  it('shows a name that breaks its type rules by its position, never quoted', () => {
    const answer = parsePantheonAnswer(fixture('d/api.json'), 'f');
    expect(answer.secrets.map((s) => [s.name, s.shownAs])).toEqual([
      ['sendgrid api key', 'Secrets.(1st key)'],
      ['ACF_PRO_KEY', undefined],
      ['github-oauth', 'Secrets.(3rd key)'],
    ]);
  });

  it('refuses what it cannot read by JSON path, never quoting a value or a name at fault', async () => {
    const bad = {
      Secrets: {
        'ghp_CANARY value': { Type: 'secret-CANARY', Value: 'CANARY-1', Scopes: ['ic'] },
        GOOD: { Type: 'env', Value: 5, Scopes: ['CANARY-scope'], EnvValues: { dev: 6 }, OrgValues: 'CANARY' },
        NO_TYPE: { Value: 'CANARY-2', Scopes: ['ic'] },
      },
    };
    const error = await failure(Promise.resolve().then(() => parsePantheonAnswer(JSON.stringify(bad), 'answer.json')));
    expect(error).toBeInstanceOf(InvalidDocumentError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe('answer.json is not a valid Pantheon secrets answer ({"Secrets": {...}})');
    expect(error.details).toEqual([
      'Secrets.(1st key).Type: must be one of "runtime", "env", "composer", "file", "vcs"',
      'Secrets.GOOD.Value: must be a string',
      'Secrets.GOOD.Scopes[0]: must be one of "ic", "web", "user"',
      'Secrets.GOOD.EnvValues.dev: must be a string',
      'Secrets.GOOD.OrgValues: must be a record',
      'Secrets.NO_TYPE.Type: must be one of "runtime", "env", "composer", "file", "vcs"',
    ]);
    expect(fullText(error)).not.toMatch(/CANARY/);
  });

  it('refuses an answer without Secrets, a text that is not JSON, and a __proto__ name', () => {
    expect(() => parsePantheonAnswer('{"SiteID": "x"}', 'f')).toThrow(
      expect.objectContaining({ details: ['Secrets: is required (record)'] }),
    );
    expect(() => parsePantheonAnswer('{"Secrets": {"CANARY": }', 'f')).toThrow('f is not valid JSON (line 1, column 24)');
    expect(() => parsePantheonAnswer('{"Secrets": {"__proto__": {"Type": "env", "Value": "CANARY", "Scopes": ["ic"]}}}', 'f')).toThrow(
      InvalidDocumentError,
    );
  });
});

describe('siteSecretsFromPantheonAnswer: the plugin’s Integrated Composer rules', () => {
  it('main capture: site value with its override; else the organization with its override; a site base value beats an organization override', () => {
    expect(buildOf(siteSecrets(fixture('main/api-site.json')))).toEqual({
      entries: {
        ACF_PRO_KEY: { from: 'org acme (dev override)', shadowed: ['org acme'], becomes: 'variable' },
        BOTH: { from: 'site shop', shadowed: ['org acme (dev override)', 'org acme'], becomes: 'variable' },
        SENTRY_DSN: { from: 'site shop (dev override)', shadowed: ['site shop'], becomes: 'variable' },
        'github-oauth.github.com': { from: 'site shop', shadowed: [], becomes: 'auth-entry' },
      },
      variables: { ACF_PRO_KEY: 'org-acf-dev', BOTH: 'site-both', SENTRY_DSN: 'https://site.example/dsn-dev' },
      authFile: { 'github-oauth': { 'github.com': 'ghp_site_token' } },
      problems: [],
      maskedValues: ['org-acf-dev', 'site-both', 'https://site.example/dsn-dev', 'ghp_site_token', 'ghp_site_token'],
    });
  });

  it('main capture in a multidev without overrides: base values, the site’s over the organization’s', () => {
    expect(buildOf(siteSecrets(fixture('main/api-site.json')), 'feature-x').variables).toEqual({
      ACF_PRO_KEY: 'org-acf',
      BOTH: 'site-both',
      SENTRY_DSN: 'https://site.example/dsn',
    });
  });

  it('c capture: a site "0" is a value and beats the organization (the SDK reads it as empty); "" leaves the organization’s', () => {
    const build = buildOf(siteSecrets(fixture('c/api.json')));
    expect(build.variables).toEqual({ EMPTYSITE: 'org-e', SAME: 'shared', ZERO: '0' });
    expect(build.entries.SAME).toEqual({ from: 'site shop', shadowed: ['org acme (dev override)', 'org acme'], becomes: 'variable' });
    expect(build.entries.EMPTYSITE?.from).toBe('org acme');
  });

  it('maps each entry to the site and organization layers exactly', () => {
    const text = JSON.stringify({
      Secrets: {
        SITE: {
          Type: 'env',
          Value: 's',
          Scopes: ['ic', 'ic'],
          EnvValues: { dev: 'sd', test: null },
          OrgValues: { default: 'o', live: 'ol' },
        },
        ORG_ONLY_OVERRIDES: { Type: 'env', Value: null, Scopes: ['ic'], OrgValues: { default: null, dev: 'od' } },
        EMPTY: { Type: 'env', Value: '', Scopes: ['ic'], OrgValues: { default: '' } },
        'bearer.repo.example.org': { Type: 'composer', Value: null, Scopes: ['ic'] },
        HIDDEN_BASE: { Type: 'env', Value: null, Scopes: ['ic'], EnvValues: { dev: 'sd' }, OrgValues: { default: 'o' } },
      },
    });
    expect(siteSecrets(text, { site: 'shop' })).toEqual({
      site: {
        name: 'shop',
        secrets: {
          SITE: { type: 'env', scopes: ['ic'], value: 's', overrides: { dev: 'sd' } },
          EMPTY: { type: 'env', scopes: ['ic'], value: '', overrides: {} },
          'bearer.repo.example.org': { type: 'composer', scopes: ['ic'], value: null, overrides: {} },
          HIDDEN_BASE: { type: 'env', scopes: ['ic'], value: null, overrides: { dev: 'sd' } },
        },
      },
      organization: {
        name: UNKNOWN_ORGANIZATION,
        secrets: {
          SITE: { type: 'env', scopes: ['ic'], value: 'o', overrides: { live: 'ol' } },
          ORG_ONLY_OVERRIDES: { type: 'env', scopes: ['ic'], value: null, overrides: { dev: 'od' } },
          HIDDEN_BASE: { type: 'env', scopes: ['ic'], value: 'o', overrides: {} },
        },
      },
    });
  });

  it('leaves the organization out when nothing is its and --org names none', () => {
    expect(siteSecrets(fixture('a/api.json'), { site: 'shop' }).organization).toBeUndefined();
    expect(siteSecrets(fixture('a/api.json'), { site: 'shop', organization: 'acme' }).organization).toEqual({ name: 'acme', secrets: {} });
  });

  it('refuses an answer for another site when both are UUIDs, and takes the same UUID in any case', async () => {
    const other = 'bbbbbbbb-bbbb-cccc-dddd-eeeeeeeeeeee';
    const error = await failure(Promise.resolve().then(() => siteSecrets(fixture('main/api-site.json'), { site: other })));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message).toBe(`answer.json holds the secrets of site ${SITE_UUID}, not ${other}`);
    expect(siteSecrets(fixture('main/api-site.json'), { site: SITE_UUID.toUpperCase() }).site.name).toBe(SITE_UUID.toUpperCase());
    // A name cannot be compared with the answer's UUID; a SiteID that is not a UUID says nothing.
    expect(siteSecrets(fixture('main/api-site.json'), { site: 'shop' }).site.name).toBe('shop');
    expect(siteSecrets(fixture('a/api.json'), { site: other }).site.name).toBe(other);
  });
});

describe('organizationSecretsFromPantheonAnswer', () => {
  it('reads the organization endpoint’s answer: Value its base (null when not shown), EnvValues its overrides', () => {
    expect(organizationSecretsFromPantheonAnswer(parsePantheonAnswer(fixture('org/api.json'), 'f'), 'f')).toEqual({
      organizationId: 'o',
      secrets: {
        ACF_PRO_KEY: { type: 'env', scopes: ['ic', 'user'], value: 'org-acf', overrides: { dev: 'org-acf-dev' } },
        // Not <kind>.<host>: read, and shown by position (a build would refuse it).
        TOKEN: { type: 'composer', scopes: ['ic'], value: null, overrides: {}, shownAs: 'Secrets.(2nd key)' },
      },
    });
    const odd = organizationSecretsFromPantheonAnswer(
      parsePantheonAnswer('{"Secrets": {"a b": {"Type": "runtime", "Value": "", "Scopes": ["ic","ic"], "EnvValues": {"dev": null}}}}', 'f'),
      'f',
    );
    expect(odd.secrets).toEqual({ 'a b': { type: 'runtime', scopes: ['ic'], value: '', overrides: {}, shownAs: 'Secrets.(1st key)' } });
  });

  it('refuses a site’s answer', () => {
    const withOrgValues =
      '{"Secrets": {"A": {"Type": "env", "Value": "v", "Scopes": ["ic"]}, "B": {"Type": "env", "Value": "v", "Scopes": ["ic"], "OrgValues": {"default": "o"}}}}';
    // SiteID alone, OrgValues alone (in one entry of two), both.
    for (const text of [fixture('a/api.json'), withOrgValues, fixture('main/api-site.json')]) {
      expect(() => organizationSecretsFromPantheonAnswer(parsePantheonAnswer(text, 'f'), 'org.json')).toThrow(
        new InvalidDocumentError('org.json', "org.json is a site's answer (it has SiteID or OrgValues), not an organization's"),
      );
    }
    expect(
      organizationSecretsFromPantheonAnswer(
        parsePantheonAnswer('{"Secrets": {"A": {"Type": "env", "Value": "v", "Scopes": ["ic"], "OrgValues": []}}}', 'f'),
        'f',
      ).secrets.A?.value,
    ).toBe('v');
  });
});
