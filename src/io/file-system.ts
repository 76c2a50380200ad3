// The file system the commands are handed: node's promise API on disk, memfs in tests.
// (fs-extra's promise API is this same object; importing it would only add graceful-fs's
// start-up cost to every command. Tests and the bench use fs-extra's helpers.)
import type * as nodeFs from 'node:fs';
import * as fsp from 'node:fs/promises';

export type FileSystem = Pick<
  typeof fsp,
  'readFile' | 'writeFile' | 'open' | 'rename' | 'lstat' | 'stat' | 'mkdir' | 'chmod' | 'unlink' | 'readdir' | 'rm' | 'access' | 'realpath'
>;

export const diskFileSystem: FileSystem = fsp;

/** The synchronous file system calls the leak sweep makes: node's on disk, memfs's in tests. */
export type SyncFileSystem = Pick<
  typeof nodeFs,
  'readdirSync' | 'openSync' | 'readSync' | 'closeSync' | 'readlinkSync' | 'lstatSync' | 'statSync'
>;

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}
