// Keys of a bad document in messages: a key at fault (unknown, or a name that breaks the
// rules) is referred to by its position, never by its text, since it can be a pasted value;
// and a `__proto__` key is refused, never dropped.
import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { InvalidDocumentError } from '../src/errors.js';
import type { FileSystem } from '../src/io/file-system.js';
import { Store } from '../src/model/secret.js';
import { loadStore, readStore, siteSecretsFromStore } from '../src/sources/local-store.js';
import { sdkJsonSource } from '../src/sources/sdk-json.js';
import { terminusJsonSource } from '../src/sources/terminus-json.js';
import { describeIssues, messagePath } from '../src/validation/issue-messages.js';
import { failure, fullText } from './support/cli-error.js';

const FILE = '/cfg/store.json';
// Looks like a name (it passes the secret-name characters), as a pasted token often does.
const NAME_LIKE = 'ghp_CANARYk3y';
const WITH_SPACES = 'CANARY pasted value';

const entry = (fields: Record<string, unknown> = {}) => ({ type: 'env', scopes: ['ic'], value: 'v', ...fields });

async function storeFailure(document: unknown, how: 'load' | 'read' = 'load') {
  const fs = Volume.fromJSON({ [FILE]: JSON.stringify(document) }, '/').promises as unknown as FileSystem;
  const attempt =
    how === 'load' ? loadStore(fs, FILE) : readStore(fs, FILE).then((store) => siteSecretsFromStore(store, { site: 'shop' }, FILE));
  const error = await failure(attempt);
  expect(error).toBeInstanceOf(InvalidDocumentError);
  return error;
}

