// Sweeping an archive as it streams, never unpacked to disk: a tar, gzip (node's zlib),
// and anything nested in them, recognized by content rather than name (`docker save`
// writes a tar of layer tars, OCI layouts name their blobs by digest only). A member that
// is neither is searched as bytes. The tar reader is ours: ustar, GNU long names and pax
// headers, which is all a build artifact or an image uses; no dependency for that.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { type ByteSearch, streamScanner } from './byte-search.js';
import type { PathFilter } from './path-glob.js';
import type { SweepResult } from './tree-sweep.js';

const BLOCK = 512;

/** Pulls bytes from an async source: exact reads, peeks, and the rest as chunks. */
class ByteReader {
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private done = false;
  constructor(private readonly source: AsyncIterator<Uint8Array>) {}

  private async fill(wanted: number): Promise<void> {
    while (this.buffered < wanted && !this.done) {
      const next = await this.source.next();
      if (next.done === true) this.done = true;
      else if (next.value.length > 0) {
        this.chunks.push(next.value);
        this.buffered += next.value.length;
      }
    }
  }

  /** Up to `count` bytes, not consumed. */
  async peek(count: number): Promise<Uint8Array> {
    await this.fill(count);
    return this.gather(count, false);
  }

  /** The next chunk of at most `max` bytes (empty at the end). */
  async next(max: number): Promise<Uint8Array> {
    if (this.buffered === 0) await this.fill(1);
    const first = this.chunks[0];
    if (first === undefined) return new Uint8Array(0);
    if (first.length <= max) {
      this.chunks.shift();
      this.buffered -= first.length;
      return first;
    }
    this.chunks[0] = first.subarray(max);
    this.buffered -= max;
    return first.subarray(0, max);
  }

  /** Exactly `count` bytes, or fewer at the end. */
  async read(count: number): Promise<Uint8Array> {
    await this.fill(count);
    return this.gather(count, true);
  }

  /** The first `count` buffered bytes (copying only those), consumed or not. */
  private gather(count: number, consume: boolean): Uint8Array {
    const parts: Uint8Array[] = [];
    let taken = 0;
    let index = 0;
    while (taken < count && index < this.chunks.length) {
      const chunk = this.chunks[index]!;
      const part = chunk.subarray(0, count - taken);
      parts.push(part);
      taken += part.length;
      if (consume && part.length < chunk.length) this.chunks[index] = chunk.subarray(part.length);
      else index++;
    }
    if (consume) {
      this.chunks.splice(0, index);
      this.buffered -= taken;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  }

  async skip(count: number): Promise<void> {
    for (let left = count; left > 0; ) {
      const chunk = await this.next(left);
      if (chunk.length === 0) return;
      left -= chunk.length;
    }
  }

  /** The next `count` bytes as chunks; what a consumer leaves unread is skipped by drain(). */
  take(count: number): { chunks: AsyncIterable<Uint8Array>; drain: () => Promise<void> } {
    let left = count;
    const chunks = async function* (reader: ByteReader) {
      while (left > 0) {
        const chunk = await reader.next(left);
        if (chunk.length === 0) return;
        left -= chunk.length;
        yield chunk;
      }
    };
    return { chunks: chunks(this), drain: () => this.skip(left) };
  }

  async *rest(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const chunk = await this.next(Number.MAX_SAFE_INTEGER);
      if (chunk.length === 0) return;
      yield chunk;
    }
  }
}

const isGzip = (head: Uint8Array) => head[0] === 0x1f && head[1] === 0x8b;

/** A tar header: its checksum (the header's bytes with the checksum field as spaces) is right. */
function isTarHeader(head: Uint8Array): boolean {
  if (head.length < BLOCK) return false;
  const recorded = parseOctal(head.subarray(148, 156));
  if (recorded === undefined) return false;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : head[i]!;
  return sum === recorded;
}

function parseOctal(field: Uint8Array): number | undefined {
  const text = Buffer.from(field)
    .toString('latin1')
    .replace(/[\0 ]+$/, '')
    .trim();
  return /^[0-7]+$/.test(text) ? Number.parseInt(text, 8) : undefined;
}

/** A size field: octal, or base-256 (GNU) for sizes past 8 GiB. */
function parseSize(field: Uint8Array): number {
  if ((field[0]! & 0x80) !== 0) {
    let size = field[0]! & 0x7f;
    for (let i = 1; i < field.length; i++) size = size * 256 + field[i]!;
    return size;
  }
  return parseOctal(field) ?? 0;
}

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8').replace(/\0.*$/s, '');

/** `length key=value\n` records of a pax header. */
function paxRecords(bytes: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  const all = Buffer.from(bytes).toString('utf8');
  for (let at = 0; at < all.length; ) {
    const space = all.indexOf(' ', at);
    const length = Number.parseInt(all.slice(at, space), 10);
    if (space === -1 || !(length > 0)) break;
    const record = all.slice(space + 1, at + length - 1);
    const equals = record.indexOf('=');
    if (equals !== -1) records.set(record.slice(0, equals), record.slice(equals + 1));
    at += length;
  }
  return records;
}

