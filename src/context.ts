// The edge every command is handed: file system, lock, process runner, signals,
// environment and streams. The binary passes the real ones (cli/context.ts);
// tests pass memfs, in-memory streams and a fake runner.
import type { Readable } from 'node:stream';
import type { FileSystem, SyncFileSystem } from './io/file-system.js';
import type { LockFile } from './io/process-lock.js';
import type { ProcessRunner } from './io/process-runner.js';

export type OutputStream = { write(chunk: string): unknown };

/** Standard input: a pipe or file, or a terminal (process.stdin is a tty.ReadStream then). */
export type TerminalInput = Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

/** A signal that would end the process (cli/context.ts lists which). */
export type SignalName = NodeJS.Signals;
/** Subscribes to every signal that would end the process; returns the unsubscribe. */
export type OnSignal = (handler: (signal: SignalName) => void) => () => void;

/** Standard output or error could not be written (EPIPE: the reader closed it; ENOSPC, EIO, ...). */
export type OutputFailure = { stream: 'stdout' | 'stderr'; code: string };
/** Subscribes to output failures, those before it too; returns the unsubscribe. After a failure, writes to that stream are dropped. */
export type OnOutputFailure = (handler: (failure: OutputFailure) => void) => () => void;

/** A folder held open while files in it hold secrets, so a run can find it again if it is moved. */
export type HeldFolder = {
  /** Where the folder is now: its path when it did not move, the new one when it did; undefined when it was removed or cannot be found. */
  whereNow(): Promise<string | undefined>;
  close(): Promise<void>;
};

export type Context = {
  fs: FileSystem;
  /** The same files, read synchronously: the leak sweep reads many small files, faster so. */
  syncFs: SyncFileSystem;
  lock: LockFile;
  runner: ProcessRunner;
  onSignal: OnSignal;
  onOutputFailure: OnOutputFailure;
  /** Resolves once what was written to stdout and stderr has gone out or failed (failures reported). */
  flushOutput: () => Promise<void>;
  holdFolder: (dir: string) => Promise<HeldFolder>;
  env: Record<string, string | undefined>;
  cwd: string;
  home: string;
  /** A terminal says so (isTTY) and can be read without echo (setRawMode), for a `-` value typed by hand. */
  stdin: TerminalInput;
  stdout: OutputStream;
  stderr: OutputStream;
};

/** A warning on standard error, as every command writes one: `composer-secrets: warning: <text>`, one line. */
export function writeWarning(ctx: Pick<Context, 'stderr'>, text: string): void {
  ctx.stderr.write(`composer-secrets: warning: ${text}\n`);
}
