// Checks that a text is JSON without building it, and says where the members of its
// outer objects are. A read of one site in a large store then parses only that site and
// its organization (see readStore): peak memory stays near the size of the text instead
// of the whole object tree. It accepts exactly what JSON.parse accepts (ECMA-404; tested
// against JSON.parse on generated and broken documents in test/json-members.test.ts).
// Iterative, so deep nesting cannot overflow the stack.

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

/** The end of the string starting at text[i] (a quote), or -1. */
function stringEnd(text: string, i: number): number {
  for (i++; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return i + 1;
    if (c < 0x20) return -1;
    if (c === BACKSLASH) {
      const escaped = text.charCodeAt(++i);
      if (escaped === 0x75 /* u */) {
        for (let k = 1; k <= 4; k++) if (!isHex(text.charCodeAt(i + k))) return -1;
        i += 4;
      } else if (!SIMPLE_ESCAPES.has(escaped)) {
        return -1;
      }
    }
  }
  return -1;
}

/** The end of the number starting at text[i], or -1. */
function numberEnd(text: string, i: number): number {
  if (text.charCodeAt(i) === MINUS) i++;
  if (text.charCodeAt(i) === ZERO) {
    i++;
  } else {
    if (!isDigit(text.charCodeAt(i))) return -1;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  if (text.charCodeAt(i) === DOT) {
    if (!isDigit(text.charCodeAt(++i))) return -1;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    const sign = text.charCodeAt(++i);
    if (sign === PLUS || sign === MINUS) i++;
    if (!isDigit(text.charCodeAt(i))) return -1;
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

function literalEnd(text: string, i: number): number {
  for (const literal of ['true', 'false', 'null']) if (text.startsWith(literal, i)) return i + literal.length;
  return -1;
}

function keyOf(text: string, start: number, end: number): string {
  const raw = text.slice(start + 1, end - 1);
  return raw.includes('\\') ? (JSON.parse(text.slice(start, end)) as string) : raw;
}

/**
 * Whether `text` is one JSON document; calls `onMember` for every member of the root
 * object and of the objects that are its members' values, in document order.
 */
export function scanJsonMembers(text: string, onMember: (member: JsonMember) => void): boolean {
  const frames: Frame[] = [];
  // Members are reported while every open container is an object, up to depth 2.
  const reported = () => frames.length <= 2 && frames.every((f) => f.kind === OBJECT);
  let i = skipWhitespace(text, 0);
  let state: 'value' | 'key' | 'after' = 'value';
  for (;;) {
    if (state === 'key') {
      const frame = frames[frames.length - 1]!;
      if (text.charCodeAt(i) !== QUOTE) return false;
      const end = stringEnd(text, i);
      if (end === -1) return false;
      frame.key = reported() ? keyOf(text, i, end) : '';
      i = skipWhitespace(text, end);
      if (text.charCodeAt(i) !== COLON) return false;
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
        if (i === -1) return false;
      }
      state = 'after';
      continue;
    }
    // After a value: report it if it is a member, then a comma, a closing bracket or the end.
    const frame = frames[frames.length - 1];
    if (frame === undefined) return skipWhitespace(text, i) === text.length;
    if (frame.kind === OBJECT && reported()) {
      onMember({ depth: frames.length === 1 ? 1 : 2, key: frame.key, value: { start: frame.valueStart, end: i }, parentStart: frame.start });
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
      return false;
    }
  }
}
