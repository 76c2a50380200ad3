// A project auth.json must never be committed: warn when git tracks it or does not ignore it.
import type { Context } from '../context.js';
import { captureOutput } from './process-runner.js';

export async function warnIfAuthFileMayBeCommitted(ctx: Pick<Context, 'runner' | 'env' | 'stderr'>, dir: string, file: string): Promise<void> {
  const env = Object.fromEntries(Object.entries(ctx.env).filter((e): e is [string, string] => e[1] !== undefined));
  const git = (args: string[]) => captureOutput(ctx.runner, 'git', ['-C', dir, ...args], { cwd: dir, env });
  // Not a git work tree, or no git at all: nothing to warn about.
  const inside = await git(['rev-parse', '--is-inside-work-tree']);
  if (inside.exitCode !== 0 || inside.stdout.trim() !== 'true') return;
  const tracked = await git(['ls-files', '--error-unmatch', '--', file]);
  if (tracked.exitCode === 0) {
    ctx.stderr.write(`composer-secrets: warning: ${file} is tracked by git; credentials written there could be committed (git rm --cached it and add it to .gitignore)\n`);
    return;
  }
  const ignored = await git(['check-ignore', '-q', '--', file]);
  if (ignored.exitCode === 1) {
    ctx.stderr.write(`composer-secrets: warning: ${file} is not ignored by git; add it to .gitignore so credentials are never committed\n`);
  }
}
