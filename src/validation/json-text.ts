// JSON text, checked without building it: where it breaks (for messages that never quote
// it), and where the members of its outer objects are. A read of one site in a large store then parses only that site and
// its organization (see readStore): peak memory stays near the size of the text instead
// of the whole object tree. It accepts exactly what JSON.parse accepts (ECMA-404; tested
// against JSON.parse on generated and broken documents in test/json-members.test.ts).
// Iterative, so deep nesting cannot overflow the stack.

/** A parsed JSON value that is an object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where a member's value is in the text: text.slice(start, end) is its JSON. */
export type Span = { start: number; end: number };

/**
 * A member of an object at depth 1 (the root object) or 2 (an object that is the value of
 * a member of the root object). `parentStart` is where the object holding the member
 * starts, so members of a key that appears twice can be told apart (JSON.parse keeps the last).
 */
export type JsonMember = { depth: 1 | 2; key: string; value: Span; parentStart: number };

const OBJECT = 0;
const ARRAY = 1;
type Frame = { kind: typeof OBJECT | typeof ARRAY; start: number; key: string; valueStart: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;

/** The characters after a backslash other than u: " \\ / b f n r t. */
const SIMPLE_ESCAPES = new Set([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74]);

const isDigit = (c: number) => c >= ZERO && c <= NINE;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

function skipWhitespace(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    // space, tab, line feed, carriage return: JSON's only whitespace (not a BOM).
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return i;
    i++;
  }
}

// A scan step returns the index after what it read, or ~fault (negative) with `fault` the
// index of the first character that cannot continue a JSON text. A fault at text.length
// means the text ends too early.
const failedAt = (fault: number) => ~fault;

/** The end of the string starting at text[i] (a quote). */
function stringEnd(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c < 0x20) return failedAt(i);
    if (c === BACKSLASH) {
      const escaped = text.charCodeAt(++i);
      if (escaped === 0x75 /* u */) {
        for (let k = 1; k <= 4; k++) if (!isHex(text.charCodeAt(i + k))) return failedAt(Math.min(i + k, text.length));
        i += 4;
      } else if (!SIMPLE_ESCAPES.has(escaped)) {
        return failedAt(Math.min(i, text.length));
      }
    }
  }
  return failedAt(text.length);
}

