// The real edge for the binary, and reading standard input.
import os from 'node:os';
import type { Readable } from 'node:stream';
import type { Context, OnSignal, SignalName } from '../context.js';
import { UsageError } from '../errors.js';
import { diskFileSystem } from '../io/file-system.js';
import { strictUtf8 } from '../io/utf8-text.js';
import { lockFileOnDisk } from '../io/process-lock.js';
import { execaRunner } from '../run/process-runner.js';

export type { Context } from '../context.js';

const processSignals: OnSignal = (handler) => {
  const listeners = (['SIGINT', 'SIGTERM'] as SignalName[]).map((signal) => [signal, () => handler(signal)] as const);
  for (const [signal, listener] of listeners) process.on(signal, listener);
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
};

export function processContext(): Context {
  return {
    fs: diskFileSystem,
    lock: lockFileOnDisk,
    runner: execaRunner,
    onSignal: processSignals,
    env: process.env,
    cwd: process.cwd(),
    home: os.homedir(),
    // Made on first use: creating process.stdin costs about 1 ms, and only `-` values read it.
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
  };
}

/**
 * All of standard input, byte for byte, as UTF-8 text (a secret value given as `-`, or a
 * source document). Bytes that are not UTF-8 are refused rather than turned into U+FFFD;
 * `what` names the input in that message. A byte order mark is kept: the value is as given.
 */
export async function readAll(stream: Readable, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return utf8Text(Buffer.concat(chunks), what);
}

/** `bytes` as UTF-8 text; UsageError (exit 2) naming `what` when they are not UTF-8. */
export function utf8Text(bytes: Uint8Array, what: string): string {
  const text = strictUtf8(bytes);
  if (text === undefined) throw new UsageError(`${what} is not valid UTF-8 text; nothing was read from it`);
  return text;
}
