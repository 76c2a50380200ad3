// Fuzzing every parser of outside input with generated and mutated documents. Invariant:
// either a result, or one of our typed errors (exit 2) whose text holds no value. The
// fast run is part of `npm test`; `npm run test:fuzz` runs many more cases.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CliError, EXIT_BAD_INPUT } from '../../src/errors.js';
import { credentialFromSecret, parseAuthJsonFile, parseComposerAuthDocument } from '../../src/model/composer-credential.js';
import { parseComposerSecretName, problemWithSecretName } from '../../src/model/names.js';
import { httpApiSource } from '../../src/sources/http-api.js';
import { parseStore, storeReaderOfText } from '../../src/sources/local-store.js';
import { parsePantheonAnswer } from '../../src/sources/pantheon-answer.js';
import { parseTerminusSecretList } from '../../src/sources/terminus-json.js';
import { memoryContext } from '../support/memory-context.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const CANARY = 'QxCANARYq';

/** Strings that always carry the canary, so any fragment that leaks is found. */
const secretString = fc.tuple(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 })).map(([a, b]) => `${a}${CANARY}${b}`);

/** JSON-like values whose strings are all secret strings; keys are names (allowed in messages). */
const secretJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    secretString,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(
      fc.constantFrom(
        'version',
        'sites',
        'organizations',
        'secrets',
        'shop',
        'acme',
        'FOO',
        'type',
        'scopes',
        'value',
        'overrides',
        'dev',
        'http-basic',
        'bearer',
        'repo.example.org',
        'username',
        'password',
        'token',
      ),
      tie('value'),
      { maxKeys: 5 },
    ),
  ),
})).value;

/** A valid store document, to mutate. */
const validStore = fc.record({
  version: fc.constant(1),
  sites: fc.dictionary(
    fc.constantFrom('shop', 'blog', 'api-1'),
    fc.record({
      secrets: fc.dictionary(
        fc.constantFrom('FOO', 'BAR_2', 'http-basic.repo.example.org', 'bearer.127.0.0.1:8765'),
        fc.record({
          type: fc.constantFrom('runtime', 'env', 'composer'),
          scopes: fc.subarray(['ic', 'web', 'user'] as const, { minLength: 1 }),
          value: secretString,
          overrides: fc.dictionary(fc.constantFrom('dev', 'live'), secretString),
        }),
      ),
    }),
  ),
});

/** Byte-level mutations of a text: cut, duplicate, or replace a character. */
function mutated(text: fc.Arbitrary<string>) {
  return fc
    .tuple(
      text,
      fc.nat(),
      fc.nat(),
      fc.constantFrom('cut', 'dup', 'replace', 'truncate'),
      fc.constantFrom('"', '{', '}', ',', ':', '\\', '[', 'x', '\u0000', '\n'),
    )
    .map(([t, i, j, op, ch]) => {
      const a = i % (t.length + 1);
      const b = j % (t.length + 1);
      if (op === 'cut') return t.slice(0, Math.min(a, b)) + t.slice(Math.max(a, b));
      if (op === 'dup') return t.slice(0, a) + t.slice(a, b) + t.slice(a);
      if (op === 'truncate') return t.slice(0, a);
      return t.slice(0, a) + ch + t.slice(a + 1);
    });
}

function expectCleanRefusal(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).exitCode).toBe(EXIT_BAD_INPUT);
    const text = [(error as CliError).message, ...(error as CliError).details].join('\n');
    expect(text).not.toContain(CANARY);
  }
}

