// The crash journal: before a credentials file is written, the original (or its absence)
// is recorded beside it, 0600. `restore` and the next build put the original back from
// it, so a crashed run's generated file is never taken for the original.
import path from 'node:path';
import * as z from 'zod/mini';
import { UnsafeFileError } from '../errors.js';
import type { FileSystem } from '../io/file-system.js';
import { type ExistingFile, ioError, readSecretFile, removeFile, writeSecretFile } from '../io/secret-file.js';
import { parseJsonSafely } from '../validation/json-text.js';

const Journal = z.strictObject({
  version: z.literal(1),
  tool: z.literal('composer-secrets'),
  /** The file this journal protects, its folder's real path (earlier versions: the path as given). */
  target: z.string(),
  /** The original file, or null when there was none (restoring then removes the file). */
  original: z.nullable(z.strictObject({ base64: z.string(), mode: z.int().check(z.minimum(0), z.maximum(0o7777)) })),
});
type Journal = z.infer<typeof Journal>;

export function journalPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.composer-secrets-journal`);
}

/** `recordedTarget`: the path the journal was written for, when its folder has been moved since. */
export async function readJournal(
  fs: FileSystem,
  target: string,
  recordedTarget = target,
): Promise<{ original: ExistingFile | undefined } | undefined> {
  const file = journalPathFor(target);
  const existing = await readSecretFile(fs, file, 'journal');
  if (existing === undefined) return undefined;
  const json = parseJsonSafely(existing.content.toString('utf8'));
  const parsed = json.ok ? Journal.safeParse(json.value) : undefined;
  if (parsed?.success !== true || !(await sameFile(fs, parsed.data.target, recordedTarget))) {
    // Guessing here could put a generated file in place of the original: stop instead.
    throw new UnsafeFileError(
      `the journal ${file} is damaged or not for ${target}; check ${path.basename(target)} by hand, then remove the journal`,
    );
  }
  const original = parsed.data.original;
  return { original: original === null ? undefined : { content: Buffer.from(original.base64, 'base64'), mode: original.mode } };
}

/**
 * `target` with its folder's real path: one name for every spelling of the folder (through
 * a symlink, say), so a journal written for one is recognized from the other.
 */
async function realTarget(fs: FileSystem, target: string): Promise<string> {
  const dir = path.dirname(target);
  try {
    return path.join(await fs.realpath(dir), path.basename(target));
  } catch (error) {
    throw ioError(error, `cannot resolve the folder ${dir}`);
  }
}

/**
 * Whether the journal's recorded target is `target`. Compared as real paths now, which also
 * reads a journal of an earlier version (the path as given then) wherever that path still
 * leads to the same folder; one that leads elsewhere or nowhere is not guessed at.
 */
async function sameFile(fs: FileSystem, recorded: string, target: string): Promise<boolean> {
  if (recorded === target) return true;
  if (!path.isAbsolute(recorded) || path.basename(recorded) !== path.basename(target)) return false;
  const real = await realTarget(fs, target);
  const recordedReal = await realTarget(fs, recorded).catch(() => undefined);
  return recordedReal === real;
}

export async function writeJournal(fs: FileSystem, target: string, original: ExistingFile | undefined): Promise<void> {
  const journal: Journal = {
    version: 1,
    tool: 'composer-secrets',
    target: await realTarget(fs, target),
    original: original === undefined ? null : { base64: original.content.toString('base64'), mode: original.mode },
  };
  await writeSecretFile(fs, journalPathFor(target), `${JSON.stringify(journal)}\n`, { what: 'journal' });
}

export async function removeJournal(fs: FileSystem, target: string): Promise<void> {
  await removeFile(fs, journalPathFor(target), 'journal');
}
