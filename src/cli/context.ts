// The edge every command is handed: file system, lock, environment, streams. The binary
// passes the real ones; tests pass memfs and in-memory streams.
import os from 'node:os';
import type { Readable } from 'node:stream';
import { diskFileSystem, type FileSystem } from '../io/file-system.js';
import { lockFileOnDisk } from '../io/process-lock.js';
import type { LockFile } from '../sources/local-store.js';

export type OutputStream = { write(chunk: string): unknown };

export type Context = {
  fs: FileSystem;
  lock: LockFile;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  stdin: Readable;
  stdout: OutputStream;
  stderr: OutputStream;
};

export function processContext(): Context {
  return {
    fs: diskFileSystem,
    lock: lockFileOnDisk,
    env: process.env,
    cwd: process.cwd(),
    home: os.homedir(),
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
  };
}

/** All of standard input, byte for byte (a secret value given as `-`). */
export async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}
