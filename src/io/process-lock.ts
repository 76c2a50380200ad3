// An inter-process lock (a `<file>.lock` folder, kept fresh while held) from
// proper-lockfile, which takes over a lock left by a killed process once it is stale.
import { EnvironmentError } from '../errors.js';
import { errorCode } from './file-system.js';

/** A lock whose holder stopped refreshing it (killed) is taken over after this long. */
export const STALE_LOCK_MS = 5_000;

const lockOptions = (retries: number) => ({
  realpath: false, // the file may not exist yet
  stale: STALE_LOCK_MS,
  retries: retries === 0 ? 0 : { retries, factor: 1.2, minTimeout: 5, maxTimeout: 100, randomize: true },
});

export async function lockFileOnDisk(file: string, onWait?: () => void): Promise<() => Promise<void>> {
  // Loaded here: only commands that change files take a lock.
  const { default: lockfile } = await import('proper-lockfile');
  try {
    try {
      return await lockfile.lock(file, lockOptions(0));
    } catch (error) {
      if (errorCode(error) !== 'ELOCKED') throw error;
      onWait?.();
      return await lockfile.lock(file, lockOptions(200));
    }
  } catch (error) {
    if (errorCode(error) === 'ELOCKED') {
      throw new EnvironmentError(`${file} is locked by another composer-secrets process; try again when it has finished`);
    }
    throw new EnvironmentError(`cannot lock ${file}: ${errorCode(error) ?? 'unexpected error'}`);
  }
}
