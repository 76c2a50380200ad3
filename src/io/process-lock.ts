// An inter-process lock (a `<file>.lock` folder, kept fresh while held) from
// proper-lockfile, which takes over a lock left by a killed process once it is stale.
import { rmdir } from 'node:fs/promises';
import { EnvironmentError } from '../errors.js';
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

const lockOptions = (retries: number, onCompromised: () => void) => ({
  realpath: false, // the file may not exist yet
  stale: STALE_LOCK_MS,
  retries: retries === 0 ? 0 : { retries, factor: 1.2, minTimeout: 5, maxTimeout: 100, randomize: true },
  // proper-lockfile's default throws from its refresh timer: an uncaught exception, and
  // nothing put back. A process paused for longer than STALE_LOCK_MS (Ctrl-Z, a stopped
  // VM) can have its lock taken over; its lock folder can be moved away with the folder.
  onCompromised,
});

export const lockFileOnDisk: LockFile = async (file, onWait, onLost) => {
  // Loaded here: only commands that change files take a lock.
  const { default: lockfile } = await import('proper-lockfile');
  let lost = false;
  const compromised = () => {
    lost = true;
    onLost?.();
  };
  let release: () => Promise<void>;
  try {
    try {
      release = await lockfile.lock(file, lockOptions(0, compromised));
    } catch (error) {
      if (errorCode(error) !== 'ELOCKED') throw error;
      onWait?.();
      release = await lockfile.lock(file, lockOptions(200, compromised));
    }
  } catch (error) {
    if (errorCode(error) === 'ELOCKED') {
      throw new EnvironmentError(`${file} is locked by another composer-secrets process; try again when it has finished`);
    }
    throw new EnvironmentError(`cannot lock ${file}: ${errorCode(error) ?? 'unexpected error'}`);
  }
  return async (movedTo) => {
    if (!lost) {
      await release();
      // Not lost, so the lock folder that moved with the file is still this process's own.
      if (movedTo !== undefined) await rmdir(`${movedTo}.lock`).catch(() => undefined);
      return;
    }
    // The lock folder is no longer ours to remove. A caller that was told has dealt with it.
    if (onLost === undefined) {
      throw new EnvironmentError(`lost the lock on ${file} while using it (this process was paused for more than ${STALE_LOCK_MS / 1000} s, or the folder was moved); check ${file}`);
    }
  };
};
