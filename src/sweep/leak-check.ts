// The leak check after a build, and its report: the project folder (and the auth.json the
// build restored, where that is outside it) swept for every value the build handed out.
import path from 'node:path';
import { journalPathFor } from '../apply/auth-journal.js';
import { type Context, writeWarning } from '../context.js';
import { counted } from '../counted.js';
import { LeakFoundError } from '../errors.js';
import type { BuildPayload } from '../plan/build-plan.js';
import { byteSearch } from './byte-search.js';
import { credentialPairs, leakPatterns, SWEEP_MIN_LENGTH } from './leak-values.js';
import { ignoredBy } from './path-glob.js';
import { emptySweepResult, type LeakHit, type SweepResult, sweepTree } from './tree-sweep.js';

export const LEAK_CHECK_MODES = ['fail', 'warn', 'off'] as const;
export type LeakCheckMode = (typeof LEAK_CHECK_MODES)[number];
export type LeakCheck = { mode: LeakCheckMode; ignore: readonly string[] };

/** The values a build hands out, as the sweep looks for them. */
export function sweptValues(payload: Pick<BuildPayload, 'maskedValues' | 'authFile' | 'composerAuth'>): string[] {
  return [...payload.maskedValues, ...credentialPairs([payload.authFile, payload.composerAuth], payload.maskedValues)];
}

/** `path (line 3)`, `path (lines 3, 9)`, or where in a path a value is when not in its content. */
export function describeHit(hit: LeakHit): string {
  if (hit.in === 'name') return `${hit.path || '.'}: the name of a file or folder in it`;
  if (hit.in === 'link') return `${hit.path}: the target of this symbolic link`;
  const shown = hit.lines.slice(0, 10).join(', ');
  const more = hit.lines.length > 10 ? `, and ${hit.lines.length - 10} more` : '';
  return `${hit.path} (line${hit.lines.length > 1 ? 's' : ''} ${shown}${more})`;
}

/** What a sweep could not read, one line each (what is left out or kept is the user's own choice: not listed). */
export function unreadLines(result: SweepResult): string[] {
  return result.notLookedAt.filter((n) => n.why === 'unreadable').map((n) => `${n.path}: ${n.reason}, not looked at`);
}

export const shortValuesNote = (count: number) =>
  `${counted(count, 'value')} shorter than ${SWEEP_MIN_LENGTH} bytes not looked for (text that short turns up by chance)`;

/**
 * After composer ended and auth.json was put back: sweeps the project folder, and the target
 * file when it is outside it. `fail`: hits are a LeakFoundError; `warn`: warnings. Returns
 * the result in a few words, for the build's last line.
 */
export function checkBuildForLeaks(
  ctx: Context,
  options: { dir: string; file: string | undefined; keepAuth: boolean; payload: BuildPayload; check: LeakCheck; composerExitCode: number },
): string {
  const { check } = options;
  if (check.mode === 'off') return 'leak check off';
  const { patterns, tooShort } = leakPatterns(sweptValues(options.payload));
  const warn = (line: string) => writeWarning(ctx, `leak check: ${line}`);
  if (tooShort > 0) warn(shortValuesNote(tooShort));
  if (patterns.length === 0) return 'leak check: no value long enough to look for';
  const search = byteSearch(patterns);
  const kept = new Map<string, string>();
  if (options.keepAuth && options.file !== undefined) {
    kept.set(options.file, 'kept by --keep-auth');
    kept.set(journalPathFor(options.file), 'kept by --keep-auth');
  }
  const sweepOptions = { ignored: ignoredBy(check.ignore), kept };
  const result = sweepTree(ctx.syncFs, options.dir, '', search, sweepOptions, emptySweepResult());
  const file = options.file;
  if (file !== undefined && !options.keepAuth && path.relative(options.dir, file).startsWith('..')) {
    sweepTree(ctx.syncFs, file, file, search, { ignored: () => false, kept }, result);
  }
  const unread = unreadLines(result);
  for (const line of unread) warn(line);
  if (result.hits.length === 0) {
    return (
      `leak check: no secret value in ${counted(result.files, 'file')}` +
      (unread.length === 0 ? '' : ` (${counted(unread.length, 'path')} not read, see above)`)
    );
  }
  const hits = result.hits.map(describeHit);
  const message =
    `the leak check found secret values the build handed out in ${counted(result.hits.length, 'place')} ` +
    `under ${options.dir} (paths only; values are never shown)` +
    (options.composerExitCode === 0 ? '' : `; composer itself exited with ${options.composerExitCode}`);
  const advice = 'remove them from the build; for a path you keep knowingly (a later step removes it), --leak-check-ignore GLOB';
  if (check.mode === 'fail') throw new LeakFoundError(`${message}; ${advice}`, hits);
  warn(message);
  for (const hit of hits) ctx.stderr.write(`  - ${hit}\n`);
  return `leak check: secret values in ${counted(result.hits.length, 'place')} (warned above)`;
}
