// How the commands answer what people type at first contact (issue 14, "Answer the way
// people type"): folders and stores that are not there, env beside an auth.json, a missing
// terminus, reserved variable names, and what a dry run and a build say they did.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { memoryContext } from './support/memory-context.js';

const STORE = '/home/dev/.config/composer-secrets/store.json';
const CANARY = 'CANARY-ans';
const PROJECT = '/work/project';
const target = ['--site', 'shop', '--env', 'dev'];

/** Site shop of organization acme with one credential and one variable, and a project folder. */
async function project(options: { files?: Record<string, string>; env?: Record<string, string> } = {}) {
  const m = memoryContext({ files: { [`${PROJECT}/composer.json`]: '{}', ...options.files }, env: options.env });
  const steps: string[][] = [
    ['site:set-org', 'shop', 'acme'],
    ['secret:site:set', 'shop', 'bearer.repo.example.org', `${CANARY}-bearer`, '--type', 'composer', '--scope', 'ic'],
    ['secret:site:set', 'shop', 'API_KEY', `${CANARY}-api`, '--type', 'env', '--scope', 'ic'],
  ];
  for (const argv of steps) expect((await m.run(argv)).code, argv.join(' ')).toBe(0);
  return m;
}

const noCanary = (r: { stdout: string; stderr: string }) => {
  expect(r.stdout).not.toContain(CANARY);
  expect(r.stderr).not.toContain(CANARY);
};

