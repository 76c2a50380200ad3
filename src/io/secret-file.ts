// Reading and writing files that hold secrets. Reads open the file once, refusing a
// symlink at open time, and take the bytes and the mode from that one descriptor. Writes
// are atomic: a 0600 temp file in the same folder, flushed, renamed over the file, then
// the folder flushed so the rename survives a power cut.
import { constants } from 'node:fs';
import path from 'node:path';
import { EnvironmentError, InvalidDocumentError, UnsafeFileError } from '../errors.js';
import { errorCode, type FileSystem } from './file-system.js';
import { strictUtf8 } from './utf8-text.js';

const SECRET_FILE_MODE = 0o600;
export const SECRET_DIR_MODE = 0o700;

export type ExistingFile = { content: Buffer; mode: number };

type FileHandle = Awaited<ReturnType<FileSystem['open']>>;

// O_NOFOLLOW: a symlink at the last component fails the open itself (ELOOP), so nothing can
// be swapped in between a check and the open. O_NONBLOCK: a FIFO planted there opens at once
// and is then refused as not a regular file, instead of hanging the read.
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
/** Appending to a file another program owns ($GITHUB_ENV): created 0600 when absent, never through a symlink. */
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW | constants.O_NONBLOCK;

function symlinkRefused(what: string, file: string): UnsafeFileError {
  return new UnsafeFileError(
    `${what} ${file} is a symbolic link; refusing to follow it (replace it with a regular file or point the tool at the real path)`,
  );
}

function notRegularRefused(what: string, file: string): UnsafeFileError {
  return new UnsafeFileError(`${what} ${file} is not a regular file`);
}

/** Refuses a path whose last component is a symlink or not a regular file; returns its stats, or undefined if absent. */
async function lstatRefusingSymlink(fs: FileSystem, file: string, what: string) {
  try {
    const stats = await fs.lstat(file);
    if (stats.isSymbolicLink()) throw symlinkRefused(what, file);
    if (!stats.isFile()) throw notRegularRefused(what, file);
    return stats;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    if (error instanceof UnsafeFileError) throw error;
    throw ioError(error, `cannot inspect ${what} ${file}`);
  }
}

/**
 * Opens `file` with `flags` (which include O_NOFOLLOW) and checks on the descriptor that it
 * is a regular file. Undefined when there is none (and `flags` does not create it).
 */
async function openRegularFile(fs: FileSystem, file: string, what: string, flags: number, verb: string) {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, flags, SECRET_FILE_MODE);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' && (flags & constants.O_CREAT) === 0) return undefined;
    if (code === 'ELOOP') throw symlinkRefused(what, file);
    // What only a special file answers: a FIFO without a reader opened for writing, say.
    if (code === 'ENXIO') throw notRegularRefused(what, file);
    throw ioError(error, `cannot ${verb} ${what} ${file}`);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw notRegularRefused(what, file);
    return { handle, size: stats.size, mode: stats.mode & 0o7777 };
  } catch (error) {
    await handle.close();
    if (error instanceof UnsafeFileError) throw error;
    throw ioError(error, `cannot ${verb} ${what} ${file}`);
  }
}

