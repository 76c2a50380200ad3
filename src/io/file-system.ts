// The file system the commands are handed: node's promise API on disk (through fs-extra),
// memfs in tests.
import fse from 'fs-extra';
import type * as fsp from 'node:fs/promises';

export type FileSystem = Pick<
  typeof fsp,
  'readFile' | 'writeFile' | 'open' | 'rename' | 'lstat' | 'stat' | 'mkdir' | 'chmod' | 'unlink' | 'readdir' | 'rm' | 'access'
>;

export const diskFileSystem: FileSystem = fse.promises;

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}