describe('the store', () => {
  it('refers to an unknown key of a secret by position, even when it looks like a name', async () => {
    const error = await storeFailure({ version: 1, sites: { shop: { secrets: { API_KEY: entry({ [NAME_LIKE]: 'x' }) } } } });
    expect(error.details).toEqual(['sites.shop.secrets.API_KEY: has an unknown key (the 4th)']);
  });

  it('refers to names that break the rules by position, in a full check and in a read of one owner', async () => {
    const document = {
      version: 1,
      organizations: { [WITH_SPACES]: { secrets: {} } },
      sites: { shop: { secrets: { A: entry(), [WITH_SPACES]: entry() } } },
    };
    const loaded = await storeFailure(document);
    expect(loaded.details).toEqual([
      expect.stringMatching(/^organizations\.\(1st key\): invalid name/),
      expect.stringMatching(/^sites\.shop\.secrets\.\(2nd key\): invalid name/),
    ]);
    const read = await storeFailure({ ...document, organizations: {} }, 'read');
    expect(read.details).toEqual([expect.stringMatching(/^sites\.shop\.secrets\.\(2nd key\): invalid name/)]);
    // Valid characters, but not a variable name: at fault all the same.
    const wrongType = await storeFailure(
      { version: 1, sites: { shop: { secrets: { A: entry(), [NAME_LIKE.replace('_', '-')]: entry() } } } },
      'read',
    );
    expect(wrongType.details).toEqual([expect.stringMatching(/^sites\.shop\.secrets\.\(2nd key\): an env secret's name must match/)]);
    for (const error of [loaded, read, wrongType]) expect(fullText(error)).not.toContain('CANARY');
  });

  it('does not print a bad key on the way to another problem', async () => {
    const error = await storeFailure({ version: 1, sites: { shop: { secrets: { [WITH_SPACES]: entry({ type: 'password' }) } } } });
    expect(error.details).toEqual([expect.stringMatching(/^sites\.shop\.secrets\.\(1st key\): invalid name/)]);
    expect(fullText(error)).not.toContain('CANARY');
  });

  it('refuses a secret, an owner or an override named __proto__ rather than dropping it', async () => {
    const secrets = JSON.parse(`{"A": ${JSON.stringify(entry())}, "__proto__": ${JSON.stringify(entry())}}`) as unknown;
    const error = await storeFailure({ version: 1, sites: { shop: { secrets } } }, 'read');
    expect(error.details).toEqual([expect.stringMatching(/^sites\.shop\.secrets\.\(2nd key\): the key "__proto__" is not allowed/)]);
    expect((await storeFailure({ version: 1, sites: { shop: { secrets } } })).details).toEqual(error.details);
    const owners = JSON.parse('{"shop": {"secrets": {}}, "__proto__": {"secrets": {}}}') as unknown;
    expect((await storeFailure({ version: 1, sites: owners }, 'read')).details).toEqual([
      expect.stringMatching(/^sites\.\(2nd key\): the key "__proto__" is not allowed/),
    ]);
    const overrides = JSON.parse('{"dev": "d", "__proto__": "p"}') as unknown;
    expect((await storeFailure({ version: 1, sites: { shop: { secrets: { A: entry({ overrides }) } } } })).details).toEqual([
      expect.stringMatching(/^sites\.shop\.secrets\.A\.overrides\.\(2nd key\): the key "__proto__" is not allowed/),
    ]);
  });
});

describe('saved listings', () => {
  const row = (fields: Record<string, unknown> = {}) => ({ type: 'env', value: 'v', scopes: ['ic', 'user'], ...fields });
  const terminus = (document: unknown) =>
    terminusJsonSource({ read: async () => JSON.stringify(document), description: 'list.json' }).fetch({ site: 'shop' });
  const sdk = (document: unknown) =>
    sdkJsonSource({ read: async () => JSON.stringify(document), description: 'secrets.json' }).fetch({ site: 'shop' });

  it('terminus-json: a bad key, a bad name and a key that disagrees with its row are given by position', async () => {
    const badKey = await failure(terminus({ OK: row(), [WITH_SPACES]: row({ type: 'password' }) }));
    expect(badKey.details).toEqual(['(2nd key).type: must be one of "runtime", "env", "composer", "file", "vcs"']);
    // A name outside the rules is read, and carried with its position for the plan's messages.
    const badName = await terminus({ OK: row(), [NAME_LIKE.replace('_', '-')]: row() });
    expect(badName.site.secrets[NAME_LIKE.replace('_', '-')]?.shownAs).toBe('(2nd key)');
    const mismatch = await failure(terminus({ [NAME_LIKE]: row({ name: 'API_KEY' }) }));
    expect(mismatch.details).toEqual(["(1st key).name: does not match the row's key"]);
    for (const error of [badKey, mismatch]) expect(fullText(error)).not.toContain('CANARY');
  });

  it('terminus-json: a row named __proto__ is refused, keyed or listed', async () => {
    const keyed = JSON.parse(`{"A": ${JSON.stringify(row())}, "__proto__": ${JSON.stringify(row())}}`) as unknown;
    expect((await failure(terminus(keyed))).details).toEqual([expect.stringMatching(/^\(2nd key\): the key "__proto__" is not allowed/)]);
    expect((await failure(terminus([{ name: '__proto__', ...row() }]))).details).toEqual([
      expect.stringMatching(/^\[0\]\.name: __proto__ cannot be a secret name/),
    ]);
  });

  it('sdk-json: a bad name and a __proto__ key are given by position', async () => {
    const secret = { Type: 'env', Value: 'v', Scopes: ['ic'] };
    const badName = await sdk({ Secrets: { [WITH_SPACES]: secret } });
    expect(badName.site.secrets[WITH_SPACES]?.shownAs).toBe('Secrets.(1st key)');
    const badType = await failure(sdk({ Secrets: { [WITH_SPACES]: { ...secret, Type: 'password' } } }));
    expect(badType.details).toEqual(['Secrets.(1st key).Type: must be one of "runtime", "env", "composer", "file", "vcs"']);
    expect(fullText(badType)).not.toContain('CANARY');
    const proto = JSON.parse(`{"Secrets": {"__proto__": ${JSON.stringify(secret)}}}`) as unknown;
    expect((await failure(sdk(proto))).details).toEqual([
      expect.stringMatching(/^Secrets\.\(1st key\): the key "__proto__" is not allowed/),
    ]);
  });
});

describe('messagePath and describeIssues', () => {
  it('prints keys that passed their checks and hides the rest by position', () => {
    const document = { a: { 'ok.name': { [WITH_SPACES]: 1 } } };
    expect(messagePath(['a', 'ok.name', WITH_SPACES], { document })).toBe('a.ok.name.(1st key)');
    expect(messagePath(['a', 'ok.name'], { document, keysAtFault: new Set(['ok.name']) })).toBe('a.(1st key)');
    expect(messagePath([0, 'x'], {})).toBe('[0].x');
    expect(messagePath(['y', WITH_SPACES], {})).toBe('y.(a key)');
    expect(messagePath([])).toBe('(top level)');
  });

  it('names unknown keys of the whole store by position', () => {
    const document = { version: 1, [NAME_LIKE]: true, sites: {} };
    const parsed = Store.safeParse(document);
    expect(parsed.success).toBe(false);
    expect(describeIssues(parsed.error?.issues ?? [], { document })).toEqual(['(top level): has an unknown key (the 2nd)']);
  });
});
