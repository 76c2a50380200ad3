// Finding any of a set of byte strings in a stream of bytes. Pure: patterns in, a searcher
// out; the bytes are handed in by whoever reads the files.
//
// Wu-Manber: a window as long as the shortest pattern slides over the bytes; the last
// BLOCK bytes of the window, hashed, say how far it may jump without passing the start of
// any pattern. Random-looking values (tokens, passwords, their encodings) share few
// 3-byte blocks with code and text, so the window mostly jumps its whole length and only
// a few bytes in each window are looked at: faster than grep -F with the same patterns
// (see BENCHMARKS.md). Where the shift is 0 the patterns ending in that block are compared
// in full.

/** Bytes hashed per step. */
const BLOCK = 3;
/** 256 KiB of shifts: few blocks of code share a slot with a block of the patterns. */
const TABLE_BITS = 18;
/** Shifts live in a Uint8Array: windows longer than this add nothing worth the memory. */
const MAX_WINDOW = 255;

/** The block of 3 bytes ending at `end`, hashed (multiplicative hashing: the top bits of the product). */
const blockHash = (bytes: Uint8Array, end: number) =>
  Math.imul((bytes[end - 2]! << 16) | (bytes[end - 1]! << 8) | bytes[end]!, 0x9e3779b1) >>> (32 - TABLE_BITS);

export type ByteSearch = {
  /** The longest pattern: a stream scanner carries this many bytes less one across chunks. */
  readonly longest: number;
  /** Calls `found(start, length)` for each place in `bytes` where a pattern starts (the longest one there). */
  search(bytes: Uint8Array, found: (start: number, length: number) => void): void;
};

/** A searcher for `patterns` (byte strings at least BLOCK long; shorter ones are refused). */
export function byteSearch(patterns: readonly Uint8Array[]): ByteSearch {
  if (patterns.length === 0) return { longest: 0, search: () => {} };
  const shortest = Math.min(...patterns.map((p) => p.length));
  if (shortest < BLOCK) throw new Error(`byteSearch: patterns must be at least ${BLOCK} bytes long`);
  const window = Math.min(shortest, MAX_WINDOW);
  const shifts = new Uint8Array(1 << TABLE_BITS).fill(window - BLOCK + 1);
  /** For each hash of a window's last block, the patterns whose first window ends so. */
  const endingIn = new Map<number, Uint8Array[]>();
  for (const pattern of patterns) {
    for (let j = BLOCK - 1; j < window; j++) {
      const h = blockHash(pattern, j);
      shifts[h] = Math.min(shifts[h]!, window - 1 - j);
    }
    const h = blockHash(pattern, window - 1);
    endingIn.set(h, [...(endingIn.get(h) ?? []), pattern]);
  }
  const longest = Math.max(...patterns.map((p) => p.length));

  const matchesAt = (bytes: Uint8Array, start: number, pattern: Uint8Array) => {
    if (start + pattern.length > bytes.length) return false;
    for (let k = 0; k < pattern.length; k++) if (bytes[start + k] !== pattern[k]) return false;
    return true;
  };

  return {
    longest,
    search(bytes, found) {
      let end = window - 1;
      while (end < bytes.length) {
        const h = blockHash(bytes, end);
        const shift = shifts[h]!;
        if (shift !== 0) {
          end += shift;
          continue;
        }
        const start = end - window + 1;
        let length = 0;
        for (const pattern of endingIn.get(h)!) if (pattern.length > length && matchesAt(bytes, start, pattern)) length = pattern.length;
        if (length > 0) found(start, length);
        end++;
      }
    },
  };
}

/** Where a stream holds a pattern: the line (1-based) of each occurrence, each line once, in order. */
export type StreamScanner = {
  /** The next bytes of the stream; `final` for the last chunk. The caller may reuse `chunk` afterwards. */
  push(chunk: Uint8Array, final: boolean): void;
  /** The lines holding a pattern so far (empty: none). */
  readonly lines: readonly number[];
};

/**
 * Scans a stream cut into chunks anywhere: the last `longest - 1` bytes of each chunk are
 * carried into the next, so no occurrence is lost at a cut, and none is counted twice.
 * Line feeds are counted only where needed: in a chunk that is not the last, and up to
 * each occurrence; so a file read in one chunk and holding nothing costs no counting.
 */
export function streamScanner(search: ByteSearch): StreamScanner {
  const carry = Math.max(search.longest - 1, 0);
  let held: Uint8Array = new Uint8Array(0);
  /** Line feeds in the stream before `held`. */
  let linesBefore = 0;
  const lines: number[] = [];
  return {
    lines,
    push(chunk, final) {
      const bytes = held.length === 0 ? chunk : concat(held, chunk);
      // An occurrence wholly inside the held bytes was found with the previous chunk.
      const seen = held.length;
      let counted = 0;
      let newlines = linesBefore;
      search.search(bytes, (start, length) => {
        if (start + length <= seen) return;
        newlines += countNewlines(bytes, counted, start);
        counted = start;
        if (lines[lines.length - 1] !== newlines + 1) lines.push(newlines + 1);
      });
      if (final) {
        held = new Uint8Array(0);
        return;
      }
      const dropped = Math.max(bytes.length - carry, 0);
      linesBefore =
        counted <= dropped ? newlines + countNewlines(bytes, counted, dropped) : newlines - countNewlines(bytes, dropped, counted);
      // A copy: `chunk` is the caller's to reuse (and Buffer's slice would be a view of it).
      held = new Uint8Array(bytes.subarray(dropped));
    },
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}

/** Line feeds in bytes[from, to). */
function countNewlines(bytes: Uint8Array, from: number, to: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (bytes[i] === 0x0a) count++;
  return count;
}
