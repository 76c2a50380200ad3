// env --format: each export format through the command, and its refusals.

import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { memoryContext } from './support/memory-context.js';

const CANARY = 'CANARY-e9';

async function seeded(values: Record<string, string>, env: Record<string, string> = {}) {
  const m = memoryContext({ env });
  for (const [name, value] of Object.entries(values)) {
    expect((await m.run(['secret:site:set', 'shop', name, '-', '--type', 'env', '--scope', 'ic'], value)).code).toBe(0);
  }
  return m;
}

const env = (...more: string[]) => ['env', '--site', 'shop', '--env', 'dev', ...more];

describe('env --format', () => {
  const values = { PLAIN: `${CANARY} plain`, TRICKY: `${CANARY} 'single' "double" $HOME \\ # = \n  second line  ` };

  it('dotenv: read back exactly by the dotenv package', async () => {
    const m = await seeded(values);
    const r = await m.run(env('--format', 'dotenv'));
    expect(r.code).toBe(0);
    expect(dotenv.parse(r.stdout)).toEqual(values);
  });

  it('shell: export lines', async () => {
    const m = await seeded({ A: `${CANARY} it's` });
    expect((await m.run(env('--format', 'shell'))).stdout).toBe(`export A='${CANARY} it'\\''s'\n`);
  });

  it('dotenv: a value the format cannot hold is refused, naming it, and nothing is written', async () => {
    const m = await seeded({ IMPOSSIBLE: `${CANARY}\r'"\`` });
    const r = await m.run(env('--format', 'dotenv', '--output', 'out.env'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('IMPOSSIBLE');
    expect(r.stderr).not.toContain(CANARY);
    await expect(m.fs.stat('/work/out.env')).rejects.toThrow();
  });

  it('github: masks on stdout, then the multi-line form appended to $GITHUB_ENV', async () => {
    const m = await seeded(values, { GITHUB_ENV: '/runner/env' });
    m.volume.mkdirSync('/runner');
    m.volume.writeFileSync('/runner/env', 'EARLIER=1\n');
    const r = await m.run(env('--format', 'github'));
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining([`::add-mask::${CANARY} plain`, '::add-mask::  second line  ']));
    const appended = (await m.fs.readFile('/runner/env', 'utf8')) as string;
    expect(appended.startsWith('EARLIER=1\nPLAIN<<ghadelimiter_')).toBe(true);
    expect(appended).toContain(`\n${CANARY} plain\n`);
    expect(r.stderr).toBe('Added 2 variables to $GITHUB_ENV.\n');
  });

  it('github without $GITHUB_ENV: exit 2 and nothing printed', async () => {
    const m = await seeded(values);
    const r = await m.run(env('--format', 'github'));
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain('$GITHUB_ENV, which is not set');
  });

  it('an unknown format: exit 2', async () => {
    const m = await seeded(values);
    const r = await m.run(env('--format', 'yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid value for --format (choices: dotenv, json, shell, github)');
  });
});
