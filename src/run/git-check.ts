// A project auth.json must never be committed: warn when git tracks it or does not ignore it.
import path from 'node:path';
import { type Context, writeWarning } from '../context.js';
import type { FileSystem } from '../io/file-system.js';
import { captureOutput } from '../io/process-runner.js';
import { withoutToolCredentials } from '../sources/tool-credentials.js';

/** Whether `dir` or a folder above it has a .git: outside a work tree, git need not be asked. */
async function insideGitWorkTree(fs: FileSystem, dir: string): Promise<boolean> {
  for (let current = dir; ; current = path.dirname(current)) {
    if (
      await fs.lstat(path.join(current, '.git')).then(
        () => true,
        () => false,
      )
    )
      return true;
    if (path.dirname(current) === current) return false;
  }
}

export async function warnIfAuthFileMayBeCommitted(
  ctx: Pick<Context, 'fs' | 'runner' | 'env' | 'stderr'>,
  dir: string,
  file: string,
): Promise<void> {
  if (ctx.env.GIT_DIR === undefined && !(await insideGitWorkTree(ctx.fs, dir))) return;
  const env = withoutToolCredentials(ctx.env);
  const git = (args: string[]) => captureOutput(ctx.runner, 'git', ['-C', dir, ...args], { cwd: dir, env });
  // Exit 128 is 'not a git work tree' (or no git at all): nothing to warn about.
  const tracked = await git(['ls-files', '--error-unmatch', '--', file]);
  if (tracked.exitCode !== 0 && tracked.exitCode !== 1) return;
  if (tracked.exitCode === 0) {
    writeWarning(
      ctx,
      `${file} is tracked by git; credentials written there could be committed (git rm --cached it and add it to .gitignore)`,
    );
    return;
  }
  const ignored = await git(['check-ignore', '-q', '--', file]);
  if (ignored.exitCode === 1) {
    writeWarning(ctx, `${file} is not ignored by git; add it to .gitignore so credentials are never committed`);
  }
}
