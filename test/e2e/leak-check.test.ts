// The leak check after a real composer build against the loopback repository: a Composer
// script that writes a secret into a file under vendor/ fails the build naming that file;
// a clean build passes; --leak-check warn and off; `scan` on what the build left, as a
// folder and as a tar.gz.

import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import fs from 'fs-extra';
import { expect, it, onTestFinished } from 'vitest';
import { runCli } from '../support/built-cli.js';
import { composerEnvironment, describeWithComposer } from './support/composer-command.js';
import { type ComposerProjectOptions, createComposerProject } from './support/composer-project.js';
import { startComposerRepository } from './support/composer-repository.js';
import { createTestFolder } from './support/test-folder.js';

const SITE = 'shop';
const ENV = 'dev';
const EXIT_LEAK_FOUND = 9;
const INSTALLED = 'vendor/acme/hello/src/Hello.php';
const hex = (bytes = 8) => randomBytes(bytes).toString('hex');

// Without a composer.lock `composer install` fires post-update-cmd; scripts listen to both.
const onInstall = (command: string) => ({ 'post-update-cmd': command, 'post-install-cmd': command });

describeWithComposer('the leak check with the real composer', () => {
  async function setup(projectOptions: ComposerProjectOptions = {}) {
    const dir = await createTestFolder('composer-secrets-leaks-');
    const username = `deploy-${hex(3)}`;
    const password = `pw-${hex()}`;
    const repo = await startComposerRepository({ credential: { kind: 'http-basic', username, password } });
    onTestFinished(() => repo.close());
    const projectDir = path.join(dir, 'project');
    await createComposerProject(projectDir, repo, projectOptions);
    const env = composerEnvironment(dir);
    const store = path.join(dir, 'store', 'store.json');
    const envValue = `acf-${hex()}`;
    const values = [password, envValue];
    const cli = async (args: string[], input?: string) => {
      const result = await runCli(['--store', store, ...args], {
        env,
        extendEnv: false,
        cwd: projectDir,
        timeout: 45_000,
        ...(input === undefined ? { stdin: 'ignore' as const } : { input }),
      });
      // No value, in any form a person would recognize, in anything printed.
      for (const value of values) {
        for (const form of [value, Buffer.from(value).toString('base64'), encodeURIComponent(value)])
          expect(result.stdout + result.stderr).not.toContain(form);
      }
      return result;
    };
    for (const [name, value, type] of [
      [`http-basic.${repo.host}`, `${username} ${password}`, 'composer'],
      ['ACF_PRO_KEY', envValue, 'env'],
    ] as const) {
      expect((await cli(['secret:site:set', SITE, name, '-', '--type', type, '--scope', 'ic'], value)).code).toBe(0);
    }
    const build = (...extra: string[]) => cli(['build', '--site', SITE, '--env', ENV, '--dir', projectDir, ...extra]);
    const scan = (...paths: string[]) => cli(['scan', ...paths, '--site', SITE, '--env', ENV]);
    return { dir, projectDir, build, scan };
  }

  const leakingScript = onInstall(
    'mkdir -p vendor/acme/leak && printf "# written by a script\\nKEY=%s\\n" "$ACF_PRO_KEY" > vendor/acme/leak/.env',
  );

  it('a script writing an env secret into vendor/ fails the build (exit 9), naming the file, not the value', async () => {
    const t = await setup({ scripts: leakingScript });
    const r = await t.build();
    expect(r.code, r.stderr).toBe(EXIT_LEAK_FOUND);
    expect(await fs.pathExists(path.join(t.projectDir, INSTALLED)), 'composer itself succeeded').toBe(true);
    expect(r.stderr).toContain(`the leak check found secret values the build handed out in 1 place under ${t.projectDir}`);
    expect(r.stderr).toContain('  - vendor/acme/leak/.env (line 2)\n');
    expect(await fs.pathExists(path.join(t.projectDir, 'auth.json')), 'auth.json was put back (removed) before the check').toBe(false);
  });

  it('a clean build passes: the installed tree, composer.lock and vendor/composer hold no value', async () => {
    const t = await setup();
    const r = await t.build();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('warning: leak check');
    expect(r.stderr).toMatch(/; leak check: no secret value in \d+ files\n$/);
    expect(await fs.pathExists(path.join(t.projectDir, 'composer.lock'))).toBe(true);
  });

  it("--leak-check warn: the file as a warning and composer's exit code; off: not a word", async () => {
    const t = await setup({ scripts: leakingScript });
    const warn = await t.build('--leak-check', 'warn');
    expect(warn.code, warn.stderr).toBe(0);
    expect(warn.stderr).toContain('composer-secrets: warning: leak check: the leak check found secret values');
    expect(warn.stderr).toContain('  - vendor/acme/leak/.env (line 2)\n');
    const off = await t.build('--leak-check', 'off');
    expect(off.code, off.stderr).toBe(0);
    // Only the build's last line mentions it.
    expect(off.stderr.replace(/; leak check off\n$/, '')).not.toContain('leak check');
  });

  it('scan finds what the build left, in the folder and in a tar.gz artifact of it; a clean folder passes', async () => {
    const t = await setup({ scripts: leakingScript });
    expect((await t.build('--leak-check', 'off')).code).toBe(0);
    const folder = await t.scan(t.projectDir);
    expect(folder.code).toBe(EXIT_LEAK_FOUND);
    expect(folder.stdout).toBe(`${t.projectDir}/vendor/acme/leak/.env (line 2)\n`);

    const artifact = path.join(t.dir, 'artifact.tar.gz');
    execFileSync('tar', ['-czf', artifact, '-C', t.projectDir, '.']);
    const archived = await t.scan(artifact);
    expect(archived.code).toBe(EXIT_LEAK_FOUND);
    expect(archived.stdout).toBe(`${artifact}:vendor/acme/leak/.env (line 2)\n`);

    await fs.remove(path.join(t.projectDir, 'vendor/acme/leak'));
    const clean = await t.scan(t.projectDir);
    expect(clean.code, clean.stderr).toBe(0);
  });
});
