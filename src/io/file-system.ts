// The file system the commands are handed: node's promise API on disk, memfs in tests.
// (fs-extra's promise API is this same object; importing it would only add graceful-fs's
// start-up cost to every command. Tests and the bench use fs-extra's helpers.)
import * as fsp from 'node:fs/promises';

export type FileSystem = Pick<
  typeof fsp,
  'readFile' | 'writeFile' | 'open' | 'rename' | 'lstat' | 'stat' | 'mkdir' | 'chmod' | 'unlink' | 'readdir' | 'rm' | 'access' | 'realpath'
>;

export const diskFileSystem: FileSystem = fsp;

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}
