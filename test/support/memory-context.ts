// A Context on memfs with in-memory streams, a scripted process runner and signals the
// test sends, for running commands without touching disk or starting programs.

import path from 'node:path';
import { Readable } from 'node:stream';
import { Volume } from 'memfs';
import { main } from '../../src/cli/main.js';
import type { Context, OutputFailure, SignalName } from '../../src/context.js';
import type { FileSystem, SyncFileSystem } from '../../src/io/file-system.js';
import type { RunOptions, RunResult } from '../../src/io/process-runner.js';

export type MemoryRun = { code: number; stdout: string; stderr: string };

/** A scripted program's options: each write is one chunk of output, given as text or bytes. */
export type ProgramOptions = Omit<RunOptions, 'onStdout' | 'onStderr'> & {
  onStdout?: (chunk: string | Uint8Array) => void;
  onStderr?: (chunk: string | Uint8Array) => void;
};
export type ProgramCall = { file: string; args: readonly string[]; options: ProgramOptions };
const asBytes = (write: ((chunk: Uint8Array) => void) | undefined) => (chunk: string | Uint8Array) =>
  write?.(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
/** What a scripted program does: prints, waits, then ends with a result. `kills`: every signal sent to it so far. */
export type Program = (
  call: ProgramCall,
  control: { killed: Promise<NodeJS.Signals>; kills: readonly NodeJS.Signals[] },
) => Promise<Partial<RunResult>> | Partial<RunResult>;

export const COMPOSER_PATH = '/usr/bin/composer';
export const DEBIAN_COMPOSER_SOURCE = '/usr/share/php/Composer/Composer.php';
/** Composer.php as a release ships it, for a scripted machine's composer of that version. */
export const composerSource = (version: string) =>
  `<?php\nnamespace Composer;\nclass Composer\n{\n    public const VERSION = '${version}';\n}\n`;

export function memoryContext(
  options: { files?: Record<string, string>; env?: Record<string, string>; stdin?: string; programs?: Record<string, Program> } = {},
) {
  const volume = Volume.fromJSON(options.files ?? {}, '/');
  volume.mkdirSync('/work', { recursive: true });
  volume.mkdirSync('/usr/bin', { recursive: true });
  // Laid out as Debian's package is (as on the machine the e2e tests use), so the version is
  // read from its files without a run of the scripted composer.
  volume.writeFileSync(COMPOSER_PATH, "#!/usr/bin/php\n<?php\nrequire __DIR__ . '/../share/php/Composer/autoload.php';\n", { mode: 0o755 });
  volume.mkdirSync('/usr/share/php/Composer', { recursive: true });
  if (options.files?.[DEBIAN_COMPOSER_SOURCE] === undefined) volume.writeFileSync(DEBIAN_COMPOSER_SOURCE, composerSource('2.5.5'));
  const fs = volume.promises as unknown as FileSystem;
  let held = Promise.resolve();
  const out = { stdout: '', stderr: '' };
  const calls: ProgramCall[] = [];
  const signalHandlers = new Set<(signal: SignalName) => void>();
  const outputFailureHandlers = new Set<(failure: OutputFailure) => void>();
  const failedOutput = new Map<OutputFailure['stream'], OutputFailure>();
  const lockLosers = new Map<number, () => void>();
  let nextLock = 0;
  // Not a git work tree by default; composer succeeds quietly.
  const programs: Record<string, Program> = { git: () => ({ exitCode: 128 }), composer: () => ({ exitCode: 0 }), ...options.programs };
  const ctx: Context = {
    fs,
    syncFs: volume as unknown as SyncFileSystem,
    // In one process a promise chain serializes writers just as the file lock does across processes.
    lock: async (_file, _onWait, onLost) => {
      let release!: () => void;
      const previous = held;
      held = new Promise<void>((resolve) => (release = resolve));
      await previous;
      const id = nextLock++;
      // Losing it lets the next waiter in, as a takeover of a stale lock does.
      lockLosers.set(id, () => {
        lockLosers.delete(id);
        release();
        onLost?.();
      });
      return async () => {
        if (lockLosers.delete(id)) release();
      };
    },
    runner: {
      start(file, args, runOptions) {
        const call = {
          file,
          args,
          options: { ...runOptions, onStdout: asBytes(runOptions.onStdout), onStderr: asBytes(runOptions.onStderr) },
        };
        calls.push(call);
        let firstKill!: (signal: NodeJS.Signals) => void;
        const killed = new Promise<NodeJS.Signals>((resolve) => (firstKill = resolve));
        const kills: NodeJS.Signals[] = [];
        const kill = (signal: NodeJS.Signals) => {
          kills.push(signal);
          firstKill(signal);
        };
        const program = programs[file.split('/').pop() ?? file] ?? (() => ({ startError: 'ENOENT' }));
        const result = Promise.resolve(program(call, { killed, kills })).then((r) => ({
          exitCode: undefined,
          signal: undefined,
          startError: undefined,
          ...r,
        }));
        return { kill, result };
      },
    },
    onSignal: (handler) => {
      signalHandlers.add(handler);
      return () => signalHandlers.delete(handler);
    },
    onOutputFailure: (handler) => {
      for (const failure of failedOutput.values()) handler(failure);
      outputFailureHandlers.add(handler);
      return () => outputFailureHandlers.delete(handler);
    },
    flushOutput: async () => {},
    // memfs keeps a node's ino across renames: a moved folder is found by it.
    holdFolder: async (dir) => {
      const { ino } = volume.statSync(dir);
      const find = (at: string): string | undefined => {
        if (volume.statSync(at).ino === ino) return at;
        for (const name of volume.readdirSync(at) as string[]) {
          const child = path.posix.join(at, name);
          if (volume.lstatSync(child).isDirectory()) {
            const found = find(child);
            if (found !== undefined) return found;
          }
        }
        return undefined;
      };
      return { whereNow: async () => find('/'), close: async () => {} };
    },
    env: { PATH: '/usr/bin', ...options.env },
    cwd: '/work',
    home: '/home/dev',
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    stdout: {
      write: (s: string) => {
        if (!failedOutput.has('stdout')) out.stdout += s;
      },
    },
    stderr: {
      write: (s: string) => {
        if (!failedOutput.has('stderr')) out.stderr += s;
      },
    },
  };
  return {
    ctx,
    volume,
    fs,
    calls,
    /** Delivers SIGINT or SIGTERM to whoever listens, as the process would. */
    signal(name: SignalName) {
      for (const handler of [...signalHandlers]) handler(name);
    },
    /** Makes a stream fail as a closed pipe or a full disk would: its writes are dropped from now on. */
    failOutput(stream: OutputFailure['stream'], code = 'EPIPE') {
      const failure = { stream, code };
      failedOutput.set(stream, failure);
      for (const handler of [...outputFailureHandlers]) handler(failure);
    },
    /** Every held lock is lost, as when a paused run's lock is taken over. */
    loseLocks() {
      for (const lose of [...lockLosers.values()]) lose();
    },
    /** Runs one command line; output is what this call printed. */
    async run(argv: string[], stdin?: string): Promise<MemoryRun> {
      out.stdout = '';
      out.stderr = '';
      failedOutput.clear();
      if (stdin !== undefined) ctx.stdin = Readable.from([Buffer.from(stdin)]);
      const code = await main(argv, ctx);
      return { code, stdout: out.stdout, stderr: out.stderr };
    },
  };
}
