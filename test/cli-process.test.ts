// The built CLI as a process: real disk, real lock, real exit codes.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, REPO, runCli, temporaryFolder } from './support/built-cli.js';

describe('the built CLI', () => {
  it('keeps all 16 updates when 16 processes set different secrets at the same moment', async () => {
    const dir = await temporaryFolder();
    const store = path.join(dir, 'config', 'store.json');
    const runs = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        runCli(['--store', store, 'secret:site:set', 'shop', `KEY_${i}`, `value-${i}`, '--type', 'env', '--scope', 'ic']),
      ),
    );
    expect(runs.map((r) => r.code)).toEqual(Array(16).fill(0));
    const secrets = JSON.parse(await readFile(store, 'utf8')).sites.shop.secrets;
    expect(Object.keys(secrets).sort()).toEqual(Array.from({ length: 16 }, (_, i) => `KEY_${i}`).sort());
    expect((await stat(store)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(store))).mode & 0o777).toBe(0o700);
  });

  it('reads a value of - from standard input byte for byte', async () => {
    const dir = await temporaryFolder();
    const store = path.join(dir, 'store.json');
    const value = 'multi\nline value with trailing spaces  \n';
    const set = await runCli(['--store', store, 'secret:site:set', 'shop', 'MULTI', '-', '--scope', 'user'], { input: value });
    expect(set).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(await readFile(store, 'utf8')).sites.shop.secrets.MULTI.value).toBe(value);
  });

  it('exits 2 on bad input with one line and no stack, and 0 with help', async () => {
    const bad = await runCli(['plan', '--site', 'shop']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('composer-secrets: plan needs --env (see composer-secrets plan --help)\n');
    for (const asked of [['--help'], ['-h'], ['help']]) {
      const help = await runCli(asked);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('composer-secrets secret:site:set <target> <name>');
    }
    expect(await runCli(['help', 'plan'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^composer-secrets plan\n/) });
    expect(await runCli(['-v'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+\n$/) });
  });

  it('bad input from a real process: English in any locale, stdin that is not UTF-8, - where a file goes', async () => {
    const dir = await temporaryFolder();
    const store = path.join(dir, 'store.json');
    const env = { LC_ALL: 'de_DE.UTF-8', LANG: 'de_DE.UTF-8' };
    const stray = await runCli(['--store', store, 'secret:site:set', 'shop', 'A', 'v', 'CANARY-stray'], { env });
    expect(stray).toMatchObject({
      code: 2,
      stderr:
        'composer-secrets: secret:site:set takes 3 arguments (<target> <name> <value>); 1 more was given (quote a value that holds spaces; see composer-secrets secret:site:set --help)\n',
    });
    const bytes = await runCli(['--store', store, 'secret:site:set', 'shop', 'A', '-'], { input: Buffer.from([0x76, 0xc0, 0x80]) });
    expect(bytes).toMatchObject({
      code: 2,
      stderr: 'composer-secrets: the <value> on standard input is not valid UTF-8 text; nothing was read from it\n',
    });
    const output = await runCli(['--store', store, 'env', '--site', 'shop', '--env', 'dev', '--output', '-']);
    expect(output.code).toBe(2);
    expect(output.stderr).toMatch(/^composer-secrets: --output -: '-' \(standard input\) is read only for a secret's <value>/);
    await expect(stat(store)).rejects.toThrow();
  });

  it('plans the bundled example', async () => {
    const r = await runCli(['--store', path.join(REPO, 'fixtures/example/store-example.json'), 'plan', '--site', 'shop', '--env', 'dev']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2 auth.json entries, 2 variables, 2 skipped');
    expect(r.stdout).not.toContain('example-not-a-real-password');
  });

  it('is one executable file with a node shebang', async () => {
    expect((await readFile(CLI, 'utf8')).startsWith('#!/usr/bin/env node')).toBe(true);
  });
});
