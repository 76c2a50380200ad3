import { Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { EnvironmentError, InvalidDocumentError, UnsafeFileError } from '../src/errors.js';
import type { FileSystem } from '../src/io/file-system.js';
import type { LockFile } from '../src/io/process-lock.js';
import { setSecret } from '../src/model/store-changes.js';
import { loadStore, storePath, updateStore } from '../src/sources/local-store.js';

const FILE = '/cfg/composer-secrets/store.json';
const noLock: LockFile = async () => async () => undefined;

function volumeWith(files: Record<string, string> = {}) {
  const volume = Volume.fromJSON(files, '/');
  return { volume, fs: volume.promises as unknown as FileSystem };
}

const addKey =
  (name: string, value = 'v') =>
  (store: Parameters<typeof setSecret>[0]) =>
    setSecret(store, { owner: { kind: 'site', name: 'shop' }, name, value, type: 'env', scopes: ['ic'] });

describe('storePath', () => {
  const base = { home: '/home/dev', cwd: '/project' };
  it('takes --store first, relative to the working folder', () => {
    expect(storePath({ ...base, flag: 'my.json', env: { COMPOSER_SECRETS_STORE: '/x.json' } })).toBe('/project/my.json');
  });
  it('then COMPOSER_SECRETS_STORE', () => {
    expect(storePath({ ...base, env: { COMPOSER_SECRETS_STORE: '/x.json', XDG_CONFIG_HOME: '/xdg' } })).toBe('/x.json');
  });
  it('then XDG_CONFIG_HOME, then ~/.config: never the project folder', () => {
    expect(storePath({ ...base, env: { XDG_CONFIG_HOME: '/xdg' } })).toBe('/xdg/composer-secrets/store.json');
    expect(storePath({ ...base, env: { XDG_CONFIG_HOME: '' } })).toBe('/home/dev/.config/composer-secrets/store.json');
  });
});

describe('loadStore and updateStore', () => {
  it('creates the store 0600 in a 0700 folder, leaving no temp file', async () => {
    const { fs, volume } = volumeWith();
    await updateStore(fs, noLock, FILE, addKey('A'));
    expect((await fs.stat(FILE)).mode & 0o777).toBe(0o600);
    expect((await fs.stat('/cfg/composer-secrets')).mode & 0o777).toBe(0o700);
    expect(Object.keys(volume.toJSON())).toEqual([FILE]);
    const { store, exists } = await loadStore(fs, FILE);
    expect(exists).toBe(true);
    expect(store.sites.shop?.secrets.A?.value).toBe('v');
  });

  it('reads a missing store as empty', async () => {
    const { fs } = volumeWith();
    expect(await loadStore(fs, FILE)).toEqual({ store: { version: 1, organizations: {}, sites: {} }, exists: false });
  });

  it('reports every problem with its JSON path and no value, and never overwrites the bad file', async () => {
    const bad = JSON.stringify({
      version: 1,
      sites: {
        shop: {
          secrets: {
            FOO: { type: 'password', scopes: ['ic'], value: 'CANARY-1' },
            'bad name': { type: 'env', scopes: [], value: 'CANARY-2' },
          },
        },
        Shop: { secrets: {} },
      },
    });
    const { fs } = volumeWith({ [FILE]: bad });
    const error = await updateStore(fs, noLock, FILE, addKey('B')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidDocumentError);
    const text = `${(error as InvalidDocumentError).message}\n${(error as InvalidDocumentError).details.join('\n')}`;
    expect(text).toContain('sites.shop.secrets.FOO.type: must be one of "runtime", "env", "composer"');
    // Keys at fault by position: a key can be a pasted value.
    expect(text).toContain('sites.shop.secrets.(2nd key): invalid name');
    expect(text).toContain('sites.(2nd key): invalid name');
    expect(text).not.toContain('bad name');
    expect(text).not.toContain('Shop');
    expect(text).not.toContain('CANARY');
    expect(await fs.readFile(FILE, 'utf8')).toBe(bad);
  });

  it('says where JSON is broken without quoting it', async () => {
    const broken = '{"version": 1, "sites": {"shop": CANARY-value}}';
    const { fs } = volumeWith({ [FILE]: broken });
    const error = (await updateStore(fs, noLock, FILE, addKey('B')).catch((e: unknown) => e)) as InvalidDocumentError;
    expect(error.message).toMatch(/is not valid JSON \(line 1, column \d+\)/);
    expect(error.message).not.toContain('CANARY');
    expect(await fs.readFile(FILE, 'utf8')).toBe(broken);
  });

  it('checks names against types on load', async () => {
    const doc = {
      version: 1,
      organizations: {
        acme: {
          secrets: {
            'not-a-var': { type: 'env', scopes: ['ic'], value: 'x' },
            'nosuch.example.org': { type: 'composer', scopes: ['ic'], value: 'x' },
          },
        },
      },
    };
    const { fs } = volumeWith({ [FILE]: JSON.stringify(doc) });
    const error = (await loadStore(fs, FILE).catch((e: unknown) => e)) as InvalidDocumentError;
    expect(error.details).toEqual([
      expect.stringMatching(/^organizations\.acme\.secrets\.\(1st key\): an env secret's name must match/),
      expect.stringMatching(/^organizations\.acme\.secrets\.\(2nd key\): the part before the first '\.' is not a Composer auth kind/),
    ]);
  });

  it('refuses a value over 16384 bytes in the file', async () => {
    const doc = { version: 1, sites: { shop: { secrets: { BIG: { type: 'env', scopes: ['ic'], value: 'é'.repeat(8193) } } } } };
    const { fs } = volumeWith({ [FILE]: JSON.stringify(doc) });
    const error = (await loadStore(fs, FILE).catch((e: unknown) => e)) as InvalidDocumentError;
    expect(error.details).toEqual(['sites.shop.secrets.BIG.value: value is longer than 16384 bytes']);
  });

  it('refuses a store of another format version', async () => {
    const { fs } = volumeWith({ [FILE]: '{"version": 2}' });
    const error = (await loadStore(fs, FILE).catch((e: unknown) => e)) as InvalidDocumentError;
    expect(error.details).toEqual(['version: must be one of 1']);
  });

  it('does not write when the change is refused', async () => {
    const { fs } = volumeWith();
    await updateStore(fs, noLock, FILE, addKey('A'));
    const before = await fs.readFile(FILE, 'utf8');
    await expect(
      updateStore(fs, noLock, FILE, () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(await fs.readFile(FILE, 'utf8')).toBe(before);
  });

  it('refuses a store that is a symbolic link, for reading and writing', async () => {
    const { fs, volume } = volumeWith({ '/elsewhere/real.json': '{"version":1}' });
    volume.mkdirSync('/cfg/composer-secrets', { recursive: true });
    volume.symlinkSync('/elsewhere/real.json', FILE);
    await expect(loadStore(fs, FILE)).rejects.toBeInstanceOf(UnsafeFileError);
    await expect(updateStore(fs, noLock, FILE, addKey('A'))).rejects.toBeInstanceOf(UnsafeFileError);
    expect(await fs.readFile('/elsewhere/real.json', 'utf8')).toBe('{"version":1}');
  });

  it('keeps the original when the write fails, and says why', async () => {
    const { fs } = volumeWith();
    await updateStore(fs, noLock, FILE, addKey('A'));
    const before = await fs.readFile(FILE, 'utf8');
    const failing: FileSystem = {
      ...fs,
      rename: async () => {
        throw Object.assign(new Error('x'), { code: 'ENOSPC' });
      },
    };
    const error = await updateStore(failing, noLock, FILE, addKey('B')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvironmentError);
    expect((error as Error).message).toBe(`cannot write store file ${FILE}: no space left on device`);
    expect(await fs.readFile(FILE, 'utf8')).toBe(before);
    expect(await fs.readdir('/cfg/composer-secrets')).toEqual(['store.json']);
  });

  it('holds the lock while reading and writing, and releases it on failure', async () => {
    const { fs } = volumeWith();
    const events: string[] = [];
    const lock: LockFile = async (file) => {
      events.push(`lock ${file}`);
      return async () => {
        events.push('release');
      };
    };
    await updateStore(fs, lock, FILE, (s) => {
      events.push('change');
      return addKey('A')(s);
    });
    await updateStore(fs, lock, FILE, () => {
      events.push('change');
      throw new Error('no');
    }).catch(() => undefined);
    expect(events).toEqual([`lock ${FILE}`, 'change', 'release', `lock ${FILE}`, 'change', 'release']);
  });
});

describe('parseJsonSafely', async () => {
  const { parseJsonSafely } = await import('../src/validation/json-text.js');
  it.each([
    ['{"a": CANARY}', 'line 1, column 7'],
    ['{\n  "a": 1,\n  "b": CANARY\n}', 'line 3, column 8'],
    ['{"a":1}x', 'line 1, column 8'],
    ['{"a": "CANARY\\q"}', 'line 1, column 15'],
  ])('locates the fault in %j without quoting it', (text, where) => {
    const result = parseJsonSafely(text);
    expect(result).toEqual({ ok: false, problem: `is not valid JSON (${where})` });
  });
  it('says when a document ends too early, or is empty', () => {
    expect(parseJsonSafely('{"a": "CANARY')).toEqual({ ok: false, problem: 'is not valid JSON (it ends too early)' });
    expect(parseJsonSafely(' \n')).toEqual({ ok: false, problem: 'is empty, not a JSON document' });
  });
});
