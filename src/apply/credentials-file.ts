// Putting a generated credentials file (auth.json) in place and taking it away again:
// journal first, then the atomic write; restoring puts the original back byte for byte
// with its mode, or removes the file when there was none.
import path from 'node:path';
import type { Context } from '../context.js';
import type { FileSystem } from '../io/file-system.js';
import { type ExistingFile, readSecretFile, removeFile, removeLeftoverTempFiles, syncFolder, writeSecretFile } from '../io/secret-file.js';
import { journalPathFor, readJournal, removeJournal, writeJournal } from './auth-journal.js';

export type RestoreOutcome = 'nothing-to-restore' | 'restored-original' | 'removed-generated';

/**
 * Puts `content` at `target`. When a journal from an earlier run is there, the original
 * it recorded is what gets journaled again (the file on disk may be that run's output).
 */
async function installCredentialsFile(fs: FileSystem, target: string, content: string, original: ExistingFile | undefined): Promise<void> {
  const earlier = await readJournal(fs, target);
  await writeJournal(fs, target, earlier === undefined ? original : earlier.original);
  try {
    await writeSecretFile(fs, target, content, { what: 'credentials file', syncFolder: false });
  } catch (error) {
    // The atomic write left the target as it was; a fresh journal has nothing to undo.
    if (earlier === undefined) await removeJournal(fs, target).catch(() => undefined);
    throw error;
  }
  // Past the rename: should this flush fail, the target is already replaced and the journal must stay.
  await syncFolder(fs, path.dirname(target), `credentials file ${target}`);
}

/** Writes an auth document at `file` (4-space JSON, as Composer writes it), journaling what was there. */
export async function installAuthDocument(fs: FileSystem, file: string, document: unknown): Promise<void> {
  const original = await readSecretFile(fs, file, 'credentials file');
  await installCredentialsFile(fs, file, `${JSON.stringify(document, null, 4)}\n`, original);
}

/**
 * Undoes installCredentialsFile from its journal; safe to repeat. `recordedTarget`: the path
 * the file was installed at, when its folder has been moved since.
 */
export async function restoreCredentialsFile(fs: FileSystem, target: string, recordedTarget = target): Promise<RestoreOutcome> {
  // A run killed in the middle of a write leaves its temp file, which may hold credentials.
  await removeLeftoverTempFiles(fs, target);
  await removeLeftoverTempFiles(fs, journalPathFor(target));
  const journal = await readJournal(fs, target, recordedTarget);
  if (journal === undefined) return 'nothing-to-restore';
  if (journal.original === undefined) {
    await removeFile(fs, target, 'credentials file');
  } else {
    await writeSecretFile(fs, target, journal.original.content, { what: 'credentials file', mode: journal.original.mode });
  }
  // Last: a crash before this leaves the journal, and the restore simply runs again.
  await removeJournal(fs, target);
  return journal.original === undefined ? 'removed-generated' : 'restored-original';
}

/** The file as it is now, unless a journal says what the real original was. */
export async function originalCredentialsFile(fs: FileSystem, target: string): Promise<ExistingFile | undefined> {
  const journal = await readJournal(fs, target);
  return journal === undefined ? readSecretFile(fs, target, 'credentials file') : journal.original;
}

/** Restores what an interrupted earlier run left at `file`, saying so. */
export async function recoverEarlierRun(ctx: Pick<Context, 'fs' | 'stderr'>, file: string): Promise<void> {
  const outcome = await restoreCredentialsFile(ctx.fs, file);
  if (outcome !== 'nothing-to-restore') {
    const done = outcome === 'restored-original' ? 'restored the original' : 'removed it';
    ctx.stderr.write(`composer-secrets: ${file} was left by an interrupted run; ${done}\n`);
  }
}