export type ArchiveSweep = { search: ByteSearch; ignored: PathFilter; result: SweepResult };

/**
 * Sweeps a stream shown as `shown`: gzip is unpacked as it streams, a tar is read member by
 * member (each member swept the same way, so a layer tar inside an image tar is read too),
 * anything else is searched as bytes.
 */
export async function sweepStream(source: AsyncIterable<Uint8Array>, shown: string, sweep: ArchiveSweep): Promise<void> {
  const reader = new ByteReader(source[Symbol.asyncIterator]());
  await sweepBytes(reader, shown, sweep);
  // To the end (a tar's zero padding after its last member): the caller reads on from the
  // same source only when nothing else does.
  for await (const rest of reader.rest()) void rest;
}

async function sweepBytes(reader: ByteReader, shown: string, sweep: ArchiveSweep): Promise<void> {
  const head = await reader.peek(BLOCK);
  if (isGzip(head)) {
    const unpacked = createGunzip();
    const feeding = pipeline(Readable.from(reader.rest()), unpacked);
    // Handled below; until then its failure must not count as unhandled.
    feeding.catch(() => {});
    try {
      await sweepStream(unpacked, shown, sweep);
      await feeding;
    } catch (error) {
      await feeding.catch(() => {});
      // Damaged gzip data: what came before was searched; the rest cannot be.
      if (!(error instanceof Error && 'errno' in error)) throw error;
      sweep.result.notLookedAt.push({
        path: shown,
        why: 'unreadable',
        reason: 'is not a whole gzip stream (damaged or cut short), so its end could not be read',
      });
    }
    return;
  }
  if (isTarHeader(head)) return sweepTar(reader, shown, sweep);
  const scanner = streamScanner(sweep.search);
  let pending: Uint8Array | undefined;
  for await (const chunk of reader.rest()) {
    // One chunk behind, so the last one is pushed as final.
    if (pending !== undefined) scanner.push(pending, false);
    sweep.result.bytes += chunk.length;
    pending = chunk;
  }
  scanner.push(pending ?? new Uint8Array(0), true);
  sweep.result.files++;
  if (scanner.lines.length > 0) sweep.result.hits.push({ path: shown, lines: [...scanner.lines], in: 'content' });
}

async function sweepTar(reader: ByteReader, shown: string, sweep: ArchiveSweep): Promise<void> {
  const { result } = sweep;
  const holdsValue = (value: string) => {
    let found = false;
    sweep.search.search(Buffer.from(value), () => (found = true));
    return found;
  };
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax = new Map<string, string>();
  for (;;) {
    const header = await reader.read(BLOCK);
    if (header.length < BLOCK || header.every((byte) => byte === 0)) return;
    if (!isTarHeader(header)) {
      result.notLookedAt.push({ path: shown, why: 'unreadable', reason: 'has a damaged tar header, so the rest of it could not be read' });
      return;
    }
    const type = String.fromCharCode(header[156]!);
    let size = parseSize(header.subarray(124, 136));
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (type === 'L' || type === 'K' || type === 'x' || type === 'g') {
      const data = await reader.read(size);
      await reader.skip(padding);
      if (type === 'L') longName = text(data);
      else if (type === 'K') longLink = text(data);
      else if (type === 'x') pax = paxRecords(data);
      continue;
    }
    const prefix = text(header.subarray(345, 500));
    const name = pax.get('path') ?? longName ?? (prefix === '' ? '' : `${prefix}/`) + text(header.subarray(0, 100));
    const link = pax.get('linkpath') ?? longLink ?? text(header.subarray(157, 257));
    if (pax.has('size')) size = Number(pax.get('size'));
    const memberPadding = (BLOCK - (size % BLOCK)) % BLOCK;
    longName = longLink = undefined;
    pax = new Map();

    const member = `${shown}:${name.replace(/^\.\//, '')}`;
    const isFile = type === '0' || type === '\0' || type === '7';
    if (holdsValue(name)) {
      result.hits.push({ path: shown, lines: [], in: 'name' });
    } else if (sweep.ignored(name.replace(/^\.\//, ''))) {
      result.notLookedAt.push({ path: member, why: 'ignored', reason: 'left out by --leak-check-ignore' });
    } else if ((type === '1' || type === '2') && holdsValue(link)) {
      result.hits.push({ path: member, lines: [], in: 'link' });
    } else if (isFile) {
      const data = reader.take(size);
      await sweepStream(data.chunks, member, sweep);
      await data.drain();
      await reader.skip(memberPadding);
      continue;
    }
    await reader.skip(size + memberPadding);
  }
}
