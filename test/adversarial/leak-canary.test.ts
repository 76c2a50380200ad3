// The leak canary: one unique value set as every kind of secret, then every command in
// every mode. The canary may appear only where the user asked for values: auth.json while
// composer runs, composer's environment, and explicit exports.
import { describe, expect, it } from 'vitest';
import { COMPOSER_PATH, composerSource, DEBIAN_COMPOSER_SOURCE, memoryContext, type Program } from '../support/memory-context.js';

const CANARY = 'zqCANARYx7';
const STORE = '/home/dev/.config/composer-secrets/store.json';
const PROJECT = '/work/project';

/** Every place a secret can live, each holding the canary. */
const SECRETS: string[][] = [
  ['secret:org:set', 'acme', 'http-basic.repo.example.org', `deploy ${CANARY}-basic`, '--type', 'composer', '--scope', 'ic'],
  ['secret:org:set', 'acme', 'ORG_ENV', `${CANARY}-org`, '--type', 'env', '--scope', 'ic'],
  ['secret:org:set', 'acme', 'ORG_ENV', `${CANARY}-org-override`, '--env', 'dev'],
  ['site:set-org', 'shop', 'acme'],
  ['secret:site:set', 'shop', 'bearer.127.0.0.1:8765', `${CANARY}-bearer`, '--type', 'composer', '--scope', 'ic'],
  ['secret:site:set', 'shop', 'github-oauth.github.com', `${CANARY}_github`, '--type', 'composer', '--scope', 'ic'],
  ['secret:site:set', 'shop', 'gitlab-oauth.gitlab.example.org', `${CANARY}-gitlab-oauth`, '--type', 'composer', '--scope', 'ic'],
  ['secret:site:set', 'shop', 'gitlab-token.gitlab.example.com', `deploy ${CANARY}-gitlab-token`, '--type', 'composer', '--scope', 'ic'],
  ['secret:site:set', 'shop', 'bitbucket-oauth.bitbucket.org', `key-${CANARY} secret-${CANARY}`, '--type', 'composer', '--scope', 'ic'],
  ['secret:site:set', 'shop', 'forgejo-token.forgejo.example.org', `ci ${CANARY}-forgejo`, '--type', 'composer', '--scope', 'ic'],
  ['secret:site:set', 'shop', 'custom-headers.headers.example.org', `X-Api-Key: ${CANARY}-header`, '--type', 'composer', '--scope', 'ic'],
  [
    'secret:site:set',
    'shop',
    'COMPOSER_AUTH',
    JSON.stringify({ bearer: { 'doc.example.org': `${CANARY}-doc` } }),
    '--type',
    'env',
    '--scope',
    'ic',
  ],
  ['secret:site:set', 'shop', 'SITE_ENV', `${CANARY}-site\nsecond line ${CANARY}`, '--type', 'env', '--scope', 'ic,web'],
  ['secret:site:set', 'shop.dev', 'SITE_ENV', `${CANARY}-site-override`],
  ['secret:site:set', 'shop', 'runtime_only', `${CANARY}-runtime`, '--scope', 'web'],
];

/** Composer that echoes everything it was given: its environment and the auth.json it sees. */
function echoingComposer(m: { fs: { readFile: (p: string, e: 'utf8') => Promise<unknown> } }, exitCode: number): Program {
  return async (call) => {
    call.options.onStdout?.(`${JSON.stringify(call.options.env)}\n`);
    const auth = await m.fs.readFile(`${PROJECT}/auth.json`, 'utf8').catch(() => '');
    call.options.onStderr?.(`auth.json: ${String(auth)}\n`);
    for (const line of String(call.options.env.SITE_ENV ?? '').split('\n')) call.options.onStderr?.(`line: ${line}\n`);
    return { exitCode };
  };
}

