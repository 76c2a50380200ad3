// Running programs (composer, git): the edge, through execa. Commands get a
// ProcessRunner from their Context; tests of commands hand them a fake one.

export type RunResult = {
  /** undefined when the program was killed by a signal or could not start. */
  exitCode: number | undefined;
  signal: string | undefined;
  /** Why the program could not start, if it could not ('ENOENT', 'EACCES', ...). */
  startError: string | undefined;
};

export type RunOptions = {
  cwd: string;
  /** The whole environment of the program: nothing else is inherited. */
  env: Record<string, string>;
  /** Output as it arrives, bytes cut anywhere (even inside a character): decode across chunks. */
  onStdout?: (chunk: Uint8Array) => void;
  onStderr?: (chunk: Uint8Array) => void;
};

export interface RunningProcess {
  kill(signal: NodeJS.Signals): void;
  readonly result: Promise<RunResult>;
}

export interface ProcessRunner {
  start(file: string, args: readonly string[], options: RunOptions): RunningProcess;
}

/** execa is loaded on first use: most commands never run a program. */
export const execaRunner: ProcessRunner = {
  start(file, args, options) {
    let child: { kill(signal: NodeJS.Signals): boolean } | undefined;
    let pendingSignal: NodeJS.Signals | undefined;
    const result = import('execa').then(async ({ execa }) => {
      const subprocess = execa(file, args, {
        cwd: options.cwd,
        env: options.env,
        extendEnv: false,
        stdin: 'ignore',
        buffer: false,
        reject: false,
        // Bytes: decoding each chunk on its own would garble a character cut between two.
        encoding: 'buffer',
        // Its own process group, so a signal reaches composer's scripts too (see kill).
        detached: true,
      });
      child = {
        kill: (signal) => {
          // Without a pid it never started; -0 would be this process's own group.
          if (subprocess.pid === undefined) return false;
          try {
            return process.kill(-subprocess.pid, signal);
          } catch {
            return subprocess.kill(signal);
          }
        },
      };
      if (pendingSignal !== undefined) child.kill(pendingSignal);
      subprocess.stdout?.on('data', (chunk: Uint8Array) => options.onStdout?.(chunk));
      subprocess.stderr?.on('data', (chunk: Uint8Array) => options.onStderr?.(chunk));
      // execa's own error text names the command line and can carry values: only the
      // code, exit status and signal are taken from it.
      const r = await subprocess;
      return {
        exitCode: r.exitCode,
        signal: r.signal,
        startError: r.exitCode === undefined && r.signal === undefined ? (r.code ?? 'unknown') : undefined,
      };
    });
    return {
      kill: (signal) => {
        if (child === undefined) pendingSignal = signal;
        else child.kill(signal);
      },
      result,
    };
  },
};

/** Runs a short program to the end and collects its output (git, composer config). */
export async function captureOutput(
  runner: ProcessRunner,
  file: string,
  args: readonly string[],
  options: Omit<RunOptions, 'onStdout' | 'onStderr'>,
): Promise<RunResult & { stdout: string; stderr: string }> {
  const stdout: Uint8Array[] = [];
  const stderr: Uint8Array[] = [];
  const running = runner.start(file, args, { ...options, onStdout: (c) => stdout.push(c), onStderr: (c) => stderr.push(c) });
  const result = await running.result;
  return { ...result, stdout: Buffer.concat(stdout).toString(), stderr: Buffer.concat(stderr).toString() };
}
