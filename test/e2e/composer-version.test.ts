// The built CLI learns the version of the real composer on PATH (Debian's 2.5.5 here and in
// CI) from its installed files, and applies that version's rules.
import path from 'node:path';
import fs from 'fs-extra';
import { expect, it } from 'vitest';
import { runCli, temporaryFolder } from '../support/built-cli.js';
import { composerEnvironment, describeWithComposer } from './support/composer-command.js';

describeWithComposer('the real composer: its version and rules', () => {
  it("plan reads Debian's 2.5.5 from its files and refuses what it would refuse", async () => {
    const dir = await temporaryFolder();
    const store = path.join(dir, 'store.json');
    const env = { ...composerEnvironment(dir) };
    await fs.outputFile(path.join(dir, 'project', 'composer.json'), '{}');
    const set = await runCli(
      [
        '--store',
        store,
        'secret:site:set',
        'shop',
        'custom-headers.repo.example.org',
        'X-Api-Key: CANARY-e2e',
        '--type',
        'composer',
        '--scope',
        'ic',
      ],
      { env, extendEnv: false },
    );
    expect(set.code).toBe(0);
    const r = await runCli(['--store', store, 'plan', '--site', 'shop', '--env', 'dev', '--dir', path.join(dir, 'project'), '--json'], {
      env,
      extendEnv: false,
    });
    const plan = JSON.parse(r.stdout);
    expect(plan.composer).toEqual({ version: '2.5.5+debian', from: 'installed files' });
    expect(plan.problems).toEqual([
      "secret 'custom-headers.repo.example.org': Composer 2.5.5+debian ignores custom-headers entries without a word (Composer reads them from 2.9.0): nothing would be sent for repo.example.org and the install would fail later; use bearer (an Authorization header) or http-basic, or run Composer 2.9 or later",
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).not.toContain('CANARY-e2e');
  });
});