async function canaryWorld(composerExit = 0) {
  const holder: { fs?: { readFile: (p: string, e: 'utf8') => Promise<unknown> } } = {};
  const m = memoryContext({
    // Composer 2.10 reads every kind the canary sets (2.5.5 would refuse custom-headers and forgejo-token).
    files: { [`${PROJECT}/composer.json`]: '{}', [DEBIAN_COMPOSER_SOURCE]: composerSource('2.10.2') },
    programs: { composer: (call, control) => echoingComposer(holder as never, composerExit)(call, control) },
  });
  holder.fs = m.fs as never;
  // auth-json writes into a folder that exists (its journal goes beside the file), as a
  // CI checkout's would; a missing folder is an I/O failure (exit 1), not this test's case.
  m.volume.mkdirSync('/work/out');
  for (const argv of SECRETS) {
    const r = await m.run(argv);
    expect(r.code, argv.join(' ')).toBe(0);
    expect(`${r.stdout}${r.stderr}`).not.toContain(CANARY);
  }
  return m;
}

const target = ['--site', 'shop', '--env', 'dev'];
const buildArgs = [...target, '--dir', 'project'];

/**
 * One command line run on a fresh canary world. `code` is the exit code it must end with,
 * so a case that fails early (and so prints nothing) cannot pass unnoticed. `before` runs
 * first and must succeed; `writes` are the files the user asked to hold values: each must
 * hold the canary afterwards, and no other file but the store may.
 */
type Case = { argv: string[]; code: number; before?: string[][]; writes?: string[] };

const keepAuth = ['build', ...buildArgs, '--keep-auth'];
const authJson = ['auth-json', ...target, '--output', 'out/auth.json'];

/** Commands whose output must not carry a value, in every mode. */
const QUIET: Array<[string, Case]> = [
  ['site listing', { argv: ['secret:site:list', 'shop'], code: 0 }],
  ['site listing json', { argv: ['secret:site:list', 'shop', '--format', 'json'], code: 0 }],
  ['org listing', { argv: ['secret:org:list', 'acme'], code: 0 }],
  ['org listing json', { argv: ['secret:org:list', 'acme', '--format', 'json'], code: 0 }],
  ['plan', { argv: ['plan', ...buildArgs], code: 0 }],
  ['plan json', { argv: ['plan', ...buildArgs, '--json'], code: 0 }],
  ['plan env target', { argv: ['plan', ...buildArgs, '--auth-target', 'env', '--json'], code: 0 }],
  ['dry run', { argv: ['build', ...buildArgs, '--dry-run'], code: 0 }],
  ['dry run json', { argv: ['build', ...buildArgs, '--dry-run', '--json'], code: 0 }],
  ['build', { argv: ['build', ...buildArgs], code: 0 }],
  ['build env target', { argv: ['build', ...buildArgs, '--auth-target', 'env'], code: 0 }],
  ['build keep-auth', { argv: keepAuth, code: 0, writes: [`${PROJECT}/auth.json`] }],
  ['restore after keep-auth', { argv: ['restore', '--dir', 'project'], code: 0, before: [keepAuth] }],
  ['auth-json', { argv: authJson, code: 0, writes: ['/work/out/auth.json'] }],
  ['restore after auth-json', { argv: ['restore', '--file', 'out/auth.json'], code: 0, before: [authJson] }],
  [
    'local secrets file',
    { argv: ['secret:site:local-generate', 'shop', '--filepath', 'local.json'], code: 0, writes: ['/work/local.json'] },
  ],
  [
    'local secrets file for dev',
    { argv: ['secret:local-generate', 'shop.dev', '--filepath', 'local.json'], code: 0, writes: ['/work/local.json'] },
  ],
  ['deleting an absent override', { argv: ['secret:site:delete', 'shop.live', 'SITE_ENV'], code: 0 }],
  ['env to a file', { argv: ['env', ...target, '--output', 'vars.json'], code: 0, writes: ['/work/vars.json'] }],
  ['env dotenv to a file', { argv: ['env', ...target, '--format', 'dotenv', '--output', 'vars.env'], code: 0, writes: ['/work/vars.env'] }],
  ['refused type change', { argv: ['secret:site:set', 'shop', 'SITE_ENV', `${CANARY}-new`, '--type', 'runtime'], code: 2 }],
  ['refused scope change', { argv: ['secret:org:set', 'acme', 'ORG_ENV', `${CANARY}-new`, '--scope', 'web'], code: 2 }],
  ['override without base', { argv: ['secret:site:set', 'shop.dev', 'NOPE', `${CANARY}-new`], code: 2 }],
  ['stray arguments', { argv: ['secret:site:set', 'shop', 'X', `${CANARY}-one`, `${CANARY}-two`], code: 2 }],
  ['invalid name with value', { argv: ['secret:site:set', 'shop', 'bad name', `${CANARY}-v`, '--type', 'env'], code: 2 }],
  ['oversized value', { argv: ['secret:site:set', 'shop', 'BIG', `${CANARY}${'x'.repeat(17000)}`], code: 2 }],
  ['bad flag value', { argv: ['secret:site:set', 'shop', 'X', `${CANARY}-v`, '--scope', `${CANARY}`], code: 2 }],
  ['unknown option', { argv: ['secret:site:set', 'shop', 'X', `${CANARY}-v`, `--${CANARY}`], code: 2 }],
  ['github without GITHUB_ENV', { argv: ['env', ...target, '--format', 'github'], code: 2 }],
  // The kept auth.json holds every credential: scan names it, and only it.
  ['scan finding values', { argv: ['scan', 'project', ...target], code: 9, before: [keepAuth], writes: [`${PROJECT}/auth.json`] }],
  [
    'scan finding values, json',
    { argv: ['scan', 'project', ...target, '--json'], code: 9, before: [keepAuth], writes: [`${PROJECT}/auth.json`] },
  ],
];

