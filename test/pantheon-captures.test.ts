// Every capture of Pantheon's real tools (fixtures/pantheon/) through the sources that read
// them, to the build's result: `terminus-json:` reads what `secret:site:list --format=json`
// printed, `sdk-json:` what `secret:site:local-generate` wrote. Both show one site the same
// way, so both must give the same build.
import { describe, expect, it } from 'vitest';
import { ownerSecretsOfListed } from '../src/sources/listed-secret.js';
import { organizationSecretsFromPantheonAnswer, parsePantheonAnswer } from '../src/sources/pantheon-answer.js';
import { sdkJsonSource } from '../src/sources/sdk-json.js';
import type { FetchRequest, SiteSecrets } from '../src/sources/source.js';
import { parseTerminusSecretList, terminusJsonSource } from '../src/sources/terminus-json.js';
import { buildOf, pantheonFixture } from './support/build-of.js';

const request: FetchRequest = { site: 'shop', organization: 'acme' };

async function bothSources(capture: string): Promise<{ terminus: SiteSecrets; sdk: SiteSecrets }> {
  const read = (path: string) => async () => pantheonFixture(`${capture}/${path}`);
  return {
    terminus: await terminusJsonSource({ read: read('site-list.json'), description: 'site-list.json' }).fetch(request),
    sdk: await sdkJsonSource({ read: read('secrets.json'), description: 'secrets.json' }).fetch(request),
  };
}

/** The build of both sources, which must agree but for where an odd name was read. */
async function buildOfCapture(capture: string, environment = 'dev') {
  const { terminus, sdk } = await bothSources(capture);
  const fromTerminus = buildOf(terminus, environment);
  const fromSdk = buildOf(sdk, environment);
  const positionless = (text: string) => text.replace(/Secrets\.\(/g, '(');
  expect(JSON.parse(positionless(JSON.stringify(fromSdk)))).toEqual(fromTerminus);
  return fromTerminus;
}

describe('the captures, through terminus-json and sdk-json, to the build', () => {
  it('a: a hidden ic composer token stops the build, naming it; a hidden web-only runtime secret is skipped', async () => {
    const build = await buildOfCapture('a');
    expect(build.entries).toEqual({
      ACF_PRO_KEY: { from: 'site shop', shadowed: [], becomes: 'variable' },
      'github-oauth.github.com': { from: 'site shop', shadowed: [], becomes: 'unusable: no-value-shown' },
      sendgrid_api: { from: 'site shop', shadowed: [], becomes: 'skipped: runtime-type' },
    });
    expect(build.variables).toEqual({ ACF_PRO_KEY: 'acf-key' });
    expect(build.authFile).toBeUndefined();
    expect(build.problems).toEqual([
      "secret 'github-oauth.github.com': the build uses it (composer type, ic scope), but the source shows no value for it (hidden from whoever read it, or never set): " +
        "read the secrets where ic values are visible (the platform's build, with --source pantheon and its token), or recreate the secret with --scope including user so people can read it",
    ]);
  });

  it('b: a leftover file secret is skipped and stops nothing', async () => {
    const build = await buildOfCapture('b');
    expect(build.entries['file.json']).toEqual({ from: 'site shop', shadowed: [], becomes: 'skipped: legacy-type' });
    expect(build.variables).toEqual({ ACF_PRO_KEY: 'acf-key' });
    expect(build.problems).toEqual([]);
    expect(build.maskedValues).toEqual(['acf-key']);
  });

  it('c: a site "0" is the site’s value; "" leaves the organization’s; a site value equal to the organization’s beats its override', async () => {
    const build = await buildOfCapture('c');
    expect(build.variables).toEqual({ EMPTYSITE: 'org-e', SAME: 'shared', ZERO: '0' });
    expect(build.entries).toEqual({
      EMPTYSITE: { from: 'org acme', shadowed: [], becomes: 'variable' },
      SAME: { from: 'site shop', shadowed: ['org acme (dev override)', 'org acme'], becomes: 'variable' },
      ZERO: { from: 'site shop', shadowed: ['org acme'], becomes: 'variable' },
    });
  });

  it('d: an odd name on a runtime secret is skipped, shown by position; an odd composer name the build uses stops it, by position', async () => {
    const build = await buildOfCapture('d');
    expect(build.entries).toEqual({
      '(1st key)': { from: 'site shop', shadowed: [], becomes: 'skipped: runtime-type' },
      ACF_PRO_KEY: { from: 'site shop', shadowed: [], becomes: 'variable' },
      '(3rd key)': { from: 'site shop', shadowed: [], becomes: 'unusable: invalid-name' },
    });
    expect(build.problems).toEqual([
      expect.stringMatching(
        /^the secret at \(3rd key\): the build uses it \(composer type, ic scope\), but a composer secret is named <kind>\.<host> .*: recreate it under a valid name$/,
      ),
    ]);
    // The kinds the rule lists are not the name.
    expect(JSON.stringify(build).replace(/\(kinds: [^)]*\)/g, '')).not.toMatch(/sendgrid|github-oauth|"tok"|"x"/);
    expect(build.variables).toEqual({ ACF_PRO_KEY: 'acf-key' });
  });

  it('main: site values with their overrides, the organization’s where the site has none, the site’s base over the organization’s override', async () => {
    const build = await buildOfCapture('main');
    expect(build.entries).toEqual({
      ACF_PRO_KEY: { from: 'org acme (dev override)', shadowed: ['org acme'], becomes: 'variable' },
      BOTH: { from: 'site shop', shadowed: ['org acme (dev override)', 'org acme'], becomes: 'variable' },
      SENTRY_DSN: { from: 'site shop (dev override)', shadowed: ['site shop'], becomes: 'variable' },
      'github-oauth.github.com': { from: 'site shop', shadowed: [], becomes: 'auth-entry' },
    });
    expect(build.variables).toEqual({ ACF_PRO_KEY: 'org-acf-dev', BOTH: 'site-both', SENTRY_DSN: 'https://site.example/dsn-dev' });
    expect(build.authFile).toEqual({ 'github-oauth': { 'github.com': 'ghp_site_token' } });
    expect((await buildOfCapture('main', 'feature-x')).variables).toEqual({
      ACF_PRO_KEY: 'org-acf',
      BOTH: 'site-both',
      SENTRY_DSN: 'https://site.example/dsn',
    });
  });

  it('org: Terminus’s organization listing and the organization endpoint’s answer hold the same values', () => {
    const listed = ownerSecretsOfListed(parseTerminusSecretList(pantheonFixture('org/org-list.json'), 'org-list.json')).site;
    const answered = organizationSecretsFromPantheonAnswer(
      parsePantheonAnswer(pantheonFixture('org/api.json'), 'api.json'),
      'api.json',
    ).secrets;
    expect(listed).toEqual({ ...answered, TOKEN: { ...answered.TOKEN, shownAs: '(2nd key)' } });
    // As the organization of a site without secrets: its override for dev; its odd-named hidden token stops the build by position.
    const build = buildOf({ site: { name: 'shop', secrets: {} }, organization: { name: 'acme', secrets: answered } });
    expect(build.entries).toEqual({
      ACF_PRO_KEY: { from: 'org acme (dev override)', shadowed: ['org acme'], becomes: 'variable' },
      'Secrets.(2nd key)': { from: 'org acme', shadowed: [], becomes: 'unusable: invalid-name' },
    });
    expect(build.variables).toEqual({ ACF_PRO_KEY: 'org-acf-dev' });
  });
});

