// An inter-process lock (a `<file>.lock` folder, kept fresh while held) from
// proper-lockfile, which handles stale locks left by killed processes.
import lockfile from 'proper-lockfile';
import { EnvironmentError } from '../errors.js';
import { errorCode } from './file-system.js';

export async function lockFileOnDisk(file: string): Promise<() => Promise<void>> {
  try {
    return await lockfile.lock(file, {
      realpath: false, // the file may not exist yet
      stale: 10_000,
      retries: { retries: 200, factor: 1.2, minTimeout: 5, maxTimeout: 100, randomize: true },
    });
  } catch (error) {
    if (errorCode(error) === 'ELOCKED') {
      throw new EnvironmentError(`${file} is locked by another composer-secrets process; try again when it has finished`);
    }
    throw new EnvironmentError(`cannot lock ${file}: ${errorCode(error) ?? 'unexpected error'}`);
  }
}
