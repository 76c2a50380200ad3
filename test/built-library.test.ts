// The minified library (dist/index.js) as a consumer imports it.
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
});
