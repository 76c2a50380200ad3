// secret:site:list and secret:org:list as Terminus prints them: the rendering compared byte
// for byte with what the real plugin printed (fixtures/pantheon, copied from its captures),
// and the commands on stores holding the same data.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type PhpJsonValue, PhpObject, phpJsonPretty, phpJsonString } from '../src/cli/render/php-json.js';
import {
  type ListingRow,
  listingRowsOfOrganization,
  listingRowsOfSite,
  renderListingJson,
  renderListingTable,
} from '../src/cli/render/secret-listing.js';
import { mbStrWidth, symfonyWidth } from '../src/cli/render/terminal-width.js';
import { renderTerminusTable } from '../src/cli/render/terminus-table.js';
import { memoryContext } from './support/memory-context.js';

const fixture = (path: string) => readFileSync(new URL(`../fixtures/pantheon/${path}`, import.meta.url), 'utf8');
const STORE = '/store.json';

type CapturedRow = { name: string; type: string; value: string | null; scopes: string[]; 'env-values': unknown; 'org-values'?: unknown };
const entries = (map: unknown) => (Array.isArray(map) ? [] : Object.entries(map as Record<string, string | null>));

/** A captured listing as rows, in its order (no capture has an integer-like name, which JSON.parse would move first). */
function capturedRows(text: string): ListingRow[] {
  return Object.values(JSON.parse(text) as Record<string, CapturedRow>).map((row) => ({
    name: row.name,
    type: row.type,
    value: row.value,
    scopes: row.scopes,
    envValues: entries(row['env-values']),
    ...(row['org-values'] === undefined ? {} : { orgValues: entries(row['org-values']) }),
  }));
}

