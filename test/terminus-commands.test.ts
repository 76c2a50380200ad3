// Terminus's names and answers for the management commands: its aliases, its refusal of
// --type/--scope for an existing secret, its success for deleting an absent override.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { memoryContext } from './support/memory-context.js';

/** The parts of a written store file these tests read. */
type WrittenStore = Record<
  'sites' | 'organizations',
  Record<string, { secrets: Record<string, { value?: string; overrides?: Record<string, string> }> }>
>;

const STORE = '/store.json';
const CANARY = 'CANARY-5d1e';

async function withSecrets() {
  const m = memoryContext();
  for (const argv of [
    ['secret:org:set', 'acme', 'ORG_KEY', `${CANARY}-org`, '--type', 'env', '--scope', 'ic'],
    ['secret:site:set', 'shop', 'SITE_KEY', `${CANARY}-site`, '--type', 'env', '--scope', 'ic,user'],
    ['secret:site:set', 'shop.dev', 'SITE_KEY', `${CANARY}-site-dev`],
  ]) {
    expect((await m.run(['--store', STORE, ...argv])).code).toBe(0);
  }
  const run = (argv: string[], stdin?: string) => m.run(['--store', STORE, ...argv], stdin);
  const store = async () => (await m.fs.readFile(STORE, 'utf8')) as string;
  return { run, store };
}

describe("Terminus's aliases run the same commands", () => {
  it.each([
    ['secret:site:list', ['secret:list', 'secrets'], ['shop', '--format', 'json']],
    ['secret:org:list', ['secret-org-list'], ['acme', '--format', 'json']],
  ])('%s as %j', async (command, aliases, rest) => {
    const s = await withSecrets();
    const expected = await s.run([command, ...rest]);
    expect(expected.code).toBe(0);
    for (const alias of aliases) expect(await s.run([alias, ...rest])).toEqual(expected);
  });

  it.each([
    [
      ['secret:set', 'shop', 'NEW', 'v'],
      "Set secret 'NEW' of site 'shop'.\n",
      (store: WrittenStore) => store.sites.shop?.secrets.NEW?.value,
    ],
    [
      ['secret-set', 'shop.dev', 'SITE_KEY', 'v'],
      "Set the dev override of secret 'SITE_KEY' of site 'shop'.\n",
      (store: WrittenStore) => store.sites.shop?.secrets.SITE_KEY?.overrides?.dev,
    ],
    [
      ['secret-org-set', 'acme', 'ORG_KEY', 'v', '--env', 'live'],
      "Set the live override of secret 'ORG_KEY' of organization 'acme'.\n",
      (store: WrittenStore) => store.organizations.acme?.secrets.ORG_KEY?.overrides?.live,
    ],
  ])('%j sets', async (argv, stdout, where: (store: WrittenStore) => unknown) => {
    const s = await withSecrets();
    expect(await s.run(argv)).toEqual({ code: 0, stdout, stderr: '' });
    expect(where(JSON.parse(await s.store()))).toBe('v');
  });

  it.each([
    [['secret:delete', 'shop.dev', 'SITE_KEY'], "Deleted the dev override of secret 'SITE_KEY' of site 'shop'.\n"],
    [['secret-delete', 'shop', 'SITE_KEY'], "Deleted secret 'SITE_KEY' of site 'shop'.\n"],
    [['secret-org-delete', 'acme', 'ORG_KEY'], "Deleted secret 'ORG_KEY' of organization 'acme'.\n"],
  ])('%j deletes', async (argv, stdout) => {
    const s = await withSecrets();
    const before = await s.store();
    expect(await s.run(argv)).toEqual({ code: 0, stdout, stderr: '' });
    expect(await s.store()).not.toBe(before);
  });
});

describe('setting an existing secret with --type or --scope', () => {
  // What the plugin answered, as captured (write-calls.txt, "site set, exists, with type").
  const terminusAnswer = (name: string) => {
    const captured = readFileSync(new URL('../fixtures/pantheon/write-calls.txt', import.meta.url), 'utf8');
    const data = JSON.parse(
      captured.split('\n').find((line) => line.includes('already exists')) ??
        expect.unreachable('write-calls.txt has no "already exists" answer'),
    ).data as string;
    return data.replace("'FOO'", `'${name}'`);
  };

  it.each([
    [
      ['secret:site:set', 'shop', 'SITE_KEY', `${CANARY}-new`, '--type', 'env'],
      'SITE_KEY',
      "site 'shop' has it with type 'env' and scopes ic,user",
    ],
    [
      ['secret:site:set', 'shop', 'SITE_KEY', `${CANARY}-new`, '--scope', 'ic,user'],
      'SITE_KEY',
      "site 'shop' has it with type 'env' and scopes ic,user",
    ],
    [
      ['secret:org:set', 'acme', 'ORG_KEY', `${CANARY}-new`, '--type', 'runtime', '--scope', 'web'],
      'ORG_KEY',
      "organization 'acme' has it with type 'env' and scopes ic",
    ],
  ])("%j is refused in Terminus's words, exit 2, nothing changed", async (argv, name, detail) => {
    const s = await withSecrets();
    const before = await s.store();
    expect(await s.run(argv)).toEqual({
      code: 2,
      stdout: '',
      stderr: `composer-secrets: ${terminusAnswer(name)}\n  - ${detail}; to change them, delete the secret and set it again\n`,
    });
    expect(await s.store()).toBe(before);
  });
});

describe('deleting an override that is not there', () => {
  it.each([
    [['secret:site:delete', 'shop.live', 'SITE_KEY'], "(Secret 'SITE_KEY' of site 'shop' had no live override; nothing changed.)"],
    [
      ['secret:org:delete', 'acme', 'ORG_KEY', '--env', 'dev'],
      "(Secret 'ORG_KEY' of organization 'acme' had no dev override; nothing changed.)",
    ],
  ])("%j succeeds with Terminus's message, the store as it was", async (argv, note) => {
    const s = await withSecrets();
    const before = await s.store();
    expect(await s.run(argv)).toEqual({ code: 0, stdout: `Secret environment override deleted if it existed. ${note}\n`, stderr: '' });
    expect(await s.store()).toBe(before);
  });

  it('of a secret that is not there either: exit 2, naming it', async () => {
    const s = await withSecrets();
    expect(await s.run(['secret:site:delete', 'shop.dev', 'NOPE'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "composer-secrets: no secret 'NOPE' at site 'shop'\n",
    });
  });
});

describe('help', () => {
  it.each([
    ['secret:site:list', ['<site>.<env> (the environment is ignored, as by Terminus)', 'org-values']],
    ['secret:site:local-generate', ['CUSTOMER_SECRETS_FAKE_FILE', 'Only secrets with the web scope are written', '--filepath']],
    ['secret:site:set', ["setting an existing secret's value with --type or --scope is refused"]],
    ['secret:org:delete', ['Deleting an override that is not there succeeds']],
    [
      '--help',
      [
        '[aliases: secret:set, secret-set]',
        '[aliases: secret:list, secrets]',
        '[aliases: secret:delete, secret-delete]',
        '[aliases: secret:local-generate]',
        '[aliases: secret-org-set]',
        '[aliases: secret-org-list]',
        '[aliases: secret-org-delete]',
      ],
    ],
  ])('%s --help says what it does', async (command, phrases) => {
    const r = await memoryContext().run(command === '--help' ? [command] : [command, '--help']);
    expect(r.code).toBe(0);
    const text = r.stdout.replace(/\s+/g, ' ');
    for (const phrase of phrases) expect(text).toContain(phrase);
  });
});
