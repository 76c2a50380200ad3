// doctor with the built CLI: against the real composer (Debian's 2.5.5), whose install then
// sends what doctor said it would; and against a stand-in program that answers --version as
// the real Composer 2.10.2 does (only 2.5.5 is installed here and in CI), for the 2.9+ rules.
import path from 'node:path';
import fs from 'fs-extra';
import { expect, it, onTestFinished } from 'vitest';
import { runCli } from '../support/built-cli.js';
import { composerEnvironment, describeWithComposer } from './support/composer-command.js';
import { createComposerProject } from './support/composer-project.js';
import { startComposerRepository } from './support/composer-repository.js';
import { createTestFolder } from './support/test-folder.js';

const CANARY = 'CANARY-doctor-e2e';
const GLOBAL_TOKEN = 'global-bearer-token';

describeWithComposer('doctor with the built CLI', () => {
  async function setup() {
    const dir = await createTestFolder('composer-secrets-doctor-');
    const repo = await startComposerRepository({ credential: { kind: 'bearer', token: GLOBAL_TOKEN } });
    onTestFinished(() => repo.close());
    const projectDir = path.join(dir, 'project');
    await createComposerProject(projectDir, repo);
    const env = composerEnvironment(dir);
    // The global auth.json holds a bearer token; the site's secret is an http-basic one for the same host.
    await fs.outputFile(path.join(env.COMPOSER_HOME, 'auth.json'), JSON.stringify({ bearer: { [repo.host]: GLOBAL_TOKEN } }));
    const store = path.join(dir, 'store.json');
    const cli = (args: string[], more: Record<string, string> = {}) =>
      runCli(['--store', store, ...args], { env: { ...env, ...more }, extendEnv: false });
    expect(
      (await cli(['secret:site:set', 'shop', `http-basic.${repo.host}`, `deploy ${CANARY}`, '--type', 'composer', '--scope', 'ic'])).code,
    ).toBe(0);
    const target = ['--site', 'shop', '--env', 'dev', '--dir', projectDir];
    return { dir, repo, cli, target };
  }

  it('the real 2.5.5: a global bearer beats the http-basic secret (Composer sets bearer last), and its install sends the bearer token', async () => {
    const { repo, cli, target } = await setup();
    const r = await cli(['doctor', ...target, '--json']);
    expect(JSON.parse(r.stdout)).toEqual({
      composer: { version: '2.5.5+debian', from: 'installed files' },
      hosts: [
        {
          host: repo.host,
          kind: 'bearer',
          source: 'global auth.json',
          shadowed: [{ kind: 'http-basic', source: 'secrets' }],
          warnings: [expect.stringContaining('several kinds for one host (http-basic in secrets, bearer in global auth.json)')],
        },
      ],
      problems: [`the build sets a credential for ${repo.host}, but Composer sends bearer from global auth.json`],
    });
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).not.toContain(CANARY);
    // What doctor said: the real composer sends the global bearer token, not the secret.
    const built = await cli(['build', ...target]);
    expect(built.code).toBe(0);
    expect(repo.requests.length).toBeGreaterThan(0);
    expect(repo.requests.every((q) => q.authorization === 'bearer' && q.authorized)).toBe(true);
  });

  it('a stand-in answering --version as Composer 2.10.2: custom-headers in COMPOSER_AUTH replaces the other kinds', async () => {
    const { dir, repo, cli, target } = await setup();
    const standIn = path.join(dir, 'stand-in', 'composer');
    await fs.outputFile(standIn, '#!/bin/sh\n[ "$1" = --version ] && echo "Composer version 2.10.2 2025-11-19 12:00:00"\nexit 0\n', {
      mode: 0o755,
    });
    const composerAuth = JSON.stringify({ 'custom-headers': { [repo.host]: ['X-Api-Key: in-caller-env'] } });
    const r = await cli(['doctor', ...target, '--composer', standIn], { COMPOSER_AUTH: composerAuth });
    expect(r.stdout).toContain('Composer: 2.10.2 (answered by');
    expect(r.stdout).toContain(`${repo.host}  custom-headers  COMPOSER_AUTH  http-basic (secrets); bearer (global auth.json)\n`);
    expect(r.code).toBe(2);
    // The real 2.5.5 ignores it: the bearer still wins there.
    const old = await cli(['doctor', ...target], { COMPOSER_AUTH: composerAuth });
    expect(old.stdout).toContain(`warning: ${repo.host}: Composer 2.5.5+debian ignores custom-headers entries`);
    for (const out of [r, old]) {
      expect(out.stdout + out.stderr).not.toContain(CANARY);
      expect(out.stdout + out.stderr).not.toContain('in-caller-env');
    }
  });
});
