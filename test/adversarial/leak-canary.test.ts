// The leak canary: one unique value set as every kind of secret, then every command in
// every mode. The canary may appear only where the user asked for values: auth.json while
// composer runs, composer's environment, and explicit exports.
import { describe, expect, it } from 'vitest';
import { COMPOSER_PATH, memoryContext, type Program } from '../support/memory-context.js';

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
  ['secret:site:set', 'shop', 'COMPOSER_AUTH', JSON.stringify({ bearer: { 'doc.example.org': `${CANARY}-doc` } }), '--type', 'env', '--scope', 'ic'],
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
    files: { [`${PROJECT}/composer.json`]: '{}' },
    programs: { composer: (call, control) => echoingComposer(holder as never, composerExit)(call, control) },
  });
  holder.fs = m.fs as never;
  for (const argv of SECRETS) {
    const r = await m.run(argv);
    expect(r.code, argv.join(' ')).toBe(0);
    expect(`${r.stdout}${r.stderr}`).not.toContain(CANARY);
  }
  return m;
}

const target = ['--site', 'shop', '--env', 'dev'];
const buildArgs = [...target, '--dir', 'project'];

/** Commands whose output must not carry a value, in every mode. */
const QUIET: Array<[string, string[]]> = [
  ['site listing', ['secret:site:list', 'shop']],
  ['site listing json', ['secret:site:list', 'shop', '--format', 'json']],
  ['org listing', ['secret:org:list', 'acme']],
  ['org listing json', ['secret:org:list', 'acme', '--format', 'json']],
  ['plan', ['plan', ...buildArgs]],
  ['plan json', ['plan', ...buildArgs, '--json']],
  ['plan env target', ['plan', ...buildArgs, '--auth-target', 'env', '--json']],
  ['dry run', ['build', ...buildArgs, '--dry-run']],
  ['dry run json', ['build', ...buildArgs, '--dry-run', '--json']],
  ['build', ['build', ...buildArgs]],
  ['build env target', ['build', ...buildArgs, '--auth-target', 'env']],
  ['build keep-auth then restore', ['build', ...buildArgs, '--keep-auth']],
  ['restore', ['restore', '--dir', 'project']],
  ['auth-json', ['auth-json', ...target, '--output', 'out/auth.json']],
  ['env to a file', ['env', ...target, '--output', 'vars.json']],
  ['env dotenv to a file', ['env', ...target, '--format', 'dotenv', '--output', 'vars.env']],
  ['refused type change', ['secret:site:set', 'shop', 'SITE_ENV', `${CANARY}-new`, '--type', 'runtime']],
  ['refused scope change', ['secret:org:set', 'acme', 'ORG_ENV', `${CANARY}-new`, '--scope', 'web']],
  ['override without base', ['secret:site:set', 'shop.dev', 'NOPE', `${CANARY}-new`]],
  ['stray arguments', ['secret:site:set', 'shop', 'X', `${CANARY}-one`, `${CANARY}-two`]],
  ['invalid name with value', ['secret:site:set', 'shop', 'bad name', `${CANARY}-v`, '--type', 'env']],
  ['oversized value', ['secret:site:set', 'shop', 'BIG', `${CANARY}${'x'.repeat(17000)}`]],
  ['bad flag value', ['secret:site:set', 'shop', 'X', `${CANARY}-v`, '--scope', `${CANARY}`]],
  ['unknown option', ['secret:site:set', 'shop', 'X', `${CANARY}-v`, `--${CANARY}`]],
  ['github without GITHUB_ENV', ['env', ...target, '--format', 'github']],
];

describe('leak canary', () => {
  it.each(QUIET)('%s prints no value', async (_what, argv) => {
    const m = await canaryWorld();
    const r = await m.run(argv);
    expect(r.stdout).not.toContain(CANARY);
    // Composer's own output is masked, so even an echoing composer shows no value.
    expect(r.stderr).not.toContain(CANARY);
  });

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
    await m.run(['build', ...buildArgs]);
    const call = m.calls.find((c) => c.file === COMPOSER_PATH);
    expect(call?.options.env.SITE_ENV).toBe(`${CANARY}-site-override`);
    expect(call?.options.env.ORG_ENV).toBe(`${CANARY}-org-override`);
  });

  it('no file outside the requested outputs holds the canary afterwards, except the store', async () => {
    const m = await canaryWorld();
    for (const [, argv] of QUIET) await m.run(argv);
    const requested = new Set([STORE, '/work/out/auth.json', '/work/vars.json', '/work/vars.env']);
    const files = Object.entries(m.volume.toJSON()).filter(([, content]) => typeof content === 'string' && content.includes(CANARY));
    expect(files.map(([file]) => file).filter((file) => !requested.has(file))).toEqual([]);
  });

  it('an invalid store holding the canary: the error quotes no value', async () => {
    const broken = JSON.stringify({ version: 1, sites: { shop: { secrets: { X: { type: 'env', scopes: ['ic'], value: 17 }, [CANARY.toLowerCase()]: { type: 'nope', scopes: ['ic'], value: CANARY } } } } });
    const m = memoryContext({ files: { [STORE]: broken.replace('17', `"${CANARY}"`).replace('"value":"zq', '"value":zq') } });
    for (const argv of [['plan', ...target], ['secret:site:list', 'shop'], ['secret:site:set', 'shop', 'Y', 'v']]) {
      const r = await m.run(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).not.toContain(CANARY);
    }
  });
});