describe('variations on the captures', () => {
  const answer = (secrets: Record<string, unknown>) => JSON.stringify({ SiteID: 's', Secrets: secrets });
  const sdk = (text: string) => sdkJsonSource({ read: async () => text, description: 'secrets.json' }).fetch(request);

  it('hidden values, file and vcs types and odd names the build does not use stop nothing', async () => {
    const build = buildOf(
      await sdk(
        answer({
          'web only key': { Type: 'env', Value: null, Scopes: ['web'] },
          'RUNTIME VALUE': { Type: 'runtime', Value: null, Scopes: ['ic', 'web'] },
          'id_rsa': { Type: 'vcs', Value: null, Scopes: ['ic'] },
          'settings.json': { Type: 'file', Value: '{}', Scopes: ['ic', 'user'], EnvValues: [], OrgValues: [] },
          ACF_PRO_KEY: { Type: 'env', Value: 'acf', Scopes: ['ic'] },
        }),
      ),
    );
    expect(build.problems).toEqual([]);
    expect(build.variables).toEqual({ ACF_PRO_KEY: 'acf' });
    expect(build.entries).toEqual({
      ACF_PRO_KEY: { from: 'site shop', shadowed: [], becomes: 'variable' },
      'Secrets.(2nd key)': { from: 'site shop', shadowed: [], becomes: 'skipped: runtime-type' },
      'Secrets.(1st key)': { from: 'site shop', shadowed: [], becomes: 'skipped: not-in-scope' },
      id_rsa: { from: 'site shop', shadowed: [], becomes: 'skipped: legacy-type' },
      'settings.json': { from: 'site shop', shadowed: [], becomes: 'skipped: legacy-type' },
    });
  });

  it('a site’s file secret shadows an organization secret of the same name: the site’s wins whole, so nothing is built from it', async () => {
    const build = buildOf(
      await sdk(answer({ TOKEN: { Type: 'file', Value: 'site-file', Scopes: ['ic'], OrgValues: { default: 'org-token' } } })),
    );
    expect(build.entries).toEqual({ TOKEN: { from: 'site shop', shadowed: ['org acme'], becomes: 'skipped: legacy-type' } });
    expect(build.variables).toEqual({});
    expect(build.maskedValues).toEqual([]);
  });

  it('an override the reader sees over a base it does not is used; the base alone stops the build', async () => {
    const text = answer({ KEY: { Type: 'env', Value: null, Scopes: ['ic'], EnvValues: { dev: 'dev-value' } } });
    expect(buildOf(await sdk(text)).variables).toEqual({ KEY: 'dev-value' });
    const live = buildOf(await sdk(text), 'feature-x');
    expect(live.entries.KEY?.becomes).toBe('unusable: no-value-shown');
    expect(live.problems).toHaveLength(1);
  });

  it('missing keys and PHP empty maps read as empty; an empty value with nothing under it is an empty variable', async () => {
    const build = buildOf(
      await sdk(
        answer({
          EMPTY: { Type: 'env', Value: '', Scopes: ['ic'], EnvValues: [], OrgValues: [] },
          NO_MAPS: { Type: 'env', Value: 'v', Scopes: ['ic'] },
        }),
      ),
    );
    expect(build.variables).toEqual({ EMPTY: '', NO_MAPS: 'v' });
    expect(buildOf(await sdk('{"Secrets": []}')).entries).toEqual({});
  });
});
