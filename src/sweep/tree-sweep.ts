// Reading a folder (or one file) for the leak sweep: every regular file under it is read,
// in chunks, and handed to the byte search; names of files and folders, and the text of
// symbolic links, are searched too. No symbolic link is followed, so nothing outside the
// folder is read. Reads are synchronous, one file after another: with many small files
// (a vendor folder) that is several times faster than node's asynchronous reads, whose
// round trips through the thread pool cost more than the reads (see BENCHMARKS.md).

import type * as nodeFs from 'node:fs';
import { constants } from 'node:fs';
import path from 'node:path';
import { errorCode, type SyncFileSystem } from '../io/file-system.js';
import { type ByteSearch, streamScanner } from './byte-search.js';
import type { PathFilter } from './path-glob.js';

/** Where a value was found: in a file's content (lines), a link's target text, or a name. */
export type LeakHit = { path: string; lines: readonly number[]; in: 'content' | 'link' | 'name' };
/** What was not looked at, and why (never because of its content): left out by a glob, kept on purpose, or unreadable. */
export type NotLookedAt = { path: string; why: 'ignored' | 'kept' | 'unreadable'; reason: string };

export type SweepResult = {
  hits: LeakHit[];
  files: number;
  bytes: number;
  /** Folders and files left out: ignored by a glob, kept on purpose, or unreadable. */
  notLookedAt: NotLookedAt[];
  /** FIFOs, sockets and devices: not read (a build writes no text there, and reading one may block). */
  specialFiles: number;
  /**
   * `.git/objects` folders: not read. Git stores every object zlib-compressed, so no value
   * can be found in them as bytes; the work tree and `.git/config` beside them are read.
   * (A vendor folder installed from source is mostly such history.)
   */
  gitObjectStores: number;
};

export const emptySweepResult = (): SweepResult => ({ hits: [], files: 0, bytes: 0, notLookedAt: [], specialFiles: 0, gitObjectStores: 0 });

/** Big enough that nearly every file of a vendor folder is read in one call. */
const CHUNK = 1 << 20;
// O_NONBLOCK: a FIFO swapped in after the listing does not block the open or the read.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

export type TreeSweepOptions = {
  /** Paths (relative to `root`, with `/`) left out. */
  ignored: PathFilter;
  /** Absolute paths left out on purpose, with the reason said. */
  kept: ReadonlyMap<string, string>;
};

/**
 * Sweeps `root` (a folder or a file; `root` itself may be reached through a symbolic link,
 * nothing under it is). Paths in the result are `shown` joined with the path under `root`.
 */
export function sweepTree(
  fs: SyncFileSystem,
  root: string,
  shown: string,
  search: ByteSearch,
  options: TreeSweepOptions,
  result = emptySweepResult(),
): SweepResult {
  const buffer = Buffer.allocUnsafe(CHUNK);
  const display = (relative: string) => (relative === '' ? shown : shown === '' ? relative : `${shown}/${relative}`);
  const holdsValue = (text: string) => {
    let found = false;
    search.search(Buffer.from(text), () => (found = true));
    return found;
  };

  const readFile = (file: string, relative: string) => {
    let fd: number;
    try {
      fd = fs.openSync(file, OPEN_FLAGS);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT') return;
      if (code === 'ELOOP') return visitLink(file, relative);
      result.notLookedAt.push({ path: display(relative), why: 'unreadable', reason: `could not be read (${code ?? 'error'})` });
      return;
    }
    try {
      const scanner = streamScanner(search);
      for (;;) {
        const read = fs.readSync(fd, buffer, 0, CHUNK, null);
        result.bytes += read;
        // A short read of a regular file is its end.
        const final = read < CHUNK;
        scanner.push(buffer.subarray(0, read), final);
        if (final) break;
      }
      result.files++;
      if (scanner.lines.length > 0) result.hits.push({ path: display(relative), lines: [...scanner.lines], in: 'content' });
    } catch (error) {
      const code = errorCode(error);
      // A folder or a FIFO that took the file's place after the listing.
      if (code === 'EISDIR' || code === 'EAGAIN') result.specialFiles++;
      else result.notLookedAt.push({ path: display(relative), why: 'unreadable', reason: `could not be read (${code ?? 'error'})` });
    } finally {
      fs.closeSync(fd);
    }
  };

  const visitLink = (file: string, relative: string) => {
    let target: string;
    try {
      target = String(fs.readlinkSync(file));
    } catch {
      return;
    }
    if (holdsValue(target)) result.hits.push({ path: display(relative), lines: [], in: 'link' });
  };

  const visit = (file: string, relative: string, kind: 'file' | 'folder' | 'link' | 'special') => {
    const kept = options.kept.get(file);
    if (kept !== undefined) {
      result.notLookedAt.push({ path: display(relative), why: 'kept', reason: kept });
      return;
    }
    if (relative !== '' && options.ignored(relative)) {
      result.notLookedAt.push({ path: display(relative), why: 'ignored', reason: 'left out by --leak-check-ignore' });
      return;
    }
    if (kind === 'folder') walk(file, relative);
    else if (kind === 'file') readFile(file, relative);
    else if (kind === 'link') visitLink(file, relative);
    else result.specialFiles++;
  };

  const walk = (folder: string, relative: string) => {
    let entries: nodeFs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'ENOENT')
        result.notLookedAt.push({ path: display(relative), why: 'unreadable', reason: `could not be listed (${code ?? 'error'})` });
      return;
    }
    for (const entry of entries) {
      const name = String(entry.name);
      const childRelative = relative === '' ? name : `${relative}/${name}`;
      // The path itself would show the value: only its folder is named.
      if (holdsValue(name)) {
        result.hits.push({ path: display(relative), lines: [], in: 'name' });
        continue;
      }
      // Not path.join: a tenth of the sweep's time on a vendor folder, for a string the listing already made clean.
      const child = folder.endsWith('/') ? `${folder}${name}` : `${folder}/${name}`;
      const kind = kindOf(fs, child, entry);
      if (kind === 'folder' && name === 'objects' && path.basename(folder) === '.git') {
        result.gitObjectStores++;
        continue;
      }
      visit(child, childRelative, kind);
    }
  };

  let rootKind: 'file' | 'folder' | 'special';
  try {
    // The root as given is followed when it is a link (a project folder reached through one).
    const stats = fs.statSync(root);
    rootKind = stats.isDirectory() ? 'folder' : stats.isFile() ? 'file' : 'special';
  } catch (error) {
    result.notLookedAt.push({ path: shown, why: 'unreadable', reason: `could not be read (${errorCode(error) ?? 'error'})` });
    return result;
  }
  visit(root, '', rootKind);
  return result;
}

function kindOf(fs: SyncFileSystem, file: string, entry: nodeFs.Dirent): 'file' | 'folder' | 'link' | 'special' {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'folder';
  if (entry.isSymbolicLink()) return 'link';
  if (entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice()) return 'special';
  // A file system that does not say (DT_UNKNOWN): ask.
  try {
    const stats = fs.lstatSync(file);
    return stats.isFile() ? 'file' : stats.isDirectory() ? 'folder' : stats.isSymbolicLink() ? 'link' : 'special';
  } catch {
    return 'special';
  }
}