describe('--dir', () => {
  const commands: Array<[string, string[]]> = [
    ['plan', ['plan', ...target]],
    ['doctor', ['doctor', ...target]],
    ['build', ['build', ...target]],
    ['build --dry-run', ['build', ...target, '--dry-run']],
    ['restore', ['restore']],
  ];

  it.each(commands)('%s: a folder that is not there is exit 2, saying so', async (_name, argv) => {
    const m = await project();
    const r = await m.run([...argv, '--dir', 'nope']);
    expect(r, r.stderr).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe('composer-secrets: --dir nope: there is no such folder\n');
  });

  it.each(commands)('%s: a folder without composer.json is exit 2, saying so, and nothing runs', async (_name, argv) => {
    const m = await project({ files: { '/work/empty/.keep': '' } });
    const r = await m.run([...argv, '--dir', 'empty']);
    expect(r, r.stderr).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toBe(
      'composer-secrets: --dir empty: there is no composer.json in it; name the project folder (where composer.json is)\n',
    );
    expect(m.calls.map((c) => c.file)).not.toContain('/usr/bin/composer');
    expect(m.volume.readdirSync('/work/empty')).toEqual(['.keep']);
  });

  it('build without --dir in a folder without composer.json: exit 2, no credentials written, composer not run', async () => {
    const m = await project();
    const r = await m.run(['build', ...target]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toBe(
      'composer-secrets: the current folder /work: there is no composer.json in it; run it in the project folder or name that with --dir\n',
    );
    expect(m.volume.existsSync('/work/auth.json')).toBe(false);
    expect(m.calls.map((c) => c.file)).not.toContain('/usr/bin/composer');
  });

  it('build with composer arguments of its own may run where there is no composer.json', async () => {
    const m = await project();
    const r = await m.run(['build', ...target, '--', 'create-project', 'acme/app', 'app']);
    expect(r.code, r.stderr).toBe(0);
    expect(m.calls.find((c) => c.file === '/usr/bin/composer')?.args).toEqual(['create-project', 'acme/app', 'app']);
  });

  it('a file given as --dir is not a folder: exit 2', async () => {
    const m = await project();
    const r = await m.run(['plan', ...target, '--dir', 'project/composer.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('composer-secrets: --dir project/composer.json: not a folder\n');
  });
});

describe('--store that does not exist', () => {
  it.each([
    ['plan', ['plan', ...target, '--dir', 'project']],
    ['env', ['env', ...target]],
    ['secret:site:list', ['secret:site:list', 'shop']],
    ['secret:org:list', ['secret:org:list', 'acme']],
    ['secret:site:local-generate', ['secret:site:local-generate', 'shop']],
  ])('%s says there is no store file (exit 2)', async (_name, argv) => {
    const m = await project();
    const r = await m.run(['--store', 'typo.json', ...argv]);
    expect(r, r.stderr).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^composer-secrets: there is no store file \/work\/typo\.json; check --store/);
    expect(m.volume.existsSync('/work/typo.json')).toBe(false);
  });

  it('secret:site:set creates it, as before', async () => {
    const m = memoryContext();
    expect((await m.run(['--store', 'new.json', 'secret:site:set', 'shop', 'A', 'v'])).code).toBe(0);
    expect(m.volume.existsSync('/work/new.json')).toBe(true);
  });
});

describe('env', () => {
  it('exports the variables whatever auth.json the folder holds (no advice about --auth-target)', async () => {
    const m = await project({
      files: {
        '/work/composer.json': '{}',
        '/work/auth.json': JSON.stringify({ bearer: { 'repo.example.org': 'other-token' }, 'github-oauth': { 'github.com': 'ghp_x' } }),
      },
    });
    const r = await m.run(['env', ...target]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ API_KEY: `${CANARY}-api` });
    expect(r.stderr).not.toContain('--auth-target');
  });
});

describe('--source terminus', () => {
  it('terminus not installed: exit 2, as a missing composer is', async () => {
    const m = memoryContext({ programs: {} });
    const r = await m.run(['plan', ...target, '--source', 'terminus']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(/^composer-secrets: terminus was not found on PATH/);
  });

  const rows = {
    ORG_KEY: {
      type: 'env',
      value: `${CANARY}-org`,
      scopes: ['ic'],
      'env-values': { dev: `${CANARY}-dev` },
      'org-values': { default: `${CANARY}-org` },
    },
  };
  const terminus = () =>
    memoryContext({
      programs: {
        terminus: (call) => {
          call.options.onStdout?.(JSON.stringify(rows));
          return { exitCode: 0 };
        },
      },
    });

  it('without --org, plan prints no placeholder as the organization and suggests --org', async () => {
    const r = await terminus().run(['plan', ...target, '--source', 'terminus']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('(organization)');
    expect(r.stdout).toContain('Build plan for site shop, environment dev, organization not named by the source (give it with --org)\n');
    noCanary(r);
  });

  it('without --org, plan --json has null for the organization and its name', async () => {
    const r = await terminus().run(['plan', ...target, '--source', 'terminus', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('(organization)');
    const plan = JSON.parse(r.stdout);
    expect(plan.organization).toBeNull();
    expect(
      plan.secrets
        .flatMap((s: { from: object; shadowed: object[] }) => [s.from, ...s.shadowed])
        .filter((p: { owner: string }) => p.owner === 'org'),
    ).toEqual([{ owner: 'org', ownerName: null, layer: 'base' }]);
  });

  it('with --org, the name is printed', async () => {
    const r = await terminus().run(['plan', ...target, '--source', 'terminus', '--org', 'acme']);
    expect(r.stdout).toContain('organization acme\n');
  });
});

describe('reserved variable names', () => {
  it.each([
    ['secret:site:set', 'shop', 'PATH'],
    ['secret:org:set', 'acme', 'LD_PRELOAD'],
    ['secret:site:set', 'shop', 'COMPOSER_HOME'],
  ])('%s %s %s is refused (exit 2, naming the secret), nothing stored', async (command, owner, name) => {
    const m = await project();
    const before = m.volume.readFileSync(STORE, 'utf8');
    const r = await m.run([command, owner, name, `${CANARY}-value`, '--type', 'env', '--scope', 'ic']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`secret '${name}': ${name} changes how the build itself runs, so a secret may not set it`);
    noCanary(r);
    expect(m.volume.readFileSync(STORE, 'utf8')).toBe(before);
  });

  it('a runtime secret may still have such a name (a build never makes it a variable)', async () => {
    const m = await project();
    expect((await m.run(['secret:site:set', 'shop', 'PATH', 'v', '--type', 'runtime'])).code).toBe(0);
  });

  it('a store that already holds one: the build is refused as before', async () => {
    const store = { version: 1, sites: { shop: { secrets: { PATH: { type: 'env', scopes: ['ic'], value: `${CANARY}-path` } } } } };
    const m = memoryContext({ files: { [STORE]: JSON.stringify(store), [`${PROJECT}/composer.json`]: '{}' } });
    const r = await m.run(['build', ...target, '--dir', 'project']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("secret 'PATH': PATH changes how the build itself runs");
  });
});

describe('what a run says it did', () => {
  it('a dry run says nothing was written, on stderr', async () => {
    const m = await project();
    const r = await m.run(['build', ...target, '--dir', 'project', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('composer-secrets: dry run: nothing was written and composer was not run\n');
    expect(m.volume.readdirSync(PROJECT)).toEqual(['composer.json']);
  });

  it('a build ends with one line: credentials written and put back, variables set, the sweep', async () => {
    const m = await project();
    const r = await m.run(['build', ...target, '--dir', 'project']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe(
      `composer-secrets: build of site shop (dev) done, composer exited with 0: 1 credential written to ${PROJECT}/auth.json, removed again (there was none before); 1 variable set; leak check: no secret value in 1 file\n`,
    );
  });

  it('the line says when the original auth.json was put back, and what --keep-auth left', async () => {
    const m = await project({ files: { [`${PROJECT}/auth.json`]: '{}' } });
    expect((await m.run(['build', ...target, '--dir', 'project'])).stderr).toContain(
      `1 credential written to ${PROJECT}/auth.json, the original put back; `,
    );
    const kept = await m.run(['build', ...target, '--dir', 'project', '--keep-auth', '--leak-check', 'off']);
    expect(kept.stderr.split('\n').at(-2)).toBe(
      `composer-secrets: build of site shop (dev) done, composer exited with 0: 1 credential written to ${PROJECT}/auth.json, left in place (--keep-auth); 1 variable set; leak check off`,
    );
  });

  it('the line says how many paths the sweep could not read', async () => {
    const m = await project({ files: { [`${PROJECT}/locked.txt`]: 'x' } });
    // memfs has no permissions: the sweep's open of one file is refused as EACCES would be.
    const volume = m.volume;
    m.ctx.syncFs = new Proxy(volume, {
      get: (target, key) =>
        key === 'openSync'
          ? (file: string, ...rest: unknown[]) => {
              if (String(file).endsWith('locked.txt')) throw Object.assign(new Error('denied'), { code: 'EACCES' });
              return (target.openSync as (...a: unknown[]) => number).call(target, file, ...rest);
            }
          : (Reflect.get(target, key) as unknown),
    }) as unknown as typeof m.ctx.syncFs;
    const r = await m.run(['build', ...target, '--dir', 'project']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('composer-secrets: warning: leak check: locked.txt: could not be read (EACCES), not looked at\n');
    expect(r.stderr).toMatch(/; leak check: no secret value in 1 file \(1 path not read, see above\)\n$/);
  });

  it('with --auth-target env: credentials in COMPOSER_AUTH, nothing written', async () => {
    const m = await project();
    const r = await m.run(['build', ...target, '--dir', 'project', '--auth-target', 'env']);
    expect(r.stderr).toContain(': 1 credential in COMPOSER_AUTH, nothing written; 1 variable set; ');
  });

  it("plan's problems are printed once, with the plan on stdout", async () => {
    const store = { version: 1, sites: { shop: { secrets: { PATH: { type: 'env', scopes: ['ic'], value: `${CANARY}-x` } } } } };
    const m = memoryContext({ files: { [STORE]: JSON.stringify(store), [`${PROJECT}/composer.json`]: '{}' } });
    for (const argv of [
      ['plan', ...target, '--dir', 'project'],
      ['build', ...target, '--dir', 'project', '--dry-run'],
    ]) {
      const r = await m.run(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toMatch(/^problem: /m);
      expect(r.stderr).toBe('composer-secrets: the build of site shop (dev) was not started: 1 problem with its secrets, listed above\n');
      noCanary(r);
    }
    // A build prints no plan: the problems are listed under the message.
    const built = await m.run(['build', ...target, '--dir', 'project']);
    expect(built.stderr).toMatch(/^composer-secrets: the build of site shop \(dev\) was not started: 1 problem with its secrets\n {2}- /);
  });

  it('counts read naturally', async () => {
    const m = await project();
    const plan = await m.run(['plan', ...target, '--dir', 'project']);
    expect(plan.stdout).toContain('\n1 auth.json entry, 1 variable, 0 skipped\n');
    expect((await m.run(['env', ...target, '--output', 'vars.json'])).stderr).toBe('Wrote 1 variable to /work/vars.json.\n');
    await m.run(['secret:site:set', 'shop', 'OTHER', 'v', '--type', 'env', '--scope', 'ic']);
    expect((await m.run(['plan', ...target, '--dir', 'project'])).stdout).toContain('\n1 auth.json entry, 2 variables, 0 skipped\n');
  });

  it('SHADOWS says (base) for an override over its own base, and names another owner', async () => {
    const m = await project();
    await m.run(['secret:site:set', 'shop.dev', 'API_KEY', `${CANARY}-api-dev`]);
    await m.run(['secret:org:set', 'acme', 'ORG_KEY', `${CANARY}-org`, '--type', 'env', '--scope', 'ic']);
    await m.run(['secret:site:set', 'shop', 'ORG_KEY', `${CANARY}-site`, '--type', 'env', '--scope', 'ic']);
    const r = await m.run(['plan', ...target, '--dir', 'project']);
    const row = (name: string) =>
      r.stdout
        .split('\n')
        .find((line) => line.startsWith(`${name} `))
        ?.trim() ?? '';
    expect(row('API_KEY')).toMatch(/site shop \(dev override\) +env API_KEY +\(base\)$/);
    expect(row('ORG_KEY')).toMatch(/site shop +env ORG_KEY +org acme$/);
  });
});

describe('a <value> of - at a terminal', () => {
  /** A terminal on standard input with these keys typed, in these chunks. `modes`: each setRawMode. */
  function fakeTerminal(keys: Array<string | Buffer>) {
    const stream = new PassThrough();
    const modes: boolean[] = [];
    const terminal = Object.assign(stream, {
      isTTY: true,
      setRawMode(raw: boolean) {
        modes.push(raw);
        return terminal;
      },
    });
    for (const key of keys) stream.write(key);
    stream.end();
    return { terminal, modes };
  }

  const storedValue = (m: ReturnType<typeof memoryContext>) =>
    JSON.parse(m.volume.readFileSync(STORE, 'utf8') as string).sites.shop.secrets.TOKEN.value;

  it('is read without echo, up to Enter, which is not part of it', async () => {
    const m = memoryContext();
    const { terminal, modes } = fakeTerminal([`${CANARY}-ty`, 'ped', '\r', 'after Enter']);
    m.ctx.stdin = terminal;
    const r = await m.run(['secret:site:set', 'shop', 'TOKEN', '-']);
    expect(r.code, r.stderr).toBe(0);
    expect(storedValue(m)).toBe(`${CANARY}-typed`);
    expect(modes).toEqual([true, false]);
    expect(r.stderr).toBe('composer-secrets: <value> (typing is not shown; Enter ends it): \n');
    noCanary(r);
  });

  it('Backspace and Ctrl-U edit what was typed; arrow keys and other control characters are dropped; UTF-8 cut between chunks is whole', async () => {
    const m = memoryContext();
    const wörd = Buffer.from('wörd');
    const { terminal } = fakeTerminal(['x\u0015', 'ab\u007fc', '\u001b[D\u001bOP\t', wörd.subarray(0, 2), wörd.subarray(2), '\n']);
    m.ctx.stdin = terminal;
    expect((await m.run(['secret:site:set', 'shop', 'TOKEN', '-'])).code).toBe(0);
    expect(storedValue(m)).toBe('acwörd');
  });

  it('Ctrl-C cancels: exit 130, nothing stored, the terminal back out of raw mode', async () => {
    const m = memoryContext();
    const { terminal, modes } = fakeTerminal([`${CANARY}\u0003`]);
    m.ctx.stdin = terminal;
    const r = await m.run(['secret:site:set', 'shop', 'TOKEN', '-']);
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('composer-secrets: no <value> entered (cancelled); nothing was changed\n');
    noCanary(r);
    expect(modes).toEqual([true, false]);
    expect(m.volume.existsSync(STORE)).toBe(false);
  });

  it('from a pipe, the value is kept exactly as given, its final newline too', async () => {
    const m = memoryContext();
    const r = await m.run(['secret:site:set', 'shop', 'TOKEN', '-'], `${CANARY}\n`);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(storedValue(m)).toBe(`${CANARY}\n`);
  });
});