/** Files other than the store that hold the canary. */
function filesHoldingCanary(m: Awaited<ReturnType<typeof canaryWorld>>): string[] {
  return Object.entries(m.volume.toJSON())
    .filter(([file, content]) => file !== STORE && typeof content === 'string' && content.includes(CANARY))
    .map(([file]) => file)
    .sort();
}

describe('leak canary', () => {
  it.each(QUIET)(
    '%s prints no value and leaves values only in the requested files',
    async (_what, { argv, code, before = [], writes = [] }) => {
      const m = await canaryWorld();
      for (const step of before) expect((await m.run(step)).code, step.join(' ')).toBe(0);
      const r = await m.run(argv);
      expect(r.code, r.stderr).toBe(code);
      expect(r.stdout).not.toContain(CANARY);
      // Composer's own output is masked, so even an echoing composer shows no value.
      expect(r.stderr).not.toContain(CANARY);
      expect(filesHoldingCanary(m)).toEqual([...writes].sort());
    },
  );

  it('composer failing and echoing its environment and auth.json: all masked', async () => {
    const m = await canaryWorld(7);
    const r = await m.run(['build', ...buildArgs]);
    expect(r.code).toBe(7);
    expect(r.stdout).toContain('"SITE_ENV":"***');
    // The ': ' may go too: the custom header's value holds ': ' and the same canary, and
    // every stretch of 12 bytes of a value is masked (README, "Security").
    expect(r.stderr).toMatch(/^line(: )?\*\*\*$/m);
    expect(`${r.stdout}${r.stderr}`).not.toContain(CANARY);
  });

  it('the values went where they were sent: composer got them', async () => {
    const m = await canaryWorld();
    expect((await m.run(['build', ...buildArgs])).code).toBe(0);
    const call = m.calls.find((c) => c.file === COMPOSER_PATH);
    expect(call?.options.env.SITE_ENV).toBe(`${CANARY}-site-override`);
    expect(call?.options.env.ORG_ENV).toBe(`${CANARY}-org-override`);
  });

  it('an invalid store holding the canary: the error quotes no value', async () => {
    const broken = JSON.stringify({
      version: 1,
      sites: {
        shop: {
          secrets: {
            X: { type: 'env', scopes: ['ic'], value: 17 },
            [CANARY.toLowerCase()]: { type: 'nope', scopes: ['ic'], value: CANARY },
          },
        },
      },
    });
    const m = memoryContext({ files: { [STORE]: broken.replace('17', `"${CANARY}"`).replace('"value":"zq', '"value":zq') } });
    for (const argv of [
      ['plan', ...target],
      ['secret:site:list', 'shop'],
      ['secret:site:set', 'shop', 'Y', 'v'],
    ]) {
      const r = await m.run(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain(CANARY);
    }
  });
});
