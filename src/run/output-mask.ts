// Masking secret values in what composer prints. Pure: the values in, a masker out.
//
// The rule (README, "Security"): every form a PHP or shell tool commonly prints a value in
// (maskedFormsOf) is masked, whole when it is at most FRAGMENT_LENGTH bytes long, else
// every stretch of FRAGMENT_LENGTH consecutive bytes of it, so a value split anywhere,
// overlapping another or printed in part is still caught. Matching is on bytes, and it
// skips blanks and terminal colour codes, both in the output and in the forms, so a value
// wrapped onto the next line (composer's exception box: a line break, padding, indentation,
// colour codes) is masked whole. Each stretch of output covered by matches becomes one MASK.

import { StringDecoder } from 'node:string_decoder';

export const MASK = '***';
/** Shorter values (in bytes, blanks left out) would mask ordinary words; they are not secrets worth the noise. */
export const MIN_MASKED_LENGTH = 4;
/**
 * Forms longer than this are matched by every stretch of this many bytes: long enough
 * not to occur by chance in ordinary output, short enough that a value cut into pieces
 * by anything but blanks shows at most this many bytes less one at each cut.
 */
export const FRAGMENT_LENGTH = 12;

const percentByte = (byte: number) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/** Percent-encoding of the UTF-8 bytes, keeping the characters `kept` (ASCII only) matches. */
function percentEncoded(bytes: Uint8Array, kept: RegExp): string {
  let text = '';
  for (const byte of bytes) {
    const char = String.fromCharCode(byte);
    text += kept.test(char) ? char : percentByte(byte);
  }
  return text;
}

/** PHP's rawurlencode (RFC 3986): what Composer writes for each part of a URL's user info. */
export const rawUrlEncoded = (text: string) => percentEncoded(Buffer.from(text), /[\w.~-]/);

/** `\uXXXX` for every non-ASCII UTF-16 unit, as PHP's json_encode writes it by default. */
const escapedUnicode = (json: string) => json.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/**
 * base64url of the value where it sits inside a longer encoded text (a Basic-auth header, a
 * token's payload): each of the three alignments, without the characters its neighbours share.
 */
function embeddedBase64(bytes: Uint8Array): string[] {
  return [0, 1, 2].map((shift) => {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64url');
    return encoded.slice(Math.ceil((shift * 4) / 3), (shift + bytes.length) % 3 === 0 ? encoded.length : -1);
  });
}

/**
 * The ways a program may print a value:
 * - as is (echo, printf, var_dump, print_r);
 * - JSON-escaped, as JavaScript and PHP's json_encode with each combination of
 *   JSON_UNESCAPED_SLASHES and JSON_UNESCAPED_UNICODE write it;
 * - URL-encoded as encodeURIComponent, PHP's rawurlencode and urlencode ('+' for a space)
 *   write it, with upper- and lowercase hex digits;
 * - base64 and base64url, alone and inside a longer base64 text; hex, upper- and lowercase;
 * - backslash-escaped as addslashes and var_export write it, and in a shell's single
 *   quotes ('\'' for a quote) as escapeshellarg and `set -x` write it.
 */
