// Output for CI logs and pipes: the built CLI writes no terminal escape (colour, cursor) in
// any command's output or help, whatever NO_COLOR, CI or FORCE_COLOR say. Our own text has
// none (tables escape control characters, yargs' help is plain); composer's output is
// passed through as composer writes it to a pipe: plain, unless asked with --ansi.
import path from 'node:path';
import fs from 'fs-extra';
import { describe, expect, it } from 'vitest';
import { REPO, runCli, temporaryFolder } from './support/built-cli.js';

const STORE = path.join(REPO, 'fixtures/example/store-example.json');
// ESC, and the one-byte CSI a terminal also reads.
const ESCAPES = /[\u001b\u009b]/;

async function project() {
  const dir = await temporaryFolder();
  await fs.writeFile(path.join(dir, 'composer.json'), '{}');
  const composer = path.join(dir, 'composer-stand-in');
  await fs.writeFile(
    composer,
    '#!/bin/sh\n[ "$1" = --version ] && { echo \'Composer version 2.10.2 2025-11-19 12:00:00\'; exit 0; }\necho installing\n',
    { mode: 0o755 },
  );
  return { dir, composer };
}

describe('no terminal escapes in output', () => {
  const environments: Array<[string, Record<string, string>]> = [
    ['stdout a pipe', {}],
    ['NO_COLOR and CI', { NO_COLOR: '1', CI: 'true' }],
    // What a user sets to get colours in a CI log: yargs and our text have none to give.
    ['FORCE_COLOR', { FORCE_COLOR: '3' }],
  ];
  it.each(environments)('%s', async (_what, env) => {
    const { dir, composer } = await project();
    const target = ['--site', 'shop', '--env', 'dev', '--dir', dir];
    const commands = [
      ['--help'],
      ['plan', '--help'],
      ['build', '--help'],
      ['secret:org:lst'],
      ['plan', '--site', 'shop'],
      ['--store', STORE, 'plan', ...target],
      ['--store', STORE, 'plan', ...target, '--json'],
      ['--store', STORE, 'doctor', ...target, '--composer', composer],
      ['--store', STORE, 'secret:site:list', 'shop'],
      ['--store', STORE, 'build', ...target, '--dry-run'],
      ['--store', STORE, 'build', ...target, '--composer', composer],
      ['--store', STORE, 'env', '--site', 'shop', '--env', 'dev', '--format', 'shell'],
      ['--store', STORE, 'scan', '--site', 'shop', '--env', 'dev', dir],
      ['--store', path.join(dir, 'missing.json'), 'plan', ...target],
    ];
    for (const argv of commands) {
      const r = await runCli(argv, { env: { ...env, COLUMNS: '80' }, cwd: dir });
      expect(r.stdout + r.stderr, argv.join(' ')).not.toMatch(ESCAPES);
      expect(r.stdout + r.stderr, argv.join(' ')).not.toBe('');
    }
  });
});
