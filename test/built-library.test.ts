// The minified library (dist/index.js) as a consumer imports it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO } from './support/built-cli.js';

describe('the built library', () => {
  it('keeps the names of its error classes (the bundle does not keep function names)', async () => {
    const lib = (await import(pathToFileURL(path.join(REPO, 'dist', 'index.js')).href)) as Record<string, unknown>;
    const names = ['CliError', 'UsageError', 'InvalidDocumentError', 'RefusedChangeError', 'UnsafeFileError', 'EnvironmentError'];
    const made = names.map((name) => {
      const ErrorClass = lib[name] as new (...args: string[]) => Error;
      return new ErrorClass(...(name === 'InvalidDocumentError' ? ['/f', 'message'] : ['message'])).name;
    });
    expect(made).toEqual(names);
  });

  it('is the library only, self-contained: no CLI (yargs stays in the CLI bundle), nothing but node builtins imported', async () => {
    const file = path.join(REPO, 'dist', 'index.js');
    const lib = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    expect(lib.main).toBeUndefined();
    const text = await readFile(file, 'utf8');
    expect(text).not.toMatch(/yargs/i);
    const imported = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"']+)["']/g)].map((m) => m[1] ?? '');
    expect(imported.length).toBeGreaterThan(0);
    expect(imported.filter((specifier) => !specifier.startsWith('node:'))).toEqual([]);
  });
});
