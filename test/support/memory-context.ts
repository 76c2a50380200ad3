// A Context on memfs with in-memory streams, for running commands without touching disk.
import { Readable } from 'node:stream';
import { Volume } from 'memfs';
import type { Context } from '../../src/cli/context.js';
import { main } from '../../src/cli/main.js';
import type { FileSystem } from '../../src/io/file-system.js';

export type MemoryRun = { code: number; stdout: string; stderr: string };

export function memoryContext(options: { files?: Record<string, string>; env?: Record<string, string>; stdin?: string } = {}) {
  const volume = Volume.fromJSON(options.files ?? {}, '/');
  volume.mkdirSync('/work', { recursive: true });
  const fs = volume.promises as unknown as FileSystem;
  let held = Promise.resolve();
  const out = { stdout: '', stderr: '' };
  const ctx: Context = {
    fs,
    // In one process a promise chain serializes writers just as the file lock does across processes.
    lock: async () => {
      let release!: () => void;
      const previous = held;
      held = new Promise<void>((resolve) => (release = resolve));
      await previous;
      return async () => release();
    },
    env: { ...options.env },
    cwd: '/work',
    home: '/home/dev',
    stdin: Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]),
    stdout: { write: (s: string) => (out.stdout += s) },
    stderr: { write: (s: string) => (out.stderr += s) },
  };
  return {
    ctx,
    volume,
    fs,
    /** Runs one command line; output is what this call printed. */
    async run(argv: string[], stdin?: string): Promise<MemoryRun> {
      out.stdout = '';
      out.stderr = '';
      if (stdin !== undefined) ctx.stdin = Readable.from([Buffer.from(stdin)]);
      const code = await main(argv, ctx);
      return { code, stdout: out.stdout, stderr: out.stderr };
    },
  };
}