/** The end of the number starting at text[i]. */
function numberEnd(text: string, i: number): number {
  if (text.charCodeAt(i) === MINUS) i++;
  if (text.charCodeAt(i) === ZERO) {
    i++;
  } else {
    if (!isDigit(text.charCodeAt(i))) return failedAt(Math.min(i, text.length));
    while (isDigit(text.charCodeAt(i))) i++;
  }
  if (text.charCodeAt(i) === DOT) {
    if (!isDigit(text.charCodeAt(++i))) return failedAt(Math.min(i, text.length));
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    const sign = text.charCodeAt(++i);
    if (sign === PLUS || sign === MINUS) i++;
    if (!isDigit(text.charCodeAt(i))) return failedAt(Math.min(i, text.length));
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

/** The end of `true`, `false` or `null` at text[i]. */
function literalEnd(text: string, i: number): number {
  const literal = ['true', 'false', 'null'].find((word) => word.charCodeAt(0) === text.charCodeAt(i));
  if (literal === undefined) return failedAt(Math.min(i, text.length));
  for (let k = 1; k < literal.length; k++)
    if (text.charCodeAt(i + k) !== literal.charCodeAt(k)) return failedAt(Math.min(i + k, text.length));
  return i + literal.length;
}

function keyOf(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  return raw.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : raw;
}

/**
 * Walks `text` as one JSON document; calls `onMember` for every member of the root object
 * and of the objects that are its members' values, in document order. Returns -1 when the
 * text is JSON, else the index of the first character that cannot continue a JSON text
 * (text.length when it ends too early).
 */
function scanJson(text: string, onMember: (member: JsonMember) => void): number {
  const frames: Frame[] = [];
  // Members are reported while every open container is an object, up to depth 2.
  const reported = () => frames.length <= 2 && frames.every((f) => f.kind === OBJECT);
  const at = (i: number) => Math.min(i, text.length);
  let i = skipWhitespace(text, 0);
  let state: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    if (state === 'key') {
      // biome-ignore lint/style/noNonNullAssertion: the scanner is in state 'key' only inside an object's frame
      const frame = frames[frames.length - 1]!;
      if (text.charCodeAt(i) !== QUOTE) return at(i);
      const end = stringEnd(text, i);
      if (end < 0) return ~end;
      frame.key = reported() ? keyOf(text, i, end) : '';
      i = skipWhitespace(text, end);
      if (text.charCodeAt(i) !== COLON) return at(i);
      i = skipWhitespace(text, i + 1);
      frame.valueStart = i;
      state = 'value';
      continue;
    }
    if (state === 'value') {
      const c = text.charCodeAt(i);
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        const start = i;
        i = skipWhitespace(text, i + 1);
        if (text.charCodeAt(i) === (c === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) {
          i++;
        } else {
          frames.push({ kind: c === OPEN_OBJECT ? OBJECT : ARRAY, start, key: '', valueStart: -1 });
          state = c === OPEN_OBJECT ? 'key' : 'value';
          continue;
        }
      } else {
        i = c === QUOTE ? stringEnd(text, i) : c === MINUS || isDigit(c) ? numberEnd(text, i) : literalEnd(text, i);
        if (i < 0) return ~i;
      }
      state = 'after';
      continue;
    }
    // After a value: report it if it is a member, then a comma, a closing bracket or the end.
    const frame = frames[frames.length - 1];
    if (frame === undefined) {
      const end = skipWhitespace(text, i);
      return end === text.length ? -1 : end;
    }
    if (frame.kind === OBJECT && reported()) {
      onMember({
        depth: frames.length === 1 ? 1 : 2,
        key: frame.key,
        value: { start: frame.valueStart, end: i },
        parentStart: frame.start,
      });
    }
    i = skipWhitespace(text, i);
    const c = text.charCodeAt(i);
    if (c === COMMA) {
      i = skipWhitespace(text, i + 1);
      state = frame.kind === OBJECT ? 'key' : 'value';
    } else if (c === (frame.kind === OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) {
      frames.pop();
      i++;
    } else {
      return at(i);
    }
  }
}

/**
 * Whether `text` is one JSON document; calls `onMember` for every member of the root
 * object and of the objects that are its members' values, in document order.
 */
export function scanJsonMembers(text: string, onMember: (member: JsonMember) => void): boolean {
  return scanJson(text, onMember) === -1;
}

/**
 * Whether the JSON `text` nests arrays and objects more than `limit` deep: a linear scan,
 * no parse. Strings are skipped (a malformed text may be counted wrong; parseJsonSafely
 * says what is wrong with it).
 */
export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      for (i++; i < text.length && text.charCodeAt(i) !== QUOTE; i++) if (text.charCodeAt(i) === BACKSLASH) i++;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return false;
}

/**
 * JSON.parse, with an error that says where the document is broken but not what it holds
 * (JSON.parse's own messages quote the input). The position comes from scanJson.
 */
export function parseJsonSafely(text: string): { ok: true; value: unknown } | { ok: false; problem: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    if (text.trim() === '') return { ok: false, problem: 'is empty, not a JSON document' };
    const fault = scanJson(text, () => undefined);
    if (fault === -1 || fault >= text.length) return { ok: false, problem: 'is not valid JSON (it ends too early)' };
    const before = text.slice(0, fault);
    const line = before.split('\n').length;
    const column = fault - before.lastIndexOf('\n');
    return { ok: false, problem: `is not valid JSON (line ${line}, column ${column})` };
  }
}