export function maskedFormsOf(text: string): string[] {
  const bytes = Buffer.from(text);
  const base64 = [bytes.toString('base64'), ...embeddedBase64(bytes)];
  const base64Forms = base64.flatMap((encoded) => [
    encoded.replace(/-/g, '+').replace(/_/g, '/'),
    encoded.replace(/\+/g, '-').replace(/\//g, '_').replace(/=/g, ''),
  ]);
  const hex = bytes.toString('hex');
  // Letters, digits, `_`, `.` and `-` (most tokens): every escaping form is the text itself.
  // The same list as below, without the work (a build derives the forms of every value).
  if (/^[\w.-]*$/.test(text)) return [...new Set([text, ...base64Forms, hex, hex.toUpperCase()])];
  const json = JSON.stringify(text).slice(1, -1);
  const slashes = json.replace(/\//g, '\\/');
  const uri = percentEncoded(bytes, /[\w.!~*'()-]/);
  const raw = rawUrlEncoded(text);
  const form = raw.replace(/~/g, '%7E').replace(/%20/g, '+');
  return [
    ...new Set([
      text,
      json,
      slashes,
      escapedUnicode(json),
      escapedUnicode(slashes),
      ...[uri, raw, form].flatMap((encoded) => [encoded, encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase())]),
      ...base64Forms,
      hex,
      hex.toUpperCase(),
      text.replace(/[\\'"]/g, '\\$&').replace(/\0/g, '\\0'),
      text.replace(/[\\']/g, '\\$&'),
      text.replace(/'/g, `'\\''`),
    ]),
  ];
}

const isBlank = (byte: number) => byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
/** Whether `byte` is in low..high; undefined (past the end) compares false. */
const within = (byte: number | undefined, low: number, high: number) => byte! >= low && byte! <= high;

/**
 * The bytes matching looks at: all but blanks and colour codes (ESC [ ... final byte).
 * `from[i]` is where byte i of `text` sits in `bytes`; `from[text.length]` is where the
 * bytes stop being known: the start of a colour code cut off at the end, else the end.
 */
function visible(bytes: Uint8Array): { text: string; from: Int32Array } {
  const kept = Buffer.allocUnsafe(bytes.length);
  const from = new Int32Array(bytes.length + 1);
  let count = 0;
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    if (isBlank(byte)) {
      i++;
      continue;
    }
    if (byte === 0x1b) {
      let j = i + 1;
      if (bytes[j] === 0x5b) {
        j++;
        while (within(bytes[j], 0x20, 0x3f)) j++;
      }
      if (j >= bytes.length) break;
      if (j > i + 1 && within(bytes[j], 0x40, 0x7e)) {
        i = j + 1;
        continue;
      }
    }
    kept[count] = byte;
    from[count++] = i;
    i++;
  }
  from[count] = i;
  return { text: kept.toString('latin1', 0, count), from };
}

/** How many bytes of `text` matching looks at (no blanks, no colour codes). */
const visibleLength = (text: string) => (/[\t-\r \x1b]/.test(text) ? visible(Buffer.from(text)).text.length : Buffer.byteLength(text));

/** The first `length` (at most 4) bytes of `text` from `i` as a number (bytes past the end count as 0). */
function startAt(text: string, i: number, length: number): number {
  let key = 0;
  for (let j = i; j < i + length; j++) key = (key << 8) | text.charCodeAt(j);
  return key;
}

type Patterns = {
  /** Whole short forms and the FRAGMENT_LENGTH stretches of long ones, as latin1 text of their visible bytes. */
  set: Set<string>;
  /**
   * starts[n]: startAt(pattern, 0, n) of each pattern, n = 1 to 4 (every pattern has at
   * least MIN_MASKED_LENGTH = 4 bytes): a cheap first test, and what a match may begin with.
   */
  starts: ReadonlyArray<Set<number>>;
  /** The lengths in `set`, longest first: the longest match at a position covers the shorter ones. */
  lengths: number[];
};

/**
 * What is masked of `values`: each value, and each line of a multi-line value (it may be
 * printed one line at a time), when at least MIN_MASKED_LENGTH bytes are not blanks.
 */
export function maskedTexts(values: readonly string[]): string[] {
  const texts = new Set<string>();
  for (const value of values) {
    for (const text of [value, ...value.split(/\r\n|\r|\n/)]) if (visibleLength(text) >= MIN_MASKED_LENGTH) texts.add(text);
  }
  return [...texts];
}

function patternsOf(values: readonly string[]): Patterns {
  const set = new Set<string>();
  for (const text of maskedTexts(values)) {
    for (const form of maskedFormsOf(text)) {
      const seen = visible(Buffer.from(form)).text;
      const size = Math.min(seen.length, FRAGMENT_LENGTH);
      for (let i = 0; i + size <= seen.length; i++) set.add(seen.slice(i, i + size));
    }
  }
  const lengths = [...new Set([...set].map((pattern) => pattern.length))].sort((a, b) => b - a);
  const starts = [0, 1, 2, 3, 4].map((length) => new Set([...set].map((pattern) => startAt(pattern, 0, length))));
  return { set, starts, lengths };
}

const MASK_BYTES = Buffer.from(MASK);

/**
 * Masks `bytes`; unless `final`, holds back the end that a later chunk could turn into
 * (or extend) a match. Returns the masked bytes to release and the bytes held back.
 */
function maskBytes(patterns: Patterns, bytes: Uint8Array, final: boolean): { released: Buffer; held: Uint8Array } {
  const { text, from } = visible(bytes);
  const covered = new Uint8Array(text.length);
  // Stryker disable next-line EqualityOperator: one more turn looks up an empty text, never a pattern.
  for (let i = 0; i < text.length; i++) {
    // Stryker disable next-line ConditionalExpression: a first test for speed only; without it each place is looked up in full.
    if (!patterns.starts[4]!.has(startAt(text, i, 4))) continue;
    for (const length of patterns.lengths) {
      if (patterns.set.has(text.slice(i, i + length))) {
        covered.fill(1, i, i + length);
        break;
      }
    }
  }
  let cut = text.length;
  if (!final) {
    // Hold the longest ending that may be the start of a match (a longer one is decided now).
    let hold = Math.min(FRAGMENT_LENGTH - 1, text.length);
    while (hold > 0 && !patterns.starts[Math.min(hold, 4)]!.has(startAt(text, text.length - hold, Math.min(hold, 4)))) hold--;
    cut -= hold;
    // A masked stretch up to the cut could go on in the next chunk.
    while (covered[cut - 1] === 1) cut--;
  }
  const end = final ? bytes.length : from[cut]!;
  const parts: Uint8Array[] = [];
  let copied = 0;
  for (let i = 0; i < cut; i++) {
    if (covered[i] === 0) continue;
    parts.push(bytes.subarray(copied, from[i]), MASK_BYTES);
    // A stretch never crosses the cut (see above).
    while (covered[i + 1] === 1) i++;
    copied = from[i]! + 1;
  }
  parts.push(bytes.subarray(copied, end));
  return { released: Buffer.concat(parts), held: bytes.subarray(end) };
}

export type MaskingStream = { push(chunk: Uint8Array): void; flush(): void };

export type OutputMasker = {
  /** A whole output, masked. */
  mask(text: string): string;
  /**
   * Masks output arriving in chunks of bytes, cut anywhere (inside a value, a line or a
   * character). `write` gets masked text as soon as no later chunk can change it; `flush`
   * releases the rest at the end.
   */
  stream(write: (text: string) => void): MaskingStream;
};

/** A masker for every form of every value (see maskedFormsOf and the rule at the top). */
export function outputMasker(values: readonly string[]): OutputMasker {
  // Built on first output (tens of milliseconds for 60 values): a run that prints nothing pays nothing.
  let built: Patterns | undefined;
  const masked = (bytes: Uint8Array, final: boolean) => {
    // Stryker disable next-line ConditionalExpression: for speed only; masking no bytes gives no bytes.
    if (bytes.length === 0) return { released: Buffer.alloc(0), held: bytes };
    built ??= patternsOf(values);
    return maskBytes(built, bytes, final);
  };
  return {
    mask: (text) => masked(Buffer.from(text), true).released.toString(),
    stream(write) {
      const decoder = new StringDecoder();
      let held: Uint8Array = new Uint8Array(0);
      const release = (bytes: Uint8Array, final: boolean) => {
        const result = masked(bytes, final);
        held = result.held;
        const text = decoder.write(result.released) + (final ? decoder.end() : '');
        if (text !== '') write(text);
      };
      return {
        push: (chunk) => release(Buffer.concat([held, chunk]), false),
        flush: () => release(held, true),
      };
    },
  };
}