describe('fuzz: the store file', () => {
  it('arbitrary JSON documents', () => {
    fc.assert(
      fc.property(secretJson, (doc) => expectCleanRefusal(() => parseStore('/s.json', JSON.stringify(doc)))),
      { numRuns: RUNS },
    );
  });
  it('mutated valid stores (broken JSON included)', () => {
    fc.assert(
      fc.property(mutated(validStore.map((s) => JSON.stringify(s, null, 1))), (text) =>
        expectCleanRefusal(() => parseStore('/s.json', text)),
      ),
      { numRuns: RUNS },
    );
  });
  it('reading one owner (plan, list): arbitrary and mutated documents are refused cleanly', () => {
    const owners = ['shop', 'blog', 'api-1', 'acme'];
    const readEveryOwner = (text: string) => {
      const store = storeReaderOfText('/s.json', text);
      for (const name of owners) {
        store.site(name);
        store.organization(name);
      }
    };
    fc.assert(
      fc.property(
        fc.oneof(
          secretJson.map((d) => JSON.stringify(d)),
          mutated(validStore.map((s) => JSON.stringify(s, null, 1))),
        ),
        (text) => expectCleanRefusal(() => readEveryOwner(text)),
      ),
      { numRuns: RUNS },
    );
  });
  it('reading one owner finds what the whole check finds, whenever the whole check passes', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          validStore.map((s) => JSON.stringify(s, null, 1)),
          mutated(validStore.map((s) => JSON.stringify(s))),
        ),
        (text) => {
          let whole: ReturnType<typeof parseStore>;
          try {
            whole = parseStore('/s.json', text);
          } catch {
            return;
          }
          const reader = storeReaderOfText('/s.json', text);
          for (const name of ['shop', 'blog', 'api-1']) expect(reader.site(name)).toEqual(whole.sites[name]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: bad keys are never printed', () => {
  // Keys that break every name rule (a space), and name-like keys that sit only where no
  // key of that name is allowed (a secret entry, an owner record, the top level): both are
  // keys at fault, referred to by position, so the canary never shows. Values carry it too.
  const badKey = fc.oneof(
    fc.string({ maxLength: 6 }).map((s) => `${s} ${CANARY}`),
    fc.constant(`${CANARY} pasted`),
    fc.constant('__proto__'),
  );
  const nameLikeKey = fc.string({ maxLength: 4 }).map((s) => `${CANARY}_${s.replace(/[^A-Za-z0-9_]/g, '')}`);
  const recordKey = (good: readonly string[]) => fc.oneof(fc.constantFrom(...good), badKey);
  const withExtras = <T extends object>(base: fc.Arbitrary<T>) =>
    fc
      .tuple(base, fc.dictionary(fc.oneof(nameLikeKey, badKey), fc.oneof(secretString, fc.integer()), { maxKeys: 2 }))
      .map(([b, extra]) => ({ ...b, ...extra }));
  const entry = withExtras(
    fc.record({
      type: fc.constantFrom('runtime', 'env', 'composer', 'password'),
      scopes: fc.subarray(['ic', 'web', 'user'] as const),
      value: fc.oneof(secretString, fc.integer()),
      overrides: fc.dictionary(recordKey(['dev', 'live', 'Dev']), secretString, { maxKeys: 2 }),
    }),
  );
  const secrets = fc.dictionary(recordKey(['FOO', 'BAR_2', 'bad-env', 'http-basic.repo.example.org', 'nosuch.example.org']), entry, {
    maxKeys: 4,
  });
  const store = withExtras(
    fc.record({
      version: fc.constant(1),
      sites: fc.dictionary(recordKey(['shop', 'Shop']), withExtras(fc.record({ secrets })), { maxKeys: 2 }),
      organizations: fc.dictionary(recordKey(['acme']), withExtras(fc.record({ secrets })), { maxKeys: 2 }),
    }),
  );
  /** JSON text in which "__proto__" keys stay own members, as in a file. */
  const text = (document: unknown) =>
    JSON.stringify(document, (_key, value: unknown) =>
      value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value)) : value,
    );
  // fc.dictionary builds with defineProperty, so "__proto__" is an own key; stringify keeps it.

  it('store files, whole and one owner at a time', () => {
    fc.assert(
      fc.property(store, (document) => {
        const json = text(document);
        expectCleanRefusal(() => parseStore('/s.json', json));
        expectCleanRefusal(() => {
          const reader = storeReaderOfText('/s.json', json);
          for (const name of ['shop', 'acme']) {
            reader.site(name);
            reader.organization(name);
          }
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('a store that is read keeps every key it holds (none dropped, __proto__ included)', () => {
    fc.assert(
      fc.property(store, (document) => {
        const json = text(document);
        let read: ReturnType<typeof parseStore>;
        try {
          read = parseStore('/s.json', json);
        } catch {
          return;
        }
        const keysOf = (value: unknown) => Object.keys(value as object).sort();
        const written = JSON.parse(json) as { sites: Record<string, { secrets: object }> };
        expect(keysOf(read.sites)).toEqual(keysOf(written.sites));
        for (const name of keysOf(written.sites)) expect(keysOf(read.sites[name]?.secrets)).toEqual(keysOf(written.sites[name]?.secrets));
      }),
      { numRuns: RUNS },
    );
  });

  it('terminus and sdk listings', () => {
    const row = withExtras(
      fc.record({
        type: fc.constantFrom('env', 'runtime', 'composer'),
        value: secretString,
        scopes: fc.constant(['ic', 'user']),
        'env-values': fc.dictionary(recordKey(['dev']), secretString, { maxKeys: 1 }),
      }),
    );
    const keyed = fc.dictionary(recordKey(['FOO', 'bad-env', 'http-basic.repo.example.org']), row, { maxKeys: 3 });
    const sdk = fc.record({
      Secrets: fc.dictionary(
        recordKey(['FOO', 'bad-env']),
        withExtras(fc.record({ Type: fc.constantFrom('env', 'runtime'), Value: secretString, Scopes: fc.constant(['ic']) })),
        { maxKeys: 3 },
      ),
    });
    fc.assert(
      fc.property(keyed, sdk, (terminus, file) => {
        expectCleanRefusal(() => parseTerminusSecretList(text(terminus), 'list.json'));
        expectCleanRefusal(() => parsePantheonAnswer(text(file), 'secrets.json'));
      }),
      { numRuns: RUNS },
    );
  });

  it('HTTP answers', async () => {
    const SITE_UUID = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
    const values = fc.dictionary(recordKey(['default', 'dev']), fc.option(secretString), { maxKeys: 2 });
    const row = withExtras(
      fc.record({
        Type: fc.constantFrom('env', 'runtime', 'composer', 'file'),
        Value: fc.option(secretString),
        Scopes: fc.constant(['ic', 'user']),
        EnvValues: values,
        OrgValues: values,
      }),
    );
    const pantheonAnswer = withExtras(
      fc.record({
        SiteID: fc.constant(SITE_UUID),
        Secrets: fc.dictionary(recordKey(['FOO', 'bad-env', 'http-basic.repo.example.org']), row, { maxKeys: 3 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(pantheonAnswer, async (answer) => {
        const token = async () => ({ value: 't', from: 'COMPOSER_SECRETS_TOKEN', renew: '' });
        const source = httpApiSource({
          baseUrl: 'http://127.0.0.1:9',
          token,
          fetch: async () => new Response(text(answer), { status: 200 }),
        });
        const error = await source.fetch({ site: SITE_UUID }).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (error === undefined) return;
        expect(error).toBeInstanceOf(CliError);
        expect((error as CliError).exitCode).toBe(EXIT_BAD_INPUT);
        expect([(error as CliError).message, ...(error as CliError).details].join('\n')).not.toContain(CANARY);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fuzz: Composer auth documents and values', () => {
  it('COMPOSER_AUTH documents and auth.json files: a result or problems without values', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          secretJson.map((d) => JSON.stringify(d)),
          mutated(secretJson.map((d) => JSON.stringify(d))),
        ),
        (text) => {
          for (const result of [parseComposerAuthDocument(text), parseAuthJsonFile(text)]) {
            if (!result.ok) expect(result.problems.join('\n')).not.toContain(CANARY);
            else expect(result.warnings.join('\n')).not.toContain(CANARY);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
  it('composer secret values of every kind', () => {
    const kinds = [
      'http-basic',
      'bearer',
      'github-oauth',
      'gitlab-oauth',
      'gitlab-token',
      'bitbucket-oauth',
      'forgejo-token',
      'custom-headers',
      'client-certificate',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.oneof(
          secretString,
          secretJson.map((d) => JSON.stringify(d)),
          fc.string().map((s) => `${s} ${CANARY}`),
        ),
        (kind, value) => {
          const result = credentialFromSecret(`${kind}.repo.example.org`, value);
          expect(result.ok ? result.warnings.join('\n') : result.problem).not.toContain(CANARY);
        },
      ),
      { numRuns: RUNS },
    );
  });
  it('names: never throws', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300 }),
        fc.constantFrom('runtime', 'env', 'composer') as fc.Arbitrary<'runtime' | 'env' | 'composer'>,
        (name, type) => {
          problemWithSecretName(name, type);
          parseComposerSecretName(name);
        },
      ),
      { numRuns: RUNS * 5 },
    );
  });
});

describe('fuzz: the command line', () => {
  // Valid names may be echoed in messages; values never, nor a name that breaks the rules
  // (it may be a value in the wrong place), nor what --source, --composer or --scope was
  // given. Those carry the canary; everything else is arbitrary.
  const word = fc.oneof(
    fc.constantFrom(
      'shop',
      'shop.dev',
      'Shop',
      'acme',
      'FOO',
      'bad name',
      'http-basic.x.org',
      'bearer.127.0.0.1:99999',
      'env',
      'composer',
      'runtime',
      'ic,user',
      'web',
      'admin',
      'dev',
      'json',
      'dotenv',
      'github',
      '-',
      '--',
      'project',
    ),
    fc.string({ maxLength: 12 }).filter((w) => !w.includes(CANARY)),
  );
  const flag = fc
    .tuple(
      fc.constantFrom(
        '--type',
        '--scope',
        '--site',
        '--env',
        '--org',
        '--format',
        '--output',
        '--dir',
        '--auth-target',
        '--json',
        '--dry-run',
        '--keep-auth',
        '--store',
        '--filepath',
        '--typo',
      ),
      word,
    )
    .map(([f, w]) => [f, w]);
  const badName = fc.string({ maxLength: 8 }).map((s) => `${CANARY} ${s}`);
  const unechoedFlag = fc
    .tuple(fc.constantFrom('--source', '--composer', '--scope', '--no-store', '--no-env', '--no-source'), secretString)
    .map(([f, v]) => [f, v]);
  const setLine = fc
    .tuple(
      fc.constantFrom('secret:site:set', 'secret:org:set', 'secret:site:delete'),
      word,
      fc.oneof(word, badName),
      fc.oneof(secretString, word),
      fc.array(fc.oneof(flag, unechoedFlag), { maxLength: 3 }),
    )
    .map(([command, owner, name, value, flags]) => [command, owner, name, value, ...flags.flat()]);
  const otherLine = fc
    .tuple(
      fc.constantFrom(
        'secret:site:list',
        'secret:org:list',
        'secret:site:delete',
        'secret:org:delete',
        'plan',
        'env',
        'build',
        'restore',
        'auth-json',
        'site:set-org',
        'secret:site:local-generate',
        'nonsense',
      ),
      fc.array(word, { maxLength: 2 }),
      fc.array(fc.oneof(flag, unechoedFlag), { maxLength: 3 }),
    )
    .map(([command, words, flags]) => [command, ...words, ...flags.flat()]);
  const line = fc.oneof(setLine, otherLine);
  it('arbitrary argument lists: exit 0, 1 or 2, never an internal error, never a value in the output', async () => {
    await fc.assert(
      fc.asyncProperty(line, async (argv) => {
        const m = memoryContext({ files: { '/work/project/composer.json': '{}' } });
        const r = await m.run(argv, `${CANARY} from stdin`);
        expect(r.stderr).not.toContain('internal error');
        expect(r.stderr).not.toContain(CANARY);
        // A listing shows user-scoped values by design; nothing else prints one.
        if (!argv[0]?.endsWith(':list')) expect(r.stdout).not.toContain(CANARY);
        if (r.code !== 0) expect([1, 2]).toContain(r.code);
      }),
      { numRuns: Math.max(50, Math.floor(RUNS / 2)) },
    );
  });
});
