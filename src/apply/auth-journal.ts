// The crash journal: before a credentials file is written, the original (or its absence)
// is recorded beside it, 0600. `restore` and the next build put the original back from
// it, so a crashed run's generated file is never taken for the original.
import path from 'node:path';
import * as z from 'zod/mini';
import { UnsafeFileError } from '../errors.js';
import type { FileSystem } from '../io/file-system.js';
import { readSecretFile, removeFile, writeSecretFile, type ExistingFile } from '../io/secret-file.js';
import { parseJsonSafely } from '../model/issues.js';

const Journal = z.strictObject({
  version: z.literal(1),
  tool: z.literal('composer-secrets'),
  /** The file this journal protects. */
  target: z.string(),
  /** The original file, or null when there was none (restoring then removes the file). */
  original: z.nullable(z.strictObject({ base64: z.string(), mode: z.int().check(z.minimum(0), z.maximum(0o7777)) })),
});
type Journal = z.infer<typeof Journal>;

export function journalPathFor(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.composer-secrets-journal`);
}

/** `recordedTarget`: the path the journal was written for, when its folder has been moved since. */
export async function readJournal(fs: FileSystem, target: string, recordedTarget = target): Promise<{ original: ExistingFile | undefined } | undefined> {
  const file = journalPathFor(target);
  const existing = await readSecretFile(fs, file, 'journal');
  if (existing === undefined) return undefined;
  const json = parseJsonSafely(existing.content.toString('utf8'));
  const parsed = json.ok ? Journal.safeParse(json.value) : undefined;
  if (parsed?.success !== true || parsed.data.target !== recordedTarget) {
    // Guessing here could put a generated file in place of the original: stop instead.
    throw new UnsafeFileError(
      `the journal ${file} is damaged or not for ${target}; check ${path.basename(target)} by hand, then remove the journal`,
    );
  }
  const original = parsed.data.original;
  return { original: original === null ? undefined : { content: Buffer.from(original.base64, 'base64'), mode: original.mode } };
}

export async function writeJournal(fs: FileSystem, target: string, original: ExistingFile | undefined): Promise<void> {
  const journal: Journal = {
    version: 1,
    tool: 'composer-secrets',
    target,
    original: original === undefined ? null : { base64: original.content.toString('base64'), mode: original.mode },
  };
  await writeSecretFile(fs, journalPathFor(target), `${JSON.stringify(journal)}\n`, { what: 'journal' });
}

export async function removeJournal(fs: FileSystem, target: string): Promise<void> {
  await removeFile(fs, journalPathFor(target), 'journal');
}
