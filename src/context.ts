// The edge every command is handed: file system, lock, process runner, signals,
// environment and streams. The binary passes the real ones (cli/process-context.ts);
// tests pass memfs, in-memory streams and a fake runner.
import type { Readable } from 'node:stream';
import type { FileSystem } from './io/file-system.js';
import type { ProcessRunner } from './run/process-runner.js';
import type { LockFile } from './sources/local-store.js';

export type OutputStream = { write(chunk: string): unknown };

export type SignalName = 'SIGINT' | 'SIGTERM';
/** Subscribes to SIGINT and SIGTERM; returns the unsubscribe. */
export type OnSignal = (handler: (signal: SignalName) => void) => () => void;

export type Context = {
  fs: FileSystem;
  lock: LockFile;
  runner: ProcessRunner;
  onSignal: OnSignal;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  stdin: Readable;
  stdout: OutputStream;
  stderr: OutputStream;
};
