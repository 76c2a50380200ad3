// An inter-process lock (a `<file>.lock` folder, kept fresh while held) from
// proper-lockfile, which takes over a lock left by a killed process once it is stale.
// The folder holds who took it (process id and host), so that a lock whose holder is
// known to be gone (this host, no such process) is taken over at once rather than after
// STALE_LOCK_MS: a restore right after a killed build does not wait.
import * as nodeFs from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as z from 'zod/mini';
import { EnvironmentError } from '../errors.js';
import { parseJsonSafely } from '../validation/json-text.js';
import { errorCode } from './file-system.js';

/**
 * Takes an exclusive lock on `file` (across processes) and returns its release; `onWait` is
 * called when it must wait, `onLost` when the lock is lost while held (another process took
 * it over after this one stopped refreshing it, or its folder was moved). Without `onLost`,
 * the release reports a lost lock as an error. `movedTo`: where the file's folder moved
 * while the lock was held (the lock went with it).
 */
export type LockFile = (file: string, onWait?: () => void, onLost?: () => void) => Promise<(movedTo?: string) => Promise<void>>;

/** A lock whose holder stopped refreshing it (killed) is taken over after this long. */
export const STALE_LOCK_MS = 5_000;

/** Says why a command is waiting, so a wait for a killed run's lock is not a silent hang. */
export function waitingFor(edge: { stderr: { write(chunk: string): unknown } }, file: string): () => void {
  return () =>
    edge.stderr.write(
      `composer-secrets: waiting for another run using ${file} to finish ` +
        '(a lock left by a run killed on this machine is taken over at once; ' +
        `one its run stopped refreshing, after ${STALE_LOCK_MS / 1000} s)\n`,
    );
}

/**
 * Runs `use` holding the lock on `file` (saying so while it waits) and releases it however
 * `use` ends. `onLost` and `movedTo` as for LockFile: the latter asked at release.
 */
export async function withLock<T>(
  edge: { lock: LockFile; stderr: { write(chunk: string): unknown } },
  file: string,
  use: () => Promise<T>,
  held: { onLost?: () => void; movedTo?: () => string | undefined } = {},
): Promise<T> {
  const release = await edge.lock(file, waitingFor(edge, file), held.onLost);
  try {
    return await use();
  } finally {
    await release(held.movedTo?.());
  }
}

/** The lock folder proper-lockfile makes for `file`. */
const lockFolderOf = (file: string) => `${file}.lock`;
/** The holder's record inside the lock folder: `{"pid": n, "host": "name"}`. */
export const LOCK_OWNER_FILE = 'owner';

/**
 * proper-lockfile's file system, but a lock folder is removed with what it holds (the
 * owner record): its own rmdir would fail on it, when releasing, when taking over a stale
 * lock and (rmdirSync) when the process exits holding it.
 */
const lockFs = {
  ...nodeFs,
  rmdir: (dir: string, callback: (error: NodeJS.ErrnoException | null) => void) => nodeFs.rm(dir, { recursive: true }, callback),
  rmdirSync: (dir: string) => nodeFs.rmSync(dir, { recursive: true }),
};

const lockOptions = (retries: number, onCompromised: () => void) => ({
  realpath: false, // the file may not exist yet
  stale: STALE_LOCK_MS,
  retries: retries === 0 ? 0 : { retries, factor: 1.2, minTimeout: 5, maxTimeout: 100, randomize: true },
  // proper-lockfile's default throws from its refresh timer: an uncaught exception, and
  // nothing put back. A process paused for longer than STALE_LOCK_MS (Ctrl-Z, a stopped
  // VM) can have its lock taken over; its lock folder can be moved away with the folder.
  onCompromised,
  fs: lockFs,
});

/** The holder's record, as lockFileOnDisk writes it; anything else counts as a live holder. */
const LockOwner = z.object({ pid: z.int().check(z.positive()), host: z.string() });

/**
 * Whether the lock's holder is known to be gone: its record names this host and a
 * process that does not exist. No record (a holder between taking the lock and writing
 * it, or an older version), another host, or a process we may not signal (EPERM: it
 * exists) all count as alive.
 */
export async function lockHolderIsGone(file: string, host = os.hostname()): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(path.join(lockFolderOf(file), LOCK_OWNER_FILE), 'utf8');
  } catch {
    return false;
  }
  const parsed = parseJsonSafely(text);
  if (!parsed.ok) return false;
  const owner = LockOwner.safeParse(parsed.value);
  if (!owner.success) return false;
  const { pid, host: ownerHost } = owner.data;
  if (ownerHost !== host || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return errorCode(error) === 'ESRCH';
  }
}

/**
 * Removes the lock of a holder that is gone and takes it; undefined when another run took
 * it first (two runs may find the same dead holder: the one whose mkdir comes second
 * waits). Between the check and the removal another run may have taken the lock over:
 * the same narrow window proper-lockfile's own stale takeover has.
 */
async function takeOverFromGoneHolder<T>(file: string, tryOnce: () => Promise<T>): Promise<T | undefined> {
  await rm(lockFolderOf(file), { recursive: true, force: true });
  try {
    return await tryOnce();
  } catch (error) {
    if (errorCode(error) === 'ELOCKED') return undefined;
    throw error;
  }
}

export const lockFileOnDisk: LockFile = async (file, onWait, onLost) => {
  // Loaded here: only commands that change files take a lock.
  const { default: lockfile } = await import('proper-lockfile');
  let lost = false;
  const compromised = () => {
    lost = true;
    onLost?.();
  };
  const tryOnce = () => lockfile.lock(file, lockOptions(0, compromised));
  let release: () => Promise<void>;
  try {
    try {
      release = await tryOnce();
    } catch (error) {
      if (errorCode(error) !== 'ELOCKED') throw error;
      const takenOver = (await lockHolderIsGone(file)) ? await takeOverFromGoneHolder(file, tryOnce) : undefined;
      if (takenOver !== undefined) {
        release = takenOver;
      } else {
        onWait?.();
        release = await lockfile.lock(file, lockOptions(200, compromised));
      }
    }
  } catch (error) {
    if (errorCode(error) === 'ELOCKED') {
      throw new EnvironmentError(`${file} is locked by another composer-secrets process; try again when it has finished`);
    }
    throw new EnvironmentError(`cannot lock ${file}: ${errorCode(error) ?? 'unexpected error'}`);
  }
  // Not being able to write the record only costs the quick takeover after a kill.
  await writeFile(path.join(lockFolderOf(file), LOCK_OWNER_FILE), JSON.stringify({ pid: process.pid, host: os.hostname() }), {
    flag: 'wx',
    mode: 0o600,
  }).catch(() => undefined);
  return async (movedTo) => {
    if (!lost) {
      await release();
      // Not lost, so the lock folder that moved with the file is still this process's own.
      if (movedTo !== undefined) await rm(lockFolderOf(movedTo), { recursive: true }).catch(() => undefined);
      return;
    }
    // The lock folder is no longer ours to remove. A caller that was told has dealt with it.
    if (onLost === undefined) {
      throw new EnvironmentError(
        `lost the lock on ${file} while using it ` +
          `(this process was paused for more than ${STALE_LOCK_MS / 1000} s, or the folder was moved); check ${file}`,
      );
    }
  };
};