/** The bytes of the open file (up to `size`, its size at fstat), from the descriptor. */
async function readHandle(handle: FileHandle, size: number): Promise<Buffer> {
  const bytes = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await handle.read(bytes, filled, size - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === size ? bytes : bytes.subarray(0, filled);
}

/**
 * What reading `file` gives through `read`, or undefined when there is none. Read into one
 * buffer of the file's size: readFile collects chunks and joins them, so a large store would
 * be held in memory three times (chunks, joined bytes, text) instead of twice.
 */
async function readRegularFile<T>(
  fs: FileSystem,
  file: string,
  what: string,
  read: (bytes: Buffer, mode: number) => T,
): Promise<T | undefined> {
  const opened = await openRegularFile(fs, file, what, READ_FLAGS, 'read');
  if (opened === undefined) return undefined;
  try {
    return read(await readHandle(opened.handle, opened.size), opened.mode);
  } catch (error) {
    throw ioError(error, `cannot read ${what} ${file}`);
  } finally {
    await opened.handle.close();
  }
}

/** The file's bytes and permission bits, both from one descriptor, or undefined when there is none. */
export async function readSecretFile(fs: FileSystem, file: string, what: string): Promise<ExistingFile | undefined> {
  return readRegularFile(fs, file, what, (content, mode) => ({ content, mode }));
}

/** The file's text, or undefined when there is none; a file that is not UTF-8 is refused (exit 2) and left as it is. */
export async function readSecretText(fs: FileSystem, file: string, what: string): Promise<string | undefined> {
  const bytes = await readRegularFile(fs, file, what, (content) => content);
  return bytes === undefined ? undefined : secretFileText(bytes, file, what);
}

/** A secret file's bytes as text; InvalidDocumentError when they are not UTF-8. */
export function secretFileText(bytes: Uint8Array, file: string, what: string): string {
  const text = strictUtf8(bytes);
  if (text === undefined)
    throw new InvalidDocumentError(file, `${what} ${file} is not valid UTF-8 text, so it was left as it is; fix or move it`);
  return text;
}

/** Appends `content` to `file` (created 0600 when absent); a symlink or non-regular file there is refused. */
export async function appendToRegularFile(fs: FileSystem, file: string, content: string, what: string): Promise<void> {
  const opened = await openRegularFile(fs, file, what, APPEND_FLAGS, 'append to');
  if (opened === undefined) return; // not reached: APPEND_FLAGS creates the file
  try {
    await opened.handle.writeFile(content);
  } catch (error) {
    throw ioError(error, `cannot append to ${what} ${file}`);
  } finally {
    await opened.handle.close();
  }
}

/** A name taken by something we did not make (a planted folder, say) is passed over for a fresh one this many times. */
const TEMP_NAME_ATTEMPTS = 8;

/**
 * Writes `content` to `file` atomically with `mode` (0600 unless told): a temp file beside
 * it, flushed, renamed over it, then the folder flushed. A symlink at `file` is refused, not
 * followed. The caller holds the lock for `file` (see removeLeftoverTempFiles).
 * `syncFolder: false` leaves the folder flush to a caller that must tell a failed write
 * (the file untouched) from a failed flush (the file already replaced).
 */
export async function writeSecretFile(
  fs: FileSystem,
  file: string,
  content: string | Buffer,
  options: { what: string; mode?: number; syncFolder?: boolean },
): Promise<void> {
  const dir = path.dirname(file);
  await lstatRefusingSymlink(fs, file, options.what);
  await removeLeftoverTempFiles(fs, file);
  const mode = options.mode ?? SECRET_FILE_MODE;
  let temp: string | undefined;
  try {
    const created = await createTempFile(fs, file, mode);
    temp = created.temp;
    try {
      await created.handle.writeFile(content);
      await created.handle.chmod(mode); // the umask may have narrowed or the caller may want wider bits
      await created.handle.sync();
    } finally {
      await created.handle.close();
    }
    await fs.rename(temp, file);
  } catch (error) {
    if (temp !== undefined) await fs.unlink(temp).catch(() => undefined);
    throw ioError(error, `cannot write ${options.what} ${file}`);
  }
  if (options.syncFolder !== false) await syncFolder(fs, dir, `${options.what} ${file}`);
}

/** A fresh temp file beside `file`, created exclusively (O_EXCL: a planted file or symlink at the name is never opened). */
async function createTempFile(fs: FileSystem, file: string, mode: number): Promise<{ temp: string; handle: FileHandle }> {
  for (let attempt = 1; ; attempt += 1) {
    // The name must be unique, not secret: the exclusive creation is what keeps a planted
    // file from being used. (node:crypto would cost about 3 ms to load.)
    const unique = Math.floor(Math.random() * 2 ** 48)
      .toString(16)
      .padStart(12, '0');
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${unique}.tmp`); // see temporaryNamePattern
    try {
      return { temp, handle: await fs.open(temp, 'wx', mode) };
    } catch (error) {
      if (errorCode(error) !== 'EEXIST' || attempt === TEMP_NAME_ATTEMPTS) throw error;
    }
  }
}

/**
 * Flushes the folder itself, so that a rename or removal in it is on disk before the next
 * step relies on it (the journal before auth.json is replaced, auth.json before the journal
 * goes). A file system that cannot flush a folder (EINVAL) has nothing more to offer.
 */
export async function syncFolder(fs: FileSystem, dir: string, after: string): Promise<void> {
  try {
    const handle = await fs.open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EINVAL' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') return;
    throw ioError(error, `cannot flush the folder ${dir} after changing ${after}`);
  }
}

/** The temp files writeSecretFile makes for a file named `base`. */
function temporaryNamePattern(base: string): RegExp {
  return new RegExp(`^\\.${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.\\d+\\.[0-9a-f]{12}\\.tmp$`);
}

/**
 * Removes the temp files a killed write of `file` left (a partial copy, which may hold
 * secrets). Only with the lock for `file` held, so no live write's temp file is taken: then
 * every match is a leftover. Only regular files whose name matches temporaryNamePattern
 * exactly; a folder or symlink at such a name is not ours and is left alone, unfollowed.
 * Best effort: what cannot be removed does not stop the write.
 */
export async function removeLeftoverTempFiles(fs: FileSystem, file: string): Promise<void> {
  const dir = path.dirname(file);
  const pattern = temporaryNamePattern(path.basename(file));
  let names: string[];
  try {
    names = (await fs.readdir(dir)) as string[];
  } catch {
    return;
  }
  for (const name of names) {
    if (!pattern.test(name)) continue;
    const leftover = path.join(dir, name);
    // unlink never follows a symlink, so a swap after this check removes at most a link.
    const stats = await fs.lstat(leftover).catch(() => undefined);
    if (stats?.isFile() === true) await fs.unlink(leftover).catch(() => undefined);
  }
}

/** Removes a file we created, and flushes its folder; a missing file is fine. */
export async function removeFile(fs: FileSystem, file: string, what: string): Promise<void> {
  try {
    await fs.unlink(file);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw ioError(error, `cannot remove ${what} ${file}`);
  }
  await syncFolder(fs, path.dirname(file), `${what} ${file}`);
}

export function ioError(error: unknown, message: string): EnvironmentError {
  const code = errorCode(error);
  const reason =
    code === 'EACCES' || code === 'EPERM'
      ? 'permission denied'
      : code === 'EROFS'
        ? 'read-only file system'
        : code === 'ENOSPC'
          ? 'no space left on device'
          : code === 'ENOENT'
            ? 'no such file or folder'
            : code === 'ENOTDIR'
              ? 'a part of the path is not a folder'
              : code === 'EISDIR'
                ? 'it is a folder'
                : (code ?? 'unexpected error');
  return new EnvironmentError(`${message}: ${reason}`);
}
