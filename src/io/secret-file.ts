// Reading and writing files that hold secrets: created 0600, written atomically
// (temp file in the same folder, then rename), never through a symlink.
import path from 'node:path';
import { EnvironmentError, UnsafeFileError } from '../errors.js';
import { errorCode, type FileSystem } from './file-system.js';

export const SECRET_FILE_MODE = 0o600;
export const SECRET_DIR_MODE = 0o700;

export type ExistingFile = { content: Buffer; mode: number };

/** Refuses a path whose last component is a symlink; returns its stats, or undefined if absent. */
export async function lstatRefusingSymlink(fs: FileSystem, file: string, what: string) {
  try {
    const stats = await fs.lstat(file);
    if (stats.isSymbolicLink()) {
      throw new UnsafeFileError(`${what} ${file} is a symbolic link; refusing to follow it (replace it with a regular file or point the tool at the real path)`);
    }
    if (!stats.isFile()) throw new UnsafeFileError(`${what} ${file} is not a regular file`);
    return stats;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    if (error instanceof UnsafeFileError) throw error;
    throw ioError(error, `cannot inspect ${what} ${file}`);
  }
}

/** The file's bytes and permission bits, or undefined when there is none. */
export async function readSecretFile(fs: FileSystem, file: string, what: string): Promise<ExistingFile | undefined> {
  return readRefusingSymlink(fs, file, what, async (mode) => ({ content: Buffer.from((await fs.readFile(file)) as Buffer), mode }));
}

/**
 * The file's text (UTF-8), or undefined when there is none. Read into one buffer of the
 * file's size: readFile collects chunks and joins them, so a large store would be held in
 * memory three times (chunks, joined bytes, text) instead of twice.
 */
export async function readSecretText(fs: FileSystem, file: string, what: string): Promise<string | undefined> {
  return readRefusingSymlink(fs, file, what, async () => {
    const handle = await fs.open(file, 'r');
    try {
      const { size } = await handle.stat();
      const bytes = Buffer.allocUnsafe(size);
      let filled = 0;
      while (filled < size) {
        const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return bytes.toString('utf8', 0, filled);
    } finally {
      await handle.close();
    }
  });
}

async function readRefusingSymlink<T>(fs: FileSystem, file: string, what: string, read: (mode: number) => Promise<T>): Promise<T | undefined> {
  const stats = await lstatRefusingSymlink(fs, file, what);
  if (stats === undefined) return undefined;
  try {
    return await read(stats.mode & 0o7777);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw ioError(error, `cannot read ${what} ${file}`);
  }
}

/**
 * Writes `content` to `file` atomically with `mode` (0600 unless told): a temp file beside
 * it, flushed, then renamed over it. A symlink at `file` is refused, not followed.
 */
export async function writeSecretFile(
  fs: FileSystem,
  file: string,
  content: string | Buffer,
  options: { what: string; mode?: number; createDirectory?: boolean },
): Promise<void> {
  const dir = path.dirname(file);
  if (options.createDirectory === true) {
    try {
      await fs.mkdir(dir, { recursive: true, mode: SECRET_DIR_MODE });
    } catch (error) {
      throw ioError(error, `cannot create the folder ${dir} for ${options.what}`);
    }
  }
  await lstatRefusingSymlink(fs, file, options.what);
  // The name must be unique, not secret: the 'wx' creation below is what keeps a planted
  // file or symlink from being used. (node:crypto would cost about 3 ms to load.)
  const unique = Math.floor(Math.random() * 2 ** 48).toString(16).padStart(12, '0');
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${unique}.tmp`); // see temporaryNamePattern
  const mode = options.mode ?? SECRET_FILE_MODE;
  try {
    // 'wx' fails on an existing path, so a planted symlink at the temp name is not followed either.
    const handle = await fs.open(temp, 'wx', mode);
    try {
      await handle.writeFile(content);
      await handle.chmod(mode); // the umask may have narrowed or the caller may want wider bits
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw ioError(error, `cannot write ${options.what} ${file}`);
  }
}

/** The temp files writeSecretFile makes for a file named `base`. */
export function temporaryNamePattern(base: string): RegExp {
  return new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\d+\\.[0-9a-f]{12}\\.tmp$`);
}

/** Removes a file we created; a missing file is fine. */
export async function removeFile(fs: FileSystem, file: string, what: string): Promise<void> {
  try {
    await fs.unlink(file);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw ioError(error, `cannot remove ${what} ${file}`);
  }
}

export function ioError(error: unknown, message: string): EnvironmentError {
  const code = errorCode(error);
  const reason =
    code === 'EACCES' || code === 'EPERM' ? 'permission denied'
    : code === 'EROFS' ? 'read-only file system'
    : code === 'ENOSPC' ? 'no space left on device'
    : code === 'ENOENT' ? 'no such file or folder'
    : code === 'ENOTDIR' ? 'a part of the path is not a folder'
    : code ?? 'unexpected error';
  return new EnvironmentError(`${message}: ${reason}`);
}
