// The real edge for the binary, and reading standard input.
import * as nodeFs from 'node:fs';
import { constants as fsConstants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import os from 'node:os';
import type { Readable, Writable } from 'node:stream';
import type { Context, HeldFolder, OnSignal, OutputFailure, SignalName } from '../context.js';
import { UsageError } from '../errors.js';
import { diskFileSystem, errorCode } from '../io/file-system.js';
import { lockFileOnDisk } from '../io/process-lock.js';
import { execaRunner } from '../io/process-runner.js';
import { strictUtf8 } from '../io/utf8-text.js';

export type { Context } from '../context.js';

/**
 * Signals whose default action does not end the process, or that must not be caught: they
 * cannot be (SIGKILL, SIGSTOP); they stop or are ignored by default; node ignores SIGPIPE
 * (a closed pipe is an EPIPE write error instead, see outputStreams); a listener for a
 * real SIGSEGV, SIGBUS, SIGFPE or SIGILL would run in a broken process (node's docs say so);
 * V8's sampling profiler (--cpu-prof) uses SIGPROF.
 */
const NOT_ENDING = new Set([
  'SIGKILL',
  'SIGSTOP',
  'SIGCHLD',
  'SIGCONT',
  'SIGURG',
  'SIGWINCH',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGPIPE',
  'SIGSEGV',
  'SIGBUS',
  'SIGFPE',
  'SIGILL',
  'SIGPROF',
]);

/** Every other signal ends the process; one name per number (SIGIOT is SIGABRT, SIGPOLL is SIGIO). */
const ENDING_SIGNALS: readonly SignalName[] = (() => {
  const seen = new Set<number>();
  const names: SignalName[] = [];
  for (const [name, number] of Object.entries(os.constants.signals)) {
    if (NOT_ENDING.has(name) || seen.has(number)) continue;
    seen.add(number);
    names.push(name as SignalName);
  }
  return names;
})();

const signalHandlers = new Set<(signal: SignalName) => void>();
const deliverSignal = (signal: SignalName) => {
  for (const handler of [...signalHandlers]) handler(signal);
};

/**
 * Node opens its debugger on a port when it gets SIGUSR1. A listener stops that for good
 * (libuv takes the signal over). With nobody subscribed, SIGUSR1 ends the process as it
 * would any other program: the listener goes (the signal's action is the default again)
 * and the signal is raised anew.
 */
function listenForSigusr1(): void {
  if (process.listeners('SIGUSR1').includes(onSigusr1)) return;
  process.on('SIGUSR1', onSigusr1);
}
function onSigusr1(): void {
  if (signalHandlers.size > 0) {
    deliverSignal('SIGUSR1');
    return;
  }
  process.off('SIGUSR1', onSigusr1);
  process.kill(process.pid, 'SIGUSR1');
}

/**
 * Listeners are on only while someone is subscribed (a build between writing auth.json and
 * putting it back): outside that, a signal ends the process as usual, with nothing to undo.
 * (proper-lockfile's signal-exit, which removes the lock and re-raises the signal, stands
 * aside while another listener is there.)
 */
const processSignals: OnSignal = (handler) => {
  if (signalHandlers.size === 0) for (const signal of ENDING_SIGNALS) if (signal !== 'SIGUSR1') process.on(signal, deliverSignal);
  signalHandlers.add(handler);
  return () => {
    signalHandlers.delete(handler);
    if (signalHandlers.size === 0) for (const signal of ENDING_SIGNALS) if (signal !== 'SIGUSR1') process.off(signal, deliverSignal);
  };
};

/**
 * Standard output and error as the commands see them. A write that fails (EPIPE when the
 * reader is gone, ENOSPC, EIO from a closed terminal) would otherwise be an uncaught
 * 'error' event: a stack trace, and a build killed before it puts auth.json back. Here it
 * goes to the subscribers (main reports it, a build stops), and later writes to that
 * stream are dropped. A failure nobody hears (after main returned) still makes the exit
 * code 1 rather than 0.
 */
function outputStreams(): Pick<Context, 'stdout' | 'stderr' | 'onOutputFailure' | 'flushOutput'> {
  const handlers = new Set<(failure: OutputFailure) => void>();
  const failed = new Map<OutputFailure['stream'], OutputFailure>();
  const streams: Record<OutputFailure['stream'], Writable> = { stdout: process.stdout, stderr: process.stderr };
  const fail = (stream: OutputFailure['stream'], error: unknown) => {
    if (failed.has(stream)) return;
    const failure = { stream, code: errorCode(error) ?? 'unknown' };
    failed.set(stream, failure);
    if (handlers.size === 0)
      process.once('exit', () => {
        if ((process.exitCode ?? 0) === 0) process.exitCode = 1;
      });
    for (const handler of [...handlers]) handler(failure);
  };
  const write = (stream: OutputFailure['stream'], chunk: string) => {
    if (failed.has(stream)) return false;
    try {
      return streams[stream].write(chunk);
    } catch (error) {
      fail(stream, error);
      return false;
    }
  };
  for (const stream of ['stdout', 'stderr'] as const) streams[stream].on('error', (error) => fail(stream, error));
  // A write's callback runs once it is done or failed; the 'error' event comes by the next turn.
  const flushed = (stream: OutputFailure['stream']) =>
    failed.has(stream) ? Promise.resolve() : new Promise<void>((resolve) => streams[stream].write('', () => setImmediate(resolve)));
  return {
    stdout: { write: (chunk) => write('stdout', chunk) },
    stderr: { write: (chunk) => write('stderr', chunk) },
    onOutputFailure: (handler) => {
      for (const failure of failed.values()) handler(failure);
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    flushOutput: async () => {
      await Promise.all([flushed('stdout'), flushed('stderr')]);
    },
  };
}

/**
 * Holds the folder open. On Linux /proc/self/fd names an open folder wherever it has been
 * moved since; elsewhere a moved folder cannot be found (undefined).
 */
async function holdFolder(dir: string): Promise<HeldFolder> {
  const handle = await fsp.open(dir, fsConstants.O_RDONLY | fsConstants.O_DIRECTORY);
  const held = await handle.stat();
  return {
    async whereNow() {
      const now = await fsp.stat(dir).catch(() => undefined);
      if (now !== undefined && now.ino === held.ino && now.dev === held.dev) return dir;
      const current = await fsp.readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
      if (current === undefined || current.endsWith(' (deleted)')) return undefined;
      return current;
    },
    close: () => handle.close(),
  };
}

export function processContext(): Context {
  listenForSigusr1();
  return {
    fs: diskFileSystem,
    syncFs: nodeFs,
    lock: lockFileOnDisk,
    runner: execaRunner,
    onSignal: processSignals,
    holdFolder,
    env: process.env,
    cwd: process.cwd(),
    home: os.homedir(),
    // Made on first use: creating process.stdin costs about 1 ms, and only `-` values read it.
    get stdin() {
      return process.stdin;
    },
    ...outputStreams(),
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
