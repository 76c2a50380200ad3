// The package as npm installs it: `npm pack` of the build, installed from the tarball into
// an empty folder with no network, used as a user and a TypeScript consumer would.
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from './support/built-cli.js';

const EXAMPLE_STORE = path.join(REPO, 'fixtures/example/store-example.json');
const PLAN = ['--store', EXAMPLE_STORE, 'plan', '--site', 'shop', '--env', 'dev', '--json'];

/** The tarball of dist/ as it is (--ignore-scripts: prepack would rebuild dist/ under the other tests), installed into a fresh folder. */
async function installedPackage(dir: string) {
  const cache = path.join(dir, 'npm-cache');
  const npmEnv = { npm_config_cache: cache, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };
  const pack = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: REPO, env: npmEnv });
  const [{ filename }] = JSON.parse(pack.stdout) as [{ filename: string }];
  const app = path.join(dir, 'app');
  await mkdir(app);
  await writeFile(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  const install = await execa('npm', ['install', '--offline', path.join(dir, filename)], { cwd: app, env: npmEnv, all: true });
  return { app, installOutput: install.all, installed: path.join(app, 'node_modules', 'composer-secrets') };
}

describe('the package installed from its tarball', () => {
  // One install for all: packing and installing take seconds.
  let dir: string;
  let installation: Awaited<ReturnType<typeof installedPackage>>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'composer-secrets-installed-'));
    installation = await installedPackage(dir);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('installs alone, with no install scripts and no warning, and its bin plans as the build does', async () => {
    const { app, installOutput, installed } = installation;
    expect(installOutput).not.toMatch(/warn/i);
    expect(installOutput).toMatch(/added 1 package/);
    const manifest = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
      dependencies?: unknown;
    };
    expect(manifest.dependencies).toBeUndefined();
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts?.[hook], hook).toBeUndefined();

    const reference = await runCli(PLAN, { cwd: app });
    expect(reference.code).toBe(0);
    const bin = await execa(path.join(app, 'node_modules', '.bin', 'composer-secrets'), PLAN, { cwd: app, reject: false });
    expect({ code: bin.exitCode, plan: JSON.parse(bin.stdout) as unknown }).toEqual({ code: 0, plan: JSON.parse(reference.stdout) });
  });

  it("starts from its code cache, which npm's new file times do not spoil", async () => {
    const { installed } = installation;
    const dist = path.join(installed, 'dist');
    const { loadBundle, codeCacheFile } = (await import(path.join(dist, 'cli.cjs'))) as {
      loadBundle: (dir: string, options: { cacheFile: string }) => { cacheUsed: boolean };
      codeCacheFile: (argv: readonly string[]) => string;
    };
    expect(loadBundle(dist, { cacheFile: codeCacheFile(PLAN) }).cacheUsed).toBe(true);
  });

  it('gives a TypeScript consumer declarations that compile under --strict, library checks included', async () => {
    const { app } = installation;
    // A node project has node's types; the package brings the rest (zod's among them).
    await mkdir(path.join(app, 'node_modules', '@types'), { recursive: true });
    await symlink(path.join(REPO, 'node_modules', '@types', 'node'), path.join(app, 'node_modules', '@types', 'node'));
    await writeFile(
      path.join(app, 'consumer.ts'),
      [
        "import { planBuild, resolveForEnvironment, parseStore, UsageError, type Context } from 'composer-secrets';",
        'const store = parseStore(\'store.json\', \'{"version":1,"organizations":{},"sites":{}}\');',
        "const error: Error = new UsageError('message');",
        'export const used: unknown[] = [planBuild, resolveForEnvironment, store, error];',
        'export type Edge = Context;',
        '',
      ].join('\n'),
    );
    await writeFile(
      path.join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = await execa(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', app], {
      cwd: app,
      reject: false,
      all: true,
    });
    expect({ code: tsc.exitCode, output: tsc.all }).toEqual({ code: 0, output: '' });
  });
});