describe('the listing rendered from rows, byte for byte as the Terminus plugin printed it', () => {
  it.each(['main', 'a', 'b', 'c', 'd'])('captures/%s: site-list.json and site-list.table.txt', (capture) => {
    const json = fixture(`${capture}/site-list.json`);
    const rows = capturedRows(json);
    expect(renderListingJson(rows, 'site')).toBe(json);
    expect(renderListingTable(rows, 'site')).toBe(fixture(`${capture}/site-list.table.txt`));
  });

  it('org/org-list.json: the rows without org-values', () => {
    const json = fixture('org/org-list.json');
    expect(renderListingJson(capturedRows(json), 'org')).toBe(json);
  });

  it('no secrets: [] in json, the header alone in the table (as Symfony renders an empty table)', () => {
    expect(renderListingJson([], 'site')).toBe('[]\n');
    expect(renderListingJson([], 'org')).toBe('[]\n');
    expect(renderListingTable([], 'site')).toBe(
      [
        ' ------------- ------------- -------------- --------------- ',
        '  Secret name   Secret type   Secret value   Secret scopes  ',
        ' ------------- ------------- -------------- --------------- ',
        '',
      ].join('\n'),
    );
  });

  it("the organization's table has Terminus's fifth column: overrides as env=value, hidden and PHP-empty ones redacted (checked against the real Table)", () => {
    const rows: ListingRow[] = [
      {
        name: 'K',
        type: 'env',
        value: '0',
        scopes: ['ic'],
        envValues: [
          ['dev', 'd'],
          ['live', null],
          ['test', ''],
        ],
      },
    ];
    expect(renderListingTable(rows, 'org')).toBe(
      [
        ' ------------- ------------- -------------- --------------- ----------------------------------------- ',
        '  Secret name   Secret type   Secret value   Secret scopes   Environment override values              ',
        ' ------------- ------------- -------------- --------------- ----------------------------------------- ',
        '  K             env           [REDACTED]     ic              dev=d, live=[REDACTED], test=[REDACTED]  ',
        ' ------------- ------------- -------------- --------------- ----------------------------------------- ',
        '',
      ].join('\n'),
    );
  });

  it('keeps the order of names, integer-like ones too, where a JavaScript object would move them first', () => {
    const rows: ListingRow[] = ['b', '10', 'a'].map((name) => ({ name, type: 'runtime', value: null, scopes: ['web'], envValues: [] }));
    expect(renderListingJson(rows, 'org').match(/^ {4}"[^"]+"/gm)).toEqual(['    "b"', '    "10"', '    "a"']);
  });
});

describe('PHP json_encode, byte for byte', () => {
  /** Parsed JSON as PHP holds it after json_decode without assoc: objects stay objects ({} when empty). */
  const asPhp = (json: unknown): PhpJsonValue =>
    Array.isArray(json)
      ? json.map(asPhp)
      : json !== null && typeof json === 'object'
        ? new PhpObject(Object.entries(json).map(([k, v]) => [k, asPhp(v)] as const))
        : (json as PhpJsonValue);

  it.each(['main', 'a', 'b', 'c', 'd'])(
    "captures/%s/secrets.json, as local-generate's json_encode(JSON_PRETTY_PRINT) wrote it",
    (capture) => {
      const text = fixture(`${capture}/secrets.json`);
      expect(phpJsonPretty(asPhp(JSON.parse(text)), { escapeSlashes: true })).toBe(text);
    },
  );

  it('escapes strings as PHP 8.2 does (checked against php -r json_encode)', () => {
    const text = 'x"\\/\u0001\u001f\u007f\u00e9\u{1F600}\u2028<>&\'\b\f\n\r\t';
    expect(phpJsonString(text, { escapeSlashes: true })).toBe(
      '"x\\"\\\\\\/\\u0001\\u001f\u007f\\u00e9\\ud83d\\ude00\\u2028<>&\'\\b\\f\\n\\r\\t"',
    );
    expect(phpJsonString('a/b', { escapeSlashes: false })).toBe('"a/b"');
  });

  it('prints empty arrays and objects as PHP does, and nests with four spaces', () => {
    const value = new PhpObject([
      ['list', []],
      ['map', new PhpObject([], '[]')],
      ['object', new PhpObject([])],
      ['n', null],
      ['i', 4],
      ['nested', new PhpObject([['dev', ['v']]])],
    ]);
    expect(phpJsonPretty(value, { escapeSlashes: true })).toBe(
      '{\n    "list": [],\n    "map": [],\n    "object": {},\n    "n": null,\n    "i": 4,\n    "nested": {\n        "dev": [\n            "v"\n        ]\n    }\n}',
    );
  });
});

describe("Symfony's table", () => {
  it('measures cells in terminal columns as Symfony does, and pads them as mb_strwidth counts (checked against the real Table)', () => {
    expect(symfonyWidth('日本語x')).toBe(7);
    expect(mbStrWidth('日本語x')).toBe(7);
    expect(symfonyWidth('e\u0301')).toBe(1);
    expect(mbStrWidth('e\u0301')).toBe(2);
    // The column is 2 wide by Symfony's count; the padding, by mb_strwidth's, comes short by the combining mark.
    expect(renderTerminusTable(['v'], [['e\u0301x'], ['ab']])).toBe(' ---- \n  v   \n ---- \n  e\u0301x  \n  ab  \n ---- \n');
    expect(renderTerminusTable(['Secret value'], [['日本語x']])).toBe(
      ' -------------- \n  Secret value  \n -------------- \n  日本語x       \n -------------- \n',
    );
  });

  it('shows control characters escaped, where Terminus would send them to the terminal', () => {
    expect(renderTerminusTable(['v'], [['a\u001b[31mb\nc']])).toBe(
      ' --------------- \n  v              \n --------------- \n  a\\x1b[31mb\\nc  \n --------------- \n',
    );
  });
});

describe('listing rows from the store', () => {
  const secret = (type: string, scopes: string[], value: string, overrides: Record<string, string> = {}) =>
    ({ type, scopes, value, overrides }) as never;

  it("a site's row carries the organization's secret of the same name; the organization's other secrets follow, with value null", () => {
    const rows = listingRowsOfSite(
      { SITE: secret('env', ['ic', 'user'], 's', { dev: 'sd' }), BOTH: secret('env', ['ic', 'user'], 'site-both') },
      {
        BOTH: secret('env', ['ic', 'user'], 'org-both', { dev: 'org-both-dev' }),
        ORG: secret('env', ['ic'], 'hidden', { dev: 'hidden-dev' }),
      },
    );
    expect(rows).toEqual([
      { name: 'SITE', type: 'env', value: 's', scopes: ['ic', 'user'], envValues: [['dev', 'sd']], orgValues: [] },
      {
        name: 'BOTH',
        type: 'env',
        value: 'site-both',
        scopes: ['ic', 'user'],
        envValues: [],
        orgValues: [
          ['default', 'org-both'],
          ['dev', 'org-both-dev'],
        ],
      },
      {
        name: 'ORG',
        type: 'env',
        value: null,
        scopes: ['ic'],
        envValues: [],
        orgValues: [
          ['default', null],
          ['dev', null],
        ],
      },
    ]);
  });

  it("hides a value, and its overrides' values, unless its own secret has the user scope", () => {
    const rows = listingRowsOfSite(
      { BOTH: secret('env', ['ic'], 'site', { dev: 'site-dev' }) },
      { BOTH: secret('env', ['ic', 'user'], 'org') },
    );
    expect(rows).toEqual([
      { name: 'BOTH', type: 'env', value: null, scopes: ['ic'], envValues: [['dev', null]], orgValues: [['default', 'org']] },
    ]);
    expect(listingRowsOfOrganization({ K: secret('runtime', ['web'], 'v', { live: 'l' }) })).toEqual([
      { name: 'K', type: 'runtime', value: null, scopes: ['web'], envValues: [['live', null]] },
    ]);
  });
});

/** A store holding a capture's data: the site's secrets in the capture's order, the organization's values under acme. */
function storeOf(site: Record<string, unknown>, organization?: Record<string, unknown>): string {
  return JSON.stringify({
    version: 1,
    organizations: organization === undefined ? {} : { acme: { secrets: organization } },
    sites: { shop: { ...(organization === undefined ? {} : { organization: 'acme' }), secrets: site } },
  });
}

describe('the commands on a store holding the data of a capture', () => {
  const list = async (store: string, argv: string[]) => memoryContext({ files: { [STORE]: store } }).run(['--store', STORE, ...argv]);

  it('captures/a: byte for byte, json and table', async () => {
    const store = storeOf({
      'github-oauth.github.com': { type: 'composer', value: 'ghp_hidden', scopes: ['ic'] },
      sendgrid_api: { type: 'runtime', value: 'SG.hidden', scopes: ['web'] },
      ACF_PRO_KEY: { type: 'env', value: 'acf-key', scopes: ['ic', 'user'] },
    });
    expect(await list(store, ['secret:site:list', 'shop', '--format', 'json'])).toEqual({
      code: 0,
      stdout: fixture('a/site-list.json'),
      stderr: '',
    });
    expect(await list(store, ['secret:site:list', 'shop'])).toEqual({ code: 0, stdout: fixture('a/site-list.table.txt'), stderr: '' });
  });

  it('captures/c: "0" and "" site values over organization values, byte for byte', async () => {
    const user = ['ic', 'user'];
    const store = storeOf(
      {
        ZERO: { type: 'env', value: '0', scopes: user },
        SAME: { type: 'env', value: 'shared', scopes: user },
        EMPTYSITE: { type: 'env', value: '', scopes: user },
      },
      {
        ZERO: { type: 'env', value: 'org-zero', scopes: user },
        SAME: { type: 'env', value: 'shared', scopes: user, overrides: { dev: 'org-dev-value' } },
        EMPTYSITE: { type: 'env', value: 'org-e', scopes: user },
      },
    );
    expect(await list(store, ['secret:site:list', 'shop', '--format', 'json'])).toEqual({
      code: 0,
      stdout: fixture('c/site-list.json'),
      stderr: '',
    });
    expect(await list(store, ['secret:site:list', 'shop'])).toEqual({ code: 0, stdout: fixture('c/site-list.table.txt'), stderr: '' });
  });

  it("captures/main: the same rows; the organization's own secrets come after the site's", async () => {
    const user = ['ic', 'user'];
    const store = storeOf(
      {
        'github-oauth.github.com': { type: 'composer', value: 'ghp_site_token', scopes: user },
        SENTRY_DSN: {
          type: 'env',
          value: 'https://site.example/dsn',
          scopes: ['ic', 'web', 'user'],
          overrides: { dev: 'https://site.example/dsn-dev' },
        },
        BOTH: { type: 'env', value: 'site-both', scopes: user },
      },
      {
        ACF_PRO_KEY: { type: 'env', value: 'org-acf', scopes: user, overrides: { dev: 'org-acf-dev' } },
        BOTH: { type: 'env', value: 'org-both', scopes: user, overrides: { dev: 'org-both-dev' } },
      },
    );
    const json = await list(store, ['secret:site:list', 'shop', '--format', 'json']);
    expect(JSON.parse(json.stdout)).toEqual(JSON.parse(fixture('main/site-list.json')));
    expect(Object.keys(JSON.parse(json.stdout))).toEqual(['github-oauth.github.com', 'SENTRY_DSN', 'BOTH', 'ACF_PRO_KEY']);
    const captured = fixture('main/site-list.table.txt').split('\n');
    const acf = captured.splice(4, 1)[0] ?? expect.unreachable('the captured table is shorter than 5 lines');
    captured.splice(6, 0, acf);
    expect((await list(store, ['secret:site:list', 'shop'])).stdout).toBe(captured.join('\n'));
  });

  it("captures/org: the organization's listing, byte for byte (TOKEN renamed: it is no composer name of ours)", async () => {
    const token = 'bearer.repo.example.org';
    const store = storeOf(
      {},
      {
        ACF_PRO_KEY: { type: 'env', value: 'org-acf', scopes: ['ic', 'user'], overrides: { dev: 'org-acf-dev' } },
        [token]: { type: 'composer', value: 'hidden', scopes: ['ic'] },
      },
    );
    expect(await list(store, ['secret:org:list', 'acme', '--format', 'json'])).toEqual({
      code: 0,
      stdout: fixture('org/org-list.json').replaceAll('TOKEN', token),
      stderr: '',
    });
  });

  it.each([
    ['secret:site:list', 'json', '[]\n'],
    ['secrets', 'table', expect.stringContaining('Secret name')],
  ])("an owner without secrets: %s --format %s prints Terminus's empty listing and warning, exit 0", async (command, format, stdout) => {
    const r = await list(storeOf({}), [command, 'shop', '--format', format]);
    expect(r).toEqual({ code: 0, stdout, stderr: 'composer-secrets: warning: You have no Secrets.\n' });
    const org = await list(storeOf({}, {}), ['secret-org-list', 'acme', '--format', format]);
    expect(org).toEqual({
      code: 0,
      stdout: format === 'json' ? '[]\n' : expect.stringContaining('Environment override values'),
      stderr: 'composer-secrets: warning: You have no Secrets.\n',
    });
  });

  it('<site>.<env> lists the same rows, saying the environment is not applied (Terminus ignores it silently)', async () => {
    const store = storeOf({ K: { type: 'env', value: 'v', scopes: ['user'], overrides: { dev: 'd' } } });
    const plain = await list(store, ['secret:site:list', 'shop', '--format', 'json']);
    const withEnv = await list(store, ['secret:list', 'shop.dev', '--format', 'json']);
    expect(withEnv.stdout).toBe(plain.stdout);
    expect(withEnv.stderr).toBe(
      'composer-secrets: note: the listing is the same for every environment; overrides are under env-values and org-values (dev is not applied)\n',
    );
    expect(withEnv.code).toBe(0);
  });

  it.each([
    [['secret:site:list', 'blog'], /^composer-secrets: site 'blog' is not in the store file \/store.json\n$/],
    [['secret:site:list', 'shop.Dev'], /^composer-secrets: invalid environment name: use lowercase/],
    [['secret:org:list', 'globex'], /^composer-secrets: organization 'globex' is not in the store file \/store.json\n$/],
    [['secret:org:list', 'acme', '--format', 'yaml'], /^composer-secrets: invalid value for --format \(choices: table, json\)/],
  ])('refuses %j: exit 2', async (argv, message) => {
    const r = await list(storeOf({}, {}), argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });
});
