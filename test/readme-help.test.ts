// The README's "Help" section, run as written: every command in its code block answers
// with help or the version (exit 0), so the excerpt stays true as the CLI changes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import packageJson from '../package.json' with { type: 'json' };
import { REPO, runCli } from './support/built-cli.js';

function helpSectionCommands(): string[][] {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.split(/^## Help$/m)[1]?.split(/^## /m)[0] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/#.*$/, '').trim())
    .filter((line) => line !== '')
    .map((line) => line.split(/\s+/).slice(1)); // drop the program name
}

describe("the README's help excerpt", () => {
  const commands = helpSectionCommands();

  it('has the commands it promises', () => {
    expect(commands.map((words) => words.join(' '))).toEqual(['help', 'help plan', '-v']);
  });

  it.each(commands.map((words) => [words.join(' '), words] as const))('composer-secrets %s answers with exit 0', async (_, words) => {
    const { code, stdout, stderr } = await runCli(words);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    if (words[0] === '-v') expect(stdout.trim()).toBe(packageJson.version);
    else expect(stdout).toMatch(words[1] === undefined ? /^composer-secrets <command>/ : new RegExp(`^composer-secrets ${words[1]}`));
  });

  it('the alternatives in its comments answer the same', async () => {
    const same = [
      [['-h'], ['--help'], ['help']],
      [
        ['plan', '-h'],
        ['plan', '--help'],
        ['help', 'plan'],
      ],
      [['--version'], ['-v']],
    ];
    for (const group of same) {
      const outputs = await Promise.all(group.map(async (words) => (await runCli(words)).stdout));
      expect(new Set(outputs).size).toBe(1);
    }
  });
});
